// The SQLite store, against a real database file in a temporary directory.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <fstream>

#include "engine/file_io.h"

#include "engine/store.h"
#include "engine/supervision.h"
#include "engine/views.h"
#include "tests/test_util.h"

using namespace duban;
using duban::test::FormatAll;
using duban::test::LoadFile;
using duban::test::LoadText;
using duban::test::SourcePath;
using duban::test::TempDir;

namespace {

Clock Day(const char* d) { return Clock{*ParseDate(d), std::string(d) + "T09:00:00Z"}; }

const Actor kOffice{Actor::Kind::kAdmin, ""};
Actor UnitActor(const std::string& u) { return Actor{Actor::Kind::kUnit, u}; }

struct Fixture {
  std::string path = TempDir() + "/duban.db";
  std::unique_ptr<Store> store;
  Plan plan;
  Fixture(const std::string& plan_file = "plans/jiujiang.yaml") {
    StoreOptions o;
    o.create = true;
    auto s = OpenSqliteStore(path, o);
    REQUIRE(s.ok());
    store = std::move(s.value());
    REQUIRE(store->Initialize(Day("2025-01-02")).ok());
    auto r = LoadFile(SourcePath(plan_file));
    INFO(FormatAll(r));
    REQUIRE(r.plan);
    plan = std::move(*r.plan);
    auto rep = store->LoadPlan(kOffice, plan, plan_file, "", Day("2025-01-02"));
    REQUIRE(rep.ok());
  }
  UpdateRequest Update(const std::string& task, const std::string& unit, std::optional<AssignmentStatus> st,
                       std::optional<int> progress, const std::string& note = "") {
    UpdateRequest u;
    u.task = task;
    u.unit = unit;
    u.status = st;
    u.progress = progress;
    u.note = note;
    return u;
  }
  AssignmentView One(const std::string& task, const std::string& unit) {
    AssignmentFilter f;
    f.task = task;
    f.unit = unit;
    auto rows = store->Assignments(f);
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    return rows->front();
  }
  int64_t Events() { return store->History("", "").value().size(); }
};

}  // namespace

TEST_CASE("Store: a loaded plan assigns work to every responsible unit", "[store]") {
  Fixture f;
  auto all = f.store->Assignments({});
  REQUIRE(all.ok());
  CHECK(all->size() == f.plan.assignments.size());
  // Each county government answers for its own part of 1.2.
  AssignmentFilter by_task;
  by_task.task = "1.2";
  auto t12 = f.store->Assignments(by_task);
  CHECK(t12->size() == 14);
  CHECK(f.One("1.2", "jj-xiushui").role == Role::kCooperate);
  CHECK(f.One("1.2", "jj-xiushui").via_group == "jj-counties");
  CHECK(f.One("1.2", "jj-amr").role == Role::kLead);
  auto plans = f.store->ListPlans();
  REQUIRE(plans->size() == 1);
  CHECK(plans->front().tasks == 19);
  CHECK(plans->front().revision == 1);
}

TEST_CASE("Store: units report on their own assignments only; refusals are recorded", "[store]") {
  Fixture f;
  auto ok = f.store->RecordUpdate(UnitActor("jj-sti"), f.Update("2.1", "jj-sti", AssignmentStatus::kInProgress, 30, "启动"),
                                  Day("2025-02-01"));
  REQUIRE(ok.ok());
  CHECK(f.One("2.1", "jj-sti").progress == 30);
  CHECK(f.One("2.1", "jj-sti").last_report->ToString() == "2025-02-01");
  int64_t before = f.Events();
  auto other = f.store->RecordUpdate(UnitActor("jj-sti"), f.Update("2.1", "jj-amr", std::nullopt, 50), Day("2025-02-01"));
  CHECK(other.status().code() == Status::Code::kPermissionDenied);
  CHECK(f.One("2.1", "jj-amr").progress == 0);
  auto none = f.store->RecordUpdate(UnitActor("jj-sti"), f.Update("4.4", "jj-sti", std::nullopt, 50), Day("2025-02-01"));
  CHECK(none.status().message() == "unit 'jj-sti' has no assignment on task '4.4' in plan 'jiujiang-2024' (led by jj-amr)");
  auto history = f.store->History("", "").value();
  REQUIRE(f.Events() == before + 2);
  CHECK(history.back().kind == "refused");
  CHECK(history.back().actor == "jj-sti");
  // The office may act for a unit, and the history says so.
  auto behalf = f.store->RecordUpdate(kOffice, f.Update("2.1", "jj-amr", std::nullopt, 40), Day("2025-02-02"));
  REQUIRE(behalf.ok());
  CHECK(behalf->actor == "office");
  CHECK(behalf->on_behalf_of == "jj-amr");
}

TEST_CASE("Store: unknown names and bad values change nothing", "[store]") {
  Fixture f;
  int64_t before = f.Events();
  CHECK(f.store->RecordUpdate(kOffice, f.Update("9.9", "jj-sti", std::nullopt, 10), Day("2025-02-01")).status().message() ==
        "unknown task '9.9'");
  CHECK(f.store->RecordUpdate(kOffice, f.Update("2.1", "市科技厅", std::nullopt, 10), Day("2025-02-01")).status().message() ==
        "unknown unit '市科技厅', did you mean '市科技局'?");
  CHECK(f.store->RecordUpdate(kOffice, f.Update("2.1", "jj-sti", std::nullopt, 150), Day("2025-02-01")).status().message() ==
        "progress must be between 0 and 100, got 150");
  CHECK(f.store->RecordUpdate(kOffice, f.Update("2", "jj-sti", std::nullopt, 10), Day("2025-02-01")).status().message() ==
        "task '2' is a section; report on its tasks: 2.1, 2.2, 2.3, 2.4");
  CHECK(f.store->RecordUpdate(kOffice, f.Update("2.1", "jj-sti", std::nullopt, 10, std::string(10u << 20, 'x')),
                              Day("2025-02-01")).status().code() == Status::Code::kInvalidInput);
  CHECK(f.Events() == before);
  CHECK(f.One("2.1", "jj-sti").progress == 0);
}

TEST_CASE("Store: done is a claim the office accepts or sends back", "[store]") {
  Fixture f;
  auto claim = f.store->RecordUpdate(UnitActor("jj-amr"), f.Update("4.4", "jj-amr", AssignmentStatus::kDone, std::nullopt),
                                     Day("2025-05-01"));
  REQUIRE(claim.ok());
  CHECK(f.One("4.4", "jj-amr").status == AssignmentStatus::kDone);
  DecisionRequest d;
  d.task = "4.4";
  CHECK(f.store->Accept(UnitActor("jj-amr"), d, Day("2025-05-02")).status().code() == Status::Code::kPermissionDenied);
  d.reason = "缺少佐证材料";
  REQUIRE(f.store->Reject(kOffice, d, Day("2025-05-02")).ok());
  CHECK(f.One("4.4", "jj-amr").status == AssignmentStatus::kInProgress);
  CHECK(f.store->Accept(kOffice, d, Day("2025-05-03")).status().message() ==
        "cannot accept task '4.4': not claimed done by jj-amr (in_progress)");
  REQUIRE(f.store->RecordUpdate(UnitActor("jj-amr"), f.Update("4.4", "jj-amr", AssignmentStatus::kDone, 100), Day("2025-05-04")).ok());
  REQUIRE(f.store->Accept(kOffice, d, Day("2025-05-05")).ok());
  CHECK(f.One("4.4", "jj-amr").status == AssignmentStatus::kClosed);
  CHECK(f.store->RecordUpdate(UnitActor("jj-amr"), f.Update("4.4", "jj-amr", std::nullopt, 50), Day("2025-05-06"))
            .status().code() == Status::Code::kConflict);
  // The plan's own office unit may decide too.
  REQUIRE(f.store->RecordUpdate(kOffice, f.Update("2.3", "jj-amr", AssignmentStatus::kDone, std::nullopt), Day("2025-05-06")).ok());
  DecisionRequest d23;
  d23.task = "2.3";
  CHECK(f.store->Accept(UnitActor("jj-office"), d23, Day("2025-05-07")).ok());
}

TEST_CASE("Store: indicators are recorded by their owner only", "[store]") {
  Fixture f;
  IndicatorRequest r{"", "invention-per-10k", "jj-amr", 6.8, *ParseDate("2024-12-31"), "年报", ""};
  REQUIRE(f.store->RecordIndicator(UnitActor("jj-amr"), r, Day("2025-01-20")).ok());
  IndicatorRequest wrong = r;
  wrong.unit = "jj-sti";
  CHECK(f.store->RecordIndicator(UnitActor("jj-sti"), wrong, Day("2025-01-20")).status().message() ==
        "indicator 'invention-per-10k' is owned by 'jj-amr', not by 'jj-sti'");
  IndicatorRequest future = r;
  future.as_of = *ParseDate("2025-06-30");
  CHECK(f.store->RecordIndicator(kOffice, future, Day("2025-01-20")).status().message() ==
        "the as-of date 2025-06-30 is after today (2025-01-20)");
  auto inds = f.store->Indicators("jiujiang-2024", "jj-amr");
  REQUIRE(inds.ok());
  auto it = std::find_if(inds->begin(), inds->end(), [](const IndicatorView& v) { return v.id == "invention-per-10k"; });
  REQUIRE(it != inds->end());
  REQUIRE(it->values.size() == 1);
  CHECK(it->values[0].value == Approx(6.8));
  CHECK(*it->baseline_value == Approx(5.79));
}

TEST_CASE("Store: a batch is applied whole or not at all, naming every bad row", "[store]") {
  Fixture f;
  std::vector<UpdateRequest> batch = {f.Update("2.1", "jj-sti", std::nullopt, 10), f.Update("3.1", "jj-sti", std::nullopt, 20),
                                      f.Update("9.9", "jj-sti", std::nullopt, 30), f.Update("3.2", "jj-sti", std::nullopt, 130)};
  batch[2].origin = "sheet.csv:4";
  batch[3].origin = "sheet.csv:5";
  int64_t before = f.Events();
  auto r = f.store->RecordUpdates(UnitActor("jj-sti"), batch, {}, Day("2025-03-01"));
  CHECK(r.status().message() ==
        "sheet.csv:4: unknown task '9.9'\nsheet.csv:5: progress must be between 0 and 100, got 130\nnothing was applied");
  CHECK(f.Events() == before);
  CHECK(f.One("2.1", "jj-sti").progress == 0);
  batch.resize(2);
  auto ok = f.store->RecordUpdates(UnitActor("jj-sti"), batch, {}, Day("2025-03-01"));
  REQUIRE(ok.ok());
  CHECK(ok->size() == 2);
  CHECK(f.One("3.1", "jj-sti").progress == 20);
  // A sheet row that changes nothing and says nothing is not a report.
  batch[0].from_sheet = true;
  auto again = f.store->RecordUpdates(UnitActor("jj-sti"), {batch[0]}, {}, Day("2025-03-02"));
  REQUIRE(again.ok());
  CHECK(again->empty());
}

TEST_CASE("Store: a new revision keeps the state of every task whose id persists", "[store]") {
  Fixture f("tests/plans/good/minimal.yaml");
  REQUIRE(f.store->RecordUpdate(kOffice, f.Update("2.2", "amr", std::nullopt, 60, "培训过半"), Day("2025-03-01")).ok());
  std::string text = *duban::ReadFile(SourcePath("tests/plans/good/minimal.yaml"), 1 << 20);
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace("{id: \"2.1\", title: 开展专项行动, lead: [kjj]", "{id: \"2.1\", title: 开展知识产权专项行动, lead: [kjj]");
  replace("      - id: \"2.2\"\n", "      - {id: \"2.3\", title: 新任务, lead: [amr]}\n      - id: \"2.2\"\n");
  replace("      - {id: \"1.1\", title: 建立工作机制, lead: [amr], cooperate: [kjj], due: 2025-06-30}\n", "");
  replace("depends_on: [\"1.1\"], ", "");
  auto r = LoadText(text);
  INFO(FormatAll(r));
  REQUIRE(r.plan);
  auto rep = f.store->LoadPlan(kOffice, *r.plan, "minimal-v2.yaml", text, Day("2025-03-05"));
  REQUIRE(rep.ok());
  CHECK(rep->revision == 2);
  CHECK(rep->added_tasks == std::vector<std::string>{"2.3"});
  CHECK(rep->removed_tasks == std::vector<std::string>{"1.1"});
  CHECK(rep->changed_tasks == std::vector<std::string>{"1.2", "2.1"});
  CHECK(f.One("2.2", "amr").progress == 60);
  CHECK(f.One("2.2", "amr").last_note == "培训过半");
  auto plans = f.store->ListPlans();
  CHECK(plans->front().revisions.size() == 2);
  // The removed task's history stays.
  CHECK(f.store->History("demo-2025", "2.2")->size() == 1);
  CHECK(f.store->VerifyAudit()->ok());
}

TEST_CASE("Store: credentials are stored hashed and can be revoked", "[store]") {
  Fixture f;
  auto token = f.store->IssueToken(kOffice, "市科技局", Day("2025-01-03"));
  REQUIRE(token.ok());
  CHECK(token->rfind("dbn_", 0) == 0);
  auto who = f.store->Authenticate(*token);
  REQUIRE(who.ok());
  CHECK(who->unit == "jj-sti");
  CHECK(f.store->IssueToken(UnitActor("jj-sti"), "jj-amr", Day("2025-01-03")).status().code() ==
        Status::Code::kPermissionDenied);
  REQUIRE(f.store->RevokeToken(kOffice, "jj-sti", Day("2025-01-04")).ok());
  CHECK(f.store->Authenticate(*token).status().code() == Status::Code::kUnauthenticated);
  CHECK(f.store->Authenticate("dbn_wrong").status().message() == "the credential is not valid for this store");
  SQLite::Database raw(f.path, SQLite::OPEN_READONLY);
  SQLite::Statement q(raw, "SELECT count(*) FROM credentials WHERE token_hash = ?");
  q.bind(1, *token);
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getInt() == 0);  // the token itself is nowhere in the file
}

TEST_CASE("Store: the audit finds records changed, removed or forged behind its back", "[store][audit]") {
  Fixture f;
  REQUIRE(f.store->RecordUpdate(kOffice, f.Update("2.1", "jj-sti", std::nullopt, 30), Day("2025-02-01")).ok());
  REQUIRE(f.store->RecordUpdate(kOffice, f.Update("2.2", "jj-amr", std::nullopt, 40), Day("2025-02-01")).ok());
  REQUIRE(f.store->VerifyAudit()->ok());
  f.store.reset();
  auto tamper = [&](const std::string& sql) {
    SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
    raw.exec("DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete;");
    raw.exec(sql);
  };
  auto verify = [&] {
    StoreOptions o;
    o.read_only = true;
    auto s = OpenSqliteStore(f.path, o);
    REQUIRE(s.ok());
    return (*s)->VerifyAudit().value();
  };
  SECTION("a payload edited") {
    tamper("UPDATE events SET payload = replace(payload, '\"progress\":30', '\"progress\":90') WHERE kind = 'update'");
    auto r = verify();
    REQUIRE_FALSE(r.ok());
    CHECK(r.problems.front() == "record 3 (update) was changed: its hash does not match");
  }
  SECTION("a record removed") {
    tamper("DELETE FROM events WHERE seq = 3");
    CHECK(verify().problems.front() == "record 3 is missing (found 4)");
  }
  SECTION("the state edited without a record") {
    tamper("UPDATE assignments SET status = 'closed', progress = 100 WHERE task_id = '1.1' AND unit_id = 'jj-sti'");
    CHECK(verify().problems.front() ==
          "assignment jiujiang-2024/1.1/jj-sti is closed 100% but the history says not_started 0%");
  }
  SECTION("a report forged") {
    tamper("INSERT INTO reports(assignment_id, event_seq, day, status, progress, note) "
           "SELECT id, 4, '2025-02-01', 'done', 100, 'forged' FROM assignments WHERE task_id = '3.1' LIMIT 1");
    CHECK_FALSE(verify().ok());
  }
  SECTION("the history appended to by hand") {
    tamper("INSERT INTO events VALUES (5, 'x', '2025-02-02', 'office', '', 'update', 'jiujiang-2024', '2.1', '{}', "
           "(SELECT hash FROM events WHERE seq = 4), 'abc')");
    CHECK(verify().problems.front() == "record 5 (update) was changed: its hash does not match");
  }
  SECTION("untouched, it passes") {
    CHECK(verify().ok());
  }
}

TEST_CASE("Store: the history is append-only inside the database too", "[store][audit]") {
  Fixture f;
  f.store.reset();
  SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
  CHECK_THROWS_WITH(raw.exec("UPDATE events SET actor = 'x'"), Catch::Contains("the history is append-only"));
  CHECK_THROWS_WITH(raw.exec("DELETE FROM events"), Catch::Contains("the history is append-only"));
}

TEST_CASE("Store: a full disk or a read-only store writes nothing and says so", "[store]") {
  Fixture f;
  std::string path = f.path;
  f.store.reset();
  {
    SQLite::Database raw(path, SQLite::OPEN_READONLY);
    (void)raw;
  }
  StoreOptions o;
  o.max_pages = 0;
  int64_t pages;
  {
    SQLite::Database raw(path, SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    pages = raw.execAndGet("PRAGMA page_count").getInt64();
  }
  o.max_pages = pages + 2;
  auto s = OpenSqliteStore(path, o);
  REQUIRE(s.ok());
  Status last;
  int written = 0;
  for (int i = 0; i < 200 && last.ok(); ++i) {
    UpdateRequest u;
    u.task = "2.1";
    u.unit = "jj-sti";
    u.note = std::string(1900, 'a' + (i % 26));
    auto r = (*s)->RecordUpdate(kOffice, u, Day("2025-02-01"));
    last = r.ok() ? Status::Ok() : r.status();
    if (r.ok()) ++written;
  }
  CHECK(last.message() == "the disk is full (or the store reached its size limit): nothing was written");
  auto history = (*s)->History("jiujiang-2024", "2.1");
  CHECK(static_cast<int>(history->size()) == written);
  CHECK((*s)->VerifyAudit()->ok());
  s.value().reset();

  StoreOptions ro;
  ro.read_only = true;
  auto r = OpenSqliteStore(path, ro);
  REQUIRE(r.ok());
  UpdateRequest u;
  u.task = "2.1";
  u.unit = "jj-sti";
  u.progress = 10;
  CHECK((*r)->RecordUpdate(kOffice, u, Day("2025-02-01")).status().message() ==
        "the store is open read-only: nothing was written");
}

TEST_CASE("Store: opening refuses what is not a duban store", "[store]") {
  std::string dir = TempDir();
  CHECK(OpenSqliteStore(dir + "/none.db", {}).status().message() ==
        "no store at " + dir + "/none.db: create one with 'duban init' (or set DUBAN_DB / --db)");
  {
    std::ofstream(dir + "/junk.db") << "this is not a database at all, just text that goes on for a while......";
  }
  CHECK(OpenSqliteStore(dir + "/junk.db", {}).status().message() == dir + "/junk.db is not a duban store");
  {
    SQLite::Database other(dir + "/other.db", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("CREATE TABLE t(x)");
  }
  CHECK(OpenSqliteStore(dir + "/other.db", {}).status().message() == "not a duban store (no duban schema in it)");
  StoreOptions create;
  create.create = true;
  REQUIRE(OpenSqliteStore(dir + "/new.db", create).ok());
  CHECK(OpenSqliteStore(dir + "/new.db", create).status().message() == "a store already exists at " + dir + "/new.db");
}

namespace {

// The example history's store (plans/examples/jiujiang-history.sh), opened read-only:
// tests that only read it need no copy.
std::unique_ptr<Store> OpenExample() {
  StoreOptions ro;
  ro.read_only = true;
  auto store = OpenSqliteStore(duban::test::ExampleStore(), ro);
  REQUIRE(store.ok());
  return std::move(store.value());
}

// The id of the store's only plan.
std::string OnlyPlan(Store& store) {
  auto ids = store.PlanIds();
  REQUIRE(ids.ok());
  REQUIRE(ids->size() == 1);
  return ids->front();
}

}  // namespace

TEST_CASE("Store: the snapshots of several days read at once equal each day's own", "[store][snapshot]") {
  auto store = OpenExample();
  const std::string plan = OnlyPlan(*store);
  // Days before the first report, inside the history, and after it ends; out of order.
  const std::vector<Date> days = {*ParseDate("2025-07-10"), *ParseDate("2024-03-01"), *ParseDate("2024-11-15"),
                                   *ParseDate("2025-07-03"), *ParseDate("2026-06-30")};
  auto together = store->SnapshotsOn(plan, days);
  REQUIRE(together.ok());
  REQUIRE(together->size() == days.size());
  int with_reports = 0, states_differ = 0;
  for (size_t k = 0; k < days.size(); ++k) {
    INFO("day " << days[k].ToString());
    auto alone = store->SnapshotsOn(plan, {days[k]});
    REQUIRE(alone.ok());
    const PlanSnapshot& a = (*together)[k];
    const PlanSnapshot& b = alone->front();
    REQUIRE(a.assignments.size() == b.assignments.size());
    CHECK(a.report_days == b.report_days);
    for (size_t i = 0; i < a.assignments.size(); ++i) {
      const AssignmentView& x = a.assignments[i];
      const AssignmentView& y = b.assignments[i];
      INFO(x.task << " " << x.unit);
      CHECK(x.task == y.task);
      CHECK(x.unit == y.unit);
      CHECK(x.status == y.status);
      CHECK(x.progress == y.progress);
      CHECK(x.last_report == y.last_report);
      CHECK(x.last_note == y.last_note);
      CHECK(x.blocked_reason == y.blocked_reason);
      CHECK(x.reports == y.reports);
      CHECK(x.done_day == y.done_day);
      CHECK(x.evidence.size() == y.evidence.size());
      with_reports += x.reports > 0;
      if (k > 0) states_differ += x.status != (*together)[0].assignments[i].status || x.reports != (*together)[0].assignments[i].reports;
    }
    REQUIRE(a.indicators.size() == b.indicators.size());
    for (size_t i = 0; i < a.indicators.size(); ++i) CHECK(a.indicators[i].values.size() == b.indicators[i].values.size());
  }
  // The days really differ, so the comparison above compared something.
  CHECK(with_reports > 0);
  CHECK(states_differ > 0);
  CHECK((*together)[1].assignments.front().reports == 0);  // before the first report
  // Today's snapshot agrees with the state the store keeps current.
  AssignmentFilter all;
  all.plan = plan;
  auto current = store->Assignments(all);
  REQUIRE(current.ok());
  auto latest = store->SnapshotsOn(plan, {*ParseDate("2099-01-01")});
  REQUIRE(latest.ok());
  REQUIRE(current->size() == latest->front().assignments.size());
  std::map<std::pair<std::string, std::string>, const AssignmentView*> now;
  for (const auto& v : *current) now[{v.task, v.unit}] = &v;
  for (const auto& v : latest->front().assignments) {
    INFO(v.task << " " << v.unit);
    const AssignmentView* c = now[{v.task, v.unit}];
    REQUIRE(c);
    CHECK(c->status == v.status);
    CHECK(c->progress == v.progress);
    CHECK(c->reports == v.reports);
    CHECK(c->last_report == v.last_report);
  }
  CHECK(store->SnapshotsOn("no-such-plan", days).status().code() == Status::Code::kNotFound);
}

TEST_CASE("Store: the records of one kind in a date range", "[store]") {
  Fixture f;
  auto ids = f.store->PlanIds();
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{f.plan.id});
  auto loads = f.store->HistoryOfKind(f.plan.id, "plan.load", *ParseDate("2025-01-01"), *ParseDate("2025-12-31"));
  REQUIRE(loads.ok());
  REQUIRE(loads->size() == 1);
  CHECK(loads->front().kind == "plan.load");
  auto before = f.store->HistoryOfKind(f.plan.id, "plan.load", *ParseDate("2024-01-01"), *ParseDate("2024-12-31"));
  REQUIRE(before.ok());
  CHECK(before->empty());
  auto other = f.store->HistoryOfKind(f.plan.id, "accept", *ParseDate("2025-01-01"), *ParseDate("2025-12-31"));
  REQUIRE(other.ok());
  CHECK(other->empty());
}

TEST_CASE("Store: a reload writes the units that changed and leaves the others as they were", "[store]") {
  Fixture f("plans/foshan.yaml");
  std::string text = duban::test::ReadBytes(SourcePath("plans/foshan.yaml"));
  auto edit = [&](const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  edit("aliases: [\"市市场监管局\"]", "aliases: [\"市场监管局\"]");  // fs-amr's alias replaced
  edit("      - fs-gaoming\n      - fs-sanshui\n", "      - fs-gaoming\n");  // one district fewer
  edit("name: \"市委宣传部\"", "name: \"中共佛山市委宣传部\"");
  LoadResult r = LoadPlan("foshan.yaml", text, NoFileReader());
  INFO(FormatAll(r));
  REQUIRE(r.plan);
  REQUIRE(f.store->LoadPlan(kOffice, *r.plan, "foshan.yaml", text, Day("2025-02-03")).ok());

  CHECK(f.store->ResolveUnit("市场监管局").value() == "fs-amr");
  CHECK_FALSE(f.store->ResolveUnit("市市场监管局").ok());
  CHECK(f.store->ResolveUnit("中共佛山市委宣传部").value() == "fs-propaganda");
  CHECK_FALSE(f.store->ResolveUnit("市委宣传部").ok());
  CHECK(f.store->ResolveUnit("市知识产权工作联席会议成员").value() == "fs-ip-council");  // unchanged
  CHECK(f.store->ResolveUnit("市发展改革局").value() == "fs-ndrc");
  f.store.reset();
  SQLite::Database raw(f.path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT name FROM units WHERE id = 'fs-propaganda'").getString() == "中共佛山市委宣传部");
  CHECK(raw.execAndGet("SELECT count(*) FROM unit_members WHERE group_id = 'fs-districts'").getInt() == 4);
  CHECK(raw.execAndGet("SELECT count(*) FROM unit_members WHERE member_id = 'fs-sanshui'").getInt() == 0);
  CHECK(raw.execAndGet("SELECT count(*) FROM unit_members WHERE group_id = 'fs-ip-council'").getInt() == 22);
}

TEST_CASE("Store: plans loaded together that share a unit leave it as the last of them has it", "[store]") {
  // One command, three plans, one unit: the first two say the same of it, the third
  // renames it and drops a member of its group. Each plan's load writes the unit only
  // where it differs from what the plans before it in the command wrote.
  Fixture f("plans/foshan.yaml");
  const std::string base = duban::test::ReadBytes(SourcePath("plans/foshan.yaml"));
  auto variant = [&](const std::string& id, bool renamed) {
    std::string text = base;
    auto edit = [&](const std::string& from, const std::string& to) {
      size_t at = text.find(from);
      REQUIRE(at != std::string::npos);
      text.replace(at, from.size(), to);
    };
    edit("id: foshan-2022", "id: " + id);
    if (renamed) {
      edit("name: \"市委宣传部\"", "name: \"中共佛山市委宣传部\"");
      edit("      - fs-gaoming\n      - fs-sanshui\n", "      - fs-gaoming\n");
    }
    LoadResult r = LoadPlan(id + ".yaml", text, NoFileReader());
    INFO(FormatAll(r));
    REQUIRE(r.plan);
    return std::move(*r.plan);
  };
  Plan a = variant("foshan-a", false), b = variant("foshan-b", false), c = variant("foshan-c", true);
  auto loaded = f.store->LoadPlans(kOffice, {{&a, "a.yaml", ""}, {&b, "b.yaml", ""}, {&c, "c.yaml", ""}}, Day("2025-02-03"));
  REQUIRE(loaded.ok());
  CHECK(f.store->ResolveUnit("中共佛山市委宣传部").value() == "fs-propaganda");
  CHECK_FALSE(f.store->ResolveUnit("市委宣传部").ok());
  // And back: an unchanged plan writes nothing, a new one that keeps the old name does.
  Plan d = variant("foshan-d", false);
  auto again = f.store->LoadPlans(kOffice, {{&c, "c.yaml", ""}, {&d, "d.yaml", ""}}, Day("2025-02-04"));
  REQUIRE(again.ok());
  CHECK(again->at(0).unchanged);
  CHECK_FALSE(again->at(1).unchanged);
  CHECK(f.store->ResolveUnit("市委宣传部").value() == "fs-propaganda");
  f.store.reset();
  SQLite::Database raw(f.path, SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("SELECT name FROM units WHERE id = 'fs-propaganda'").getString() == "市委宣传部");
  CHECK(raw.execAndGet("SELECT count(*) FROM unit_members WHERE member_id = 'fs-sanshui'").getInt() == 1);
}

TEST_CASE("Store: an older store is upgraded when opened for writing, never when read", "[store]") {
  std::string dir = TempDir();
  std::string db = duban::test::CopyStore(duban::test::ExampleStore(), dir);
  int64_t reports = 0;
  {
    // Back to schema version 2: reports in a rowid table, no index on record kinds or
    // on unit names by unit, no kept boards.
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    reports = raw.execAndGet("SELECT count(*) FROM reports").getInt64();
    raw.exec(R"sql(
      CREATE TABLE reports_v2(
        id INTEGER PRIMARY KEY, assignment_id INTEGER NOT NULL REFERENCES assignments(id),
        event_seq INTEGER NOT NULL REFERENCES events(seq), day TEXT NOT NULL, status TEXT NOT NULL,
        progress INTEGER NOT NULL, note TEXT NOT NULL);
      INSERT INTO reports_v2(assignment_id, event_seq, day, status, progress, note)
        SELECT assignment_id, event_seq, day, status, progress, note FROM reports ORDER BY event_seq;
      DROP TABLE reports;
      ALTER TABLE reports_v2 RENAME TO reports;
      CREATE INDEX reports_by_assignment ON reports(assignment_id, day);
      CREATE INDEX reports_by_day ON reports(day);
      DROP INDEX events_by_kind;
      DROP INDEX unit_names_by_unit;
      DROP INDEX events_by_plan;
      DROP TABLE board_cache;
      DELETE FROM meta WHERE key = 'units_version';)sql");
    for (const char* table : {"units", "unit_names", "unit_members"})
      for (const char* op : {"insert", "update", "delete"})
        raw.exec(std::string("DROP TRIGGER ") + table + "_changed_" + op);
    raw.exec("PRAGMA user_version = 2");
  }
  REQUIRE(reports > 100);
  StoreOptions ro;
  ro.read_only = true;
  CHECK(OpenSqliteStore(db, ro).status().message() == "the store needs an upgrade; open it once for writing");
  REQUIRE(OpenSqliteStore(db, {}).ok());
  {
    SQLite::Database raw(db, SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("PRAGMA user_version").getInt() == 6);
    CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'unit_names_by_unit'").getInt() == 1);
    CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'events_by_kind'").getInt() == 1);
    CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE name IN ('events_by_plan', 'board_cache')").getInt() == 2);
    CHECK(raw.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'unit%_changed_%'").getInt() == 9);
    CHECK(raw.execAndGet("SELECT value FROM meta WHERE key = 'units_version'").getString() == "0");
    CHECK(raw.execAndGet("SELECT count(*) FROM reports").getInt64() == reports);
    CHECK_THAT(raw.execAndGet("SELECT sql FROM sqlite_master WHERE name = 'reports'").getString(),
               Catch::Contains("WITHOUT ROWID"));
  }
  auto store = OpenSqliteStore(db, ro);
  REQUIRE(store.ok());
  auto audit = (*store)->VerifyAudit();
  REQUIRE(audit.ok());
  CHECK(audit->ok());
  // The upgraded store tells the same story as the example it came from.
  auto original = OpenExample();
  const std::string plan = OnlyPlan(*original);
  for (const char* day : {"2024-12-31", "2025-07-10"}) {
    auto a = (*store)->SnapshotsOn(plan, {*ParseDate(day)});
    auto b = original->SnapshotsOn(plan, {*ParseDate(day)});
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->front().report_days == b->front().report_days);
    for (size_t i = 0; i < a->front().assignments.size(); ++i) {
      CHECK(a->front().assignments[i].status == b->front().assignments[i].status);
      CHECK(a->front().assignments[i].last_note == b->front().assignments[i].last_note);
    }
  }
}

TEST_CASE("Supervision: the standing of tasks a bulletin compares with equals the full evaluation's",
          "[supervision][snapshot]") {
  auto store = OpenExample();
  const std::vector<Date> days = {*ParseDate("2024-09-30"), *ParseDate("2025-07-03"), *ParseDate("2025-12-31"),
                                   *ParseDate("2027-03-01")};
  auto snaps = store->SnapshotsOn(OnlyPlan(*store), days);
  REQUIRE(snaps.ok());
  int late = 0, closed = 0, blocked = 0;
  for (size_t k = 0; k < days.size(); ++k) {
    INFO("day " << days[k].ToString());
    PlanStatus full = Evaluate((*snaps)[k], days[k], WorkCalendar::China());
    PlanStatus standing = Evaluate((*snaps)[k], days[k], WorkCalendar::China(), EvaluateDepth::kStanding);
    REQUIRE(full.tasks.size() == standing.tasks.size());
    for (size_t i = 0; i < full.tasks.size(); ++i) {
      INFO("task " << (*snaps)[k].tasks[full.tasks[i].task].id);
      CHECK(full.tasks[i].task == standing.tasks[i].task);
      CHECK(full.tasks[i].state == standing.tasks[i].state);
      CHECK(full.tasks[i].progress == standing.tasks[i].progress);
      CHECK(full.tasks[i].days_overdue == standing.tasks[i].days_overdue);
      late += full.tasks[i].days_overdue > 0;
      closed += full.tasks[i].state == AssignmentStatus::kClosed;
      blocked += full.tasks[i].state == AssignmentStatus::kBlocked;
    }
    for (size_t i = 0; i < full.assignments.size(); ++i)
      CHECK(full.assignments[i].days_overdue == standing.assignments[i].days_overdue);
    CHECK(standing.indicators.empty());
  }
  // The history has late, closed and blocked tasks, so every field was compared on something.
  CHECK(late > 0);
  CHECK(closed > 0);
  CHECK(blocked > 0);
}

TEST_CASE("Views: the assignments export, written row by row, is the document a JSON library writes",
          "[store][views]") {
  auto store = OpenExample();
  auto rows = store->Assignments({});
  REQUIRE(rows.ok());
  REQUIRE(rows->size() > 100);
  // The cursor hands over the same rows in the same order, for any filter.
  for (const AssignmentFilter& f : {AssignmentFilter{}, [] { AssignmentFilter x; x.open_only = true; x.unit = "jj-sti"; return x; }()}) {
    auto listed = store->Assignments(f);
    REQUIRE(listed.ok());
    std::vector<AssignmentView> handed;
    REQUIRE(store->EachAssignment(f, [&](const AssignmentView& a) { handed.push_back(a); }).ok());
    REQUIRE(handed.size() == listed->size());
    CHECK_FALSE(handed.empty());
    for (size_t i = 0; i < handed.size(); ++i) CHECK(AssignmentsJsonRow(handed[i], i == 0) == AssignmentsJsonRow((*listed)[i], i == 0));
  }
  // Every character the JSON library escapes, in the free-text fields.
  AssignmentView odd = rows->front();
  odd.last_note = std::string("引号\"反斜杠\\换行\n制表\t回车\r\b\f控制\x01\x1f 斜杠/ DEL\x7f 完");
  odd.blocked_reason = "";
  odd.via_group = "districts";
  odd.last_report.reset();
  odd.ongoing = true;
  rows->push_back(odd);
  for (size_t n : {size_t{0}, size_t{1}, rows->size()}) {
    std::vector<AssignmentView> some(rows->begin(), rows->begin() + static_cast<std::ptrdiff_t>(n));
    const std::string text = RenderAssignmentsJson(some);
    auto doc = nlohmann::ordered_json::parse(text);
    CHECK(doc["assignments"].size() == n);
    CHECK(text == doc.dump(2) + "\n");  // same bytes as one dump of the whole document
  }
  auto one = nlohmann::json::parse(RenderAssignmentsJson({rows->front()}))["assignments"][0];
  CHECK(one["plan"] == rows->front().plan);
  CHECK(one["unit"] == rows->front().unit);
  CHECK(one["progress"] == rows->front().progress);
}
