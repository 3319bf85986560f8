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

/// Threads worth using for evaluation on this machine: its cores, at most 8.
unsigned EvaluationWorkers();

}  // namespace duban
