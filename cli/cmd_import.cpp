// duban import FILE.txt [-o plan.yaml] [--units units.yaml]
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "engine/file_io.h"
#include "engine/importer.h"

namespace duban::cli {

void RegisterImportCommand(CLI::App& app, const Globals&, int& exit_code) {
  struct Args { std::string file, out, units; };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("import", "draft a plan file from a document's text; review what it flags, then load it");
  cmd->add_option("file", a->file, "the document as UTF-8 text")->required();
  cmd->add_option("-o,--output", a->out, "plan file to write (default stdout)");
  cmd->add_option("--units", a->units, "a units file to match names against");
  cmd->callback([a, &exit_code] {
    auto text = ReadFile(a->file, 4u << 20);
    if (!text.ok()) { std::cerr << "duban: " << a->file << ": " << text.status().message() << "\n"; exit_code = kExitUsage; return; }
    std::optional<LoadResult> registry;
    if (!a->units.empty()) {
      auto units_text = ReadFile(a->units, kMaxPlanBytes);
      if (!units_text.ok()) { std::cerr << "duban: " << a->units << ": " << units_text.status().message() << "\n"; exit_code = kExitUsage; return; }
      registry = LoadUnitsFile(a->units, std::move(units_text.value()));
      PrintDiagnostics(*registry);
      if (!registry->plan) { exit_code = registry->exit_code(); return; }
    }
    auto r = ImportPlan(*text, a->file, registry ? &*registry->plan : nullptr);
    if (!r.ok()) { std::cerr << "duban: " << r.status().message() << "\n"; exit_code = kExitUsage; return; }
    for (const auto& n : r->notes) std::cerr << "import: " << n << "\n";
    // The draft must pass the checker; say so if it does not.
    LoadResult check = LoadPlan(a->out.empty() ? "draft.yaml" : a->out, r->yaml, NoFileReader());
    PrintDiagnostics(check);
    if (a->out.empty()) {
      std::cout << r->yaml;
    } else {
      std::ofstream f(a->out, std::ios::binary | std::ios::trunc);
      f << r->yaml;
      f.close();
      if (!f) { exit_code = Fail(Status::IoError("cannot write " + a->out)); return; }
      std::cerr << "duban: wrote " << a->out << "\n";
    }
    exit_code = check.plan ? kExitOk : kExitRefused;
  });
}

}  // namespace duban::cli
