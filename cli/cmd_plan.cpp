// duban plan check FILE... | duban plan show FILE [--unit U] [--json] [--lang zh|en]
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "engine/file_io.h"
#include "engine/loader.h"
#include "engine/plan_render.h"
#include "engine/views.h"

namespace duban::cli {

void RegisterPlanCommands(CLI::App& app, const Globals& g, int& exit_code) {
  CLI::App* plan = app.add_subcommand("plan", "check, show, load and list plans");
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
    std::string file, unit;
  };
  auto a = std::make_shared<ShowArgs>();
  CLI::App* show = plan->add_subcommand("show", "show a plan's task tree and who answers for each task");
  show->add_option("file", a->file, "plan file")->required();
  show->add_option("--unit", a->unit, "only this unit's tasks (id, name or alias)");
  show->callback([a, &g, &exit_code] {
    LoadResult r = LoadPlanFile(a->file);
    PrintDiagnostics(r);
    if (!r.plan) { exit_code = r.exit_code(); return; }
    PlanViewOptions o;
    o.lang = g.language();
    if (!a->unit.empty()) {
      auto id = r.plan->ResolveUnit(a->unit);
      if (!id.ok()) { std::cerr << "duban: " << id.status().message() << "\n"; exit_code = 1; return; }
      o.unit = *id;
    }
    std::cout << (g.json ? RenderPlanJson(*r.plan, o) : RenderPlanTree(*r.plan, o));
  });

  auto load_file = std::make_shared<std::string>();
  CLI::App* load = plan->add_subcommand("load", "load a checked plan into the store as a new revision (office only)");
  load->add_option("file", *load_file, "plan file")->required();
  load->callback([load_file, &g, &exit_code] {
    LoadResult r = LoadPlanFile(*load_file);
    PrintDiagnostics(r);
    if (!r.plan) {
      std::cerr << "duban: " << *load_file << " has problems; nothing was loaded\n";
      exit_code = r.exit_code();
      return;
    }
    auto s = OpenForWriting(g);
    if (!s.ok()) { exit_code = Fail(s.status()); return; }
    auto text = ReadFile(*load_file, kMaxPlanBytes);
    auto report = s->store->LoadPlan(s->actor, *r.plan, *load_file, text.ok() ? *text : "", s->clock);
    if (!report.ok()) { exit_code = Fail(report.status()); return; }
    std::cout << (g.json ? RenderLoadJson(*report) : RenderLoadText(*report, g.language()));
  });

  CLI::App* list = plan->add_subcommand("list", "list the plans in the store and their revisions");
  list->callback([&g, &exit_code] {
    auto store = OpenStore(g, true);
    if (!store.ok()) { exit_code = Fail(store.status()); return; }
    auto plans = (*store)->ListPlans();
    if (!plans.ok()) { exit_code = Fail(plans.status()); return; }
    std::cout << (g.json ? RenderPlansJson(*plans) : RenderPlansText(*plans, g.language()));
  });
}

}  // namespace duban::cli
