// The SQLite store. All of duban's SQL lives in this file.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "engine/crypto.h"
#include "engine/plan_render.h"
#include "engine/store.h"
#include "engine/supervision.h"
#include "engine/text.h"
#include "engine/workflow.h"

namespace duban {
namespace {

using json = nlohmann::ordered_json;

constexpr int kSchemaVersion = 6;
const char* const kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// Schema version 1. Later versions append a migration to kMigrations; never edit one.
const char* const kSchemaV1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE units(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '', webhook TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '');
CREATE TABLE unit_members(group_id TEXT NOT NULL REFERENCES units(id), member_id TEXT NOT NULL REFERENCES units(id),
  PRIMARY KEY(group_id, member_id));
CREATE TABLE unit_names(name_key TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id), name TEXT NOT NULL,
  PRIMARY KEY(name_key, unit_id));
CREATE TABLE plans(
  id TEXT PRIMARY KEY, title TEXT NOT NULL, issuer TEXT NOT NULL, doc_number TEXT NOT NULL,
  office TEXT NOT NULL REFERENCES units(id), revision INTEGER NOT NULL,
  period_start TEXT NOT NULL, period_end TEXT NOT NULL, content TEXT NOT NULL);
CREATE TABLE plan_revisions(
  plan_id TEXT NOT NULL REFERENCES plans(id), revision INTEGER NOT NULL, loaded_at TEXT NOT NULL,
  day TEXT NOT NULL, source_name TEXT NOT NULL, source_text TEXT NOT NULL, content_sha256 TEXT NOT NULL,
  content TEXT NOT NULL, summary TEXT NOT NULL, PRIMARY KEY(plan_id, revision));
CREATE TABLE tasks(
  plan_id TEXT NOT NULL REFERENCES plans(id), id TEXT NOT NULL, parent TEXT NOT NULL, seq INTEGER NOT NULL,
  depth INTEGER NOT NULL, leaf INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,
  start TEXT NOT NULL, due TEXT NOT NULL, ongoing INTEGER NOT NULL, yearly TEXT NOT NULL,
  milestones TEXT NOT NULL, depends_on TEXT NOT NULL, indicators TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1, PRIMARY KEY(plan_id, id));
CREATE TABLE assignments(
  id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL, task_id TEXT NOT NULL, unit_id TEXT NOT NULL REFERENCES units(id),
  role TEXT NOT NULL, via_group TEXT NOT NULL DEFAULT '', office_decision INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1, status TEXT NOT NULL DEFAULT 'not_started',
  progress INTEGER NOT NULL DEFAULT 0, blocked_reason TEXT NOT NULL DEFAULT '', last_report TEXT,
  last_note TEXT NOT NULL DEFAULT '', reports INTEGER NOT NULL DEFAULT 0,
  UNIQUE(plan_id, task_id, unit_id), FOREIGN KEY(plan_id, task_id) REFERENCES tasks(plan_id, id));
CREATE INDEX assignments_by_unit ON assignments(unit_id, active, status);
CREATE TABLE indicators(
  plan_id TEXT NOT NULL REFERENCES plans(id), id TEXT NOT NULL, name TEXT NOT NULL, measure TEXT NOT NULL,
  kind TEXT NOT NULL, trajectory TEXT NOT NULL, cycle TEXT NOT NULL, baseline_value REAL, baseline_date TEXT,
  target_value REAL NOT NULL, target_date TEXT NOT NULL, owner TEXT NOT NULL REFERENCES units(id),
  source TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, PRIMARY KEY(plan_id, id));
CREATE INDEX indicators_by_owner ON indicators(owner);
CREATE TABLE events(
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, day TEXT NOT NULL, actor TEXT NOT NULL,
  on_behalf_of TEXT NOT NULL, kind TEXT NOT NULL, plan_id TEXT NOT NULL, subject TEXT NOT NULL,
  payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX events_by_subject ON events(plan_id, subject);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TABLE reports(
  id INTEGER PRIMARY KEY, assignment_id INTEGER NOT NULL REFERENCES assignments(id),
  event_seq INTEGER NOT NULL REFERENCES events(seq), day TEXT NOT NULL, status TEXT NOT NULL,
  progress INTEGER NOT NULL, note TEXT NOT NULL);
CREATE INDEX reports_by_assignment ON reports(assignment_id, day);
CREATE TABLE evidence(
  id INTEGER PRIMARY KEY, event_seq INTEGER NOT NULL REFERENCES events(seq), assignment_id INTEGER NOT NULL,
  name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL);
CREATE INDEX evidence_by_assignment ON evidence(assignment_id);
CREATE TABLE indicator_values(
  id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL, indicator_id TEXT NOT NULL, value REAL NOT NULL,
  as_of TEXT NOT NULL, unit_id TEXT NOT NULL, note TEXT NOT NULL, day TEXT NOT NULL,
  event_seq INTEGER NOT NULL REFERENCES events(seq));
CREATE INDEX indicator_values_by_indicator ON indicator_values(plan_id, indicator_id, as_of);
CREATE TABLE credentials(
  id INTEGER PRIMARY KEY, holder TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
  issued_at TEXT NOT NULL, revoked_at TEXT);
CREATE INDEX credentials_by_holder ON credentials(holder);
)sql";

// Version 2: a plan's supervision settings and calendar; the reminders sent.
const char* const kSchemaV2 = R"sql(
ALTER TABLE plans ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
CREATE TABLE reminders(
  id INTEGER PRIMARY KEY, unit_id TEXT NOT NULL, key TEXT NOT NULL, plan_id TEXT NOT NULL,
  level TEXT NOT NULL, channel TEXT NOT NULL, day TEXT NOT NULL,
  event_seq INTEGER NOT NULL REFERENCES events(seq));
CREATE INDEX reminders_by_unit_key ON reminders(unit_id, key);
CREATE INDEX reports_by_day ON reports(day);
)sql";

// Version 3: the records of one kind in a plan (decisions, plan loads) found without
// reading the plan's whole history.
const char* const kSchemaV3 = R"sql(
CREATE INDEX events_by_kind ON events(plan_id, kind, day);
)sql";

// Version 4: reports stored clustered by assignment (a table without rowid keyed by
// assignment and record), so that reading one plan's reports reads its pages and not a
// page per report scattered through the file in the order they arrived.
const char* const kSchemaV4 = R"sql(
CREATE TABLE reports_v4(
  assignment_id INTEGER NOT NULL REFERENCES assignments(id), event_seq INTEGER NOT NULL REFERENCES events(seq),
  day TEXT NOT NULL, status TEXT NOT NULL, progress INTEGER NOT NULL, note TEXT NOT NULL,
  PRIMARY KEY(assignment_id, event_seq)) WITHOUT ROWID;
INSERT INTO reports_v4(assignment_id, event_seq, day, status, progress, note)
  SELECT assignment_id, event_seq, day, status, progress, note FROM reports;
DROP TABLE reports;
ALTER TABLE reports_v4 RENAME TO reports;
CREATE INDEX reports_by_day ON reports(day);
)sql";

// Version 5: a unit's names found by unit. Every plan load rewrites the names of the
// units it lists, and without this each one read the whole table.
const char* const kSchemaV5 = R"sql(
CREATE INDEX unit_names_by_unit ON unit_names(unit_id);
)sql";

// Version 6: boards kept between runs. A plan's version is its latest record (the
// reminders sent aside), found by an index on (plan, sequence); units are shared by plans
// and written without a record of the plan that shows them, so triggers count their
// changes: one per table and statement kind, whatever command writes them. A board is kept per plan
// and variant (language, format) for one day, valid while both versions are unchanged.
const char* const kSchemaV6 = R"sql(
CREATE INDEX events_by_plan ON events(plan_id, seq);
INSERT OR IGNORE INTO meta(key, value) VALUES ('units_version', '0');
CREATE TRIGGER units_changed_insert AFTER INSERT ON units
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TRIGGER units_changed_update AFTER UPDATE ON units
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TRIGGER units_changed_delete AFTER DELETE ON units
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TRIGGER unit_names_changed_insert AFTER INSERT ON unit_names
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TRIGGER unit_names_changed_update AFTER UPDATE ON unit_names
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TRIGGER unit_names_changed_delete AFTER DELETE ON unit_names
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TRIGGER unit_members_changed_insert AFTER INSERT ON unit_members
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TRIGGER unit_members_changed_update AFTER UPDATE ON unit_members
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TRIGGER unit_members_changed_delete AFTER DELETE ON unit_members
  BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'units_version'; END;
CREATE TABLE board_cache(
  plan_id TEXT NOT NULL, variant TEXT NOT NULL, day TEXT NOT NULL, plan_version INTEGER NOT NULL,
  units_version INTEGER NOT NULL, board TEXT NOT NULL, PRIMARY KEY(plan_id, variant));
)sql";

const char* const kMigrations[] = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4, kSchemaV5, kSchemaV6};

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

Date ToDate(std::string_view s) {
  // The store writes YYYY-MM-DD: read that directly, anything else through the parser.
  auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && digit(0) && digit(1) && digit(2) && digit(3) && digit(5) &&
      digit(6) && digit(8) && digit(9)) {
    auto num = [&](size_t i, size_t n) {
      int v = 0;
      for (size_t k = i; k < i + n; ++k) v = v * 10 + (s[k] - '0');
      return v;
    };
    if (auto d = Date::FromCivil(num(0, 4), num(5, 2), num(8, 2))) return *d;
  }
  return ParseDate(s).value_or(Date());
}

Role ToRole(const std::string& s) { return s == "lead" ? Role::kLead : Role::kCooperate; }

AssignmentStatus ToStatus(std::string_view s) {
  return ParseAssignmentStatus(s).value_or(AssignmentStatus::kNotStarted);
}

// Turns a SQLite failure into a message a clerk can act on.
Status FromSqlite(const SQLite::Exception& e) {
  switch (e.getErrorCode()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::IoError("the store is busy: another duban kept it locked too long; nothing was written, try again");
    case SQLITE_FULL:
      return Status::IoError("the disk is full (or the store reached its size limit): nothing was written");
    case SQLITE_READONLY:
      return Status::IoError("the store is read-only: nothing was written");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::IoError("the store file is damaged or is not a duban store");
    case SQLITE_CANTOPEN:
      return Status::IoError(std::string("cannot open the store: ") + e.what());
    case SQLITE_IOERR:
      return Status::IoError(std::string("disk error: ") + e.what() + "; nothing was written");
    default:
      return Status::IoError(std::string("database error: ") + e.what());
  }
}

std::string EventHash(const std::string& prev, int64_t seq, const std::string& at, const std::string& day,
                      const std::string& actor, const std::string& behalf, const std::string& kind,
                      const std::string& plan, const std::string& subject, const std::string& payload) {
  std::string s;
  s.reserve(prev.size() + payload.size() + 128);
  for (const std::string* f : {&prev, &at, &day, &actor, &behalf, &kind, &plan, &subject, &payload}) {
    s += std::to_string(f->size());
    s += ':';
    s += *f;
  }
  s += std::to_string(seq);
  return Sha256Hex(s);
}

// A statement used through SQLite's own API, for loops over millions of rows where
// SQLiteCpp's per-column objects cost more than the read. Failures throw like
// SQLiteCpp's, so the same handlers apply.
class RawStatement {
 public:
  RawStatement(sqlite3* db, const char* sql) : db_(db) {
    if (int rc = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr); rc != SQLITE_OK) throw SQLite::Exception(db, rc);
  }
  ~RawStatement() { sqlite3_finalize(st_); }
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;
  void Bind(int i, const std::string& v) {
    if (int rc = sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); rc != SQLITE_OK)
      throw SQLite::Exception(db_, rc);
  }
  // True while there is a row.
  bool Step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
  }
  sqlite3_stmt* get() const { return st_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<SQLite::Database> db, bool read_only, int busy_timeout_ms)
      : db_(std::move(db)), read_only_(read_only), busy_timeout_ms_(busy_timeout_ms) {}

  Status Migrate(bool create) {
    int version = db_->execAndGet("PRAGMA user_version").getInt();
    if (version > kSchemaVersion) {
      return Status::InvalidInput("the store was written by a newer duban (schema " + std::to_string(version) +
                                  "; this duban knows up to " + std::to_string(kSchemaVersion) + ")");
    }
    if (version == 0) {
      int tables = db_->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
      if (tables > 0 || !create) return Status::InvalidInput("not a duban store (no duban schema in it)");
    } else {
      SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = 'format'");
      if (!q.executeStep() || q.getColumn(0).getString() != "duban")
        return Status::InvalidInput("not a duban store");
    }
    if (version == kSchemaVersion) return Status::Ok();
    if (read_only_) return Status::InvalidInput("the store needs an upgrade; open it once for writing");
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (int v = version; v < kSchemaVersion; ++v) db_->exec(kMigrations[v]);
    if (version == 0) db_->exec("INSERT INTO meta(key, value) VALUES ('format', 'duban')");
    db_->exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    tx.commit();
    return Status::Ok();
  }

  // ----- credentials -----------------------------------------------------------------

  Result<std::string> Initialize(const Clock& clock) override {
    return Write<std::string>([&]() -> Result<std::string> {
      if (Count("SELECT count(*) FROM credentials WHERE holder = '*office*'") > 0)
        return Status::Conflict("the store already has an office credential");
      auto token = NewToken();
      if (!token.ok()) return token.status();
      InsertCredential("*office*", *token, clock);
      Append(clock, "office", "", "store.init", "", "", json{{"format", "duban"}, {"schema", kSchemaVersion}});
      return token;
    });
  }

  Result<Actor> Authenticate(const std::string& token) override {
    return Read<Actor>([&]() -> Result<Actor> {
      if (token.empty()) return Status::Unauthenticated("no credential: set DUBAN_TOKEN or give --token-file");
      auto& q = Prepare("SELECT holder, revoked_at FROM credentials WHERE token_hash = ?");
      q.bind(1, Sha256Hex(token));
      if (!q.executeStep()) return Status::Unauthenticated("the credential is not valid for this store");
      if (!q.getColumn(1).isNull())
        return Status::Unauthenticated("the credential was revoked on " + q.getColumn(1).getString());
      Actor a;
      std::string holder = q.getColumn(0).getString();
      if (holder == "*office*") a.kind = Actor::Kind::kAdmin;
      else a.unit = holder;
      return a;
    });
  }

  Result<std::string> IssueToken(const Actor& actor, const std::string& unit_text, const Clock& clock) override {
    return Write<std::string>([&]() -> Result<std::string> {
      if (Status s = MayAdminister(actor); !s.ok()) return s;
      auto unit = ResolveUnitId(unit_text);
      if (!unit.ok()) return unit.status();
      auto token = NewToken();
      if (!token.ok()) return token.status();
      auto& revoke = Prepare("UPDATE credentials SET revoked_at = ? WHERE holder = ? AND revoked_at IS NULL");
      revoke.bind(1, clock.now);
      revoke.bind(2, *unit);
      revoke.exec();
      InsertCredential(*unit, *token, clock);
      Append(clock, actor.name(), "", "auth.issue", "", *unit,
             json{{"unit", *unit}, {"fingerprint", Sha256Hex(*token).substr(0, 8)}});
      return token;
    }, &actor, "auth issue " + unit_text, &clock);
  }

  Status RevokeToken(const Actor& actor, const std::string& unit_text, const Clock& clock) override {
    auto r = Write<bool>([&]() -> Result<bool> {
      if (Status s = MayAdminister(actor); !s.ok()) return s;
      auto unit = ResolveUnitId(unit_text);
      if (!unit.ok()) return unit.status();
      auto& revoke = Prepare("UPDATE credentials SET revoked_at = ? WHERE holder = ? AND revoked_at IS NULL");
      revoke.bind(1, clock.now);
      revoke.bind(2, *unit);
      if (revoke.exec() == 0) return Status::NotFound("unit " + Quote(*unit) + " holds no valid credential");
      Append(clock, actor.name(), "", "auth.revoke", "", *unit, json{{"unit", *unit}});
      return true;
    }, &actor, "auth revoke " + unit_text, &clock);
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<std::vector<CredentialInfo>> ListCredentials() override {
    return Read<std::vector<CredentialInfo>>([&]() -> Result<std::vector<CredentialInfo>> {
      std::vector<CredentialInfo> out;
      SQLite::Statement q(*db_, "SELECT holder, issued_at, coalesce(revoked_at, ''), token_hash FROM credentials "
                                "ORDER BY holder = '*office*' DESC, holder, id");
      while (q.executeStep()) {
        std::string h = q.getColumn(0).getString();
        out.push_back({h == "*office*" ? "office" : h, q.getColumn(1).getString(), q.getColumn(2).getString(),
                       q.getColumn(3).getString().substr(0, 8)});
      }
      return out;
    });
  }

  // ----- plans ---------------------------------------------------------------------

  Result<LoadReport> LoadPlan(const Actor& actor, const Plan& plan, const std::string& source_name,
                              const std::string& source_text, const Clock& clock) override {
    auto reports = LoadPlans(actor, {PlanSource{&plan, source_name, source_text}}, clock);
    if (!reports.ok()) return reports.status();
    return std::move(reports->front());
  }

  Result<std::vector<LoadReport>> LoadPlans(const Actor& actor, const std::vector<PlanSource>& sources,
                                            const Clock& clock) override {
    std::string ids;
    std::set<std::string> seen;
    for (const PlanSource& p : sources) {
      if (!seen.insert(p.plan->id).second)
        return Status::Conflict("plan " + Quote(p.plan->id) + " is given twice (" + p.name + "); nothing was loaded");
      ids += (ids.empty() ? "" : " ") + p.plan->id;
    }
    return Write<std::vector<LoadReport>>([&]() -> Result<std::vector<LoadReport>> {
      if (Status s = MayAdminister(actor); !s.ok()) return s;
      std::vector<LoadReport> reports;
      UnitsWritten written;  // plans of one province share their units: each is written once
      for (const PlanSource& p : sources) {
        auto r = DoLoadPlan(actor, *p.plan, p.name, p.text, clock, written);
        if (!r.ok()) return r.status();
        reports.push_back(std::move(r.value()));
      }
      return reports;
    }, &actor, "plan load " + ids, &clock);
  }

  Result<std::vector<std::string>> PlanIds() override {
    return Read<std::vector<std::string>>([&]() -> Result<std::vector<std::string>> {
      std::vector<std::string> out;
      auto& q = Prepare("SELECT id FROM plans ORDER BY id");
      while (q.executeStep()) out.push_back(q.getColumn(0).getString());
      return out;
    });
  }

  Result<std::vector<PlanSummary>> ListPlans() override {
    return Read<std::vector<PlanSummary>>([&]() -> Result<std::vector<PlanSummary>> {
      std::vector<PlanSummary> out;
      SQLite::Statement q(*db_,
                          "SELECT p.id, p.title, p.office, p.revision, "
                          " (SELECT count(*) FROM tasks t WHERE t.plan_id = p.id AND t.active AND t.leaf), "
                          " (SELECT count(*) FROM assignments a WHERE a.plan_id = p.id AND a.active) "
                          "FROM plans p ORDER BY p.id");
      while (q.executeStep()) {
        PlanSummary s;
        s.id = q.getColumn(0).getString();
        s.title = q.getColumn(1).getString();
        s.office = q.getColumn(2).getString();
        s.revision = q.getColumn(3).getInt();
        s.tasks = q.getColumn(4).getInt();
        s.assignments = q.getColumn(5).getInt();
        out.push_back(std::move(s));
      }
      for (auto& s : out) {
        SQLite::Statement r(*db_, "SELECT revision, loaded_at, source_name, content_sha256, summary FROM plan_revisions "
                                  "WHERE plan_id = ? ORDER BY revision");
        r.bind(1, s.id);
        while (r.executeStep()) {
          s.revisions.push_back({r.getColumn(0).getInt(), r.getColumn(1).getString(), r.getColumn(2).getString(),
                                 r.getColumn(3).getString(), r.getColumn(4).getString()});
        }
        if (!s.revisions.empty()) s.loaded_at = s.revisions.back().loaded_at;
      }
      return out;
    });
  }

  // ----- updates -------------------------------------------------------------------

  Result<HistoryEntry> RecordUpdate(const Actor& actor, const UpdateRequest& request, const Clock& clock) override {
    return Write<HistoryEntry>([&]() { return DoUpdate(actor, request, clock); }, &actor, "update " + request.task + " as " + request.unit, &clock);
  }

  Result<std::vector<HistoryEntry>> RecordUpdates(const Actor& actor, const std::vector<UpdateRequest>& updates,
                                                  const std::vector<IndicatorRequest>& values,
                                                  const Clock& clock) override {
    return Write<std::vector<HistoryEntry>>([&]() -> Result<std::vector<HistoryEntry>> {
      std::vector<HistoryEntry> out;
      std::vector<std::string> problems;
      bool denied = false;
      auto note = [&](const std::string& origin, const Status& s) {
        problems.push_back((origin.empty() ? "" : origin + ": ") + s.message());
        denied = denied || s.code() == Status::Code::kPermissionDenied;
      };
      for (const auto& u : updates) {
        if (u.from_sheet && IsUnchanged(u)) continue;
        auto r = DoUpdate(actor, u, clock);
        if (r.ok()) out.push_back(std::move(r.value()));
        else note(u.origin, r.status());
      }
      for (const auto& v : values) {
        auto r = DoIndicator(actor, v, clock);
        if (r.ok()) out.push_back(std::move(r.value()));
        else note(v.origin, r.status());
      }
      if (!problems.empty()) {
        std::string msg;
        for (const auto& p : problems) msg += (msg.empty() ? "" : "\n") + p;
        msg += "\nnothing was applied";
        return denied ? Status::PermissionDenied(msg) : Status::InvalidInput(msg);
      }
      return out;
    }, &actor, "update --from (" + std::to_string(updates.size() + values.size()) + " rows)", &clock);
  }

  Result<HistoryEntry> RecordIndicator(const Actor& actor, const IndicatorRequest& request, const Clock& clock) override {
    return Write<HistoryEntry>([&]() { return DoIndicator(actor, request, clock); }, &actor, "indicator record " + request.indicator + " as " + request.unit, &clock);
  }

  Result<HistoryEntry> Accept(const Actor& actor, const DecisionRequest& request, const Clock& clock) override {
    return Write<HistoryEntry>([&]() { return DoDecision(actor, request, clock, true); }, &actor, "accept " + request.task, &clock);
  }

  Result<HistoryEntry> Reject(const Actor& actor, const DecisionRequest& request, const Clock& clock) override {
    return Write<HistoryEntry>([&]() { return DoDecision(actor, request, clock, false); }, &actor, "reject " + request.task, &clock);
  }

  Status RecordRefusal(const Actor& actor, const std::string& what, const std::string& reason,
                       const Clock& clock) override {
    if (read_only_) return Status::Ok();
    auto r = Write<bool>([&]() -> Result<bool> {
      Append(clock, actor.name(), "", "refused", "", "", json{{"attempt", what}, {"reason", reason}});
      return true;
    });
    return r.ok() ? Status::Ok() : r.status();
  }

  // ----- reading -------------------------------------------------------------------

  Result<std::vector<AssignmentView>> Assignments(const AssignmentFilter& f) override {
    return Read<std::vector<AssignmentView>>([&]() -> Result<std::vector<AssignmentView>> {
      std::vector<AssignmentView> out;
      SQLite::Statement q = AssignmentQuery(f);
      while (q.executeStep()) out.push_back(ReadAssignment(q));
      return out;
    });
  }

  Status EachAssignment(const AssignmentFilter& f, const std::function<void(const AssignmentView&)>& each) override {
    bool handed = false;  // once a row is out, a failure is returned and not retried
    auto r = Read<bool>([&]() -> Result<bool> {
      try {
        SQLite::Statement q = AssignmentQuery(f);
        while (q.executeStep()) {
          each(ReadAssignment(q));
          handed = true;
        }
      } catch (const SQLite::Exception& e) {
        if (handed) return FromSqlite(e);
        throw;
      }
      return true;
    });
    return r.ok() ? Status::Ok() : r.status();
  }

  // The active assignments `f` selects, in document order: plan, task, leads first, unit.
  SQLite::Statement AssignmentQuery(const AssignmentFilter& f) {
    std::string sql = std::string(kAssignmentSelect) + " WHERE a.active AND t.active";
    std::vector<std::string> args;
    if (!f.plan.empty()) { sql += " AND a.plan_id = ?"; args.push_back(f.plan); }
    if (!f.unit.empty()) { sql += " AND a.unit_id = ?"; args.push_back(f.unit); }
    if (!f.task.empty()) { sql += " AND a.task_id = ?"; args.push_back(f.task); }
    if (f.status) { sql += " AND a.status = ?"; args.push_back(ToString(*f.status)); }
    if (f.open_only) sql += " AND a.status <> 'closed'";
    if (f.due_on_or_before) { sql += " AND t.due <= ? AND t.ongoing = 0"; args.push_back(f.due_on_or_before->ToString()); }
    sql += " ORDER BY a.plan_id, t.seq, a.role = 'cooperate', a.unit_id";
    SQLite::Statement q(*db_, sql);
    for (size_t i = 0; i < args.size(); ++i) q.bind(static_cast<int>(i + 1), args[i]);
    return q;
  }

  Result<TaskDetail> Task(const std::string& plan_text, const std::string& task) override {
    return Read<TaskDetail>([&]() -> Result<TaskDetail> {
      auto plan = ResolvePlanOfTask(plan_text, task);
      if (!plan.ok()) return plan.status();
      TaskDetail d;
      auto& q = Prepare("SELECT t.title, t.text, t.parent, coalesce(s.title, ''), t.start, t.due, t.ongoing, t.yearly, "
                " t.milestones, t.depends_on, t.indicators, p.title FROM tasks t JOIN plans p ON p.id = t.plan_id "
                "LEFT JOIN tasks s ON s.plan_id = t.plan_id AND s.id = t.parent WHERE t.plan_id = ? AND t.id = ?");
      q.bind(1, *plan);
      q.bind(2, task);
      if (!q.executeStep()) return Status::NotFound("unknown task " + Quote(task));
      d.plan = *plan;
      d.id = task;
      d.title = q.getColumn(0).getString();
      d.text = q.getColumn(1).getString();
      d.section = q.getColumn(2).getString();
      d.section_title = q.getColumn(3).getString();
      d.start = ToDate(q.getColumn(4).getString());
      d.due = ToDate(q.getColumn(5).getString());
      d.ongoing = q.getColumn(6).getInt() != 0;
      for (const auto& y : json::parse(q.getColumn(7).getString())) d.yearly.push_back(y.get<std::string>());
      for (const auto& m : json::parse(q.getColumn(8).getString()))
        d.milestones.emplace_back(m["title"].get<std::string>(), ToDate(m["due"].get<std::string>()));
      for (const auto& x : json::parse(q.getColumn(9).getString())) d.depends_on.push_back(x.get<std::string>());
      for (const auto& x : json::parse(q.getColumn(10).getString())) d.indicators.push_back(x.get<std::string>());
      d.plan_title = q.getColumn(11).getString();
      q.reset();
      SQLite::Statement dep(*db_, "SELECT id FROM tasks WHERE plan_id = ? AND active AND EXISTS "
                                  "(SELECT 1 FROM json_each(tasks.depends_on) WHERE value = ?) ORDER BY seq");
      dep.bind(1, *plan);
      dep.bind(2, task);
      while (dep.executeStep()) d.dependents.push_back(dep.getColumn(0).getString());
      SQLite::Statement a(*db_, std::string(kAssignmentSelect) +
                                    " WHERE a.plan_id = ? AND a.task_id = ? AND a.active "
                                    "ORDER BY a.role = 'cooperate', a.unit_id");
      a.bind(1, *plan);
      a.bind(2, task);
      while (a.executeStep()) d.assignments.push_back(ReadAssignment(a));
      d.history = HistoryOf(*plan, task);
      SQLite::Statement ev(*db_, "SELECT e.event_seq, a.unit_id, e.name, e.size, e.sha256 FROM evidence e "
                                 "JOIN assignments a ON a.id = e.assignment_id WHERE a.plan_id = ? AND a.task_id = ? "
                                 "ORDER BY e.event_seq, e.id");
      ev.bind(1, *plan);
      ev.bind(2, task);
      while (ev.executeStep())
        d.evidence.push_back({ev.getColumn(0).getInt64(), ev.getColumn(1).getString(),
                              {ev.getColumn(2).getString(), ev.getColumn(3).getInt64(), ev.getColumn(4).getString()}});
      return d;
    });
  }

  Result<std::vector<IndicatorView>> Indicators(const std::string& plan, const std::string& owner) override {
    return Read<std::vector<IndicatorView>>([&]() { return IndicatorsWhere(plan, owner); });
  }

  Result<UnitWorkload> Workload(const std::string& unit) override {
    AssignmentFilter f;
    f.unit = unit;
    f.open_only = true;
    auto a = Assignments(f);
    if (!a.ok()) return a.status();
    auto i = Indicators("", unit);
    if (!i.ok()) return i.status();
    return UnitWorkload{std::move(a.value()), std::move(i.value())};
  }

  Result<std::vector<HistoryEntry>> History(const std::string& plan, const std::string& subject) override {
    return Read<std::vector<HistoryEntry>>([&]() -> Result<std::vector<HistoryEntry>> {
      if (plan.empty() && subject.empty()) {
        std::vector<HistoryEntry> out;
        SQLite::Statement q(*db_, std::string(kEventSelect) + " ORDER BY seq");
        while (q.executeStep()) out.push_back(ReadEvent(q));
        return out;
      }
      return HistoryOf(plan, subject);
    });
  }

  Result<std::vector<HistoryEntry>> HistoryOfKind(const std::string& plan, const std::string& kind, Date from,
                                                  Date to) override {
    return Read<std::vector<HistoryEntry>>([&]() -> Result<std::vector<HistoryEntry>> {
      std::vector<HistoryEntry> out;
      SQLite::Statement q(*db_, std::string(kEventSelect) + " WHERE plan_id = ? AND kind = ? AND day >= ? AND day <= ? ORDER BY seq");
      q.bind(1, plan);
      q.bind(2, kind);
      q.bind(3, from.ToString());
      q.bind(4, to.ToString());
      while (q.executeStep()) out.push_back(ReadEvent(q));
      return out;
    });
  }

  Result<std::string> ResolveUnit(const std::string& text) override {
    return Read<std::string>([&]() { return ResolveUnitId(text); });
  }

  Result<AuditReport> VerifyAudit() override {
    return Read<AuditReport>([&]() -> Result<AuditReport> { return DoVerify(); });
  }

  Result<std::vector<PlanSnapshot>> SnapshotsOn(const std::string& plan, const std::vector<Date>& days) override {
    return Read<std::vector<PlanSnapshot>>([&]() -> Result<std::vector<PlanSnapshot>> {
      // One read transaction, so that every table is seen at the same moment.
      SQLite::Transaction tx(*db_);
      std::optional<PlanSnapshot> head = PlanHead(plan);
      if (!head) return UnknownPlan(plan);
      head->version = VersionOf(plan);
      if (days.empty()) return std::vector<PlanSnapshot>{};
      return FillSnapshots(std::move(*head), days);
    });
  }

  Result<std::vector<std::optional<std::string>>> CachedBoards(const std::vector<std::string>& plans, Date day,
                                                                const std::string& variant) override {
    return Read<std::vector<std::optional<std::string>>>([&]() -> Result<std::vector<std::optional<std::string>>> {
      SQLite::Transaction tx(*db_);  // every version read at one moment
      std::vector<std::optional<std::string>> out(plans.size());
      const int64_t units = UnitsVersion();
      auto& q = Prepare("SELECT board FROM board_cache WHERE plan_id = ? AND variant = ? AND day = ? "
                        "AND units_version = ? AND plan_version = coalesce(" + std::string(kPlanVersion) + ", 0)");
      const std::string d = day.ToString();
      for (size_t i = 0; i < plans.size(); ++i) {
        q.reset();
        q.bind(1, plans[i]);
        q.bind(2, variant);
        q.bind(3, d);
        q.bind(4, units);
        q.bind(5, plans[i]);
        if (q.executeStep()) out[i] = q.getColumn(0).getString();
      }
      return out;
    });
  }

  Status CacheBoards(Date day, const std::string& variant, const std::vector<CachedBoard>& boards) override {
    auto r = Write<bool>([&]() -> Result<bool> {
      auto& q = Prepare("INSERT INTO board_cache(plan_id, variant, day, plan_version, units_version, board) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(plan_id, variant) DO UPDATE SET day = excluded.day, "
                        "plan_version = excluded.plan_version, units_version = excluded.units_version, "
                        "board = excluded.board");
      const std::string d = day.ToString();
      for (const CachedBoard& b : boards) {
        q.reset();
        q.bind(1, b.plan);
        q.bind(2, variant);
        q.bind(3, d);
        q.bind(4, b.version.records);
        q.bind(5, b.version.units);
        q.bind(6, b.board);
        q.exec();
      }
      return true;
    });
    return r.ok() ? Status::Ok() : r.status();
  }

  Result<std::string> PlanContent(const std::string& plan) override {
    return Read<std::string>([&]() -> Result<std::string> {
      // The current revision's content; stores before schema 5 kept a copy in plans too.
      auto& q = Prepare("SELECT r.content FROM plans p JOIN plan_revisions r "
                        "ON r.plan_id = p.id AND r.revision = p.revision WHERE p.id = ?");
      q.bind(1, plan);
      if (!q.executeStep()) return UnknownPlan(plan);
      return q.getColumn(0).getString();
    });
  }

  Result<std::vector<std::string>> SentReminders(const std::string& unit, const std::vector<std::string>& keys) override {
    return Read<std::vector<std::string>>([&]() -> Result<std::vector<std::string>> {
      // One statement for all the keys: a unit may have hundreds in one morning's run.
      std::vector<std::string> sent;
      auto& q = Prepare("SELECT j.value FROM json_each(?) j WHERE EXISTS "
                        "(SELECT 1 FROM reminders r WHERE r.unit_id = ? AND r.key = j.value) ORDER BY j.key");
      q.bind(1, json(keys).dump());
      q.bind(2, unit);
      while (q.executeStep()) sent.push_back(q.getColumn(0).getString());
      return sent;
    });
  }

  Status RecordReminder(const Actor& actor, const std::string& plan, const std::string& unit, const std::string& channel,
                        const std::vector<std::string>& keys, const std::string& level, const Clock& clock) override {
    auto r = Write<bool>([&]() -> Result<bool> {
      if (Status s = MayAdminister(actor); !s.ok()) return s;
      HistoryEntry e = Append(clock, actor.name(), "", "remind", plan, unit,
                              json{{"unit", unit}, {"channel", channel}, {"level", level}, {"keys", keys}});
      for (const auto& k : keys) {
        auto& q = Prepare("INSERT INTO reminders(unit_id, key, plan_id, level, channel, day, event_seq) VALUES (?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, unit);
        q.bind(2, k);
        q.bind(3, plan);
        q.bind(4, level);
        q.bind(5, channel);
        q.bind(6, clock.day.ToString());
        q.bind(7, e.seq);
        q.exec();
      }
      return true;
    }, &actor, "remind " + unit, &clock);
    return r.ok() ? Status::Ok() : r.status();
  }

 private:
  static constexpr const char* kAssignmentSelect =
      "SELECT a.id, a.plan_id, a.task_id, t.title, coalesce(s.title, ''), a.unit_id, u.name, a.role, a.via_group, "
      " a.office_decision, t.start, t.due, t.ongoing, a.status, a.progress, a.last_report, a.last_note, "
      " a.blocked_reason, a.reports "
      "FROM assignments a JOIN tasks t ON t.plan_id = a.plan_id AND t.id = a.task_id "
      "JOIN units u ON u.id = a.unit_id LEFT JOIN tasks s ON s.plan_id = t.plan_id AND s.id = t.parent";
  static constexpr const char* kEventSelect =
      "SELECT seq, at, day, actor, on_behalf_of, kind, plan_id, subject, payload, hash FROM events";

  // ----- transactions ---------------------------------------------------------------

  // Runs `body` in an IMMEDIATE transaction (so concurrent writers queue on the busy
  // timeout instead of failing on a lock upgrade). On any failure nothing is kept; a
  // permission failure is then recorded as a refused attempt in its own transaction.
  template <typename T, typename F>
  Result<T> Write(F&& body, const Actor* actor = nullptr, const std::string& what = "", const Clock* clock = nullptr) {
    if (read_only_) return Status::IoError("the store is open read-only: nothing was written");
    Result<T> result = Status::Internal("not run");
    // SQLite answers BUSY without waiting in a few WAL cases (another process
    // checkpointing as it closes); the whole transaction is then retried until the
    // busy timeout runs out. The body is re-runnable: a failed attempt left nothing.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
    std::minstd_rand jitter(static_cast<unsigned>(::getpid()));
    for (;;) {
      StatementsDone done(*this);
      try {
        SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
        result = body();
        ResetStatements();  // before commit: an active statement would keep a read open
        if (result.ok()) tx.commit();
        break;
      } catch (const SQLite::Exception& e) {
        bool busy = e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
        if (!busy || std::chrono::steady_clock::now() > deadline) return FromSqlite(e);
        std::this_thread::sleep_for(std::chrono::milliseconds(2 + jitter() % 20));
      } catch (const nlohmann::json::exception& e) {
        return Status::Internal(std::string("malformed stored JSON: ") + e.what());
      }
    }
    if (!result.ok() && result.status().code() == Status::Code::kPermissionDenied && actor && clock) {
      // The refusal is part of the record even though the attempt changed nothing.
      (void)RecordRefusal(*actor, what, result.status().message(), *clock);
    }
    return result;
  }

  template <typename T, typename F>
  Result<T> Read(F&& body) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
    std::minstd_rand jitter(static_cast<unsigned>(::getpid()));
    for (;;) {
      StatementsDone done(*this);
      try {
        return body();
      } catch (const SQLite::Exception& e) {
        bool busy = e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
        if (!busy || std::chrono::steady_clock::now() > deadline) return FromSqlite(e);
        std::this_thread::sleep_for(std::chrono::milliseconds(2 + jitter() % 20));
      } catch (const nlohmann::json::exception& e) {
        return Status::Internal(std::string("malformed stored JSON: ") + e.what());
      }
    }
  }

  // A cached statement left mid-result holds a read snapshot open, and a later
  // BEGIN IMMEDIATE on a stale snapshot fails with BUSY_SNAPSHOT however long it
  // waits. So every operation ends with every cached statement reset.
  void ResetStatements() {
    for (auto& [sql, st] : cache_) st->reset();
  }
  struct StatementsDone {
    SqliteStore& s;
    explicit StatementsDone(SqliteStore& store) : s(store) {}
    ~StatementsDone() {
      try {
        s.ResetStatements();
      } catch (...) {
      }
    }
  };

  SQLite::Statement& Prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(*db_, sql)).first;
    it->second->reset();
    it->second->clearBindings();
    return *it->second;
  }

  int64_t Count(const std::string& sql) { return db_->execAndGet(sql).getInt64(); }

  void InsertCredential(const std::string& holder, const std::string& token, const Clock& clock) {
    auto& q = Prepare("INSERT INTO credentials(holder, token_hash, issued_at) VALUES (?, ?, ?)");
    q.bind(1, holder);
    q.bind(2, Sha256Hex(token));
    q.bind(3, clock.now);
    q.exec();
  }

  // Appends one record to the hash chain; returns it.
  HistoryEntry Append(const Clock& clock, const std::string& actor, const std::string& behalf,
                      const std::string& kind, const std::string& plan, const std::string& subject,
                      const json& payload) {
    auto& last = Prepare("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1");
    int64_t seq = 1;
    std::string prev = kGenesisHash;
    if (last.executeStep()) {
      seq = last.getColumn(0).getInt64() + 1;
      prev = last.getColumn(1).getString();
    }
    last.reset();
    HistoryEntry e;
    e.seq = seq;
    e.at = clock.now;
    e.day = clock.day;
    e.actor = actor;
    e.on_behalf_of = behalf;
    e.kind = kind;
    e.plan = plan;
    e.subject = subject;
    e.payload = payload.dump();
    e.hash = EventHash(prev, seq, e.at, e.day.ToString(), actor, behalf, kind, plan, subject, e.payload);
    auto& q = Prepare("INSERT INTO events(seq, at, day, actor, on_behalf_of, kind, plan_id, subject, payload, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, seq);
    q.bind(2, e.at);
    q.bind(3, e.day.ToString());
    q.bind(4, actor);
    q.bind(5, behalf);
    q.bind(6, kind);
    q.bind(7, plan);
    q.bind(8, subject);
    q.bind(9, e.payload);
    q.bind(10, prev);
    q.bind(11, e.hash);
    q.exec();
    return e;
  }

  HistoryEntry ReadEvent(SQLite::Statement& q) {
    HistoryEntry e;
    e.seq = q.getColumn(0).getInt64();
    e.at = q.getColumn(1).getString();
    e.day = ToDate(q.getColumn(2).getString());
    e.actor = q.getColumn(3).getString();
    e.on_behalf_of = q.getColumn(4).getString();
    e.kind = q.getColumn(5).getString();
    e.plan = q.getColumn(6).getString();
    e.subject = q.getColumn(7).getString();
    e.payload = q.getColumn(8).getString();
    e.hash = q.getColumn(9).getString();
    return e;
  }

  std::vector<HistoryEntry> HistoryOf(const std::string& plan, const std::string& subject) {
    std::vector<HistoryEntry> out;
    SQLite::Statement q(*db_, std::string(kEventSelect) + " WHERE plan_id = ? AND (? = '' OR subject = ?) ORDER BY seq");
    q.bind(1, plan);
    q.bind(2, subject);
    q.bind(3, subject);
    while (q.executeStep()) out.push_back(ReadEvent(q));
    return out;
  }

  AssignmentView ReadAssignment(SQLite::Statement& q) {
    AssignmentView v;
    v.id = q.getColumn(0).getInt64();
    v.plan = q.getColumn(1).getString();
    v.task = q.getColumn(2).getString();
    v.task_title = q.getColumn(3).getString();
    v.section_title = q.getColumn(4).getString();
    v.unit = q.getColumn(5).getString();
    v.unit_name = q.getColumn(6).getString();
    v.role = ToRole(q.getColumn(7).getString());
    v.via_group = q.getColumn(8).getString();
    v.office_decision = q.getColumn(9).getInt() != 0;
    v.start = ToDate(q.getColumn(10).getString());
    v.due = ToDate(q.getColumn(11).getString());
    v.ongoing = q.getColumn(12).getInt() != 0;
    v.status = ToStatus(q.getColumn(13).getString());
    v.progress = q.getColumn(14).getInt();
    if (!q.getColumn(15).isNull()) v.last_report = ToDate(q.getColumn(15).getString());
    v.last_note = q.getColumn(16).getString();
    v.blocked_reason = q.getColumn(17).getString();
    v.reports = q.getColumn(18).getInt();
    return v;
  }

  // ----- resolution -----------------------------------------------------------------

  Result<std::string> ResolveUnitId(const std::string& text) {
    auto& byid = Prepare("SELECT id FROM units WHERE id = ?");
    byid.bind(1, text);
    if (byid.executeStep()) return byid.getColumn(0).getString();
    auto& byname = Prepare("SELECT DISTINCT unit_id FROM unit_names WHERE name_key = ? ORDER BY unit_id");
    byname.bind(1, NormalizeName(text));
    std::vector<std::string> ids;
    while (byname.executeStep()) ids.push_back(byname.getColumn(0).getString());
    if (ids.size() == 1) return ids[0];
    if (ids.size() > 1) {
      std::string list;
      for (const auto& i : ids) list += (list.empty() ? "" : ", ") + i;
      return Status::Conflict("the name " + Quote(text) + " is used by several units (" + list + "): give the unit id");
    }
    std::vector<std::string> candidates;
    SQLite::Statement all(*db_, IsSlug(text) ? "SELECT id FROM units" : "SELECT name FROM unit_names");
    while (all.executeStep()) candidates.push_back(all.getColumn(0).getString());
    std::string msg = "unknown unit " + Quote(text);
    if (auto g = ClosestMatch(text, candidates)) msg += ", did you mean " + Quote(*g) + "?";
    return Status::NotFound(msg);
  }

  // The plan holding `task` (or `explicit_plan` checked).
  Result<std::string> ResolvePlanOfTask(const std::string& explicit_plan, const std::string& task) {
    if (!explicit_plan.empty()) {
      auto& p = Prepare("SELECT 1 FROM plans WHERE id = ?");
      p.bind(1, explicit_plan);
      if (!p.executeStep()) return UnknownPlan(explicit_plan);
      auto& t = Prepare("SELECT 1 FROM tasks WHERE plan_id = ? AND id = ? AND active");
      t.bind(1, explicit_plan);
      t.bind(2, task);
      if (!t.executeStep()) return UnknownTask(explicit_plan, task);
      return explicit_plan;
    }
    auto& q = Prepare("SELECT plan_id FROM tasks WHERE id = ? AND active ORDER BY plan_id");
    q.bind(1, task);
    std::vector<std::string> plans;
    while (q.executeStep()) plans.push_back(q.getColumn(0).getString());
    if (plans.size() == 1) return plans[0];
    if (plans.empty()) return UnknownTask("", task);
    std::string list;
    for (const auto& p : plans) list += (list.empty() ? "" : ", ") + p;
    return Status::InvalidInput("task " + Quote(task) + " is in several plans (" + list + "): give --plan");
  }

  Status UnknownPlan(const std::string& plan) {
    std::vector<std::string> ids;
    SQLite::Statement q(*db_, "SELECT id FROM plans");
    while (q.executeStep()) ids.push_back(q.getColumn(0).getString());
    std::string msg = "unknown plan " + Quote(plan);
    if (auto g = ClosestMatch(plan, ids)) msg += ", did you mean " + Quote(*g) + "?";
    else if (ids.empty()) msg += ": no plan is loaded (duban plan load FILE)";
    return Status::NotFound(msg);
  }

  Status UnknownTask(const std::string& plan, const std::string& task) {
    std::vector<std::string> ids;
    SQLite::Statement q(*db_, "SELECT DISTINCT id FROM tasks WHERE active AND (? = '' OR plan_id = ?)");
    q.bind(1, plan);
    q.bind(2, plan);
    while (q.executeStep()) ids.push_back(q.getColumn(0).getString());
    std::string msg = "unknown task " + Quote(task) + (plan.empty() ? "" : " in plan " + Quote(plan));
    if (auto g = ClosestMatch(task, ids)) msg += ", did you mean " + Quote(*g) + "?";
    return Status::NotFound(msg);
  }

  std::string OfficeOf(const std::string& plan) {
    auto& q = Prepare("SELECT office FROM plans WHERE id = ?");
    q.bind(1, plan);
    return q.executeStep() ? q.getColumn(0).getString() : "";
  }

  struct AssignmentRow {
    int64_t id = 0;
    Role role = Role::kLead;
    AssignmentState state;
  };

  std::optional<AssignmentRow> FindAssignment(const std::string& plan, const std::string& task, const std::string& unit) {
    auto& q = Prepare("SELECT id, role, status, progress, blocked_reason FROM assignments "
              "WHERE plan_id = ? AND task_id = ? AND unit_id = ? AND active");
    q.bind(1, plan);
    q.bind(2, task);
    q.bind(3, unit);
    if (!q.executeStep()) return std::nullopt;
    AssignmentRow r;
    r.id = q.getColumn(0).getInt64();
    r.role = ToRole(q.getColumn(1).getString());
    r.state.status = ToStatus(q.getColumn(2).getString());
    r.state.progress = q.getColumn(3).getInt();
    r.state.blocked_reason = q.getColumn(4).getString();
    return r;
  }

  // Why (plan, task, unit) has no assignment: a section, or who does answer for it.
  Status NoAssignment(const std::string& plan, const std::string& task, const std::string& unit) {
    auto& leaf = Prepare("SELECT leaf FROM tasks WHERE plan_id = ? AND id = ?");
    leaf.bind(1, plan);
    leaf.bind(2, task);
    if (leaf.executeStep() && leaf.getColumn(0).getInt() == 0) {
      leaf.reset();
      std::string kids;
      SQLite::Statement k(*db_, "SELECT id FROM tasks WHERE plan_id = ? AND parent = ? AND active ORDER BY seq");
      k.bind(1, plan);
      k.bind(2, task);
      while (k.executeStep()) kids += (kids.empty() ? "" : ", ") + k.getColumn(0).getString();
      return Status::InvalidInput("task " + Quote(task) + " is a section; report on its tasks: " + kids);
    }
    leaf.reset();
    SQLite::Statement who(*db_, "SELECT unit_id FROM assignments WHERE plan_id = ? AND task_id = ? AND active "
                                "AND role = 'lead' ORDER BY unit_id LIMIT 4");
    who.bind(1, plan);
    who.bind(2, task);
    std::string leads;
    while (who.executeStep()) leads += (leads.empty() ? "" : ", ") + who.getColumn(0).getString();
    return Status::PermissionDenied("unit " + Quote(unit) + " has no assignment on task " + Quote(task) +
                                    " in plan " + Quote(plan) + (leads.empty() ? "" : " (led by " + leads + ")"));
  }

  // ----- writes --------------------------------------------------------------------

  bool IsUnchanged(const UpdateRequest& u) {
    if (!u.note.empty() || !u.evidence.empty()) return false;
    auto plan = ResolvePlanOfTask(u.plan, u.task);
    if (!plan.ok()) return false;
    auto unit = ResolveUnitId(u.unit);
    if (!unit.ok()) return false;
    auto a = FindAssignment(*plan, u.task, *unit);
    if (!a) return false;
    return (!u.status || *u.status == a->state.status) && (!u.progress || *u.progress == a->state.progress);
  }

  Result<HistoryEntry> DoUpdate(const Actor& actor, const UpdateRequest& req, const Clock& clock) {
    auto plan = ResolvePlanOfTask(req.plan, req.task);
    if (!plan.ok()) return plan.status();
    auto unit = ResolveUnitId(req.unit);
    if (!unit.ok()) return unit.status();
    if (Status s = MayWriteFor(actor, *unit, OfficeOf(*plan)); !s.ok()) return s;
    auto a = FindAssignment(*plan, req.task, *unit);
    if (!a) return NoAssignment(*plan, req.task, *unit);
    auto next = ApplyUpdate(a->state, req);
    if (!next.ok()) return next.status();
    json evidence = json::array();
    for (const auto& e : req.evidence) evidence.push_back({{"name", e.name}, {"size", e.size}, {"sha256", e.sha256}});
    json payload = {{"task", req.task}, {"unit", *unit}, {"role", ToString(a->role)},
                    {"status", ToString(next->status)}, {"progress", next->progress}, {"note", req.note},
                    {"evidence", evidence},
                    {"before", {{"status", ToString(a->state.status)}, {"progress", a->state.progress}}}};
    std::string behalf = actor.is_admin() || actor.unit != *unit ? *unit : "";
    HistoryEntry e = Append(clock, actor.name(), behalf, "update", *plan, req.task, payload);
    auto& r = Prepare("INSERT INTO reports(assignment_id, event_seq, day, status, progress, note) VALUES (?, ?, ?, ?, ?, ?)");
    r.bind(1, a->id);
    r.bind(2, e.seq);
    r.bind(3, clock.day.ToString());
    r.bind(4, ToString(next->status));
    r.bind(5, next->progress);
    r.bind(6, req.note);
    r.exec();
    for (const auto& f : req.evidence) {
      auto& ev = Prepare("INSERT INTO evidence(event_seq, assignment_id, name, size, sha256) VALUES (?, ?, ?, ?, ?)");
      ev.bind(1, e.seq);
      ev.bind(2, a->id);
      ev.bind(3, f.name);
      ev.bind(4, f.size);
      ev.bind(5, f.sha256);
      ev.exec();
    }
    auto& u = Prepare("UPDATE assignments SET status = ?, progress = ?, blocked_reason = ?, last_report = ?, "
                      "last_note = CASE WHEN ? = '' THEN last_note ELSE ? END, reports = reports + 1 WHERE id = ?");
    u.bind(1, ToString(next->status));
    u.bind(2, next->progress);
    u.bind(3, next->blocked_reason);
    u.bind(4, clock.day.ToString());
    u.bind(5, req.note);
    u.bind(6, req.note);
    u.bind(7, a->id);
    u.exec();
    return e;
  }

  Result<HistoryEntry> DoIndicator(const Actor& actor, const IndicatorRequest& req, const Clock& clock) {
    std::string plan = req.plan;
    if (plan.empty()) {
      auto& q = Prepare("SELECT DISTINCT plan_id FROM indicators WHERE id = ? AND active ORDER BY plan_id");
      q.bind(1, req.indicator);
      std::vector<std::string> plans;
      while (q.executeStep()) plans.push_back(q.getColumn(0).getString());
      if (plans.size() > 1) return Status::InvalidInput("indicator " + Quote(req.indicator) + " is in several plans: give --plan");
      if (plans.empty()) {
        std::vector<std::string> ids;
        SQLite::Statement all(*db_, "SELECT id FROM indicators WHERE active");
        while (all.executeStep()) ids.push_back(all.getColumn(0).getString());
        std::string msg = "unknown indicator " + Quote(req.indicator);
        if (auto g = ClosestMatch(req.indicator, ids)) msg += ", did you mean " + Quote(*g) + "?";
        return Status::NotFound(msg);
      }
      plan = plans[0];
    }
    auto& q = Prepare("SELECT owner FROM indicators WHERE plan_id = ? AND id = ? AND active");
    q.bind(1, plan);
    q.bind(2, req.indicator);
    if (!q.executeStep()) return Status::NotFound("unknown indicator " + Quote(req.indicator) + " in plan " + Quote(plan));
    std::string owner = q.getColumn(0).getString();
    q.reset();
    auto unit = ResolveUnitId(req.unit);
    if (!unit.ok()) return unit.status();
    if (Status s = MayWriteFor(actor, *unit, OfficeOf(plan)); !s.ok()) return s;
    if (*unit != owner)
      return Status::PermissionDenied("indicator " + Quote(req.indicator) + " is owned by " + Quote(owner) +
                                      ", not by " + Quote(*unit));
    if (!std::isfinite(req.value)) return Status::InvalidInput("the value must be a finite number");
    if (req.as_of > clock.day)
      return Status::InvalidInput("the as-of date " + req.as_of.ToString() + " is after today (" + clock.day.ToString() + ")");
    if (Status s = ValidateNote(req.note); !s.ok()) return s;
    json payload = {{"indicator", req.indicator}, {"unit", *unit}, {"value", req.value},
                    {"as_of", req.as_of.ToString()}, {"note", req.note}};
    std::string behalf = actor.is_admin() || actor.unit != *unit ? *unit : "";
    HistoryEntry e = Append(clock, actor.name(), behalf, "indicator", plan, req.indicator, payload);
    auto& ins = Prepare("INSERT INTO indicator_values(plan_id, indicator_id, value, as_of, unit_id, note, day, event_seq) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, plan);
    ins.bind(2, req.indicator);
    ins.bind(3, req.value);
    ins.bind(4, req.as_of.ToString());
    ins.bind(5, *unit);
    ins.bind(6, req.note);
    ins.bind(7, clock.day.ToString());
    ins.bind(8, e.seq);
    ins.exec();
    return e;
  }

  Result<HistoryEntry> DoDecision(const Actor& actor, const DecisionRequest& req, const Clock& clock, bool accept) {
    auto plan = ResolvePlanOfTask(req.plan, req.task);
    if (!plan.ok()) return plan.status();
    if (Status s = MayDecide(actor, OfficeOf(*plan)); !s.ok()) return s;
    if (!accept && req.reason.empty()) return Status::InvalidInput("a rejection needs the reason: give --reason");
    struct Row { int64_t id; std::string unit; Role role; AssignmentState state; };
    std::vector<Row> rows;
    {
      SQLite::Statement q(*db_, "SELECT id, unit_id, role, status, progress, blocked_reason FROM assignments "
                                "WHERE plan_id = ? AND task_id = ? AND active ORDER BY role = 'cooperate', unit_id");
      q.bind(1, *plan);
      q.bind(2, req.task);
      while (q.executeStep()) {
        Row r{q.getColumn(0).getInt64(), q.getColumn(1).getString(), ToRole(q.getColumn(2).getString()), {}};
        r.state = {ToStatus(q.getColumn(3).getString()), q.getColumn(4).getInt(), q.getColumn(5).getString()};
        rows.push_back(std::move(r));
      }
    }
    if (rows.empty()) return NoAssignment(*plan, req.task, req.unit.empty() ? "-" : req.unit);
    std::vector<std::pair<Row*, AssignmentState>> changes;
    if (!req.unit.empty()) {
      auto unit = ResolveUnitId(req.unit);
      if (!unit.ok()) return unit.status();
      auto it = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.unit == *unit; });
      if (it == rows.end()) return NoAssignment(*plan, req.task, *unit);
      auto next = accept ? ApplyAccept(it->state) : ApplyReject(it->state, req.reason);
      if (!next.ok()) return Status::Conflict("cannot " + std::string(accept ? "accept" : "reject") + " task " +
                                              Quote(req.task) + " for " + Quote(*unit) + ": " + next.status().message());
      changes.emplace_back(&*it, *next);
    } else if (accept) {
      // The task is accepted whole: every lead must have claimed it done; the
      // cooperating parts close with it.
      std::string pending;
      for (auto& r : rows) {
        if (r.role == Role::kLead && r.state.status != AssignmentStatus::kDone &&
            r.state.status != AssignmentStatus::kClosed)
          pending += (pending.empty() ? "" : ", ") + r.unit + " (" + ToString(r.state.status) + ")";
      }
      if (!pending.empty())
        return Status::Conflict("cannot accept task " + Quote(req.task) + ": not claimed done by " + pending);
      for (auto& r : rows) {
        if (r.state.status == AssignmentStatus::kClosed) continue;
        AssignmentState next = r.state;
        next.status = AssignmentStatus::kClosed;
        changes.emplace_back(&r, next);
      }
      if (changes.empty()) return Status::Conflict("task " + Quote(req.task) + " is already closed");
    } else {
      for (auto& r : rows) {
        if (r.state.status != AssignmentStatus::kDone) continue;
        auto next = ApplyReject(r.state, req.reason);
        if (!next.ok()) return next.status();
        changes.emplace_back(&r, *next);
      }
      if (changes.empty()) return Status::Conflict("cannot reject task " + Quote(req.task) + ": nobody has claimed it done");
    }
    json units = json::array();
    for (auto& [row, next] : changes)
      units.push_back({{"unit", row->unit}, {"status", ToString(next.status)}, {"progress", next.progress},
                       {"before", {{"status", ToString(row->state.status)}, {"progress", row->state.progress}}}});
    json payload = {{"task", req.task}, {"units", units}};
    if (!accept) payload["reason"] = req.reason;
    HistoryEntry e = Append(clock, actor.name(), "", accept ? "accept" : "reject", *plan, req.task, payload);
    for (auto& [row, next] : changes) {
      auto& u = Prepare("UPDATE assignments SET status = ?, progress = ?, blocked_reason = ? WHERE id = ?");
      u.bind(1, ToString(next.status));
      u.bind(2, next.progress);
      u.bind(3, next.blocked_reason);
      u.bind(4, row->id);
      u.exec();
    }
    return e;
  }

  // ----- plan loading ----------------------------------------------------------------

  // The units one transaction of plan loads has already brought up to date, as written.
  using UnitsWritten = std::unordered_map<std::string, const Unit*>;
  static bool SameUnit(const Unit& a, const Unit& b) {
    if (a.name != b.name || a.kind != b.kind || a.aliases != b.aliases || a.contact.email != b.contact.email ||
        a.contact.webhook != b.contact.webhook || a.contact.phone != b.contact.phone ||
        a.members.size() != b.members.size())
      return false;
    for (size_t i = 0; i < a.members.size(); ++i)
      if (a.members[i].id != b.members[i].id) return false;
    return true;
  }

  Result<LoadReport> DoLoadPlan(const Actor& actor, const Plan& plan, const std::string& source_name,
                                const std::string& source_text, const Clock& clock, UnitsWritten& written) {
    std::string content = RenderPlanJson(plan, {});
    std::string digest = Sha256Hex(content);
    LoadReport report;
    report.plan = plan.id;
    int revision = 0;
    {
      auto& q = Prepare("SELECT p.revision, r.content_sha256 FROM plans p JOIN plan_revisions r "
                "ON r.plan_id = p.id AND r.revision = p.revision WHERE p.id = ?");
      q.bind(1, plan.id);
      if (q.executeStep()) {
        revision = q.getColumn(0).getInt();
        if (q.getColumn(1).getString() == digest) {
          report.revision = revision;
          report.unchanged = true;
          return report;
        }
      }
    }
    report.revision = ++revision;

    // Plans share their units: a load writes only what differs from the store, so that
    // loading plan after plan of one province does not rewrite its unit list each time,
    // and a unit an earlier plan of the same command wrote as it is here is not looked at.
    std::vector<const Unit*> to_write;
    to_write.reserve(plan.units.size());
    for (const Unit& u : plan.units) {
      auto [it, fresh] = written.emplace(u.id, &u);
      if (!fresh && SameUnit(*it->second, u)) continue;
      it->second = &u;
      to_write.push_back(&u);
    }
    for (const Unit* unit : to_write) {
      const Unit& u = *unit;
      auto& q = Prepare("INSERT INTO units(id, name, kind, email, webhook, phone) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                "email = excluded.email, webhook = excluded.webhook, phone = excluded.phone "
                "WHERE (name, kind, email, webhook, phone) IS NOT "
                "(excluded.name, excluded.kind, excluded.email, excluded.webhook, excluded.phone)");
      q.bind(1, u.id);
      q.bind(2, u.name);
      q.bind(3, ToString(u.kind));
      q.bind(4, u.contact.email);
      q.bind(5, u.contact.webhook);
      q.bind(6, u.contact.phone);
      q.exec();
      std::vector<std::string> names = u.aliases;
      names.insert(names.begin(), u.name);
      std::set<std::pair<std::string, std::string>> wanted;  // (key, name); a key once
      std::set<std::string> keys;
      for (const auto& n : names)
        if (std::string key = NormalizeName(n); keys.insert(key).second) wanted.emplace(std::move(key), n);
      std::set<std::pair<std::string, std::string>> stored;
      auto& have = Prepare("SELECT name_key, name FROM unit_names WHERE unit_id = ?");
      have.bind(1, u.id);
      while (have.executeStep()) stored.emplace(have.getColumn(0).getString(), have.getColumn(1).getString());
      if (stored == wanted) continue;
      auto& del = Prepare("DELETE FROM unit_names WHERE unit_id = ?");
      del.bind(1, u.id);
      del.exec();
      for (const auto& n : names) {
        auto& ins = Prepare("INSERT OR IGNORE INTO unit_names(name_key, unit_id, name) VALUES (?, ?, ?)");
        ins.bind(1, NormalizeName(n));
        ins.bind(2, u.id);
        ins.bind(3, n);
        ins.exec();
      }
    }
    for (const Unit* unit : to_write) {
      const Unit& u = *unit;
      std::set<std::string> wanted, stored;
      for (const Ref& m : u.members) wanted.insert(m.id);
      auto& have = Prepare("SELECT member_id FROM unit_members WHERE group_id = ?");
      have.bind(1, u.id);
      while (have.executeStep()) stored.insert(have.getColumn(0).getString());
      if (stored == wanted) continue;
      auto& del = Prepare("DELETE FROM unit_members WHERE group_id = ?");
      del.bind(1, u.id);
      del.exec();
      for (const std::string& m : wanted) {
        auto& ins = Prepare("INSERT OR IGNORE INTO unit_members(group_id, member_id) VALUES (?, ?)");
        ins.bind(1, u.id);
        ins.bind(2, m);
        ins.exec();
      }
    }
    {
      auto& q = Prepare("INSERT INTO plans(id, title, issuer, doc_number, office, revision, period_start, period_end, content, "
                "settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title = excluded.title, "
                "issuer = excluded.issuer, doc_number = excluded.doc_number, office = excluded.office, "
                "revision = excluded.revision, period_start = excluded.period_start, "
                "period_end = excluded.period_end, content = excluded.content, settings = excluded.settings");
      q.bind(1, plan.id);
      q.bind(2, plan.title);
      q.bind(3, plan.issuer);
      q.bind(4, plan.doc_number);
      q.bind(5, plan.office.id);
      q.bind(6, revision);
      q.bind(7, plan.period_start.ToString());
      q.bind(8, plan.period_end.ToString());
      q.bind(9, "");  // the content is the revision's, written once below
      q.bind(10, SettingsJson(plan).dump());
      q.exec();
    }
    LoadTasks(plan, report);
    LoadAssignments(plan, report);
    LoadIndicators(plan, report);

    json summary = {{"added_tasks", report.added_tasks}, {"removed_tasks", report.removed_tasks},
                    {"changed_tasks", report.changed_tasks}, {"added_indicators", report.added_indicators},
                    {"removed_indicators", report.removed_indicators},
                    {"changed_indicators", report.changed_indicators},
                    {"assignments_added", report.assignments_added},
                    {"assignments_removed", report.assignments_removed}};
    auto& rev = Prepare("INSERT INTO plan_revisions(plan_id, revision, loaded_at, day, source_name, source_text, "
                        "content_sha256, content, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    rev.bind(1, plan.id);
    rev.bind(2, revision);
    rev.bind(3, clock.now);
    rev.bind(4, clock.day.ToString());
    rev.bind(5, source_name);
    rev.bind(6, source_text);
    rev.bind(7, digest);
    rev.bind(8, content);
    rev.bind(9, summary.dump());
    rev.exec();
    json payload = {{"revision", revision}, {"content_sha256", digest}, {"source", source_name}};
    payload.update(summary);
    Append(clock, actor.name(), "", "plan.load", plan.id, "", payload);
    return report;
  }

  // Marks inactive the ids a new revision dropped (their history stays), listing them
  // sorted in `removed`. `sql` takes (plan id, id).
  void Deactivate(const char* sql, const std::string& plan, const std::vector<std::string>& was_active,
                  const std::set<std::string>& kept, std::vector<std::string>& removed) {
    for (const auto& id : was_active) {
      if (kept.count(id)) continue;
      removed.push_back(id);
      auto& q = Prepare(sql);
      q.bind(1, plan);
      q.bind(2, id);
      q.exec();
    }
    std::sort(removed.begin(), removed.end());
  }

  void LoadTasks(const Plan& plan, LoadReport& report) {
    struct Old { std::string digest; bool active; };
    std::unordered_map<std::string, Old> old;
    {
      auto& q = Prepare("SELECT id, parent || char(1) || leaf || char(1) || title || char(1) || text || char(1) || "
                "start || char(1) || due || char(1) || ongoing || char(1) || yearly || char(1) || milestones || "
                "char(1) || depends_on || char(1) || indicators, active FROM tasks WHERE plan_id = ?");
      q.bind(1, plan.id);
      while (q.executeStep()) old[q.getColumn(0).getString()] = {q.getColumn(1).getString(), q.getColumn(2).getInt() != 0};
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < plan.tasks.size(); ++i) {
      const duban::Task& t = plan.tasks[i];
      json yearly = json::array(), milestones = json::array(), deps = json::array(), inds = json::array();
      char buf[8];
      for (const auto& d : t.recurrence.yearly) {
        std::snprintf(buf, sizeof buf, "%02d-%02d", d.month, d.day);
        yearly.push_back(buf);
      }
      for (const auto& m : t.milestones) milestones.push_back({{"title", m.title}, {"due", m.due.ToString()}});
      for (const auto& d : t.depends_on) deps.push_back(d.id);
      for (const auto& d : t.indicators) inds.push_back(d.id);
      std::string parent = t.parent >= 0 ? plan.tasks[t.parent].id : "";
      std::vector<std::string> f = {parent, t.is_leaf() ? "1" : "0", t.title, t.text, t.start.ToString(),
                                    t.due.ToString(), t.recurrence.ongoing ? "1" : "0", yearly.dump(),
                                    milestones.dump(), deps.dump(), inds.dump()};
      std::string digest;
      for (size_t k = 0; k < f.size(); ++k) digest += (k ? std::string(1, '\1') : "") + f[k];
      auto it = old.find(t.id);
      if (it == old.end() || !it->second.active) report.added_tasks.push_back(t.id);
      else if (it->second.digest != digest) report.changed_tasks.push_back(t.id);
      seen.insert(t.id);
      auto& q = Prepare("INSERT INTO tasks(plan_id, id, parent, seq, depth, leaf, title, text, start, due, ongoing, yearly, "
                "milestones, depends_on, indicators, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
                "ON CONFLICT(plan_id, id) DO UPDATE SET parent = excluded.parent, seq = excluded.seq, "
                "depth = excluded.depth, leaf = excluded.leaf, title = excluded.title, text = excluded.text, "
                "start = excluded.start, due = excluded.due, ongoing = excluded.ongoing, yearly = excluded.yearly, "
                "milestones = excluded.milestones, depends_on = excluded.depends_on, "
                "indicators = excluded.indicators, active = 1");
      q.bind(1, plan.id);
      q.bind(2, t.id);
      q.bind(3, parent);
      q.bind(4, static_cast<int64_t>(i));
      q.bind(5, t.depth);
      q.bind(6, t.is_leaf() ? 1 : 0);
      q.bind(7, t.title);
      q.bind(8, t.text);
      q.bind(9, t.start.ToString());
      q.bind(10, t.due.ToString());
      q.bind(11, t.recurrence.ongoing ? 1 : 0);
      q.bind(12, yearly.dump());
      q.bind(13, milestones.dump());
      q.bind(14, deps.dump());
      q.bind(15, inds.dump());
      q.exec();
    }
    std::vector<std::string> was_active;
    for (const auto& [id, o] : old)
      if (o.active) was_active.push_back(id);
    Deactivate("UPDATE tasks SET active = 0 WHERE plan_id = ? AND id = ?", plan.id, was_active, seen,
               report.removed_tasks);
  }

  void LoadAssignments(const Plan& plan, LoadReport& report) {
    std::map<std::pair<std::string, std::string>, bool> old;  // (task, unit) → active
    {
      auto& q = Prepare("SELECT task_id, unit_id, active FROM assignments WHERE plan_id = ?");
      q.bind(1, plan.id);
      while (q.executeStep())
        old[{q.getColumn(0).getString(), q.getColumn(1).getString()}] = q.getColumn(2).getInt() != 0;
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (const Assignment& a : plan.assignments) {
      const std::string& task = plan.tasks[a.task].id;
      auto key = std::make_pair(task, a.unit);
      seen.insert(key);
      auto it = old.find(key);
      if (it == old.end() || !it->second) ++report.assignments_added;
      else ++report.assignments_kept;
      auto& q = Prepare("INSERT INTO assignments(plan_id, task_id, unit_id, role, via_group, office_decision, active) "
                "VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT(plan_id, task_id, unit_id) DO UPDATE SET "
                "role = excluded.role, via_group = excluded.via_group, "
                "office_decision = excluded.office_decision, active = 1");
      q.bind(1, plan.id);
      q.bind(2, task);
      q.bind(3, a.unit);
      q.bind(4, ToString(a.role));
      q.bind(5, a.via_group);
      q.bind(6, a.office_decision ? 1 : 0);
      q.exec();
    }
    for (const auto& [key, active] : old) {
      if (!active || seen.count(key)) continue;
      ++report.assignments_removed;
      auto& q = Prepare("UPDATE assignments SET active = 0 WHERE plan_id = ? AND task_id = ? AND unit_id = ?");
      q.bind(1, plan.id);
      q.bind(2, key.first);
      q.bind(3, key.second);
      q.exec();
    }
  }

  void LoadIndicators(const Plan& plan, LoadReport& report) {
    std::unordered_map<std::string, std::pair<std::string, bool>> old;
    auto digest_of = [](const json& j) { return j.dump(); };
    {
      auto& q = Prepare("SELECT id, json_array(name, measure, kind, trajectory, cycle, baseline_value, baseline_date, "
                "target_value, target_date, owner, source), active FROM indicators WHERE plan_id = ?");
      q.bind(1, plan.id);
      while (q.executeStep())
        old[q.getColumn(0).getString()] = {json::parse(q.getColumn(1).getString()).dump(), q.getColumn(2).getInt() != 0};
    }
    std::set<std::string> seen;
    for (const Indicator& ind : plan.indicators) {
      json row = json::array({ind.name, ind.measure, ToString(ind.kind), ToString(ind.trajectory), ToString(ind.cycle),
                              ind.baseline ? json(ind.baseline->value) : json(nullptr),
                              ind.baseline && ind.baseline->date ? json(ind.baseline->date->ToString()) : json(nullptr),
                              ind.target.value, ind.target.date ? ind.target.date->ToString() : "", ind.owner.id,
                              ind.source});
      auto it = old.find(ind.id);
      if (it == old.end() || !it->second.second) report.added_indicators.push_back(ind.id);
      else if (it->second.first != digest_of(row)) report.changed_indicators.push_back(ind.id);
      seen.insert(ind.id);
      auto& q = Prepare("INSERT INTO indicators(plan_id, id, name, measure, kind, trajectory, cycle, baseline_value, "
                "baseline_date, target_value, target_date, owner, source, active) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT(plan_id, id) DO UPDATE SET "
                "name = excluded.name, measure = excluded.measure, kind = excluded.kind, "
                "trajectory = excluded.trajectory, cycle = excluded.cycle, "
                "baseline_value = excluded.baseline_value, baseline_date = excluded.baseline_date, "
                "target_value = excluded.target_value, target_date = excluded.target_date, "
                "owner = excluded.owner, source = excluded.source, active = 1");
      q.bind(1, plan.id);
      q.bind(2, ind.id);
      q.bind(3, ind.name);
      q.bind(4, ind.measure);
      q.bind(5, ToString(ind.kind));
      q.bind(6, ToString(ind.trajectory));
      q.bind(7, ToString(ind.cycle));
      if (ind.baseline) q.bind(8, ind.baseline->value); else q.bind(8);
      if (ind.baseline && ind.baseline->date) q.bind(9, ind.baseline->date->ToString()); else q.bind(9);
      q.bind(10, ind.target.value);
      q.bind(11, ind.target.date ? ind.target.date->ToString() : "");
      q.bind(12, ind.owner.id);
      q.bind(13, ind.source);
      q.exec();
    }
    std::vector<std::string> was_active;
    for (const auto& [id, o] : old)
      if (o.second) was_active.push_back(id);
    Deactivate("UPDATE indicators SET active = 0 WHERE plan_id = ? AND id = ?", plan.id, was_active, seen,
               report.removed_indicators);
  }

  std::vector<IndicatorView> IndicatorsWhere(const std::string& plan, const std::string& owner) {
    std::vector<IndicatorView> out;
    auto& q = Prepare("SELECT i.plan_id, i.id, i.name, i.measure, i.kind, i.trajectory, i.cycle, i.baseline_value, "
                      "i.baseline_date, i.target_value, i.target_date, i.owner, u.name FROM indicators i "
                      "JOIN units u ON u.id = i.owner WHERE i.active AND (? = '' OR i.plan_id = ?) "
                      "AND (? = '' OR i.owner = ?) ORDER BY i.plan_id, i.rowid");
    q.bind(1, plan);
    q.bind(2, plan);
    q.bind(3, owner);
    q.bind(4, owner);
    static const std::map<std::string, IndicatorKind> kinds = {
        {"at_least", IndicatorKind::kAtLeast}, {"at_most", IndicatorKind::kAtMost},
        {"annual_growth", IndicatorKind::kAnnualGrowth}, {"cumulative", IndicatorKind::kCumulative},
        {"ratio", IndicatorKind::kRatio}};
    static const std::map<std::string, Cycle> cycles = {
        {"weekly", Cycle::kWeekly}, {"monthly", Cycle::kMonthly}, {"quarterly", Cycle::kQuarterly}, {"yearly", Cycle::kYearly}};
    while (q.executeStep()) {
      IndicatorView v;
      v.plan = q.getColumn(0).getString();
      v.id = q.getColumn(1).getString();
      v.name = q.getColumn(2).getString();
      v.measure = q.getColumn(3).getString();
      v.kind = kinds.at(q.getColumn(4).getString());
      v.trajectory = q.getColumn(5).getString() == "compound" ? Trajectory::kCompound : Trajectory::kLinear;
      v.cycle = cycles.at(q.getColumn(6).getString());
      if (!q.getColumn(7).isNull()) v.baseline_value = q.getColumn(7).getDouble();
      if (!q.getColumn(8).isNull()) v.baseline_date = ToDate(q.getColumn(8).getString());
      v.target_value = q.getColumn(9).getDouble();
      v.target_date = ToDate(q.getColumn(10).getString());
      v.owner = q.getColumn(11).getString();
      v.owner_name = q.getColumn(12).getString();
      out.push_back(std::move(v));
    }
    for (auto& v : out) {
      auto& vals = Prepare("SELECT value, as_of, unit_id, note, day FROM indicator_values WHERE plan_id = ? "
                           "AND indicator_id = ? ORDER BY as_of, id");
      vals.bind(1, v.plan);
      vals.bind(2, v.id);
      while (vals.executeStep())
        v.values.push_back({vals.getColumn(0).getDouble(), ToDate(vals.getColumn(1).getString()),
                            vals.getColumn(2).getString(), vals.getColumn(3).getString(),
                            ToDate(vals.getColumn(4).getString())});
    }
    return out;
  }

  // ----- snapshots ---------------------------------------------------------------------

  static json SettingsJson(const Plan& plan) {
    const Supervision& s = plan.supervision;
    json cal = json::array();
    for (const auto& c : plan.calendar)
      cal.push_back({{"from", c.from.ToString()}, {"to", c.to.ToString()}, {"name", c.name}, {"workday", c.workday}});
    return {{"reporting", {{"cycle", ToString(plan.reporting.cycle)}, {"due_day", plan.reporting.due_day}}},
            {"supervision",
             {{"warning_days", s.warning_days}, {"notice_after_days", s.notice_after_days},
              {"bulletin_after_days", s.bulletin_after_days}, {"progress_tolerance", s.progress_tolerance},
              {"missed_cycles_yellow", s.missed_cycles_yellow}, {"missed_cycles_red", s.missed_cycles_red},
              {"repeated_misses", s.repeated_misses}, {"report_reminder_days", s.report_reminder_days}}},
            {"calendar", cal},
            {"assessment", {{"closure", plan.assessment.closure}, {"reporting", plan.assessment.reporting},
                            {"indicators", plan.assessment.indicators}}}};
  }

  static void ReadSettings(const json& j, PlanSnapshot& s) {
    if (j.contains("reporting")) {
      std::string c = j["reporting"].value("cycle", "monthly");
      s.reporting.cycle = c == "weekly" ? Cycle::kWeekly : c == "quarterly" ? Cycle::kQuarterly : Cycle::kMonthly;
      s.reporting.due_day = j["reporting"].value("due_day", 5);
    }
    if (j.contains("supervision")) {
      const json& v = j["supervision"];
      Supervision& o = s.supervision;
      o.warning_days = v.value("warning_days", o.warning_days);
      o.notice_after_days = v.value("notice_after_days", o.notice_after_days);
      o.bulletin_after_days = v.value("bulletin_after_days", o.bulletin_after_days);
      o.progress_tolerance = v.value("progress_tolerance", o.progress_tolerance);
      o.missed_cycles_yellow = v.value("missed_cycles_yellow", o.missed_cycles_yellow);
      o.missed_cycles_red = v.value("missed_cycles_red", o.missed_cycles_red);
      o.repeated_misses = v.value("repeated_misses", o.repeated_misses);
      o.report_reminder_days = v.value("report_reminder_days", o.report_reminder_days);
    }
    if (j.contains("assessment")) {
      s.assessment.closure = j["assessment"].value("closure", 50);
      s.assessment.reporting = j["assessment"].value("reporting", 30);
      s.assessment.indicators = j["assessment"].value("indicators", 20);
    }
    if (j.contains("calendar"))
      for (const auto& c : j["calendar"])
        s.calendar.push_back({ToDate(c.value("from", "")), ToDate(c.value("to", "")), c.value("name", ""), c.value("workday", false)});
  }

  int64_t UnitsVersion() {
    auto& q = Prepare("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'units_version'");
    int64_t v = q.executeStep() ? q.getColumn(0).getInt64() : 0;
    q.reset();
    return v;
  }

  // A plan's latest record but the reminders sent (no snapshot shows them: the morning's
  // reminders leave the day's boards as they were), by the index on (plan, sequence).
  static constexpr const char* kPlanVersion =
      "(SELECT seq FROM events WHERE plan_id = ? AND kind <> 'remind' ORDER BY seq DESC LIMIT 1)";

  // What a plan's snapshot depends on: its latest record and the units' version.
  PlanVersion VersionOf(const std::string& plan) {
    auto& q = Prepare("SELECT coalesce(" + std::string(kPlanVersion) + ", 0)");
    q.bind(1, plan);
    PlanVersion v;
    if (q.executeStep()) v.records = q.getColumn(0).getInt64();
    q.reset();
    v.units = UnitsVersion();
    return v;
  }

  // A plan's header (id, titles, office, period, settings), if there is such a plan.
  std::optional<PlanSnapshot> PlanHead(const std::string& plan) {
    auto& q = Prepare("SELECT p.id, p.title, p.issuer, p.office, u.name, p.period_start, p.period_end, p.settings "
                      "FROM plans p JOIN units u ON u.id = p.office WHERE p.id = ?");
    q.bind(1, plan);
    if (!q.executeStep()) return std::nullopt;
    PlanSnapshot s;
    s.id = q.getColumn(0).getString();
    s.title = q.getColumn(1).getString();
    s.issuer = q.getColumn(2).getString();
    s.office = q.getColumn(3).getString();
    s.office_name = q.getColumn(4).getString();
    s.period_start = ToDate(q.getColumn(5).getString());
    s.period_end = ToDate(q.getColumn(6).getString());
    ReadSettings(json::parse(q.getColumn(7).getString()), s);
    return s;
  }

  // The plan `s` (its header read) as it stood at the end of each of `days`. Each table
  // is read once, up to the latest day, and every row is applied to each day it counts
  // for. The state of an assignment on a day is that of its report recorded last (by
  // history sequence) among those dated on or before the day, then any later decision
  // (accept / reject) dated on or before it; so rows may come in any order.
  std::vector<PlanSnapshot> FillSnapshots(PlanSnapshot s, const std::vector<Date>& days) {
    const Date last_day = *std::max_element(days.begin(), days.end());
    const std::string last = last_day.ToString();
    {
      auto& q = Prepare("SELECT id, parent, title, leaf, start, due, ongoing, yearly, milestones, depends_on "
                        "FROM tasks WHERE plan_id = ? AND active ORDER BY seq");
      q.bind(1, s.id);
      while (q.executeStep()) {
        PlanSnapshot::TaskRow t;
        t.id = q.getColumn(0).getString();
        t.parent = q.getColumn(1).getString();
        t.title = q.getColumn(2).getString();
        t.leaf = q.getColumn(3).getInt() != 0;
        t.start = ToDate(q.getColumn(4).getString());
        t.due = ToDate(q.getColumn(5).getString());
        t.ongoing = q.getColumn(6).getInt() != 0;
        for (const auto& y : json::parse(q.getColumn(7).getString())) {
          std::string md = y.get<std::string>();
          if (md.size() == 5) t.yearly.push_back({std::stoi(md.substr(0, 2)), std::stoi(md.substr(3, 2))});
        }
        for (const auto& m : json::parse(q.getColumn(8).getString()))
          t.milestones.emplace_back(m.value("title", ""), ToDate(m.value("due", "")));
        for (const auto& d : json::parse(q.getColumn(9).getString())) t.depends_on.push_back(d.get<std::string>());
        s.tasks.push_back(std::move(t));
      }
    }
    ReadSnapshotAssignments(s);
    const size_t n = s.assignments.size();
    std::unordered_map<int64_t, size_t> index;
    index.reserve(n);
    for (size_t i = 0; i < n; ++i) index[s.assignments[i].id] = i;
    s.contacts = Contacts(s.id);
    std::vector<IndicatorView> indicators = IndicatorsWhere(s.id, "");

    std::vector<PlanSnapshot> out(days.size() - 1, s);
    out.push_back(std::move(s));
    // Per day: the history sequence of the report that set the state, of the latest
    // note, and of the latest "done".
    // Per day: every (assignment, report day), gathered flat and then distributed, so
    // each assignment's list is allocated once.
    std::vector<std::vector<std::pair<uint32_t, Date>>> day_lists(days.size());
    struct Seqs { std::vector<int64_t> state, note, done; };
    std::vector<Seqs> seqs(days.size(), Seqs{std::vector<int64_t>(n, 0), std::vector<int64_t>(n, 0), std::vector<int64_t>(n, 0)});
    {
      // The hot loop over every report: columns straight from SQLite's statement, and
      // the index looked up once per run of rows of one assignment.
      RawStatement q(db_->getHandle(),
                     "SELECT r.assignment_id, r.day, r.status, r.progress, r.note, r.event_seq "
                     "FROM assignments a JOIN reports r ON r.assignment_id = a.id "
                     "WHERE a.plan_id = ? AND a.active AND r.day <= ?");
      q.Bind(1, out.front().id);
      q.Bind(2, last);
      sqlite3_stmt* st = q.get();
      auto text = [st](int c) {
        const char* p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
        return std::string_view(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, c)));
      };
      int64_t run_id = -1;
      size_t i = n;
      while (q.Step()) {
        if (const int64_t id = sqlite3_column_int64(st, 0); id != run_id) {
          run_id = id;
          auto it = index.find(id);
          i = it == index.end() ? n : it->second;
        }
        if (i == n) continue;
        const Date d = ToDate(text(1));
        const AssignmentStatus status = ToStatus(text(2));
        const int progress = sqlite3_column_int(st, 3);
        const std::string_view note_text = text(4);
        const char* note = note_text.data();
        const size_t note_size = note_text.size();
        const int64_t seq = sqlite3_column_int64(st, 5);
        for (size_t k = 0; k < days.size(); ++k) {
          if (d > days[k]) continue;
          AssignmentView& a = out[k].assignments[i];
          Seqs& sq = seqs[k];
          if (seq > sq.state[i]) {
            sq.state[i] = seq;
            a.status = status;
            a.progress = progress;
            if (status == AssignmentStatus::kBlocked) a.blocked_reason.assign(note, note_size);
            else a.blocked_reason.clear();
          }
          if (note_size > 0 && seq > sq.note[i]) {
            sq.note[i] = seq;
            a.last_note.assign(note, note_size);
          }
          if (status == AssignmentStatus::kDone && seq > sq.done[i]) {
            sq.done[i] = seq;
            a.done_day = d;
          }
          a.last_report = a.last_report ? std::max(*a.last_report, d) : d;
          ++a.reports;
          day_lists[k].emplace_back(static_cast<uint32_t>(i), d);
        }
      }
    }
    {
      auto& q = Prepare("SELECT seq, day, payload FROM events WHERE plan_id = ? AND kind IN ('accept', 'reject') "
                        "AND day <= ? ORDER BY seq");
      q.bind(1, out.front().id);
      q.bind(2, last);
      // Decisions name (task, unit); the lookup is built at the first one.
      std::map<std::pair<std::string, std::string>, size_t> by_key;
      while (q.executeStep()) {
        if (by_key.empty())
          for (size_t i = 0; i < n; ++i) by_key[{out.front().assignments[i].task, out.front().assignments[i].unit}] = i;
        const int64_t seq = q.getColumn(0).getInt64();
        const Date d = ToDate(q.getColumn(1).getString());
        const json p = json::parse(q.getColumn(2).getString());
        for (const auto& u : p["units"]) {
          auto it = by_key.find({p.value("task", ""), u.value("unit", "")});
          if (it == by_key.end()) continue;
          for (size_t k = 0; k < days.size(); ++k) {
            if (d > days[k] || seq < seqs[k].state[it->second]) continue;
            AssignmentView& a = out[k].assignments[it->second];
            a.status = ToStatus(u.value("status", ""));
            a.progress = u.value("progress", a.progress);
            if (a.status == AssignmentStatus::kClosed && !a.done_day) a.done_day = d;
            if (a.status == AssignmentStatus::kInProgress) a.done_day.reset();
          }
        }
      }
    }
    for (size_t k = 0; k < days.size(); ++k) {
      auto& list = day_lists[k];
      std::sort(list.begin(), list.end());
      auto& report_days = out[k].report_days;
      report_days.assign(n, {});
      for (size_t j = 0; j < list.size();) {
        size_t e = j;
        while (e < list.size() && list[e].first == list[j].first) ++e;
        auto& v = report_days[list[j].first];
        v.reserve(e - j);
        for (; j < e; ++j) v.push_back(list[j].second);
      }
      std::vector<std::pair<uint32_t, Date>>().swap(list);
    }
    {
      auto& q = Prepare("SELECT e.assignment_id, v.day, e.name, e.size, e.sha256 FROM evidence e JOIN events v "
                        "ON v.seq = e.event_seq JOIN assignments a ON a.id = e.assignment_id "
                        "WHERE a.plan_id = ? AND v.day <= ? ORDER BY e.event_seq, e.id");
      q.bind(1, out.front().id);
      q.bind(2, last);
      while (q.executeStep()) {
        auto it = index.find(q.getColumn(0).getInt64());
        if (it == index.end()) continue;
        const Date d = ToDate(q.getColumn(1).getString());
        EvidenceFile f{q.getColumn(2).getString(), q.getColumn(3).getInt64(), q.getColumn(4).getString()};
        for (size_t k = 0; k < days.size(); ++k)
          if (d <= days[k]) out[k].assignments[it->second].evidence.push_back(f);
      }
    }
    for (size_t k = 0; k < days.size(); ++k) {
      out[k].indicators = k + 1 < days.size() ? indicators : std::move(indicators);
      for (auto& ind : out[k].indicators) {
        auto later = std::remove_if(ind.values.begin(), ind.values.end(),
                                    [&](const IndicatorView::Value& v) { return v.recorded_day > days[k]; });
        ind.values.erase(later, ind.values.end());
      }
    }
    return out;
  }

  // The active assignments of the plan `s` (its tasks read), in document order, leads
  // first, with no state: FillSnapshots replays it. Task and unit columns come from
  // what is already read rather than from joins per row.
  void ReadSnapshotAssignments(PlanSnapshot& s) {
    std::unordered_map<std::string_view, size_t> task_at;
    task_at.reserve(s.tasks.size());
    for (size_t i = 0; i < s.tasks.size(); ++i) task_at.emplace(s.tasks[i].id, i);
    std::unordered_map<std::string, std::string> unit_names;
    {
      auto& q = Prepare("SELECT id, name FROM units WHERE id IN (SELECT unit_id FROM assignments WHERE plan_id = ? AND active)");
      q.bind(1, s.id);
      while (q.executeStep()) unit_names.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    }
    struct Row { size_t task; bool cooperate; AssignmentView view; };
    std::vector<Row> rows;
    auto& q = Prepare("SELECT id, task_id, unit_id, role, via_group, office_decision FROM assignments "
                      "WHERE plan_id = ? AND active");
    q.bind(1, s.id);
    while (q.executeStep()) {
      auto t = task_at.find(static_cast<const char*>(q.getColumn(1).getText()));
      if (t == task_at.end()) continue;  // its task is no longer active
      const PlanSnapshot::TaskRow& task = s.tasks[t->second];
      Row r{t->second, false, {}};
      AssignmentView& v = r.view;
      v.id = q.getColumn(0).getInt64();
      v.plan = s.id;
      v.task = task.id;
      v.task_title = task.title;
      if (auto parent = task_at.find(task.parent); parent != task_at.end()) v.section_title = s.tasks[parent->second].title;
      v.unit = q.getColumn(2).getString();
      if (auto u = unit_names.find(v.unit); u != unit_names.end()) v.unit_name = u->second;
      v.role = ToRole(q.getColumn(3).getString());
      r.cooperate = v.role == Role::kCooperate;
      v.via_group = q.getColumn(4).getString();
      v.office_decision = q.getColumn(5).getInt() != 0;
      v.start = task.start;
      v.due = task.due;
      v.ongoing = task.ongoing;
      rows.push_back(std::move(r));
    }
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      if (x.task != y.task) return x.task < y.task;
      if (x.cooperate != y.cooperate) return !x.cooperate;
      return x.view.unit < y.view.unit;
    });
    s.assignments.reserve(rows.size());
    for (Row& r : rows) s.assignments.push_back(std::move(r.view));
  }

  // Every unit with an assignment or indicator in the plan, and its office.
  std::vector<UnitContact> Contacts(const std::string& plan) {
    std::vector<UnitContact> out;
    auto& q = Prepare("SELECT id, name, email, webhook FROM units WHERE id IN "
                      "(SELECT unit_id FROM assignments WHERE plan_id = ? AND active "
                      " UNION SELECT owner FROM indicators WHERE plan_id = ? AND active "
                      " UNION SELECT office FROM plans WHERE id = ?) ORDER BY id");
    q.bind(1, plan);
    q.bind(2, plan);
    q.bind(3, plan);
    while (q.executeStep())
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                     q.getColumn(3).getString()});
    return out;
  }

  // ----- audit ---------------------------------------------------------------------

  AuditReport DoVerify() {
    AuditReport r;
    std::string prev = kGenesisHash;
    int64_t expect = 1;
    // (plan, task, unit) → (status, progress) as the history says.
    std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::string, int>> replay;
    std::map<int64_t, json> update_payloads, indicator_payloads;
    SQLite::Statement q(*db_, "SELECT seq, at, day, actor, on_behalf_of, kind, plan_id, subject, payload, prev_hash, hash "
                              "FROM events ORDER BY seq");
    auto problem = [&](const std::string& p) {
      if (r.problems.size() < 50) r.problems.push_back(p);
    };
    while (q.executeStep()) {
      int64_t seq = q.getColumn(0).getInt64();
      std::string at = q.getColumn(1).getString(), day = q.getColumn(2).getString(), actor = q.getColumn(3).getString(),
                  behalf = q.getColumn(4).getString(), kind = q.getColumn(5).getString(),
                  plan = q.getColumn(6).getString(), subject = q.getColumn(7).getString(),
                  payload = q.getColumn(8).getString(), stored_prev = q.getColumn(9).getString(),
                  hash = q.getColumn(10).getString();
      ++r.records;
      if (seq != expect) problem("record " + std::to_string(expect) + (seq > expect ? " is missing" : " is out of order") +
                                 " (found " + std::to_string(seq) + ")");
      if (stored_prev != prev) problem("record " + std::to_string(seq) + " does not follow the record before it");
      std::string h = EventHash(stored_prev, seq, at, day, actor, behalf, kind, plan, subject, payload);
      if (h != hash) problem("record " + std::to_string(seq) + " (" + kind + ") was changed: its hash does not match");
      prev = hash;
      expect = seq + 1;
      json p = json::parse(payload, nullptr, false);
      if (p.is_discarded()) { problem("record " + std::to_string(seq) + " has a malformed payload"); continue; }
      if (kind == "update") {
        replay[{plan, p.value("task", ""), p.value("unit", "")}] = {p.value("status", ""), p.value("progress", 0)};
        update_payloads[seq] = p;
      } else if (kind == "accept" || kind == "reject") {
        for (const auto& u : p["units"])
          replay[{plan, p.value("task", ""), u.value("unit", "")}] = {u.value("status", ""), u.value("progress", 0)};
      } else if (kind == "indicator") {
        indicator_payloads[seq] = p;
      }
    }
    r.head_hash = prev;
    // The state must be what the history says it is.
    SQLite::Statement a(*db_, "SELECT plan_id, task_id, unit_id, status, progress FROM assignments");
    while (a.executeStep()) {
      auto key = std::make_tuple(a.getColumn(0).getString(), a.getColumn(1).getString(), a.getColumn(2).getString());
      std::pair<std::string, int> state = {a.getColumn(3).getString(), a.getColumn(4).getInt()};
      auto it = replay.find(key);
      std::pair<std::string, int> expected = it == replay.end() ? std::make_pair(std::string("not_started"), 0) : it->second;
      if (state != expected)
        problem("assignment " + std::get<0>(key) + "/" + std::get<1>(key) + "/" + std::get<2>(key) + " is " + state.first +
                " " + std::to_string(state.second) + "% but the history says " + expected.first + " " +
                std::to_string(expected.second) + "%");
    }
    SQLite::Statement rep(*db_, "SELECT r.event_seq, r.status, r.progress, r.note, a.task_id, a.unit_id FROM reports r "
                                "JOIN assignments a ON a.id = r.assignment_id");
    size_t reports = 0;
    while (rep.executeStep()) {
      ++reports;
      int64_t seq = rep.getColumn(0).getInt64();
      auto it = update_payloads.find(seq);
      if (it == update_payloads.end()) { problem("report of record " + std::to_string(seq) + " has no history record"); continue; }
      const json& p = it->second;
      if (p.value("status", "") != rep.getColumn(1).getString() || p.value("progress", -1) != rep.getColumn(2).getInt() ||
          p.value("note", "") != rep.getColumn(3).getString() || p.value("task", "") != rep.getColumn(4).getString() ||
          p.value("unit", "") != rep.getColumn(5).getString())
        problem("report of record " + std::to_string(seq) + " differs from its history record");
    }
    if (reports != update_payloads.size())
      problem(std::to_string(update_payloads.size()) + " updates in the history but " + std::to_string(reports) +
              " reports in the store");
    SQLite::Statement iv(*db_, "SELECT event_seq, value, as_of, indicator_id FROM indicator_values");
    size_t values = 0;
    while (iv.executeStep()) {
      ++values;
      auto it = indicator_payloads.find(iv.getColumn(0).getInt64());
      if (it == indicator_payloads.end() || it->second.value("value", 0.0) != iv.getColumn(1).getDouble() ||
          it->second.value("as_of", "") != iv.getColumn(2).getString() ||
          it->second.value("indicator", "") != iv.getColumn(3).getString())
        problem("indicator value of record " + std::to_string(iv.getColumn(0).getInt64()) + " differs from its history record");
    }
    if (values != indicator_payloads.size())
      problem(std::to_string(indicator_payloads.size()) + " indicator records in the history but " +
              std::to_string(values) + " values in the store");
    return r;
  }

  std::unique_ptr<SQLite::Database> db_;
  bool read_only_;
  int busy_timeout_ms_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const StoreOptions& options) {
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (options.create && exists) return Status::Conflict("a store already exists at " + path);
  if (!options.create && !exists)
    return Status::NotFound("no store at " + path + ": create one with 'duban init' (or set DUBAN_DB / --db)");
  if (exists && !S_ISREG(st.st_mode)) return Status::InvalidInput(path + " is not a file");
  // One connection per Store and a Store per thread: SQLite need not lock each call.
  int flags = (options.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE) | SQLite::OPEN_NOMUTEX;
  if (options.create) flags |= SQLite::OPEN_CREATE;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
  for (;;) {
    try {
      auto db = std::make_unique<SQLite::Database>(path, flags, options.busy_timeout_ms);
      // Keep the WAL file when the last connection closes: deleting it takes an
      // exclusive lock that makes concurrent openers fail without waiting.
      int persist = 1;
      sqlite3_file_control(db->getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
      db->exec("PRAGMA foreign_keys = ON");
      // WAL is a property of the file, set once at creation.
      if (options.create) db->exec("PRAGMA journal_mode = WAL");
      if (!options.read_only) {
        db->exec("PRAGMA synchronous = FULL");
        // The kept WAL file is cut back after each checkpoint; left to grow, every
        // process that opens the store would read through it.
        db->exec("PRAGMA journal_size_limit = 0");
      }
      if (options.max_pages > 0) db->exec("PRAGMA max_page_count = " + std::to_string(options.max_pages));
      auto store = std::make_unique<SqliteStore>(std::move(db), options.read_only, options.busy_timeout_ms);
      if (Status s = store->Migrate(options.create); !s.ok()) return s;
      return std::unique_ptr<Store>(std::move(store));
    } catch (const SQLite::Exception& e) {
      bool busy = e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
      if (busy && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (e.getErrorCode() == SQLITE_NOTADB) return Status::InvalidInput(path + " is not a duban store");
      return FromSqlite(e);
    }
  }
}

}  // namespace duban
