// Calendar dates without time zones: a day number, parsed strictly from YYYY-MM-DD.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace duban {

class Date {
 public:
  Date() = default;
  /// Days since 1970-01-01 (may be negative).
  static Date FromDays(int32_t days) { Date d; d.days_ = days; return d; }
  /// Returns nullopt if (y, m, d) is not a real calendar day.
  static std::optional<Date> FromCivil(int y, int m, int d);

  int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  /// 1 = Monday … 7 = Sunday (ISO 8601).
  int weekday() const;
  std::string ToString() const;  // YYYY-MM-DD

  Date operator+(int n) const { return FromDays(days_ + n); }
  Date operator-(int n) const { return FromDays(days_ - n); }
  int operator-(Date o) const { return days_ - o.days_; }
  auto operator<=>(const Date&) const = default;

 private:
  int32_t days_ = 0;
};

/// Why a date string was refused.
enum class DateError { kNone, kFormat, kImpossible };

/// Parses exactly "YYYY-MM-DD" (years 1900–2999). On failure returns nullopt and, if
/// `error` is given, sets it: kFormat for the wrong shape, kImpossible for a day that
/// does not exist (2025-02-30).
std::optional<Date> ParseDate(std::string_view s, DateError* error = nullptr);

bool IsLeapYear(int y);
int DaysInMonth(int y, int m);

}  // namespace duban
