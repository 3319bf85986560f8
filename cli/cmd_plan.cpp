// duban plan check FILE... | duban plan show FILE [--unit U] [--json] [--lang zh|en]
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
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

  auto load_files = std::make_shared<std::vector<std::string>>();
  CLI::App* load = plan->add_subcommand(
      "load", "load checked plans into the store, each as a new revision, all or none (office only)");
  load->add_option("files", *load_files, "plan files")->required();
  load->callback([load_files, &g, &exit_code] {
    // Every file is checked before anything is written; plans sharing a units file
    // parse it once.
    UnitsFileCache units;
    std::vector<LoadResult> checked;
    std::vector<Store::PlanSource> sources;
    int worst = 0;
    for (const std::string& file : *load_files) {
      sources.push_back({nullptr, file, ""});
      LoadResult r = LoadPlanFile(file, &units, &sources.back().text);
      PrintDiagnostics(r);
      if (!r.plan) std::cerr << "duban: " << file << " has problems\n";
      worst = std::max(worst, r.exit_code());
      checked.push_back(std::move(r));
    }
    if (worst != 0) {
      std::cerr << "duban: nothing was loaded\n";
      exit_code = worst;
      return;
    }
    auto s = OpenForWriting(g);
    if (!s.ok()) { exit_code = Fail(s.status()); return; }
    for (size_t i = 0; i < checked.size(); ++i) sources[i].plan = &*checked[i].plan;
    auto reports = s->store->LoadPlans(s->actor, sources, s->clock);
    if (!reports.ok()) { exit_code = Fail(reports.status()); return; }
    if (g.json) {
      std::cout << (reports->size() == 1 ? RenderLoadJson(reports->front()) : RenderLoadsJson(*reports));
    } else {
      for (const LoadReport& r : *reports) std::cout << RenderLoadText(r, g.language());
    }
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
