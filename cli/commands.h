// The duban subcommands. Each Register* adds its subcommands to `app`; their callbacks
// make one engine call, print the rendered result and set `exit_code`.
#pragma once

namespace CLI {
class App;
}

namespace duban::cli {

void RegisterPlanCommands(CLI::App& app, int& exit_code);

}  // namespace duban::cli
