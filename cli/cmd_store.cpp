// duban init | auth issue|revoke|list | audit verify
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "engine/views.h"

namespace duban::cli {
namespace {

// Writes a secret to `path` readable by its owner only; or prints it.
int EmitToken(const std::string& token, const std::string& path, const std::string& holder, const Globals& g) {
  if (!path.empty()) {
    ::umask(077);
    std::ofstream out(path, std::ios::trunc);
    out << token << "\n";
    out.close();
    ::chmod(path.c_str(), 0600);
    if (!out) return Fail(Status::IoError("cannot write the token to " + path));
    std::cerr << "duban: the credential of " << holder << " is in " << path << " (mode 0600)\n";
    return kExitOk;
  }
  if (g.json) {
    std::cout << nlohmann::ordered_json{{"holder", holder}, {"token", token}}.dump(2) << "\n";
  } else {
    std::cout << token << "\n";
    std::cerr << "duban: this is the credential of " << holder
              << "; it is shown once and only its hash is stored: hand it over safely\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterStoreCommands(CLI::App& app, const Globals& g, int& exit_code) {
  auto token_out = std::make_shared<std::string>();
  CLI::App* init = app.add_subcommand("init", "create a store and the office's credential");
  init->add_option("--token-out", *token_out, "write the office credential to this file (mode 0600) instead of printing it");
  init->callback([token_out, &g, &exit_code] {
    auto clock = MakeClock(g);
    if (!clock.ok()) { exit_code = Fail(clock.status()); return; }
    StoreOptions o;
    o.create = true;
    auto store = OpenSqliteStore(DbPath(g), o);
    if (!store.ok()) { exit_code = Fail(store.status()); return; }
    auto token = (*store)->Initialize(*clock);
    if (!token.ok()) { exit_code = Fail(token.status()); return; }
    std::cerr << "duban: created the store " << DbPath(g) << "\n";
    exit_code = EmitToken(*token, *token_out, "the office", g);
  });

  CLI::App* auth = app.add_subcommand("auth", "manage the units' credentials (office only)");
  auth->require_subcommand(1);
  struct IssueArgs { std::string unit, out; };
  auto ia = std::make_shared<IssueArgs>();
  CLI::App* issue = auth->add_subcommand("issue", "issue a credential to a unit (revokes its previous one)");
  issue->add_option("unit", ia->unit, "unit id, name or alias")->required();
  issue->add_option("--token-out", ia->out, "write the credential to this file (mode 0600) instead of printing it");
  issue->callback([ia, &g, &exit_code] {
    auto s = OpenForWriting(g);
    if (!s.ok()) { exit_code = Fail(s.status()); return; }
    auto token = s->store->IssueToken(s->actor, ia->unit, s->clock);
    if (!token.ok()) { exit_code = Fail(token.status()); return; }
    exit_code = EmitToken(*token, ia->out, "unit " + *s->store->ResolveUnit(ia->unit), g);
  });

  auto revoke_unit = std::make_shared<std::string>();
  CLI::App* revoke = auth->add_subcommand("revoke", "revoke a unit's credential");
  revoke->add_option("unit", *revoke_unit, "unit id, name or alias")->required();
  revoke->callback([revoke_unit, &g, &exit_code] {
    auto s = OpenForWriting(g);
    if (!s.ok()) { exit_code = Fail(s.status()); return; }
    if (Status st = s->store->RevokeToken(s->actor, *revoke_unit, s->clock); !st.ok()) { exit_code = Fail(st); return; }
    std::cerr << "duban: revoked the credential of " << *revoke_unit << "\n";
  });

  CLI::App* list = auth->add_subcommand("list", "list credentials: holder, fingerprint, issued, revoked");
  list->callback([&g, &exit_code] {
    auto store = OpenStore(g, true);
    if (!store.ok()) { exit_code = Fail(store.status()); return; }
    auto creds = (*store)->ListCredentials();
    if (!creds.ok()) { exit_code = Fail(creds.status()); return; }
    std::cout << (g.json ? RenderCredentialsJson(*creds) : RenderCredentialsText(*creds, g.language()));
  });

  CLI::App* audit = app.add_subcommand("audit", "check the history");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify", "recompute the hash chain and replay it against the state; exit 0 intact, 1 tampered");
  verify->callback([&g, &exit_code] {
    auto store = OpenStore(g, true);
    if (!store.ok()) { exit_code = Fail(store.status()); return; }
    auto report = (*store)->VerifyAudit();
    if (!report.ok()) { exit_code = Fail(report.status()); return; }
    std::cout << (g.json ? RenderAuditJson(*report) : RenderAuditText(*report, g.language()));
    exit_code = report->ok() ? kExitOk : kExitRefused;
  });
}

}  // namespace duban::cli
