// What every duban command shares: global options, the store, the clock, the
// credential, and how outcomes map to exit codes.
#pragma once

#include <memory>
#include <string>

#include "engine/loader.h"
#include "engine/plan_render.h"
#include "engine/status.h"
#include "engine/store.h"

namespace duban::cli {

/// Exit codes (documented in README.md):
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;       // invalid input, unknown name, not allowed, wrong state
inline constexpr int kExitUsage = 2;         // bad command line or unusable file
inline constexpr int kExitUnauthenticated = 3;  // no credential, or a wrong or revoked one
inline constexpr int kExitStore = 4;         // store or disk error: busy, full, read-only, damaged
inline constexpr int kExitSent = 1;          // remind: messages were sent
inline constexpr int kExitSendFailed = 5;    // remind: at least one delivery failed (retried next run)

struct Globals {
  std::string db;          // --db, else DUBAN_DB, else ./duban.db
  std::string today;       // --today, else DUBAN_TODAY, else the system date
  std::string token_file;  // --token-file, else DUBAN_TOKEN
  std::string lang = "zh";
  bool json = false;
  Lang language() const { return lang == "en" ? Lang::kEn : Lang::kZh; }
};

std::string DbPath(const Globals& g);
Result<Clock> MakeClock(const Globals& g);
Result<std::unique_ptr<Store>> OpenStore(const Globals& g, bool read_only);
/// The actor behind DUBAN_TOKEN or --token-file.
Result<Actor> Authenticate(Store& store, const Globals& g);

/// What a writing command needs before it calls the engine: the day, the store open
/// for writing, and the actor behind the credential.
struct Session {
  Clock clock;
  std::unique_ptr<Store> store;
  Actor actor;
};
Result<Session> OpenForWriting(const Globals& g);
/// The day and the store, with no credential read (the actor stays empty): what a
/// reading command needs, or a command that authenticates only on some paths.
Result<Session> OpenSession(const Globals& g, bool read_only);

int ExitCodeFor(const Status& s);
/// Prints "duban: MESSAGE" to stderr and returns the exit code for `s`.
int Fail(const Status& s);

/// Reads and checks a plan file as `duban plan check` does (units_file relative to it);
/// `source`, when given, receives the file's text as read.
LoadResult LoadPlanFile(const std::string& path, UnitsFileCache* units_cache = nullptr,
                        std::string* source = nullptr);
void PrintDiagnostics(const LoadResult& r);

}  // namespace duban::cli
