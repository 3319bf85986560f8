// Importing a work plan from document text: draft a plan file from pasted text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/plan.h"
#include "engine/status.h"

namespace duban {

inline constexpr size_t kMaxImportBytes = 4u << 20;  // larger inputs are refused

struct ImportResult {
  std::string yaml;                // a plan file; the importer's doubts are YAML comments
  std::vector<std::string> notes;  // summary lines for a person (stderr): what needs a look
};

/// Drafts a plan file from the text of an issued work plan (工作方案) as pasted from a
/// web page. `name` names the input in notes. `units`, when not null, is a registry whose
/// units are used (by name or alias) before new ones are invented. The YAML passes
/// LoadPlan when the text holds at least one task. Returns InvalidInput for text that is
/// empty, not UTF-8, larger than kMaxImportBytes or holds no numbered task. Never throws;
/// work is linear-ish in the input size.
[[nodiscard]] Result<ImportResult> ImportPlan(std::string_view text, std::string_view name,
                                              const Plan* units);

}  // namespace duban
