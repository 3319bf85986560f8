#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/notify.h"
#include "tests/http_server.h"

using namespace duban;
namespace fs = std::filesystem;
using nlohmann::json;
using duban::test::HttpRequest;
using duban::test::ServerOptions;
using duban::test::TestHttpServer;

namespace {

// ---------------------------------------------------------------------------------------

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "duban-notify-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::set<std::string> Entries(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

const std::string kTitle = "【督办提醒】九江市工作方案 2025-03-10";
const std::string kText = "市科技局：\n请于 2025-03-17 前报送《\"十四五\"规划》任务进展。\n——市政府督查室\n";
const std::string kJson = R"({"schema":"duban.reminder/1","day":"2025-03-10","unit":"jj-sti","unit_name":"市科技局"})";
// TITLE\n\nTEXT as a JSON string's contents.
const std::string kFullEscaped =
    R"(【督办提醒】九江市工作方案 2025-03-10\n\n市科技局：\n请于 2025-03-17 前报送《\"十四五\"规划》任务进展。\n——市政府督查室\n)";
const std::string kWecomBody = R"({"msgtype":"markdown","markdown":{"content":")" + kFullEscaped + R"("}})";
const std::string kDingtalkBody =
    R"({"msgtype":"markdown","markdown":{"title":"【督办提醒】九江市工作方案 2025-03-10","text":")" + kFullEscaped +
    R"("}})";
const std::string kFeishuBody = R"({"msg_type":"text","content":{"text":")" + kFullEscaped + R"("}})";
const std::string kAccepted =
    "stdout, dir:PATH, command:CMD, webhook, webhook:wecom, webhook:dingtalk, webhook:feishu or webhook:plain";

Message Sample(const std::string& webhook = "") {
  Message m;
  m.unit = "jj-sti";
  m.unit_name = "市科技局";
  m.email = "kjj@jiujiang.gov.cn";
  m.webhook = webhook;
  m.title = kTitle;
  m.text = kText;
  m.json = kJson;
  m.day = "2025-03-10";
  return m;
}

ChannelSpec Webhook(RobotFormat format, int timeout_ms = 5000) {
  ChannelSpec c;
  c.kind = ChannelKind::kWebhook;
  c.format = format;
  c.timeout_ms = timeout_ms;
  return c;
}

ChannelSpec Command(const std::string& cmd) {
  ChannelSpec c;
  c.kind = ChannelKind::kCommand;
  c.target = cmd;
  return c;
}

ChannelSpec Directory(const std::string& path) {
  ChannelSpec c;
  c.kind = ChannelKind::kDirectory;
  c.target = path;
  return c;
}

bool SigpipePending() {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// ParseChannel

TEST_CASE("Notify: ParseChannel accepts every form", "[notify]") {
  struct Case {
    std::string spec;
    ChannelKind kind;
    std::string target;
    RobotFormat format;
  };
  const Case cases[] = {
      {"stdout", ChannelKind::kStdout, "", RobotFormat::kWecom},
      {"dir:/var/lib/duban/out", ChannelKind::kDirectory, "/var/lib/duban/out", RobotFormat::kWecom},
      {"dir:reminders", ChannelKind::kDirectory, "reminders", RobotFormat::kWecom},
      {"command:mail -s \"$DUBAN_TITLE\" \"$DUBAN_EMAIL\"", ChannelKind::kCommand,
       "mail -s \"$DUBAN_TITLE\" \"$DUBAN_EMAIL\"", RobotFormat::kWecom},
      {"webhook", ChannelKind::kWebhook, "", RobotFormat::kWecom},
      {"webhook:wecom", ChannelKind::kWebhook, "", RobotFormat::kWecom},
      {"webhook:dingtalk", ChannelKind::kWebhook, "", RobotFormat::kDingtalk},
      {"webhook:feishu", ChannelKind::kWebhook, "", RobotFormat::kFeishu},
      {"webhook:plain", ChannelKind::kWebhook, "", RobotFormat::kPlain},
  };
  for (const Case& c : cases) {
    CAPTURE(c.spec);
    auto r = ParseChannel(c.spec);
    REQUIRE(r.ok());
    CHECK(r->kind == c.kind);
    CHECK(r->target == c.target);
    CHECK(r->format == c.format);
    CHECK(r->timeout_ms == 10000);
  }
}

TEST_CASE("Notify: ParseChannel rejects other forms and lists the accepted ones", "[notify]") {
  const std::pair<std::string, std::string> cases[] = {
      {"email", "unknown channel 'email'; use " + kAccepted},
      {"", "unknown channel ''; use " + kAccepted},
      {"STDOUT", "unknown channel 'STDOUT'; use " + kAccepted},
      {"webhook:slack", "unknown robot format 'slack' in channel 'webhook:slack'; use " + kAccepted},
      {"webhook:", "unknown robot format '' in channel 'webhook:'; use " + kAccepted},
      {"dir:", "channel 'dir:' needs a path; use " + kAccepted},
      {"command:", "channel 'command:' needs a command; use " + kAccepted},
  };
  for (const auto& [spec, message] : cases) {
    CAPTURE(spec);
    auto r = ParseChannel(spec);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidInput);
    CHECK(r.status().message() == message);
  }
}

// ---------------------------------------------------------------------------------------
// RobotPayload

TEST_CASE("Notify: RobotPayload for 企业微信 is a markdown message", "[notify]") {
  std::string body = RobotPayload(Sample(), RobotFormat::kWecom);
  json j = json::parse(body);
  CHECK(j.size() == 2);
  CHECK(j["msgtype"] == "markdown");
  CHECK(j["markdown"].size() == 1);
  CHECK(j["markdown"]["content"] == kTitle + "\n\n" + kText);
  CHECK(body == kWecomBody);
}

TEST_CASE("Notify: RobotPayload for 钉钉 is a markdown message with a title", "[notify]") {
  std::string body = RobotPayload(Sample(), RobotFormat::kDingtalk);
  json j = json::parse(body);
  CHECK(j.size() == 2);
  CHECK(j["msgtype"] == "markdown");
  CHECK(j["markdown"].size() == 2);
  CHECK(j["markdown"]["title"] == kTitle);
  CHECK(j["markdown"]["text"] == kTitle + "\n\n" + kText);
  CHECK(body == kDingtalkBody);
}

TEST_CASE("Notify: RobotPayload for 飞书 is a text message", "[notify]") {
  std::string body = RobotPayload(Sample(), RobotFormat::kFeishu);
  json j = json::parse(body);
  CHECK(j.size() == 2);
  CHECK(j["msg_type"] == "text");
  CHECK(j["content"].size() == 1);
  CHECK(j["content"]["text"] == kTitle + "\n\n" + kText);
  CHECK(body == kFeishuBody);
}

TEST_CASE("Notify: RobotPayload plain is the reminder JSON itself", "[notify]") {
  std::string body = RobotPayload(Sample(), RobotFormat::kPlain);
  CHECK(body == kJson);
  json j = json::parse(body);
  CHECK(j["schema"] == "duban.reminder/1");
  CHECK(j["unit_name"] == "市科技局");
}

TEST_CASE("Notify: RobotPayload replaces invalid UTF-8 instead of throwing", "[notify]") {
  Message m = Sample();
  m.title = "bad \xff byte";
  m.text = "";
  CHECK(RobotPayload(m, RobotFormat::kWecom) == R"({"msgtype":"markdown","markdown":{"content":"bad )"
                                                 "\xEF\xBF\xBD"
                                                 R"( byte\n\n"}})");
}

// ---------------------------------------------------------------------------------------
// Webhook

TEST_CASE("Notify: webhook posts each robot's JSON to the unit's URL", "[notify]") {
  struct Case {
    RobotFormat format;
    std::string path;
    std::string answer;
    std::string body;
  };
  const Case cases[] = {
      {RobotFormat::kWecom, "/cgi-bin/webhook/send", R"({"errcode":0,"errmsg":"ok"})", kWecomBody},
      {RobotFormat::kDingtalk, "/robot/send", R"({"errcode":0,"errmsg":"ok"})", kDingtalkBody},
      {RobotFormat::kFeishu, "/open-apis/bot/v2/hook/abc",
       R"({"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"})", kFeishuBody},
      {RobotFormat::kPlain, "/duban/inbox", "ok", kJson},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    TestHttpServer server({200, c.answer});
    Status s = Deliver(Sample(server.Url(c.path)), Webhook(c.format), nullptr);
    CHECK(s.ToString() == "OK");
    auto requests = server.Requests();
    REQUIRE(requests.size() == 1);
    const HttpRequest& r = requests[0];
    CHECK(r.method == "POST");
    CHECK(r.path == c.path);
    CHECK(r.headers.at("content-type") == "application/json");
    CHECK(r.headers.count("expect") == 0);
    CHECK(r.headers.at("user-agent") == "duban");
    CHECK(r.body == c.body);
  }
}

TEST_CASE("Notify: webhook answering HTTP 500 is a failure", "[notify]") {
  TestHttpServer server({500, "oops"});
  Status s = Deliver(Sample(server.Url("/x")), Webhook(RobotFormat::kWecom), nullptr);
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "webhook " + server.Url("/x") + " answered HTTP 500");
}

TEST_CASE("Notify: 企业微信 errcode is a failure with its errmsg", "[notify]") {
  TestHttpServer server({200, R"({"errcode":93000,"errmsg":"invalid webhook url"})"});
  Status s = Deliver(Sample(server.Url("/x")), Webhook(RobotFormat::kWecom), nullptr);
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "webhook " + server.Url("/x") + " answered errcode 93000: invalid webhook url");
}

TEST_CASE("Notify: 钉钉 errcode is a failure with its errmsg", "[notify]") {
  TestHttpServer server({200, R"({"errcode":310000,"errmsg":"keywords not in content"})"});
  Status s = Deliver(Sample(server.Url("/robot/send")), Webhook(RobotFormat::kDingtalk), nullptr);
  CHECK(s.message() == "webhook " + server.Url("/robot/send") + " answered errcode 310000: keywords not in content");
}

TEST_CASE("Notify: 飞书 code is a failure with its msg", "[notify]") {
  TestHttpServer server(
      {200, R"({"code":19001,"data":{},"msg":"param invalid: incoming webhook access token invalid"})"});
  Status s = Deliver(Sample(server.Url("/hook/t")), Webhook(RobotFormat::kFeishu), nullptr);
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "webhook " + server.Url("/hook/t") +
                           " answered code 19001: param invalid: incoming webhook access token invalid");
}

TEST_CASE("Notify: a webhook that never answers times out", "[notify]") {
  ServerOptions silent;
  silent.answer = false;
  TestHttpServer server(silent);
  auto start = std::chrono::steady_clock::now();
  Status s = Deliver(Sample(server.Url("/slow")), Webhook(RobotFormat::kWecom, 300), nullptr);
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "webhook " + server.Url("/slow") + ": Timeout was reached");
  CHECK(elapsed < std::chrono::seconds(3));
  CHECK(server.Requests().size() == 1);
}

TEST_CASE("Notify: a webhook nobody listens on cannot be reached", "[notify]") {
  int port;
  {
    TestHttpServer server({200, "", true, 0});  // serves nothing; its port is free afterwards
    port = server.port();
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  Status s = Deliver(Sample(url), Webhook(RobotFormat::kWecom), nullptr);
  CHECK(s.message() == "webhook " + url + ": Couldn't connect to server");
}

TEST_CASE("Notify: webhook errors hide the URL's secret parameters", "[notify]") {
  TestHttpServer server({500, ""});
  Status s = Deliver(Sample(server.Url("/cgi-bin/webhook/send?key=secret-123&debug")), Webhook(RobotFormat::kWecom),
                     nullptr);
  CHECK(s.message() == "webhook " + server.Url("/cgi-bin/webhook/send?key=***&debug") + " answered HTTP 500");
  REQUIRE(server.Requests().size() == 1);
  CHECK(server.Requests()[0].path == "/cgi-bin/webhook/send?key=secret-123&debug");
}

TEST_CASE("Notify: webhook takes only http and https URLs", "[notify]") {
  Status s = Deliver(Sample("file:///etc/passwd"), Webhook(RobotFormat::kWecom), nullptr);
  CHECK(s.message() == "webhook file:///etc/passwd: Unsupported protocol");
}

TEST_CASE("Notify: a unit without a webhook contact is an error", "[notify]") {
  Status s = Deliver(Sample(""), Webhook(RobotFormat::kWecom), nullptr);
  CHECK(s.code() == Status::Code::kInvalidInput);
  CHECK(s.message() == "unit 'jj-sti' has no webhook contact");
}

TEST_CASE("Notify: a webhook timeout must be positive", "[notify]") {
  Status s = Deliver(Sample("http://127.0.0.1:9/x"), Webhook(RobotFormat::kWecom, 0), nullptr);
  CHECK(s.code() == Status::Code::kInvalidInput);
  CHECK(s.message() == "webhook timeout must be positive, got 0 ms");
}

TEST_CASE("Notify: a plain webhook needs the message's JSON", "[notify]") {
  Message m = Sample("http://127.0.0.1:9/x");
  m.json.clear();
  Status s = Deliver(m, Webhook(RobotFormat::kPlain), nullptr);
  CHECK(s.message() == "message to unit 'jj-sti' has no JSON body");
}

// ---------------------------------------------------------------------------------------
// Directory

TEST_CASE("Notify: directory channel writes DAY/UNIT.txt atomically", "[notify]") {
  ScratchDir tmp;
  const std::string target = tmp.path() + "/out/reminders";  // created as needed
  REQUIRE(Deliver(Sample(), Directory(target), nullptr).ToString() == "OK");
  const std::string day_dir = target + "/2025-03-10";
  CHECK(ReadText(day_dir + "/jj-sti.txt") == kTitle + "\n\n" + kText);
  CHECK(Entries(day_dir) == std::set<std::string>{"jj-sti.txt"});

  Message again = Sample();
  again.text = "第二次提醒。\n";
  REQUIRE(Deliver(again, Directory(target), nullptr).ToString() == "OK");
  CHECK(ReadText(day_dir + "/jj-sti.txt") == kTitle + "\n\n第二次提醒。\n");
  CHECK(Entries(day_dir) == std::set<std::string>{"jj-sti.txt"});
}

TEST_CASE("Notify: directory channel refuses names that leave the directory", "[notify]") {
  ScratchDir tmp;
  Message m = Sample();
  m.unit = "../escape";
  Status s = Deliver(m, Directory(tmp.path()), nullptr);
  CHECK(s.code() == Status::Code::kInvalidInput);
  CHECK(s.message() == "unit id '../escape' cannot be used as a file name");

  m = Sample();
  m.day = "../../etc";
  CHECK(Deliver(m, Directory(tmp.path()), nullptr).message() == "day '../../etc' is not YYYY-MM-DD");
  CHECK(Entries(tmp.path()).empty());
}

TEST_CASE("Notify: directory channel reports a path it cannot create", "[notify]") {
  ScratchDir tmp;
  const std::string file = tmp.path() + "/plain-file";
  std::ofstream(file) << "x";
  Status s = Deliver(Sample(), Directory(file), nullptr);
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "cannot create directory '" + file + "/2025-03-10': Not a directory");
}

// ---------------------------------------------------------------------------------------
// Command

TEST_CASE("Notify: command channel gets the text on stdin and the unit in its environment", "[notify]") {
  ScratchDir tmp;
  const std::string in = tmp.path() + "/stdin.txt", env = tmp.path() + "/env.txt";
  ::setenv("DUBAN_UNIT", "stale", 1);         // replaced, not repeated
  ::setenv("DUBAN_PARENT_VAR", "kept", 1);  // the parent's environment is passed on
  Status s = Deliver(Sample(), Command("cat > '" + in + "'; env | grep ^DUBAN_ | LC_ALL=C sort > '" + env + "'"),
                     nullptr);
  ::unsetenv("DUBAN_UNIT");
  ::unsetenv("DUBAN_PARENT_VAR");
  CHECK(s.ToString() == "OK");
  CHECK(ReadText(in) == kText);
  CHECK(ReadText(env) ==
        "DUBAN_DAY=2025-03-10\n"
        "DUBAN_EMAIL=kjj@jiujiang.gov.cn\n"
        "DUBAN_PARENT_VAR=kept\n"
        "DUBAN_TITLE=" + kTitle + "\n"
        "DUBAN_UNIT=jj-sti\n"
        "DUBAN_UNIT_NAME=市科技局\n");
}

TEST_CASE("Notify: command channel reports a failing command", "[notify]") {
  Status s = Deliver(Sample(), Command("exit 3"), nullptr);
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "command exited with status 3");
  CHECK(Deliver(Sample(), Command("duban-no-such-command 2>/dev/null"), nullptr).message() ==
        "command exited with status 127");
}

TEST_CASE("Notify: command channel reports a command killed by a signal", "[notify]") {
  Status s = Deliver(Sample(), Command("kill -9 $$"), nullptr);
  CHECK(s.code() == Status::Code::kIoError);
  CHECK(s.message() == "command killed by signal 9");
}

TEST_CASE("Notify: command that ignores a large stdin does not break the sender", "[notify]") {
  Message m = Sample();
  m.text = std::string(8 << 20, 'x');  // far more than a pipe holds
  CHECK(Deliver(m, Command("true"), nullptr).ToString() == "OK");
  CHECK_FALSE(SigpipePending());
  CHECK(Deliver(m, Command("exit 4"), nullptr).message() == "command exited with status 4");
  CHECK_FALSE(SigpipePending());
}

TEST_CASE("Notify: command channel writes all of a large text", "[notify]") {
  ScratchDir tmp;
  Message m = Sample();
  m.text = std::string(8 << 20, 'x');
  CHECK(Deliver(m, Command("wc -c > '" + tmp.path() + "/count'"), nullptr).ToString() == "OK");
  CHECK(ReadText(tmp.path() + "/count") == "8388608\n");
}

// ---------------------------------------------------------------------------------------
// Stdout

TEST_CASE("Notify: stdout channel appends title, blank line and text", "[notify]") {
  std::string out = "before\n";
  Message a = Sample(), b = Sample();
  a.title = "T1";
  a.text = "第一条\n";
  b.title = "T2";
  b.text = "second";
  CHECK(Deliver(a, ChannelSpec{}, &out).ToString() == "OK");
  CHECK(Deliver(b, ChannelSpec{}, &out).ToString() == "OK");
  CHECK(out == "before\nT1\n\n第一条\n\nT2\n\nsecond\n");
}

TEST_CASE("Notify: stdout channel needs somewhere to write", "[notify]") {
  Status s = Deliver(Sample(), ChannelSpec{}, nullptr);
  CHECK(s.code() == Status::Code::kInternal);
  CHECK(s.message() == "stdout channel given no output string");
}
