// The five source documents, written as plan files, checked against the documents.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "engine/loader.h"
#include "tests/test_util.h"

using namespace duban;
using duban::test::FormatAll;
using duban::test::LoadFile;
using duban::test::SourcePath;

namespace {

Plan Load(const std::string& name) {
  LoadResult r = LoadFile(SourcePath("plans/" + name + ".yaml"), "plans/" + name + ".yaml");
  INFO(FormatAll(r));
  REQUIRE(r.plan);
  CHECK(r.diagnostics.items().empty());
  return std::move(*r.plan);
}

size_t Sections(const Plan& p) {
  return std::count_if(p.tasks.begin(), p.tasks.end(), [](const Task& t) { return !t.is_leaf(); });
}

std::set<std::string> UnitsOf(const Plan& p, const std::string& task, Role role) {
  std::set<std::string> out;
  int t = p.FindTask(task);
  for (const auto& a : p.assignments)
    if (a.task == t && a.role == role) out.insert(a.unit);
  return out;
}

}  // namespace

TEST_CASE("Plans: Jiujiang has 19 tasks in 6 sections, units and targets as issued", "[plans]") {
  Plan p = Load("jiujiang");
  CHECK(p.id == "jiujiang-2024");
  CHECK(p.issuer == "九江市人民政府办公室");
  CHECK(p.period_end.ToString() == "2026-12-31");
  CHECK(Sections(p) == 6);
  CHECK(p.leaf_task_count() == 19);
  // The 工作专班 member list in 保障措施(一) has 20 units.
  const Unit* taskforce = p.FindUnit("jj-taskforce");
  REQUIRE(taskforce);
  CHECK(taskforce->is_group());
  CHECK(taskforce->members.size() == 20);
  // 各县〔市、区〕人民政府 stands for the 13 county-level governments.
  CHECK(p.ExpandUnit("jj-counties").size() == 13);
  // Both spellings of the market regulator resolve to one unit.
  CHECK(*p.ResolveUnit("市市场监管局〔知识产权局〕") == "jj-amr");
  CHECK(*p.ResolveUnit("市市场监管局(知识产权局)") == "jj-amr");
  // 2.1: lead 市市场监管局; cooperating 发改委、工信局、科技局, three colleges, 13 counties.
  CHECK(UnitsOf(p, "2.1", Role::kLead) == std::set<std::string>{"jj-amr"});
  auto coop = UnitsOf(p, "2.1", Role::kCooperate);
  CHECK(coop.size() == 19);
  CHECK(coop.count("jj-sti"));
  CHECK(coop.count("jj-xiushui"));
  // 1.1 is led by every member of the 工作专班.
  CHECK(UnitsOf(p, "1.1", Role::kLead).size() == 20);
  // 4.4 is the regulator's alone.
  CHECK(UnitsOf(p, "4.4", Role::kCooperate).empty());
  // 每万人口有效发明专利拥有量 from 5.79 (end-2023) to 11.58 by 2026, a doubling.
  const Indicator* inv = p.FindIndicator("invention-per-10k");
  REQUIRE(inv);
  REQUIRE(inv->baseline);
  CHECK(inv->baseline->value == Approx(5.79));
  CHECK(inv->baseline->date->ToString() == "2023-12-31");
  CHECK(inv->target.value == Approx(11.58));
  CHECK(inv->target.date->ToString() == "2026-12-31");
  CHECK(inv->trajectory == Trajectory::kCompound);
  CHECK(p.FindIndicator("pct-applications")->baseline->value == Approx(29));
  CHECK(p.FindIndicator("ip-pledge-growth")->kind == IndicatorKind::kAnnualGrowth);
  CHECK(p.indicators.size() >= 14);
  // “3·15”“4·26” are yearly events.
  CHECK(p.tasks[p.FindTask("6.2")].recurrence.yearly.size() == 2);
}

TEST_CASE("Plans: Foshan has 29 tasks in 6 sections and its 3–25 rule written once", "[plans]") {
  Plan p = Load("foshan");
  CHECK(Sections(p) == 6);
  CHECK(p.leaf_task_count() == 29);
  REQUIRE(p.rules.size() == 1);
  CHECK(p.rules[0].range_from->id == "3");
  CHECK(p.rules[0].range_to->id == "25");
  auto districts = p.ExpandUnit("fs-districts");
  CHECK(districts.size() == 5);
  // Every district cooperates on 3 through 25, and on 1 where it is written; not on 2 or 26.
  for (const char* t : {"1", "3", "14", "25"}) {
    auto coop = UnitsOf(p, t, Role::kCooperate);
    for (const auto& d : districts) CHECK(coop.count(d));
  }
  CHECK_FALSE(UnitsOf(p, "26", Role::kCooperate).count("fs-chancheng"));
  // Task 2 names 南海、顺德、高明区人民政府 only.
  auto t2 = UnitsOf(p, "2", Role::kCooperate);
  CHECK(t2.count("fs-nanhai"));
  CHECK_FALSE(t2.count("fs-chancheng"));
  // Task 6 has three leads: 市司法局,市法院,市检察院.
  CHECK(UnitsOf(p, "6", Role::kLead).size() == 3);
  // Task 8 has two: 市市场监管局(市知识产权局)、司法局.
  CHECK(UnitsOf(p, "8", Role::kLead) == std::set<std::string>{"fs-amr", "fs-justice"});
  // 市发展改革局、教育局、科技局 is three units.
  auto t1 = UnitsOf(p, "1", Role::kCooperate);
  CHECK(t1.count("fs-ndrc"));
  CHECK(t1.count("fs-edu"));
  CHECK(t1.count("fs-sti"));
  CHECK(p.indicators.size() >= 6);
}

TEST_CASE("Plans: Huaiyin has 6 tasks and implements the city plan", "[plans]") {
  Plan p = Load("huaiyin");
  CHECK(p.leaf_task_count() == 6);
  CHECK(p.doc_number == "济槐政字〔2022〕16号");
  CHECK(p.implements.find("济南市") != std::string::npos);
  for (const char* t : {"1", "2", "3", "4", "5", "6"}) CHECK(UnitsOf(p, t, Role::kLead).size() >= 1);
  const Indicator* hv = p.FindIndicator("hv-invention-per-10k");
  REQUIRE(hv);
  CHECK(hv->target.value == Approx(14));
}

TEST_CASE("Plans: Quzhou and Xuzhou name no units per task, so the office decides", "[plans]") {
  for (const char* name : {"quzhou", "xuzhou"}) {
    Plan p = Load(name);
    INFO(name);
    CHECK(Sections(p) == 6);
    CHECK(p.leaf_task_count() >= 15);
    for (const auto& a : p.assignments) CHECK(a.office_decision);
    for (size_t i = 0; i < p.tasks.size(); ++i) {
      if (!p.tasks[i].is_leaf()) continue;
      CHECK(UnitsOf(p, p.tasks[i].id, Role::kLead) == std::set<std::string>{p.office.id});
    }
  }
  Plan q = Load("quzhou");
  CHECK(q.doc_number == "衢政办发〔2016〕43号");
  CHECK(q.leaf_task_count() == 22);
  Plan x = Load("xuzhou");
  CHECK(x.doc_number == "徐政办发〔2024〕8号");
  CHECK(x.leaf_task_count() == 19);
  // Numeric targets inside tasks are indicators linked from their task.
  size_t linked = 0;
  for (const auto& t : x.tasks) linked += t.indicators.size();
  CHECK(linked >= 10);
}

TEST_CASE("Plans: every task has its text and every plan its office", "[plans]") {
  for (const char* name : {"jiujiang", "foshan", "huaiyin", "quzhou", "xuzhou"}) {
    Plan p = Load(name);
    INFO(name);
    CHECK(p.FindUnit(p.office.id));
    for (const auto& t : p.tasks) {
      if (!t.is_leaf()) continue;
      INFO(t.id);
      CHECK(t.text.size() > 30);
      CHECK_FALSE(t.title.empty());
    }
  }
}
