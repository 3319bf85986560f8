// Many plans evaluated on several threads: the same boards, in the same order, as one
// plan after another on one connection.
#include <catch2/catch.hpp>

#include <atomic>

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
