// Evaluating many plans on one day: a province's board or its morning reminders. Plans
// are independent, so they are read and evaluated on several threads, each with its own
// read connection, and handed back one at a time in the order asked for.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/status.h"
#include "engine/store.h"
#include "engine/supervision.h"

namespace duban {

/// Opens one more read connection to the same store.
using StoreOpener = std::function<Result<std::unique_ptr<Store>>()>;

/// Evaluates each of `plans` as of `day` and calls `use` with its status, in the order
/// of `plans`, on the calling thread. With `workers` > 1 and more than one plan, that many
/// threads read and evaluate ahead, a few plans at most, so memory stays that of a few
/// plans; otherwise `store` does it all here. The first error stops the run and is
/// returned; `use` has then seen the plans before the failing one. `use` may move from
/// the status it is given.
Status EvaluatePlans(Store& store, const StoreOpener& open, const std::vector<std::string>& plans, Date day,
                     const WorkCalendar& calendar, unsigned workers, const std::function<void(PlanStatus&)>& use);

/// What RenderBoards did: boards reused from the store, boards evaluated afresh, and
/// whether the fresh ones were kept (a board that could not be kept is still shown).
struct BoardRun {
  size_t reused = 0;
  size_t rendered = 0;
  Status kept = Status::Ok();
};

/// A board over many plans that is kept between runs: hands `emit` the board of each of
/// `plans` as of `day`, in the order of `plans`. A board the store kept under `variant`
/// (what the text depends on besides the plan and the day: format, language, build) is
/// reused while the plan's version is the one it was rendered from; the others are
/// evaluated as EvaluatePlans does, rendered with `render` and kept through a store that
/// `keep` opens for writing, a few megabytes per transaction. Failing to keep them is
/// reported in BoardRun::kept and changes nothing shown. Plans are taken `window` at a
/// time, so that memory holds that many boards at most, however many the store has.
Result<BoardRun> RenderBoards(Store& store, const StoreOpener& open, const StoreOpener& keep,
                              const std::vector<std::string>& plans, Date day, const WorkCalendar& calendar,
                              unsigned workers, const std::string& variant,
                              const std::function<std::string(PlanStatus&)>& render,
                              const std::function<void(const std::string&)>& emit, size_t window = 256);

/// Threads worth using for evaluation on this machine: its cores, at most 8.
unsigned EvaluationWorkers();

}  // namespace duban
