#include <catch2/catch.hpp>

#include "engine/workflow.h"

using namespace duban;
using S = AssignmentStatus;

namespace {
UpdateRequest Req(std::optional<S> status, std::optional<int> progress, std::string note = "") {
  UpdateRequest r;
  r.status = status;
  r.progress = progress;
  r.note = std::move(note);
  return r;
}
}  // namespace

TEST_CASE("Workflow: reports move an assignment through its states", "[workflow]") {
  AssignmentState s;
  auto a = ApplyUpdate(s, Req(std::nullopt, 20));
  REQUIRE(a.ok());
  CHECK(a->status == S::kInProgress);  // progress starts it
  CHECK(a->progress == 20);
  auto b = ApplyUpdate(*a, Req(S::kBlocked, std::nullopt, "资金未到位"));
  REQUIRE(b.ok());
  CHECK(b->blocked_reason == "资金未到位");
  auto c = ApplyUpdate(*b, Req(S::kDone, std::nullopt));
  REQUIRE(c.ok());
  CHECK(c->progress == 100);
  CHECK(c->blocked_reason.empty());
  auto d = ApplyAccept(*c);
  REQUIRE(d.ok());
  CHECK(d->status == S::kClosed);
}

TEST_CASE("Workflow: bad reports are refused with the reason", "[workflow]") {
  AssignmentState s;
  CHECK(ApplyUpdate(s, Req(std::nullopt, 150)).status().message() == "progress must be between 0 and 100, got 150");
  CHECK(ApplyUpdate(s, Req(std::nullopt, -1)).status().message() == "progress must be between 0 and 100, got -1");
  CHECK(ApplyUpdate(s, Req(S::kBlocked, std::nullopt)).status().message() ==
        "a blocked report needs the reason: give --note");
  CHECK(ApplyUpdate(s, Req(std::nullopt, std::nullopt)).status().message() ==
        "nothing to report: give --status, --progress, --note or --evidence");
  CHECK(ApplyUpdate(s, Req(S::kClosed, std::nullopt)).status().message() ==
        "'closed' is the office's decision: report 'done' and the office accepts it");
  CHECK(ApplyUpdate(s, Req(S::kDone, 80)).status().message() == "done means progress 100, got 80");
  AssignmentState closed{S::kClosed, 100, ""};
  CHECK(ApplyUpdate(closed, Req(std::nullopt, 50)).status().code() == Status::Code::kConflict);
  CHECK(ApplyAccept(AssignmentState{}).status().message() == "not claimed done (it is not_started)");
  CHECK(ApplyReject(AssignmentState{S::kDone, 100, ""}, "").status().message() ==
        "a rejection needs the reason: give --reason");
  auto back = ApplyReject(AssignmentState{S::kDone, 100, ""}, "佐证材料不全");
  REQUIRE(back.ok());
  CHECK(back->status == S::kInProgress);
}

TEST_CASE("Workflow: notes are bounded UTF-8 text", "[workflow]") {
  CHECK(ValidateNote("已完成第一阶段\n下一步: 验收").ok());
  CHECK(ValidateNote(std::string(10u << 20, 'x')).message() ==
        "note is too long (10485760 bytes; at most 2000 characters)");
  CHECK(ValidateNote(std::string(2001, 'x')).message() == "note is too long (2001 characters; at most 2000)");
  CHECK(ValidateNote("bell\x07").message() == "note contains a control character (U+0007) at character 5");
  CHECK(ValidateNote("\xff\xfe").message() == "note is not valid UTF-8 text (byte 1)");
}

TEST_CASE("Workflow: a unit writes only for itself; the office for anyone", "[workflow]") {
  Actor sti{Actor::Kind::kUnit, "jj-sti"}, office{Actor::Kind::kAdmin, ""}, plan_office{Actor::Kind::kUnit, "jj-office"};
  CHECK(MayWriteFor(sti, "jj-sti", "jj-office").ok());
  CHECK(MayWriteFor(sti, "jj-amr", "jj-office").message() ==
        "unit 'jj-sti' may not report for unit 'jj-amr': a unit reports only on its own assignments");
  CHECK(MayWriteFor(office, "jj-amr", "jj-office").ok());
  CHECK(MayWriteFor(plan_office, "jj-amr", "jj-office").ok());
  CHECK(MayDecide(sti, "jj-office").code() == Status::Code::kPermissionDenied);
  CHECK(MayDecide(plan_office, "jj-office").ok());
  CHECK(MayAdminister(plan_office).code() == Status::Code::kPermissionDenied);
  CHECK(MayAdminister(office).ok());
}
