// duban status | remind
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "engine/remind.h"
#include "engine/status_render.h"

namespace duban::cli {
namespace {

// The store, the day, and every selected plan evaluated on it.
struct Evaluated {
  std::unique_ptr<Store> store;
  Clock clock;
  std::vector<PlanSnapshot> snapshots;
  std::vector<PlanStatus> plans;
};

Result<Evaluated> EvaluatePlans(const Globals& g, const std::string& plan, bool read_only) {
  Evaluated e;
  auto clock = MakeClock(g);
  if (!clock.ok()) return clock.status();
  e.clock = *clock;
  auto store = OpenStore(g, read_only);
  if (!store.ok()) return store.status();
  e.store = std::move(store.value());
  auto snaps = e.store->Snapshots(plan, e.clock.day);
  if (!snaps.ok()) return snaps.status();
  e.snapshots = std::move(snaps.value());
  for (const auto& s : e.snapshots) e.plans.push_back(Evaluate(s, e.clock.day, WorkCalendar::China()));
  return e;
}

}  // namespace

void RegisterSupervisionCommands(CLI::App& app, const Globals& g, int& exit_code) {
  struct StatusArgs { std::string plan, unit; };
  auto a = std::make_shared<StatusArgs>();
  CLI::App* status = app.add_subcommand("status", "the board: lights by task, unit and section, red items with reasons");
  status->add_option("--plan", a->plan, "plan id (default: every plan)");
  status->add_option("--unit", a->unit, "only this unit's assignments (id, name or alias)");
  status->callback([a, &g, &exit_code] {
    auto e = EvaluatePlans(g, a->plan, true);
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    StatusOptions o;
    o.lang = g.language();
    if (!a->unit.empty()) {
      auto unit = e->store->ResolveUnit(a->unit);
      if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
      o.unit = *unit;
    }
    std::cout << (g.json ? RenderStatusJson(e->plans, o) : RenderStatusText(e->plans, o));
  });

  struct RemindArgs { std::string plan, channel = "stdout"; bool dry = false; };
  auto r = std::make_shared<RemindArgs>();
  CLI::App* remind = app.add_subcommand(
      "remind", "send each unit its reminders, urges and notices, once (cron job); exit 0 nothing new, 1 sent, 5 a send failed");
  remind->add_option("--plan", r->plan, "plan id (default: every plan)");
  remind->add_option("--channel", r->channel,
                     "stdout | dir:PATH | command:CMD | webhook[:wecom|dingtalk|feishu|plain] (default stdout)");
  remind->add_flag("--dry-run", r->dry, "show what would be sent; send and record nothing");
  remind->callback([r, &g, &exit_code] {
    auto channel = ParseChannel(r->channel);
    if (!channel.ok()) { exit_code = Fail(channel.status()); return; }
    auto e = EvaluatePlans(g, r->plan, r->dry);
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    Actor actor;
    if (!r->dry) {
      auto who = Authenticate(*e->store, g);
      if (!who.ok()) { exit_code = Fail(who.status()); return; }
      actor = *who;
    }
    auto report = RunReminders(*e->store, actor, e->plans, *channel, r->channel, e->clock, WorkCalendar::China(),
                               g.language(), r->dry);
    if (!report.ok()) { exit_code = Fail(report.status()); return; }
    std::cout << report->stdout_text;
    const bool zh = g.language() == Lang::kZh;
    for (const auto& m : report->messages) {
      std::cerr << "duban: " << m.unit << " " << (zh ? EscalationLabelZh(m.level) : ToString(m.level)) << " "
                << m.new_items << "/" << m.items << (r->dry ? " (dry run)" : m.status.ok() ? " sent" : " FAILED: " + m.status.message())
                << "\n";
    }
    if (report->messages.empty()) {
      std::cerr << "duban: nothing new to send (" << report->units_with_items << " units have open items)\n";
      exit_code = kExitOk;
    } else {
      exit_code = report->any_failed() ? kExitSendFailed : kExitSent;
    }
  });
}

}  // namespace duban::cli
