#include "cli/common.h"

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "engine/file_io.h"

namespace duban::cli {

std::string DbPath(const Globals& g) {
  if (!g.db.empty()) return g.db;
  if (const char* env = std::getenv("DUBAN_DB"); env && *env) return env;
  return "duban.db";
}

Result<Clock> MakeClock(const Globals& g) {
  std::string today = g.today;
  if (today.empty())
    if (const char* env = std::getenv("DUBAN_TODAY"); env && *env) today = env;
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  Clock c;
  c.now = stamp;
  if (today.empty()) {
    std::tm local{};
    localtime_r(&now, &local);
    c.day = *Date::FromCivil(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
    return c;
  }
  DateError err;
  auto d = ParseDate(today, &err);
  if (!d) {
    return Status::InvalidInput(err == DateError::kImpossible
                                    ? "--today '" + today + "' is not a real calendar date"
                                    : "--today must be a date written YYYY-MM-DD, got '" + today + "'");
  }
  c.day = *d;
  return c;
}

Result<std::unique_ptr<Store>> OpenStore(const Globals& g, bool read_only) {
  StoreOptions o;
  o.read_only = read_only;
  auto store = OpenSqliteStore(DbPath(g), o);
  if (!store.ok()) return Status::IoError(store.status().message());  // exit 4: no usable store
  return store;
}

Result<Actor> Authenticate(Store& store, const Globals& g) {
  std::string token;
  if (!g.token_file.empty()) {
    auto text = ReadFile(g.token_file, 4096);
    if (!text.ok()) return Status::Unauthenticated("cannot read the token file " + g.token_file + ": " + text.status().message());
    token = text.value();
  } else if (const char* env = std::getenv("DUBAN_TOKEN"); env) {
    token = env;
  }
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  return store.Authenticate(token);
}

Result<Session> OpenSession(const Globals& g, bool read_only) {
  auto clock = MakeClock(g);
  if (!clock.ok()) return clock.status();
  auto store = OpenStore(g, read_only);
  if (!store.ok()) return store.status();
  return Session{*clock, std::move(store.value()), Actor{}};
}

Result<Session> OpenForWriting(const Globals& g) {
  auto s = OpenSession(g, false);
  if (!s.ok()) return s.status();
  auto actor = Authenticate(*s->store, g);
  if (!actor.ok()) return actor.status();
  s->actor = *actor;
  return s;
}

int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kUnauthenticated: return kExitUnauthenticated;
    case Status::Code::kIoError:
    case Status::Code::kInternal: return kExitStore;
    default: return kExitRefused;
  }
}

int Fail(const Status& s) {
  std::cerr << "duban: " << s.message() << "\n";
  return ExitCodeFor(s);
}

LoadResult LoadPlanFile(const std::string& path, UnitsFileCache* units_cache, std::string* source) {
  auto text = ReadFile(path, kMaxPlanBytes);
  if (!text.ok()) {
    LoadResult r;
    r.unusable = true;
    r.diagnostics.Error(Location{std::make_shared<SourceFile>(SourceFile{path, ""}), 0, 0}, text.status().message());
    return r;
  }
  std::string dir = DirName(path);
  if (source) *source = *text;
  return LoadPlan(path, std::move(text.value()), [dir](const std::string& rel) {
    return ReadFile(rel.empty() || rel[0] == '/' ? rel : dir + rel, kMaxPlanBytes);
  }, units_cache);
}

void PrintDiagnostics(const LoadResult& r) {
  for (const Diagnostic& d : r.diagnostics.items()) std::cerr << FormatDiagnostic(d);
  if (r.diagnostics.dropped()) std::cerr << "(" << r.diagnostics.dropped() << " more problems not shown)\n";
}

}  // namespace duban::cli
