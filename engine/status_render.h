// The status board (duban status): counts by light, by unit and by section, the red
// items with their reasons, the critical path and the indicators.
#pragma once

#include <string>
#include <vector>

#include "engine/plan_render.h"
#include "engine/supervision.h"

namespace duban {

struct StatusOptions {
  std::string unit;  // only this unit's assignments; empty = all
  Lang lang = Lang::kZh;
};

std::string RenderStatusText(const std::vector<PlanStatus>& plans, const StatusOptions& options);
/// Shape "duban.status/1" (documented in README.md).
std::string RenderStatusJson(const std::vector<PlanStatus>& plans, const StatusOptions& options);

}  // namespace duban
