// Problems found in a plan file, each pointing at a line and column.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace duban {

/// A file's name and bytes, shared by every location that points into it so that a
/// diagnostic can quote the offending line long after loading.
struct SourceFile {
  std::string name;
  std::string text;
};

/// 1-based line and column (column counts code points). line == 0: no position.
struct Location {
  std::shared_ptr<const SourceFile> file;
  int line = 0;
  int column = 0;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  Location location;
  std::string message;
};

/// Renders "FILE:LINE:COL: error: MESSAGE", then the source line and a caret under the
/// column (aligned by display width, so CJK text keeps the caret in place).
std::string FormatDiagnostic(const Diagnostic& d);

/// Diagnostics gathered while loading one plan.
class Diagnostics {
 public:
  void Error(const Location& at, std::string message);
  void Warning(const Location& at, std::string message);

  const std::vector<Diagnostic>& items() const { return items_; }
  bool has_errors() const;
  size_t error_count() const;
  size_t warning_count() const;
  /// Problems beyond the first kMaxKept are counted but not kept.
  static constexpr size_t kMaxKept = 200;
  size_t dropped() const { return dropped_; }
  /// Sorts by file order of appearance, then line and column; stable otherwise.
  void SortByLocation();

 private:
  void Add(Severity s, const Location& at, std::string message);
  std::vector<Diagnostic> items_;
  size_t dropped_ = 0;
  size_t dropped_errors_ = 0;
};

}  // namespace duban
