// A YAML document as the plan loader walks it: built in one pass from yaml-cpp's parser
// events into flat arrays, so that a plan of ten thousand tasks is a few allocations and
// not a tree of reference-counted nodes. The same parser as YAML::Load, so the same
// documents are accepted, with the same errors and marks; the same node kinds (a plain
// "~", "null" or nothing is Null) and aliases shared, not copied. Read-only once built.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace duban {

/// Where a node starts: 0-based line and byte column, as yaml-cpp's marks count.
struct YamlMark {
  int line = -1;
  int column = -1;
};

enum class YamlType { kUndefined, kNull, kScalar, kSequence, kMap };

class YamlDocument;
class YamlEntry;

/// A node of a YamlDocument, or an undefined node (a key looked up and not there). Cheap
/// to copy; valid while its document lives.
class YamlNode {
 public:
  YamlNode() = default;

  YamlType Type() const;
  bool IsNull() const { return Type() == YamlType::kNull; }
  bool IsScalar() const { return Type() == YamlType::kScalar; }
  bool IsSequence() const { return Type() == YamlType::kSequence; }
  bool IsMap() const { return Type() == YamlType::kMap; }
  explicit operator bool() const { return doc_ != nullptr; }

  YamlMark Mark() const;
  /// The text of a scalar; empty for any other node.
  const std::string& Scalar() const;
  /// Entries of a sequence or pairs of a mapping; 0 for anything else.
  size_t size() const;
  /// The value of the first pair whose key is the scalar `key`; undefined if none.
  YamlNode operator[](std::string_view key) const;

  class iterator;
  iterator begin() const;
  iterator end() const;

 protected:
  friend class YamlDocument;
  YamlNode(const YamlDocument* doc, uint32_t index) : doc_(doc), index_(index) {}

 private:
  const YamlDocument* doc_ = nullptr;
  uint32_t index_ = 0;
};

/// What iterating a node yields: for a sequence, the entry itself; for a mapping, a pair
/// with `first` the key and `second` the value (as yaml-cpp's iterators do).
class YamlEntry : public YamlNode {
 public:
  YamlEntry() = default;
  YamlNode first, second;

 private:
  friend class YamlNode::iterator;
  YamlEntry(const YamlDocument* doc, uint32_t index) : YamlNode(doc, index) {}
};

class YamlNode::iterator {
 public:
  const YamlEntry& operator*() const { return entry_; }
  const YamlEntry* operator->() const { return &entry_; }
  iterator& operator++();
  bool operator==(const iterator& o) const { return at_ == o.at_; }
  bool operator!=(const iterator& o) const { return at_ != o.at_; }

 private:
  friend class YamlNode;
  iterator(const YamlDocument* doc, uint32_t at, uint32_t end, bool pairs);
  void Load();
  const YamlDocument* doc_ = nullptr;
  uint32_t at_ = 0, end_ = 0;
  bool pairs_ = false;
  YamlEntry entry_;
};

class YamlDocument {
 public:
  /// Parses the first document of `text`. Throws what YAML::Load throws on bad input
  /// (YAML::ParserException, YAML::DeepRecursion). No document at all is a Null root.
  static std::unique_ptr<YamlDocument> Parse(const std::string& text);

  YamlNode root() const { return YamlNode(this, 0); }
  /// Distinct nodes built (an alias adds none).
  size_t nodes() const { return nodes_.size(); }

 private:
  friend class YamlNode;
  friend class YamlNode::iterator;
  friend class YamlBuilder;
  struct Data {
    YamlType type = YamlType::kNull;
    YamlMark mark;
    uint32_t first = 0;  // scalar: index into scalars_; collection: into children_
    uint32_t count = 0;  // collection: children (keys and values for a mapping)
  };
  std::vector<Data> nodes_;
  std::vector<uint32_t> children_;
  std::vector<std::string> scalars_;
};

}  // namespace duban
