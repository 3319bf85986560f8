#include "engine/resolver.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/graph.h"
#include "engine/text.h"

namespace duban {
namespace {

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

class Resolver {
 public:
  Resolver(Plan& plan, Diagnostics& diags) : plan_(plan), diags_(diags) {}

  void Run() {
    IndexUnits();
    plan_.BuildIndex();
    ResolveUnitRefs();
    CheckGroupCycles();
    IndexTasksAndIndicators();
    ResolveDates();
    ResolveTaskRefs();
    ResolveRules();
    CheckIndicators();
    BuildAssignments();
    CheckDependencies();
  }

 private:
  // ----- units -----------------------------------------------------------------

  void IndexUnits() {
    std::unordered_map<std::string, const Unit*> by_id;
    for (const Unit& u : plan_.units) {
      auto [it, fresh] = by_id.emplace(u.id, &u);
      if (!fresh) {
        diags_.Error(u.location, "duplicate unit id " + Quote(u.id) + " (first defined at " +
                                     Where(it->second->location) + ")");
        continue;
      }
      unit_ids_.push_back(u.id);
      AddName(u, u.name);
      for (const auto& a : u.aliases) AddName(u, a);
    }
  }

  void AddName(const Unit& u, const std::string& name) {
    if (name.empty()) return;
    std::string key = NormalizeName(name);
    auto [it, fresh] = by_name_.emplace(key, u.id);
    if (!fresh && it->second != u.id) {
      diags_.Error(u.location, "name " + Quote(name) + " of unit " + Quote(u.id) +
                                   " is already used by unit " + Quote(it->second));
      return;
    }
    if (fresh) unit_names_.push_back(name);
  }

  static std::string Where(const Location& l) {
    return (l.file ? l.file->name : std::string("?")) + ":" + std::to_string(l.line);
  }

  // Resolves an id, a name or an alias; reports and returns false if unknown.
  bool ResolveUnit(Ref& r, std::string_view what = "unit") {
    if (plan_.FindUnit(r.text)) { r.id = r.text; return true; }
    auto it = by_name_.find(NormalizeName(r.text));
    if (it != by_name_.end()) { r.id = it->second; return true; }
    std::string msg = "unknown " + std::string(what) + " " + Quote(r.text);
    auto guess = IsSlug(r.text) ? ClosestMatch(r.text, unit_ids_) : ClosestMatch(r.text, unit_names_);
    if (guess) msg += ", did you mean " + Quote(*guess) + "?";
    diags_.Error(r.location, msg);
    return false;
  }

  void ResolveUnitRefs() {
    for (Unit& u : plan_.units) {
      for (Ref& m : u.members) ResolveUnit(m, "member unit");
    }
    if (!plan_.office.text.empty()) ResolveUnit(plan_.office, "office unit");
  }

  void CheckGroupCycles() {
    std::map<std::string, int> state;  // 1 = on the path, 2 = done
    std::vector<std::string> path;
    std::set<std::string> reported;
    std::function<void(const Unit&)> visit = [&](const Unit& u) {
      state[u.id] = 1;
      path.push_back(u.id);
      for (const Ref& m : u.members) {
        if (m.id.empty()) continue;
        const Unit* v = plan_.FindUnit(m.id);
        if (!v || !v->is_group()) continue;
        if (state[v->id] == 1) {
          auto start = std::find(path.begin(), path.end(), v->id);
          std::string cycle;
          for (auto i = start; i != path.end(); ++i) cycle += *i + " -> ";
          cycle += v->id;
          if (reported.insert(v->id).second)
            diags_.Error(m.location, "unit group " + Quote(v->id) + " contains itself: " + cycle);
        } else if (state[v->id] == 0) {
          visit(*v);
        }
      }
      path.pop_back();
      state[u.id] = 2;
    };
    for (const Unit& u : plan_.units) {
      if (u.is_group() && state[u.id] == 0) visit(u);
    }
  }

  // ----- tasks and indicators ----------------------------------------------------

  void IndexTasksAndIndicators() {
    std::unordered_map<std::string, int> tasks;
    for (size_t i = 0; i < plan_.tasks.size(); ++i) {
      const Task& t = plan_.tasks[i];
      if (t.id.empty()) continue;
      auto [it, fresh] = tasks.emplace(t.id, static_cast<int>(i));
      if (!fresh) {
        diags_.Error(t.location, "duplicate task id " + Quote(t.id) + " (first used at " +
                                     Where(plan_.tasks[it->second].location) + ")");
      } else {
        task_ids_.push_back(t.id);
      }
    }
    std::unordered_map<std::string, const Indicator*> inds;
    for (const Indicator& ind : plan_.indicators) {
      auto [it, fresh] = inds.emplace(ind.id, &ind);
      if (!fresh) {
        diags_.Error(ind.location, "duplicate indicator id " + Quote(ind.id) + " (first defined at " +
                                       Where(it->second->location) + ")");
      } else {
        indicator_ids_.push_back(ind.id);
      }
    }
    plan_.BuildIndex();
  }

  bool InPeriod(Date d) const { return d >= plan_.period_start && d <= plan_.period_end; }
  std::string PeriodText() const {
    return plan_.period_start.ToString() + " to " + plan_.period_end.ToString();
  }

  void ResolveDates() {
    for (Task& t : plan_.tasks) {
      // A subtask without dates takes its parent's; the top level takes the period's.
      Date pstart = t.parent >= 0 ? plan_.tasks[t.parent].start : plan_.period_start;
      Date pdue = t.parent >= 0 ? plan_.tasks[t.parent].due : plan_.period_end;
      t.start = t.start_as_written.value_or(pstart);
      t.due = t.due_as_written.value_or(pdue);
      if (t.start_as_written && !InPeriod(*t.start_as_written))
        diags_.Error(t.location, "task " + Quote(t.id) + " starts " + t.start.ToString() +
                                     ", outside the plan period " + PeriodText());
      if (t.due_as_written && !InPeriod(*t.due_as_written))
        diags_.Error(t.location, "task " + Quote(t.id) + " is due " + t.due.ToString() +
                                     ", outside the plan period " + PeriodText());
      if (t.due < t.start)
        diags_.Error(t.location, "task " + Quote(t.id) + " is due " + t.due.ToString() +
                                     " before it starts " + t.start.ToString());
      for (const Milestone& m : t.milestones) {
        if (m.due < t.start || m.due > t.due)
          diags_.Error(m.location, "milestone " + Quote(m.title) + " is due " + m.due.ToString() +
                                       ", outside its task's span " + t.start.ToString() + " to " +
                                       t.due.ToString());
      }
    }
  }

  void ResolveTaskRef(Ref& r, std::string_view what) {
    if (plan_.FindTask(r.text) >= 0) { r.id = r.text; return; }
    std::string msg = "unknown task " + Quote(r.text) + " in " + std::string(what);
    if (auto g = ClosestMatch(r.text, task_ids_)) msg += ", did you mean " + Quote(*g) + "?";
    diags_.Error(r.location, msg);
  }

  void ResolveTaskRefs() {
    for (Task& t : plan_.tasks) {
      for (Ref& r : t.lead) ResolveUnit(r);
      for (Ref& r : t.cooperate) ResolveUnit(r);
      for (Ref& r : t.depends_on) {
        ResolveTaskRef(r, "depends_on");
        int dep = plan_.FindTask(r.id);
        if (dep >= 0 && !plan_.tasks[dep].is_leaf()) {
          diags_.Error(r.location, "depends_on names section " + Quote(r.id) +
                                       "; name the task within it that must finish first");
          r.id.clear();
        }
      }
      if (!t.depends_on.empty() && !t.is_leaf())
        diags_.Error(t.location, "section " + Quote(t.id) + " has depends_on; put it on its tasks");
      for (Ref& r : t.indicators) {
        if (plan_.FindIndicator(r.text)) { r.id = r.text; continue; }
        std::string msg = "unknown indicator " + Quote(r.text);
        if (auto g = ClosestMatch(r.text, indicator_ids_)) msg += ", did you mean " + Quote(*g) + "?";
        diags_.Error(r.location, msg);
      }
    }
  }

  void ResolveRules() {
    for (Rule& r : plan_.rules) {
      for (Ref& u : r.units) ResolveUnit(u);
      for (Ref& t : r.task_list) ResolveTaskRef(t, "a rule");
      if (r.range_from) ResolveTaskRef(*r.range_from, "a rule's range");
      if (r.range_to) ResolveTaskRef(*r.range_to, "a rule's range");
      if (r.range_from && r.range_to && !r.range_from->id.empty() && !r.range_to->id.empty() &&
          plan_.FindTask(r.range_to->id) < plan_.FindTask(r.range_from->id)) {
        diags_.Error(r.range_to->location, "rule range ends at task " + Quote(r.range_to->id) +
                                               ", which comes before " + Quote(r.range_from->id));
      }
    }
  }

  void CheckIndicators() {
    for (Indicator& ind : plan_.indicators) {
      if (!ind.owner.text.empty()) ResolveUnit(ind.owner, "owner unit");
      const Measurement& t = ind.target;
      if (t.date && !InPeriod(*t.date))
        diags_.Error(t.location, "target date " + t.date->ToString() + " of indicator " + Quote(ind.id) +
                                     " is outside the plan period " + PeriodText());
      if (ind.baseline && ind.baseline->date && t.date && *ind.baseline->date >= *t.date)
        diags_.Error(ind.baseline->location, "baseline date " + ind.baseline->date->ToString() +
                                                 " of indicator " + Quote(ind.id) + " is not before its target date " +
                                                 t.date->ToString());
      if (ind.kind == IndicatorKind::kRatio && (t.value < 0 || t.value > 100))
        diags_.Error(t.location, "indicator " + Quote(ind.id) + " is a ratio: its target must be 0–100 (%)");
      if (ind.trajectory == Trajectory::kCompound && ind.kind != IndicatorKind::kAnnualGrowth &&
          ind.baseline && ind.baseline->value <= 0)
        diags_.Error(ind.baseline->location, "indicator " + Quote(ind.id) +
                                                 " grows compound from a baseline that must be above 0");
    }
  }

  // ----- assignments -------------------------------------------------------------

  void BuildAssignments() {
    // Rules apply to every leaf inside the tasks they select.
    std::vector<std::vector<int>> rules_of(plan_.tasks.size());
    for (size_t ri = 0; ri < plan_.rules.size(); ++ri) {
      const Rule& r = plan_.rules[ri];
      std::vector<int> selected;
      if (r.all) {
        for (size_t i = 0; i < plan_.tasks.size(); ++i) selected.push_back(static_cast<int>(i));
      } else if (r.range_from && r.range_to) {
        int a = plan_.FindTask(r.range_from->id), b = plan_.FindTask(r.range_to->id);
        if (a >= 0 && b >= a) {
          // Through the end of `b`'s subtree.
          int end = b;
          while (end + 1 < static_cast<int>(plan_.tasks.size()) && plan_.tasks[end + 1].depth > plan_.tasks[b].depth)
            ++end;
          for (int i = a; i <= end; ++i) selected.push_back(i);
        }
      } else {
        for (const Ref& t : r.task_list) {
          int i = plan_.FindTask(t.id);
          if (i >= 0) AddSubtree(i, selected);
        }
      }
      for (int i : selected) {
        if (plan_.tasks[i].is_leaf() &&
            std::find(rules_of[i].begin(), rules_of[i].end(), static_cast<int>(ri)) == rules_of[i].end())
          rules_of[i].push_back(static_cast<int>(ri));
      }
    }
    for (size_t i = 0; i < plan_.tasks.size(); ++i) plan_.tasks[i].rules = rules_of[i];

    for (size_t i = 0; i < plan_.tasks.size(); ++i) {
      const Task& t = plan_.tasks[i];
      if (!t.is_leaf()) continue;
      const std::vector<Ref>* lead = nullptr;
      const std::vector<Ref>* coop = nullptr;
      bool office = false;
      for (int a = static_cast<int>(i); a >= 0; a = plan_.tasks[a].parent) {
        const Task& anc = plan_.tasks[a];
        if (!lead && !anc.lead.empty()) lead = &anc.lead;
        if (!coop && !anc.cooperate.empty()) coop = &anc.cooperate;
        office = office || anc.office_decision;
      }
      std::vector<Assignment> out;
      std::set<std::string> have;
      auto add = [&](const Ref& r, Role role, int rule) {
        if (r.id.empty()) return;
        const Unit* u = plan_.FindUnit(r.id);
        std::string via = u && u->is_group() ? u->id : "";
        for (const std::string& unit : plan_.ExpandUnit(r.id)) {
          if (!have.insert(unit).second) continue;  // lead wins over cooperate
          out.push_back({static_cast<int>(i), unit, role, office, via, rule});
        }
      };
      if (lead) for (const Ref& r : *lead) add(r, Role::kLead, -1);
      for (int ri : rules_of[i]) {
        if (plan_.rules[ri].role == Role::kLead)
          for (const Ref& r : plan_.rules[ri].units) add(r, Role::kLead, ri);
      }
      if (coop) for (const Ref& r : *coop) add(r, Role::kCooperate, -1);
      for (int ri : rules_of[i]) {
        if (plan_.rules[ri].role == Role::kCooperate)
          for (const Ref& r : plan_.rules[ri].units) add(r, Role::kCooperate, ri);
      }
      bool has_lead = std::any_of(out.begin(), out.end(), [](const Assignment& a) { return a.role == Role::kLead; });
      bool lead_unresolved = t.lead_unreadable ||
          (lead && std::any_of(lead->begin(), lead->end(), [](const Ref& r) { return r.id.empty(); }));
      if (!has_lead && !lead_unresolved)
        diags_.Error(t.location, "task " + Quote(t.id) + " has no lead unit");
      plan_.assignments.insert(plan_.assignments.end(), out.begin(), out.end());
    }
  }

  void AddSubtree(int i, std::vector<int>& out) {
    out.push_back(i);
    for (int c : plan_.tasks[i].children) AddSubtree(c, out);
  }

  // ----- dependencies --------------------------------------------------------------

  std::string Describe(int i) const {
    return plan_.tasks[i].id + " (" + plan_.tasks[i].title + ")";
  }

  void CheckDependencies() {
    DependencyGraph g = BuildDependencyGraph(plan_);
    std::vector<int> cycle = g.FindCycle();
    if (!cycle.empty()) {
      std::string path;
      for (size_t k = 0; k < cycle.size(); ++k) path += (k ? " -> " : "") + Describe(cycle[k]);
      diags_.Error(plan_.tasks[cycle.front()].location, "dependency cycle: " + path);
      return;  // dates along a cycle cannot be ordered
    }
    for (const Task& t : plan_.tasks) {
      for (const Ref& r : t.depends_on) {
        int dep = plan_.FindTask(r.id);
        if (dep < 0) continue;
        const Task& d = plan_.tasks[dep];
        if (t.due < d.due)
          diags_.Error(r.location, "task " + Quote(t.id) + " is due " + t.due.ToString() +
                                       ", before task " + Quote(d.id) + " it depends on (due " +
                                       d.due.ToString() + ")");
      }
    }
  }

  Plan& plan_;
  Diagnostics& diags_;
  std::unordered_map<std::string, std::string> by_name_;  // normalised name → unit id
  std::vector<std::string> unit_ids_, unit_names_, task_ids_, indicator_ids_;
};

}  // namespace

void ResolvePlan(Plan& plan, Diagnostics& diags) { Resolver(plan, diags).Run(); }

}  // namespace duban
