#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/plan_render.h"
#include "engine/text.h"
#include "tests/test_util.h"

using namespace duban;
using duban::test::LoadFile;
using duban::test::SourcePath;

namespace {
Plan Load(const std::string& rel) {
  LoadResult r = LoadFile(SourcePath(rel), rel);
  REQUIRE(r.plan);
  return std::move(*r.plan);
}
std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string l; std::getline(ss, l);) out.push_back(l);
  return out;
}
}  // namespace

TEST_CASE("PlanRender: columns line up by display width", "[render]") {
  Plan p = Load("plans/jiujiang.yaml");
  std::string text = RenderPlanTree(p, {});
  auto lines = Lines(text);
  // Find the header; every task row's due date must start at the header's 完成时限 column.
  size_t h = 0;
  while (h < lines.size() && lines[h].rfind("编号", 0) != 0) ++h;
  REQUIRE(h < lines.size());
  int due_col = DisplayWidth(lines[h].substr(0, lines[h].find("完成时限")));
  int rows = 0;
  for (size_t i = h + 1; i < lines.size(); ++i) {
    auto pos = lines[i].find("2026-12-31");
    if (pos == std::string::npos) continue;
    ++rows;
    CHECK(DisplayWidth(lines[i].substr(0, pos)) == due_col);
  }
  CHECK(rows == 19);
  CHECK_THAT(text, Catch::Contains("市市场监管局〔知识产权局〕"));
  CHECK_THAT(text, Catch::Contains("各县〔市、区〕人民政府"));
}

TEST_CASE("PlanRender: --unit shows only that unit's tasks and its role", "[render]") {
  Plan p = Load("plans/jiujiang.yaml");
  PlanViewOptions o;
  o.unit = "jj-court";
  std::string text = RenderPlanTree(p, o);
  // 市法院 leads 1.1 as a member of the 工作专班 and cooperates on 4.1–4.3 and 6.2.
  auto lines = Lines(text);
  auto row = [&](const std::string& id) -> std::string {
    for (const auto& l : lines) if (l.rfind("  " + id + "  ", 0) == 0) return l;
    return "";
  };
  CHECK_THAT(row("1.1"), Catch::Contains("牵头"));
  for (const char* t : {"4.1", "4.2", "4.3", "6.2"}) CHECK_THAT(row(t), Catch::Contains("配合"));
  for (const char* t : {"1.2", "2.1", "3.3", "4.4", "5.1"}) CHECK(row(t).empty());
  o.lang = Lang::kEn;
  CHECK_THAT(RenderPlanTree(p, o), Catch::Contains("cooperate"));
}

TEST_CASE("PlanRender: JSON has the documented stable shape", "[render]") {
  Plan p = Load("plans/foshan.yaml");
  auto j = nlohmann::json::parse(RenderPlanJson(p, {}));
  CHECK(j["schema"] == "duban.plan/1");
  CHECK(j["plan"]["id"] == "foshan-2022");
  CHECK(j["plan"]["period"]["end"] == "2025-12-31");
  size_t leaves = 0;
  for (const auto& t : j["tasks"]) {
    if (t["section"]) continue;
    ++leaves;
    CHECK(t.contains("lead"));
    CHECK(t.contains("assignments"));
    if (t["id"] == "3") {
      bool district = false;
      for (const auto& a : t["assignments"])
        if (a["unit"] == "fs-nanhai" && a["role"] == "cooperate" && a["via_group"] == "fs-districts") district = true;
      CHECK(district);
    }
  }
  CHECK(leaves == 29);
  PlanViewOptions o;
  o.unit = "fs-edu";
  auto u = nlohmann::json::parse(RenderPlanJson(p, o));
  CHECK(u["unit"]["id"] == "fs-edu");
  for (const auto& t : u["tasks"]) {
    if (t["section"]) continue;
    REQUIRE(t["assignments"].size() == 1);
    CHECK(t["assignments"][0]["unit"] == "fs-edu");
  }
}

TEST_CASE("PlanRender: the plan's JSON is written as the JSON library would write it", "[render][json]") {
  // The stored content of every revision is this text, and its hash tells a changed plan
  // from an unchanged one: the bytes must be the library's for the same document.
  for (const char* file : {"plans/jiujiang.yaml", "plans/foshan.yaml", "plans/quzhou.yaml", "plans/huaiyin.yaml",
                           "plans/xuzhou.yaml", "tests/plans/good/minimal.yaml"}) {
    INFO(file);
    Plan p = Load(file);
    for (const std::string& unit : {std::string(), p.assignments.front().unit}) {
      PlanViewOptions o;
      o.unit = unit;
      const std::string text = RenderPlanJson(p, o);
      CHECK(nlohmann::ordered_json::parse(text).dump(2) + "\n" == text);
    }
  }
}
