// Renderers for the store's reading commands: aligned text (Chinese by default) and
// JSON with documented, stable shapes (see README.md, "JSON output").
#pragma once

#include <string>
#include <vector>

#include "engine/plan_render.h"
#include "engine/store.h"

namespace duban {

/// `duban tasks` / `duban my`: one row per assignment. Shape "duban.assignments/1".
std::string RenderAssignmentsText(const std::vector<AssignmentView>& rows, Lang lang);
std::string RenderAssignmentsJson(const std::vector<AssignmentView>& rows);
/// RenderAssignmentsJson in pieces, for rows written as they are read: the head, each
/// row (`first` for the first), and the tail (`any_rows`: whether a row was written).
/// Together they are the same bytes.
std::string AssignmentsJsonHead();
std::string AssignmentsJsonRow(const AssignmentView& row, bool first);
std::string AssignmentsJsonTail(bool any_rows);

/// `duban show`: the task, who answers for it, dependencies, evidence, the whole
/// history. Shape "duban.task/1".
std::string RenderTaskText(const TaskDetail& task, Lang lang);
std::string RenderTaskJson(const TaskDetail& task);

/// `duban plan list`. Shape "duban.plans/1".
std::string RenderPlansText(const std::vector<PlanSummary>& plans, Lang lang);
std::string RenderPlansJson(const std::vector<PlanSummary>& plans);

/// `duban plan load`: what was added, removed and changed. Shape "duban.load/1".
std::string RenderLoadText(const LoadReport& report, Lang lang);
std::string RenderLoadJson(const LoadReport& report);
/// Several plans loaded by one command: {"schema": "duban.loads/1", "loads": [...]}.
std::string RenderLoadsJson(const std::vector<LoadReport>& reports);

/// `duban auth list`. Shape "duban.credentials/1".
std::string RenderCredentialsText(const std::vector<CredentialInfo>& creds, Lang lang);
std::string RenderCredentialsJson(const std::vector<CredentialInfo>& creds);

/// One history record as a line: "2025-03-10 #12 update 2.1 jj-sti: in_progress 40% …".
std::string DescribeEvent(const HistoryEntry& e, Lang lang);
std::string EventJson(const HistoryEntry& e);

/// `duban audit verify`. Shape "duban.audit/1".
std::string RenderAuditText(const AuditReport& r, Lang lang);
std::string RenderAuditJson(const AuditReport& r);

}  // namespace duban
