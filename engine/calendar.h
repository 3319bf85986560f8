// The working-day calendar: mainland China's public holidays and adjusted working days
// (调休), shipped with duban for 2022–2026, to which a plan may add its own days.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/date.h"
#include "engine/status.h"

namespace duban {

class WorkCalendar {
 public:
  /// A calendar with no special days: Monday–Friday work, Saturday–Sunday rest.
  WorkCalendar() = default;

  /// Parses the cn-workdays.yaml format (years → holidays [{from, to, name}], workdays
  /// [dates]). Errors name the offending entry; never throws.
  static Result<WorkCalendar> Parse(std::string_view yaml_text, std::string_view name);

  /// The calendar shipped with duban (data/calendar/cn-workdays.yaml, compiled in).
  static const WorkCalendar& China();

  /// Adds a holiday block or a working day (a plan's own calendar entries).
  void AddHoliday(Date from, Date to, const std::string& name);
  void AddWorkday(Date day);

  bool IsWorkday(Date d) const;
  /// The holiday's name when `d` is inside a listed holiday block.
  std::optional<std::string> HolidayName(Date d) const;
  /// `d` itself if a working day, else the next working day.
  Date NextWorkday(Date d) const;
  /// The n-th working day after `d` (n >= 1): "N个工作日内" counted from `d`.
  Date AddWorkdays(Date d, int n) const;
  /// Working days in (from, to].
  int WorkdaysBetween(Date from, Date to) const;

  /// The first and last year with listed days (0 if none). Outside them the plain
  /// weekday rule applies.
  int first_year() const;
  int last_year() const;

 private:
  std::map<int32_t, std::string> holidays_;  // day → holiday name
  std::map<int32_t, bool> workdays_;         // weekend days that are working days
};

}  // namespace duban
