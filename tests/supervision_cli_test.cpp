// duban status and duban remind, driven through the binary as the office's cron jobs do.
#include <catch2/catch.hpp>
#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>

#include "engine/file_io.h"
#include "tests/http_server.h"
#include "tests/test_util.h"

using duban::test::RunDuban;
using duban::test::RunResult;
using duban::test::SourcePath;
using duban::test::TempDir;
namespace fs = std::filesystem;

namespace {

struct Copy {
  std::string dir = TempDir();
  std::string db = duban::test::CopyStore(duban::test::ExampleStore(), dir);
  RunResult Run(std::vector<std::string> args, const std::string& day, const std::string& tok = "") {
    std::vector<std::string> env = {"DUBAN_DB=" + db, "DUBAN_TODAY=" + day};
    if (!tok.empty()) env.push_back("DUBAN_TOKEN=" + tok);
    return RunDuban(args, dir, env);
  }
};

// A new store whose office credential the test holds: reminders and plan loads need it.
struct Office {
  std::string dir = TempDir();
  std::string db = dir + "/duban.db";
  std::string token;
  Office() {
    REQUIRE(RunDuban({"init", "--token-out", "office.token"}, dir, {"DUBAN_DB=" + db, "DUBAN_TODAY=2025-01-02"}).exit_code == 0);
    token = *duban::ReadFile(dir + "/office.token", 1024);
    token.pop_back();
  }
  // Runs as the office on `day`, or with the credential `as` instead.
  RunResult Run(const std::vector<std::string>& args, const std::string& day, const std::string& as = "") const {
    return RunDuban(args, dir, {"DUBAN_DB=" + db, "DUBAN_TOKEN=" + (as.empty() ? token : as), "DUBAN_TODAY=" + day});
  }
};

}  // namespace

TEST_CASE("CLI supervision: the status board of the example history", "[cli][supervision]") {
  Copy c;
  auto text = c.Run({"status"}, "2025-07-10");
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("督办看板 2025-07-10  九江市国家知识产权强市建设试点城市工作方案(2024-2026年) (jiujiang-2024)\n"));
  CHECK_THAT(text.out, Catch::Contains("3.3 推进知识产权金融创新 — "));
  CHECK_THAT(text.out, Catch::Contains("受阻:风险补偿资金池尚未设立"));
  CHECK_THAT(text.out, Catch::Contains("等待配合: 2.4 已等待"));
  auto json = nlohmann::json::parse(c.Run({"status", "--json"}, "2025-07-10").out);
  CHECK(json["schema"] == "duban.status/1");
  const auto& plan = json["plans"][0];
  auto by_light = plan["tasks_by_light"];
  CHECK(by_light["red"].get<int>() + by_light["yellow"].get<int>() + by_light["green"].get<int>() == 19);
  CHECK(by_light["red"].get<int>() >= 1);
  bool accepted_is_green = false;
  for (const auto& t : plan["tasks"])
    if (t["task"] == "4.4") accepted_is_green = t["state"] == "closed" && t["light"] == "green";
  CHECK(accepted_is_green);
  // With --unit only that unit's assignments count.
  auto sti = nlohmann::json::parse(c.Run({"status", "--unit", "市科技局", "--json"}, "2025-07-10").out);
  for (const auto& a : sti["plans"][0]["assignments"]) CHECK(a["unit"] == "jj-sti");
  CHECK(sti["plans"][0]["assignments"].size() == 7);
  // The same store and day give the same bytes.
  CHECK(c.Run({"status"}, "2025-07-10").out == text.out);
  CHECK(c.Run({"status", "--lang", "en"}, "2025-07-10").out.find("Supervision board 2025-07-10") == 0);
}

TEST_CASE("CLI supervision: remind sends each message once, again when its period comes round", "[cli][supervision][remind]") {
  // Reminders are sent with the office's credential: a store built here, whose
  // credential the test holds.
  Office office;
  const std::string& dir = office.dir;
  auto run = [&](const std::vector<std::string>& args, const std::string& day) { return office.Run(args, day); };
  REQUIRE(run({"plan", "load", SourcePath("tests/plans/good/minimal.yaml")}, "2025-01-02").exit_code == 0);
  // amr reports on 1.1 every month on time, so only lateness drives its level.
  for (const char* day : {"2025-02-04", "2025-03-04", "2025-04-03", "2025-05-06", "2025-06-04", "2025-07-03"})
    REQUIRE(run({"update", "1.1", "--as", "amr", "--progress", "50"}, day).exit_code == 0);

  auto preview = run({"remind", "--dry-run", "--channel", "dir:out"}, "2025-07-10");
  CHECK(preview.exit_code == 1);
  CHECK_THAT(preview.out, Catch::Contains("【"));
  CHECK_FALSE(fs::exists(dir + "/out"));  // a dry run delivers nothing

  auto first = run({"remind", "--channel", "dir:out"}, "2025-07-10");
  CHECK(first.exit_code == 1);
  REQUIRE(fs::exists(dir + "/out/2025-07-10/amr.txt"));
  std::string amr = *duban::ReadFile(dir + "/out/2025-07-10/amr.txt", 1 << 20);
  CHECK_THAT(amr, Catch::StartsWith("【"));
  CHECK_THAT(amr, Catch::Contains("1.1 建立工作机制(牵头) — 逾期10天(完成时限 2025-06-30)"));
  CHECK_THAT(amr, Catch::Contains("——专班办公室"));

  auto again = run({"remind", "--channel", "dir:out"}, "2025-07-10");
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::StartsWith("duban: nothing new to send"));
  auto next_day = run({"remind", "--channel", "dir:out"}, "2025-07-11");
  CHECK(next_day.exit_code == 0);  // same level, same reporting cycle
  // The level rises past 15 days overdue: 督办.
  auto notice = run({"remind", "--channel", "dir:out"}, "2025-07-16");
  CHECK(notice.exit_code == 1);
  CHECK_THAT(*duban::ReadFile(dir + "/out/2025-07-16/amr.txt", 1 << 20), Catch::Contains("督办"));
  // Another channel is another delivery.
  CHECK(run({"remind", "--channel", "dir:other"}, "2025-07-16").exit_code == 1);
  // Each send is in the history.
  auto audit = run({"audit", "verify"}, "2025-07-16");
  CHECK(audit.exit_code == 0);
  // Without the office credential, nothing is sent.
  CHECK(office.Run({"remind", "--channel", "dir:out"}, "2025-08-20", "dbn_nobody").exit_code == 3);
  CHECK_FALSE(fs::exists(dir + "/out/2025-08-20"));
}

TEST_CASE("CLI supervision: a message over several plans records each of them", "[cli][supervision][remind]") {
  // Plans whose ids contain one another: each is named in the record, whichever order
  // (load or id) the plans are taken in.
  Office office;
  std::string text = *duban::ReadFile(SourcePath("tests/plans/good/minimal.yaml"), 1 << 20);
  for (const std::string id : {"demo-b", "a-demo", "demo"}) {
    std::string plan = text;
    plan.replace(plan.find("id: demo-2025"), 13, "id: " + id);
    std::ofstream(office.dir + "/" + id + ".yaml") << plan;
    REQUIRE(office.Run({"plan", "load", office.dir + "/" + id + ".yaml"}, "2025-01-02").exit_code == 0);
  }
  REQUIRE(office.Run({"remind", "--channel", "dir:out"}, "2025-07-10").exit_code == 1);
  SQLite::Database raw(office.db, SQLite::OPEN_READONLY);
  SQLite::Statement q(raw, "SELECT DISTINCT plan_id FROM reminders WHERE unit_id = 'amr'");
  std::vector<std::string> recorded;
  while (q.executeStep()) recorded.push_back(q.getColumn(0).getString());
  REQUIRE(recorded.size() == 1);
  std::set<std::string> named;
  std::istringstream in(recorded.front());
  for (std::string id; std::getline(in, id, ',');) named.insert(id);
  CHECK(named == std::set<std::string>{"a-demo", "demo", "demo-b"});
}

TEST_CASE("CLI supervision: webhook reminders, a failed send retried on the next run", "[cli][supervision][remind]") {
  duban::test::ServerOptions failing;
  failing.status = 500;
  failing.max_connections = 4;
  duban::test::TestHttpServer down(failing);
  duban::test::ServerOptions ok;
  ok.max_connections = 4;
  duban::test::TestHttpServer up(ok);

  Office office;
  const std::string& dir = office.dir;
  std::string plan = *duban::ReadFile(SourcePath("tests/plans/good/minimal.yaml"), 1 << 20);
  std::string unit = "  - {id: kjj, name: 市科技局, kind: department}\n";
  auto at = plan.find(unit);
  REQUIRE(at != std::string::npos);
  auto with_hook = [&](const std::string& url) {
    std::string p = plan;
    p.replace(at, unit.size(), "  - {id: kjj, name: 市科技局, kind: department, contact: {webhook: \"" + url + "\"}}\n");
    std::ofstream(dir + "/plan.yaml") << p;
  };
  auto run = [&](const std::vector<std::string>& args, const std::string& day) { return office.Run(args, day); };
  with_hook(down.Url("/robot/send?key=secret"));
  REQUIRE(run({"plan", "load", "plan.yaml"}, "2025-01-02").exit_code == 0);
  // kjj cooperates on 1.1 and leads 2.1; by mid-July it has missed six reports.
  auto failed = run({"remind", "--plan", "demo-2025", "--channel", "webhook:wecom"}, "2025-07-16");
  CHECK(failed.exit_code == 5);
  CHECK_THAT(failed.err, Catch::Contains("kjj"));
  CHECK_THAT(failed.err, Catch::Contains("FAILED: webhook http://127.0.0.1:" + std::to_string(down.port()) +
                                         "/robot/send?key=*** answered HTTP 500"));
  REQUIRE_FALSE(down.Requests().empty());

  // The office fixes the contact; the next run sends what failed.
  with_hook(up.Url("/robot/send?key=secret"));
  REQUIRE(run({"plan", "load", "plan.yaml"}, "2025-07-16").exit_code == 0);
  auto retried = run({"remind", "--plan", "demo-2025", "--channel", "webhook:wecom"}, "2025-07-16");
  // kjj is reached; units without a webhook contact are reported as failures (exit 5).
  CHECK(retried.exit_code == 5);
  CHECK_THAT(retried.err, Catch::Contains("duban: kjj 通报 2/2 sent\n"));
  CHECK_THAT(retried.err, Catch::Contains(" sent\n"));
  CHECK_THAT(retried.err, Catch::Contains("duban: amr "));
  CHECK_THAT(retried.err, Catch::Contains("FAILED: unit 'amr' has no webhook contact"));
  auto requests = up.Requests();
  std::vector<duban::test::HttpRequest> to_kjj;
  for (const auto& r : requests)
    if (r.body.find("市科技局") != std::string::npos) to_kjj.push_back(r);
  REQUIRE(to_kjj.size() == 1);
  CHECK(to_kjj[0].method == "POST");
  CHECK(to_kjj[0].path == "/robot/send?key=secret");
  CHECK(to_kjj[0].headers.at("content-type") == "application/json");
  auto body = nlohmann::json::parse(to_kjj[0].body);
  CHECK(body["msgtype"] == "markdown");
  std::string content = body["markdown"]["content"];
  CHECK_THAT(content, Catch::StartsWith("【"));
  CHECK_THAT(content, Catch::Contains("市科技局"));
  CHECK_THAT(content, Catch::Contains("2.1 开展专项行动(牵头)"));
  // Sent once: a second run the same day sends nothing more.
  size_t before = up.Requests().size();
  auto third = run({"remind", "--plan", "demo-2025", "--channel", "webhook:wecom"}, "2025-07-16");
  CHECK_THAT(third.err, !Catch::Contains("duban: kjj"));
  CHECK(up.Requests().size() == before);
}

TEST_CASE("CLI supervision: a board over every plan is each plan's board in turn", "[cli][supervision]") {
  Office office;
  auto run = [&](const std::vector<std::string>& args, const std::string& day = "2025-07-10") {
    return office.Run(args, day);
  };
  // The empty store says it has no plan, in both forms.
  CHECK(run({"status"}).out == "(尚未载入方案)\n");
  auto empty = nlohmann::json::parse(run({"status", "--json"}).out);
  CHECK(empty["plans"].empty());
  std::vector<std::string> ids;
  for (const char* plan : {"plans/huaiyin.yaml", "plans/xuzhou.yaml", "plans/quzhou.yaml"}) {
    auto load = run({"plan", "load", SourcePath(plan)}, "2025-01-02");
    REQUIRE(load.exit_code == 0);
  }
  auto list = nlohmann::json::parse(run({"plan", "list", "--json"}).out);
  for (const auto& p : list["plans"]) ids.push_back(p["id"]);
  REQUIRE(ids.size() == 3);
  std::string each_text;
  nlohmann::json each_json = nlohmann::json::array();
  for (const auto& id : ids) {
    auto t = run({"status", "--plan", id});
    REQUIRE(t.exit_code == 0);
    each_text += t.out;
    auto j = nlohmann::json::parse(run({"status", "--plan", id, "--json"}).out);
    each_json.push_back(j["plans"][0]);
  }
  auto all_text = run({"status"});
  REQUIRE(all_text.exit_code == 0);
  CHECK(all_text.out == each_text);
  auto all_json = nlohmann::json::parse(run({"status", "--json"}).out);
  CHECK(all_json["schema"] == "duban.status/1");
  CHECK(all_json["plans"] == each_json);
  // Reminders over every plan: the same messages as plan by plan (these plans share no
  // unit), in unit order.
  auto titles = [](const std::string& out) {
    std::multiset<std::string> t;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("【", 0) == 0) t.insert(line);
    return t;
  };
  auto remind = run({"remind", "--dry-run"});
  CHECK(remind.exit_code == 1);
  std::multiset<std::string> per_plan;
  for (const auto& id : ids) {
    auto r = run({"remind", "--dry-run", "--plan", id});
    for (const auto& t : titles(r.out)) per_plan.insert(t);
  }
  CHECK(titles(remind.out).size() > 3);
  CHECK(titles(remind.out) == per_plan);
  CHECK(run({"status", "--plan", "no-such-plan"}).exit_code != 0);
}

TEST_CASE("CLI supervision: a report on one plan in a store of many asks which, naming a few", "[cli][supervision]") {
  Office office;
  std::string text = *duban::ReadFile(SourcePath("tests/plans/good/minimal.yaml"), 1 << 20);
  std::vector<std::string> load = {"plan", "load"};
  for (int i = 1; i <= 7; ++i) {
    std::string id = "demo-" + std::to_string(i), plan = text;
    plan.replace(plan.find("id: demo-2025"), 13, "id: " + id);
    std::ofstream(office.dir + "/" + id + ".yaml") << plan;
    load.push_back(office.dir + "/" + id + ".yaml");
  }
  REQUIRE(office.Run(load, "2025-01-02").exit_code == 0);
  auto r = office.Run({"report", "bulletin"}, "2025-07-10");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("several plans are loaded (demo-1, demo-2, demo-3, demo-4, demo-5, … 7 in all;"));
  CHECK_THAT(r.err, Catch::Contains("give --plan"));
  CHECK(office.Run({"report", "bulletin", "--plan", "demo-6"}, "2025-07-10").exit_code == 0);
}

TEST_CASE("CLI supervision: the board kept between runs is the board evaluated afresh", "[cli][supervision]") {
  Office office;
  std::vector<std::string> load = {"plan", "load"};
  for (const char* plan : {"plans/huaiyin.yaml", "plans/xuzhou.yaml", "plans/quzhou.yaml"}) load.push_back(SourcePath(plan));
  REQUIRE(office.Run(load, "2025-01-02").exit_code == 0);
  // What status prints with nothing kept: the kept boards are removed by hand first.
  auto fresh = [&](std::vector<std::string> args) {
    SQLite::Database(office.db, SQLite::OPEN_READWRITE).exec("DELETE FROM board_cache");
    auto r = office.Run(args, "2025-07-10");
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  auto kept = [&](const std::string& table) {
    return SQLite::Database(office.db).execAndGet("SELECT count(*) FROM board_cache WHERE variant LIKE '" + table + "%'").getInt();
  };
  const std::vector<std::pair<std::vector<std::string>, std::string>> variants = {
      {{"status"}, "status/text/zh"}, {{"status", "--json"}, "status/json/zh"}, {{"--lang", "en", "status"}, "status/text/en"}};
  for (const auto& [args, variant] : variants) {
    INFO(variant);
    const std::string first = fresh(args);
    CHECK(kept(variant) == 3);
    auto again = office.Run(args, "2025-07-10");
    CHECK(again.exit_code == 0);
    CHECK(again.out == first);
  }
  // A bureau's report: the next board shows it, as a board evaluated afresh does.
  auto before = office.Run({"status"}, "2025-07-10").out;
  auto tasks = nlohmann::json::parse(office.Run({"tasks", "--plan", "huaiyin-2022", "--json"}, "2025-07-10").out);
  REQUIRE(!tasks["assignments"].empty());
  const auto& a = tasks["assignments"][0];
  REQUIRE(office.Run({"update", a["task"], "--plan", "huaiyin-2022", "--as", a["unit"], "--status", "blocked",
                      "--note", "选址用地指标未落实"}, "2025-07-09").exit_code == 0);
  auto after = office.Run({"status"}, "2025-07-10");
  CHECK(after.out != before);
  CHECK_THAT(after.out, Catch::Contains("选址用地指标未落实"));
  CHECK(after.out == fresh({"status"}));
  // A board of one plan is kept too, and a unit's board is always evaluated.
  CHECK(office.Run({"status", "--plan", "xuzhou-2024"}, "2025-07-10").out ==
        fresh({"status", "--plan", "xuzhou-2024"}));
  CHECK(office.Run({"status", "--unit", a["unit"]}, "2025-07-10").exit_code == 0);
}
