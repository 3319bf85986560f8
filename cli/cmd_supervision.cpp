// duban status | remind
#include <CLI/CLI.hpp>
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "engine/board.h"
#include "engine/remind.h"
#include "engine/status_render.h"

namespace duban::cli {
namespace {

// The store and the day, and the plans to evaluate on it: one, or every plan loaded.
struct Board {
  std::unique_ptr<Store> store;
  Clock clock;
  std::vector<std::string> plans;
};

Result<Board> OpenBoard(const Globals& g, const std::string& plan, bool read_only) {
  Board b;
  auto session = OpenSession(g, read_only);
  if (!session.ok()) return session.status();
  b.clock = session->clock;
  b.store = std::move(session->store);
  if (!plan.empty()) {
    b.plans.push_back(plan);
  } else {
    auto all = b.store->PlanIds();
    if (!all.ok()) return all.status();
    b.plans = std::move(all.value());
  }
  return b;
}

// Evaluates the board's plans, handing each status to `use` in turn: a province store
// holds hundreds of plans, evaluated on every core, and only a few are in memory at once.
// $DUBAN_JOBS, when set to a number from 1, caps the threads (1: none besides the main one).
Result<unsigned> Workers() {
  const char* env = std::getenv("DUBAN_JOBS");
  if (!env || !*env) return EvaluationWorkers();
  char* end = nullptr;
  unsigned long n = std::strtoul(env, &end, 10);
  if (*end != '\0' || n < 1 || n > 256) return Status::InvalidInput("DUBAN_JOBS must be a number from 1 to 256");
  return static_cast<unsigned>(n);
}

template <typename F>
Status ForEachPlan(const Globals& g, Board& b, F&& use) {
  auto workers = Workers();
  if (!workers.ok()) return workers.status();
  return EvaluatePlans(*b.store, [&g] { return OpenStore(g, true); }, b.plans, b.clock.day, WorkCalendar::China(),
                       *workers, use);
}

// What a kept board depends on besides its plan and day: the format, the language and
// the build of duban that rendered it (its executable's size and modification time, so
// that a rebuilt or upgraded duban never shows a board an older one rendered).
std::string BoardVariant(const Globals& g) {
  std::string v = std::string("status/") + (g.json ? "json" : "text") + "/" + g.lang + "/" DUBAN_VERSION;
  struct stat st;
  if (::stat("/proc/self/exe", &st) == 0)
    v += "/" + std::to_string(st.st_size) + "." + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
  return v;
}

// The whole board, each plan's part kept between runs. A board is kept through a store
// opened for writing that waits a moment at most for another writer, and not at all
// when the store cannot be written: keeping is an optimisation, never a failure.
Status KeptBoards(const Globals& g, Board& b, const StatusOptions& o) {
  auto workers = Workers();
  if (!workers.ok()) return workers.status();
  StatusJsonPieces json(o);
  if (g.json) std::cout << json.Head();
  StoreOpener keep = [&g]() -> Result<std::unique_ptr<Store>> {
    StoreOptions so;
    so.busy_timeout_ms = 200;
    return OpenSqliteStore(DbPath(g), so);
  };
  auto run = RenderBoards(
      *b.store, [&g] { return OpenStore(g, true); }, keep, b.plans, b.clock.day, WorkCalendar::China(), *workers,
      BoardVariant(g),
      [&](PlanStatus& ps) {
        if (g.json) return StatusJsonPieces::PlanPart(ps, o);
        std::vector<PlanStatus> one;
        one.push_back(std::move(ps));
        return RenderStatusText(one, o);
      },
      [&](const std::string& part) { std::cout << (g.json ? json.Place(part) : part); });
  if (!run.ok()) return run.status();
  if (g.json) std::cout << json.Tail();
  return Status::Ok();
}

}  // namespace

void RegisterSupervisionCommands(CLI::App& app, const Globals& g, int& exit_code) {
  struct StatusArgs { std::string plan, unit; };
  auto a = std::make_shared<StatusArgs>();
  CLI::App* status = app.add_subcommand("status", "the board: lights by task, unit and section, red items with reasons");
  status->add_option("--plan", a->plan, "plan id (default: every plan)");
  status->add_option("--unit", a->unit, "only this unit's assignments (id, name or alias)");
  status->callback([a, &g, &exit_code] {
    auto b = OpenBoard(g, a->plan, true);
    if (!b.ok()) { exit_code = Fail(b.status()); return; }
    StatusOptions o;
    o.lang = g.language();
    if (!a->unit.empty()) {
      auto unit = b->store->ResolveUnit(a->unit);
      if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
      o.unit = *unit;
    }
    if (b->plans.empty()) {  // the board says so itself
      std::cout << (g.json ? RenderStatusJson({}, o) : RenderStatusText({}, o));
      return;
    }
    if (o.unit.empty()) {  // the whole board of each plan: kept between runs
      if (Status s = KeptBoards(g, *b, o); !s.ok()) exit_code = Fail(s);
      return;
    }
    StatusJsonPieces json(o);
    if (g.json) std::cout << json.Head();
    Status s = ForEachPlan(g, *b, [&](PlanStatus& ps) {
      std::vector<PlanStatus> one;
      one.push_back(std::move(ps));
      std::cout << (g.json ? json.Plan(one.front()) : RenderStatusText(one, o));
    });
    if (!s.ok()) { exit_code = Fail(s); return; }
    if (g.json) std::cout << json.Tail();
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
    auto b = OpenBoard(g, r->plan, r->dry);
    if (!b.ok()) { exit_code = Fail(b.status()); return; }
    Actor actor;
    if (!r->dry) {
      auto who = Authenticate(*b->store, g);
      if (!who.ok()) { exit_code = Fail(who.status()); return; }
      actor = *who;
    }
    ReminderCollector collector;
    if (Status s = ForEachPlan(g, *b, [&](PlanStatus& ps) { collector.Add(ps); }); !s.ok()) {
      exit_code = Fail(s);
      return;
    }
    auto report = RunReminders(*b->store, actor, collector.Take(), *channel, r->channel, b->clock, WorkCalendar::China(),
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
