// duban update | accept | reject | indicator record | template
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/common.h"
#include "engine/crypto.h"
#include "engine/file_io.h"
#include "engine/sheet.h"
#include "engine/views.h"
#include "engine/workflow.h"

namespace duban::cli {
namespace {

// --as defaults to the credential's own unit.
Result<std::string> UnitFor(const Session& s, const std::string& as) {
  if (!as.empty()) return as;
  if (!s.actor.is_admin()) return s.actor.unit;
  return Status::InvalidInput("the office acts for a unit: give --as UNIT");
}

Result<std::vector<EvidenceFile>> Digest(const std::vector<std::string>& paths, const std::string& base_dir) {
  std::vector<EvidenceFile> out;
  for (const auto& p : paths) {
    std::string path = p.empty() || p[0] == '/' || base_dir.empty() ? p : base_dir + p;
    auto d = Sha256File(path);
    if (!d.ok()) return d.status();
    auto slash = p.rfind('/');
    out.push_back({slash == std::string::npos ? p : p.substr(slash + 1), d->size, d->sha256});
  }
  return out;
}

std::string RoleLabel(Role r) { return r == Role::kLead ? "牵头" : "配合"; }

std::vector<TemplateRow> TemplateRows(const UnitWorkload& w) {
  std::vector<TemplateRow> rows;
  for (const auto& a : w.assignments) {
    TemplateRow r;
    r.kind = SheetRowKind::kTask;
    r.plan = a.plan;
    r.id = a.task;
    r.title = a.task_title;
    r.unit = a.unit;
    r.role = RoleLabel(a.role);
    r.due = a.ongoing ? "" : a.due.ToString();
    r.status = StatusLabelZh(a.status);
    r.progress = std::to_string(a.progress);
    rows.push_back(std::move(r));
  }
  for (const auto& i : w.indicators) {
    TemplateRow r;
    r.kind = SheetRowKind::kIndicator;
    r.plan = i.plan;
    r.id = i.id;
    r.title = i.name + " (" + i.measure + ")";
    r.unit = i.owner;
    r.due = i.target_date.ToString();
    if (!i.values.empty()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", i.values.back().value);
      r.value = buf;
      r.as_of = i.values.back().as_of.ToString();
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

void RegisterReportingCommands(CLI::App& app, const Globals& g, int& exit_code) {
  struct UpdateArgs {
    std::string task, plan, as, status, note, from;
    std::optional<int> progress;
    std::vector<std::string> evidence;
  };
  auto u = std::make_shared<UpdateArgs>();
  CLI::App* update = app.add_subcommand("update", "report progress on an assignment, or apply a filled sheet");
  update->add_option("task", u->task, "task id");
  update->add_option("--plan", u->plan, "plan id (needed when several plans have the task)");
  update->add_option("--as", u->as, "the unit reporting (default: the credential's unit)");
  update->add_option("--status", u->status, "not_started | in_progress | blocked | done")
      ->check(CLI::IsMember({"not_started", "in_progress", "blocked", "done", "closed"}));
  update->add_option("--progress", u->progress, "0–100");
  update->add_option("--note", u->note, "what was done; the reason when blocked");
  update->add_option("--evidence", u->evidence, "a file supporting the report (recorded by SHA-256, name, size)");
  update->add_option("--from", u->from, "apply a filled template sheet (CSV): all rows or none");
  update->callback([u, &g, &exit_code] {
    if (u->from.empty() == u->task.empty()) {
      exit_code = Fail(Status::InvalidInput("give a task id, or --from SHEET"));
      exit_code = kExitUsage;
      return;
    }
    auto s = OpenForWriting(g);
    if (!s.ok()) { exit_code = Fail(s.status()); return; }
    if (!u->from.empty()) {
      auto text = ReadFile(u->from, kMaxSheetBytes);
      if (!text.ok()) { exit_code = Fail(Status::InvalidInput(u->from + ": " + text.status().message())); return; }
      auto rows = ParseFilledCsv(*text, u->from);
      if (!rows.ok()) { exit_code = Fail(rows.status()); return; }
      std::vector<UpdateRequest> updates;
      std::vector<IndicatorRequest> values;
      std::string problems;
      std::string dir = DirName(u->from);
      for (const auto& r : *rows) {
        std::string origin = u->from + ":" + std::to_string(r.line);
        auto ev = Digest(r.evidence, dir);
        if (!ev.ok()) { problems += origin + ": " + ev.status().message() + "\n"; continue; }
        if (r.kind == SheetRowKind::kTask) {
          UpdateRequest q;
          q.plan = r.plan;
          q.task = r.id;
          q.unit = r.unit;
          if (r.status) q.status = ParseAssignmentStatus(*r.status);
          q.progress = r.progress;
          q.note = r.note;
          q.evidence = *ev;
          q.origin = origin;
          q.from_sheet = true;
          updates.push_back(std::move(q));
        } else {
          IndicatorRequest q;
          q.plan = r.plan;
          q.indicator = r.id;
          q.unit = r.unit;
          q.value = *r.value;
          q.as_of = *ParseDate(r.as_of);
          q.note = r.note;
          q.origin = origin;
          values.push_back(std::move(q));
        }
      }
      if (!problems.empty()) {
        problems.pop_back();
        exit_code = Fail(Status::InvalidInput(problems + "\nnothing was applied"));
        return;
      }
      auto done = s->store->RecordUpdates(s->actor, updates, values, s->clock);
      if (!done.ok()) { exit_code = Fail(done.status()); return; }
      std::cout << (g.language() == Lang::kZh ? "已报送 " : "applied ") << done->size()
                << (g.language() == Lang::kZh ? " 条 (共 " : " reports (of ") << rows->size()
                << (g.language() == Lang::kZh ? " 行; 未改动的行不计)\n" : " rows; unchanged rows are skipped)\n");
      return;
    }
    auto unit = UnitFor(*s, u->as);
    if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
    auto ev = Digest(u->evidence, "");
    if (!ev.ok()) { exit_code = Fail(ev.status()); return; }
    UpdateRequest q;
    q.plan = u->plan;
    q.task = u->task;
    q.unit = *unit;
    if (!u->status.empty()) q.status = ParseAssignmentStatus(u->status);
    q.progress = u->progress;
    q.note = u->note;
    q.evidence = *ev;
    auto e = s->store->RecordUpdate(s->actor, q, s->clock);
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    std::cout << (g.json ? EventJson(*e) + "\n" : DescribeEvent(*e, g.language()));
  });

  struct DecisionArgs { std::string task, plan, unit, reason; };
  for (bool accept : {true, false}) {
    auto d = std::make_shared<DecisionArgs>();
    CLI::App* cmd = app.add_subcommand(accept ? "accept" : "reject",
                                       accept ? "close a task claimed done (办结/销号); office only"
                                              : "send a claimed task back with the reason; office only");
    cmd->add_option("task", d->task, "task id")->required();
    cmd->add_option("--plan", d->plan, "plan id");
    cmd->add_option("--unit", d->unit, "only this unit's assignment");
    if (!accept) cmd->add_option("--reason", d->reason, "why it goes back")->required();
    cmd->callback([d, accept, &g, &exit_code] {
      auto s = OpenForWriting(g);
      if (!s.ok()) { exit_code = Fail(s.status()); return; }
      DecisionRequest q{d->plan, d->task, d->unit, d->reason};
      auto e = accept ? s->store->Accept(s->actor, q, s->clock) : s->store->Reject(s->actor, q, s->clock);
      if (!e.ok()) { exit_code = Fail(e.status()); return; }
      std::cout << (g.json ? EventJson(*e) + "\n" : DescribeEvent(*e, g.language()));
    });
  }

  CLI::App* indicator = app.add_subcommand("indicator", "record indicator values");
  indicator->require_subcommand(1);
  struct IndicatorArgs { std::string id, plan, as, as_of, note; double value = 0; };
  auto ia = std::make_shared<IndicatorArgs>();
  CLI::App* record = indicator->add_subcommand("record", "record an actual value of an indicator the unit owns");
  record->add_option("indicator", ia->id, "indicator id")->required();
  record->add_option("value", ia->value, "the actual value")->required();
  record->add_option("--as-of", ia->as_of, "the date the value stands for, YYYY-MM-DD")->required();
  record->add_option("--as", ia->as, "the owner unit (default: the credential's unit)");
  record->add_option("--plan", ia->plan, "plan id");
  record->add_option("--note", ia->note, "source or remark");
  record->callback([ia, &g, &exit_code] {
    auto s = OpenForWriting(g);
    if (!s.ok()) { exit_code = Fail(s.status()); return; }
    auto unit = UnitFor(*s, ia->as);
    if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
    DateError err;
    auto as_of = ParseDate(ia->as_of, &err);
    if (!as_of) {
      exit_code = Fail(Status::InvalidInput(err == DateError::kImpossible
                                                ? "--as-of '" + ia->as_of + "' is not a real calendar date"
                                                : "--as-of must be a date written YYYY-MM-DD, got '" + ia->as_of + "'"));
      return;
    }
    IndicatorRequest q{ia->plan, ia->id, *unit, ia->value, *as_of, ia->note, ""};
    auto e = s->store->RecordIndicator(s->actor, q, s->clock);
    if (!e.ok()) { exit_code = Fail(e.status()); return; }
    std::cout << (g.json ? EventJson(*e) + "\n" : DescribeEvent(*e, g.language()));
  });

  struct TemplateArgs { std::string as, format = "csv", out; };
  auto t = std::make_shared<TemplateArgs>();
  CLI::App* tmpl = app.add_subcommand("template", "write a unit's fill-in sheet of open assignments and indicators");
  tmpl->add_option("--as", t->as, "the unit (id, name or alias)")->required();
  tmpl->add_option("--format", t->format, "csv (default) or xlsx")->check(CLI::IsMember({"csv", "xlsx"}));
  tmpl->add_option("-o,--output", t->out, "file to write (required for xlsx; CSV goes to stdout otherwise)");
  tmpl->callback([t, &g, &exit_code] {
    auto store = OpenStore(g, true);
    if (!store.ok()) { exit_code = Fail(store.status()); return; }
    auto unit = (*store)->ResolveUnit(t->as);
    if (!unit.ok()) { exit_code = Fail(unit.status()); return; }
    auto w = (*store)->Workload(*unit);
    if (!w.ok()) { exit_code = Fail(w.status()); return; }
    auto rows = TemplateRows(*w);
    if (t->format == "xlsx") {
      if (t->out.empty()) { exit_code = Fail(Status::InvalidInput("xlsx needs -o FILE")); return; }
      if (Status st = WriteTemplateXlsx(rows, t->out); !st.ok()) { exit_code = Fail(st); return; }
    } else if (!t->out.empty()) {
      std::ofstream f(t->out, std::ios::binary | std::ios::trunc);
      f << RenderTemplateCsv(rows);
      f.close();
      if (!f) { exit_code = Fail(Status::IoError("cannot write " + t->out)); return; }
    } else {
      std::cout << RenderTemplateCsv(rows);
    }
    if (!t->out.empty()) std::cerr << "duban: wrote " << rows.size() << " rows to " << t->out << "\n";
  });
}

}  // namespace duban::cli
