// duban: 督办 — running government work plans from the command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"

int main(int argc, char** argv) {
  CLI::App app{"duban (督办): plans, assignments, progress reports and supervision"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  app.set_version_flag("--version", "duban 0.1.0");
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
