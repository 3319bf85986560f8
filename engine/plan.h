// The plan model: what a plan file says, after loading and resolving.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/date.h"
#include "engine/diagnostic.h"
#include "engine/status.h"

namespace duban {

enum class UnitKind {
  kDepartment, kGovernment, kJudicial, kUniversity, kEnterprise, kAssociation, kOffice,
  kGroup, kOther,
};
enum class Role { kLead, kCooperate };
enum class IndicatorKind { kAtLeast, kAtMost, kAnnualGrowth, kCumulative, kRatio };
enum class Trajectory { kLinear, kCompound };
enum class Cycle { kWeekly, kMonthly, kQuarterly, kYearly };

const char* ToString(UnitKind k);
const char* ToString(Role r);
const char* ToString(IndicatorKind k);
const char* ToString(Trajectory t);
const char* ToString(Cycle c);

/// A reference to a unit, task or indicator as written, and what it resolved to.
struct Ref {
  std::string text;  // as written in the file
  std::string id;    // the canonical id after resolving; empty if unresolved
  Location location;
};

struct Contact {
  std::string email;
  std::string webhook;
  std::string phone;
};

struct Unit {
  std::string id;
  std::string name;
  std::vector<std::string> aliases;
  UnitKind kind = UnitKind::kOther;
  Contact contact;
  std::vector<Ref> members;  // only for groups
  Location location;
  bool is_group() const { return kind == UnitKind::kGroup; }
};

struct Measurement {
  double value = 0;
  std::optional<Date> date;
  Location location;
};

struct Indicator {
  std::string id;
  std::string name;
  std::string measure;  // unit of measure: 件, 家, 亿元, %, 人次
  IndicatorKind kind = IndicatorKind::kAtLeast;
  Trajectory trajectory = Trajectory::kLinear;
  std::optional<Measurement> baseline;
  Measurement target;
  Ref owner;
  Cycle cycle = Cycle::kYearly;
  std::string source;
  Location location;
};

struct Milestone {
  std::string title;
  Date due;
  Location location;
};

struct MonthDay {
  int month = 1;
  int day = 1;
};

struct Recurrence {
  std::vector<MonthDay> yearly;
  bool ongoing = false;
  bool empty() const { return yearly.empty() && !ongoing; }
};

/// One node of the task tree. Plans hold tasks flat, in document (pre-)order.
struct Task {
  std::string id;
  std::string title;
  std::string text;
  std::string source;  // the responsibility clause as written
  std::vector<Ref> lead;       // as written on this node
  std::vector<Ref> cooperate;  // as written on this node
  bool office_decision = false;
  bool lead_unreadable = false;  // 'lead' was there but malformed (reported already)
  std::optional<Date> start_as_written;
  std::optional<Date> due_as_written;
  std::vector<Milestone> milestones;
  Recurrence recurrence;
  std::vector<Ref> depends_on;
  std::vector<Ref> indicators;
  Location location;

  // Tree structure, filled by the loader.
  int parent = -1;
  int depth = 0;
  std::vector<int> children;
  bool is_leaf() const { return children.empty(); }

  // Filled by the resolver: effective dates (defaults from the parent or the plan
  // period) and the plan-wide rules that apply to this task.
  Date start;
  Date due;
  std::vector<int> rules;
};

/// A plan-wide rule: the units given take `role` on every task selected.
struct Rule {
  Role role = Role::kCooperate;
  std::vector<Ref> units;
  bool all = false;
  std::vector<Ref> task_list;
  std::optional<Ref> range_from;
  std::optional<Ref> range_to;
  std::string source;
  Location location;
};

/// How a (task, unit, role) came to be: written on the task, inherited from a parent,
/// added by a plan-wide rule; `via_group` names the group it was expanded from.
struct Assignment {
  int task = -1;  // index into Plan::tasks
  std::string unit;
  Role role = Role::kLead;
  bool office_decision = false;
  std::string via_group;  // empty if named directly
  int rule = -1;          // index into Plan::rules, or -1
};

struct Reporting {
  Cycle cycle = Cycle::kMonthly;
  int due_day = 5;
};

/// Thresholds of the supervision ladder; see plans/README.md.
struct Supervision {
  int warning_days = 14;
  int notice_after_days = 15;
  int bulletin_after_days = 30;
  int progress_tolerance = 20;
  int missed_cycles_yellow = 1;
  int missed_cycles_red = 2;
  int repeated_misses = 3;
  int report_reminder_days = 3;  // remind this many days before a reporting day
};

/// How `duban report assessment` weighs its three parts (points out of 100).
struct AssessmentWeights {
  int closure = 50;     // assignments due in the year, closed on time
  int reporting = 30;   // reporting cycles met
  int indicators = 20;  // owned indicators on track
};

/// A plan's own calendar entry: a holiday block, or working days (调休) from..to.
struct CalendarEntry {
  Date from;
  Date to;
  std::string name;
  bool workday = false;
  Location location;
};

struct Plan {
  std::string id;
  std::string title;
  std::string issuer;
  std::string doc_number;
  std::optional<Date> issued;
  Date period_start;
  Date period_end;
  Ref office;
  std::string implements;
  std::string units_file;
  Reporting reporting;
  Supervision supervision;
  std::vector<CalendarEntry> calendar;  // added to the shipped working-day calendar
  AssessmentWeights assessment;
  Location location;

  std::vector<Unit> units;  // units_file's first, then the plan's own
  std::vector<Indicator> indicators;
  std::vector<Rule> rules;
  std::vector<Task> tasks;  // document order

  // Filled by the resolver.
  std::vector<Assignment> assignments;  // by task, then lead before cooperate

  /// Lookups by canonical id; nullptr / -1 when absent.
  const Unit* FindUnit(std::string_view id) const;
  const Indicator* FindIndicator(std::string_view id) const;
  int FindTask(std::string_view id) const;
  /// The members of `unit_id` after expanding groups (itself if not a group).
  std::vector<std::string> ExpandUnit(std::string_view unit_id) const;
  size_t leaf_task_count() const;
  /// Resolves a unit id, name or alias (spelling variants of brackets tolerated).
  /// On failure the status says which names come close.
  Result<std::string> ResolveUnit(std::string_view text) const;
  /// The units written for a leaf task (inherited from its parents, plus rules), not
  /// expanded: groups stay groups. Lead first.
  std::vector<std::string> ResponsibleUnits(int task, Role role) const;

  /// Rebuilds the id lookups; call after changing units, indicators or tasks.
  void BuildIndex();

 private:
  std::unordered_map<std::string, size_t> unit_index_, indicator_index_, task_index_;
};

}  // namespace duban
