#include "engine/plan_render.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/plan.h"
#include "engine/text.h"

namespace duban {
namespace {

std::string UnitName(const Plan& plan, const std::string& id) {
  const Unit* u = plan.FindUnit(id);
  return u ? u->name : id;
}

// "A、B、C" within `width` columns, else "A、B等5家" (or "A, B and 3 more").
std::string JoinNames(const std::vector<std::string>& names, int width, Lang lang) {
  const std::string sep = lang == Lang::kZh ? "、" : ", ";
  std::string all;
  for (size_t i = 0; i < names.size(); ++i) all += (i ? sep : "") + names[i];
  if (DisplayWidth(all) <= width) return all;
  if (names.size() == 1) return TruncateToWidth(all, width);
  for (size_t keep = names.size() - 1; keep >= 1; --keep) {
    std::string s;
    for (size_t i = 0; i < keep; ++i) s += (i ? sep : "") + names[i];
    s += lang == Lang::kZh ? "等" + std::to_string(names.size()) + "家"
                           : " and " + std::to_string(names.size() - keep) + " more";
    if (DisplayWidth(s) <= width) return s;
  }
  return TruncateToWidth(names.front(), width - 4) +
         (lang == Lang::kZh ? "等" + std::to_string(names.size()) + "家" : " +" + std::to_string(names.size() - 1));
}

std::vector<std::string> Names(const Plan& plan, const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(UnitName(plan, id));
  return out;
}

// The role of `unit` on leaf task `t`, if it has one.
const Assignment* AssignmentOf(const Plan& plan, int t, const std::string& unit) {
  for (const Assignment& a : plan.assignments)
    if (a.task == t && a.unit == unit) return &a;
  return nullptr;
}

// Which tasks to show: all, or the leaves the unit is assigned to and their ancestors.
std::vector<bool> Visible(const Plan& plan, const PlanViewOptions& o) {
  std::vector<bool> show(plan.tasks.size(), o.unit.empty());
  if (o.unit.empty()) return show;
  std::set<std::string> members;
  for (const auto& m : plan.ExpandUnit(o.unit)) members.insert(m);
  for (const Assignment& a : plan.assignments) {
    if (!members.count(a.unit)) continue;
    for (int t = a.task; t >= 0; t = plan.tasks[t].parent) show[t] = true;
  }
  return show;
}

std::string RoleName(Role r, Lang lang) {
  if (lang == Lang::kEn) return r == Role::kLead ? "lead" : "cooperate";
  return r == Role::kLead ? "牵头" : "配合";
}

}  // namespace

std::string RenderPlanTree(const Plan& plan, const PlanViewOptions& o) {
  const bool zh = o.lang == Lang::kZh;
  std::string out;
  out += plan.title + "\n";
  std::string meta = plan.issuer;
  if (!plan.doc_number.empty()) meta += " " + plan.doc_number;
  if (plan.issued) meta += (zh ? " · 成文日期 " : " · issued ") + plan.issued->ToString();
  meta += (zh ? " · 实施期 " : " · period ") + plan.period_start.ToString() + (zh ? " 至 " : " to ") +
          plan.period_end.ToString();
  out += meta + "\n";
  size_t sections = std::count_if(plan.tasks.begin(), plan.tasks.end(), [](const Task& t) { return !t.is_leaf(); });
  std::set<std::string> units;
  for (const Assignment& a : plan.assignments) units.insert(a.unit);
  if (zh) {
    out += "督办: " + UnitName(plan, plan.office.id) + " · " + std::to_string(sections) + " 个部分 " +
           std::to_string(plan.leaf_task_count()) + " 项任务 · " + std::to_string(units.size()) +
           " 个责任单位 · " + std::to_string(plan.indicators.size()) + " 项指标\n";
  } else {
    out += "office: " + UnitName(plan, plan.office.id) + " · " + std::to_string(sections) + " sections, " +
           std::to_string(plan.leaf_task_count()) + " tasks · " + std::to_string(units.size()) +
           " responsible units · " + std::to_string(plan.indicators.size()) + " indicators\n";
  }
  if (!o.unit.empty()) {
    out += (zh ? "单位: " : "unit: ") + UnitName(plan, o.unit) + " (" + o.unit + ")\n";
  }
  out += "\n";

  // Columns: id | title | [role] | lead | cooperate | due
  std::vector<bool> show = Visible(plan, o);
  struct Row { std::string id, title, role, lead, coop, due; };
  std::vector<Row> rows;
  const int lead_w = 32, coop_w = 32;
  for (size_t i = 0; i < plan.tasks.size(); ++i) {
    if (!show[i]) continue;
    const Task& t = plan.tasks[i];
    Row r;
    r.id = std::string(static_cast<size_t>(t.depth) * 2, ' ') + t.id;
    r.title = TruncateToWidth(t.title, o.title_width - 2 * t.depth);
    if (t.is_leaf()) {
      r.lead = JoinNames(Names(plan, plan.ResponsibleUnits(static_cast<int>(i), Role::kLead)), lead_w, o.lang);
      r.coop = JoinNames(Names(plan, plan.ResponsibleUnits(static_cast<int>(i), Role::kCooperate)), coop_w, o.lang);
      r.due = t.recurrence.ongoing ? (zh ? "常态化" : "ongoing") : t.due.ToString();
      if (!o.unit.empty()) {
        std::set<Role> roles;
        for (const auto& m : plan.ExpandUnit(o.unit))
          if (const Assignment* a = AssignmentOf(plan, static_cast<int>(i), m)) roles.insert(a->role);
        for (Role ro : roles) r.role += (r.role.empty() ? "" : "/") + RoleName(ro, o.lang);
      }
    }
    rows.push_back(std::move(r));
  }
  Row head = zh ? Row{"编号", "任务", "角色", "牵头单位", "配合单位", "完成时限"}
                : Row{"no.", "task", "role", "lead", "cooperating", "due"};
  auto width = [&](auto field) {
    int w = DisplayWidth(head.*field);
    for (const Row& r : rows) w = std::max(w, DisplayWidth(r.*field));
    return w;
  };
  int wi = width(&Row::id), wt = width(&Row::title), wr = width(&Row::role), wl = width(&Row::lead),
      wc = width(&Row::coop);
  auto line = [&](const Row& r) {
    std::string s = PadRight(r.id, wi) + "  " + PadRight(r.title, wt) + "  ";
    if (!o.unit.empty()) s += PadRight(r.role, wr) + "  ";
    s += PadRight(r.lead, wl) + "  " + PadRight(r.coop, wc) + "  " + r.due;
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  out += line(head);
  for (const Row& r : rows) out += line(r);
  if (rows.empty()) out += zh ? "(该单位在本方案中没有任务)\n" : "(no tasks for this unit in this plan)\n";
  return out;
}

std::string RenderPlanJson(const Plan& plan, const PlanViewOptions& o) {
  using json = nlohmann::ordered_json;
  auto unit_ref = [&](const std::string& id) { return json{{"id", id}, {"name", UnitName(plan, id)}}; };
  auto opt_date = [](const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); };

  json meta = {
      {"id", plan.id}, {"title", plan.title}, {"issuer", plan.issuer},
      {"doc_number", plan.doc_number.empty() ? json(nullptr) : json(plan.doc_number)},
      {"issued", opt_date(plan.issued)},
      {"period", {{"start", plan.period_start.ToString()}, {"end", plan.period_end.ToString()}}},
      {"office", unit_ref(plan.office.id)},
      {"implements", plan.implements.empty() ? json(nullptr) : json(plan.implements)},
      {"reporting", {{"cycle", ToString(plan.reporting.cycle)}, {"due_day", plan.reporting.due_day}}},
      {"supervision",
       {{"warning_days", plan.supervision.warning_days},
        {"notice_after_days", plan.supervision.notice_after_days},
        {"bulletin_after_days", plan.supervision.bulletin_after_days},
        {"progress_tolerance", plan.supervision.progress_tolerance},
        {"missed_cycles_yellow", plan.supervision.missed_cycles_yellow},
        {"missed_cycles_red", plan.supervision.missed_cycles_red},
        {"repeated_misses", plan.supervision.repeated_misses}}},
  };

  json units = json::array();
  for (const Unit& u : plan.units) {
    json members = json::array();
    for (const Ref& m : u.members) members.push_back(m.id);
    units.push_back({{"id", u.id}, {"name", u.name}, {"aliases", u.aliases}, {"kind", ToString(u.kind)},
                     {"members", members},
                     {"contact", {{"email", u.contact.email}, {"webhook", u.contact.webhook}, {"phone", u.contact.phone}}}});
  }

  json indicators = json::array();
  for (const Indicator& ind : plan.indicators) {
    auto m = [&](const Measurement& x) { return json{{"value", x.value}, {"date", opt_date(x.date)}}; };
    indicators.push_back({{"id", ind.id}, {"name", ind.name}, {"measure", ind.measure},
                          {"kind", ToString(ind.kind)}, {"trajectory", ToString(ind.trajectory)},
                          {"baseline", ind.baseline ? m(*ind.baseline) : json(nullptr)},
                          {"target", m(ind.target)}, {"owner", ind.owner.id},
                          {"cycle", ToString(ind.cycle)}, {"source", ind.source}});
  }

  std::set<std::string> members;
  if (!o.unit.empty()) for (const auto& m : plan.ExpandUnit(o.unit)) members.insert(m);
  std::vector<bool> show = Visible(plan, o);
  std::vector<std::vector<const Assignment*>> assignments_of(plan.tasks.size());
  for (const Assignment& a : plan.assignments)
    if (a.task >= 0 && static_cast<size_t>(a.task) < plan.tasks.size()) assignments_of[a.task].push_back(&a);
  json tasks = json::array();
  for (size_t i = 0; i < plan.tasks.size(); ++i) {
    if (!show[i]) continue;
    const Task& t = plan.tasks[i];
    json j = {{"id", t.id}, {"parent", t.parent >= 0 ? json(plan.tasks[t.parent].id) : json(nullptr)},
              {"depth", t.depth}, {"section", !t.is_leaf()}, {"title", t.title}, {"text", t.text},
              {"source", t.source}, {"start", t.start.ToString()}, {"due", t.due.ToString()}};
    if (t.is_leaf()) {
      json lead = json::array(), coop = json::array(), deps = json::array(), inds = json::array(),
           ms = json::array(), assigned = json::array(), yearly = json::array();
      for (const auto& id : plan.ResponsibleUnits(static_cast<int>(i), Role::kLead)) lead.push_back(unit_ref(id));
      for (const auto& id : plan.ResponsibleUnits(static_cast<int>(i), Role::kCooperate)) coop.push_back(unit_ref(id));
      for (const Ref& r : t.depends_on) deps.push_back(r.id);
      for (const Ref& r : t.indicators) inds.push_back(r.id);
      for (const Milestone& m : t.milestones) ms.push_back({{"title", m.title}, {"due", m.due.ToString()}});
      char buf[8];
      for (const MonthDay& d : t.recurrence.yearly) {
        std::snprintf(buf, sizeof buf, "%02d-%02d", d.month, d.day);
        yearly.push_back(buf);
      }
      for (const Assignment* a : assignments_of[i]) {
        if (!members.empty() && !members.count(a->unit)) continue;
        assigned.push_back({{"unit", a->unit}, {"name", UnitName(plan, a->unit)}, {"role", ToString(a->role)},
                            {"via_group", a->via_group.empty() ? json(nullptr) : json(a->via_group)},
                            {"office_decision", a->office_decision}});
      }
      j["lead"] = std::move(lead);
      j["cooperate"] = std::move(coop);
      j["milestones"] = std::move(ms);
      j["recurrence"] = {{"yearly", std::move(yearly)}, {"ongoing", t.recurrence.ongoing}};
      j["depends_on"] = std::move(deps);
      j["indicators"] = std::move(inds);
      j["assignments"] = std::move(assigned);
    }
    tasks.push_back(std::move(j));
  }

  json out = json::object();
  out["schema"] = "duban.plan/1";
  out["plan"] = std::move(meta);
  if (!o.unit.empty()) out["unit"] = unit_ref(o.unit);
  out["units"] = std::move(units);
  out["indicators"] = std::move(indicators);
  out["tasks"] = std::move(tasks);
  std::string text = out.dump(2);
  text += '\n';
  return text;
}

}  // namespace duban
