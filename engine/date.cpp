#include "engine/date.h"

#include <cstdio>

namespace duban {
namespace {

// Howard Hinnant's civil-from-days / days-from-civil algorithms.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void CivilFromDays(int32_t z, int* y, int* m, int* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int yy = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yy + (*m <= 2);
}

}  // namespace

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

std::optional<Date> Date::FromCivil(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return FromDays(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

int Date::year() const { int y, m, d; CivilFromDays(days_, &y, &m, &d); return y; }
int Date::month() const { int y, m, d; CivilFromDays(days_, &y, &m, &d); return m; }
int Date::day() const { int y, m, d; CivilFromDays(days_, &y, &m, &d); return d; }

int Date::weekday() const {
  // 1970-01-01 was a Thursday (4).
  int w = (days_ % 7 + 7) % 7;  // 0 = Thursday
  return (w + 3) % 7 + 1;
}

std::string Date::ToString() const {
  int y, m, d;
  CivilFromDays(days_, &y, &m, &d);
  if (y < 0 || y > 9999) {  // outside what plans hold: the general form
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
  }
  // Every report and board writes dates by the thousand: digits by hand, no printf.
  std::string out(10, '-');
  out[0] = static_cast<char>('0' + y / 1000);
  out[1] = static_cast<char>('0' + y / 100 % 10);
  out[2] = static_cast<char>('0' + y / 10 % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

std::optional<Date> ParseDate(std::string_view s, DateError* error) {
  auto fail = [&](DateError e) -> std::optional<Date> {
    if (error) *error = e;
    return std::nullopt;
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return fail(DateError::kFormat);
  int v[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < lens[i]; ++k) {
      char c = s[starts[i] + k];
      if (c < '0' || c > '9') return fail(DateError::kFormat);
      v[i] = v[i] * 10 + (c - '0');
    }
  }
  if (v[0] < 1900 || v[0] > 2999) return fail(DateError::kImpossible);
  auto d = Date::FromCivil(v[0], v[1], v[2]);
  if (!d) return fail(DateError::kImpossible);
  if (error) *error = DateError::kNone;
  return d;
}

}  // namespace duban
