// The rules of reporting, independent of any storage: who may write what, and how an
// assignment's state moves. Every store backend applies exactly these.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/store.h"

namespace duban {

/// The state of one assignment.
struct AssignmentState {
  AssignmentStatus status = AssignmentStatus::kNotStarted;
  int progress = 0;
  std::string blocked_reason;
};

/// May `actor` report on `unit`'s assignment (or record `unit`'s indicator) in a plan
/// supervised by `plan_office`? The admin and the plan's office may act for any unit;
/// a unit only for itself. The denial message names both sides.
Status MayWriteFor(const Actor& actor, std::string_view unit, std::string_view plan_office);

/// May `actor` accept or reject work in a plan supervised by `plan_office`?
Status MayDecide(const Actor& actor, std::string_view plan_office);

/// May `actor` load plans and manage credentials? The admin only.
Status MayAdminister(const Actor& actor);

/// A note as a report may carry it: valid UTF-8, no control characters but newline
/// and tab, at most kMaxNoteChars characters.
Status ValidateNote(std::string_view note);

/// The state after a progress report. Refuses: changes to a closed assignment;
/// progress outside 0–100; blocked without a reason (the note); an empty report.
/// done sets progress to 100 (for a lead it is a claim awaiting acceptance);
/// progress above 0 on a not-started assignment starts it.
Result<AssignmentState> ApplyUpdate(const AssignmentState& current, const UpdateRequest& request);

/// Acceptance closes a done assignment; anything else is refused with the reason.
Result<AssignmentState> ApplyAccept(const AssignmentState& current);

/// Rejection sends a done assignment back to in progress; the reason is required.
Result<AssignmentState> ApplyReject(const AssignmentState& current, std::string_view reason);

/// Chinese words for states, for output: 未开始 进行中 受阻 已完成(待验收) 已办结.
const char* StatusLabelZh(AssignmentStatus s);

}  // namespace duban
