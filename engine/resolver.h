// Internal to the loader: resolves references, expands groups and rules, and checks
// what can only be checked on the whole plan (cycles, dates, missing leads).
#pragma once

#include "engine/diagnostic.h"
#include "engine/plan.h"

namespace duban {

/// Fills Ref::id, Task::start/due and Plan::assignments; reports problems to `diags`.
void ResolvePlan(Plan& plan, Diagnostics& diags);

}  // namespace duban
