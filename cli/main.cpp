// duban: 督办 — running government work plans from the command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"duban (督办): plans, assignments, progress reports and supervision"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "duban 0.1.0");
  int exit_code = 0;
  duban::cli::RegisterPlanCommands(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;  // usage errors are unusable input
  }
  return exit_code;
}
