// duban report bulletin|matrix|notice|ledger|assessment | export ics | graph
#include <CLI/CLI.hpp>
#include <algorithm>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "engine/export_render.h"
#include "engine/reports.h"
#include "engine/table_render.h"

namespace duban::cli {
namespace {

// One plan evaluated on a day (and, for bulletins, on an earlier day).
struct Evaluated {
  std::unique_ptr<Store> store;
  Clock clock;
  std::vector<PlanSnapshot> snapshots;  // kept alive: statuses point into them
  PlanStatus status;
};

// The plan to report on: `plan_arg`, or the only plan loaded.
Result<std::string> ChoosePlan(Store& store, const std::string& plan_arg) {
  if (!plan_arg.empty()) return plan_arg;
  auto plans = store.PlanIds();
  if (!plans.ok()) return plans.status();
  if (plans->size() != 1) {
    // A province store holds hundreds: the first few are named, 'plan list' has them all.
    constexpr size_t kNamed = 5;
    std::string ids;
    for (size_t i = 0; i < plans->size() && i < kNamed; ++i) ids += (i ? ", " : "") + (*plans)[i];
    if (plans->size() > kNamed) ids += ", … " + std::to_string(plans->size()) + " in all; 'duban plan list' lists them";
    return Status::InvalidInput(plans->empty() ? "no plan is loaded" : "several plans are loaded (" + ids + "): give --plan");
  }
  return plans->front();
}

Result<Evaluated> EvaluateOne(const Globals& g, const std::string& plan_arg, std::optional<Date> day = std::nullopt) {
  Evaluated e;
  auto session = OpenSession(g, true);
  if (!session.ok()) return session.status();
  e.clock = session->clock;
  e.store = std::move(session->store);
  auto plan = ChoosePlan(*e.store, plan_arg);
  if (!plan.ok()) return plan.status();
  auto snaps = e.store->SnapshotsOn(*plan, {day.value_or(e.clock.day)});
  if (!snaps.ok()) return snaps.status();
  e.snapshots = std::move(snaps.value());
  e.status = Evaluate(e.snapshots.front(), day.value_or(e.clock.day), WorkCalendar::China());
  return e;
}

// Writes `text` to `path`, or to stdout when empty.
int Emit(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return kExitOk;
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) return Fail(Status::IoError("cannot write " + path));
  std::cerr << "duban: wrote " << path << "\n";
  return kExitOk;
}

Date MonthBefore(Date d) {
  int y = d.year(), m = d.month() - 1;
  if (m == 0) { m = 12; --y; }
  return *Date::FromCivil(y, m, std::min(d.day(), DaysInMonth(y, m)));
}

}  // namespace

void RegisterReportCommands(CLI::App& app, const Globals& g, int& exit_code) {
  CLI::App* report = app.add_subcommand("report", "the supervision reports: bulletin, matrix, notice, ledger, assessment");
  report->require_subcommand(1);

  struct BulletinArgs { std::string plan, period = "week", format = "md", out; };
  auto b = std::make_shared<BulletinArgs>();
  CLI::App* bulletin = report->add_subcommand("bulletin", "the periodic progress bulletin (工作进展通报)");
  bulletin->add_option("--plan", b->plan, "plan id (default: the only plan loaded)");
  bulletin->add_option("--period", b->period, "week (default) or month")->check(CLI::IsMember({"week", "month"}));
  bulletin->add_option("--format", b->format, "md (default), html, json or txt")->check(CLI::IsMember({"md", "html", "json", "txt"}));
  bulletin->add_option("-o,--output", b->out, "file to write (default stdout)");
  bulletin->callback([b, &g, &exit_code] {
    auto session = OpenSession(g, true);
    if (!session.ok()) { exit_code = Fail(session.status()); return; }
    Store& store = *session->store;
    auto plan = ChoosePlan(store, b->plan);
    if (!plan.ok()) { exit_code = Fail(plan.status()); return; }
    const Date today = session->clock.day;
    const Date prev_day = b->period == "week" ? today - 7 : MonthBefore(today);
    // Both ends of the period from one read of the store.
    auto snaps = store.SnapshotsOn(*plan, {prev_day, today});
    if (!snaps.ok()) { exit_code = Fail(snaps.status()); return; }
    const PlanSnapshot& p = (*snaps)[1];
    PlanStatus prev = Evaluate((*snaps)[0], prev_day, WorkCalendar::China(), EvaluateDepth::kStanding);
    PlanStatus now = Evaluate(p, today, WorkCalendar::China());
    int number = b->period == "week"
                     ? std::max(1, (today - p.period_start) / 7 + 1)
                     : std::max(1, (today.year() - p.period_start.year()) * 12 + today.month() - p.period_start.month() + 1);
    auto loads = store.HistoryOfKind(p.id, "plan.load", prev_day + 1, today);
    if (!loads.ok()) { exit_code = Fail(loads.status()); return; }
    BulletinModel m = BuildBulletin(now, prev, b->period, number, TargetsMoved(*loads, prev_day + 1, today));
    Lang lang = g.language();
    std::string text = b->format == "html" ? RenderBulletinHtml(m, lang)
                       : b->format == "json" ? RenderBulletinJson(m)
                       : b->format == "txt"  ? RenderBulletinText(m, lang)
                                             : RenderBulletinMarkdown(m, lang);
    exit_code = Emit(text, b->out);
  });

  struct MatrixArgs { std::string plan, file, format = "md", out; };
  auto mx = std::make_shared<MatrixArgs>();
  CLI::App* matrix = report->add_subcommand("matrix", "the responsibility table (任务分工表)");
  matrix->add_option("file", mx->file, "a plan file (default: a plan in the store)");
  matrix->add_option("--plan", mx->plan, "plan id in the store");
  matrix->add_option("--format", mx->format, "md (default), csv or xlsx")->check(CLI::IsMember({"md", "csv", "xlsx"}));
  matrix->add_option("-o,--output", mx->out, "file to write (required for xlsx)");
  matrix->callback([mx, &g, &exit_code] {
    MatrixModel m;
    if (!mx->file.empty()) {
      LoadResult r = LoadPlanFile(mx->file);
      PrintDiagnostics(r);
      if (!r.plan) { exit_code = r.exit_code(); return; }
      m = BuildMatrix(*r.plan);
    } else {
      auto e = EvaluateOne(g, mx->plan);
      if (!e.ok()) { exit_code = Fail(e.status()); return; }
      auto content = e->store->PlanContent(e->status.plan->id);
      if (!content.ok()) { exit_code = Fail(content.status()); return; }
      auto built = BuildMatrixFromJson(*content);
      if (!built.ok()) { exit_code = Fail(built.status()); return; }
      m = std::move(built.value());
    }
    if (mx->format == "xlsx") {
      if (mx->out.empty()) { exit_code = Fail(Status::InvalidInput("xlsx needs -o FILE")); return; }
      if (Status s = WriteMatrixXlsx(m, mx->out); !s.ok()) { exit_code = Fail(s); return; }
      std::cerr << "duban: wrote " << mx->out << " (" << m.rows.size() << " tasks)\n";
      return;
    }
    exit_code = Emit(mx->format == "csv" ? RenderMatrixCsv(m) : RenderMatrixMarkdown(m), mx->out);
  });

  struct NoticeArgs { std::string plan, unit, format = "md", out; int days = 5; };
  auto n = std::make_shared<NoticeArgs>();
  CLI::App* notice = report->add_subcommand("notice", "the supervision notice (督办通知单) to one unit");
  notice->add_option("--unit", n->unit, "unit id, name or alias")->required();
  notice->add_option("--plan", n->plan, "plan id");
  notice->add_option("--reply-days", n->days, "working days to reply (default 5)")->check(CLI::Range(1, 60));
  notice->add_option("--format", n->format, "md (default) or json")->check(CLI::IsMember({"md", "json"}));
  notice->add_option("-o,--output", n->out, "file to write (default stdout)");
  notice->callback([n, &g, &exit_code] {
    auto e = EvaluateOne(g, n->plan);
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    auto unit = e->store->ResolveUnit(n->unit);
    if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
    NoticeModel m = BuildNotice(e->status, *unit, WorkCalendar::China(), n->days);
    if (m.unit_name.empty()) { exit_code = Fail(Status::NotFound("unit '" + *unit + "' has no assignment in plan '" + e->status.plan->id + "'")); return; }
    exit_code = Emit(n->format == "json" ? RenderNoticeJson(m) : RenderNoticeMarkdown(m, g.language()), n->out);
  });

  struct LedgerArgs { std::string plan, format = "csv", out; };
  auto l = std::make_shared<LedgerArgs>();
  CLI::App* ledger = report->add_subcommand("ledger", "the ledger (台账): every assignment with its state and evidence");
  ledger->add_option("--plan", l->plan, "plan id");
  ledger->add_option("--format", l->format, "csv (default) or xlsx")->check(CLI::IsMember({"csv", "xlsx"}));
  ledger->add_option("-o,--output", l->out, "file to write (required for xlsx)");
  ledger->callback([l, &g, &exit_code] {
    auto e = EvaluateOne(g, l->plan);
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    LedgerModel m = BuildLedger(e->status);
    if (l->format == "xlsx") {
      if (l->out.empty()) { exit_code = Fail(Status::InvalidInput("xlsx needs -o FILE")); return; }
      if (Status s = WriteLedgerXlsx(m, l->out); !s.ok()) { exit_code = Fail(s); return; }
      std::cerr << "duban: wrote " << l->out << " (" << m.rows.size() << " assignments)\n";
      return;
    }
    exit_code = Emit(RenderLedgerCsv(m), l->out);
  });

  struct AssessArgs { std::string plan, format = "md", out; int year = 0; };
  auto a = std::make_shared<AssessArgs>();
  CLI::App* assess = report->add_subcommand("assessment", "scores per unit for a year, with the breakdown behind every point");
  assess->add_option("--year", a->year, "the year")->required()->check(CLI::Range(1990, 2999));
  assess->add_option("--plan", a->plan, "plan id");
  assess->add_option("--format", a->format, "md (default), json or csv")->check(CLI::IsMember({"md", "json", "csv"}));
  assess->add_option("-o,--output", a->out, "file to write (default stdout)");
  assess->callback([a, &g, &exit_code] {
    auto clock = MakeClock(g);
    if (!clock.ok()) { exit_code = Fail(clock.status()); return; }
    Date year_end = *Date::FromCivil(a->year, 12, 31);
    auto e = EvaluateOne(g, a->plan, std::min(clock->day, year_end));
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    AssessmentModel m = BuildAssessment(e->status, a->year);
    exit_code = Emit(a->format == "json" ? RenderAssessmentJson(m)
                     : a->format == "csv" ? RenderAssessmentCsv(m)
                                          : RenderAssessmentMarkdown(m, g.language()),
                     a->out);
  });

  CLI::App* exp = app.add_subcommand("export", "exports for other programs");
  exp->require_subcommand(1);
  struct IcsArgs { std::string plan, unit, from, to, out; };
  auto ic = std::make_shared<IcsArgs>();
  CLI::App* ics = exp->add_subcommand("ics", "a unit's deadlines, milestones and reporting days as an iCalendar file");
  ics->add_option("--unit", ic->unit, "unit id, name or alias")->required();
  ics->add_option("--plan", ic->plan, "plan id");
  ics->add_option("--from", ic->from, "first day (default: today)");
  ics->add_option("--to", ic->to, "last day (default: the plan's end)");
  ics->add_option("-o,--output", ic->out, "file to write (default stdout)");
  ics->callback([ic, &g, &exit_code] {
    auto e = EvaluateOne(g, ic->plan);
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    auto unit = e->store->ResolveUnit(ic->unit);
    if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
    Date from = e->clock.day, to = e->status.plan->period_end;
    for (auto [text, target] : {std::pair{&ic->from, &from}, std::pair{&ic->to, &to}}) {
      if (text->empty()) continue;
      auto d = ParseDate(*text);
      if (!d) { exit_code = Fail(Status::InvalidInput("'" + *text + "' is not a date written YYYY-MM-DD")); return; }
      *target = *d;
    }
    std::string stamp = e->clock.day.ToString();
    stamp.erase(std::remove(stamp.begin(), stamp.end(), '-'), stamp.end());
    exit_code = Emit(RenderUnitIcs(e->status, *unit, WorkCalendar::China(), from, to, stamp + "T000000Z"), ic->out);
  });

  struct GraphArgs { std::string plan, format = "dot", out; bool critical = false; };
  auto gr = std::make_shared<GraphArgs>();
  CLI::App* graph = app.add_subcommand("graph", "the dependency graph, coloured by light");
  graph->add_option("--plan", gr->plan, "plan id");
  graph->add_option("--format", gr->format, "dot (default) or mermaid")->check(CLI::IsMember({"dot", "mermaid"}));
  graph->add_flag("--critical", gr->critical, "only the critical path");
  graph->add_option("-o,--output", gr->out, "file to write (default stdout)");
  graph->callback([gr, &g, &exit_code] {
    auto e = EvaluateOne(g, gr->plan);
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    exit_code = Emit(gr->format == "mermaid" ? RenderGraphMermaid(e->status, gr->critical) : RenderGraphDot(e->status, gr->critical),
                     gr->out);
  });
}

}  // namespace duban::cli
