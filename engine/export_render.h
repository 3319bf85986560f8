// Exports for other programs: a unit's calendar (iCalendar, RFC 5545) and the dependency
// graph (Graphviz dot, Mermaid), coloured by light.
#pragma once

#include <string>

#include "engine/calendar.h"
#include "engine/supervision.h"

namespace duban {

/// The unit's deadlines (one event per open assignment's due date), milestones, yearly
/// events and reporting days in [from, to] as a VCALENDAR: CRLF lines folded at 75
/// octets (never inside a UTF-8 character), TEXT values escaped (\\ \; \, \n), all-day
/// events (DTSTART;VALUE=DATE), DTSTAMP from `stamp` (UTC, for reproducible output),
/// and UIDs stable across runs: "<kind>-<plan>-<task>-<date>-<unit>@duban".
std::string RenderUnitIcs(const PlanStatus& status, const std::string& unit, const WorkCalendar& calendar, Date from,
                          Date to, const std::string& stamp);

/// The dependency graph of the plan's leaf tasks, grouped by section, each node
/// coloured by its light (red / yellow / green; closed tasks grey), labels "id title"
/// escaped for the format. With `critical_only`, only the critical path and its edges.
std::string RenderGraphDot(const PlanStatus& status, bool critical_only);
std::string RenderGraphMermaid(const PlanStatus& status, bool critical_only);

}  // namespace duban
