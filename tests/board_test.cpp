// Many plans evaluated on several threads: the same boards, in the same order, as one
// plan after another on one connection.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>

#include "engine/board.h"
#include "engine/status_render.h"
#include "tests/test_util.h"

using namespace duban;
using duban::test::LoadFile;
using duban::test::SourcePath;
using duban::test::TempDir;

namespace {

Clock Day(const char* d) { return Clock{*ParseDate(d), std::string(d) + "T09:00:00Z"}; }

// A store holding the province's example plans; returns its path.
std::string ProvinceStore() {
  std::string path = TempDir() + "/duban.db";
  StoreOptions o;
  o.create = true;
  auto s = OpenSqliteStore(path, o);
  REQUIRE(s.ok());
  REQUIRE((*s)->Initialize(Day("2025-01-02")).ok());
  for (const char* file : {"plans/huaiyin.yaml", "plans/xuzhou.yaml", "plans/quzhou.yaml", "plans/jiujiang.yaml",
                           "plans/foshan.yaml"}) {
    auto r = LoadFile(SourcePath(file));
    REQUIRE(r.plan);
    REQUIRE((*s)->LoadPlan(Actor{Actor::Kind::kAdmin, ""}, *r.plan, file, "", Day("2025-01-02")).ok());
  }
  return path;
}

struct Run {
  Status status;
  std::vector<std::string> boards;  // each plan's board as JSON, in the order handed over
};

Run Evaluate(const std::string& path, const std::vector<std::string>& plans, unsigned workers,
             std::atomic<int>* opened = nullptr) {
  StoreOptions ro;
  ro.read_only = true;
  auto store = OpenSqliteStore(path, ro);
  REQUIRE(store.ok());
  StoreOpener open = [&]() -> Result<std::unique_ptr<Store>> {
    if (opened) ++*opened;
    return OpenSqliteStore(path, ro);
  };
  Run run;
  run.status = EvaluatePlans(**store, open, plans, *ParseDate("2025-07-10"), WorkCalendar::China(), workers,
                             [&](PlanStatus& ps) { run.boards.push_back(RenderStatusJson({ps}, {})); });
  return run;
}

}  // namespace

TEST_CASE("Board: plans evaluated on threads come back as one thread gives them", "[board][supervision]") {
  const std::string path = ProvinceStore();
  StoreOptions ro;
  ro.read_only = true;
  auto ids = (*OpenSqliteStore(path, ro))->PlanIds();
  REQUIRE(ids.ok());
  REQUIRE(ids->size() == 5);
  // Every plan twice, in an order of its own: the order given is the order returned.
  std::vector<std::string> plans = *ids;
  plans.insert(plans.end(), ids->rbegin(), ids->rend());

  std::atomic<int> opened = 0;
  Run one = Evaluate(path, plans, 1, &opened);
  REQUIRE(one.status.ok());
  CHECK(opened == 0);  // one worker: the caller's store does it all
  REQUIRE(one.boards.size() == plans.size());
  for (size_t i = 0; i < plans.size(); ++i) CHECK_THAT(one.boards[i], Catch::Contains("\"plan\": \"" + plans[i] + "\""));
  for (unsigned workers : {2u, 3u, 16u}) {
    opened = 0;
    Run many = Evaluate(path, plans, workers, &opened);
    REQUIRE(many.status.ok());
    CHECK(opened == static_cast<int>(std::min<size_t>(workers, plans.size())));
    CHECK(many.boards == one.boards);
  }
}

TEST_CASE("Board: an unknown plan stops the run at its place, on threads or not", "[board][supervision]") {
  const std::string path = ProvinceStore();
  StoreOptions ro;
  ro.read_only = true;
  auto ids = *(*OpenSqliteStore(path, ro))->PlanIds();
  std::vector<std::string> plans = {ids[0], ids[1], "no-such-plan", ids[2], ids[3]};
  for (unsigned workers : {1u, 2u, 4u}) {
    Run run = Evaluate(path, plans, workers);
    CHECK(run.status.code() == Status::Code::kNotFound);
    CHECK(run.boards.size() == 2);
  }
  // A connection that cannot be opened is an error too, not a hang.
  auto store = OpenSqliteStore(path, ro);
  int seen = 0;
  Status s = EvaluatePlans(**store, [] { return Result<std::unique_ptr<Store>>(Status::IoError("no connection")); },
                           ids, *ParseDate("2025-07-10"), WorkCalendar::China(), 3, [&](PlanStatus&) { ++seen; });
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(seen == 0);
}

TEST_CASE("Board: a caller that throws leaves no thread behind", "[board][supervision]") {
  const std::string path = ProvinceStore();
  StoreOptions ro;
  ro.read_only = true;
  auto store = OpenSqliteStore(path, ro);
  auto ids = *(*store)->PlanIds();
  int seen = 0;
  auto run = [&] {
    return EvaluatePlans(**store, [&] { return OpenSqliteStore(path, ro); }, ids, *ParseDate("2025-07-10"),
                         WorkCalendar::China(), 3, [&](PlanStatus&) {
                           if (++seen == 2) throw std::runtime_error("stop here");
                         });
  };
  CHECK_THROWS_WITH(run(), "stop here");  // without the join, a joinable thread would end the process
  CHECK(seen == 2);
}

// ----- boards kept between runs ------------------------------------------------------

namespace {

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Two plans sharing one units file, in a new store; `amr` is the unit they share.
struct SharedUnits {
  std::string dir = TempDir();
  std::string db = dir + "/duban.db";
  explicit SharedUnits(const std::string& amr_name = "市市场监管局") {
    StoreOptions o;
    o.create = true;
    auto s = OpenSqliteStore(db, o);
    REQUIRE(s.ok());
    REQUIRE((*s)->Initialize(Day("2025-01-02")).ok());
    for (const char* id : {"east-2025", "west-2025"}) {
      WriteText(dir + "/" + id + ".yaml", std::string("plan:\n  id: ") + id + R"(
  title: 知识产权工作方案
  issuer: 示范市人民政府办公室
  issued: 2025-01-10
  period: {start: 2025-01-01, end: 2025-12-31}
  office: office
  units_file: units.yaml
tasks:
  - {id: "1", title: 建立工作机制, lead: [amr], cooperate: [kjj], due: 2025-06-30}
  - {id: "2", title: 开展专项行动, lead: [kjj], cooperate: [amr], due: 2025-09-30}
)");
    }
    Load(amr_name, {"east-2025", "west-2025"});
  }
  // Writes the units file with `amr_name` and loads the plans named.
  void Load(const std::string& amr_name, const std::vector<std::string>& plans) {
    WriteText(dir + "/units.yaml", "units:\n  - {id: office, name: 专班办公室, kind: office}\n  - {id: amr, name: " + amr_name +
                                       ", kind: department}\n  - {id: kjj, name: 市科技局, kind: department}\n");
    auto s = OpenSqliteStore(db, {});
    REQUIRE(s.ok());
    for (const auto& id : plans) {
      auto r = LoadFile(dir + "/" + id + ".yaml");
      REQUIRE(r.plan);
      auto loaded = (*s)->LoadPlan(Actor{Actor::Kind::kAdmin, ""}, *r.plan, id + ".yaml", "", Day("2025-01-03"));
      REQUIRE(loaded.ok());
    }
  }
};

struct Kept {
  BoardRun run;
  std::vector<std::string> boards;
};

// The text board of every plan in `path` on `day`, kept under `variant`; `keep` opens the
// writer (by default, the store itself).
Kept KeptRun(const std::string& path, const char* day, const std::string& variant = "text/zh",
             StoreOpener keep = nullptr, unsigned workers = 2, size_t window = 256) {
  StoreOptions ro;
  ro.read_only = true;
  auto store = OpenSqliteStore(path, ro);
  REQUIRE(store.ok());
  auto ids = (*store)->PlanIds();
  REQUIRE(ids.ok());
  if (!keep) keep = [path] { return OpenSqliteStore(path, {}); };
  Kept k;
  auto run = RenderBoards(
      **store, [&] { return OpenSqliteStore(path, ro); }, keep, *ids, *ParseDate(day), WorkCalendar::China(), workers,
      variant, [](PlanStatus& ps) { return RenderStatusText({ps}, {}); },
      [&](const std::string& b) { k.boards.push_back(b); }, window);
  REQUIRE(run.ok());
  k.run = *run;
  return k;
}

// The same boards evaluated afresh, with nothing kept.
std::vector<std::string> Fresh(const std::string& path, const char* day) {
  StoreOptions ro;
  ro.read_only = true;
  auto store = OpenSqliteStore(path, ro);
  std::vector<std::string> out;
  REQUIRE(EvaluatePlans(**store, nullptr, *(*store)->PlanIds(), *ParseDate(day), WorkCalendar::China(), 1,
                        [&](PlanStatus& ps) { out.push_back(RenderStatusText({ps}, {})); })
              .ok());
  return out;
}

}  // namespace

TEST_CASE("Board: a kept board is reused while its plan is unchanged, byte for byte", "[board][supervision]") {
  const std::string path = ProvinceStore();
  const auto fresh = Fresh(path, "2025-07-10");
  for (unsigned workers : {1u, 2u}) {
    INFO("workers " << workers);
    Kept first = KeptRun(path, "2025-07-10", "text/zh/" + std::to_string(workers), nullptr, workers, 3);
    CHECK(first.run.rendered == 5);
    CHECK(first.run.reused == 0);
    CHECK(first.run.kept.ok());
    CHECK(first.boards == fresh);
    Kept second = KeptRun(path, "2025-07-10", "text/zh/" + std::to_string(workers), nullptr, workers);
    CHECK(second.run.rendered == 0);
    CHECK(second.run.reused == 5);
    CHECK(second.boards == fresh);
  }
  // Another day, another variant: nothing kept applies.
  Kept next_day = KeptRun(path, "2025-07-11");
  CHECK(next_day.run.rendered == 5);
  CHECK(next_day.boards == Fresh(path, "2025-07-11"));
  CHECK(KeptRun(path, "2025-07-11", "text/en").run.rendered == 5);
  CHECK(KeptRun(path, "2025-07-11", "text/en").run.reused == 5);
  // The earlier day again: one board per plan and variant is kept, so it is rendered anew.
  Kept back = KeptRun(path, "2025-07-10");
  CHECK(back.run.rendered == 5);
  CHECK(back.boards == fresh);
}

TEST_CASE("Board: a write to one plan renders that plan's board again, and only it", "[board][supervision]") {
  const std::string path = ProvinceStore();
  KeptRun(path, "2025-07-10");
  std::string plan, task, unit;
  {
    StoreOptions ro;
    ro.read_only = true;
    auto store = OpenSqliteStore(path, ro);
    AssignmentFilter f;
    f.plan = "huaiyin-2022";
    auto a = (*store)->Assignments(f);
    REQUIRE(a.ok());
    REQUIRE(!a->empty());
    plan = a->front().plan;
    task = a->front().task;
    unit = a->front().unit;
  }
  auto store = OpenSqliteStore(path, {});
  UpdateRequest u;
  u.plan = plan;
  u.task = task;
  u.unit = unit;
  u.status = AssignmentStatus::kInProgress;
  u.progress = 77;
  u.note = "已完成选址";
  REQUIRE((*store)->RecordUpdate(Actor{Actor::Kind::kAdmin, ""}, u, Day("2025-07-09")).ok());
  // Taken two plans at a time, then all at once: the same boards in the same order.
  Kept after = KeptRun(path, "2025-07-10", "text/zh", nullptr, 2, 2);
  CHECK(after.run.rendered == 1);
  CHECK(after.run.reused == 4);
  CHECK(after.boards == Fresh(path, "2025-07-10"));
  CHECK(KeptRun(path, "2025-07-10", "text/zh", nullptr, 2, 1).run.reused == 5);
  // A refused write records nothing of the plan's and keeps every board.
  u.unit = "no-such-unit";
  CHECK(!(*store)->RecordUpdate(Actor{Actor::Kind::kAdmin, ""}, u, Day("2025-07-09")).ok());
  CHECK(KeptRun(path, "2025-07-10").run.reused == 5);
  // The morning's reminders are recorded against the plan, and no board shows them.
  REQUIRE((*store)->RecordReminder(Actor{Actor::Kind::kAdmin, ""}, plan, unit, "stdout", {"k1"}, "reminder",
                                   Day("2025-07-10")).ok());
  CHECK(KeptRun(path, "2025-07-10").run.reused == 5);
  // A decision is a record of the plan's: its board is rendered again.
  u.unit = unit;
  u.status = AssignmentStatus::kDone;
  u.progress = 100;
  REQUIRE((*store)->RecordUpdate(Actor{Actor::Kind::kAdmin, ""}, u, Day("2025-07-10")).ok());
  CHECK(KeptRun(path, "2025-07-10").run.rendered == 1);
  DecisionRequest d;
  d.plan = plan;
  d.task = task;
  d.unit = unit;
  auto accepted = (*store)->Accept(Actor{Actor::Kind::kAdmin, ""}, d, Day("2025-07-10"));
  INFO(accepted.status().message());
  REQUIRE(accepted.ok());
  Kept decided = KeptRun(path, "2025-07-10");
  CHECK(decided.run.rendered == 1);
  CHECK(decided.run.reused == 4);
  CHECK(decided.boards == Fresh(path, "2025-07-10"));
}

TEST_CASE("Board: a unit renamed by another plan's load shows on every plan's kept board", "[board][supervision]") {
  SharedUnits store;
  Kept first = KeptRun(store.db, "2025-07-10");
  REQUIRE(first.boards.size() == 2);
  CHECK_THAT(first.boards[0], Catch::Contains("市市场监管局"));
  // Only west-2025 is loaded again, with the shared units file changed: east-2025's own
  // records are as they were, yet its board names the unit as it is now called.
  store.Load("市市场监督管理局", {"west-2025"});
  Kept after = KeptRun(store.db, "2025-07-10");
  CHECK(after.run.rendered == 2);
  CHECK(after.boards == Fresh(store.db, "2025-07-10"));
  CHECK_THAT(after.boards[0], Catch::Contains("市市场监督管理局"));
  // east-2025 loaded now is a new revision (its units changed) and changes no unit: its
  // board alone is rendered again. Loaded once more it is unchanged, and so is its board.
  store.Load("市市场监督管理局", {"east-2025"});
  Kept revised = KeptRun(store.db, "2025-07-10");
  CHECK(revised.run.rendered == 1);
  CHECK(revised.run.reused == 1);
  store.Load("市市场监督管理局", {"east-2025"});
  CHECK(KeptRun(store.db, "2025-07-10").run.reused == 2);
}

TEST_CASE("Board: boards that cannot be kept are still shown, and rendered again next time", "[board][supervision]") {
  const std::string path = ProvinceStore();
  StoreOpener refuse = [] { return Result<std::unique_ptr<Store>>(Status::IoError("read-only file system")); };
  Kept first = KeptRun(path, "2025-07-10", "text/zh", refuse);
  CHECK(first.run.rendered == 5);
  CHECK(first.run.kept.code() == Status::Code::kIoError);
  CHECK(first.boards == Fresh(path, "2025-07-10"));
  // A writer that is open but read-only refuses the write the same way.
  StoreOptions ro;
  ro.read_only = true;
  Kept second = KeptRun(path, "2025-07-10", "text/zh", [&] { return OpenSqliteStore(path, ro); });
  CHECK(second.run.rendered == 5);
  CHECK(!second.run.kept.ok());
  CHECK(KeptRun(path, "2025-07-10").run.rendered == 5);
  CHECK(KeptRun(path, "2025-07-10").run.reused == 5);
}
