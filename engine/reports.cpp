#include "engine/reports.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "engine/crypto.h"
#include "engine/text.h"
#include "engine/workflow.h"

namespace duban {
namespace {

using json = nlohmann::ordered_json;

std::string Pct(double share) { return std::to_string(static_cast<int>(std::lround(share * 100))) + "%"; }

bool Open(AssignmentStatus s) { return s != AssignmentStatus::kDone && s != AssignmentStatus::kClosed; }

std::string Join(const std::vector<Reason>& rs, bool zh) {
  std::string s;
  for (const auto& r : rs) s += (s.empty() ? "" : zh ? ";" : "; ") + (zh ? r.zh : r.en);
  return s;
}

// Markdown table cell: `|` escaped, line breaks as <br>.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += "<br>";
    else if (c != '\r') out += c;
  }
  return out;
}

std::string MdTable(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
  std::string out = "|";
  for (const auto& h : head) out += " " + Cell(h) + " |";
  out += "\n|";
  for (size_t i = 0; i < head.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& r : rows) {
    out += "|";
    for (const auto& c : r) out += " " + Cell(c) + " |";
    out += "\n";
  }
  return out;
}

const char* kNumeralsZh[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};

std::string StateZh(IndicatorState s) {
  switch (s) {
    case IndicatorState::kOnTrack: return "正常";
    case IndicatorState::kAtRisk: return "有风险";
    case IndicatorState::kOffTrack: return "滞后";
    case IndicatorState::kNoData: return "无数据";
  }
  return "";
}

// The leaf tasks of a status by id.
std::unordered_map<std::string_view, const TaskStatusView*> TasksById(const PlanStatus& s) {
  std::unordered_map<std::string_view, const TaskStatusView*> out;
  out.reserve(s.tasks.size());
  for (const auto& t : s.tasks) out.emplace(s.plan->tasks[t.task].id, &t);
  return out;
}

}  // namespace

// ----- bulletin ---------------------------------------------------------------------------

BulletinModel BuildBulletin(const PlanStatus& now, const PlanStatus& prev, const std::string& period_kind, int number,
                            const std::vector<std::string>& targets_moved) {
  const PlanSnapshot& p = *now.plan;
  BulletinModel b;
  b.plan = p.id;
  b.plan_title = p.title;
  b.issuer = p.issuer;
  b.office_name = p.office_name;
  b.period_kind = period_kind;
  b.as_of = now.today;
  b.period_to = now.today;
  b.period_from = prev.today + 1;
  b.number = number;
  b.inputs_hash = SnapshotHash(p, now.today);

  // Totals and sections.
  std::map<std::string, size_t> section_index;
  for (const auto& t : now.tasks) {
    const auto& row = p.tasks[t.task];
    ++b.totals.tasks;
    (t.light == Light::kRed ? b.totals.red : t.light == Light::kYellow ? b.totals.yellow : b.totals.green)++;
    if (t.state == AssignmentStatus::kClosed) ++b.totals.closed;
    auto it = section_index.find(row.parent);
    if (it == section_index.end()) {
      BulletinModel::Section sec;
      sec.id = row.parent;
      for (const auto& r : p.tasks)
        if (r.id == row.parent) sec.title = r.title;
      it = section_index.emplace(row.parent, b.sections.size()).first;
      b.sections.push_back(sec);
    }
    auto& sec = b.sections[it->second];
    ++sec.tasks;
    (t.light == Light::kRed ? sec.red : t.light == Light::kYellow ? sec.yellow : sec.green)++;
    if (t.state == AssignmentStatus::kClosed) ++sec.closed;
    sec.progress += t.progress;
    if (t.light == Light::kRed) b.red_items.push_back({row.id, row.title, Join(t.reasons, true), Join(t.reasons, false)});
  }
  for (auto& sec : b.sections) sec.progress = sec.tasks ? sec.progress / sec.tasks : 0;
  b.totals.closed_share = b.totals.tasks ? static_cast<double>(b.totals.closed) / b.totals.tasks : 0;

  // Units: assignments, lights, cycles due and met in the period.
  std::map<std::string, BulletinModel::UnitRow> units;
  for (const auto& s : now.assignments) {
    const AssignmentView& a = *s.assignment;
    auto& u = units[a.unit];
    u.unit = a.unit;
    u.name = a.unit_name;
    (a.role == Role::kLead ? u.led : u.cooperating)++;
    if (!Open(a.status)) ++u.done;
    if (s.days_overdue > 0) ++u.late;
    (s.light == Light::kRed ? u.red : s.light == Light::kYellow ? u.yellow : u.green)++;
    for (const auto& [day, met] : s.cycles) {
      if (day < b.period_from || day > b.period_to) continue;
      ++u.burden;
      ++b.totals.reports_due;
      if (met) ++b.totals.reports_on_time;
      else ++u.missed;
    }
    ++b.totals.assignments;
  }
  b.totals.on_time_share = b.totals.reports_due ? static_cast<double>(b.totals.reports_on_time) / b.totals.reports_due : 1.0;
  for (auto& [id, u] : units) b.units.push_back(u);
  std::stable_sort(b.units.begin(), b.units.end(), [](const auto& x, const auto& y) {
    if (x.red != y.red) return x.red > y.red;
    if (x.missed != y.missed) return x.missed > y.missed;
    return x.unit < y.unit;
  });

  // Indicators.
  for (const auto& iv : now.indicators) {
    const IndicatorView& ind = *iv.indicator;
    BulletinModel::IndicatorRow r;
    r.id = ind.id;
    r.name = ind.name;
    r.measure = ind.measure;
    r.baseline = ind.baseline_value;
    r.latest = iv.latest;
    r.latest_as_of = iv.latest_as_of;
    r.target = ind.target_value;
    r.target_date = ind.target_date;
    r.covered = iv.covered;
    r.time_elapsed = iv.time_elapsed;
    r.projection = iv.projection;
    r.state = iv.state;
    r.stale = iv.stale;
    r.note_zh = iv.note_zh;
    r.note_en = iv.note_en;
    for (const auto& v : ind.values) r.values.emplace_back(v.as_of, v.value);
    r.start_date = iv.start_date;
    r.start_value = iv.start_value;
    r.trajectory = ind.trajectory;
    b.indicators.push_back(std::move(r));
  }

  // What changed since the previous bulletin.
  const auto before_by_id = TasksById(prev);
  for (const auto& t : now.tasks) {
    const auto& row = p.tasks[t.task];
    auto found = before_by_id.find(row.id);
    const TaskStatusView* before = found == before_by_id.end() ? nullptr : found->second;
    bool was_closed = before && before->state == AssignmentStatus::kClosed;
    bool was_late = before && before->days_overdue > 0;
    bool was_blocked = before && before->state == AssignmentStatus::kBlocked;
    if (t.state == AssignmentStatus::kClosed && !was_closed)
      b.changes.newly_closed.push_back({row.id, row.title, "已验收办结", "accepted and closed"});
    if (t.days_overdue > 0 && !was_late)
      b.changes.newly_late.push_back({row.id, row.title, "逾期" + std::to_string(t.days_overdue) + "天",
                                      std::to_string(t.days_overdue) + " days overdue"});
    if (t.state == AssignmentStatus::kBlocked && !was_blocked) {
      std::string why;
      for (int ai : t.assignments)
        if (now.assignments[ai].assignment->status == AssignmentStatus::kBlocked)
          why += (why.empty() ? "" : ";") + now.assignments[ai].assignment->unit_name + ":" +
                 now.assignments[ai].assignment->blocked_reason;
      b.changes.new_blockers.push_back({row.id, row.title, why, why});
    }
  }
  for (const auto& id : targets_moved) {
    for (const auto& ind : p.indicators)
      if (ind.id == id)
        b.changes.targets_moved.push_back({id, ind.name, "目标值 " + FormatNumber(ind.target_value) + ind.measure + "(" +
                                                             ind.target_date.ToString() + ")",
                                           "target " + FormatNumber(ind.target_value) + " " + ind.measure + " by " +
                                               ind.target_date.ToString()});
  }

  // The supervision list (督办) and the units named (通报).
  std::map<std::string, BulletinModel::NamedUnit> named;
  std::map<std::string, int> named_late, named_missing;  // items overdue too long / with repeated misses
  for (const auto& s : now.assignments) {
    const AssignmentView& a = *s.assignment;
    if (s.escalation >= Escalation::kNotice) {
      b.supervision.push_back({a.unit, a.unit_name, a.task, a.task_title, s.days_overdue, s.escalation,
                               Join(s.escalation_reasons, true), Join(s.escalation_reasons, false)});
    }
    if (s.escalation == Escalation::kBulletin) {
      auto& n = named[a.unit];
      n.unit = a.unit;
      n.name = a.unit_name;
      ++n.items;
      (s.days_overdue > p.supervision.bulletin_after_days ? named_late : named_missing)[a.unit]++;
    }
  }
  std::stable_sort(b.supervision.begin(), b.supervision.end(), [](const auto& x, const auto& y) {
    if (x.level != y.level) return x.level > y.level;
    return x.days_overdue > y.days_overdue;
  });
  for (auto& [id, n] : named) {
    const int late = named_late[id], missing = named_missing[id];
    n.reason_zh = (late ? std::to_string(late) + "项任务逾期超过" + std::to_string(p.supervision.bulletin_after_days) + "天" : "") +
                  (late && missing ? ";" : "") +
                  (missing ? std::to_string(missing) + "项任务近一年多次未按期报送" : "");
    n.reason_en = (late ? std::to_string(late) + " tasks overdue more than " + std::to_string(p.supervision.bulletin_after_days) + " days" : "") +
                  (late && missing ? "; " : "") +
                  (missing ? std::to_string(missing) + " tasks with repeated missed reports in the past year" : "");
    b.named.push_back(n);
  }
  std::stable_sort(b.named.begin(), b.named.end(), [](const auto& x, const auto& y) { return x.items > y.items; });
  return b;
}

std::string RenderBulletinMarkdown(const BulletinModel& b, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string o;
  o += zh ? "# " + b.plan_title + "工作进展通报\n\n" : "# " + b.plan_title + " — progress bulletin\n\n";
  o += zh ? "**第" + std::to_string(b.number) + "期** " + b.office_name + "  \n" +
                "通报期间: " + b.period_from.ToString() + " 至 " + b.period_to.ToString() + "(截至 " + b.as_of.ToString() + ")  \n" +
                "数据指纹: `" + b.inputs_hash + "`\n\n"
          : "**No. " + std::to_string(b.number) + "** " + b.office_name + "  \n" + "Period: " + b.period_from.ToString() +
                " to " + b.period_to.ToString() + " (as of " + b.as_of.ToString() + ")  \n" + "Inputs hash: `" +
                b.inputs_hash + "`\n\n";
  int h = 0;
  auto heading = [&](const char* zh_title, const char* en_title) {
    o += zh ? "## " + std::string(kNumeralsZh[h]) + "、" + zh_title + "\n\n" : "## " + std::to_string(h + 1) + ". " + en_title + "\n\n";
    ++h;
  };
  const auto& t = b.totals;
  heading("总体情况", "Overview");
  if (zh) {
    o += "方案共" + std::to_string(t.tasks) + "项任务、" + std::to_string(t.assignments) + "条分工。截至" + b.as_of.ToString() +
         ",红灯" + std::to_string(t.red) + "项、黄灯" + std::to_string(t.yellow) + "项、绿灯" + std::to_string(t.green) +
         "项;已办结" + std::to_string(t.closed) + "项,占" + Pct(t.closed_share) + "。本期应报送进展" +
         std::to_string(t.reports_due) + "次,按时报送" + std::to_string(t.reports_on_time) + "次,按时报送率" +
         Pct(t.on_time_share) + "。\n\n";
  } else {
    o += std::to_string(t.tasks) + " tasks, " + std::to_string(t.assignments) + " assignments. As of " + b.as_of.ToString() +
         ": red " + std::to_string(t.red) + ", yellow " + std::to_string(t.yellow) + ", green " + std::to_string(t.green) +
         "; closed " + std::to_string(t.closed) + " (" + Pct(t.closed_share) + "). Reports due in the period: " +
         std::to_string(t.reports_due) + ", on time: " + std::to_string(t.reports_on_time) + " (" + Pct(t.on_time_share) + ").\n\n";
  }
  heading("分部分进展", "Progress by section");
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : b.sections)
      rows.push_back({s.id + " " + s.title, std::to_string(s.tasks), std::to_string(s.red), std::to_string(s.yellow),
                      std::to_string(s.green), std::to_string(s.closed), std::to_string(s.progress) + "%"});
    o += MdTable(zh ? std::vector<std::string>{"部分", "任务", "红灯", "黄灯", "绿灯", "办结", "平均进度"}
                    : std::vector<std::string>{"section", "tasks", "red", "yellow", "green", "closed", "progress"},
                 rows) + "\n";
  }
  heading("各单位情况", "Units");
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : b.units)
      rows.push_back({u.name, std::to_string(u.led), std::to_string(u.cooperating), std::to_string(u.done),
                      std::to_string(u.late), std::to_string(u.missed), std::to_string(u.burden),
                      std::to_string(u.red) + "/" + std::to_string(u.yellow) + "/" + std::to_string(u.green)});
    o += MdTable(zh ? std::vector<std::string>{"单位", "牵头", "配合", "完成", "逾期", "本期欠报", "本期应报", "红/黄/绿"}
                    : std::vector<std::string>{"unit", "lead", "cooperating", "done", "late", "missed", "asked", "red/yellow/green"},
                 rows) + "\n";
  }
  heading("指标完成情况", "Indicators");
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : b.indicators)
      rows.push_back({i.name, i.baseline ? FormatNumber(*i.baseline) : "-",
                      i.latest ? FormatNumber(*i.latest) + "(" + i.latest_as_of->ToString() + ")" : "-",
                      FormatNumber(i.target) + i.measure + "(" + i.target_date.ToString() + ")",
                      i.covered ? Pct(*i.covered) + " / " + Pct(i.time_elapsed) : "- / " + Pct(i.time_elapsed),
                      i.projection ? FormatNumber(*i.projection) : "-",
                      zh ? StateZh(i.state) + (i.stale ? "·欠报" : "") : std::string(ToString(i.state)) + (i.stale ? ", stale" : "")});
    o += MdTable(zh ? std::vector<std::string>{"指标", "基期值", "最新值(截至)", "目标", "完成度/时间进度", "预测", "状态"}
                    : std::vector<std::string>{"indicator", "baseline", "latest (as of)", "target", "covered / time", "projected", "state"},
                 rows) + "\n";
  }
  heading("本期变化", "Changes since the previous bulletin");
  auto list = [&](const char* zh_label, const char* en_label, const std::vector<BulletinModel::TaskRef>& v) {
    o += "- " + std::string(zh ? zh_label : en_label) + ": ";
    if (v.empty()) o += zh ? "无" : "none";
    for (size_t i = 0; i < v.size(); ++i)
      o += (i ? (zh ? ";" : "; ") : "") + v[i].task + " " + v[i].title + "(" + (zh ? v[i].detail_zh : v[i].detail_en) + ")";
    o += "\n";
  };
  list("新办结", "newly closed", b.changes.newly_closed);
  list("新逾期", "newly late", b.changes.newly_late);
  list("新受阻", "new blockers", b.changes.new_blockers);
  list("目标调整", "targets moved", b.changes.targets_moved);
  o += "\n";
  heading("督办事项", "Supervision list");
  if (b.supervision.empty()) o += zh ? "本期无督办事项。\n\n" : "Nothing under supervision.\n\n";
  else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : b.supervision)
      rows.push_back({s.unit_name, s.task + " " + s.title, std::to_string(s.days_overdue),
                      zh ? EscalationLabelZh(s.level) : ToString(s.level), zh ? s.reason_zh : s.reason_en});
    o += MdTable(zh ? std::vector<std::string>{"单位", "任务", "逾期天数", "级别", "原因"}
                    : std::vector<std::string>{"unit", "task", "days overdue", "level", "reason"},
                 rows) + "\n";
  }
  heading("通报", "Units named");
  if (b.named.empty()) o += zh ? "本期无通报单位。\n\n" : "No unit is named.\n\n";
  for (const auto& n : b.named) o += "- " + n.name + ":" + (zh ? n.reason_zh : n.reason_en) + "\n";
  if (!b.named.empty()) o += "\n";
  if (!b.red_items.empty()) {
    o += zh ? "**红灯事项**\n\n" : "**Red items**\n\n";
    for (const auto& r : b.red_items) o += "- " + r.task + " " + r.title + " — " + Cell(zh ? r.detail_zh : r.detail_en) + "\n";
    o += "\n";
  }
  return o;
}

std::string RenderBulletinText(const BulletinModel& b, Lang lang) {
  // Plain text: the Markdown without its marks, tables as aligned columns.
  const bool zh = lang == Lang::kZh;
  std::string o;
  o += zh ? b.plan_title + "工作进展通报\n" : b.plan_title + " — progress bulletin\n";
  o += (zh ? "第" + std::to_string(b.number) + "期  " : "No. " + std::to_string(b.number) + "  ") + b.office_name + "  " +
       b.period_from.ToString() + (zh ? " 至 " : " to ") + b.period_to.ToString() + "\n";
  o += (zh ? "数据指纹 " : "inputs ") + b.inputs_hash + "\n\n";
  std::string md = RenderBulletinMarkdown(b, lang);
  // Drop the Markdown title block (already printed) and render tables as columns.
  auto start = md.find("\n## ");
  md = start == std::string::npos ? md : md.substr(start + 1);
  std::vector<std::vector<std::string>> table;
  auto flush = [&] {
    if (table.empty()) return;
    std::vector<int> w;
    for (const auto& r : table)
      for (size_t c = 0; c < r.size(); ++c) {
        if (w.size() <= c) w.push_back(0);
        w[c] = std::max(w[c], DisplayWidth(r[c]));
      }
    for (const auto& r : table) {
      std::string line = "  ";
      for (size_t c = 0; c < r.size(); ++c) line += c + 1 < r.size() ? PadRight(r[c], w[c]) + "  " : r[c];
      o += line + "\n";
    }
    o += "\n";
    table.clear();
  };
  size_t pos = 0;
  while (pos < md.size()) {
    size_t eol = md.find('\n', pos);
    std::string line = md.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? md.size() : eol + 1;
    if (line.rfind("|", 0) == 0) {
      if (line.rfind("|---", 0) == 0) continue;
      std::vector<std::string> cells;
      std::string cell;
      for (size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') { cell += '|'; ++i; continue; }
        if (line[i] == '|') {
          while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
          while (!cell.empty() && cell.back() == ' ') cell.pop_back();
          cells.push_back(cell);
          cell.clear();
        } else {
          cell += line[i];
        }
      }
      table.push_back(cells);
      continue;
    }
    flush();
    if (line.rfind("## ", 0) == 0) line = line.substr(3);
    std::string clean;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line.compare(i, 2, "**") == 0) { ++i; continue; }
      if (line[i] == '`') continue;
      clean += line[i];
    }
    if (!(clean.empty() && !o.empty() && o.size() >= 2 && o.substr(o.size() - 2) == "\n\n")) o += clean + "\n";
  }
  flush();
  return o;
}

std::string RenderBulletinJson(const BulletinModel& b) {
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  auto refs = [](const std::vector<BulletinModel::TaskRef>& v) {
    json a = json::array();
    for (const auto& r : v) a.push_back({{"task", r.task}, {"title", r.title}, {"zh", r.detail_zh}, {"en", r.detail_en}});
    return a;
  };
  json sections = json::array(), units = json::array(), inds = json::array(), sup = json::array(), named = json::array();
  for (const auto& s : b.sections)
    sections.push_back({{"id", s.id}, {"title", s.title}, {"tasks", s.tasks}, {"red", s.red}, {"yellow", s.yellow},
                        {"green", s.green}, {"closed", s.closed}, {"progress", s.progress}});
  for (const auto& u : b.units)
    units.push_back({{"unit", u.unit}, {"name", u.name}, {"led", u.led}, {"cooperating", u.cooperating}, {"done", u.done},
                     {"late", u.late}, {"missed", u.missed}, {"burden", u.burden}, {"red", u.red}, {"yellow", u.yellow},
                     {"green", u.green}});
  for (const auto& i : b.indicators) {
    json values = json::array();
    for (const auto& [d, v] : i.values) values.push_back({{"as_of", d.ToString()}, {"value", v}});
    inds.push_back({{"id", i.id}, {"name", i.name}, {"measure", i.measure}, {"baseline", opt(i.baseline)},
                    {"latest", opt(i.latest)}, {"latest_as_of", i.latest_as_of ? json(i.latest_as_of->ToString()) : json(nullptr)},
                    {"target", i.target}, {"target_date", i.target_date.ToString()}, {"covered", opt(i.covered)},
                    {"time_elapsed", i.time_elapsed}, {"projection", opt(i.projection)}, {"state", ToString(i.state)},
                    {"stale", i.stale}, {"values", values}});
  }
  for (const auto& s : b.supervision)
    sup.push_back({{"unit", s.unit}, {"task", s.task}, {"title", s.title}, {"days_overdue", s.days_overdue},
                   {"level", ToString(s.level)}, {"zh", s.reason_zh}, {"en", s.reason_en}});
  for (const auto& n : b.named) named.push_back({{"unit", n.unit}, {"name", n.name}, {"items", n.items}, {"zh", n.reason_zh}, {"en", n.reason_en}});
  const auto& t = b.totals;
  json j = {{"schema", "duban.bulletin/1"}, {"plan", b.plan}, {"title", b.plan_title}, {"office", b.office_name},
            {"number", b.number}, {"period", {{"kind", b.period_kind}, {"from", b.period_from.ToString()}, {"to", b.period_to.ToString()}}},
            {"as_of", b.as_of.ToString()}, {"inputs_hash", b.inputs_hash},
            {"totals", {{"tasks", t.tasks}, {"red", t.red}, {"yellow", t.yellow}, {"green", t.green}, {"closed", t.closed},
                        {"closed_share", t.closed_share}, {"reports_due", t.reports_due},
                        {"reports_on_time", t.reports_on_time}, {"on_time_share", t.on_time_share},
                        {"assignments", t.assignments}}},
            {"sections", sections}, {"units", units}, {"indicators", inds},
            {"changes", {{"newly_closed", refs(b.changes.newly_closed)}, {"newly_late", refs(b.changes.newly_late)},
                         {"new_blockers", refs(b.changes.new_blockers)}, {"targets_moved", refs(b.changes.targets_moved)}}},
            {"supervision", sup}, {"named", named}, {"red_items", refs(b.red_items)}};
  return j.dump(2) + "\n";
}

std::vector<std::string> TargetsMoved(const std::vector<HistoryEntry>& history, Date from, Date to) {
  std::set<std::string> ids;
  for (const auto& e : history) {
    if (e.kind != "plan.load" || e.day < from || e.day > to) continue;
    json p = json::parse(e.payload, nullptr, false);
    if (p.is_object() && p.contains("changed_indicators"))
      for (const auto& id : p["changed_indicators"]) ids.insert(id.get<std::string>());
  }
  return {ids.begin(), ids.end()};
}

std::string SnapshotHash(const PlanSnapshot& s, Date as_of) {
  Sha256 h;
  std::string line = s.id + "\n" + as_of.ToString() + "\n";
  h.Update(line);
  for (const auto& t : s.tasks) {
    line = t.id + "|" + t.title + "|" + t.start.ToString() + "|" + t.due.ToString() + "\n";
    h.Update(line);
  }
  for (size_t i = 0; i < s.assignments.size(); ++i) {
    const auto& a = s.assignments[i];
    line.clear();
    line.append(a.task).append("|").append(a.unit).append("|").append(ToString(a.role)).append("|");
    line.append(ToString(a.status)).append("|").append(std::to_string(a.progress)).append("|");
    line.append(a.last_note).append("|");
    for (Date d : s.report_days[i]) line.append(d.ToString()).append(",");
    line.append("\n");
    h.Update(line);
  }
  for (const auto& ind : s.indicators) {
    line = ind.id + "|" + FormatNumber(ind.target_value) + "|";
    for (const auto& v : ind.values) line += v.as_of.ToString() + "=" + FormatNumber(v.value) + ",";
    line += "\n";
    h.Update(line);
  }
  return h.HexDigest();
}

// ----- matrix -------------------------------------------------------------------------------

MatrixModel BuildMatrix(const Plan& plan) {
  MatrixModel m;
  m.plan = plan.id;
  m.plan_title = plan.title;
  auto names = [&](const std::vector<std::string>& ids) {
    std::string s;
    for (const auto& id : ids) {
      const Unit* u = plan.FindUnit(id);
      s += (s.empty() ? "" : "、") + (u ? u->name : id);
    }
    return s;
  };
  for (size_t i = 0; i < plan.tasks.size(); ++i) {
    const Task& t = plan.tasks[i];
    if (!t.is_leaf()) continue;
    MatrixRow r;
    r.number = t.id;
    r.section = t.parent >= 0 ? plan.tasks[t.parent].title : "";
    r.task = t.title;
    r.text = t.text;
    r.lead = names(plan.ResponsibleUnits(static_cast<int>(i), Role::kLead));
    std::vector<std::string> coop;
    auto leads = plan.ResponsibleUnits(static_cast<int>(i), Role::kLead);
    for (const auto& id : plan.ResponsibleUnits(static_cast<int>(i), Role::kCooperate))
      if (std::find(leads.begin(), leads.end(), id) == leads.end()) coop.push_back(id);
    r.cooperate = names(coop);
    if (t.recurrence.ongoing) {
      r.due = "常态化";
    } else {
      r.due = t.due.ToString();
      for (const auto& y : t.recurrence.yearly) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%02d-%02d", y.month, y.day);
        r.due += std::string(r.due.empty() ? "" : ";") + "每年" + buf;
      }
    }
    m.rows.push_back(std::move(r));
  }
  return m;
}

Result<MatrixModel> BuildMatrixFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("tasks")) return Status::InvalidInput("not a duban.plan/1 document");
  MatrixModel m;
  m.plan = j["plan"].value("id", "");
  m.plan_title = j["plan"].value("title", "");
  std::map<std::string, std::string> titles;
  for (const auto& t : j["tasks"]) titles[t.value("id", "")] = t.value("title", "");
  auto names = [](const json& list, const std::set<std::string>& skip) {
    std::string s;
    for (const auto& u : list)
      if (!skip.count(u.value("id", ""))) s += (s.empty() ? "" : "、") + u.value("name", "");
    return s;
  };
  for (const auto& t : j["tasks"]) {
    if (t.value("section", false)) continue;
    MatrixRow r;
    r.number = t.value("id", "");
    r.section = t["parent"].is_string() ? titles[t["parent"].get<std::string>()] : "";
    r.task = t.value("title", "");
    r.text = t.value("text", "");
    std::set<std::string> leads;
    for (const auto& u : t["lead"]) leads.insert(u.value("id", ""));
    r.lead = names(t["lead"], {});
    r.cooperate = names(t["cooperate"], leads);
    bool ongoing = t["recurrence"].value("ongoing", false);
    r.due = ongoing ? "常态化" : t.value("due", "");
    for (const auto& y : t["recurrence"]["yearly"]) r.due += ";每年" + y.get<std::string>();
    m.rows.push_back(std::move(r));
  }
  return m;
}

// ----- notice ---------------------------------------------------------------------------------

NoticeModel BuildNotice(const PlanStatus& status, const std::string& unit, const WorkCalendar& calendar, int reply_workdays) {
  const PlanSnapshot& p = *status.plan;
  NoticeModel n;
  n.plan = p.id;
  n.plan_title = p.title;
  n.unit = unit;
  n.office_name = p.office_name;
  n.issued = status.today;
  n.reply_workdays = reply_workdays;
  n.reply_by = calendar.AddWorkdays(status.today, reply_workdays);
  char num[64];
  std::snprintf(num, sizeof num, "督办〔%d〕%02d%02d号", status.today.year(), status.today.month(), status.today.day());
  n.number = std::string(num) + "-" + unit;
  for (const auto& s : status.assignments) {
    const AssignmentView& a = *s.assignment;
    if (a.unit != unit) continue;
    n.unit_name = a.unit_name;
    if (s.days_overdue == 0 && s.escalation < Escalation::kNotice) continue;
    NoticeModel::Item item;
    item.task = a.task;
    item.title = a.task_title;
    item.role = a.role;
    item.due = a.due;
    item.days_overdue = s.days_overdue;
    item.progress = a.progress;
    item.reasons_zh = Join(s.escalation_reasons.empty() ? s.reasons : s.escalation_reasons, true);
    item.reasons_en = Join(s.escalation_reasons.empty() ? s.reasons : s.escalation_reasons, false);
    if (s.days_overdue > 0) {
      item.action_zh = "立即整改,于" + n.reply_by.ToString() + "前书面报告未按期完成原因、整改措施和完成时限,并报送佐证材料";
      item.action_en = "act at once; by " + n.reply_by.ToString() +
                       " report in writing why it is late, the remedy and the new completion date, with evidence";
    } else {
      item.action_zh = "于" + n.reply_by.ToString() + "前补报进展情况,说明未按期报送原因";
      item.action_en = "by " + n.reply_by.ToString() + " report the missing progress and why it was not reported in time";
    }
    n.items.push_back(std::move(item));
  }
  return n;
}

std::string RenderNoticeMarkdown(const NoticeModel& n, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string o;
  if (zh) {
    o += "# 督办通知单\n\n";
    o += "**编号:" + n.number + "**\n\n";
    o += n.unit_name + ":\n\n";
    o += "根据《" + n.plan_title + "》任务分工,截至" + n.issued.ToString() + ",贵单位承担的以下" +
         std::to_string(n.items.size()) + "项任务未按期完成或未按期报送进展,现予督办。\n\n";
  } else {
    o += "# Supervision notice\n\n**No. " + n.number + "**\n\nTo " + n.unit_name + ":\n\nUnder " + n.plan_title + ", as of " +
         n.issued.ToString() + " the following " + std::to_string(n.items.size()) +
         " tasks of yours are overdue or unreported, and are hereby placed under supervision.\n\n";
  }
  std::vector<std::vector<std::string>> rows;
  int i = 0;
  for (const auto& it : n.items)
    rows.push_back({std::to_string(++i), it.task + " " + it.title, zh ? (it.role == Role::kLead ? "牵头" : "配合") : ToString(it.role),
                    it.due.ToString(), std::to_string(it.days_overdue), std::to_string(it.progress) + "%",
                    zh ? it.reasons_zh : it.reasons_en, zh ? it.action_zh : it.action_en});
  if (rows.empty()) o += zh ? "(当前无逾期或督办事项)\n\n" : "(nothing overdue or under supervision)\n\n";
  else
    o += MdTable(zh ? std::vector<std::string>{"序号", "任务", "角色", "完成时限", "逾期天数", "进度", "情况", "整改要求"}
                    : std::vector<std::string>{"no.", "task", "role", "due", "days late", "progress", "situation", "required action"},
                 rows) + "\n";
  if (zh) {
    o += "请于" + n.reply_by.ToString() + "前(" + std::to_string(n.reply_workdays) + "个工作日内)将办理情况书面回复,回复时请注明本通知单编号(" +
         n.number + ")。\n\n" + n.office_name + "\n" + n.issued.ToString() + "\n";
  } else {
    o += "Please reply in writing by " + n.reply_by.ToString() + " (" + std::to_string(n.reply_workdays) +
         " working days), citing this notice's number (" + n.number + ").\n\n" + n.office_name + "\n" + n.issued.ToString() + "\n";
  }
  return o;
}

std::string RenderNoticeJson(const NoticeModel& n) {
  json items = json::array();
  for (const auto& it : n.items)
    items.push_back({{"task", it.task}, {"title", it.title}, {"role", ToString(it.role)}, {"due", it.due.ToString()},
                     {"days_overdue", it.days_overdue}, {"progress", it.progress}, {"reasons_zh", it.reasons_zh},
                     {"reasons_en", it.reasons_en}, {"action_zh", it.action_zh}, {"action_en", it.action_en}});
  return json{{"schema", "duban.notice/1"}, {"number", n.number}, {"plan", n.plan}, {"unit", n.unit},
              {"unit_name", n.unit_name}, {"office", n.office_name}, {"issued", n.issued.ToString()},
              {"reply_by", n.reply_by.ToString()}, {"reply_workdays", n.reply_workdays}, {"items", items}}
             .dump(2) + "\n";
}

// ----- ledger ---------------------------------------------------------------------------------

LedgerModel BuildLedger(const PlanStatus& status) {
  const PlanSnapshot& p = *status.plan;
  LedgerModel m;
  m.plan = p.id;
  m.plan_title = p.title;
  m.as_of = status.today;
  for (const auto& s : status.assignments) {
    const AssignmentView& a = *s.assignment;
    LedgerRow r;
    r.plan = a.plan;
    r.section = a.section_title;
    r.task = a.task;
    r.title = a.task_title;
    r.unit = a.unit;
    r.unit_name = a.unit_name;
    r.role = a.role;
    r.status = StatusLabelZh(a.status);
    r.light = LightLabelZh(s.light);
    r.reasons = Join(s.reasons, true);
    r.progress = a.progress;
    r.due = a.ongoing ? "常态化" : a.due.ToString();
    r.last_report = a.last_report ? a.last_report->ToString() : "";
    r.last_note = a.last_note;
    for (const auto& e : a.evidence)
      r.evidence += (r.evidence.empty() ? "" : "\n") + e.name + " (" + std::to_string(e.size) + " bytes, sha256:" +
                    e.sha256.substr(0, 16) + "…)";
    m.rows.push_back(std::move(r));
  }
  return m;
}

// ----- assessment -----------------------------------------------------------------------------

AssessmentModel BuildAssessment(const PlanStatus& status, int year) {
  const PlanSnapshot& p = *status.plan;
  AssessmentModel m;
  m.plan = p.id;
  m.plan_title = p.title;
  m.year = year;
  m.as_of = status.today;
  m.weights = p.assessment;
  Date y0 = *Date::FromCivil(year, 1, 1), y1 = *Date::FromCivil(year, 12, 31);
  std::map<std::string, AssessmentModel::UnitScore> units;
  struct Parts { double closure_e = 0, closure_p = 0, rep_e = 0, rep_p = 0, ind_e = 0, ind_p = 0; };
  std::map<std::string, Parts> parts;
  for (const auto& s : status.assignments) {
    const AssignmentView& a = *s.assignment;
    auto& u = units[a.unit];
    u.unit = a.unit;
    u.name = a.unit_name;
    auto& pt = parts[a.unit];
    // Closure: an assignment due in the year (up to the as-of day) counts one point,
    // earned when it was done by its due date.
    if (!a.ongoing && a.due >= y0 && a.due <= y1 && a.due <= status.today) {
      bool on_time = !Open(a.status) && a.done_day && *a.done_day <= a.due;
      pt.closure_p += 1;
      pt.closure_e += on_time ? 1 : 0;
      u.breakdown.push_back({"closure", a.task,
                             a.task + " " + a.task_title + ":" +
                                 (on_time ? "按期完成(" + a.done_day->ToString() + ")"
                                          : !Open(a.status) ? "逾期完成(" + (a.done_day ? a.done_day->ToString() : std::string("?")) + ")"
                                                            : "到期未完成(完成时限 " + a.due.ToString() + ")"),
                             a.task + " " + a.task_title + ": " + (on_time ? "done on time" : "not done by " + a.due.ToString()),
                             on_time ? 1.0 : 0.0, 1.0});
    }
    // Reporting: each cycle ending in the year.
    int due = 0, met = 0;
    for (const auto& [day, ok] : s.cycles) {
      if (day < y0 || day > y1) continue;
      ++due;
      met += ok ? 1 : 0;
    }
    if (due > 0) {
      pt.rep_p += due;
      pt.rep_e += met;
      u.breakdown.push_back({"reporting", a.task,
                             a.task + " " + a.task_title + ":应报送" + std::to_string(due) + "次,按时" + std::to_string(met) + "次",
                             a.task + " " + a.task_title + ": " + std::to_string(met) + " of " + std::to_string(due) + " reports on time",
                             static_cast<double>(met), static_cast<double>(due)});
    }
  }
  for (const auto& iv : status.indicators) {
    const IndicatorView& ind = *iv.indicator;
    auto& u = units[ind.owner];
    u.unit = ind.owner;
    if (u.name.empty()) u.name = ind.owner_name;
    double earned = iv.state == IndicatorState::kOnTrack ? 1 : iv.state == IndicatorState::kAtRisk ? 0.5 : 0;
    parts[ind.owner].ind_p += 1;
    parts[ind.owner].ind_e += earned;
    u.breakdown.push_back({"indicators", ind.id, ind.name + ":" + StateZh(iv.state) + (iv.stale ? "·数据欠报" : ""),
                           ind.name + ": " + ToString(iv.state), earned, 1.0});
  }
  for (auto& [id, u] : units) {
    const Parts& pt = parts[id];
    double w_total = 0, score = 0;
    auto part = [&](double e, double possible, int weight, double& out, bool& applies, const char* name_zh, const char* name_en) {
      applies = possible > 0;
      if (possible <= 0) {
        u.breakdown.push_back({name_en, "", std::string(name_zh) + ":本年度无考核事项,不计分(其余部分按比例折算)",
                               std::string(name_en) + ": nothing to assess this year; the other parts are scaled", 0, 0});
        return;
      }
      out = weight * e / possible;
      w_total += weight;
      score += out;
    };
    part(pt.closure_e, pt.closure_p, m.weights.closure, u.closure, u.has_closure, "按期办结", "closure");
    part(pt.rep_e, pt.rep_p, m.weights.reporting, u.reporting, u.has_reporting, "按时报送", "reporting");
    part(pt.ind_e, pt.ind_p, m.weights.indicators, u.indicators, u.has_indicators, "指标完成", "indicators");
    u.total = w_total > 0 ? score * 100.0 / w_total : 0;
    m.units.push_back(u);
  }
  std::stable_sort(m.units.begin(), m.units.end(), [](const auto& a, const auto& b) {
    if (std::fabs(a.total - b.total) > 1e-9) return a.total > b.total;
    return a.unit < b.unit;
  });
  for (size_t i = 0; i < m.units.size(); ++i)
    m.units[i].rank = i > 0 && std::fabs(m.units[i].total - m.units[i - 1].total) < 1e-9 ? m.units[i - 1].rank
                                                                                         : static_cast<int>(i + 1);
  return m;
}

std::string RenderAssessmentMarkdown(const AssessmentModel& m, Lang lang) {
  const bool zh = lang == Lang::kZh;
  auto f1 = [](double v) { char b[32]; std::snprintf(b, sizeof b, "%.1f", v); return std::string(b); };
  std::string o = zh ? "# " + m.plan_title + " " + std::to_string(m.year) + "年度考核评分\n\n"
                     : "# " + m.plan_title + " — assessment " + std::to_string(m.year) + "\n\n";
  o += zh ? "截至 " + m.as_of.ToString() + "。权重:按期办结 " + std::to_string(m.weights.closure) + " 分、按时报送 " +
                std::to_string(m.weights.reporting) + " 分、指标完成 " + std::to_string(m.weights.indicators) +
                " 分;无考核事项的部分不计分,其余部分按比例折算为百分制。\n\n"
          : "As of " + m.as_of.ToString() + ". Weights: closure " + std::to_string(m.weights.closure) + ", reporting " +
                std::to_string(m.weights.reporting) + ", indicators " + std::to_string(m.weights.indicators) +
                "; a part with nothing to assess is left out and the rest scaled to 100.\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : m.units)
    rows.push_back({std::to_string(u.rank), u.name, u.has_closure ? f1(u.closure) : "-", u.has_reporting ? f1(u.reporting) : "-",
                    u.has_indicators ? f1(u.indicators) : "-", f1(u.total)});
  o += MdTable(zh ? std::vector<std::string>{"排名", "单位", "按期办结", "按时报送", "指标完成", "总分"}
                  : std::vector<std::string>{"rank", "unit", "closure", "reporting", "indicators", "total"},
               rows) + "\n";
  o += zh ? "## 评分明细\n\n" : "## Breakdown\n\n";
  for (const auto& u : m.units) {
    o += "### " + u.name + "(" + f1(u.total) + ")\n\n";
    for (const auto& l : u.breakdown)
      o += "- " + (zh ? l.zh : l.en) + (l.possible > 0 ? "  [" + f1(l.earned) + "/" + f1(l.possible) + "]" : "") + "\n";
    o += "\n";
  }
  return o;
}

std::string RenderAssessmentJson(const AssessmentModel& m) {
  json units = json::array();
  for (const auto& u : m.units) {
    json lines = json::array();
    for (const auto& l : u.breakdown)
      lines.push_back({{"part", l.part}, {"item", l.item}, {"zh", l.zh}, {"en", l.en}, {"earned", l.earned}, {"possible", l.possible}});
    auto part = [](bool applies, double v) { return applies ? json(v) : json(nullptr); };
    units.push_back({{"rank", u.rank}, {"unit", u.unit}, {"name", u.name}, {"closure", part(u.has_closure, u.closure)},
                     {"reporting", part(u.has_reporting, u.reporting)}, {"indicators", part(u.has_indicators, u.indicators)},
                     {"total", u.total}, {"breakdown", lines}});
  }
  return json{{"schema", "duban.assessment/1"}, {"plan", m.plan}, {"year", m.year}, {"as_of", m.as_of.ToString()},
              {"weights", {{"closure", m.weights.closure}, {"reporting", m.weights.reporting}, {"indicators", m.weights.indicators}}},
              {"units", units}}
             .dump(2) + "\n";
}

std::string RenderAssessmentCsv(const AssessmentModel& m) {
  auto f2 = [](double v) { char b[32]; std::snprintf(b, sizeof b, "%.2f", v); return std::string(b); };
  std::string o = "\xEF\xBB\xBF";
  AppendCsvRecord(&o, {"排名", "单位", "总分", "部分", "事项", "说明", "得分", "满分"});
  for (const auto& u : m.units)
    for (const auto& l : u.breakdown) {
      std::string rank = std::to_string(u.rank), total = f2(u.total), earned = f2(l.earned), possible = f2(l.possible);
      AppendCsvRecord(&o, {rank, u.name, total, l.part, l.item, l.zh, earned, possible});
    }
  return o;
}

}  // namespace duban
