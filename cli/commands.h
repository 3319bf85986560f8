// The duban subcommands. Each Register* adds its subcommands to `app`; their callbacks
// make the engine calls, print the rendered result and set `exit_code` (see common.h).
#pragma once

namespace CLI {
class App;
}

namespace duban::cli {

struct Globals;

void RegisterPlanCommands(CLI::App& app, const Globals& g, int& exit_code);    // plan check|show|load|list
void RegisterStoreCommands(CLI::App& app, const Globals& g, int& exit_code);   // init, auth, audit
void RegisterReportingCommands(CLI::App& app, const Globals& g, int& exit_code);  // update, accept, reject, indicator, template
void RegisterReadingCommands(CLI::App& app, const Globals& g, int& exit_code);   // tasks, show, my
void RegisterSupervisionCommands(CLI::App& app, const Globals& g, int& exit_code);  // status, remind
void RegisterReportCommands(CLI::App& app, const Globals& g, int& exit_code);  // report, export, graph
void RegisterImportCommand(CLI::App& app, const Globals& g, int& exit_code);   // import

}  // namespace duban::cli
