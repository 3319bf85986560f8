#include "engine/yaml_doc.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>

namespace duban {

YamlType YamlNode::Type() const { return doc_ ? doc_->nodes_[index_].type : YamlType::kUndefined; }

YamlMark YamlNode::Mark() const { return doc_ ? doc_->nodes_[index_].mark : YamlMark{}; }

const std::string& YamlNode::Scalar() const {
  static const std::string kEmpty;
  if (!IsScalar()) return kEmpty;
  return doc_->scalars_[doc_->nodes_[index_].first];
}

size_t YamlNode::size() const {
  if (IsMap()) return doc_->nodes_[index_].count / 2;
  if (IsSequence()) return doc_->nodes_[index_].count;
  return 0;
}

YamlNode YamlNode::operator[](std::string_view key) const {
  if (!IsMap()) return {};
  for (auto it = begin(); it != end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return {};
}

YamlNode::iterator YamlNode::begin() const {
  if (!IsMap() && !IsSequence()) return end();
  const auto& d = doc_->nodes_[index_];
  return iterator(doc_, d.first, d.first + d.count, IsMap());
}

YamlNode::iterator YamlNode::end() const {
  if (!IsMap() && !IsSequence()) return iterator(doc_, 0, 0, false);
  const auto& d = doc_->nodes_[index_];
  return iterator(doc_, d.first + d.count, d.first + d.count, IsMap());
}

YamlNode::iterator::iterator(const YamlDocument* doc, uint32_t at, uint32_t end, bool pairs)
    : doc_(doc), at_(at), end_(end), pairs_(pairs) {
  Load();
}

YamlNode::iterator& YamlNode::iterator::operator++() {
  at_ += pairs_ ? 2 : 1;
  Load();
  return *this;
}

void YamlNode::iterator::Load() {
  if (at_ >= end_) {
    entry_ = YamlEntry();
    return;
  }
  if (pairs_) {
    entry_ = YamlEntry();
    entry_.first = YamlNode(doc_, doc_->children_[at_]);
    entry_.second = YamlNode(doc_, doc_->children_[at_ + 1]);
  } else {
    entry_ = YamlEntry(doc_, doc_->children_[at_]);
  }
}

// Builds a YamlDocument from the parser's events. A collection's children are gathered
// on one stack while it is open and moved to the document's flat array when it closes.
class YamlBuilder : public YAML::EventHandler {
 public:
  explicit YamlBuilder(YamlDocument& doc) : d_(doc) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Add(New(YamlType::kNull, mark, anchor));
  }

  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    // The parser refuses an alias to an anchor it has not seen.
    if (anchor < anchors_.size()) Add(anchors_[anchor]);
  }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    uint32_t n = New(YamlType::kScalar, mark, anchor);
    d_.nodes_[n].first = static_cast<uint32_t>(d_.scalars_.size());
    d_.scalars_.push_back(value);
    Add(n);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(New(YamlType::kSequence, mark, anchor));
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(New(YamlType::kMap, mark, anchor));
  }
  void OnMapEnd() override { Close(); }

 private:
  uint32_t New(YamlType type, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const auto n = static_cast<uint32_t>(d_.nodes_.size());
    d_.nodes_.push_back({type, {mark.line, mark.column}, 0, 0});
    if (anchor) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1, 0);
      anchors_[anchor] = n;
    }
    return n;
  }
  void Add(uint32_t n) {
    if (!open_.empty()) pending_.push_back(n);
  }
  void Open(uint32_t n) {
    Add(n);
    open_.push_back({n, pending_.size()});
  }
  void Close() {
    if (open_.empty()) return;
    auto [n, from] = open_.back();
    open_.pop_back();
    auto& data = d_.nodes_[n];
    data.first = static_cast<uint32_t>(d_.children_.size());
    data.count = static_cast<uint32_t>(pending_.size() - from);
    d_.children_.insert(d_.children_.end(), pending_.begin() + static_cast<std::ptrdiff_t>(from), pending_.end());
    pending_.resize(from);
  }

  YamlDocument& d_;
  std::vector<std::pair<uint32_t, size_t>> open_;  // node, where its children start in pending_
  std::vector<uint32_t> pending_;
  std::vector<uint32_t> anchors_;
};

std::unique_ptr<YamlDocument> YamlDocument::Parse(const std::string& text) {
  auto doc = std::make_unique<YamlDocument>();
  std::istringstream in(text);
  YAML::Parser parser(in);
  YamlBuilder builder(*doc);
  parser.HandleNextDocument(builder);
  if (doc->nodes_.empty()) doc->nodes_.push_back({YamlType::kNull, {}, 0, 0});
  return doc;
}

}  // namespace duban
