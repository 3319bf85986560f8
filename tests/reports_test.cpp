// The reports, produced from the example history as a clerk or a weekly cron job would.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/file_io.h"
#include "tests/test_util.h"

using duban::test::RunDuban;
using duban::test::RunResult;
using duban::test::SourcePath;
using duban::test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Store {
  std::string dir = TempDir();
  std::string db = duban::test::CopyStore(duban::test::ExampleStore(), dir);
  RunResult Run(std::vector<std::string> args, const std::string& day = "2025-07-10", std::vector<std::string> env = {}) {
    env.push_back("DUBAN_DB=" + db);
    env.push_back("DUBAN_TODAY=" + day);
    return RunDuban(args, dir, env);
  }
  std::string Read(const std::string& name) { return *duban::ReadFile(dir + "/" + name, 64 << 20); }
};

}  // namespace

TEST_CASE("Reports: the weekly bulletin in every format, reproducible byte for byte", "[reports][bulletin]") {
  Store s;
  auto md = s.Run({"report", "bulletin"});
  REQUIRE(md.exit_code == 0);
  CHECK_THAT(md.out, Catch::StartsWith("# 九江市国家知识产权强市建设试点城市工作方案(2024-2026年)工作进展通报\n"));
  CHECK_THAT(md.out, Catch::Contains("通报期间: 2025-07-04 至 2025-07-10"));
  CHECK_THAT(md.out, Catch::Contains("方案共19项任务、268条分工"));
  for (const char* h : {"## 一、总体情况", "## 二、分部分进展", "## 三、各单位情况", "## 四、指标完成情况", "## 五、本期变化",
                        "## 六、督办事项", "## 七、通报"})
    CHECK_THAT(md.out, Catch::Contains(h));
  // The JSON agrees with the board.
  auto j = nlohmann::json::parse(s.Run({"report", "bulletin", "--format", "json"}).out);
  CHECK(j["schema"] == "duban.bulletin/1");
  auto status = nlohmann::json::parse(s.Run({"status", "--json"}).out)["plans"][0]["tasks_by_light"];
  CHECK(j["totals"]["red"] == status["red"]);
  CHECK(j["totals"]["yellow"] == status["yellow"]);
  CHECK(j["totals"]["green"] == status["green"]);
  CHECK(j["totals"]["closed"] == 1);  // 4.4
  CHECK(j["units"].size() == 36);
  bool hrss_on_time = false;
  for (const auto& u : j["units"])
    if (u["unit"] == "jj-hrss") hrss_on_time = u["missed"] == 1;  // 6.1 on time, 1.1 (as a 专班 member) never
  CHECK(hrss_on_time);
  // Same store, same day: same bytes, in every format; a later report changes nothing.
  auto html = s.Run({"report", "bulletin", "--format", "html", "-o", "b.html"});
  REQUIRE(html.exit_code == 0);
  std::string page = s.Read("b.html");
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("<svg") != std::string::npos);
  auto txt = s.Run({"report", "bulletin", "--format", "txt"});
  REQUIRE(txt.exit_code == 0);
  CHECK_THAT(txt.out, Catch::Contains("一、总体情况"));
  // (That reports dated after the day change nothing is shown by the next test case.)
  CHECK(s.Run({"report", "bulletin"}).out == md.out);
  CHECK(s.Run({"report", "bulletin", "--format", "html", "-o", "c.html"}).exit_code == 0);
  CHECK(s.Read("c.html") == page);
  CHECK(j["inputs_hash"].get<std::string>().size() == 64);
  auto other_day = nlohmann::json::parse(s.Run({"report", "bulletin", "--format", "json"}, "2025-06-30").out);
  CHECK(other_day["inputs_hash"] != j["inputs_hash"]);
  CHECK(s.Run({"report", "bulletin", "--lang", "en"}).out.find("progress bulletin") != std::string::npos);
}

TEST_CASE("Reports: a bulletin for a past day is computed from that day's state", "[reports][bulletin]") {
  Store s;
  // 4.4 was claimed done on 2024-11-20 and accepted on 2024-11-25.
  auto week = nlohmann::json::parse(s.Run({"report", "bulletin", "--format", "json"}, "2024-11-27").out);
  REQUIRE(week["changes"]["newly_closed"].size() == 1);
  CHECK(week["changes"]["newly_closed"][0]["task"] == "4.4");
  auto before = nlohmann::json::parse(s.Run({"report", "bulletin", "--format", "json"}, "2024-11-22").out);
  CHECK(before["totals"]["closed"] == 0);
  auto later = nlohmann::json::parse(s.Run({"report", "bulletin", "--format", "json"}, "2024-12-04").out);
  CHECK(later["changes"]["newly_closed"].empty());
  CHECK(later["totals"]["closed"] == 1);
  // 3.3 became blocked on 2025-03-04/05.
  auto blocked = nlohmann::json::parse(s.Run({"report", "bulletin", "--format", "json"}, "2025-03-07").out);
  REQUIRE(blocked["changes"]["new_blockers"].size() == 1);
  CHECK(blocked["changes"]["new_blockers"][0]["task"] == "3.3");
  CHECK_THAT(blocked["changes"]["new_blockers"][0]["zh"].get<std::string>(), Catch::Contains("风险补偿资金池尚未设立"));
  // A monthly bulletin covers the month.
  auto month = nlohmann::json::parse(s.Run({"report", "bulletin", "--period", "month", "--format", "json"}, "2025-07-10").out);
  CHECK(month["period"]["from"] == "2025-06-11");
  CHECK(month["period"]["kind"] == "month");
}

TEST_CASE("Reports: every text is escaped for its format", "[reports][escaping]") {
  std::string dir = TempDir();
  std::string db = dir + "/duban.db";
  std::vector<std::string> env = {"DUBAN_DB=" + db, "DUBAN_TODAY=2025-03-10"};
  REQUIRE(RunDuban({"init", "--token-out", "o.token"}, dir, env).exit_code == 0);
  std::string token = *duban::ReadFile(dir + "/o.token", 1024);
  token.pop_back();
  env.push_back("DUBAN_TOKEN=" + token);
  REQUIRE(RunDuban({"plan", "load", SourcePath("tests/plans/good/minimal.yaml")}, dir, env).exit_code == 0);
  const std::string evil = "<script>alert(1)</script> | a \"quote\", & more";
  REQUIRE(RunDuban({"update", "2.1", "--as", "kjj", "--status", "blocked", "--note", evil}, dir, env).exit_code == 0);
  auto html = RunDuban({"report", "bulletin", "--format", "html"}, dir, env);
  REQUIRE(html.exit_code == 0);
  CHECK(html.out.find("<script>") == std::string::npos);
  CHECK_THAT(html.out, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  auto md = RunDuban({"report", "bulletin"}, dir, env);
  CHECK_THAT(md.out, Catch::Contains("\\| a"));
  auto csv = RunDuban({"report", "ledger"}, dir, env);
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK_THAT(csv.out, Catch::Contains("\"<script>alert(1)</script> | a \"\"quote\"\", & more\""));
}

TEST_CASE("Reports: responsibility table, notice, ledger, assessment, calendar and graph", "[reports]") {
  Store s;
  auto from_store = s.Run({"report", "matrix"});
  REQUIRE(from_store.exit_code == 0);
  auto from_file = s.Run({"report", "matrix", SourcePath("plans/jiujiang.yaml")});
  CHECK(from_store.out == from_file.out);
  CHECK_THAT(from_store.out, Catch::StartsWith("# 九江市国家知识产权强市建设试点城市工作方案(2024-2026年) 任务分工表\n"));
  CHECK_THAT(from_store.out, Catch::Contains("| 2.1 | 加快高价值核心专利培育 | 市市场监管局〔知识产权局〕 | 市发改委、市工信局、市科技局、九江学院、九江职业大学、九江职业技术学院、各县〔市、区〕人民政府 |"));
  REQUIRE(s.Run({"report", "matrix", "--format", "xlsx", "-o", "m.xlsx"}).exit_code == 0);
  std::string rows = "unzip -p " + s.dir + "/m.xlsx xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l > " + s.dir + "/rows";
  REQUIRE(std::system(rows.c_str()) == 0);
  CHECK(std::stoi(s.Read("rows")) == 21);  // title, header, 19 tasks
  CHECK(s.Run({"report", "matrix", "--format", "csv"}).out.rfind("\xEF\xBB\xBF", 0) == 0);

  auto notice = s.Run({"report", "notice", "--unit", "市科技局"});
  REQUIRE(notice.exit_code == 0);
  CHECK_THAT(notice.out, Catch::Contains("**编号:督办〔2025〕0710号-jj-sti**"));
  CHECK_THAT(notice.out, Catch::Contains("请于2025-07-17前(5个工作日内)将办理情况书面回复"));
  auto nj = nlohmann::json::parse(s.Run({"report", "notice", "--unit", "jj-sti", "--format", "json"}).out);
  CHECK(nj["items"].size() == 7);
  // 2025-09-30 + 5 working days crosses 国庆节、中秋节 (10-01..08): 10-09, 10-10, Saturday
  // 10-11 (调休, worked), 10-13, 10-14.
  CHECK(nlohmann::json::parse(s.Run({"report", "notice", "--unit", "jj-sti", "--format", "json"}, "2025-09-30").out)["reply_by"] ==
        "2025-10-14");
  CHECK(s.Run({"report", "notice", "--unit", "市科技厅"}).err == "duban: unknown unit '市科技厅', did you mean '市科技局'?\n");

  auto ledger = s.Run({"report", "ledger"});
  REQUIRE(ledger.exit_code == 0);
  CHECK(std::count(ledger.out.begin(), ledger.out.end(), '\n') >= 269);
  REQUIRE(s.Run({"report", "ledger", "--format", "xlsx", "-o", "l.xlsx"}).exit_code == 0);
  CHECK(fs::file_size(s.dir + "/l.xlsx") > 5000);

  auto a = nlohmann::json::parse(s.Run({"report", "assessment", "--year", "2025", "--format", "json"}).out);
  CHECK(a["schema"] == "duban.assessment/1");
  for (const auto& u : a["units"]) {
    // Every part's score is its weight times the share earned in its breakdown lines.
    double e = 0, p = 0;
    for (const auto& l : u["breakdown"])
      if (l["part"] == "reporting") { e += l["earned"].get<double>(); p += l["possible"].get<double>(); }
    if (p > 0) CHECK(u["reporting"].get<double>() == Approx(30.0 * e / p));
    else CHECK(u["reporting"].is_null());
  }
  CHECK(a["units"][0]["rank"] == 1);

  auto ics = s.Run({"export", "ics", "--unit", "市科技局", "--to", "2025-12-31"});
  REQUIRE(ics.exit_code == 0);
  CHECK(ics.out.rfind("BEGIN:VCALENDAR\r\n", 0) == 0);
  CHECK_THAT(ics.out, Catch::Contains("【进展报送】"));
  std::ofstream(s.dir + "/u.ics", std::ios::binary) << ics.out;
  CHECK(std::system(("/usr/bin/python3 -c \"import icalendar,sys; icalendar.Calendar.from_ical(open(sys.argv[1],'rb').read())\" " +
                     s.dir + "/u.ics").c_str()) == 0);
  auto dot = s.Run({"graph", "-o", "g.dot"});
  REQUIRE(dot.exit_code == 0);
  CHECK(std::system(("dot -Tsvg " + s.dir + "/g.dot -o " + s.dir + "/g.svg").c_str()) == 0);
  CHECK_THAT(s.Run({"graph", "--format", "mermaid"}).out, Catch::StartsWith("flowchart LR"));
}
