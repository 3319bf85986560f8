// The store: plans loaded, assignments, progress reports, credentials and the
// hash-chained history. Domain verbs only; no SQL leaves the implementation.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/date.h"
#include "engine/plan.h"
#include "engine/status.h"

namespace duban {

struct PlanSnapshot;

enum class AssignmentStatus { kNotStarted, kInProgress, kBlocked, kDone, kClosed };
const char* ToString(AssignmentStatus s);
/// Accepts the English words (not_started, in_progress, blocked, done, closed).
std::optional<AssignmentStatus> ParseAssignmentStatus(std::string_view s);

/// Who is acting: the store's administrator (the supervising office that runs the
/// store), or one unit holding its own credential.
struct Actor {
  enum class Kind { kAdmin, kUnit };
  Kind kind = Kind::kUnit;
  std::string unit;  // for kUnit
  bool is_admin() const { return kind == Kind::kAdmin; }
  std::string name() const { return is_admin() ? "office" : unit; }
};

/// When a write happens: `day` is the reporting date (--today, reproducible), `now`
/// the wall-clock UTC timestamp recorded beside it.
struct Clock {
  Date day;
  std::string now;  // ISO 8601 UTC
};

struct UnitContact {
  std::string id;
  std::string name;
  std::string email;
  std::string webhook;
};

struct EvidenceFile {
  std::string name;    // as given
  int64_t size = 0;
  std::string sha256;  // hex
};

struct UpdateRequest {
  std::string plan;  // empty: the plan is found from the task id if unambiguous
  std::string task;
  std::string unit;  // the assignment's unit (--as)
  std::optional<AssignmentStatus> status;
  std::optional<int> progress;
  std::string note;
  std::vector<EvidenceFile> evidence;
  std::string origin;       // where the request came from ("sheet.csv:4"), for messages
  bool from_sheet = false;  // a sheet row that changes nothing and says nothing is skipped
};

struct IndicatorRequest {
  std::string plan;  // empty: found from the indicator id if unambiguous
  std::string indicator;
  std::string unit;  // --as
  double value = 0;
  Date as_of;
  std::string note;
  std::string origin;
};

struct DecisionRequest {  // accept or reject
  std::string plan;
  std::string task;
  std::string unit;    // empty: the whole task; else only that unit's assignment
  std::string reason;  // required to reject
};

/// One assignment with its task and latest state: a row of `tasks`, `my`, `show`.
struct AssignmentView {
  int64_t id = 0;
  std::string plan;
  std::string task;
  std::string task_title;
  std::string section_title;
  std::string unit;
  std::string unit_name;
  Role role = Role::kLead;
  std::string via_group;
  bool office_decision = false;
  Date start;
  Date due;
  bool ongoing = false;
  AssignmentStatus status = AssignmentStatus::kNotStarted;
  int progress = 0;
  std::optional<Date> last_report;  // day of the latest report by or for the unit
  std::string last_note;
  std::string blocked_reason;
  int reports = 0;  // progress reports recorded on it
  std::optional<Date> done_day;  // when it was last reported done (or closed)
  std::vector<EvidenceFile> evidence;  // filled in snapshots only
};

struct AssignmentFilter {
  std::string plan;
  std::string unit;  // expands nothing: one unit id
  std::string task;
  std::optional<AssignmentStatus> status;
  bool open_only = false;               // not closed
  std::optional<Date> due_on_or_before;  // e.g. overdue as of a day
};

/// One record of the history, oldest first.
struct HistoryEntry {
  int64_t seq = 0;
  std::string at;  // wall clock
  Date day;        // reporting date
  std::string actor;
  std::string on_behalf_of;  // the unit when the office acted for it
  std::string kind;          // plan.load, update, accept, reject, indicator, auth.issue, …, refused
  std::string plan;
  std::string subject;  // task, indicator or unit concerned
  std::string payload;  // JSON
  std::string hash;
};

struct IndicatorView {
  std::string plan;
  std::string id;
  std::string name;
  std::string measure;
  IndicatorKind kind = IndicatorKind::kAtLeast;
  Trajectory trajectory = Trajectory::kLinear;
  Cycle cycle = Cycle::kYearly;
  std::optional<double> baseline_value;
  std::optional<Date> baseline_date;
  double target_value = 0;
  Date target_date;
  std::string owner;
  std::string owner_name;
  struct Value { double value; Date as_of; std::string unit; std::string note; Date recorded_day; };
  std::vector<Value> values;  // by as_of, oldest first
};

struct TaskDetail {
  std::string plan;
  std::string plan_title;
  std::string id;
  std::string title;
  std::string text;
  std::string section;  // parent id
  std::string section_title;
  Date start;
  Date due;
  bool ongoing = false;
  std::vector<std::string> yearly;  // MM-DD
  std::vector<std::pair<std::string, Date>> milestones;
  std::vector<std::string> depends_on;
  std::vector<std::string> dependents;
  std::vector<std::string> indicators;
  std::vector<AssignmentView> assignments;
  std::vector<HistoryEntry> history;
  struct Evidence { int64_t update_seq; std::string unit; EvidenceFile file; };
  std::vector<Evidence> evidence;
};

struct LoadReport {
  std::string plan;
  int revision = 0;
  bool unchanged = false;  // same content as the current revision: nothing written
  std::vector<std::string> added_tasks, removed_tasks, changed_tasks;
  std::vector<std::string> added_indicators, removed_indicators, changed_indicators;
  int assignments_added = 0, assignments_removed = 0, assignments_kept = 0;
};

struct PlanSummary {
  std::string id;
  std::string title;
  std::string office;
  int revision = 0;
  std::string loaded_at;
  int tasks = 0;
  int assignments = 0;
  struct Revision { int number; std::string loaded_at; std::string source_name; std::string sha256; std::string summary; };
  std::vector<Revision> revisions;
};

struct CredentialInfo {
  std::string holder;  // "office" or a unit id
  std::string issued_at;
  std::string revoked_at;  // empty while valid
  std::string fingerprint;  // first 8 hex digits of the token's hash
};

struct AuditReport {
  int64_t records = 0;
  std::string head_hash;
  std::vector<std::string> problems;  // empty: the chain and the state are intact
  bool ok() const { return problems.empty(); }
};

/// What `template` needs for one unit: its open assignments and owned indicators.
struct UnitWorkload {
  std::vector<AssignmentView> assignments;
  std::vector<IndicatorView> indicators;
};

/// What one plan's view in the store depends on: its latest record, and the version of
/// the units it shares with other plans. The same version, the same plan, day for day.
struct PlanVersion {
  int64_t records = 0;
  int64_t units = 0;
};

/// A board rendered from a plan's snapshot of `version`, kept for the next run.
struct CachedBoard {
  std::string plan;
  PlanVersion version;
  std::string board;
};

struct StoreOptions {
  bool create = false;     // create a new store; fails if one exists
  bool read_only = false;  // reading commands open the store read-only
  int busy_timeout_ms = 30000;
  int64_t max_pages = 0;  // 0: no limit; a cap makes "disk full" testable
};

/// A store of plans. Every write is one transaction: it happens whole or not at all,
/// and is appended to the history. Writes check the actor's rights (engine/access.h)
/// and refuse with kPermissionDenied, recording the refusal. Not thread-safe: one
/// Store per thread or process; many processes may share one database file.
class Store {
 public:
  virtual ~Store() = default;

  // ----- credentials ---------------------------------------------------------------
  /// Creates the office credential of a new store; returns the token (shown once).
  virtual Result<std::string> Initialize(const Clock& clock) = 0;
  /// The actor holding `token`; kUnauthenticated if unknown or revoked.
  virtual Result<Actor> Authenticate(const std::string& token) = 0;
  /// Issues a token for `unit` (revoking its previous one); admin only.
  virtual Result<std::string> IssueToken(const Actor& actor, const std::string& unit, const Clock& clock) = 0;
  virtual Status RevokeToken(const Actor& actor, const std::string& unit, const Clock& clock) = 0;
  virtual Result<std::vector<CredentialInfo>> ListCredentials() = 0;

  // ----- plans -----------------------------------------------------------------------
  /// Loads a checked plan as a new revision (or reports it unchanged); keeps the state
  /// and history of every task, assignment and indicator whose id persists.
  virtual Result<LoadReport> LoadPlan(const Actor& actor, const Plan& plan, const std::string& source_name,
                                      const std::string& source_text, const Clock& clock) = 0;
  /// Loads several plans as LoadPlan does each, all in one transaction: every one or
  /// none. Two sources of one plan id are refused.
  struct PlanSource {
    const Plan* plan = nullptr;
    std::string name;  // as the revision records it
    std::string text;
  };
  virtual Result<std::vector<LoadReport>> LoadPlans(const Actor& actor, const std::vector<PlanSource>& sources,
                                                    const Clock& clock) = 0;
  virtual Result<std::vector<PlanSummary>> ListPlans() = 0;
  /// The ids of the plans loaded, in order: ListPlans without its counts and revisions.
  virtual Result<std::vector<std::string>> PlanIds() = 0;

  // ----- writes by units ------------------------------------------------------------
  virtual Result<HistoryEntry> RecordUpdate(const Actor& actor, const UpdateRequest& request, const Clock& clock) = 0;
  /// All or none: the first failure rolls everything back and is returned.
  virtual Result<std::vector<HistoryEntry>> RecordUpdates(const Actor& actor, const std::vector<UpdateRequest>& updates,
                                                          const std::vector<IndicatorRequest>& values, const Clock& clock) = 0;
  virtual Result<HistoryEntry> RecordIndicator(const Actor& actor, const IndicatorRequest& request, const Clock& clock) = 0;

  // ----- the office's decisions ------------------------------------------------------
  virtual Result<HistoryEntry> Accept(const Actor& actor, const DecisionRequest& request, const Clock& clock) = 0;
  virtual Result<HistoryEntry> Reject(const Actor& actor, const DecisionRequest& request, const Clock& clock) = 0;

  /// Records an attempt refused for lack of rights (in its own transaction).
  virtual Status RecordRefusal(const Actor& actor, const std::string& what, const std::string& reason,
                               const Clock& clock) = 0;

  // ----- reading -------------------------------------------------------------------
  virtual Result<std::vector<AssignmentView>> Assignments(const AssignmentFilter& filter) = 0;
  /// The same rows in the same order, handed to `each` one at a time as they are read:
  /// an export of every assignment in a province needs no more memory than one row.
  /// A failure after some rows were handed over is returned as it is, never retried.
  virtual Status EachAssignment(const AssignmentFilter& filter, const std::function<void(const AssignmentView&)>& each) = 0;
  virtual Result<TaskDetail> Task(const std::string& plan, const std::string& task) = 0;
  virtual Result<std::vector<IndicatorView>> Indicators(const std::string& plan, const std::string& owner) = 0;
  virtual Result<UnitWorkload> Workload(const std::string& unit) = 0;
  virtual Result<std::vector<HistoryEntry>> History(const std::string& plan, const std::string& subject) = 0;
  /// The records of one kind (e.g. "plan.load") in a plan dated from `from` to `to`.
  virtual Result<std::vector<HistoryEntry>> HistoryOfKind(const std::string& plan, const std::string& kind, Date from,
                                                          Date to) = 0;
  /// The display name of a unit, or NotFound (with a suggestion) for an unknown id/name.
  virtual Result<std::string> ResolveUnit(const std::string& text) = 0;

  /// Recomputes the hash chain and replays the history against the current state.
  virtual Result<AuditReport> VerifyAudit() = 0;

  /// Everything supervision needs of one plan as it stood at the end of each of `days`,
  /// in that order: only reports, decisions and values dated on or before a day count,
  /// so a report for a past day can be made again, byte for byte. Read in one pass and
  /// one read transaction (a bulletin compares the end of its period with the end of
  /// the one before).
  virtual Result<std::vector<PlanSnapshot>> SnapshotsOn(const std::string& plan, const std::vector<Date>& days) = 0;

  /// Boards kept by CacheBoards: for each of `plans`, the board of `variant` on `day` if
  /// one was kept and the plan's version is still the one it was rendered from.
  virtual Result<std::vector<std::optional<std::string>>> CachedBoards(const std::vector<std::string>& plans, Date day,
                                                                       const std::string& variant) = 0;
  /// Keeps boards for later runs (one per plan and variant: a later day replaces it).
  /// Derived data, not part of the history.
  virtual Status CacheBoards(Date day, const std::string& variant, const std::vector<CachedBoard>& boards) = 0;

  /// The current revision of a plan as loaded: its JSON (shape duban.plan/1).
  virtual Result<std::string> PlanContent(const std::string& plan) = 0;

  // ----- reminders ---------------------------------------------------------------
  /// Which of `keys` were already sent to `unit` (see engine/remind.h for the keys).
  virtual Result<std::vector<std::string>> SentReminders(const std::string& unit,
                                                         const std::vector<std::string>& keys) = 0;
  /// Records that a message carrying `keys` went to `unit` by `channel`; office only.
  virtual Status RecordReminder(const Actor& actor, const std::string& plan, const std::string& unit,
                                const std::string& channel, const std::vector<std::string>& keys,
                                const std::string& level, const Clock& clock) = 0;
};

/// Opens (or with options.create, creates) a SQLite store at `path`. Fails with a
/// clear message if the file is missing, not a duban store, from a newer duban, or
/// cannot be opened.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options);

}  // namespace duban
