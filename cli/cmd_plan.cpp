// duban plan check FILE... | duban plan show FILE [--unit U] [--json] [--lang zh|en]
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "engine/file_io.h"
#include "engine/loader.h"
#include "engine/plan_render.h"

namespace duban::cli {
namespace {

LoadResult LoadPlanFile(const std::string& path) {
  auto text = ReadFile(path, kMaxPlanBytes);
  if (!text.ok()) {
    LoadResult r;
    r.unusable = true;
    r.diagnostics.Error(Location{std::make_shared<SourceFile>(SourceFile{path, ""}), 0, 0},
                        text.status().message());
    return r;
  }
  std::string dir = DirName(path);
  return LoadPlan(path, std::move(text.value()), [dir](const std::string& rel) {
    return ReadFile(rel.empty() || rel[0] == '/' ? rel : dir + rel, kMaxPlanBytes);
  });
}

void PrintDiagnostics(const LoadResult& r) {
  for (const Diagnostic& d : r.diagnostics.items()) std::cerr << FormatDiagnostic(d);
  if (r.diagnostics.dropped())
    std::cerr << "(" << r.diagnostics.dropped() << " more problems not shown)\n";
}

}  // namespace

void RegisterPlanCommands(CLI::App& app, int& exit_code) {
  CLI::App* plan = app.add_subcommand("plan", "check and show plan files");
  plan->require_subcommand(1);

  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* check = plan->add_subcommand(
      "check", "check plan files; exit 0 clean, 1 problems found, 2 unusable input");
  check->add_option("files", *files, "plan files")->required();
  check->callback([files, &exit_code] {
    for (const auto& f : *files) {
      LoadResult r = LoadPlanFile(f);
      PrintDiagnostics(r);
      if (r.plan) {
        std::cout << f << ": ok: " << r.plan->leaf_task_count() << " tasks, "
                  << r.plan->units.size() << " units, " << r.plan->indicators.size()
                  << " indicators, " << r.plan->assignments.size() << " assignments";
        if (r.diagnostics.warning_count()) std::cout << ", " << r.diagnostics.warning_count() << " warnings";
        std::cout << "\n";
      } else {
        size_t n = r.diagnostics.error_count();
        std::cout << f << ": " << n << (n == 1 ? " error" : " errors") << (r.unusable ? " (unusable input)" : "") << "\n";
      }
      exit_code = std::max(exit_code, r.exit_code());
    }
  });

  struct ShowArgs {
    std::string file, unit, lang = "zh";
    bool json = false;
  };
  auto a = std::make_shared<ShowArgs>();
  CLI::App* show = plan->add_subcommand("show", "show a plan's task tree and who answers for each task");
  show->add_option("file", a->file, "plan file")->required();
  show->add_option("--unit", a->unit, "only this unit's tasks (id, name or alias)");
  show->add_flag("--json", a->json, "JSON output (shape duban.plan/1)");
  show->add_option("--lang", a->lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  show->callback([a, &exit_code] {
    LoadResult r = LoadPlanFile(a->file);
    PrintDiagnostics(r);
    if (!r.plan) { exit_code = r.exit_code(); return; }
    PlanViewOptions o;
    o.lang = a->lang == "en" ? Lang::kEn : Lang::kZh;
    if (!a->unit.empty()) {
      auto id = r.plan->ResolveUnit(a->unit);
      if (!id.ok()) { std::cerr << "duban: " << id.status().message() << "\n"; exit_code = 1; return; }
      o.unit = *id;
    }
    std::cout << (a->json ? RenderPlanJson(*r.plan, o) : RenderPlanTree(*r.plan, o));
  });
}

}  // namespace duban::cli
