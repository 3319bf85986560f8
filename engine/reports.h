// The supervision reports the documents call for, each computed once into a model that
// every format renders: the bulletin (通报), the responsibility table (任务分工表), the
// supervision notice (督办通知单), the ledger (台账) and the assessment (考核).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/plan_render.h"
#include "engine/supervision.h"

namespace duban {

// ----- bulletin (工作进展通报) -----------------------------------------------------------

struct BulletinModel {
  std::string plan;
  std::string plan_title;
  std::string issuer;
  std::string office_name;
  std::string period_kind;  // "week" or "month"
  Date period_from;         // the previous bulletin's as-of day + 1
  Date period_to;           // = as_of
  Date as_of;
  int number = 0;           // 第N期: bulletins of this kind since the plan's start
  std::string inputs_hash;  // SHA-256 of the snapshot the bulletin was built from

  struct Totals {
    int tasks = 0, red = 0, yellow = 0, green = 0;
    int closed = 0;          // tasks closed (办结)
    double closed_share = 0;
    int reports_due = 0;     // reporting cycles that ended in the period
    int reports_on_time = 0; // of them, met
    double on_time_share = 0;
    int assignments = 0;
  } totals;

  struct Section {
    std::string id, title;
    int tasks = 0, red = 0, yellow = 0, green = 0, closed = 0;
    int progress = 0;  // mean of its tasks'
  };
  std::vector<Section> sections;

  struct UnitRow {
    std::string unit, name;
    int led = 0, cooperating = 0;
    int done = 0;            // done or closed
    int late = 0;            // overdue now
    int missed = 0;          // reporting cycles missed in the period
    int burden = 0;          // reports asked of the unit in the period
    int red = 0, yellow = 0, green = 0;
  };
  std::vector<UnitRow> units;  // by red, then missed, then name

  struct IndicatorRow {
    std::string id, name, measure;
    std::optional<double> baseline;
    std::optional<double> latest;
    std::optional<Date> latest_as_of;
    double target = 0;
    Date target_date;
    std::optional<double> covered;  // share of the way, 0..1+
    double time_elapsed = 0;        // share of the time
    std::optional<double> projection;
    IndicatorState state = IndicatorState::kNoData;
    bool stale = false;
    std::string note_zh, note_en;
    // For the chart: the recorded values and the expected path.
    std::vector<std::pair<Date, double>> values;
    std::optional<Date> start_date;
    std::optional<double> start_value;
    Trajectory trajectory = Trajectory::kLinear;
  };
  std::vector<IndicatorRow> indicators;

  struct TaskRef {
    std::string task, title;
    std::string detail_zh, detail_en;  // reasons, blocker, days late
  };
  struct Changes {
    std::vector<TaskRef> newly_closed;
    std::vector<TaskRef> newly_late;
    std::vector<TaskRef> new_blockers;
    std::vector<TaskRef> targets_moved;  // indicators whose target changed by a plan revision
  } changes;

  struct SupervisionItem {  // 督办
    std::string unit, unit_name, task, title;
    int days_overdue = 0;
    Escalation level = Escalation::kNotice;
    std::string reason_zh, reason_en;
  };
  std::vector<SupervisionItem> supervision;  // notice level and above

  struct NamedUnit {  // 通报
    std::string unit, name;
    int items = 0;
    std::string reason_zh, reason_en;
  };
  std::vector<NamedUnit> named;

  std::vector<TaskRef> red_items;  // every red task with its reasons
};

/// Builds the bulletin from the plan's state at `now` and at the previous bulletin's
/// day (`previous`). `number` counts bulletins of the kind since the plan's start.
BulletinModel BuildBulletin(const PlanStatus& now, const PlanStatus& previous, const std::string& period_kind,
                            int number, const std::vector<std::string>& targets_moved);

std::string RenderBulletinMarkdown(const BulletinModel& b, Lang lang);
std::string RenderBulletinText(const BulletinModel& b, Lang lang);
std::string RenderBulletinJson(const BulletinModel& b);  // shape duban.bulletin/1
/// One self-contained HTML file: no network, no scripts, no external fonts; printable on
/// A4; charts as inline SVG (progress by section, each indicator against its time line,
/// lights by unit). Every text is escaped.
std::string RenderBulletinHtml(const BulletinModel& b, Lang lang);

// ----- responsibility table (任务分工表) --------------------------------------------------

struct MatrixRow {
  std::string number;   // task id as in the document
  std::string section;  // section title
  std::string task;     // title
  std::string text;     // full text
  std::string lead;     // lead units, joined with 、 (groups by their group name)
  std::string cooperate;
  std::string due;      // YYYY-MM-DD, or 常态化 / 每年MM-DD
};
struct MatrixModel {
  std::string plan, plan_title;
  std::vector<MatrixRow> rows;  // leaf tasks in document order
};
MatrixModel BuildMatrix(const Plan& plan);
/// The same from a loaded plan's JSON (duban.plan/1, as the store keeps it).
Result<MatrixModel> BuildMatrixFromJson(const std::string& plan_json);

// ----- supervision notice (督办通知单) ----------------------------------------------------

struct NoticeModel {
  std::string number;  // 督办〔YYYY〕MMDD号-UNIT: one per unit and day, cited by the reply
  std::string plan, plan_title;
  std::string unit, unit_name;
  std::string office_name;
  Date issued;
  Date reply_by;       // `reply_workdays` working days after `issued`
  int reply_workdays = 5;
  struct Item {
    std::string task, title;
    Role role = Role::kLead;
    Date due;
    int days_overdue = 0;
    int progress = 0;
    std::string reasons_zh, reasons_en;
    std::string action_zh, action_en;  // what is required
  };
  std::vector<Item> items;  // its overdue and notice-level items
};
NoticeModel BuildNotice(const PlanStatus& status, const std::string& unit, const WorkCalendar& calendar,
                        int reply_workdays);
std::string RenderNoticeMarkdown(const NoticeModel& n, Lang lang);
std::string RenderNoticeJson(const NoticeModel& n);  // duban.notice/1

// ----- ledger (台账) ------------------------------------------------------------------------

struct LedgerRow {
  std::string plan, section, task, title;
  std::string unit, unit_name;
  Role role = Role::kLead;
  std::string status;  // Chinese label
  std::string light;   // 红灯 / 黄灯 / 绿灯
  std::string reasons;
  int progress = 0;
  std::string due;
  std::string last_report;
  std::string last_note;
  std::string evidence;  // "name (size bytes, sha256:…)" joined with newlines
};
struct LedgerModel {
  std::string plan, plan_title;
  Date as_of;
  std::vector<LedgerRow> rows;
};

LedgerModel BuildLedger(const PlanStatus& status);

// ----- assessment (考核) ------------------------------------------------------------------

struct AssessmentModel {
  std::string plan, plan_title;
  int year = 0;
  Date as_of;
  AssessmentWeights weights;
  struct Line {  // one point of the breakdown
    std::string part;  // closure / reporting / indicators
    std::string item;  // task or indicator
    std::string zh, en;
    double earned = 0, possible = 0;
  };
  struct UnitScore {
    std::string unit, name;
    double closure = 0, reporting = 0, indicators = 0;  // each 0..weight
    bool has_closure = false, has_reporting = false, has_indicators = false;  // parts that apply
    double total = 0;                                   // 0..100
    int rank = 0;
    std::vector<Line> breakdown;
  };
  std::vector<UnitScore> units;  // by total, descending
};

/// Scores every unit of the plan for `year` as of the status's day: on-time closure of
/// its assignments due in the year, reporting cycles met in the year, and its indicators
/// (on track 1, at risk ½, off track or no data 0), weighted by the plan. A part with
/// nothing to score is left out and the others scaled to 100; the breakdown says so.
AssessmentModel BuildAssessment(const PlanStatus& status, int year);
std::string RenderAssessmentMarkdown(const AssessmentModel& m, Lang lang);
std::string RenderAssessmentJson(const AssessmentModel& m);  // duban.assessment/1
std::string RenderAssessmentCsv(const AssessmentModel& m);   // one row per breakdown line

/// Indicators whose target or baseline a plan revision changed within (from, to]: from
/// the plan.load records of the history.
std::vector<std::string> TargetsMoved(const std::vector<HistoryEntry>& history, Date from, Date to);

/// A SHA-256 over everything a report is computed from (the snapshot as of its day).
std::string SnapshotHash(const PlanSnapshot& snapshot, Date as_of);

}  // namespace duban
