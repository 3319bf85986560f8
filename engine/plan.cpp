#include "engine/plan.h"

#include <algorithm>
#include <functional>
#include <set>

#include "engine/text.h"

namespace duban {

const char* ToString(UnitKind k) {
  switch (k) {
    case UnitKind::kDepartment: return "department";
    case UnitKind::kGovernment: return "government";
    case UnitKind::kJudicial: return "judicial";
    case UnitKind::kUniversity: return "university";
    case UnitKind::kEnterprise: return "enterprise";
    case UnitKind::kAssociation: return "association";
    case UnitKind::kOffice: return "office";
    case UnitKind::kGroup: return "group";
    case UnitKind::kOther: return "other";
  }
  return "other";
}
const char* ToString(Role r) { return r == Role::kLead ? "lead" : "cooperate"; }
const char* ToString(IndicatorKind k) {
  switch (k) {
    case IndicatorKind::kAtLeast: return "at_least";
    case IndicatorKind::kAtMost: return "at_most";
    case IndicatorKind::kAnnualGrowth: return "annual_growth";
    case IndicatorKind::kCumulative: return "cumulative";
    case IndicatorKind::kRatio: return "ratio";
  }
  return "at_least";
}
const char* ToString(Trajectory t) { return t == Trajectory::kLinear ? "linear" : "compound"; }
const char* ToString(Cycle c) {
  switch (c) {
    case Cycle::kWeekly: return "weekly";
    case Cycle::kMonthly: return "monthly";
    case Cycle::kQuarterly: return "quarterly";
    case Cycle::kYearly: return "yearly";
  }
  return "monthly";
}

void Plan::BuildIndex() {
  unit_index_.clear();
  indicator_index_.clear();
  task_index_.clear();
  for (size_t i = 0; i < units.size(); ++i) unit_index_.emplace(units[i].id, i);
  for (size_t i = 0; i < indicators.size(); ++i) indicator_index_.emplace(indicators[i].id, i);
  for (size_t i = 0; i < tasks.size(); ++i) task_index_.emplace(tasks[i].id, i);
}

const Unit* Plan::FindUnit(std::string_view id) const {
  auto it = unit_index_.find(std::string(id));
  if (it != unit_index_.end()) return &units[it->second];
  if (unit_index_.empty()) for (const auto& u : units) if (u.id == id) return &u;
  return nullptr;
}

const Indicator* Plan::FindIndicator(std::string_view id) const {
  auto it = indicator_index_.find(std::string(id));
  if (it != indicator_index_.end()) return &indicators[it->second];
  if (indicator_index_.empty()) for (const auto& i : indicators) if (i.id == id) return &i;
  return nullptr;
}

int Plan::FindTask(std::string_view id) const {
  auto it = task_index_.find(std::string(id));
  if (it != task_index_.end()) return static_cast<int>(it->second);
  if (task_index_.empty())
    for (size_t i = 0; i < tasks.size(); ++i) if (tasks[i].id == id) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> Plan::ExpandUnit(std::string_view unit_id) const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::function<void(std::string_view)> walk = [&](std::string_view id) {
    if (!seen.insert(std::string(id)).second) return;  // cycles are reported by the checker
    const Unit* u = FindUnit(id);
    if (!u || !u->is_group()) {
      out.emplace_back(id);
      return;
    }
    for (const Ref& m : u->members) if (!m.id.empty()) walk(m.id);
  };
  walk(unit_id);
  return out;
}

Result<std::string> Plan::ResolveUnit(std::string_view text) const {
  if (FindUnit(text)) return std::string(text);
  std::string key = NormalizeName(text);
  std::vector<std::string> ids, names;
  for (const Unit& u : units) {
    ids.push_back(u.id);
    names.push_back(u.name);
    if (NormalizeName(u.name) == key) return u.id;
    for (const auto& a : u.aliases) {
      if (NormalizeName(a) == key) return u.id;
      names.push_back(a);
    }
  }
  std::string msg = "unknown unit '" + std::string(text) + "' in plan '" + id + "'";
  auto guess = IsSlug(text) ? ClosestMatch(text, ids) : ClosestMatch(text, names);
  if (guess) msg += ", did you mean '" + *guess + "'?";
  return Status::NotFound(msg);
}

std::vector<std::string> Plan::ResponsibleUnits(int task, Role role) const {
  std::vector<std::string> out;
  auto add = [&](const std::vector<Ref>& refs) {
    for (const Ref& r : refs)
      if (!r.id.empty() && std::find(out.begin(), out.end(), r.id) == out.end()) out.push_back(r.id);
  };
  for (int a = task; a >= 0; a = tasks[a].parent) {
    const auto& refs = role == Role::kLead ? tasks[a].lead : tasks[a].cooperate;
    if (!refs.empty()) { add(refs); break; }
  }
  for (int r : tasks[task].rules) {
    if (rules[r].role == role) add(rules[r].units);
  }
  return out;
}

size_t Plan::leaf_task_count() const {
  return std::count_if(tasks.begin(), tasks.end(), [](const Task& t) { return t.is_leaf(); });
}

}  // namespace duban
