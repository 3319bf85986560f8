// Loading a plan file: YAML → Plan, with every problem reported at its line and column.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/diagnostic.h"
#include "engine/plan.h"
#include "engine/status.h"

namespace duban {

/// Reads a file named in a plan (units_file), given the path as written relative to the
/// plan file's directory. Returns a non-OK status if it cannot be read.
using FileReader = std::function<Result<std::string>(const std::string& relative_path)>;

inline constexpr size_t kMaxPlanBytes = 16u << 20;   // larger files are refused
inline constexpr size_t kMaxPlanNodes = 1'000'000;  // YAML nodes visited, aliases expanded
inline constexpr int kMaxTaskDepth = 8;              // section → task → subtask …

struct LoadResult {
  std::optional<Plan> plan;  // set when no error was found (warnings allowed)
  Diagnostics diagnostics;
  bool unusable = false;  // not a plan at all: empty, not UTF-8, not YAML, too large…

  /// 0 clean (warnings allowed), 1 problems found, 2 unusable input.
  int exit_code() const { return unusable ? 2 : diagnostics.has_errors() ? 1 : 0; }
};

/// Units files read while loading several plans that share one: a clean units file is
/// parsed once and its units reused by the next plan that names the same text.
class UnitsFileCache {
 public:
  struct Entry {
    std::vector<Unit> units;
    size_t nodes = 0;  // YAML nodes the first read visited, counted again on reuse
  };
  const Entry* Find(const std::string& name, const std::string& text) const;
  void Put(const std::string& name, const std::string& text, Entry entry);
  size_t hits() const { return hits_; }

 private:
  std::map<std::pair<std::string, std::string>, Entry> entries_;  // (name, text)
  mutable size_t hits_ = 0;
};

/// Parses and checks a plan. `name` is how diagnostics name the file. Never throws.
/// `units_cache`, when given, keeps and reuses parsed units files.
LoadResult LoadPlan(const std::string& name, std::string contents, const FileReader& read_file,
                    UnitsFileCache* units_cache = nullptr);

/// Loads a shared units file (top-level `units:` only) as a plan holding just those
/// units, groups resolved; diagnostics point into `name`.
LoadResult LoadUnitsFile(const std::string& name, std::string contents);

/// A reader that refuses every file: for plans that must be self-contained.
FileReader NoFileReader();

}  // namespace duban
