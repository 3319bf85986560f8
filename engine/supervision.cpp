#include "engine/supervision.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/graph.h"
#include "engine/text.h"

namespace duban {

const char* ToString(Light l) {
  switch (l) {
    case Light::kGreen: return "green";
    case Light::kYellow: return "yellow";
    case Light::kRed: return "red";
  }
  return "green";
}
const char* LightLabelZh(Light l) {
  switch (l) {
    case Light::kGreen: return "绿灯";
    case Light::kYellow: return "黄灯";
    case Light::kRed: return "红灯";
  }
  return "绿灯";
}
const char* ToString(Escalation e) {
  switch (e) {
    case Escalation::kNone: return "none";
    case Escalation::kReminder: return "reminder";
    case Escalation::kUrge: return "urge";
    case Escalation::kNotice: return "notice";
    case Escalation::kBulletin: return "bulletin";
  }
  return "none";
}
const char* EscalationLabelZh(Escalation e) {
  switch (e) {
    case Escalation::kNone: return "无";
    case Escalation::kReminder: return "提醒";
    case Escalation::kUrge: return "催办";
    case Escalation::kNotice: return "督办";
    case Escalation::kBulletin: return "通报";
  }
  return "无";
}
const char* ToString(IndicatorState s) {
  switch (s) {
    case IndicatorState::kOnTrack: return "on_track";
    case IndicatorState::kAtRisk: return "at_risk";
    case IndicatorState::kOffTrack: return "off_track";
    case IndicatorState::kNoData: return "no_data";
  }
  return "no_data";
}

namespace {

std::string Pct(double share) { return std::to_string(static_cast<int>(std::lround(share * 100))) + "%"; }

bool Open(AssignmentStatus s) { return s != AssignmentStatus::kDone && s != AssignmentStatus::kClosed; }

Date Clamp(Date d, Date lo, Date hi) { return d < lo ? lo : d > hi ? hi : d; }

// Occurrences of yearly MM-DD days within [from, to].
std::vector<Date> YearlyOccurrences(const std::vector<MonthDay>& days, Date from, Date to) {
  std::vector<Date> out;
  for (int y = from.year(); y <= to.year(); ++y) {
    for (const MonthDay& md : days) {
      int d = std::min(md.day, DaysInMonth(y, md.month));
      auto date = Date::FromCivil(y, md.month, d);
      if (date && *date >= from && *date <= to) out.push_back(*date);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "A、B、C等5家" for reasons that gather several units.
std::string Units(const std::vector<std::string>& names, bool zh) {
  std::string s;
  for (size_t i = 0; i < names.size() && i < 3; ++i) s += (i ? (zh ? "、" : ", ") : "") + names[i];
  if (names.size() > 3) s += zh ? "等" + std::to_string(names.size()) + "家" : " and " + std::to_string(names.size() - 3) + " more";
  return s;
}

struct Fit {
  double a = 0, b = 0;  // y = a + b x
  bool ok = false;
};

Fit LeastSquares(const std::vector<std::pair<double, double>>& pts) {
  Fit f;
  if (pts.size() < 2) return f;
  double n = static_cast<double>(pts.size()), sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (auto [x, y] : pts) { sx += x; sy += y; sxx += x * x; sxy += x * y; }
  double den = n * sxx - sx * sx;
  if (std::fabs(den) < 1e-12) return f;
  f.b = (n * sxy - sx * sy) / den;
  f.a = (sy - f.b * sx) / n;
  f.ok = true;
  return f;
}

class Evaluator {
 public:
  Evaluator(const PlanSnapshot& p, Date today, const WorkCalendar& cal, EvaluateDepth depth)
      : p_(p), today_(today), cal_(cal), depth_(depth) {
    out_.plan = &p;
    out_.today = today;
  }

  PlanStatus Run() {
    for (size_t i = 0; i < p_.tasks.size(); ++i) task_index_[p_.tasks[i].id] = static_cast<int>(i);
    out_.assignments.resize(p_.assignments.size());
    if (depth_ == EvaluateDepth::kStanding) {
      for (size_t i = 0; i < p_.assignments.size(); ++i) Standing(i);
      EvaluateTasks();
      return std::move(out_);
    }
    for (size_t i = 0; i < p_.assignments.size(); ++i) EvaluateAssignment(i);
    EvaluateTasks();
    PropagateDependencies();
    Escalate();
    for (const auto& ind : p_.indicators) out_.indicators.push_back(EvaluateIndicator(ind));
    return std::move(out_);
  }

 private:
  const PlanSnapshot::TaskRow* TaskOf(const AssignmentView& a) const {
    auto it = task_index_.find(a.task);
    return it == task_index_.end() ? nullptr : &p_.tasks[it->second];
  }

  void Add(std::vector<Reason>& v, std::string code, std::string zh, std::string en) {
    v.push_back({std::move(code), std::move(zh), std::move(en)});
  }

  // An assignment's state and lateness only (EvaluateDepth::kStanding).
  void Standing(size_t i) {
    const AssignmentView& a = p_.assignments[i];
    AssignmentStatusView& s = out_.assignments[i];
    s.assignment = &a;
    if (Open(a.status) && !a.ongoing && today_ > a.due) s.days_overdue = today_ - a.due;
  }

  void EvaluateAssignment(size_t i) {
    const AssignmentView& a = p_.assignments[i];
    AssignmentStatusView& s = out_.assignments[i];
    s.assignment = &a;
    const Supervision& sv = p_.supervision;
    const PlanSnapshot::TaskRow* t = TaskOf(a);
    const std::vector<Date>& reports = p_.report_days[i];
    bool open = Open(a.status);

    // Reporting duty: every cycle after the first full week of the assignment's span,
    // while it is open (until it was done, for the record of past cycles).
    Date duty_from = std::max(a.start, p_.period_start) + 7;
    Date duty_to = a.ongoing ? std::max(today_, p_.period_end) : std::max(a.due, p_.period_end);
    Date owed_to = std::min(today_, duty_to);
    if (!open) owed_to = std::min(owed_to, a.done_day.value_or(a.last_report.value_or(today_)));
    {
      const std::vector<Date>& due_days = Days(duty_from, owed_to);
      // Cycle k is met by a report in (due[k-1], due[k]]; the first from the start.
      Date window_start = a.start;
      for (Date d : due_days) {
        auto lo = std::upper_bound(reports.begin(), reports.end(), window_start - 1);
        s.cycles.push_back({d, lo != reports.end() && *lo <= d});
        window_start = d + 1;
      }
    }
    if (open) {
      for (size_t k = s.cycles.size(); k-- > 0 && !s.cycles[k].second;) ++s.missed_cycles;
      for (const auto& [d, met] : s.cycles)
        if (!met && d > today_ - 365) ++s.misses_past_year;
      Date last_due = s.cycles.empty() ? a.start - 1 : s.cycles.back().first;
      s.reported_this_cycle = !reports.empty() && reports.back() > last_due;
      const std::vector<Date>& next = Days(std::max(today_, duty_from), today_ + 120);
      if (!next.empty()) s.next_report_due = next.front();
    }
    if (!open) return;  // done (awaiting acceptance) or closed: green, no duty

    // Lateness and expected progress.
    if (!a.ongoing && today_ > a.due) s.days_overdue = today_ - a.due;
    if (!a.ongoing && a.due > a.start && today_ >= a.start) {
      double share = std::clamp(static_cast<double>(today_ - a.start) / static_cast<double>(a.due - a.start), 0.0, 1.0);
      s.expected_progress = static_cast<int>(std::lround(share * 100));
    }

    std::string last = a.last_report ? a.last_report->ToString() : "";
    auto missed_text_zh = [&] {
      return "连续" + std::to_string(s.missed_cycles) + "个报送周期未报送" +
             (last.empty() ? "(从未报送)" : "(最近报送 " + last + ")");
    };
    auto missed_text_en = [&] {
      return std::to_string(s.missed_cycles) + " reporting cycles missed in a row" +
             (last.empty() ? " (never reported)" : " (last report " + last + ")");
    };
    std::vector<Reason> red, yellow;
    if (s.days_overdue > 0)
      Add(red, "overdue", "逾期" + std::to_string(s.days_overdue) + "天(完成时限 " + a.due.ToString() + ")",
          std::to_string(s.days_overdue) + " days overdue (due " + a.due.ToString() + ")");
    if (s.missed_cycles >= sv.missed_cycles_red && sv.missed_cycles_red > 0)
      Add(red, "missed_reports", missed_text_zh(), missed_text_en());
    else if (s.missed_cycles >= sv.missed_cycles_yellow && sv.missed_cycles_yellow > 0)
      Add(yellow, "missed_reports", missed_text_zh(), missed_text_en());
    if (!a.ongoing && s.days_overdue == 0 && a.due - today_ <= sv.warning_days)
      Add(yellow, "due_soon", "距完成时限还有" + std::to_string(a.due - today_) + "天(" + a.due.ToString() + ")",
          "due in " + std::to_string(a.due - today_) + " days (" + a.due.ToString() + ")");
    // A unit that has never reported has an unknown progress, not 0%: the missed
    // reports say it.
    if (s.expected_progress && a.last_report && a.progress + sv.progress_tolerance < *s.expected_progress)
      Add(yellow, "behind_schedule",
          "进度" + std::to_string(a.progress) + "%,按时间应达" + std::to_string(*s.expected_progress) + "%",
          "progress " + std::to_string(a.progress) + "%, " + std::to_string(*s.expected_progress) + "% expected by now");
    if (a.status == AssignmentStatus::kBlocked)
      Add(yellow, "blocked", "受阻:" + a.blocked_reason, "blocked: " + a.blocked_reason);
    if (t) {
      for (const auto& [title, due] : t->milestones) {
        if (due >= today_ && due - today_ <= sv.warning_days)
          Add(yellow, "milestone_due", "阶段目标「" + title + "」" + due.ToString() + "到期",
              "milestone \"" + title + "\" due " + due.ToString());
      }
      for (Date d : YearlyOccurrences(t->yearly, today_, today_ + sv.warning_days))
        Add(yellow, "event_due", "年度事项 " + d.ToString() + " 到期(" + std::to_string(d - today_) + "天后)",
            "yearly event on " + d.ToString() + " (in " + std::to_string(d - today_) + " days)");
    }
    if (!red.empty()) {
      s.light = Light::kRed;
      s.reasons = red;
      s.reasons.insert(s.reasons.end(), yellow.begin(), yellow.end());
    } else if (!yellow.empty()) {
      s.light = Light::kYellow;
      s.reasons = yellow;
    }
  }

  void EvaluateTasks() {
    std::map<std::string, std::vector<int>> by_task;
    for (size_t i = 0; i < p_.assignments.size(); ++i) by_task[p_.assignments[i].task].push_back(static_cast<int>(i));
    for (size_t ti = 0; ti < p_.tasks.size(); ++ti) {
      const auto& t = p_.tasks[ti];
      if (!t.leaf) continue;
      TaskStatusView v;
      v.task = static_cast<int>(ti);
      v.assignments = by_task[t.id];
      if (v.assignments.empty()) continue;  // not assigned (removed units)
      bool all_closed = true, leads_done = true, any_lead_blocked = false, started = false;
      int lead_progress = 0, leads = 0;
      Date lead_done_day = t.start;
      std::vector<std::string> red_leads, red_coops, yellow_units, waiting;
      std::map<std::string, std::vector<std::string>> red_by_code, yellow_by_code;
      std::map<std::string, std::string> code_zh, code_en;
      std::map<std::string, int> max_missed;
      for (int ai : v.assignments) {
        const AssignmentView& a = p_.assignments[ai];
        const AssignmentStatusView& s = out_.assignments[ai];
        all_closed = all_closed && a.status == AssignmentStatus::kClosed;
        started = started || a.status != AssignmentStatus::kNotStarted || a.progress > 0;
        if (a.role == Role::kLead) {
          ++leads;
          lead_progress += a.progress;
          leads_done = leads_done && !Open(a.status);
          any_lead_blocked = any_lead_blocked || a.status == AssignmentStatus::kBlocked;
          if (!Open(a.status) && a.last_report) lead_done_day = std::max(lead_done_day, *a.last_report);
        } else if (Open(a.status)) {
          waiting.push_back(a.unit_name);
        }
        v.days_overdue = std::max(v.days_overdue, s.days_overdue);
        for (const Reason& r : s.reasons) {
          bool lead = a.role == Role::kLead;
          auto& bucket = (s.light == Light::kRed && (r.code == "overdue" || r.code == "missed_reports")) ? red_by_code
                                                                                                        : yellow_by_code;
          std::string key = (lead ? "lead:" : "coop:") + r.code;
          bucket[key].push_back(a.unit_name);
          std::string which = (&bucket == &red_by_code ? "red|" : "yellow|") + key;
          code_zh.emplace(which, r.zh);  // the first unit's wording
          code_en.emplace(which, r.en);
          int& most = max_missed[which];
          most = std::max(most, s.missed_cycles);
        }
      }
      v.progress = leads ? lead_progress / leads : 0;
      if (all_closed) v.state = AssignmentStatus::kClosed;
      else if (leads_done && leads) v.state = AssignmentStatus::kDone;
      else if (any_lead_blocked) v.state = AssignmentStatus::kBlocked;
      else if (started) v.state = AssignmentStatus::kInProgress;
      else v.state = AssignmentStatus::kNotStarted;
      if (v.state == AssignmentStatus::kDone && !waiting.empty()) {
        v.waiting_days = today_ - lead_done_day;
        v.waiting_on = waiting;
      }
      // Red: a lead is red. A cooperating unit's red makes the task yellow. One reason
      // per role and cause, naming the units.
      auto describe = [&](const std::string& key, const std::vector<std::string>& names, bool red) {
        bool lead = key.rfind("lead:", 0) == 0;
        std::string code = key.substr(key.find(':') + 1);
        std::string who_zh = (lead ? "牵头单位" : "配合单位") + Units(names, true);
        std::string who_en = std::string(lead ? "lead " : "cooperating ") + Units(names, false);
        std::string which = (red ? "red|" : "yellow|") + key;
        int most = max_missed[which];
        if (names.size() > 1 && code == "missed_reports")
          return Reason{code, who_zh + "未按期报送(最多连续" + std::to_string(most) + "期)",
                        who_en + " missed reports (up to " + std::to_string(most) + " cycles in a row)"};
        if (names.size() > 1 && code == "behind_schedule")
          return Reason{code, who_zh + "进度落后于时间进度", who_en + " behind the time line"};
        if (names.size() > 1 && code == "blocked")
          return Reason{code, who_zh + "受阻", who_en + " blocked"};
        // Lateness and due dates read the same for every unit of a task.
        return Reason{code, who_zh + ":" + code_zh[which], who_en + ": " + code_en[which]};
      };
      for (auto& [key, names] : red_by_code) {
        if (key.rfind("lead:", 0) == 0) {
          v.light = Light::kRed;
          v.reasons.push_back(describe(key, names, true));
        }
      }
      for (auto& [key, names] : red_by_code) {
        if (key.rfind("coop:", 0) == 0) {
          if (v.light == Light::kGreen) v.light = Light::kYellow;
          Reason r = describe(key, names, true);
          r.code = "cooperator_late";
          v.reasons.push_back(r);
        }
      }
      for (auto& [key, names] : yellow_by_code) {
        if (v.light == Light::kGreen) v.light = Light::kYellow;
        v.reasons.push_back(describe(key, names, false));
      }
      if (v.state == AssignmentStatus::kDone) {
        v.reasons.push_back({"awaiting_acceptance", "已报完成,待验收办结", "claimed done, awaiting acceptance"});
      }
      task_status_index_[t.id] = static_cast<int>(out_.tasks.size());
      out_.tasks.push_back(std::move(v));
    }
  }

  void PropagateDependencies() {
    const size_t n = p_.tasks.size();
    DependencyGraph g(n);
    for (size_t i = 0; i < n; ++i)
      for (const auto& d : p_.tasks[i].depends_on) {
        auto it = task_index_.find(d);
        if (it != task_index_.end()) g.AddDependency(it->second, static_cast<int>(i));
      }
    // A late or blocked task puts everything downstream at risk, naming the cause.
    // The causes are the tasks late or blocked before any propagation.
    struct Cause { int task; bool late; };
    std::vector<Cause> causes;
    for (const TaskStatusView& v : out_.tasks) {
      bool late = v.light == Light::kRed, blocked = v.state == AssignmentStatus::kBlocked;
      if (late || blocked) causes.push_back({v.task, late});
    }
    for (const auto& [task, late] : causes) {
      const auto& cause = p_.tasks[task];
      std::string why_zh = late ? "逾期" : "受阻", why_en = late ? "late" : "blocked";
      for (int d : g.Downstream(task)) {
        auto it = task_status_index_.find(p_.tasks[d].id);
        if (it == task_status_index_.end()) continue;
        TaskStatusView& down = out_.tasks[it->second];
        if (down.state == AssignmentStatus::kClosed || down.state == AssignmentStatus::kDone) continue;
        Reason r{"upstream_late", "上游任务 " + cause.id + "「" + TruncateToWidth(cause.title, 24) + "」" + why_zh,
                 "upstream task " + cause.id + " (" + cause.title + ") is " + why_en};
        if (down.light == Light::kGreen) down.light = Light::kYellow;
        down.reasons.push_back(r);
        for (int ai : down.assignments) {
          AssignmentStatusView& s = out_.assignments[ai];
          if (!Open(p_.assignments[ai].status)) continue;
          if (s.light == Light::kGreen) s.light = Light::kYellow;
          s.reasons.push_back(r);
        }
      }
    }
    std::vector<int> durations(n, 0);
    std::vector<bool> finished(n, true);
    for (const TaskStatusView& v : out_.tasks) {
      const auto& t = p_.tasks[v.task];
      finished[v.task] = !Open(v.state);
      durations[v.task] = t.ongoing ? 0 : std::max(0, t.due - std::max(today_, t.start));
    }
    for (int i : g.CriticalPath(durations, finished)) out_.critical_path.push_back(p_.tasks[i].id);
  }

  void Escalate() {
    const Supervision& sv = p_.supervision;
    for (size_t i = 0; i < out_.assignments.size(); ++i) {
      const AssignmentView& a = p_.assignments[i];
      AssignmentStatusView& s = out_.assignments[i];
      if (!Open(a.status)) continue;
      const PlanSnapshot::TaskRow* t = TaskOf(a);
      auto raise = [&](Escalation e, Reason r) {
        s.escalation = std::max(s.escalation, e);
        s.escalation_reasons.push_back(std::move(r));
      };
      if (s.days_overdue > sv.bulletin_after_days)
        raise(Escalation::kBulletin, {"overdue", "逾期" + std::to_string(s.days_overdue) + "天,超过" +
                                                     std::to_string(sv.bulletin_after_days) + "天",
                                      std::to_string(s.days_overdue) + " days overdue, more than " +
                                          std::to_string(sv.bulletin_after_days)});
      else if (s.days_overdue > sv.notice_after_days)
        raise(Escalation::kNotice, {"overdue", "逾期" + std::to_string(s.days_overdue) + "天,超过" +
                                                   std::to_string(sv.notice_after_days) + "天",
                                    std::to_string(s.days_overdue) + " days overdue, more than " +
                                        std::to_string(sv.notice_after_days)});
      else if (s.days_overdue > 0)
        raise(Escalation::kUrge, {"overdue", "逾期" + std::to_string(s.days_overdue) + "天(完成时限 " + a.due.ToString() + ")",
                                  std::to_string(s.days_overdue) + " days overdue (due " + a.due.ToString() + ")"});
      if (sv.repeated_misses > 0 && s.misses_past_year >= sv.repeated_misses)
        raise(Escalation::kBulletin, {"repeated_misses", "近一年" + std::to_string(s.misses_past_year) + "次未按期报送",
                                      std::to_string(s.misses_past_year) + " reports missed in the past year"});
      if (s.missed_cycles >= 1)
        raise(Escalation::kUrge, {"missed_reports", "连续" + std::to_string(s.missed_cycles) + "个报送周期未报送",
                                  std::to_string(s.missed_cycles) + " reporting cycles missed"});
      if (!a.ongoing && s.days_overdue == 0 && a.due - today_ <= sv.warning_days)
        raise(Escalation::kReminder, {"due_soon", "完成时限 " + a.due.ToString() + ",还有" + std::to_string(a.due - today_) + "天",
                                      "due " + a.due.ToString() + ", in " + std::to_string(a.due - today_) + " days"});
      if (s.next_report_due && !s.reported_this_cycle && *s.next_report_due - today_ <= sv.report_reminder_days)
        raise(Escalation::kReminder, {"report_due", "本期进展请于 " + s.next_report_due->ToString() + " 前报送",
                                      "this cycle's report is due " + s.next_report_due->ToString()});
      if (t) {
        for (const auto& [title, due] : t->milestones)
          if (due >= today_ && due - today_ <= sv.warning_days)
            raise(Escalation::kReminder, {"milestone_due", "阶段目标「" + title + "」" + due.ToString() + "到期",
                                          "milestone \"" + title + "\" due " + due.ToString()});
        for (Date d : YearlyOccurrences(t->yearly, today_, today_ + sv.warning_days))
          raise(Escalation::kReminder, {"event_due", "年度事项 " + d.ToString() + " 到期", "yearly event on " + d.ToString()});
      }
    }
  }

  IndicatorStatusView EvaluateIndicator(const IndicatorView& ind) {
    IndicatorStatusView v;
    v.indicator = &ind;
    const double tol = p_.supervision.progress_tolerance / 100.0;
    std::vector<IndicatorView::Value> values = ind.values;
    std::stable_sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.as_of < b.as_of; });
    if (!values.empty()) {
      v.latest = values.back().value;
      v.latest_as_of = values.back().as_of;
    }
    const bool at_most = ind.kind == IndicatorKind::kAtMost;
    // Where the path starts: the baseline, 0 at the period start for a cumulative
    // count, or else the first value recorded.
    if (ind.baseline_value) {
      v.start_value = *ind.baseline_value;
      v.start_date = ind.baseline_date.value_or(p_.period_start);
    } else if (ind.kind == IndicatorKind::kCumulative) {
      v.start_value = 0;
      v.start_date = p_.period_start;
    } else if (!values.empty()) {
      v.start_value = values.front().value;
      v.start_date = values.front().as_of;
    }
    Date target_date = ind.target_date;
    Date start_date = v.start_date.value_or(p_.period_start);
    if (target_date > start_date)
      v.time_elapsed = std::clamp(static_cast<double>(today_ - start_date) / (target_date - start_date), 0.0, 1.0);

    // Stale: the last completed cycle's value has not arrived after a grace period.
    int grace = ind.cycle == Cycle::kYearly ? 90 : ind.cycle == Cycle::kQuarterly ? 30 : 15;
    std::optional<Date> last_end;
    for (int y = start_date.year(); y <= today_.year(); ++y) {
      for (int m = 1; m <= 12; ++m) {
        bool end = ind.cycle == Cycle::kYearly ? m == 12 : ind.cycle == Cycle::kQuarterly ? m % 3 == 0 : true;
        if (!end) continue;
        Date e = *Date::FromCivil(y, m, DaysInMonth(y, m));
        if (e > start_date && e + grace <= today_ && e <= target_date) last_end = e;
      }
    }
    v.stale = last_end && (!v.latest_as_of || *v.latest_as_of < *last_end);

    if (ind.kind == IndicatorKind::kAnnualGrowth) {
      v.expected = ind.target_value;
      if (v.latest) {
        v.gap = *v.latest - ind.target_value;
        v.covered = ind.target_value != 0 ? *v.latest / ind.target_value : 1.0;
        v.projection = *v.latest;
        v.state = *v.latest >= ind.target_value ? IndicatorState::kOnTrack
                  : *v.latest >= ind.target_value * (1 - tol) ? IndicatorState::kAtRisk
                                                              : IndicatorState::kOffTrack;
      }
    } else if (v.start_value && v.latest) {
      Date at = Clamp(today_, start_date, target_date);
      v.expected = ExpectedValue(ind.trajectory, *v.start_value, start_date, ind.target_value, target_date, at);
      double span = ind.target_value - *v.start_value;
      v.gap = at_most ? *v.expected - *v.latest : *v.latest - *v.expected;
      // With no baseline and a single value, the start is that value: nothing to measure yet.
      bool start_is_value = !ind.baseline_value && ind.kind != IndicatorKind::kCumulative;
      if (!(start_is_value && values.size() < 2))
        v.covered = std::fabs(span) > 1e-12 ? (*v.latest - *v.start_value) / span : 1.0;
      // The projection follows the recorded values' own trend (the pace now); with a
      // single value, the line from the start through it.
      std::vector<std::pair<double, double>> pts;
      bool log_scale = ind.trajectory == Trajectory::kCompound;
      auto push = [&](Date d, double val) {
        if (log_scale && val <= 0) log_scale = false;
        pts.push_back({static_cast<double>(d.days()), val});
      };
      if (values.size() < 2 && !(v.start_date == values.front().as_of)) push(start_date, *v.start_value);
      for (const auto& x : values) push(x.as_of, x.value);
      if (log_scale)
        for (auto& p : pts) p.second = std::log(p.second);
      Fit fit = LeastSquares(pts);
      if (fit.ok) {
        double y = fit.a + fit.b * target_date.days();
        v.projection = log_scale ? std::exp(y) : y;
      }
      // Judged where the value stands: its share of the way against the share of time
      // elapsed at its as-of date (a year-end figure is not held to July's path).
      double time_at_value = target_date > start_date
                                 ? std::clamp(static_cast<double>(*v.latest_as_of - start_date) / (target_date - start_date), 0.0, 1.0)
                                 : 1.0;
      bool reached = at_most ? *v.latest <= ind.target_value : *v.latest >= ind.target_value;
      bool projected = v.projection && (at_most ? *v.projection <= ind.target_value : *v.projection >= ind.target_value);
      if (reached || !v.covered || *v.covered >= time_at_value - tol) v.state = IndicatorState::kOnTrack;
      else if (projected) v.state = IndicatorState::kAtRisk;
      else v.state = IndicatorState::kOffTrack;
    }
    // The reason in words.
    std::string m = ind.measure;
    switch (v.state) {
      case IndicatorState::kNoData:
        v.note_zh = "尚无完成值";
        v.note_en = "no value recorded yet";
        break;
      case IndicatorState::kOnTrack:
        v.note_zh = "进度正常";
        v.note_en = "on track";
        break;
      case IndicatorState::kAtRisk:
        v.note_zh = "落后于时间进度,按趋势可达目标";
        v.note_en = "behind the time line, but the trend reaches the target";
        break;
      case IndicatorState::kOffTrack:
        v.note_zh = "落后于时间进度,按趋势难以达标";
        v.note_en = "behind the time line, and the trend misses the target";
        break;
    }
    if (v.covered && ind.kind != IndicatorKind::kAnnualGrowth) {
      v.note_zh += "(完成度 " + Pct(*v.covered) + ",时间进度 " + Pct(v.time_elapsed) + ")";
      v.note_en += " (covered " + Pct(*v.covered) + ", time " + Pct(v.time_elapsed) + ")";
    }
    if (v.projection && ind.kind != IndicatorKind::kAnnualGrowth) {
      v.note_zh += ",预计" + target_date.ToString() + "达 " + FormatNumber(*v.projection) + m;
      v.note_en += ", projected " + FormatNumber(*v.projection) + " " + m + " by " + target_date.ToString();
    }
    if (v.stale) {
      v.note_zh += ";" + last_end->ToString() + " 期数据未报";
      v.note_en += "; the value for " + last_end->ToString() + " has not arrived";
    }
    return v;
  }

  // Reporting days for a span; assignments of one task share spans, so they are
  // computed once per span.
  const std::vector<Date>& Days(Date from, Date to) {
    auto key = (static_cast<int64_t>(from.days()) << 32) | static_cast<uint32_t>(to.days());
    auto it = days_.find(key);
    if (it == days_.end()) it = days_.emplace(key, ReportingDays(p_.reporting, from, to, cal_)).first;
    return it->second;
  }

  const PlanSnapshot& p_;
  Date today_;
  const WorkCalendar& cal_;
  std::unordered_map<int64_t, std::vector<Date>> days_;
  EvaluateDepth depth_;
  PlanStatus out_;
  std::unordered_map<std::string, int> task_index_;
  std::unordered_map<std::string, int> task_status_index_;
};

}  // namespace

std::vector<Date> ReportingDays(const Reporting& r, Date from, Date to, const WorkCalendar& calendar) {
  std::vector<Date> out;
  if (to < from) return out;
  auto consider = [&](Date d) {
    Date moved = calendar.NextWorkday(d);
    if (moved >= from && moved <= to && (out.empty() || out.back() < moved)) out.push_back(moved);
  };
  if (r.cycle == Cycle::kWeekly) {
    Date d = from - 7;
    while (d.weekday() != r.due_day) d = d + 1;
    for (; d <= to; d = d + 7) consider(d);
    return out;
  }
  // Start a month early: a day due at the end of last month may move into the range.
  int y = from.year(), m = from.month() - 1;
  if (m == 0) { m = 12; --y; }
  for (; Date::FromCivil(y, m, 1).value() <= to; m == 12 ? (m = 1, ++y) : ++m) {
    if (r.cycle == Cycle::kQuarterly && (m - 1) % 3 != 0) continue;
    consider(*Date::FromCivil(y, m, std::min(r.due_day, DaysInMonth(y, m))));
  }
  return out;
}

double ExpectedValue(Trajectory t, double start, Date start_date, double target, Date target_date, Date at) {
  if (target_date <= start_date) return target;
  double f = std::clamp(static_cast<double>(at - start_date) / static_cast<double>(target_date - start_date), 0.0, 1.0);
  if (t == Trajectory::kCompound && start > 0 && target > 0) return start * std::pow(target / start, f);
  return start + (target - start) * f;
}

PlanStatus Evaluate(const PlanSnapshot& plan, Date today, const WorkCalendar& calendar, EvaluateDepth depth) {
  WorkCalendar cal = calendar;
  for (const auto& c : plan.calendar) {
    if (c.workday) {
      for (Date d = c.from; d <= c.to; d = d + 1) cal.AddWorkday(d);
    } else {
      cal.AddHoliday(c.from, c.to, c.name);
    }
  }
  return Evaluator(plan, today, cal, depth).Run();
}

}  // namespace duban
