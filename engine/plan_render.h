// Rendering a loaded plan: the task tree as aligned text, and as JSON.
#pragma once

#include <string>

namespace duban {

struct Plan;

enum class Lang { kZh, kEn };

struct PlanViewOptions {
  std::string unit;  // a resolved unit id: only its tasks, with its role; empty = all
  Lang lang = Lang::kZh;
  int title_width = 40;  // display columns for task titles in text output
};

/// The task tree with lead and cooperating units by name and due dates, columns
/// aligned by display width (CJK characters take two columns).
std::string RenderPlanTree(const Plan& plan, const PlanViewOptions& options);

/// The plan as JSON, shape "duban.plan/1" (documented in plans/README.md).
std::string RenderPlanJson(const Plan& plan, const PlanViewOptions& options);

}  // namespace duban
