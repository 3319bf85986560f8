// duban tasks | show | my
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "engine/views.h"

namespace duban::cli {

void RegisterReadingCommands(CLI::App& app, const Globals& g, int& exit_code) {
  struct TasksArgs { std::string plan, unit, status; bool overdue = false, open = false; };
  auto a = std::make_shared<TasksArgs>();
  CLI::App* tasks = app.add_subcommand("tasks", "list assignments, filtered");
  tasks->add_option("--plan", a->plan, "plan id");
  tasks->add_option("--unit", a->unit, "unit id, name or alias");
  tasks->add_option("--status", a->status, "not_started | in_progress | blocked | done | closed")
      ->check(CLI::IsMember({"not_started", "in_progress", "blocked", "done", "closed"}));
  tasks->add_flag("--open", a->open, "only assignments not closed");
  tasks->add_flag("--overdue", a->overdue, "only open assignments due before today (--today)");
  tasks->callback([a, &g, &exit_code] {
    auto store = OpenStore(g, true);
    if (!store.ok()) { exit_code = Fail(store.status()); return; }
    AssignmentFilter f;
    f.plan = a->plan;
    if (!a->unit.empty()) {
      auto unit = (*store)->ResolveUnit(a->unit);
      if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
      f.unit = *unit;
    }
    if (!a->status.empty()) f.status = ParseAssignmentStatus(a->status);
    f.open_only = a->open || a->overdue;
    if (a->overdue) {
      auto clock = MakeClock(g);
      if (!clock.ok()) { exit_code = Fail(clock.status()); return; }
      f.due_on_or_before = clock->day - 1;
    }
    if (g.json) {  // written as read: a province's export is a hundred thousand rows
      std::string chunk = AssignmentsJsonHead();
      bool any = false;
      Status s = (*store)->EachAssignment(f, [&](const AssignmentView& row) {
        chunk += AssignmentsJsonRow(row, !any);
        any = true;
        if (chunk.size() >= (1u << 16)) {
          std::cout << chunk;
          chunk.clear();
        }
      });
      if (!s.ok()) {  // what was written stays cut short; the exit code says so
        exit_code = Fail(s);
        return;
      }
      std::cout << chunk << AssignmentsJsonTail(any);
      return;
    }
    auto rows = (*store)->Assignments(f);
    if (!rows.ok()) { exit_code = Fail(rows.status()); return; }
    std::cout << RenderAssignmentsText(*rows, g.language());
  });

  struct ShowArgs { std::string task, plan; };
  auto s = std::make_shared<ShowArgs>();
  CLI::App* show = app.add_subcommand("show", "a task: text, owners, dependencies, evidence and its whole history");
  show->add_option("task", s->task, "task id")->required();
  show->add_option("--plan", s->plan, "plan id");
  show->callback([s, &g, &exit_code] {
    auto store = OpenStore(g, true);
    if (!store.ok()) { exit_code = Fail(store.status()); return; }
    auto t = (*store)->Task(s->plan, s->task);
    if (!t.ok()) { exit_code = Fail(t.status()); return; }
    std::cout << (g.json ? RenderTaskJson(*t) : RenderTaskText(*t, g.language()));
  });

  auto as = std::make_shared<std::string>();
  CLI::App* my = app.add_subcommand("my", "a unit's inbox: its open assignments and their state");
  my->add_option("--as", *as, "unit id, name or alias (default: the credential's unit)");
  my->callback([as, &g, &exit_code] {
    auto store = OpenStore(g, true);
    if (!store.ok()) { exit_code = Fail(store.status()); return; }
    std::string who = *as;
    if (who.empty()) {
      auto actor = Authenticate(**store, g);
      if (!actor.ok()) { exit_code = Fail(Status::InvalidInput("give --as UNIT (or set DUBAN_TOKEN)")); return; }
      if (actor->is_admin()) { exit_code = Fail(Status::InvalidInput("the office has no inbox: give --as UNIT")); return; }
      who = actor->unit;
    }
    auto unit = (*store)->ResolveUnit(who);
    if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
    AssignmentFilter f;
    f.unit = *unit;
    f.open_only = true;
    auto rows = (*store)->Assignments(f);
    if (!rows.ok()) { exit_code = Fail(rows.status()); return; }
    std::cout << (g.json ? RenderAssignmentsJson(*rows) : RenderAssignmentsText(*rows, g.language()));
  });
}

}  // namespace duban::cli
