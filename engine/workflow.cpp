#include "engine/workflow.h"

#include "engine/sheet.h"
#include "engine/text.h"

namespace duban {

const char* ToString(AssignmentStatus s) {
  switch (s) {
    case AssignmentStatus::kNotStarted: return "not_started";
    case AssignmentStatus::kInProgress: return "in_progress";
    case AssignmentStatus::kBlocked: return "blocked";
    case AssignmentStatus::kDone: return "done";
    case AssignmentStatus::kClosed: return "closed";
  }
  return "not_started";
}

std::optional<AssignmentStatus> ParseAssignmentStatus(std::string_view s) {
  for (auto st : {AssignmentStatus::kNotStarted, AssignmentStatus::kInProgress, AssignmentStatus::kBlocked,
                  AssignmentStatus::kDone, AssignmentStatus::kClosed})
    if (s == ToString(st)) return st;
  return std::nullopt;
}

const char* StatusLabelZh(AssignmentStatus s) {
  switch (s) {
    case AssignmentStatus::kNotStarted: return "未开始";
    case AssignmentStatus::kInProgress: return "进行中";
    case AssignmentStatus::kBlocked: return "受阻";
    case AssignmentStatus::kDone: return "已完成";
    case AssignmentStatus::kClosed: return "已办结";
  }
  return "未开始";
}

Status MayWriteFor(const Actor& actor, std::string_view unit, std::string_view plan_office) {
  if (actor.is_admin() || actor.unit == unit || actor.unit == plan_office) return Status::Ok();
  return Status::PermissionDenied("unit '" + actor.unit + "' may not report for unit '" + std::string(unit) +
                                  "': a unit reports only on its own assignments");
}

Status MayDecide(const Actor& actor, std::string_view plan_office) {
  if (actor.is_admin() || actor.unit == plan_office) return Status::Ok();
  return Status::PermissionDenied("unit '" + actor.unit +
                                  "' may not accept or reject work: only the supervising office ('" +
                                  std::string(plan_office) + "') may");
}

Status MayAdminister(const Actor& actor) {
  if (actor.is_admin()) return Status::Ok();
  return Status::PermissionDenied("unit '" + actor.unit + "' may not do this: it needs the office's credential");
}

Status ValidateNote(std::string_view note) {
  if (note.size() > kMaxNoteChars * 4) {
    return Status::InvalidInput("note is too long (" + std::to_string(note.size()) + " bytes; at most " +
                                std::to_string(kMaxNoteChars) + " characters)");
  }
  if (auto bad = FindInvalidUtf8(note)) {
    return Status::InvalidInput("note is not valid UTF-8 text (byte " + std::to_string(*bad + 1) + ")");
  }
  std::u32string cps = DecodeUtf8(note);
  if (cps.size() > kMaxNoteChars) {
    return Status::InvalidInput("note is too long (" + std::to_string(cps.size()) + " characters; at most " +
                                std::to_string(kMaxNoteChars) + ")");
  }
  for (size_t i = 0; i < cps.size(); ++i) {
    char32_t c = cps[i];
    if ((c < 0x20 && c != U'\n' && c != U'\t') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
      return Status::InvalidInput("note contains a control character (U+" +
                                  [&] { char b[8]; std::snprintf(b, sizeof b, "%04X", static_cast<unsigned>(c)); return std::string(b); }() +
                                  ") at character " + std::to_string(i + 1));
    }
  }
  return Status::Ok();
}

Result<AssignmentState> ApplyUpdate(const AssignmentState& cur, const UpdateRequest& req) {
  if (cur.status == AssignmentStatus::kClosed) {
    return Status::Conflict("the assignment is closed (办结) by the office; it takes no more reports");
  }
  if (!req.status && !req.progress && req.note.empty() && req.evidence.empty()) {
    return Status::InvalidInput("nothing to report: give --status, --progress, --note or --evidence");
  }
  if (req.status == AssignmentStatus::kClosed) {
    return Status::InvalidInput("'closed' is the office's decision: report 'done' and the office accepts it");
  }
  if (req.progress && (*req.progress < 0 || *req.progress > 100)) {
    return Status::InvalidInput("progress must be between 0 and 100, got " + std::to_string(*req.progress));
  }
  if (Status s = ValidateNote(req.note); !s.ok()) return s;
  AssignmentState next = cur;
  if (req.progress) next.progress = *req.progress;
  if (req.status) {
    next.status = *req.status;
    if (*req.status == AssignmentStatus::kBlocked) {
      if (req.note.empty()) return Status::InvalidInput("a blocked report needs the reason: give --note");
      next.blocked_reason = req.note;
    } else {
      next.blocked_reason.clear();
    }
    if (*req.status == AssignmentStatus::kDone) {
      if (req.progress && *req.progress != 100)
        return Status::InvalidInput("done means progress 100, got " + std::to_string(*req.progress));
      next.progress = 100;
    }
    if (*req.status == AssignmentStatus::kNotStarted && next.progress > 0 && req.progress.value_or(next.progress) > 0)
      return Status::InvalidInput("not_started with progress above 0: report in_progress instead");
  } else if (req.progress) {
    if (cur.status == AssignmentStatus::kNotStarted && *req.progress > 0) next.status = AssignmentStatus::kInProgress;
    if (cur.status == AssignmentStatus::kDone && *req.progress < 100) next.status = AssignmentStatus::kInProgress;
  }
  return next;
}

Result<AssignmentState> ApplyAccept(const AssignmentState& cur) {
  if (cur.status == AssignmentStatus::kClosed) return Status::Conflict("already closed");
  if (cur.status != AssignmentStatus::kDone)
    return Status::Conflict(std::string("not claimed done (it is ") + ToString(cur.status) + ")");
  AssignmentState next = cur;
  next.status = AssignmentStatus::kClosed;
  return next;
}

Result<AssignmentState> ApplyReject(const AssignmentState& cur, std::string_view reason) {
  if (reason.empty()) return Status::InvalidInput("a rejection needs the reason: give --reason");
  if (Status s = ValidateNote(reason); !s.ok()) return s;
  if (cur.status != AssignmentStatus::kDone)
    return Status::Conflict(std::string("not claimed done (it is ") + ToString(cur.status) + ")");
  AssignmentState next = cur;
  next.status = AssignmentStatus::kInProgress;
  return next;
}

}  // namespace duban
