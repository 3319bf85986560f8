// Supervision on a given day: lights with their reasons, lateness, stale reports,
// dependencies, indicator trajectories and the escalation ladder. Computed from a
// snapshot of the store, never from the clock: the same snapshot and day give the same
// answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/plan.h"
#include "engine/store.h"

namespace duban {

/// What supervision needs of one plan, as the store holds it.
struct PlanSnapshot {
  std::string id;
  std::string title;
  std::string issuer;
  std::string office;
  std::string office_name;
  Date period_start;
  Date period_end;
  Reporting reporting;
  Supervision supervision;
  AssessmentWeights assessment;
  struct CalendarDay { Date from, to; std::string name; bool workday = false; };
  std::vector<CalendarDay> calendar;  // the plan's own additions
  struct TaskRow {
    std::string id;
    std::string parent;  // "" at the top
    std::string title;
    bool leaf = true;
    Date start, due;
    bool ongoing = false;
    std::vector<MonthDay> yearly;
    std::vector<std::pair<std::string, Date>> milestones;
    std::vector<std::string> depends_on;
  };
  std::vector<TaskRow> tasks;               // document order
  std::vector<AssignmentView> assignments;  // active ones
  std::vector<std::vector<Date>> report_days;  // per assignment, ascending
  std::vector<IndicatorView> indicators;
  std::vector<UnitContact> contacts;        // of every unit with an assignment or indicator
  PlanVersion version;                      // of the store when it was read
};

enum class Light { kGreen, kYellow, kRed };
const char* ToString(Light l);
const char* LightLabelZh(Light l);  // 绿灯 / 黄灯 / 红灯

/// Why a light is what it is. `code` is stable for scripts; `zh`/`en` are for people.
struct Reason {
  std::string code;  // overdue, missed_reports, due_soon, behind_schedule, blocked,
                     // upstream_late, milestone_due, event_due, awaiting_acceptance, cooperator_late
  std::string zh;
  std::string en;
};

enum class Escalation { kNone, kReminder, kUrge, kNotice, kBulletin };
const char* ToString(Escalation e);
const char* EscalationLabelZh(Escalation e);  // 提醒 催办 督办 通报

struct AssignmentStatusView {
  const AssignmentView* assignment = nullptr;  // into the snapshot
  Light light = Light::kGreen;
  std::vector<Reason> reasons;  // empty when green
  int days_overdue = 0;         // > 0 when open past its due date
  std::optional<int> expected_progress;  // by elapsed time; none for ongoing tasks
  int missed_cycles = 0;                 // reporting cycles missed in a row up to today
  int misses_past_year = 0;              // cycles missed in the 365 days up to today
  std::optional<Date> next_report_due;   // this cycle's reporting day (working day)
  bool reported_this_cycle = false;
  Escalation escalation = Escalation::kNone;
  std::vector<Reason> escalation_reasons;
  /// Every reporting day owed up to today (or until the assignment was done), and
  /// whether a report came in its cycle: for on-time shares and the assessment.
  std::vector<std::pair<Date, bool>> cycles;
};

struct TaskStatusView {
  int task = -1;  // index into PlanSnapshot::tasks
  AssignmentStatus state = AssignmentStatus::kNotStarted;  // by the rule in plans/README.md
  int progress = 0;                                        // mean of the leads'
  Light light = Light::kGreen;
  std::vector<Reason> reasons;
  int days_overdue = 0;
  std::vector<int> assignments;  // indices into PlanStatus::assignments
  std::optional<int> waiting_days;  // leads claimed done, cooperating units not yet
  std::vector<std::string> waiting_on;
};

enum class IndicatorState { kOnTrack, kAtRisk, kOffTrack, kNoData };
const char* ToString(IndicatorState s);

struct IndicatorStatusView {
  const IndicatorView* indicator = nullptr;
  std::optional<double> latest;
  std::optional<Date> latest_as_of;
  std::optional<double> start_value;  // baseline, or the first value when none was given
  std::optional<Date> start_date;
  std::optional<double> expected;  // on the path from start to target, today
  std::optional<double> gap;       // latest - expected (sign: + ahead for at_least)
  std::optional<double> covered;   // share of the way from start to target, 0..1+
  double time_elapsed = 0;         // share of the time from start to target date
  std::optional<double> projection;  // at the target date, from the recorded values
  IndicatorState state = IndicatorState::kNoData;
  bool stale = false;  // no value arrived for the last completed cycle
  std::string note_zh, note_en;  // the reason in words
};

struct PlanStatus {
  const PlanSnapshot* plan = nullptr;
  Date today;
  std::vector<AssignmentStatusView> assignments;  // parallel to plan->assignments
  std::vector<TaskStatusView> tasks;              // leaf tasks, document order
  std::vector<IndicatorStatusView> indicators;
  std::vector<std::string> critical_path;  // task ids of the unfinished work's longest chain
};

/// How much of a plan's status to compute. kStanding is what a bulletin compares with
/// the previous period: every leaf task's state, progress and days overdue, and each
/// assignment's days overdue; no lights, reasons, reporting cycles, escalation,
/// dependencies or indicators.
enum class EvaluateDepth { kFull, kStanding };

/// Evaluates one plan on `today` with `calendar` (the plan's own days added by the
/// caller or here from the snapshot).
PlanStatus Evaluate(const PlanSnapshot& plan, Date today, const WorkCalendar& calendar,
                    EvaluateDepth depth = EvaluateDepth::kFull);

/// The reporting days of a plan's cycle that fall in [from, to], each moved to the next
/// working day when it falls on a rest day.
std::vector<Date> ReportingDays(const Reporting& r, Date from, Date to, const WorkCalendar& calendar);

/// Expected indicator value at `at` on the path from (start_date, start) to
/// (target_date, target): linear, or compound (geometric) for growth forms.
double ExpectedValue(Trajectory t, double start, Date start_date, double target, Date target_date, Date at);

}  // namespace duban
