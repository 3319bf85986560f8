#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "engine/file_io.h"
#include "engine/loader.h"
#include "tests/test_util.h"

using namespace duban;
using duban::test::FormatAll;
using duban::test::LoadFile;
using duban::test::LoadText;
using duban::test::SourcePath;
namespace fs = std::filesystem;

namespace {

std::string Minimal() { return *ReadFile(SourcePath("tests/plans/good/minimal.yaml"), 1 << 20); }

const Assignment* Find(const Plan& p, const std::string& task, const std::string& unit) {
  int t = p.FindTask(task);
  for (const auto& a : p.assignments)
    if (a.task == t && a.unit == unit) return &a;
  return nullptr;
}

void ReplaceOnce(std::string& s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("Loader: every broken plan in the corpus gives its exact expected message", "[loader]") {
  // tests/plans/broken/NAME.yaml holds one fault; NAME.expected holds "exit: N" and then
  // exactly what `duban plan check NAME.yaml` prints on stderr.
  fs::path dir = SourcePath("tests/plans/broken");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 25);
  for (const auto& f : files) {
    fs::path expected_path = f;
    expected_path.replace_extension(".expected");
    std::ifstream in(expected_path);
    REQUIRE(in);
    std::string first;
    std::getline(in, first);
    std::stringstream rest;
    rest << in.rdbuf();
    LoadResult r = LoadFile(f.string(), f.filename().string());
    INFO(f.filename().string());
    CHECK(first == "exit: " + std::to_string(r.exit_code()));
    CHECK(FormatAll(r) == rest.str());
    CHECK_FALSE(r.plan);
  }
}

TEST_CASE("Loader: the minimal plan loads with groups and rules expanded", "[loader]") {
  LoadResult r = LoadText(Minimal());
  INFO(FormatAll(r));
  REQUIRE(r.plan);
  const Plan& p = *r.plan;
  CHECK(r.exit_code() == 0);
  CHECK(p.id == "demo-2025");
  CHECK(p.tasks.size() == 6);
  CHECK(p.leaf_task_count() == 4);
  // Aliases resolve whatever bracket form is used.
  REQUIRE(Find(p, "1.2", "amr"));
  CHECK(Find(p, "1.2", "amr")->role == Role::kLead);
  // The rule covers 1.2 through 2.1 only, expanding the group into its members.
  CHECK_FALSE(Find(p, "1.1", "east"));
  REQUIRE(Find(p, "1.2", "east"));
  CHECK(Find(p, "1.2", "east")->role == Role::kCooperate);
  CHECK(Find(p, "1.2", "east")->via_group == "districts");
  CHECK(Find(p, "1.2", "east")->rule == 0);
  CHECK(Find(p, "2.1", "west"));
  CHECK_FALSE(Find(p, "2.2", "west"));
  // Defaults: due = the plan's end; start = its start.
  const Task& t22 = p.tasks[p.FindTask("2.2")];
  CHECK(t22.due.ToString() == "2025-12-31");
  CHECK(t22.start.ToString() == "2025-01-01");
  CHECK(p.tasks[p.FindTask("1.1")].due.ToString() == "2025-06-30");
  CHECK(p.reporting.cycle == Cycle::kMonthly);
  CHECK(p.reporting.due_day == 5);
  CHECK(p.supervision.warning_days == 14);
  REQUIRE(p.tasks[p.FindTask("2.1")].recurrence.yearly.size() == 1);
  CHECK(p.tasks[p.FindTask("2.1")].recurrence.yearly[0].month == 4);
  CHECK(p.indicators[0].trajectory == Trajectory::kCompound);
}

TEST_CASE("Loader: lead units are inherited by subtasks that name none", "[loader]") {
  std::string text = Minimal();
  ReplaceOnce(text, "    title: 完善机制\n", "    title: 完善机制\n    lead: [kjj]\n");
  ReplaceOnce(text, "lead: [amr], cooperate: [kjj], due", "due");
  LoadResult r = LoadText(text);
  INFO(FormatAll(r));
  REQUIRE(r.plan);
  REQUIRE(Find(*r.plan, "1.1", "kjj"));
  CHECK(Find(*r.plan, "1.1", "kjj")->role == Role::kLead);
}

TEST_CASE("Loader: an office decision marks every assignment it covers", "[loader]") {
  std::string text = Minimal();
  ReplaceOnce(text, "    title: 加强保护\n", "    title: 加强保护\n    office_decision: true\n");
  LoadResult r = LoadText(text);
  REQUIRE(r.plan);
  CHECK(Find(*r.plan, "2.1", "kjj")->office_decision);
  CHECK_FALSE(Find(*r.plan, "1.1", "amr")->office_decision);
}

TEST_CASE("Loader: unusable input is refused with exit 2, never a crash", "[loader]") {
  SECTION("a 50 MB file") {
    LoadResult r = LoadText(std::string(50u << 20, 'a'));
    CHECK(r.exit_code() == 2);
    CHECK(FormatAll(r) == "test.yaml: error: file is too large (52428800 bytes; limit 16777216)\n");
  }
  SECTION("YAML nested 10,000 deep") {
    LoadResult r = LoadText("plan: " + std::string(10000, '[') + std::string(10000, ']') + "\n");
    CHECK(r.exit_code() == 2);
    CHECK_THAT(FormatAll(r), Catch::Contains("invalid YAML: nested too deeply"));
  }
  SECTION("mappings nested 10,000 deep") {
    std::string s;
    for (int i = 0; i < 10000; ++i) s += std::string(static_cast<size_t>(i), ' ') + "a:\n";
    LoadResult r = LoadText(s);
    CHECK(r.exit_code() == 2);
  }
  SECTION("anchors and aliases expanding exponentially") {
    std::string s = "plan: {id: x, title: t, period: {start: 2024-01-01, end: 2024-12-31}, office: o}\n"
                    "units: [{id: o, name: O}]\n";
    s += "x0: &x0 [{id: a, title: t, lead: [o]}, {id: a, title: t, lead: [o]}, {id: a, title: t, lead: [o]}]\n";
    for (int i = 1; i < 30; ++i) {
      std::string prev = "*x" + std::to_string(i - 1);
      s += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [{id: a, title: t, tasks: " + prev +
           "}, {id: a, title: t, tasks: " + prev + "}, {id: a, title: t, tasks: " + prev + "}]\n";
    }
    s += "tasks: [{id: r, title: t, tasks: *x29}]\n";
    LoadResult r = LoadText(s);
    CHECK(r.exit_code() >= 1);
    CHECK_FALSE(r.plan);
  }
  SECTION("binary garbage") {
    std::mt19937 rng(42);
    for (int i = 0; i < 200; ++i) {
      std::string junk(static_cast<size_t>(rng() % 4096 + 1), '\0');
      for (auto& c : junk) c = static_cast<char>(rng());
      LoadResult r = LoadText(junk);
      CHECK(r.exit_code() == 2);
    }
  }
  SECTION("an empty file and whitespace") {
    CHECK(LoadText("").exit_code() == 2);
    CHECK(LoadText("  \n\n").exit_code() == 2);
  }
  SECTION("a scalar document") {
    CHECK(LoadText("hello").exit_code() == 2);
  }
}

TEST_CASE("Loader: random mutations of a good plan never crash", "[loader][fuzz]") {
  // Deletes, duplicates and swaps bytes of the minimal plan; every outcome must be a
  // plan or a list of diagnostics, each with a location inside the file.
  const std::string base = Minimal();
  std::mt19937 rng(7);
  int loaded = 0, refused = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string s = base;
    int edits = static_cast<int>(rng() % 4) + 1;
    for (int k = 0; k < edits && !s.empty(); ++k) {
      size_t at = rng() % s.size();
      switch (rng() % 4) {
        case 0: s.erase(at, rng() % 8 + 1); break;
        case 1: s.insert(at, s.substr(rng() % s.size(), rng() % 12)); break;
        case 2: s[at] = " :-[]{}\n\"'&*!|>#,0123456789"[rng() % 30]; break;
        case 3: std::swap(s[at], s[rng() % s.size()]); break;
      }
    }
    LoadResult r = LoadText(s);
    if (r.plan) {
      ++loaded;
      CHECK_FALSE(r.diagnostics.has_errors());
    } else {
      ++refused;
      REQUIRE_FALSE(r.diagnostics.items().empty());
      for (const auto& d : r.diagnostics.items()) CHECK(d.location.line <= static_cast<int>(std::count(s.begin(), s.end(), '\n')) + 1);
    }
  }
  CHECK(loaded + refused == 2000);
  CHECK(refused > 0);
}

TEST_CASE("Loader: too many problems are counted, not all kept", "[loader]") {
  std::string s = "plan: {id: x, title: t, period: {start: 2024-01-01, end: 2024-12-31}, office: o}\n"
                  "units: [{id: o, name: O}]\ntasks:\n";
  for (int i = 0; i < 1000; ++i) s += "  - {id: \"t" + std::to_string(i) + "\", title: t, lead: [nobody]}\n";
  LoadResult r = LoadText(s);
  CHECK(r.exit_code() == 1);
  CHECK(r.diagnostics.items().size() == Diagnostics::kMaxKept);
  CHECK(r.diagnostics.error_count() == 1000);
}

TEST_CASE("Loader: a units file is shared and its errors point into it", "[loader]") {
  std::string dir = duban::test::TempDir();
  std::ofstream(dir + "/units.yaml") << "units:\n  - {id: amr, name: 市市场监管局}\n  - {id: kjj, nam: 市科技局}\n";
  std::ofstream(dir + "/plan.yaml")
      << "plan: {id: p, title: t, period: {start: 2024-01-01, end: 2024-12-31}, office: amr, units_file: units.yaml}\n"
         "tasks: [{id: \"1\", title: t, lead: [市市场监管局]}]\n";
  LoadResult r = LoadFile(dir + "/plan.yaml", "plan.yaml");
  CHECK(FormatAll(r) ==
        "units.yaml:3:15: error: unknown key 'nam' in a unit, did you mean 'name'?\n"
        "  - {id: kjj, nam: 市科技局}\n"
        "              ^\n");
  std::ofstream(dir + "/units.yaml") << "units:\n  - {id: amr, name: 市市场监管局}\n";
  LoadResult ok = LoadFile(dir + "/plan.yaml", "plan.yaml");
  INFO(FormatAll(ok));
  REQUIRE(ok.plan);
  CHECK(ok.plan->units.size() == 1);
  CHECK(ok.plan->assignments.size() == 1);
}

TEST_CASE("Loader: plans sharing a units file parse it once, and only a clean one", "[loader]") {
  std::string dir = duban::test::TempDir();
  auto reader = [&](const std::string& rel) { return duban::ReadFile(dir + "/" + rel, kMaxPlanBytes); };
  auto plan = [](const std::string& id) {
    return "plan: {id: " + id + ", title: t, period: {start: 2024-01-01, end: 2024-12-31}, office: amr, "
           "units_file: units.yaml}\ntasks: [{id: \"1\", title: t, lead: [市市场监管局], cooperate: [各区]}]\n";
  };
  std::ofstream(dir + "/units.yaml")
      << "units:\n  - {id: amr, name: 市市场监管局, aliases: [市监局]}\n  - {id: east, name: 东区}\n"
         "  - {id: west, name: 西区}\n  - {id: districts, name: 各区, kind: group, members: [east, west]}\n";
  UnitsFileCache cache;
  LoadResult first = LoadPlan("a.yaml", plan("a"), reader, &cache);
  LoadResult second = LoadPlan("b.yaml", plan("b"), reader, &cache);
  LoadResult alone = LoadPlan("b.yaml", plan("b"), reader);
  REQUIRE(first.plan);
  REQUIRE(second.plan);
  REQUIRE(alone.plan);
  CHECK(cache.hits() == 1);
  // The reused units are the ones a plan read alone has, groups and aliases included.
  REQUIRE(second.plan->units.size() == alone.plan->units.size());
  for (size_t i = 0; i < alone.plan->units.size(); ++i) {
    CHECK(second.plan->units[i].id == alone.plan->units[i].id);
    CHECK(second.plan->units[i].aliases == alone.plan->units[i].aliases);
    CHECK(second.plan->units[i].members.size() == alone.plan->units[i].members.size());
  }
  CHECK(second.plan->assignments.size() == 3);  // amr leads, east and west cooperate
  CHECK(second.plan->ResolveUnit("市监局").value() == "amr");

  // Another text under the same name is read anew; a file with a problem is never kept,
  // so every plan that names it reports the problem at its place.
  std::ofstream(dir + "/units.yaml") << "units:\n  - {id: amr, name: 市市场监管局, nam: x}\n";
  for (const char* name : {"c.yaml", "d.yaml"}) {
    LoadResult bad = LoadPlan(name, plan("c"), reader, &cache);
    CHECK_FALSE(bad.plan);
    CHECK_THAT(FormatAll(bad), Catch::StartsWith("units.yaml:2:29: error: unknown key 'nam' in a unit"));
  }
  CHECK(cache.hits() == 1);
}
