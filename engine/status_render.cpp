#include "engine/status_render.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/text.h"
#include "engine/workflow.h"

namespace duban {
namespace {

using json = nlohmann::ordered_json;

struct Counts {
  int red = 0, yellow = 0, green = 0;
  void Add(Light l) { (l == Light::kRed ? red : l == Light::kYellow ? yellow : green)++; }
  int total() const { return red + yellow + green; }
};

std::string Reasons(const std::vector<Reason>& rs, bool zh) {
  std::string s;
  for (const auto& r : rs) s += (s.empty() ? "" : zh ? ";" : "; ") + (zh ? r.zh : r.en);
  return s;
}

bool Shown(const AssignmentStatusView& s, const StatusOptions& o) { return o.unit.empty() || s.assignment->unit == o.unit; }

}  // namespace

std::string RenderStatusText(const std::vector<PlanStatus>& plans, const StatusOptions& o) {
  const bool zh = o.lang == Lang::kZh;
  std::string out;
  for (const PlanStatus& ps : plans) {
    const PlanSnapshot& p = *ps.plan;
    out += (zh ? "督办看板 " : "Supervision board ") + ps.today.ToString() + "  " + p.title + " (" + p.id + ")\n";
    Counts tasks, assigns;
    std::vector<const TaskStatusView*> shown_tasks;
    for (const auto& t : ps.tasks) {
      bool has = o.unit.empty();
      for (int ai : t.assignments) has = has || Shown(ps.assignments[ai], o);
      if (!has) continue;
      shown_tasks.push_back(&t);
      tasks.Add(t.light);
    }
    for (const auto& s : ps.assignments)
      if (Shown(s, o)) assigns.Add(s.light);
    if (!o.unit.empty()) {
      std::string name = o.unit;
      for (const auto& s : ps.assignments)
        if (s.assignment->unit == o.unit) name = s.assignment->unit_name;
      out += (zh ? "单位: " : "unit: ") + name + " (" + o.unit + ")\n";
    }
    char line[256];
    std::snprintf(line, sizeof line, zh ? "任务 %d 项: 红灯 %d  黄灯 %d  绿灯 %d    分工 %d 条: 红 %d  黄 %d  绿 %d\n"
                                        : "tasks %d: red %d  yellow %d  green %d    assignments %d: red %d  yellow %d  green %d\n",
                  tasks.total(), tasks.red, tasks.yellow, tasks.green, assigns.total(), assigns.red, assigns.yellow,
                  assigns.green);
    out += line;

    // By section.
    std::map<std::string, std::pair<Counts, std::pair<int, int>>> sections;  // parent → counts, (sum progress, n)
    std::vector<std::string> order;
    for (const TaskStatusView* t : shown_tasks) {
      const auto& row = p.tasks[t->task];
      if (!sections.count(row.parent)) order.push_back(row.parent);
      auto& e = sections[row.parent];
      e.first.Add(t->light);
      e.second.first += t->progress;
      e.second.second += 1;
    }
    if (!order.empty()) {
      std::vector<std::vector<std::string>> rows;
      for (const auto& sec : order) {
        std::string title = sec;
        for (const auto& row : p.tasks)
          if (row.id == sec) title = sec + " " + TruncateToWidth(row.title, 30);
        if (sec.empty()) title = zh ? "(未分部分)" : "(no section)";
        const auto& e = sections[sec];
        rows.push_back({title, std::to_string(e.first.total()), std::to_string(e.first.red), std::to_string(e.first.yellow),
                        std::to_string(e.first.green), std::to_string(e.second.first / std::max(1, e.second.second)) + "%"});
      }
      out += zh ? "\n按部分\n" : "\nby section\n";
      out += AlignColumns(zh ? std::vector<std::string>{"部分", "任务", "红", "黄", "绿", "平均进度"}
                      : std::vector<std::string>{"section", "tasks", "red", "yellow", "green", "progress"},
                   rows, "  ");
    }

    // By unit.
    std::map<std::string, std::pair<std::string, std::vector<int>>> units;  // id → name, counts
    for (const auto& s : ps.assignments) {
      if (!Shown(s, o)) continue;
      auto& u = units[s.assignment->unit];
      if (u.second.empty()) u = {s.assignment->unit_name, std::vector<int>(6, 0)};
      u.second[0]++;
      u.second[s.light == Light::kRed ? 1 : s.light == Light::kYellow ? 2 : 3]++;
      if (s.days_overdue > 0) u.second[4]++;
      if (s.missed_cycles > 0) u.second[5]++;
    }
    std::vector<std::pair<std::string, std::pair<std::string, std::vector<int>>>> urows(units.begin(), units.end());
    std::stable_sort(urows.begin(), urows.end(), [](const auto& a, const auto& b) {
      if (a.second.second[1] != b.second.second[1]) return a.second.second[1] > b.second.second[1];
      return a.second.second[2] > b.second.second[2];
    });
    std::vector<std::vector<std::string>> rows;
    for (const auto& [id, u] : urows)
      rows.push_back({u.first, std::to_string(u.second[0]), std::to_string(u.second[1]), std::to_string(u.second[2]),
                      std::to_string(u.second[3]), std::to_string(u.second[4]), std::to_string(u.second[5])});
    out += zh ? "\n按单位\n" : "\nby unit\n";
    out += AlignColumns(zh ? std::vector<std::string>{"单位", "分工", "红", "黄", "绿", "逾期", "欠报"}
                    : std::vector<std::string>{"unit", "assignments", "red", "yellow", "green", "overdue", "missed"},
                 rows, "  ");

    // Red and yellow items with their reasons: tasks, or with --unit the unit's own
    // assignments.
    for (Light light : {Light::kRed, Light::kYellow}) {
      out += light == Light::kRed ? (zh ? "\n红灯事项\n" : "\nred items\n") : (zh ? "\n黄灯事项\n" : "\nyellow items\n");
      int n = 0;
      if (o.unit.empty()) {
        for (const TaskStatusView* t : shown_tasks) {
          if (t->light != light) continue;
          ++n;
          const auto& row = p.tasks[t->task];
          out += "  " + row.id + " " + TruncateToWidth(row.title, 30) + " — " + Reasons(t->reasons, zh) + "\n";
        }
      } else {
        for (const auto& s : ps.assignments) {
          if (!Shown(s, o) || s.light != light) continue;
          ++n;
          out += "  " + s.assignment->task + " " + TruncateToWidth(s.assignment->task_title, 30) + " — " +
                 Reasons(s.reasons, zh) + "\n";
        }
      }
      if (n == 0) out += zh ? "  (无)\n" : "  (none)\n";
    }
    for (const TaskStatusView* t : shown_tasks) {
      if (!t->waiting_days) continue;
      std::string names;
      for (size_t i = 0; i < t->waiting_on.size() && i < 3; ++i) names += (i ? "、" : "") + t->waiting_on[i];
      out += (zh ? "  等待配合: " : "  waiting: ") + p.tasks[t->task].id + (zh ? " 已等待 " : " for ") +
             std::to_string(*t->waiting_days) + (zh ? " 天: " : " days on ") + names + "\n";
    }
    if (!ps.critical_path.empty()) {
      int days = 0;
      for (const auto& id : ps.critical_path)
        for (const auto& row : p.tasks)
          if (row.id == id && !row.ongoing) days += std::max(0, row.due - std::max(ps.today, row.start));
      out += zh ? "\n关键路径(未完成工作中最长的依赖链): " : "\ncritical path (longest chain of unfinished work): ";
      for (size_t i = 0; i < ps.critical_path.size(); ++i) out += (i ? " → " : "") + ps.critical_path[i];
      out += zh ? ",剩余 " + std::to_string(days) + " 天\n" : ", " + std::to_string(days) + " days left\n";
    }

    // Indicators (the unit's own, with --unit).
    std::vector<std::vector<std::string>> irows;
    for (const auto& iv : ps.indicators) {
      const IndicatorView& ind = *iv.indicator;
      if (!o.unit.empty() && ind.owner != o.unit) continue;
      std::string state = zh ? (iv.state == IndicatorState::kOnTrack   ? "正常"
                                : iv.state == IndicatorState::kAtRisk  ? "有风险"
                                : iv.state == IndicatorState::kOffTrack ? "滞后"
                                                                        : "无数据")
                             : ToString(iv.state);
      if (iv.stale) state += zh ? "·欠报" : ", stale";
      irows.push_back({TruncateToWidth(ind.name, 26), ind.baseline_value ? FormatNumber(*ind.baseline_value) : "-",
                       iv.latest ? FormatNumber(*iv.latest) + " (" + iv.latest_as_of->ToString() + ")" : "-",
                       FormatNumber(ind.target_value) + ind.measure,
                       iv.expected ? FormatNumber(*iv.expected) : "-",
                       iv.covered ? std::to_string(static_cast<int>(std::lround(*iv.covered * 100))) + "%/" +
                                        std::to_string(static_cast<int>(std::lround(iv.time_elapsed * 100))) + "%"
                                  : "-",
                       iv.projection ? FormatNumber(*iv.projection) : "-", state});
    }
    if (!irows.empty()) {
      out += zh ? "\n指标\n" : "\nindicators\n";
      out += AlignColumns(zh ? std::vector<std::string>{"指标", "基期值", "最新值(截至)", "目标", "应达", "完成度/时间", "预测", "状态"}
                      : std::vector<std::string>{"indicator", "baseline", "latest (as of)", "target", "expected",
                                                 "covered/time", "projected", "state"},
                   irows, "  ");
    }
    out += "\n";
  }
  if (plans.empty()) out = zh ? "(尚未载入方案)\n" : "(no plan loaded)\n";
  return out;
}

namespace {

// One plan's object of "duban.status/1".
json StatusPlanJson(const PlanStatus& ps, const StatusOptions& o) {
  auto reasons = [](const std::vector<Reason>& rs) {
    json a = json::array();
    for (const auto& r : rs) a.push_back({{"code", r.code}, {"zh", r.zh}, {"en", r.en}});
    return a;
  };
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  const PlanSnapshot& p = *ps.plan;
  json tasks = json::array(), assigns = json::array(), inds = json::array();
  Counts tc, ac;
  for (const auto& t : ps.tasks) {
    bool has = o.unit.empty();
    for (int ai : t.assignments) has = has || Shown(ps.assignments[ai], o);
    if (!has) continue;
    tc.Add(t.light);
    const auto& row = p.tasks[t.task];
    tasks.push_back({{"task", row.id}, {"title", row.title}, {"section", row.parent}, {"state", ToString(t.state)},
                     {"progress", t.progress}, {"light", ToString(t.light)}, {"reasons", reasons(t.reasons)},
                     {"days_overdue", t.days_overdue}, {"waiting_days", opt(t.waiting_days)}, {"waiting_on", t.waiting_on}});
  }
  for (const auto& s : ps.assignments) {
    if (!Shown(s, o)) continue;
    ac.Add(s.light);
    const AssignmentView& a = *s.assignment;
    assigns.push_back({{"task", a.task}, {"unit", a.unit}, {"role", ToString(a.role)}, {"status", ToString(a.status)},
                       {"progress", a.progress}, {"light", ToString(s.light)}, {"reasons", reasons(s.reasons)},
                       {"days_overdue", s.days_overdue}, {"expected_progress", opt(s.expected_progress)},
                       {"missed_cycles", s.missed_cycles},
                       {"last_report", a.last_report ? json(a.last_report->ToString()) : json(nullptr)},
                       {"next_report_due", s.next_report_due ? json(s.next_report_due->ToString()) : json(nullptr)},
                       {"escalation", ToString(s.escalation)}, {"escalation_reasons", reasons(s.escalation_reasons)}});
  }
  for (const auto& iv : ps.indicators) {
    const IndicatorView& ind = *iv.indicator;
    if (!o.unit.empty() && ind.owner != o.unit) continue;
    inds.push_back({{"indicator", ind.id}, {"name", ind.name}, {"measure", ind.measure}, {"owner", ind.owner},
                    {"baseline", opt(ind.baseline_value)}, {"target", ind.target_value},
                    {"target_date", ind.target_date.ToString()}, {"latest", opt(iv.latest)},
                    {"latest_as_of", iv.latest_as_of ? json(iv.latest_as_of->ToString()) : json(nullptr)},
                    {"expected", opt(iv.expected)}, {"gap", opt(iv.gap)}, {"covered", opt(iv.covered)},
                    {"time_elapsed", iv.time_elapsed}, {"projection", opt(iv.projection)},
                    {"state", ToString(iv.state)}, {"stale", iv.stale}, {"note_zh", iv.note_zh}, {"note_en", iv.note_en}});
  }
  return json({{"plan", p.id}, {"title", p.title}, {"today", ps.today.ToString()},
               {"tasks_by_light", {{"red", tc.red}, {"yellow", tc.yellow}, {"green", tc.green}}},
               {"assignments_by_light", {{"red", ac.red}, {"yellow", ac.yellow}, {"green", ac.green}}},
               {"critical_path", ps.critical_path}, {"tasks", tasks}, {"assignments", assigns}, {"indicators", inds}});
}

// Indents every line after the first by `n` spaces (JSON strings hold no raw newline).
std::string Indent(const std::string& text, int n) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(static_cast<size_t>(n), ' ');
  }
  return out;
}

}  // namespace

std::string StatusJsonPieces::Head() const {
  std::string h = "{\n  \"schema\": \"duban.status/1\",\n";
  if (!options_.unit.empty()) h += "  \"unit\": " + json(options_.unit).dump() + ",\n";
  return h + "  \"plans\": [";
}

std::string StatusJsonPieces::PlanPart(const PlanStatus& plan, const StatusOptions& options) {
  return Indent(StatusPlanJson(plan, options).dump(2), 4);
}

std::string StatusJsonPieces::Place(const std::string& part) {
  return std::string(plans_++ ? ",\n    " : "\n    ") + part;
}

std::string StatusJsonPieces::Plan(const PlanStatus& plan) { return Place(PlanPart(plan, options_)); }

std::string StatusJsonPieces::Tail() const { return plans_ ? "\n  ]\n}\n" : "]\n}\n"; }

std::string RenderStatusJson(const std::vector<PlanStatus>& plans, const StatusOptions& o) {
  StatusJsonPieces pieces(o);
  std::string out = pieces.Head();
  for (const PlanStatus& ps : plans) out += pieces.Plan(ps);
  return out + pieces.Tail();
}

}  // namespace duban
