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

/// The same document in pieces, so that a board over many plans holds one plan's status
/// at a time: Head(), then Plan() for each plan in order, then Tail(); concatenated they
/// are RenderStatusJson's bytes.
class StatusJsonPieces {
 public:
  explicit StatusJsonPieces(StatusOptions options) : options_(std::move(options)) {}
  std::string Head() const;
  std::string Plan(const PlanStatus& plan);
  /// Plan() in two steps: the plan's part by itself, then that part in its place.
  static std::string PlanPart(const PlanStatus& plan, const StatusOptions& options);
  std::string Place(const std::string& part);
  std::string Tail() const;

 private:
  StatusOptions options_;
  int plans_ = 0;
};

}  // namespace duban
