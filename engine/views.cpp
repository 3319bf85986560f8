#include "engine/views.h"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <nlohmann/json.hpp>

#include "engine/json_writer.h"
#include "engine/text.h"
#include "engine/workflow.h"

namespace duban {
namespace {

using json = nlohmann::ordered_json;

std::string StatusWord(AssignmentStatus s, Lang lang) { return lang == Lang::kZh ? StatusLabelZh(s) : ToString(s); }
std::string RoleWord(Role r, Lang lang) {
  if (lang == Lang::kEn) return ToString(r);
  return r == Role::kLead ? "牵头" : "配合";
}


}  // namespace

std::string RenderAssignmentsText(const std::vector<AssignmentView>& rows, Lang lang) {
  const bool zh = lang == Lang::kZh;
  if (rows.empty()) return zh ? "(没有符合条件的任务)\n" : "(no matching assignments)\n";
  std::vector<std::vector<std::string>> body;
  for (const auto& a : rows) {
    body.push_back({a.plan, a.task, TruncateToWidth(a.task_title, 30), a.unit_name, RoleWord(a.role, lang),
                    StatusWord(a.status, lang), std::to_string(a.progress) + "%",
                    a.ongoing ? (zh ? "常态化" : "ongoing") : a.due.ToString(),
                    a.last_report ? a.last_report->ToString() : "-"});
  }
  std::vector<std::string> head = zh ? std::vector<std::string>{"方案", "编号", "任务", "单位", "角色", "状态", "进度",
                                                                 "完成时限", "最近报送"}
                                     : std::vector<std::string>{"plan", "task", "title", "unit", "role", "status",
                                                                "progress", "due", "last report"};
  return AlignColumns(head, body);
}

std::string AssignmentsJsonHead() { return "{\n  \"schema\": \"duban.assignments/1\",\n  \"assignments\": ["; }

std::string AssignmentsJsonRow(const AssignmentView& a, bool first) {
  // One assignment as it sits in the whole document, two levels in, written directly:
  // an export renders every assignment of a province this way.
  std::string out = first ? "\n    " : ",\n    ";
  JsonWriter w(out, 2);
  w.BeginObject()
      .Member("plan", a.plan)
      .Member("task", a.task)
      .Member("title", a.task_title)
      .Member("section", a.section_title)
      .Member("unit", a.unit)
      .Member("unit_name", a.unit_name)
      .Member("role", ToString(a.role));
  w.Key("via_group").StringOrNull(!a.via_group.empty(), a.via_group);
  w.Member("office_decision", a.office_decision).Member("start", a.start.ToString());
  w.Key("due").StringOrNull(!a.ongoing, a.ongoing ? "" : a.due.ToString());
  w.Member("ongoing", a.ongoing).Member("status", ToString(a.status)).Member("progress", a.progress);
  w.Key("last_report").StringOrNull(a.last_report.has_value(), a.last_report ? a.last_report->ToString() : "");
  w.Member("last_note", a.last_note).Member("blocked_reason", a.blocked_reason).Member("reports", a.reports);
  w.EndObject();
  return out;
}

std::string AssignmentsJsonTail(bool any_rows) { return any_rows ? "\n  ]\n}\n" : "]\n}\n"; }

std::string RenderAssignmentsJson(const std::vector<AssignmentView>& rows) {
  std::string out = AssignmentsJsonHead();
  for (size_t i = 0; i < rows.size(); ++i) out += AssignmentsJsonRow(rows[i], i == 0);
  return out + AssignmentsJsonTail(!rows.empty());
}

std::string DescribeEvent(const HistoryEntry& e, Lang lang) {
  const bool zh = lang == Lang::kZh;
  json p = json::parse(e.payload, nullptr, false);
  std::string who = e.actor + (e.on_behalf_of.empty() ? "" : (zh ? " 代 " : " for ") + e.on_behalf_of);
  std::string what;
  if (e.kind == "update" && p.is_object()) {
    auto st = ParseAssignmentStatus(p.value("status", "")).value_or(AssignmentStatus::kNotStarted);
    what = p.value("unit", "") + " " + StatusWord(st, lang) + " " + std::to_string(p.value("progress", 0)) + "%";
    if (!p.value("note", "").empty()) what += " — " + p.value("note", "");
    if (p.contains("evidence") && !p["evidence"].empty())
      what += (zh ? " [佐证材料 " : " [evidence ") + std::to_string(p["evidence"].size()) + "]";
  } else if ((e.kind == "accept" || e.kind == "reject") && p.is_object()) {
    what = e.kind == "accept" ? (zh ? "验收办结" : "accepted") : (zh ? "退回" : "sent back");
    const auto& units = p["units"];
    for (size_t i = 0; i < units.size() && i < 3; ++i) what += " " + units[i].value("unit", "");
    if (units.size() > 3) what += zh ? " 等" + std::to_string(units.size()) + "家" : " and " + std::to_string(units.size() - 3) + " more";
    if (p.contains("reason")) what += " — " + p.value("reason", "");
  } else if (e.kind == "indicator" && p.is_object()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", p.value("value", 0.0));
    what = e.subject + " = " + buf + (zh ? " (截至 " : " (as of ") + p.value("as_of", "") + ")";
  } else if (e.kind == "plan.load" && p.is_object()) {
    what = (zh ? "载入方案 第" : "plan loaded, revision ") + std::to_string(p.value("revision", 0)) + (zh ? "版" : "");
  } else if (e.kind == "refused" && p.is_object()) {
    what = (zh ? "拒绝: " : "refused: ") + p.value("attempt", "") + " — " + p.value("reason", "");
  } else {
    what = e.subject;
  }
  return e.day.ToString() + " #" + std::to_string(e.seq) + " " + e.kind + " " + who + ": " + what + "\n";
}

std::string EventJson(const HistoryEntry& e) {
  json p = json::parse(e.payload, nullptr, false);
  return json{{"seq", e.seq}, {"at", e.at}, {"day", e.day.ToString()}, {"actor", e.actor},
              {"on_behalf_of", e.on_behalf_of.empty() ? json(nullptr) : json(e.on_behalf_of)},
              {"kind", e.kind}, {"plan", e.plan}, {"subject", e.subject},
              {"payload", p.is_discarded() ? json(e.payload) : p}, {"hash", e.hash}}
      .dump();
}

std::string RenderTaskText(const TaskDetail& t, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string out;
  out += t.plan_title + " (" + t.plan + ")\n";
  if (!t.section_title.empty()) out += t.section + " " + t.section_title + "\n";
  out += t.id + " " + t.title + "\n";
  out += (zh ? "时限: " : "span: ") + t.start.ToString() + (zh ? " 至 " : " to ") +
         (t.ongoing ? (zh ? "常态化" : "ongoing") : t.due.ToString()) + "\n";
  if (!t.yearly.empty()) {
    out += zh ? "每年: " : "yearly: ";
    for (size_t i = 0; i < t.yearly.size(); ++i) out += (i ? ", " : "") + t.yearly[i];
    out += "\n";
  }
  for (const auto& [title, due] : t.milestones) out += (zh ? "节点: " : "milestone: ") + due.ToString() + " " + title + "\n";
  auto list = [&](const char* zh_label, const char* en_label, const std::vector<std::string>& v) {
    if (v.empty()) return;
    out += std::string(zh ? zh_label : en_label) + ": ";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    out += "\n";
  };
  list("依赖", "depends on", t.depends_on);
  list("后续任务", "needed by", t.dependents);
  list("指标", "indicators", t.indicators);
  if (!t.text.empty()) out += "\n" + t.text + "\n";
  out += zh ? "\n责任单位\n" : "\nresponsible units\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : t.assignments)
    rows.push_back({a.unit_name + " (" + a.unit + ")", RoleWord(a.role, lang), StatusWord(a.status, lang),
                    std::to_string(a.progress) + "%", a.last_report ? a.last_report->ToString() : "-",
                    a.status == AssignmentStatus::kBlocked ? a.blocked_reason : a.last_note});
  out += AlignColumns(zh ? std::vector<std::string>{"单位", "角色", "状态", "进度", "最近报送", "说明"}
                  : std::vector<std::string>{"unit", "role", "status", "progress", "last report", "note"},
               rows);
  if (!t.evidence.empty()) {
    out += zh ? "\n佐证材料\n" : "\nevidence\n";
    for (const auto& e : t.evidence)
      out += "#" + std::to_string(e.update_seq) + " " + e.unit + " " + e.file.name + " " + std::to_string(e.file.size) +
             " bytes sha256:" + e.file.sha256 + "\n";
  }
  out += zh ? "\n办理记录\n" : "\nhistory\n";
  if (t.history.empty()) out += zh ? "(尚无记录)\n" : "(none yet)\n";
  for (const auto& e : t.history) out += DescribeEvent(e, lang);
  return out;
}

std::string RenderTaskJson(const TaskDetail& t) {
  json assignments = json::array(), history = json::array(), evidence = json::array(), milestones = json::array();
  // The fields as `tasks --json` writes them: one definition of an assignment in JSON.
  for (const auto& a : t.assignments) assignments.push_back(json::parse(AssignmentsJsonRow(a, true)));
  for (const auto& e : t.history) history.push_back(json::parse(EventJson(e)));
  for (const auto& e : t.evidence)
    evidence.push_back({{"seq", e.update_seq}, {"unit", e.unit}, {"name", e.file.name}, {"size", e.file.size},
                        {"sha256", e.file.sha256}});
  for (const auto& [title, due] : t.milestones) milestones.push_back({{"title", title}, {"due", due.ToString()}});
  json j = {{"schema", "duban.task/1"}, {"plan", t.plan}, {"id", t.id}, {"title", t.title},
            {"section", t.section}, {"text", t.text}, {"start", t.start.ToString()},
            {"due", t.ongoing ? json(nullptr) : json(t.due.ToString())}, {"ongoing", t.ongoing},
            {"yearly", t.yearly}, {"milestones", milestones}, {"depends_on", t.depends_on},
            {"dependents", t.dependents}, {"indicators", t.indicators}, {"assignments", assignments},
            {"evidence", evidence}, {"history", history}};
  return j.dump(2) + "\n";
}

std::string RenderPlansText(const std::vector<PlanSummary>& plans, Lang lang) {
  const bool zh = lang == Lang::kZh;
  if (plans.empty()) return zh ? "(尚未载入方案: duban plan load FILE)\n" : "(no plan loaded: duban plan load FILE)\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : plans)
    rows.push_back({p.id, std::to_string(p.revision), std::to_string(p.tasks), std::to_string(p.assignments),
                    p.loaded_at, p.title});
  std::string out = AlignColumns(zh ? std::vector<std::string>{"方案", "版本", "任务", "分工", "载入时间", "名称"}
                             : std::vector<std::string>{"plan", "revision", "tasks", "assignments", "loaded", "title"},
                          rows);
  for (const auto& p : plans) {
    if (p.revisions.size() < 2) continue;
    out += "\n" + p.id + (zh ? " 历次版本:\n" : " revisions:\n");
    for (const auto& r : p.revisions)
      out += "  " + std::to_string(r.number) + "  " + r.loaded_at + "  " + r.source_name + "  " + r.sha256.substr(0, 12) + "\n";
  }
  return out;
}

std::string RenderPlansJson(const std::vector<PlanSummary>& plans) {
  json list = json::array();
  for (const auto& p : plans) {
    json revs = json::array();
    for (const auto& r : p.revisions)
      revs.push_back({{"revision", r.number}, {"loaded_at", r.loaded_at}, {"source", r.source_name},
                      {"content_sha256", r.sha256}, {"summary", json::parse(r.summary, nullptr, false)}});
    list.push_back({{"id", p.id}, {"title", p.title}, {"office", p.office}, {"revision", p.revision},
                    {"tasks", p.tasks}, {"assignments", p.assignments}, {"revisions", revs}});
  }
  return json{{"schema", "duban.plans/1"}, {"plans", list}}.dump(2) + "\n";
}

std::string RenderLoadText(const LoadReport& r, Lang lang) {
  const bool zh = lang == Lang::kZh;
  if (r.unchanged)
    return r.plan + (zh ? " 内容未变 (第" + std::to_string(r.revision) + "版), 未写入\n"
                        : " is unchanged (revision " + std::to_string(r.revision) + "); nothing written\n");
  std::string out = (zh ? "已载入 " : "loaded ") + r.plan + (zh ? " 第" : " revision ") + std::to_string(r.revision) +
                    (zh ? "版\n" : "\n");
  auto list = [&](const char* zh_label, const char* en_label, const std::vector<std::string>& v) {
    if (v.empty()) return;
    out += std::string("  ") + (zh ? zh_label : en_label) + " (" + std::to_string(v.size()) + "): ";
    for (size_t i = 0; i < v.size() && i < 30; ++i) out += (i ? ", " : "") + v[i];
    if (v.size() > 30) out += ", …";
    out += "\n";
  };
  list("新增任务", "tasks added", r.added_tasks);
  list("删除任务", "tasks removed", r.removed_tasks);
  list("修改任务", "tasks changed", r.changed_tasks);
  list("新增指标", "indicators added", r.added_indicators);
  list("删除指标", "indicators removed", r.removed_indicators);
  list("修改指标", "indicators changed", r.changed_indicators);
  out += std::string("  ") + (zh ? "分工: 新增 " : "assignments: added ") + std::to_string(r.assignments_added) +
         (zh ? ", 撤销 " : ", removed ") + std::to_string(r.assignments_removed) + (zh ? ", 保留 " : ", kept ") +
         std::to_string(r.assignments_kept) + "\n";
  return out;
}

namespace {
json LoadJson(const LoadReport& r) {
  return json{{"plan", r.plan}, {"revision", r.revision}, {"unchanged", r.unchanged},
              {"added_tasks", r.added_tasks}, {"removed_tasks", r.removed_tasks}, {"changed_tasks", r.changed_tasks},
              {"added_indicators", r.added_indicators}, {"removed_indicators", r.removed_indicators},
              {"changed_indicators", r.changed_indicators}, {"assignments_added", r.assignments_added},
              {"assignments_removed", r.assignments_removed}, {"assignments_kept", r.assignments_kept}};
}
}  // namespace

std::string RenderLoadJson(const LoadReport& r) {
  json out = {{"schema", "duban.load/1"}};
  out.update(LoadJson(r));
  return out.dump(2) + "\n";
}

std::string RenderLoadsJson(const std::vector<LoadReport>& reports) {
  json loads = json::array();
  for (const LoadReport& r : reports) loads.push_back(LoadJson(r));
  return json{{"schema", "duban.loads/1"}, {"loads", loads}}.dump(2) + "\n";
}

std::string RenderCredentialsText(const std::vector<CredentialInfo>& creds, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : creds)
    rows.push_back({c.holder, c.fingerprint, c.issued_at, c.revoked_at.empty() ? (zh ? "有效" : "valid") : c.revoked_at});
  return AlignColumns(zh ? std::vector<std::string>{"持有单位", "指纹", "签发时间", "状态/吊销时间"}
                  : std::vector<std::string>{"holder", "fingerprint", "issued", "revoked"},
               rows);
}

std::string RenderCredentialsJson(const std::vector<CredentialInfo>& creds) {
  json list = json::array();
  for (const auto& c : creds)
    list.push_back({{"holder", c.holder}, {"fingerprint", c.fingerprint}, {"issued_at", c.issued_at},
                    {"revoked_at", c.revoked_at.empty() ? json(nullptr) : json(c.revoked_at)}});
  return json{{"schema", "duban.credentials/1"}, {"credentials", list}}.dump(2) + "\n";
}

std::string RenderAuditText(const AuditReport& r, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string out;
  if (r.ok()) {
    out = (zh ? "审计通过: " : "audit ok: ") + std::to_string(r.records) + (zh ? " 条记录, 末条哈希 " : " records, head ") +
          r.head_hash + "\n";
  } else {
    out = (zh ? "审计未通过: " : "audit FAILED: ") + std::to_string(r.problems.size()) + (zh ? " 处问题\n" : " problems\n");
    for (const auto& p : r.problems) out += "  " + p + "\n";
  }
  return out;
}

std::string RenderAuditJson(const AuditReport& r) {
  return json{{"schema", "duban.audit/1"}, {"ok", r.ok()}, {"records", r.records}, {"head_hash", r.head_hash},
              {"problems", r.problems}}
             .dump(2) + "\n";
}

}  // namespace duban
