#include "engine/diagnostic.h"

#include <algorithm>

#include "engine/text.h"

namespace duban {
namespace {

std::string_view LineOf(const std::string& text, int line) {
  size_t pos = 0;
  for (int i = 1; i < line; ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string::npos) return {};
    ++pos;
  }
  size_t end = text.find('\n', pos);
  std::string_view v(text.data() + pos, (end == std::string::npos ? text.size() : end) - pos);
  if (!v.empty() && v.back() == '\r') v.remove_suffix(1);
  return v;
}

}  // namespace

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out;
  const Location& at = d.location;
  out += at.file ? at.file->name : std::string("<input>");
  if (at.line > 0) {
    out += ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
  }
  out += d.severity == Severity::kError ? ": error: " : ": warning: ";
  out += d.message;
  out += "\n";
  if (at.file && at.line > 0) {
    std::string_view line = LineOf(at.file->text, at.line);
    if (!line.empty() && line.size() <= 400 && !FindInvalidUtf8(line)) {
      out.append(line);
      out += "\n";
      std::u32string cps = DecodeUtf8(line);
      int width = 0;
      for (int i = 0; i + 1 < at.column && i < static_cast<int>(cps.size()); ++i) {
        width += cps[i] == U'\t' ? 1 : CodePointWidth(cps[i]);
      }
      out.append(static_cast<size_t>(width), ' ');
      out += "^\n";
    }
  }
  return out;
}

void Diagnostics::Add(Severity s, const Location& at, std::string message) {
  if (items_.size() >= kMaxKept) {
    ++dropped_;
    if (s == Severity::kError) ++dropped_errors_;
    return;
  }
  items_.push_back({s, at, std::move(message)});
}
void Diagnostics::Error(const Location& at, std::string message) {
  Add(Severity::kError, at, std::move(message));
}
void Diagnostics::Warning(const Location& at, std::string message) {
  Add(Severity::kWarning, at, std::move(message));
}
bool Diagnostics::has_errors() const { return error_count() > 0; }
size_t Diagnostics::error_count() const {
  return dropped_errors_ + std::count_if(items_.begin(), items_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kError; });
}
size_t Diagnostics::warning_count() const { return items_.size() + dropped_ - error_count(); }

void Diagnostics::SortByLocation() {
  std::vector<const SourceFile*> order;
  for (const auto& d : items_) {
    const SourceFile* f = d.location.file.get();
    if (std::find(order.begin(), order.end(), f) == order.end()) order.push_back(f);
  }
  auto rank = [&](const SourceFile* f) {
    return std::find(order.begin(), order.end(), f) - order.begin();
  };
  std::stable_sort(items_.begin(), items_.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    auto ra = rank(a.location.file.get()), rb = rank(b.location.file.get());
    if (ra != rb) return ra < rb;
    if (a.location.line != b.location.line) return a.location.line < b.location.line;
    return a.location.column < b.location.column;
  });
}

}  // namespace duban
