// Supervision walked through time on hand-built snapshots: lights and their reasons,
// escalation, stale reports, dependencies, indicator trajectories.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/supervision.h"

using namespace duban;

namespace {

Date D(const char* s) { return *ParseDate(s); }

// A plan of two tasks, A (due 2025-06-30) and B (depends on A, due 2025-09-30), each led
// by "lead" with "coop" cooperating on A. Monthly reports due on the 5th.
struct Builder {
  PlanSnapshot p;
  Builder() {
    p.id = "demo";
    p.title = "示范方案";
    p.office = "office";
    p.office_name = "专班办公室";
    p.period_start = D("2025-01-01");
    p.period_end = D("2025-12-31");
    p.tasks.push_back({"1", "", "第一部分", false, D("2025-01-01"), D("2025-12-31"), false, {}, {}, {}});
    p.tasks.push_back({"A", "1", "建立机制", true, D("2025-01-01"), D("2025-06-30"), false, {}, {}, {}});
    p.tasks.push_back({"B", "1", "推广应用", true, D("2025-01-01"), D("2025-09-30"), false, {}, {}, {"A"}});
    Assign("A", "lead", "牵头局", Role::kLead);
    Assign("A", "coop", "配合局", Role::kCooperate);
    Assign("B", "lead", "牵头局", Role::kLead);
  }
  void Assign(const std::string& task, const std::string& unit, const std::string& name, Role role) {
    AssignmentView a;
    a.id = static_cast<int64_t>(p.assignments.size() + 1);
    a.plan = "demo";
    a.task = task;
    a.task_title = task == "A" ? "建立机制" : "推广应用";
    a.unit = unit;
    a.unit_name = name;
    a.role = role;
    for (const auto& t : p.tasks)
      if (t.id == task) { a.start = t.start; a.due = t.due; }
    p.assignments.push_back(a);
    p.report_days.emplace_back();
  }
  // Records a report on `day`: the state as of that report.
  void Report(size_t i, const char* day, AssignmentStatus st, int progress, const std::string& note = "") {
    p.report_days[i].push_back(D(day));
    std::sort(p.report_days[i].begin(), p.report_days[i].end());
    p.assignments[i].status = st;
    p.assignments[i].progress = progress;
    p.assignments[i].last_report = p.report_days[i].back();
    if (st == AssignmentStatus::kBlocked) p.assignments[i].blocked_reason = note;
  }
  PlanStatus At(const char* day) { return Evaluate(p, D(day), WorkCalendar::China()); }
};

std::vector<std::string> Codes(const std::vector<Reason>& rs) {
  std::vector<std::string> out;
  for (const auto& r : rs) out.push_back(r.code);
  return out;
}

const TaskStatusView& TaskOf(const PlanStatus& s, const std::string& id) {
  for (const auto& t : s.tasks)
    if (s.plan->tasks[t.task].id == id) return t;
  FAIL("no task " << id);
  return s.tasks.front();
}

}  // namespace

TEST_CASE("Supervision: reporting days move off holidays to the next working day", "[supervision]") {
  const WorkCalendar& cal = WorkCalendar::China();
  Reporting monthly{Cycle::kMonthly, 5};
  auto days = ReportingDays(monthly, D("2025-09-01"), D("2025-12-31"), cal);
  REQUIRE(days.size() == 4);
  CHECK(days[0] == D("2025-09-05"));  // Friday
  CHECK(days[1] == D("2025-10-09"));  // 10-05 is inside 国庆节、中秋节 (10-01..08)
  CHECK(days[2] == D("2025-11-05"));
  CHECK(days[3] == D("2025-12-05"));
  CHECK(ReportingDays(monthly, D("2025-01-01"), D("2025-01-31"), cal).front() == D("2025-01-06"));  // Sunday
  Reporting weekly{Cycle::kWeekly, 5};
  auto fridays = ReportingDays(weekly, D("2025-09-29"), D("2025-10-17"), cal);
  REQUIRE(fridays.size() == 3);
  CHECK(fridays[0] == D("2025-10-09"));  // Friday 10-03 is a holiday: the next working day
  CHECK(fridays[1] == D("2025-10-10"));
  CHECK(fridays[2] == D("2025-10-17"));
  Reporting quarterly{Cycle::kQuarterly, 10};
  auto q = ReportingDays(quarterly, D("2025-01-01"), D("2025-12-31"), cal);
  REQUIRE(q.size() == 4);
  CHECK(q[1] == D("2025-04-10"));
  CHECK(q[3] == D("2025-10-10"));
}

TEST_CASE("Supervision: an assignment's light through its life, with reasons", "[supervision]") {
  Builder b;
  SECTION("early on, nothing is owed") {
    auto s = b.At("2025-01-03");
    CHECK(s.assignments[0].light == Light::kGreen);
    CHECK(s.assignments[0].reasons.empty());
  }
  SECTION("one reporting cycle missed: yellow; two: red") {
    auto feb = b.At("2025-02-10");
    CHECK(feb.assignments[0].missed_cycles == 1);
    CHECK(feb.assignments[0].light == Light::kYellow);
    CHECK(feb.assignments[0].reasons[0].zh == "连续1个报送周期未报送(从未报送)");
    auto mar = b.At("2025-03-10");
    CHECK(mar.assignments[0].missed_cycles == 2);
    CHECK(mar.assignments[0].light == Light::kRed);
    CHECK(mar.assignments[0].reasons[0].en == "2 reporting cycles missed in a row (never reported)");
  }
  SECTION("reporting on time and on schedule is green") {
    b.Report(0, "2025-02-03", AssignmentStatus::kInProgress, 20);
    b.Report(0, "2025-03-04", AssignmentStatus::kInProgress, 35);
    auto s = b.At("2025-03-10");
    CHECK(s.assignments[0].missed_cycles == 0);
    CHECK(*s.assignments[0].expected_progress == 38);  // 68 of 180 days
    CHECK(s.assignments[0].light == Light::kGreen);
  }
  SECTION("a green task whose last report is three cycles old is not green") {
    b.Report(0, "2025-02-03", AssignmentStatus::kInProgress, 60);
    auto s = b.At("2025-05-12");
    CHECK(s.assignments[0].missed_cycles == 3);
    CHECK(s.assignments[0].light == Light::kRed);
    CHECK(s.assignments[0].reasons[0].zh == "连续3个报送周期未报送(最近报送 2025-02-03)");
  }
  SECTION("behind expected progress by more than the tolerance") {
    b.Report(0, "2025-05-05", AssignmentStatus::kInProgress, 30);
    auto s = b.At("2025-05-08");
    CHECK(*s.assignments[0].expected_progress == 71);
    CHECK(s.assignments[0].light == Light::kYellow);
    CHECK(Codes(s.assignments[0].reasons) == std::vector<std::string>{"behind_schedule"});
    CHECK(s.assignments[0].reasons[0].zh == "进度30%,按时间应达71%");
  }
  SECTION("due within the warning window") {
    for (const char* d : {"2025-02-03", "2025-03-04", "2025-04-03", "2025-05-06"}) b.Report(0, d, AssignmentStatus::kInProgress, 60);
    b.Report(0, "2025-06-05", AssignmentStatus::kInProgress, 90);
    auto s = b.At("2025-06-20");
    CHECK(Codes(s.assignments[0].reasons) == std::vector<std::string>{"due_soon"});
    CHECK(s.assignments[0].reasons[0].zh == "距完成时限还有10天(2025-06-30)");
    CHECK(s.assignments[0].escalation == Escalation::kReminder);
  }
  SECTION("blocked is yellow with its reason") {
    b.Report(0, "2025-03-04", AssignmentStatus::kBlocked, 35, "资金未到位");
    auto s = b.At("2025-03-10");
    CHECK(s.assignments[0].light == Light::kYellow);
    CHECK(s.assignments[0].reasons[0].zh == "受阻:资金未到位");
    CHECK(TaskOf(s, "A").state == AssignmentStatus::kBlocked);
  }
  SECTION("overdue is red, and escalates with time") {
    for (const char* d : {"2025-02-03", "2025-03-04", "2025-04-03", "2025-05-06", "2025-06-04", "2025-07-04", "2025-08-04"})
      b.Report(0, d, AssignmentStatus::kInProgress, 80);
    auto urge = b.At("2025-07-05");
    CHECK(urge.assignments[0].days_overdue == 5);
    CHECK(urge.assignments[0].light == Light::kRed);
    CHECK(urge.assignments[0].reasons[0].zh == "逾期5天(完成时限 2025-06-30)");
    CHECK(urge.assignments[0].escalation == Escalation::kUrge);
    CHECK(b.At("2025-07-16").assignments[0].escalation == Escalation::kNotice);   // 16 > 15
    CHECK(b.At("2025-07-15").assignments[0].escalation == Escalation::kUrge);     // 15, not more
    CHECK(b.At("2025-08-05").assignments[0].escalation == Escalation::kBulletin); // 36 > 30
  }
  SECTION("one report in five cycles: repeated misses get the unit named in the bulletin") {
    b.Report(0, "2025-06-05", AssignmentStatus::kInProgress, 90);
    auto s = b.At("2025-06-20");
    CHECK(s.assignments[0].misses_past_year == 4);
    CHECK(s.assignments[0].escalation == Escalation::kBulletin);
    CHECK(s.assignments[0].escalation_reasons[0].zh == "近一年4次未按期报送");
  }
  SECTION("repeated misses over a year get a unit named in the bulletin") {
    b.Report(0, "2025-02-03", AssignmentStatus::kInProgress, 10);
    b.Report(0, "2025-04-03", AssignmentStatus::kInProgress, 30);
    b.Report(0, "2025-06-04", AssignmentStatus::kInProgress, 60);
    auto s = b.At("2025-06-20");
    CHECK(s.assignments[0].misses_past_year == 2);
    CHECK(s.assignments[0].escalation != Escalation::kBulletin);
    b.p.supervision.repeated_misses = 2;
    CHECK(b.At("2025-06-20").assignments[0].escalation == Escalation::kBulletin);
  }
  SECTION("done awaits acceptance; closed is green") {
    b.Report(0, "2025-06-25", AssignmentStatus::kDone, 100);
    auto s = b.At("2025-07-10");
    CHECK(s.assignments[0].light == Light::kGreen);
    CHECK(s.assignments[0].days_overdue == 0);
    const auto& t = TaskOf(s, "A");
    CHECK(t.state == AssignmentStatus::kDone);
    REQUIRE(t.waiting_days);
    CHECK(*t.waiting_days == 15);  // the cooperating unit has not finished
    CHECK(t.waiting_on == std::vector<std::string>{"配合局"});
    b.p.assignments[0].status = AssignmentStatus::kClosed;
    b.p.assignments[1].status = AssignmentStatus::kClosed;
    CHECK(TaskOf(b.At("2025-07-10"), "A").state == AssignmentStatus::kClosed);
  }
}

TEST_CASE("Supervision: a task's light follows its units; a late task puts its dependants at risk", "[supervision]") {
  Builder b;
  // The lead keeps reporting; the cooperating unit never does.
  for (const char* d : {"2025-02-03", "2025-03-04", "2025-04-03"}) b.Report(0, d, AssignmentStatus::kInProgress, 60);
  for (const char* d : {"2025-02-03", "2025-03-04", "2025-04-03"}) b.Report(2, d, AssignmentStatus::kInProgress, 30);
  auto s = b.At("2025-04-10");
  const auto& a = TaskOf(s, "A");
  CHECK(s.assignments[1].light == Light::kRed);  // the cooperating unit
  CHECK(a.light == Light::kYellow);              // a cooperating unit's red makes the task yellow
  REQUIRE_FALSE(a.reasons.empty());
  CHECK(a.reasons[0].code == "cooperator_late");
  CHECK(a.reasons[0].zh == "配合单位配合局:连续3个报送周期未报送(从未报送)");
  // A second cooperating unit, one cycle behind, keeps its own wording (yellow).
  b.Assign("A", "coop2", "协办局", Role::kCooperate);
  b.Report(3, "2025-03-04", AssignmentStatus::kInProgress, 30);
  auto two = b.At("2025-04-10");
  const auto& a2 = TaskOf(two, "A");
  std::vector<std::string> texts;
  for (const auto& r : a2.reasons) texts.push_back(r.zh);
  INFO(texts.size());
  for (const auto& t : texts) INFO(t);
  CHECK(std::find(texts.begin(), texts.end(), "配合单位协办局:连续1个报送周期未报送(最近报送 2025-03-04)") != texts.end());
  CHECK(texts.front() == "配合单位配合局:连续3个报送周期未报送(从未报送)");
  // A overdue → B at risk, naming the cause.
  for (const char* d : {"2025-05-06", "2025-06-04", "2025-07-03"}) {
    b.Report(0, d, AssignmentStatus::kInProgress, 80);
    b.Report(1, d, AssignmentStatus::kInProgress, 80);
    b.Report(2, d, AssignmentStatus::kInProgress, 60);
  }
  auto late = b.At("2025-07-10");
  CHECK(TaskOf(late, "A").light == Light::kRed);
  CHECK(TaskOf(late, "A").reasons[0].zh == "牵头单位牵头局:逾期10天(完成时限 2025-06-30)");
  const auto& down = TaskOf(late, "B");
  CHECK(down.light == Light::kYellow);
  CHECK(Codes(down.reasons) == std::vector<std::string>{"upstream_late"});
  CHECK(down.reasons[0].zh == "上游任务 A「建立机制」逾期");
  CHECK(late.assignments[2].reasons.back().code == "upstream_late");
  CHECK(late.critical_path == std::vector<std::string>{"A", "B"});
}

TEST_CASE("Supervision: report reminders come before the reporting day, once per cycle", "[supervision]") {
  Builder b;
  b.Report(0, "2025-02-04", AssignmentStatus::kInProgress, 20);  // February's report, on time
  auto before = b.At("2025-03-03");  // the 5th is two days away; nothing since February's day
  CHECK(before.assignments[0].next_report_due == D("2025-03-05"));
  CHECK_FALSE(before.assignments[0].reported_this_cycle);
  CHECK(before.assignments[0].escalation == Escalation::kReminder);
  CHECK(before.assignments[0].escalation_reasons[0].code == "report_due");
  b.Report(0, "2025-03-03", AssignmentStatus::kInProgress, 25);
  CHECK(b.At("2025-03-04").assignments[0].escalation == Escalation::kNone);
}

TEST_CASE("Supervision: milestones and yearly events remind before their day", "[supervision]") {
  Builder b;
  b.p.tasks[1].milestones.push_back({"出台办法", D("2025-04-30")});
  b.p.tasks[2].yearly.push_back({4, 26});
  b.Report(0, "2025-04-03", AssignmentStatus::kInProgress, 60);
  b.Report(1, "2025-04-03", AssignmentStatus::kInProgress, 60);
  b.Report(2, "2025-04-03", AssignmentStatus::kInProgress, 40);
  auto s = b.At("2025-04-20");
  CHECK(Codes(s.assignments[0].reasons) == std::vector<std::string>{"milestone_due"});
  CHECK(s.assignments[0].reasons[0].zh == "阶段目标「出台办法」2025-04-30到期");
  CHECK(Codes(s.assignments[2].reasons) == std::vector<std::string>{"event_due"});
  CHECK(s.assignments[2].reasons[0].zh == "年度事项 2025-04-26 到期(6天后)");
}

TEST_CASE("Supervision: indicator paths are linear for counts and compound for growth", "[supervision][indicators]") {
  Date b0 = D("2023-12-31"), t0 = D("2026-12-31");
  Date mid = b0 + (t0 - b0) / 2;
  CHECK(ExpectedValue(Trajectory::kLinear, 5.79, b0, 11.58, t0, mid) == Approx(8.685).epsilon(0.001));
  CHECK(ExpectedValue(Trajectory::kCompound, 5.79, b0, 11.58, t0, mid) == Approx(5.79 * std::sqrt(2.0)).epsilon(0.001));
  CHECK(ExpectedValue(Trajectory::kCompound, 5.79, b0, 11.58, t0, b0) == Approx(5.79));
  CHECK(ExpectedValue(Trajectory::kCompound, 5.79, b0, 11.58, t0, t0 + 100) == Approx(11.58));
  // 年均增长10%: three years of compound growth from 100 reach 133.1.
  CHECK(ExpectedValue(Trajectory::kCompound, 100, D("2023-12-31"), 133.1, D("2026-12-31"), D("2024-12-31")) ==
        Approx(110).epsilon(0.002));
}

TEST_CASE("Supervision: indicators on track, at risk, off track, stale", "[supervision][indicators]") {
  Builder b;
  b.p.period_start = D("2024-01-01");
  b.p.period_end = D("2026-12-31");
  IndicatorView ind;
  ind.plan = "demo";
  ind.id = "inv";
  ind.name = "每万人口有效发明专利拥有量";
  ind.measure = "件";
  ind.kind = IndicatorKind::kAtLeast;
  ind.trajectory = Trajectory::kCompound;
  ind.baseline_value = 5.79;
  ind.baseline_date = D("2023-12-31");
  ind.target_value = 11.58;
  ind.target_date = D("2026-12-31");
  ind.owner = "lead";
  SECTION("no value yet") {
    b.p.indicators = {ind};
    auto s = b.At("2024-06-30");
    CHECK(s.indicators[0].state == IndicatorState::kNoData);
    CHECK_FALSE(s.indicators[0].stale);
  }
  SECTION("on the compound path") {
    ind.values.push_back({7.3, D("2024-12-31"), "lead", "", D("2025-01-20")});
    b.p.indicators = {ind};
    auto s = b.At("2025-01-31");
    const auto& v = s.indicators[0];
    CHECK(*v.expected == Approx(5.79 * std::pow(2.0, 397.0 / 1096)).epsilon(0.001));  // today's point on the path
    CHECK(v.state == IndicatorState::kOnTrack);
    REQUIRE(v.projection);
    CHECK(*v.projection == Approx(11.6).epsilon(0.02));  // baseline and one value: the compound trend
    CHECK_FALSE(v.stale);
  }
  SECTION("behind, but the trend reaches the target") {
    // A slow first year, then the pace picks up: behind the time line, but the pace
    // since the last value reaches the target.
    ind.values.push_back({6.0, D("2024-12-31"), "lead", "", D("2025-01-10")});
    ind.values.push_back({8.0, D("2025-06-30"), "lead", "", D("2025-07-10")});
    ind.trajectory = Trajectory::kLinear;
    b.p.supervision.progress_tolerance = 5;
    b.p.indicators = {ind};
    auto v = b.At("2025-07-15").indicators[0];
    CHECK(v.state == IndicatorState::kAtRisk);
    CHECK(*v.projection >= 11.58);
  }
  SECTION("behind, and the trend misses it") {
    ind.values.push_back({6.0, D("2024-12-31"), "lead", "", D("2025-01-10")});
    ind.values.push_back({6.2, D("2025-06-30"), "lead", "", D("2025-07-10")});
    b.p.indicators = {ind};
    auto v = b.At("2025-07-15").indicators[0];
    CHECK(v.state == IndicatorState::kOffTrack);
    CHECK(*v.projection < 11.58);
    CHECK(v.note_zh.find("落后于时间进度,按趋势难以达标") == 0);
  }
  SECTION("stale when last year's value has not arrived by the end of March") {
    ind.values.push_back({7.3, D("2023-12-31"), "lead", "", D("2024-02-10")});
    b.p.indicators = {ind};
    CHECK_FALSE(b.At("2025-03-30").indicators[0].stale);
    auto v = b.At("2025-04-15").indicators[0];
    CHECK(v.stale);
    CHECK(v.note_zh.find("2024-12-31 期数据未报") != std::string::npos);
  }
  SECTION("an annual growth rate is compared with the rate") {
    IndicatorView g = ind;
    g.kind = IndicatorKind::kAnnualGrowth;
    g.measure = "%";
    g.baseline_value.reset();
    g.target_value = 10;
    g.values.push_back({12.5, D("2024-12-31"), "lead", "", D("2025-01-10")});
    b.p.indicators = {g};
    CHECK(b.At("2025-01-31").indicators[0].state == IndicatorState::kOnTrack);
    b.p.indicators[0].values[0].value = 4;
    CHECK(b.At("2025-01-31").indicators[0].state == IndicatorState::kOffTrack);
  }
}
