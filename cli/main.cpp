// duban: 督办 — running government work plans from the command line.
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"

namespace {

// A report over tens of thousands of assignments builds a few hundred megabytes of
// small objects, and on a virtual machine the fault taken on each 4 KiB page touched
// for the first time can cost as much as the work itself. The heap is grown in one
// large step and marked for transparent huge pages (honoured when the kernel's THP mode
// is "madvise" or "always", ignored otherwise); large blocks come from the heap and
// stay there for reuse instead of being mapped and unmapped each time. Untouched
// reserve costs nothing: resident memory grows only as pages are used.
void PrepareHeap() {
  constexpr size_t kReserve = size_t{256} << 20;
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, static_cast<int>(kReserve));
  auto* before = static_cast<char*>(sbrk(0));
  // More than the heap has left: it grows by this and the pad. (volatile: a block that
  // is never used may otherwise be optimised away with its malloc.)
  void* volatile probe = std::malloc(1 << 20);
  auto* after = static_cast<char*>(sbrk(0));
  std::free(probe);
  if (before == reinterpret_cast<char*>(-1) || after <= before) return;
  uintptr_t from = (reinterpret_cast<uintptr_t>(before) + kHuge - 1) & ~(kHuge - 1);
  uintptr_t to = reinterpret_cast<uintptr_t>(after) & ~(kHuge - 1);
  if (to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
}

}  // namespace

int main(int argc, char** argv) {
  PrepareHeap();
  CLI::App app{"duban (督办): plans, assignments, progress reports and supervision"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  app.set_version_flag("--version", "duban " DUBAN_VERSION);
  duban::cli::Globals g;
  app.add_option("--db", g.db, "the store (default: $DUBAN_DB, else ./duban.db)");
  app.add_option("--today", g.today, "the day to act as of, YYYY-MM-DD (default: $DUBAN_TODAY, else today)");
  app.add_option("--token-file", g.token_file, "read the credential from this file (default: $DUBAN_TOKEN)");
  app.add_flag("--json", g.json, "JSON output with a stable shape");
  app.add_option("--lang", g.lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  int exit_code = 0;
  duban::cli::RegisterPlanCommands(app, g, exit_code);
  duban::cli::RegisterStoreCommands(app, g, exit_code);
  duban::cli::RegisterReportingCommands(app, g, exit_code);
  duban::cli::RegisterReadingCommands(app, g, exit_code);
  duban::cli::RegisterSupervisionCommands(app, g, exit_code);
  duban::cli::RegisterReportCommands(app, g, exit_code);
  duban::cli::RegisterImportCommand(app, g, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return duban::cli::kExitUsage;
  }
  return exit_code;
}
