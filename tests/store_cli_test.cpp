// The store driven through the real binary, as offices, bureaus and cron jobs use it.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>
#include <nlohmann/json.hpp>

#include "engine/file_io.h"
#include "engine/sheet.h"
#include "tests/test_util.h"

using duban::test::RunDuban;
using duban::test::RunResult;
using duban::test::SourcePath;
using duban::test::TempDir;

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// A store with the Jiujiang plan loaded, the office's token, and a token for 市科技局.
struct Office {
  std::string dir = TempDir();
  std::string db = dir + "/duban.db";
  std::string token, sti;
  Office() {
    auto init = Run({"init", "--token-out", dir + "/office.token"}, "");
    REQUIRE(init.exit_code == 0);
    token = Trim(*duban::ReadFile(dir + "/office.token", 1024));
    REQUIRE(Run({"plan", "load", SourcePath("plans/jiujiang.yaml")}).exit_code == 0);
    auto issue = Run({"auth", "issue", "市科技局"});
    REQUIRE(issue.exit_code == 0);
    sti = Trim(issue.out);
  }
  RunResult Run(const std::vector<std::string>& args, const std::string& tok = "*office*", const std::string& day = "2025-03-10",
                const std::string& stdin_text = "") {
    std::vector<std::string> env = {"DUBAN_DB=" + db, "DUBAN_TODAY=" + day};
    std::string t = tok == "*office*" ? token : tok;
    if (!t.empty()) env.push_back("DUBAN_TOKEN=" + t);
    return RunDuban(args, dir, env, stdin_text);
  }
  int64_t Count(const std::string& sql) {
    SQLite::Database raw(db, SQLite::OPEN_READONLY);
    return raw.execAndGet(sql).getInt64();
  }
};

}  // namespace

TEST_CASE("CLI store: the README walkthrough", "[cli][store]") {
  Office o;
  CHECK(o.sti.rfind("dbn_", 0) == 0);
  auto up = o.Run({"update", "2.1", "--status", "in_progress", "--progress", "30", "--note", "已组织申报"}, o.sti);
  CHECK(up.exit_code == 0);
  CHECK(up.out == "2025-03-10 #4 update jj-sti: jj-sti 进行中 30% — 已组织申报\n");
  auto refused = o.Run({"update", "2.1", "--as", "jj-amr", "--progress", "50"}, o.sti);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "duban: unit 'jj-sti' may not report for unit 'jj-amr': a unit reports only on its own assignments\n");
  // The template round trip: fill in 3.1 and apply.
  auto tmpl = o.Run({"template", "--as", "jj-sti", "-o", "sti.csv"}, "");
  REQUIRE(tmpl.exit_code == 0);
  std::string csv = *duban::ReadFile(o.dir + "/sti.csv", 1 << 20);
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  auto at = csv.find("jiujiang-2024,3.1,");
  REQUIRE(at != std::string::npos);
  at = csv.rfind('\n', at) + 1;
  auto eol = csv.find("\r\n", at);
  std::string row = csv.substr(at, eol - at);
  REQUIRE(row.find('"') == std::string::npos);
  std::vector<std::string> cells;
  for (size_t b = 0, e; b <= row.size(); b = e + 1) {
    e = row.find(',', b);
    if (e == std::string::npos) e = row.size();
    cells.push_back(row.substr(b, e - b));
  }
  // 类型 方案 编号 名称 责任单位 角色 完成时限 状态 进度 数值 截至日期 进展情况 佐证材料
  REQUIRE(cells.size() == 13);
  CHECK(cells[7] == "未开始");
  CHECK(cells[8] == "0");
  cells[7] = "进行中";
  cells[8] = "45";
  cells[11] = "完成专利导航立项";
  std::string filled;
  for (size_t i = 0; i < cells.size(); ++i) filled += (i ? "," : "") + cells[i];
  csv.replace(at, row.size(), filled);
  std::ofstream(o.dir + "/sti-filled.csv", std::ios::binary) << csv;
  auto apply = o.Run({"update", "--from", "sti-filled.csv"}, o.sti);
  INFO(apply.err);
  CHECK(apply.exit_code == 0);
  CHECK_THAT(apply.out, Catch::StartsWith("已报送 1 条"));
  auto show31 = o.Run({"show", "3.1", "--json"}, "");
  CHECK_THAT(show31.out, Catch::Contains("完成专利导航立项"));
  // Claim done, the office accepts, show prints the history, audit passes.
  CHECK(o.Run({"update", "4.4", "--as", "jj-amr", "--status", "done", "--note", "平台已上线"}).exit_code == 0);
  auto acc = o.Run({"accept", "4.4"});
  CHECK(acc.exit_code == 0);
  auto show = o.Run({"show", "4.4"}, "");
  CHECK_THAT(show.out, Catch::Contains("已办结"));
  CHECK_THAT(show.out, Catch::Contains("#8 accept office: 验收办结 jj-amr"));
  auto audit = o.Run({"audit", "verify"}, "");
  CHECK(audit.exit_code == 0);
  CHECK_THAT(audit.out, Catch::StartsWith("审计通过: 8 条记录"));
  // Then a direct edit of the database is found.
  REQUIRE(std::system(("sqlite3 " + o.db + " \"UPDATE assignments SET progress = 99 WHERE task_id = '2.1' AND unit_id = 'jj-sti'\"").c_str()) == 0);
  auto bad = o.Run({"audit", "verify"}, "");
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.out, Catch::Contains("assignment jiujiang-2024/2.1/jj-sti is in_progress 99% but the history says in_progress 30%"));
}

TEST_CASE("CLI store: credentials, exit codes and reading commands", "[cli][store]") {
  Office o;
  CHECK(o.Run({"update", "2.1", "--progress", "10"}, "").exit_code == 3);
  CHECK(o.Run({"update", "2.1", "--progress", "10"}, "").err == "duban: no credential: set DUBAN_TOKEN or give --token-file\n");
  CHECK(o.Run({"update", "2.1", "--progress", "10"}, "dbn_forged").exit_code == 3);
  CHECK(o.Run({"update", "2.1", "--progress", "150"}, o.sti).err == "duban: progress must be between 0 and 100, got 150\n");
  CHECK(o.Run({"update", "2.1", "--progress", "10"}, o.sti, "2025-02-30").err ==
        "duban: --today '2025-02-30' is not a real calendar date\n");
  CHECK(o.Run({"indicator", "record", "invention-per-10k", "7.1", "--as-of", "2025-13-01"}, o.sti).exit_code == 1);
  CHECK(o.Run({"update", "2.1", "--progress", "10", "--note", std::string("bad\x01note")}, o.sti).exit_code == 1);
  CHECK(o.Run({"auth", "revoke", "jj-sti"}).exit_code == 0);
  auto revoked = o.Run({"update", "2.1", "--progress", "10"}, o.sti);
  CHECK(revoked.exit_code == 3);
  CHECK_THAT(revoked.err, Catch::StartsWith("duban: the credential was revoked on "));
  auto missing = RunDuban({"tasks"}, o.dir, {"DUBAN_DB=" + o.dir + "/nope.db"});
  CHECK(missing.exit_code == 4);
  CHECK(missing.err == "duban: no store at " + o.dir + "/nope.db: create one with 'duban init' (or set DUBAN_DB / --db)\n");
  auto my = o.Run({"my", "--as", "市科技局", "--json"}, "");
  CHECK(my.exit_code == 0);
  CHECK_THAT(my.out, Catch::StartsWith("{\n  \"schema\": \"duban.assignments/1\""));
  auto overdue = o.Run({"tasks", "--unit", "jj-sti", "--overdue"}, "", "2027-01-05");
  CHECK_THAT(overdue.out, Catch::Contains("加快高价值核心专利培育"));
  auto none = o.Run({"tasks", "--unit", "jj-sti", "--overdue"}, "", "2025-06-01");
  CHECK(none.out == "(没有符合条件的任务)\n");
  auto list = o.Run({"plan", "list"}, "");
  CHECK_THAT(list.out, Catch::Contains("jiujiang-2024"));
  // The token never appears on the command line: it is refused there.
  CHECK(o.Run({"update", "2.1", "--token", o.token}, "").exit_code == 2);
}

TEST_CASE("CLI store: 20 concurrent writers lose no update and never see a lock error", "[cli][store][concurrency]") {
  Office o;
  const int procs = 20, each = 5;
  std::string script;
  for (int p = 0; p < procs; ++p) {
    script += "( for k in $(seq " + std::to_string(each) + "); do DUBAN_DB='" + o.db + "' DUBAN_TODAY=2025-03-10 DUBAN_TOKEN='" +
              o.token + "' '" + DUBAN_BINARY + "' update 2.1 --as jj-sti --progress $((k * 10 + " + std::to_string(p % 5) +
              ")) --note p" + std::to_string(p) + " >/dev/null 2>>'" + o.dir + "/errors' || echo fail >> '" + o.dir +
              "/failures'; done ) &\n";
  }
  script += "wait\n";
  std::ofstream(o.dir + "/run.sh") << script;
  REQUIRE(std::system(("bash " + o.dir + "/run.sh").c_str()) == 0);
  auto errors = duban::ReadFile(o.dir + "/errors", 1 << 20);
  CHECK((errors.ok() ? *errors : "") == "");
  CHECK_FALSE(duban::ReadFile(o.dir + "/failures", 1024).ok());
  CHECK(o.Count("SELECT reports FROM assignments WHERE task_id = '2.1' AND unit_id = 'jj-sti'") == procs * each);
  CHECK(o.Count("SELECT count(*) FROM events WHERE kind = 'update'") == procs * each);
  CHECK(o.Run({"audit", "verify"}, "").exit_code == 0);
}

TEST_CASE("CLI store: a batch killed with SIGKILL leaves all or nothing, and a clean audit", "[cli][store][crash]") {
  Office o;
  // A sheet of every Jiujiang assignment, applied by the office for every unit.
  std::string csv;
  {
    SQLite::Database raw(o.db, SQLite::OPEN_READONLY);
    SQLite::Statement q(raw, "SELECT task_id, unit_id FROM assignments ORDER BY id");
    const auto& h = duban::SheetHeaders();
    for (size_t i = 0; i < h.size(); ++i) csv += (i ? "," : "") + h[i];
    csv += "\n";
    while (q.executeStep())
      csv += "任务,jiujiang-2024," + q.getColumn(0).getString() + ",," + q.getColumn(1).getString() +
             ",,,进行中,50,,,批量报送,\n";
  }
  std::ofstream(o.dir + "/all.csv") << csv;
  const int64_t rows = o.Count("SELECT count(*) FROM assignments");
  // One run to the end first: the kills below land within its duration, however fast
  // the machine, so that they catch the batch midway.
  auto started = std::chrono::steady_clock::now();
  REQUIRE(RunDuban({"update", "--from", o.dir + "/all.csv"}, o.dir,
                   {"DUBAN_DB=" + o.db, "DUBAN_TOKEN=" + o.token, "DUBAN_TODAY=2025-03-09"}).exit_code == 0);
  const auto whole = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  REQUIRE(o.Count("SELECT count(*) FROM reports") == rows);
  std::mt19937 rng(11);
  int killed_midway = 0;
  for (int round = 0; round < 8; ++round) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      std::string db = "DUBAN_DB=" + o.db, tok = "DUBAN_TOKEN=" + o.token, day = "DUBAN_TODAY=2025-03-1" + std::to_string(round);
      char* envp[] = {db.data(), tok.data(), day.data(), nullptr};
      std::string bin = DUBAN_BINARY, from = o.dir + "/all.csv";
      char* argv[] = {bin.data(), const_cast<char*>("update"), const_cast<char*>("--from"), from.data(), nullptr};
      int devnull = ::open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      execve(bin.c_str(), argv, envp);
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % std::max<int64_t>(1, whole.count())));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed_midway;
    int64_t reports = o.Count("SELECT count(*) FROM reports");
    INFO("round " << round << ": " << reports << " reports");
    CHECK(reports % rows == 0);
    auto audit = o.Run({"audit", "verify"}, "");
    CHECK(audit.exit_code == 0);
  }
  CHECK(killed_midway > 0);
}

TEST_CASE("CLI store: plan load takes several files, all or none", "[cli][store]") {
  Office office;  // holds plans/jiujiang.yaml
  auto run = [&](const std::vector<std::string>& args) { return office.Run(args); };
  const std::string plans = "SELECT count(*) FROM plans", revisions = "SELECT count(*) FROM plan_revisions";
  // A broken file among good ones: every file is checked, nothing is written.
  const std::string broken = SourcePath("tests/plans/broken/missing_units_file.yaml");
  auto refused = run({"plan", "load", SourcePath("plans/foshan.yaml"), broken, SourcePath("plans/xuzhou.yaml")});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("cannot read units file 'no-such-units.yaml'"));
  CHECK_THAT(refused.err, Catch::Contains("nothing was loaded"));
  CHECK(office.Count(plans) == 1);
  // The same plan twice: refused by the store, in one transaction.
  auto twice = run({"plan", "load", SourcePath("plans/foshan.yaml"), SourcePath("plans/foshan.yaml")});
  CHECK(twice.exit_code != 0);
  CHECK_THAT(twice.err, Catch::Contains("is given twice"));
  CHECK(office.Count(plans) == 1);
  CHECK(office.Count(revisions) == 1);

  auto loaded = run({"--json", "plan", "load", SourcePath("plans/foshan.yaml"), SourcePath("plans/jiujiang.yaml"),
                     SourcePath("plans/xuzhou.yaml")});
  REQUIRE(loaded.exit_code == 0);
  auto j = nlohmann::json::parse(loaded.out);
  CHECK(j["schema"] == "duban.loads/1");
  REQUIRE(j["loads"].size() == 3);
  CHECK(j["loads"][1]["plan"] == "jiujiang-2024");
  CHECK(j["loads"][1]["unchanged"] == true);  // already there: nothing written for it
  CHECK(j["loads"][0]["unchanged"] == false);
  CHECK(j["loads"][0]["assignments_added"].get<int>() > 0);
  CHECK(office.Count(plans) == 3);
  CHECK(office.Count(revisions) == 3);
  {  // each revision keeps its own file's text
    SQLite::Database raw(office.db, SQLite::OPEN_READONLY);
    CHECK(raw.execAndGet("SELECT source_text FROM plan_revisions WHERE plan_id = 'foshan-2022'").getString() ==
          *duban::ReadFile(SourcePath("plans/foshan.yaml"), 1 << 20));
  }
  // One file keeps the one-plan shape.
  auto one = nlohmann::json::parse(run({"--json", "plan", "load", SourcePath("plans/quzhou.yaml")}).out);
  CHECK(one["schema"] == "duban.load/1");
  CHECK(office.Count(plans) == 4);
}
