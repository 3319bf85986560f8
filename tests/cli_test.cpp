// Drives the real duban binary as a user would.
#include <catch2/catch.hpp>

#include "tests/test_util.h"

using duban::test::RunDuban;
using duban::test::SourcePath;

TEST_CASE("CLI: plan check passes the five source plans", "[cli]") {
  auto r = RunDuban({"plan", "check", "plans/jiujiang.yaml", "plans/foshan.yaml", "plans/huaiyin.yaml",
                     "plans/quzhou.yaml", "plans/xuzhou.yaml"},
                    SourcePath(""));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Contains("plans/jiujiang.yaml: ok: 19 tasks"));
  CHECK_THAT(r.out, Catch::Contains("plans/foshan.yaml: ok: 29 tasks"));
}

TEST_CASE("CLI: plan check exit codes: 1 for problems, 2 for unusable input", "[cli]") {
  auto bad = RunDuban({"plan", "check", "tests/plans/broken/dependency_cycle.yaml"}, SourcePath(""));
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::StartsWith("tests/plans/broken/dependency_cycle.yaml:31:9: error: dependency cycle: 1.1 (建立工作机制) -> "));
  auto garbage = RunDuban({"plan", "check", "tests/plans/broken/not_utf8.yaml", "plans/jiujiang.yaml"}, SourcePath(""));
  CHECK(garbage.exit_code == 2);
  auto missing = RunDuban({"plan", "check", "no/such/plan.yaml"}, SourcePath(""));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("no/such/plan.yaml: error: no such file"));
  auto dir = RunDuban({"plan", "check", "plans"}, SourcePath(""));
  CHECK(dir.exit_code == 2);
  auto usage = RunDuban({"plan", "frobnicate"}, SourcePath(""));
  CHECK(usage.exit_code == 2);
}

TEST_CASE("CLI: plan show prints the tree, filters by unit, and refuses unknown units", "[cli]") {
  auto r = RunDuban({"plan", "show", "plans/jiujiang.yaml", "--unit", "市科技局"}, SourcePath(""));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("单位: 市科技局 (jj-sti)"));
  CHECK_THAT(r.out, Catch::Contains("加快高价值核心专利培育"));
  auto unknown = RunDuban({"plan", "show", "plans/jiujiang.yaml", "--unit", "市科技厅"}, SourcePath(""));
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.out.empty());
  CHECK(unknown.err == "duban: unknown unit '市科技厅' in plan 'jiujiang-2024', did you mean '市科技局'?\n");
  auto json = RunDuban({"plan", "show", "plans/huaiyin.yaml", "--json"}, SourcePath(""));
  CHECK(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::StartsWith("{\n  \"schema\": \"duban.plan/1\""));
}

TEST_CASE("CLI: import drafts a plan that passes plan check", "[cli][importer]") {
  std::string dir = duban::test::TempDir();
  auto r = RunDuban({"import", SourcePath("../shared/seeds/003_fdad3aed26c5b025.txt"), "-o", dir + "/hy.yaml"}, SourcePath(""));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("import: 6 tasks"));
  auto check = RunDuban({"plan", "check", dir + "/hy.yaml"}, SourcePath(""));
  CHECK(check.exit_code == 0);
  auto garbage = RunDuban({"import", SourcePath("tests/plans/broken/not_utf8.yaml")}, SourcePath(""));
  CHECK(garbage.exit_code == 2);
  auto units = RunDuban({"import", SourcePath("../shared/seeds/000_9c391603197f8612.txt"), "--units",
                         SourcePath("plans/units/jiujiang.yaml")}, SourcePath(""));
  CHECK(units.exit_code == 0);
  CHECK_THAT(units.out, Catch::Contains("jj-amr"));
}
