#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/date.h"

using duban::Date;
using duban::ParseDate;
using duban::WorkCalendar;

namespace {

Date D(const char* s) {
  auto d = ParseDate(s);
  if (!d) FAIL("bad date in test: " << s);
  return *d;
}

const WorkCalendar& China() { return WorkCalendar::China(); }

}  // namespace

TEST_CASE("Calendar: China's holidays and adjusted working days, 2022–2026", "[calendar]") {
  struct Case {
    const char* day;
    bool workday;
    const char* holiday;  // nullptr: not in a holiday block
  };
  const Case cases[] = {
      // 2024 春节: 02-10..17 off; Sundays 02-04 and 02-18 worked. 除夕 (Friday 02-09) was
      // only "encouraged" off, so it is an ordinary working day.
      {"2024-02-04", true, nullptr},      {"2024-02-09", true, nullptr},
      {"2024-02-10", false, "春节"},      {"2024-02-12", false, "春节"},
      {"2024-02-17", false, "春节"},      {"2024-02-18", true, nullptr},
      {"2024-02-19", true, nullptr},      {"2024-02-25", false, nullptr},
      // 元旦 2024 starts on Saturday 2023-12-30, listed under the 2024 key.
      {"2023-12-29", true, nullptr},      {"2023-12-30", false, "元旦"},
      {"2024-01-01", false, "元旦"},      {"2024-01-02", true, nullptr},
      {"2024-04-04", false, "清明节"},    {"2024-04-07", true, nullptr},
      {"2024-05-11", true, nullptr},      {"2024-10-12", true, nullptr},
      // 2025
      {"2025-01-01", false, "元旦"},      {"2025-01-26", true, nullptr},
      {"2025-01-28", false, "春节"},      {"2025-02-04", false, "春节"},
      {"2025-02-05", true, nullptr},      {"2025-02-08", true, nullptr},
      {"2025-04-27", true, nullptr},      {"2025-05-02", false, "劳动节"},
      {"2025-05-31", false, "端午节"},    {"2025-06-02", false, "端午节"},
      {"2025-06-03", true, nullptr},      {"2025-09-27", false, nullptr},
      {"2025-09-28", true, nullptr},      {"2025-10-01", false, "国庆节、中秋节"},
      {"2025-10-06", false, "国庆节、中秋节"}, {"2025-10-08", false, "国庆节、中秋节"},
      {"2025-10-09", true, nullptr},      {"2025-10-11", true, nullptr},
      {"2025-10-12", false, nullptr},
      // Plain days in a listed year.
      {"2025-03-12", true, nullptr},      {"2025-03-15", false, nullptr},
      {"2025-03-16", false, nullptr},
      // 2026
      {"2026-01-03", false, "元旦"},      {"2026-01-04", true, nullptr},
      {"2026-02-14", true, nullptr},      {"2026-02-15", false, "春节"},
      {"2026-02-23", false, "春节"},      {"2026-02-24", true, nullptr},
      {"2026-02-28", true, nullptr},      {"2026-05-09", true, nullptr},
      {"2026-09-20", true, nullptr},      {"2026-09-25", false, "中秋节"},
      {"2026-10-01", false, "国庆节"},    {"2026-10-07", false, "国庆节"},
      {"2026-10-10", true, nullptr},
      // 2022 and 2023, and the 2023 元旦 block that starts on 2022-12-31.
      {"2022-01-29", true, nullptr},      {"2022-02-01", false, "春节"},
      {"2022-12-31", false, "元旦"},      {"2023-01-02", false, "元旦"},
      {"2023-04-05", false, "清明节"},    {"2023-09-29", false, "中秋节、国庆节"},
      {"2023-10-08", true, nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.day);
    CHECK(China().IsWorkday(D(c.day)) == c.workday);
    auto name = China().HolidayName(D(c.day));
    CHECK(name.value_or("(none)") == std::string(c.holiday ? c.holiday : "(none)"));
  }
}

TEST_CASE("Calendar: every day of a holiday block is rest, bounded by working days", "[calendar]") {
  struct Block {
    const char* from;
    const char* to;
    const char* name;
  };
  const Block blocks[] = {
      {"2024-02-10", "2024-02-17", "春节"},
      {"2025-10-01", "2025-10-08", "国庆节、中秋节"},
      {"2026-02-15", "2026-02-23", "春节"},
      {"2026-10-01", "2026-10-07", "国庆节"},
  };
  for (const auto& b : blocks) {
    CAPTURE(b.from, b.to);
    for (Date d = D(b.from); d <= D(b.to); d = d + 1) {
      CAPTURE(d.ToString());
      CHECK_FALSE(China().IsWorkday(d));
      CHECK(China().HolidayName(d).value_or("") == b.name);
    }
    // Each of these blocks is flanked by a working day (a Saturday or Sunday in some).
    CHECK(China().IsWorkday(D(b.from) - 1));
    CHECK(China().IsWorkday(D(b.to) + 1));
  }
}

TEST_CASE("Calendar: outside 2022–2026 the plain weekday rule applies", "[calendar]") {
  // Documented behaviour: without a listed arrangement 元旦 2027 (a Friday) counts as a
  // working day, and 2021's 国庆节 is not known.
  struct Case {
    const char* day;
    bool workday;
  };
  const Case cases[] = {
      {"2027-01-01", true},  {"2027-01-02", false}, {"2027-01-03", false},
      {"2027-01-04", true},  {"2021-10-01", true},  {"2021-12-31", true},
      {"2030-05-01", true},  {"1999-10-02", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.day);
    CHECK(China().IsWorkday(D(c.day)) == c.workday);
    CHECK_FALSE(China().HolidayName(D(c.day)));
  }
}

TEST_CASE("Calendar: NextWorkday moves a due date off rest days", "[calendar]") {
  struct Case {
    const char* day;
    const char* expected;
  };
  const Case cases[] = {
      {"2025-10-01", "2025-10-09"},  // 国庆节、中秋节 runs to 10-08
      {"2025-05-31", "2025-06-03"},  // a report due on Saturday 端午 moves to Tuesday
      {"2025-03-12", "2025-03-12"},  // already a working day
      {"2025-03-15", "2025-03-17"},  // plain weekend
      {"2025-09-28", "2025-09-28"},  // a working Sunday
      {"2024-02-10", "2024-02-18"},  // to the working Sunday after 春节
      {"2026-02-14", "2026-02-14"},  // a working Saturday
      {"2027-01-02", "2027-01-04"},  // plain rule after the data ends
  };
  for (const auto& c : cases) {
    CAPTURE(c.day);
    CHECK(China().NextWorkday(D(c.day)).ToString() == c.expected);
  }
}

TEST_CASE("Calendar: AddWorkdays gives the n-th working day after the start", "[calendar]") {
  struct Case {
    const char* from;
    int n;
    const char* expected;
  };
  const Case cases[] = {
      {"2025-09-30", 1, "2025-10-09"},
      // Thursday 2024-02-08 + 3: Fri 02-09 is a working day (1); 02-10..17 are 春节;
      // Sunday 02-18 is an adjusted working day (2); Monday 02-19 is the third.
      {"2024-02-08", 3, "2024-02-19"},
      // Fri 09-26 + 2: Sat 09-27 rest, Sun 09-28 works (1), Mon 09-29 (2).
      {"2025-09-26", 2, "2025-09-29"},
      {"2025-01-24", 1, "2025-01-26"},   // Saturday rest, Sunday 01-26 works
      {"2025-04-25", 1, "2025-04-27"},   // Sunday 04-27 works before 劳动节
      {"2025-04-30", 3, "2025-05-08"},   // 05-01..05 off: 06, 07, 08
      {"2026-02-13", 1, "2026-02-14"},   // working Saturday
      {"2026-02-13", 2, "2026-02-24"},   // then 春节 02-15..23
      {"2025-03-12", 5, "2025-03-19"},   // a plain week
      {"2025-03-15", 1, "2025-03-17"},   // from a Saturday
      {"2022-01-01", 1000, "2026-01-06"},
      // 2026 has 248 working days: the 249th is Friday 2027-01-01 under the plain rule.
      {"2025-12-31", 248, "2026-12-31"},
      {"2025-12-31", 250, "2027-01-04"},
      {"2025-03-12", 0, "2025-03-12"},   // n <= 0 returns the start
      {"2025-03-12", -3, "2025-03-12"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.from, c.n);
    CHECK(China().AddWorkdays(D(c.from), c.n).ToString() == c.expected);
  }
}

TEST_CASE("Calendar: WorkdaysBetween counts working days in (from, to]", "[calendar]") {
  struct Case {
    const char* from;
    const char* to;
    int expected;
  };
  const Case cases[] = {
      // October 2025: 23 weekdays, 6 of them in 国庆节, plus working Saturday 10-11.
      {"2025-09-30", "2025-10-31", 18},
      // February 2024: 21 weekdays, 5 in 春节, plus working Sundays 02-04 and 02-18.
      {"2024-01-31", "2024-02-29", 18},
      // February 2026: 20 weekdays, 6 in 春节, plus working Saturdays 02-14 and 02-28.
      {"2026-01-31", "2026-02-28", 16},
      {"2025-02-28", "2025-03-31", 21},  // a month with nothing listed
      // Whole years.
      {"2021-12-31", "2022-12-31", 249},
      {"2022-12-31", "2023-12-31", 249},
      {"2023-12-31", "2024-12-31", 251},
      {"2024-12-31", "2025-12-31", 248},
      {"2025-12-31", "2026-12-31", 248},
      {"2026-12-31", "2027-12-31", 261},  // plain rule
      {"2019-12-31", "2029-12-31", 2550},
      // Edges: the start is excluded, the end included.
      {"2025-10-08", "2025-10-09", 1},
      {"2025-09-30", "2025-10-01", 0},
      {"2025-10-09", "2025-10-09", 0},
      {"2025-10-31", "2025-09-30", 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.from, c.to);
    CHECK(China().WorkdaysBetween(D(c.from), D(c.to)) == c.expected);
  }
}

TEST_CASE("Calendar: AddWorkdays, NextWorkday and WorkdaysBetween agree with a day-by-day walk",
          "[calendar]") {
  WorkCalendar own = China();
  own.AddHoliday(D("2027-03-01"), D("2027-03-03"), "检修");
  own.AddWorkday(D("2027-03-06"));
  const WorkCalendar plain;
  const std::pair<const char*, const WorkCalendar*> calendars[] = {
      {"China", &China()}, {"own", &own}, {"plain", &plain}};
  const int steps[] = {1, 2, 3, 5, 10, 30, 250};

  std::string mismatches;
  for (const auto& [label, cal] : calendars) {
    const Date first = D("2021-06-01"), last = D("2027-06-30");
    for (Date d = first; d <= last; d = d + 1) {
      // Naive answers.
      Date next = d;
      while (!cal->IsWorkday(next)) next = next + 1;
      if (cal->NextWorkday(d) != next) mismatches += std::string(label) + " next " + d.ToString() + "\n";
      for (int n : steps) {
        Date x = d;
        for (int left = n; left > 0;) {
          x = x + 1;
          if (cal->IsWorkday(x)) --left;
        }
        if (cal->AddWorkdays(d, n) != x) {
          mismatches += std::string(label) + " add " + d.ToString() + " " + std::to_string(n) + "\n";
        }
        // The n-th working day after d is the first day with n working days in (d, x].
        if (cal->WorkdaysBetween(d, x) != n || cal->WorkdaysBetween(d, x - 1) != n - 1) {
          mismatches += std::string(label) + " between " + d.ToString() + " " + x.ToString() + "\n";
        }
      }
    }
  }
  CHECK(mismatches == "");
}

TEST_CASE("Calendar: China() is parsed once and spans 2022 to 2026", "[calendar]") {
  CHECK(&WorkCalendar::China() == &WorkCalendar::China());
  // Years of the earliest and latest listed day (2022-01-01, 2026-10-10); the 2023 and
  // 2024 blocks starting in the previous December change nothing.
  CHECK(China().first_year() == 2022);
  CHECK(China().last_year() == 2026);
  const WorkCalendar plain;
  CHECK(plain.first_year() == 0);
  CHECK(plain.last_year() == 0);
}

TEST_CASE("Calendar: Parse reads holidays and workdays", "[calendar]") {
  // A file holding only the 2024 block: the years are those of the listed days.
  auto r = WorkCalendar::Parse(
      "2024:\n"
      "  holidays:\n"
      "    - {from: 2023-12-30, to: 2024-01-01, name: 元旦}\n"
      "    - from: 2024-02-10\n"
      "      to: 2024-02-17\n"
      "      name: 春节\n"
      "  workdays: [2024-02-04, 2024-02-18]\n",
      "own.yaml");
  REQUIRE(r.ok());
  CHECK(r->first_year() == 2023);
  CHECK(r->last_year() == 2024);
  CHECK(r->HolidayName(D("2023-12-31")).value_or("") == "元旦");
  CHECK(r->HolidayName(D("2024-02-14")).value_or("") == "春节");
  CHECK(r->IsWorkday(D("2024-02-18")));
  CHECK_FALSE(r->IsWorkday(D("2024-01-01")));
  CHECK(r->IsWorkday(D("2025-10-01")));  // not listed here

  auto empty_sections = WorkCalendar::Parse("2025:\n  holidays:\n  workdays: []\n2026:\n", "own.yaml");
  REQUIRE(empty_sections.ok());
  CHECK(empty_sections->first_year() == 0);
}

TEST_CASE("Calendar: Parse errors name the file, the line and the entry", "[calendar]") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"2025: {holidays: [",
       "test.yaml:1: invalid YAML: end of sequence flow not found"},
      {"just a line of text",
       "test.yaml:1: a calendar must be a mapping of years (2025: {holidays, workdays}), got a scalar"},
      {"# nothing here\n",
       "test.yaml:1: the calendar is empty: expected years such as '2025:' with holidays and workdays"},
      {"20x5:\n  holidays: []\n",
       "test.yaml:1: '20x5' is not a year (expected a key such as 2025)"},
      {"2025: [2025-01-01]\n",
       "test.yaml:1: year 2025 must be a mapping with 'holidays' and 'workdays', got a list"},
      {"2025:\n  holiday:\n    - {from: 2025-01-01, to: 2025-01-01, name: 元旦}\n",
       "test.yaml:2: unknown key 'holiday' in 2025, did you mean 'holidays'?"},
      {"2025:\n  vacations: []\n",
       "test.yaml:2: unknown key 'vacations' in 2025 (expected 'holidays' or 'workdays')"},
      {"2025:\n  holidays: []\n2025:\n  workdays: []\n",
       "test.yaml:3: year 2025 is listed twice (also line 1)"},
      {"2025:\n  workdays: 2025-01-26\n",
       "test.yaml:2: workdays in 2025 must be a list, got a scalar"},
      {"2025:\n  holidays:\n    - 2025-01-01\n",
       "test.yaml:3: each holiday must be a mapping {from, to, name}, got a scalar"},
      {"2025:\n  holidays:\n    - {from: 2025-01-01, to: 2025-01-01, nmae: 元旦}\n",
       "test.yaml:3: unknown key 'nmae' in a holiday, did you mean 'name'?"},
      {"2025:\n  holidays:\n    - {from: 2025-01-01, to: 2025-01-01}\n",
       "test.yaml:3: holiday is missing required key 'name'"},
      {"2025:\n  holidays:\n    - {from: 2025-01-01, from: 2025-01-02, name: 元旦}\n",
       "test.yaml:3: duplicate key 'from' in a holiday"},
      {"2025:\n  holidays:\n    - {from: 2025-01-01, to: 2025-01-01, name: }\n",
       "test.yaml:3: holiday name must be text, got nothing"},
      {"2025:\n  holidays:\n    - {from: 2025-02-30, to: 2025-03-02, name: 春节}\n",
       "test.yaml:3: holiday '春节': from '2025-02-30' is not a real calendar date"},
      {"2025:\n  holidays:\n    - {from: 2025-1-28, to: 2025-02-04, name: 春节}\n",
       "test.yaml:3: holiday '春节': from must be a date written YYYY-MM-DD, got '2025-1-28'"},
      {"2025:\n  holidays:\n    - {from: 2025-02-04, to: 2025-01-28, name: 春节}\n",
       "test.yaml:3: holiday '春节' ends on 2025-01-28, before it starts on 2025-02-04"},
      {"2025:\n  holidays:\n    - {from: 2025-01-28, to: 2026-02-04, name: 春节}\n",
       "test.yaml:3: holiday '春节' lasts 373 days (2025-01-28 to 2026-02-04); "
       "a holiday block is at most 31 days"},
      {"2025:\n  holidays:\n    - {from: 2025-01-01, to: 2025-01-03, name: 元旦}\n"
       "    - {from: 2025-01-03, to: 2025-01-05, name: 春节}\n",
       "test.yaml:4: holiday '春节' overlaps holiday '元旦' (line 3) on 2025-01-03"},
      {"2025:\n  workdays: [2025-01-26, 2025-03-12]\n",
       "test.yaml:2: workday 2025-03-12 is a Wednesday; "
       "only a Saturday or Sunday can be an adjusted working day"},
      {"2025:\n  workdays:\n    - 2025-02-29\n",
       "test.yaml:3: workday '2025-02-29' is not a real calendar date"},
      {"2025:\n  workdays:\n    - 2025-01-26\n    - 2025-01-26\n",
       "test.yaml:4: workday 2025-01-26 is listed twice (also line 3)"},
      {"2025:\n  holidays:\n    - {from: 2025-10-01, to: 2025-10-08, name: 国庆节}\n"
       "  workdays: [2025-09-28, 2025-10-04]\n",
       "test.yaml:4: workday 2025-10-04 falls in holiday '国庆节' (line 3)"},
      {"2025:\n  workdays: [2025-10-04]\n  holidays:\n"
       "    - {from: 2025-10-01, to: 2025-10-08, name: 国庆节}\n",
       "test.yaml:4: holiday '国庆节' covers 2025-10-04, which is listed as a workday (line 2)"},
      {"2025:\n  holidays:\n    - {from: 2025-01-01, to: 2025-01-01, name: \"\xe5\x85\x83\xff\"}\n",
       "test.yaml:3: not valid UTF-8 text"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto r = WorkCalendar::Parse(c.text, "test.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == duban::Status::Code::kInvalidInput);
    CHECK(r.status().message() == c.message);
  }
}

TEST_CASE("Calendar: AddHoliday and AddWorkday on a plain calendar", "[calendar]") {
  WorkCalendar cal;
  CHECK(cal.IsWorkday(D("2025-03-12")));
  CHECK_FALSE(cal.IsWorkday(D("2025-03-15")));
  CHECK(cal.WorkdaysBetween(D("2025-02-28"), D("2025-03-31")) == 21);

  cal.AddHoliday(D("2025-03-10"), D("2025-03-12"), "停电检修");
  cal.AddWorkday(D("2025-03-15"));  // Saturday
  CHECK(cal.first_year() == 2025);
  CHECK(cal.last_year() == 2025);

  struct Case {
    const char* day;
    bool workday;
    const char* holiday;
  };
  const Case cases[] = {
      {"2025-03-07", true, nullptr},  {"2025-03-10", false, "停电检修"},
      {"2025-03-12", false, "停电检修"}, {"2025-03-13", true, nullptr},
      {"2025-03-15", true, nullptr},  {"2025-03-16", false, nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.day);
    CHECK(cal.IsWorkday(D(c.day)) == c.workday);
    CHECK(cal.HolidayName(D(c.day)).value_or("(none)") == std::string(c.holiday ? c.holiday : "(none)"));
  }
  CHECK(cal.AddWorkdays(D("2025-03-07"), 1).ToString() == "2025-03-13");
  CHECK(cal.AddWorkdays(D("2025-03-13"), 2).ToString() == "2025-03-15");
  CHECK(cal.NextWorkday(D("2025-03-10")).ToString() == "2025-03-13");
  // March 2025: 21 weekdays, 3 taken by the holiday, one working Saturday.
  CHECK(cal.WorkdaysBetween(D("2025-02-28"), D("2025-03-31")) == 19);

  // The later call wins: a workday inside the block splits it; a holiday over a
  // workday removes it.
  cal.AddWorkday(D("2025-03-11"));
  CHECK(cal.IsWorkday(D("2025-03-11")));
  CHECK_FALSE(cal.HolidayName(D("2025-03-11")));
  cal.AddHoliday(D("2025-03-15"), D("2025-03-15"), "补休");
  CHECK_FALSE(cal.IsWorkday(D("2025-03-15")));
  CHECK(cal.HolidayName(D("2025-03-15")).value_or("") == "补休");

  // An empty range adds nothing.
  cal.AddHoliday(D("2025-04-02"), D("2025-04-01"), "空");
  CHECK(cal.IsWorkday(D("2025-04-01")));
  CHECK(cal.IsWorkday(D("2025-04-02")));
}

TEST_CASE("Calendar: a copy of China() takes a plan's own days without changing China()",
          "[calendar]") {
  WorkCalendar plan = WorkCalendar::China();
  plan.AddHoliday(D("2025-10-09"), D("2025-10-10"), "国庆节");
  CHECK(plan.NextWorkday(D("2025-10-01")).ToString() == "2025-10-11");
  CHECK(China().NextWorkday(D("2025-10-01")).ToString() == "2025-10-09");
  plan.AddWorkday(D("2027-01-09"));
  CHECK(plan.last_year() == 2027);
  CHECK(China().last_year() == 2026);
}
