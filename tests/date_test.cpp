#include <catch2/catch.hpp>

#include "engine/date.h"

using duban::Date;
using duban::DateError;
using duban::ParseDate;

TEST_CASE("Date: parses and prints YYYY-MM-DD round trip", "[date]") {
  for (const char* s : {"2024-02-29", "2025-12-31", "2022-01-01", "1970-01-01", "2000-02-29"}) {
    auto d = ParseDate(s);
    REQUIRE(d);
    CHECK(d->ToString() == s);
  }
}

TEST_CASE("Date: refuses impossible days and wrong shapes with the reason", "[date]") {
  struct Case { const char* text; DateError error; };
  const Case cases[] = {
      {"2025-02-30", DateError::kImpossible}, {"2025-02-29", DateError::kImpossible},
      {"1900-02-29", DateError::kImpossible}, {"2025-13-01", DateError::kImpossible},
      {"2025-00-10", DateError::kImpossible}, {"2025-04-31", DateError::kImpossible},
      {"2025/06/30", DateError::kFormat},     {"2025-6-30", DateError::kFormat},
      {"20250630", DateError::kFormat},       {"", DateError::kFormat},
      {"2025-06-3x", DateError::kFormat},     {"２０２５-06-30", DateError::kFormat},
  };
  for (const auto& c : cases) {
    DateError e = DateError::kNone;
    CHECK_FALSE(ParseDate(c.text, &e));
    CHECK(e == c.error);
  }
}

TEST_CASE("Date: arithmetic and weekdays", "[date]") {
  Date a = *ParseDate("2024-02-28");
  CHECK((a + 1).ToString() == "2024-02-29");
  CHECK((a + 2).ToString() == "2024-03-01");
  CHECK(*ParseDate("2026-12-31") - *ParseDate("2024-03-05") == 1031);
  CHECK(ParseDate("2026-11-23")->weekday() == 1);  // Monday
  CHECK(ParseDate("2024-04-26")->weekday() == 5);  // Friday
  CHECK(ParseDate("1970-01-01")->weekday() == 4);  // Thursday
  CHECK(ParseDate("1969-12-31")->weekday() == 3);
}
