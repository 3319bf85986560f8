#include "engine/plan_render.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/json_writer.h"
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
  // Written as it is produced: a plan of ten thousand tasks is some twenty megabytes of
  // JSON, rendered at every load to be stored and hashed.
  std::string out;
  out.reserve(4096 + plan.units.size() * 256 + plan.tasks.size() * 1024);
  JsonWriter w(out);
  auto unit_ref = [&](const std::string& id) {
    w.BeginObject().Member("id", id).Member("name", UnitName(plan, id)).EndObject();
  };
  auto opt_date = [&](const std::optional<Date>& d) { w.StringOrNull(d.has_value(), d ? d->ToString() : ""); };

  w.BeginObject().Member("schema", "duban.plan/1");
  w.Key("plan").BeginObject().Member("id", plan.id).Member("title", plan.title).Member("issuer", plan.issuer);
  w.Key("doc_number").StringOrNull(!plan.doc_number.empty(), plan.doc_number);
  w.Key("issued");
  opt_date(plan.issued);
  w.Key("period").BeginObject().Member("start", plan.period_start.ToString()).Member("end", plan.period_end.ToString()).EndObject();
  w.Key("office");
  unit_ref(plan.office.id);
  w.Key("implements").StringOrNull(!plan.implements.empty(), plan.implements);
  w.Key("reporting").BeginObject().Member("cycle", ToString(plan.reporting.cycle)).Member("due_day", plan.reporting.due_day).EndObject();
  const Supervision& sv = plan.supervision;
  w.Key("supervision").BeginObject()
      .Member("warning_days", sv.warning_days)
      .Member("notice_after_days", sv.notice_after_days)
      .Member("bulletin_after_days", sv.bulletin_after_days)
      .Member("progress_tolerance", sv.progress_tolerance)
      .Member("missed_cycles_yellow", sv.missed_cycles_yellow)
      .Member("missed_cycles_red", sv.missed_cycles_red)
      .Member("repeated_misses", sv.repeated_misses)
      .EndObject();
  w.EndObject();
  if (!o.unit.empty()) {
    w.Key("unit");
    unit_ref(o.unit);
  }

  w.Key("units").BeginArray();
  for (const Unit& u : plan.units) {
    w.BeginObject().Member("id", u.id).Member("name", u.name);
    w.Key("aliases").BeginArray();
    for (const auto& a : u.aliases) w.String(a);
    w.EndArray().Member("kind", ToString(u.kind));
    w.Key("members").BeginArray();
    for (const Ref& m : u.members) w.String(m.id);
    w.EndArray();
    w.Key("contact").BeginObject().Member("email", u.contact.email).Member("webhook", u.contact.webhook)
        .Member("phone", u.contact.phone).EndObject();
    w.EndObject();
  }
  w.EndArray();

  w.Key("indicators").BeginArray();
  for (const Indicator& ind : plan.indicators) {
    auto m = [&](const Measurement& x) {
      w.BeginObject().Key("value").Double(x.value).Key("date");
      opt_date(x.date);
      w.EndObject();
    };
    w.BeginObject().Member("id", ind.id).Member("name", ind.name).Member("measure", ind.measure)
        .Member("kind", ToString(ind.kind)).Member("trajectory", ToString(ind.trajectory)).Key("baseline");
    if (ind.baseline) m(*ind.baseline);
    else w.Null();
    w.Key("target");
    m(ind.target);
    w.Member("owner", ind.owner.id).Member("cycle", ToString(ind.cycle)).Member("source", ind.source).EndObject();
  }
  w.EndArray();

  std::set<std::string> members;
  if (!o.unit.empty()) for (const auto& m : plan.ExpandUnit(o.unit)) members.insert(m);
  std::vector<bool> show = Visible(plan, o);
  std::vector<std::vector<const Assignment*>> assignments_of(plan.tasks.size());
  for (const Assignment& a : plan.assignments)
    if (a.task >= 0 && static_cast<size_t>(a.task) < plan.tasks.size()) assignments_of[a.task].push_back(&a);
  w.Key("tasks").BeginArray();
  for (size_t i = 0; i < plan.tasks.size(); ++i) {
    if (!show[i]) continue;
    const Task& t = plan.tasks[i];
    w.BeginObject().Member("id", t.id);
    w.Key("parent").StringOrNull(t.parent >= 0, t.parent >= 0 ? plan.tasks[t.parent].id : "");
    w.Member("depth", t.depth).Member("section", !t.is_leaf()).Member("title", t.title).Member("text", t.text)
        .Member("source", t.source).Member("start", t.start.ToString()).Member("due", t.due.ToString());
    if (t.is_leaf()) {
      w.Key("lead").BeginArray();
      for (const auto& id : plan.ResponsibleUnits(static_cast<int>(i), Role::kLead)) unit_ref(id);
      w.EndArray().Key("cooperate").BeginArray();
      for (const auto& id : plan.ResponsibleUnits(static_cast<int>(i), Role::kCooperate)) unit_ref(id);
      w.EndArray().Key("milestones").BeginArray();
      for (const Milestone& m : t.milestones) w.BeginObject().Member("title", m.title).Member("due", m.due.ToString()).EndObject();
      w.EndArray().Key("recurrence").BeginObject().Key("yearly").BeginArray();
      char buf[8];
      for (const MonthDay& d : t.recurrence.yearly) {
        std::snprintf(buf, sizeof buf, "%02d-%02d", d.month, d.day);
        w.String(buf);
      }
      w.EndArray().Member("ongoing", t.recurrence.ongoing).EndObject();
      w.Key("depends_on").BeginArray();
      for (const Ref& r : t.depends_on) w.String(r.id);
      w.EndArray().Key("indicators").BeginArray();
      for (const Ref& r : t.indicators) w.String(r.id);
      w.EndArray().Key("assignments").BeginArray();
      for (const Assignment* a : assignments_of[i]) {
        if (!members.empty() && !members.count(a->unit)) continue;
        w.BeginObject().Member("unit", a->unit).Member("name", UnitName(plan, a->unit)).Member("role", ToString(a->role));
        w.Key("via_group").StringOrNull(!a->via_group.empty(), a->via_group);
        w.Member("office_decision", a->office_decision).EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

}  // namespace duban
