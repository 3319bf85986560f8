#include "engine/notify.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace duban {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kAcceptedForms =
    "stdout, dir:PATH, command:CMD, webhook, webhook:wecom, webhook:dingtalk, webhook:feishu or "
    "webhook:plain";
constexpr size_t kMaxResponseBytes = 64 * 1024;
constexpr int kCommandTimeoutSeconds = 60;

// ---------------------------------------------------------------------------------------
// Shared text

// What stdout shows for one message; the dry run in remind.cpp renders it the same way.
std::string StdoutText(const Message& m) { return m.title + "\n\n" + m.text + "\n"; }

std::string ErrnoText(int err) { return std::strerror(err); }

// ---------------------------------------------------------------------------------------
// Directory channel

// The unit id becomes a file name: refuse anything that would leave TARGET/DAY.
bool IsSafeFileStem(std::string_view s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string_view::npos &&
         s.find('\0') == std::string_view::npos;
}

bool IsIsoDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(ErrnoText(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// Writes a temporary file beside the final one and renames it over, so that a reader
// never sees half a message and a crash leaves at most a hidden temp file.
Status DeliverToDirectory(const Message& m, const ChannelSpec& channel) {
  if (channel.target.empty()) return Status::InvalidInput("directory channel has no path");
  if (!IsSafeFileStem(m.unit))
    return Status::InvalidInput("unit id '" + m.unit + "' cannot be used as a file name");
  if (!IsIsoDay(m.day)) return Status::InvalidInput("day '" + m.day + "' is not YYYY-MM-DD");

  const std::string dir = channel.target + "/" + m.day;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create directory '" + dir + "': " + ec.message());

  const std::string path = dir + "/" + m.unit + ".txt";
  static std::atomic<unsigned> counter{0};
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = dir + "/." + m.unit + ".txt.tmp-" + std::to_string(::getpid()) + "-" +
          std::to_string(counter.fetch_add(1));
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) return Status::IoError("cannot create '" + tmp + "': " + ErrnoText(errno));
  }
  if (fd < 0) return Status::IoError("cannot create a temporary file in '" + dir + "'");

  Status s = WriteAll(fd, m.title + "\n\n" + m.text);
  if (s.ok() && ::fsync(fd) != 0) s = Status::IoError(ErrnoText(errno));
  if (::close(fd) != 0 && s.ok()) s = Status::IoError(ErrnoText(errno));
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return Status::IoError("cannot write '" + tmp + "': " + s.message());
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::IoError("cannot rename '" + tmp + "' to '" + path + "': " + ErrnoText(err));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Command channel

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Close(); }
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Blocks SIGPIPE in this thread while writing to a pipe whose reader may be gone, so that
// EPIPE comes back as an error instead of killing the process; a SIGPIPE raised meanwhile
// is taken off the pending set before the old mask returns. Other threads are untouched.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_set_);
    sigaddset(&pipe_set_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_set_, &old_mask_);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;
  ~SigpipeGuard() {
    if (!was_pending_) {
      struct timespec zero = {0, 0};
      while (sigtimedwait(&pipe_set_, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }

 private:
  sigset_t pipe_set_;
  sigset_t old_mask_;
  bool was_pending_ = false;
};

int MillisecondsUntil(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

// Writes `text` to the non-blocking pipe `fd` until done, the reader goes away (not an
// error: the command may ignore its input) or the deadline passes. Returns false only on
// the deadline; other write errors end the writing too and leave the verdict to the exit.
bool FeedStdin(int fd, std::string_view text, SteadyClock::time_point deadline) {
  SigpipeGuard guard;
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n >= 0) {
      text.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return true;  // EPIPE and the like
    int left = MillisecondsUntil(deadline);
    if (left == 0) return false;
    struct pollfd p = {fd, POLLOUT, 0};
    if (::poll(&p, 1, left) < 0 && errno != EINTR) return true;
  }
  return true;
}

// Waits for `pid` until the deadline. Returns true with its wait status once it ended.
bool WaitUntil(pid_t pid, SteadyClock::time_point deadline, int* wstatus, int* wait_errno) {
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    pid_t r = ::waitpid(pid, wstatus, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) {
      *wait_errno = errno;
      return true;
    }
    if (SteadyClock::now() >= deadline) return false;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

void KillAndReap(pid_t pid) {
  ::kill(-pid, SIGKILL);  // the command's process group: the shell and what it started
  ::kill(pid, SIGKILL);
  int ignored;
  while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
  }
}

std::vector<std::string> CommandEnvironment(const Message& m) {
  const std::pair<const char*, const std::string*> ours[] = {
      {"DUBAN_UNIT", &m.unit},   {"DUBAN_UNIT_NAME", &m.unit_name}, {"DUBAN_EMAIL", &m.email},
      {"DUBAN_TITLE", &m.title}, {"DUBAN_DAY", &m.day},
  };
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& [name, value] : ours) {
      std::string_view n(name);
      if (entry.size() > n.size() && entry.substr(0, n.size()) == n && entry[n.size()] == '=') replaced = true;
    }
    if (!replaced) env.emplace_back(entry);
  }
  for (const auto& [name, value] : ours) env.push_back(std::string(name) + "=" + *value);
  return env;
}

Status DeliverToCommand(const Message& m, const ChannelSpec& channel) {
  if (channel.target.empty()) return Status::InvalidInput("command channel has no command");

  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> env_strings = CommandEnvironment(m);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", command = channel.target;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Status::IoError("cannot start command: " + ErrnoText(errno));
  Fd read_end(fds[0]), write_end(fds[1]);

  pid_t pid = ::fork();
  if (pid < 0) return Status::IoError("cannot start command: " + ErrnoText(errno));
  if (pid == 0) {
    // Child: own process group (so a timeout kills the whole pipeline), the pipe as
    // stdin, default SIGPIPE and an empty signal mask whatever the parent had.
    ::setpgid(0, 0);
    if (read_end.get() == STDIN_FILENO) {
      ::fcntl(STDIN_FILENO, F_SETFD, 0);
    } else if (::dup2(read_end.get(), STDIN_FILENO) < 0) {
      ::_exit(127);
    }
    struct sigaction dfl;
    std::memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(SIGPIPE, &dfl, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(argv[0], argv, envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here, so that a kill before the child ran still finds the group
  read_end.Close();

  const auto deadline = SteadyClock::now() + std::chrono::seconds(kCommandTimeoutSeconds);
  const std::string timed_out =
      "command did not finish within " + std::to_string(kCommandTimeoutSeconds) + " s and was killed";
  int flags = ::fcntl(write_end.get(), F_GETFL);
  if (flags >= 0) ::fcntl(write_end.get(), F_SETFL, flags | O_NONBLOCK);
  bool fed = FeedStdin(write_end.get(), m.text, deadline);
  write_end.Close();  // end of input
  if (!fed) {
    KillAndReap(pid);
    return Status::IoError(timed_out);
  }

  int wstatus = 0, wait_errno = 0;
  if (!WaitUntil(pid, deadline, &wstatus, &wait_errno)) {
    KillAndReap(pid);
    return Status::IoError(timed_out);
  }
  if (wait_errno != 0) return Status::IoError("cannot wait for command: " + ErrnoText(wait_errno));
  if (WIFSIGNALED(wstatus))
    return Status::IoError("command killed by signal " + std::to_string(WTERMSIG(wstatus)));
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0)
    return Status::IoError("command exited with status " + std::to_string(WEXITSTATUS(wstatus)));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Webhook channel

// Robot URLs carry their secret in the query (企业微信 key=, 钉钉 access_token=, sign=):
// messages that end up in cron mail show the parameter names only.
std::string RedactUrl(const std::string& url) {
  std::string out = url;
  if (auto scheme = out.find("://"); scheme != std::string::npos) {
    size_t host = scheme + 3;
    size_t end = out.find_first_of("/?#", host);
    size_t at = out.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at != std::string::npos && at >= host) out.replace(host, at - host, "***");
  }
  auto hash = out.find('#');
  if (hash != std::string::npos) out.erase(hash);
  auto q = out.find('?');
  if (q == std::string::npos) return out;
  std::string redacted = out.substr(0, q + 1);
  std::string_view query(out);
  query.remove_prefix(q + 1);
  bool first = true;
  while (true) {
    auto amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    if (!first) redacted += '&';
    first = false;
    auto eq = param.find('=');
    redacted += eq == std::string_view::npos ? std::string(param) : std::string(param.substr(0, eq)) + "=***";
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return redacted;
}

// libcurl is opened when the first webhook is sent rather than linked: with the TLS,
// Kerberos and LDAP libraries it brings it would cost every command ~10 ms of start-up,
// and only `remind --channel webhook` needs it. The header still fixes the types.
struct CurlApi {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

// The loaded and initialised library, or why it is not there.
Result<const CurlApi*> Curl() {
  static std::once_flag once;
  static CurlApi api;
  static std::string error;
  std::call_once(once, [] {
    void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* why = dlerror();
      error = std::string("webhooks need libcurl (Debian package libcurl4): ") + (why ? why : "cannot load libcurl.so.4");
      return;
    }
    bool missing = false;
    auto load = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
      missing = missing || !fn;
    };
    load(api.global_init, "curl_global_init");
    load(api.easy_init, "curl_easy_init");
    load(api.easy_cleanup, "curl_easy_cleanup");
    load(api.easy_setopt, "curl_easy_setopt");
    load(api.easy_perform, "curl_easy_perform");
    load(api.easy_getinfo, "curl_easy_getinfo");
    load(api.easy_strerror, "curl_easy_strerror");
    load(api.slist_append, "curl_slist_append");
    load(api.slist_free_all, "curl_slist_free_all");
    if (missing) {
      error = "the libcurl.so.4 found lacks functions duban uses";
      return;
    }
    if (CURLcode rc = api.global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK)
      error = std::string("cannot initialise libcurl: ") + api.easy_strerror(rc);
  });
  if (!error.empty()) return Status::Internal(error);
  return &api;
}

size_t CaptureBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t n = size * count;
  if (body->size() < kMaxResponseBytes) body->append(data, std::min(n, kMaxResponseBytes - body->size()));
  return n;  // the rest is read and dropped: the answer's head is all that is checked
}

// The robot's own verdict in a 2xx answer: 企业微信 and 钉钉 say {"errcode":N,"errmsg":…},
// 飞书 says {"code":N,"msg":…}. An answer without the field is taken as accepted.
Status CheckRobotAnswer(const std::string& shown_url, const std::string& body, RobotFormat format) {
  const char* code_key = nullptr;
  const char* msg_key = nullptr;
  switch (format) {
    case RobotFormat::kWecom:
    case RobotFormat::kDingtalk:
      code_key = "errcode";
      msg_key = "errmsg";
      break;
    case RobotFormat::kFeishu:
      code_key = "code";
      msg_key = "msg";
      break;
    case RobotFormat::kPlain:
      return Status::Ok();
  }
  nlohmann::json answer = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object()) return Status::Ok();
  auto code = answer.find(code_key);
  if (code == answer.end() || !code->is_number_integer() || code->get<long long>() == 0) return Status::Ok();
  std::string message = "webhook " + shown_url + " answered " + code_key + " " + std::to_string(code->get<long long>());
  auto msg = answer.find(msg_key);
  if (msg != answer.end() && msg->is_string() && !msg->get<std::string>().empty())
    message += ": " + msg->get<std::string>();
  return Status::IoError(message);
}

Status DeliverToWebhook(const Message& m, const ChannelSpec& channel) {
  if (m.webhook.empty()) return Status::InvalidInput("unit '" + m.unit + "' has no webhook contact");
  if (channel.timeout_ms <= 0)
    return Status::InvalidInput("webhook timeout must be positive, got " + std::to_string(channel.timeout_ms) + " ms");
  const std::string shown_url = RedactUrl(m.webhook);
  const std::string payload = RobotPayload(m, channel.format);
  if (payload.empty()) return Status::InvalidInput("message to unit '" + m.unit + "' has no JSON body");

  auto loaded = Curl();
  if (!loaded.ok()) return loaded.status();
  const CurlApi& api = **loaded;
  auto easy_free = [&api](CURL* c) { api.easy_cleanup(c); };
  auto slist_free = [&api](curl_slist* l) { api.slist_free_all(l); };
  std::unique_ptr<CURL, decltype(easy_free)> curl(api.easy_init(), easy_free);
  if (!curl) return Status::Internal("cannot initialise libcurl");
  std::unique_ptr<curl_slist, decltype(slist_free)> headers(nullptr, slist_free);
  for (const char* h : {"Content-Type: application/json", "Expect:"}) {
    curl_slist* l = api.slist_append(headers.get(), h);
    if (!l) return Status::Internal("out of memory building the webhook request");
    headers.release();
    headers.reset(l);
  }
  std::string body;
  CURL* c = curl.get();
  api.easy_setopt(c, CURLOPT_URL, m.webhook.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  api.easy_setopt(c, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(c, CURLOPT_PROXY, "");  // no proxy taken from the environment
  api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  api.easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(channel.timeout_ms));
  api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(channel.timeout_ms));
  api.easy_setopt(c, CURLOPT_USERAGENT, "duban");
  api.easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  api.easy_setopt(c, CURLOPT_POST, 1L);
  api.easy_setopt(c, CURLOPT_POSTFIELDS, payload.data());
  api.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  api.easy_setopt(c, CURLOPT_WRITEFUNCTION, &CaptureBody);
  api.easy_setopt(c, CURLOPT_WRITEDATA, &body);

  if (CURLcode rc = api.easy_perform(c); rc != CURLE_OK)
    return Status::IoError("webhook " + shown_url + ": " + api.easy_strerror(rc));
  long http = 0;
  api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
  if (http < 200 || http > 299)
    return Status::IoError("webhook " + shown_url + " answered HTTP " + std::to_string(http));
  return CheckRobotAnswer(shown_url, body, channel.format);
}

}  // namespace

Result<ChannelSpec> ParseChannel(std::string_view spec) {
  ChannelSpec c;
  auto rest_after = [&](std::string_view prefix, std::string_view* rest) {
    if (spec.substr(0, prefix.size()) != prefix) return false;
    *rest = spec.substr(prefix.size());
    return true;
  };
  std::string_view rest;
  if (spec == "stdout") {
    c.kind = ChannelKind::kStdout;
    return c;
  }
  if (spec == "webhook") {
    c.kind = ChannelKind::kWebhook;
    c.format = RobotFormat::kWecom;
    return c;
  }
  if (rest_after("dir:", &rest) && !rest.empty()) {
    c.kind = ChannelKind::kDirectory;
    c.target = std::string(rest);
    return c;
  }
  if (rest_after("command:", &rest) && !rest.empty()) {
    c.kind = ChannelKind::kCommand;
    c.target = std::string(rest);
    return c;
  }
  if (rest_after("webhook:", &rest)) {
    c.kind = ChannelKind::kWebhook;
    if (rest == "wecom") c.format = RobotFormat::kWecom;
    else if (rest == "dingtalk") c.format = RobotFormat::kDingtalk;
    else if (rest == "feishu") c.format = RobotFormat::kFeishu;
    else if (rest == "plain") c.format = RobotFormat::kPlain;
    else
      return Status::InvalidInput("unknown robot format '" + std::string(rest) + "' in channel '" +
                                  std::string(spec) + "'; use " + kAcceptedForms);
    return c;
  }
  if (spec == "dir:") return Status::InvalidInput(std::string("channel 'dir:' needs a path; use ") + kAcceptedForms);
  if (spec == "command:")
    return Status::InvalidInput(std::string("channel 'command:' needs a command; use ") + kAcceptedForms);
  return Status::InvalidInput("unknown channel '" + std::string(spec) + "'; use " + kAcceptedForms);
}

std::string RobotPayload(const Message& m, RobotFormat format) {
  // ordered_json keeps the keys in the order the robots' documentation shows them.
  using nlohmann::ordered_json;
  const std::string full = m.title + "\n\n" + m.text;
  ordered_json j;
  switch (format) {
    case RobotFormat::kWecom:
      j = {{"msgtype", "markdown"}, {"markdown", {{"content", full}}}};
      break;
    case RobotFormat::kDingtalk:
      j = {{"msgtype", "markdown"}, {"markdown", {{"title", m.title}, {"text", full}}}};
      break;
    case RobotFormat::kFeishu:
      j = {{"msg_type", "text"}, {"content", {{"text", full}}}};
      break;
    case RobotFormat::kPlain:
      return m.json;
  }
  // Invalid UTF-8 becomes U+FFFD rather than an exception.
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

Status Deliver(const Message& m, const ChannelSpec& channel, std::string* stdout_text) {
  try {
    switch (channel.kind) {
      case ChannelKind::kStdout:
        if (!stdout_text) return Status::Internal("stdout channel given no output string");
        *stdout_text += StdoutText(m);
        return Status::Ok();
      case ChannelKind::kDirectory:
        return DeliverToDirectory(m, channel);
      case ChannelKind::kCommand:
        return DeliverToCommand(m, channel);
      case ChannelKind::kWebhook:
        return DeliverToWebhook(m, channel);
    }
    return Status::Internal("unknown channel kind");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("delivery failed: ") + e.what());
  }
}

}  // namespace duban
