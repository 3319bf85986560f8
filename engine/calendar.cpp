#include "engine/calendar.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/calendar_data.h"
#include "engine/text.h"

// Decisions the header leaves open:
//
// - Days the file lists follow the file; every other day (any year, including years
//   outside 2022–2026) follows the plain rule: Monday–Friday work, Saturday–Sunday rest.
//   So 2027-01-01, a Friday, is a working day until 2027's arrangement is added.
// - A day inside a holiday block is a rest day even if it is a weekday; a listed
//   workday is a working day. Parse refuses a day that is both. AddHoliday and
//   AddWorkday let the later call win: adding a holiday over a listed workday removes
//   the workday, and adding a workday inside a holiday removes that day from the block.
// - first_year()/last_year() are the years of the earliest and latest listed day, not
//   the YAML year keys (the class keeps only days). For the shipped file that is
//   2022–2026: the 2023 block starting 2022-12-31 and the 2024 block starting
//   2023-12-30 fall inside years that are listed anyway. A file holding only the 2024
//   block would report first_year() == 2023.
// - AddHoliday with from > to adds nothing.
// - Parse also refuses a holiday block longer than 31 days (the longest real one is 9;
//   a longer block is a mistyped year), duplicate workdays and overlapping blocks.

namespace duban {
namespace {

constexpr int kMaxHolidayDays = 31;

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

const char* TypeName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Undefined: break;
  }
  return "nothing";
}

const char* WeekdayName(int weekday) {
  static const char* const kNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday"};
  return kNames[weekday - 1];
}

bool IsWeekend(int32_t day) { return Date::FromDays(day).weekday() >= 6; }

// Plain-rule arithmetic, so that counting across years with no listed days costs
// nothing. Day -3 (1969-12-29) was a Monday; PlainCountThrough(x) is the number of
// Monday–Friday days in [day -3, x], which is <= 0 before that Monday. Only
// differences of it matter.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t PlainCountThrough(int64_t day) {
  int64_t m = day + 3;
  int64_t weeks = FloorDiv(m, 7);
  return 5 * weeks + std::min<int64_t>(m - 7 * weeks + 1, 5);
}

// The Monday–Friday day whose PlainCountThrough is `count`.
int64_t PlainDayWithCount(int64_t count) {
  int64_t weeks = FloorDiv(count - 1, 5);
  return 7 * weeks + (count - 1 - 5 * weeks) - 3;
}

// Monday–Friday days in (from, to]; from <= to.
int64_t PlainBetween(int64_t from, int64_t to) {
  return PlainCountThrough(to) - PlainCountThrough(from);
}

// The n-th Monday–Friday day after `from` (n >= 1), clamped to what a Date can hold.
Date PlainAdd(int64_t from, int64_t n) {
  int64_t day = PlainDayWithCount(PlainCountThrough(from) + n);
  day = std::clamp<int64_t>(day, std::numeric_limits<int32_t>::min(),
                            std::numeric_limits<int32_t>::max());
  return Date::FromDays(static_cast<int32_t>(day));
}

struct HolidayBlock {
  Date from, to;
  std::string name;
};

// Walks the YAML tree; stops at the first error.
class Parser {
 public:
  explicit Parser(std::string_view name) : name_(name) {}

  Status Run(std::string_view text) {
    if (auto bad = FindInvalidUtf8(text)) {
      int line = static_cast<int>(std::count(text.begin(), text.begin() + *bad, '\n'));
      return ErrorAtLine(line, "not valid UTF-8 text");
    }
    try {
      YAML::Node root = YAML::Load(std::string(text));
      return Root(root);
    } catch (const YAML::Exception& e) {
      return ErrorAtLine(e.mark.line, e.msg.empty() ? "invalid YAML" : "invalid YAML: " + e.msg);
    }
  }

  std::vector<HolidayBlock> holidays;
  std::vector<Date> workdays;

 private:
  // yaml-cpp lines are 0-based (-1 when unknown).
  Status ErrorAtLine(int line, const std::string& msg) const {
    return Status::InvalidInput(name_ + ":" + std::to_string(std::max(line, 0) + 1) + ": " + msg);
  }
  Status Error(const YAML::Node& n, const std::string& msg) const {
    return ErrorAtLine(n.Mark().line, msg);
  }
  static int Line(const YAML::Node& n) { return std::max(n.Mark().line, 0) + 1; }

  // Calls f(key, value) for each entry of `map`, refusing keys not in `keys`
  // and repeated keys. Returns the first non-OK status.
  template <typename F>
  Status ForEachKey(const YAML::Node& map, const std::string& what,
                    const std::vector<std::string>& keys, F&& f) {
    std::set<std::string> seen;
    // Bind each entry by value: a reference to it->first would dangle.
    for (const auto& entry : map) {
      const YAML::Node& k = entry.first;
      if (!k.IsScalar()) return Error(k, "keys in " + what + " must be plain words");
      const std::string& key = k.Scalar();
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string msg = "unknown key " + Quote(key) + " in " + what;
        if (auto m = ClosestMatch(key, keys)) {
          msg += ", did you mean " + Quote(*m) + "?";
        } else {
          msg += " (expected ";
          for (size_t i = 0; i < keys.size(); ++i)
            msg += (i == 0 ? "" : i + 1 == keys.size() ? " or " : ", ") + Quote(keys[i]);
          msg += ")";
        }
        return Error(k, msg);
      }
      if (!seen.insert(key).second) return Error(k, "duplicate key " + Quote(key) + " in " + what);
      Status s = f(key, entry.second);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  Status Root(const YAML::Node& root) {
    if (root.IsNull()) {
      return Error(
          root, "the calendar is empty: expected years such as '2025:' with holidays and workdays");
    }
    if (!root.IsMap()) {
      return Error(
          root,
          std::string("a calendar must be a mapping of years (2025: {holidays, workdays}), got ") +
              TypeName(root));
    }
    std::map<int, int> year_lines;
    for (const auto& entry : root) {
      const YAML::Node& k = entry.first;
      std::optional<int> year;
      if (k.IsScalar()) year = ParseYear(k.Scalar());
      if (!year) {
        std::string shown = k.IsScalar() ? Quote(k.Scalar()) : std::string(TypeName(k));
        return Error(k, shown + " is not a year (expected a key such as 2025)");
      }
      auto [prev, fresh] = year_lines.emplace(*year, Line(k));
      if (!fresh) {
        return Error(k, "year " + std::to_string(*year) + " is listed twice (also line " +
                            std::to_string(prev->second) + ")");
      }
      Status s = Year(*year, entry.second);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  static std::optional<int> ParseYear(const std::string& s) {
    if (s.size() != 4 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    int y = std::stoi(s);
    if (y < 1900 || y > 2999) return std::nullopt;  // ParseDate's range
    return y;
  }

  Status Year(int year, const YAML::Node& v) {
    const std::string what = std::to_string(year);
    if (v.IsNull()) return Status::Ok();
    if (!v.IsMap()) {
      return Error(v, "year " + what + " must be a mapping with 'holidays' and 'workdays', got " +
                          TypeName(v));
    }
    return ForEachKey(v, what, {"holidays", "workdays"},
                      [&](const std::string& key, const YAML::Node& list) -> Status {
                        if (list.IsNull()) return Status::Ok();
                        if (!list.IsSequence()) {
                          return Error(
                              list, key + " in " + what + " must be a list, got " + TypeName(list));
                        }
                        for (const YAML::Node& e : list) {
                          Status s = key == "holidays" ? Holiday(e) : Workday(e);
                          if (!s.ok()) return s;
                        }
                        return Status::Ok();
                      });
  }

  // Reads a date; on failure sets *status.
  std::optional<Date> DateValue(const YAML::Node& n, const std::string& what, Status* status) {
    if (!n.IsScalar()) {
      *status = Error(n, what + " must be a date written YYYY-MM-DD, got " + TypeName(n));
      return std::nullopt;
    }
    DateError err = DateError::kNone;
    auto d = ParseDate(n.Scalar(), &err);
    if (!d) {
      *status =
          err == DateError::kImpossible
              ? Error(n, what + " " + Quote(n.Scalar()) + " is not a real calendar date")
              : Error(n, what + " must be a date written YYYY-MM-DD, got " + Quote(n.Scalar()));
    }
    return d;
  }

  Status Holiday(const YAML::Node& e) {
    if (!e.IsMap()) {
      return Error(
          e, std::string("each holiday must be a mapping {from, to, name}, got ") + TypeName(e));
    }
    // std::optional, not YAML::Node: assigning to a Node writes through to its data.
    std::optional<YAML::Node> from_node, to_node, name_node;
    Status s =
        ForEachKey(e, "a holiday", {"from", "to", "name"},
                   [&](const std::string& key, const YAML::Node& v) -> Status {
                     auto& slot = key == "from" ? from_node : key == "to" ? to_node : name_node;
                     slot.emplace(v);
                     return Status::Ok();
                   });
    if (!s.ok()) return s;
    for (auto [key, node] :
         {std::pair{"from", &from_node}, {"to", &to_node}, {"name", &name_node}}) {
      if (!*node) return Error(e, std::string("holiday is missing required key '") + key + "'");
    }
    if (!name_node->IsScalar()) {
      return Error(*name_node,
                   std::string("holiday name must be text, got ") + TypeName(*name_node));
    }
    const std::string name = name_node->Scalar();
    if (name.empty()) return Error(*name_node, "holiday name is empty");

    const std::string what = "holiday " + Quote(name);
    auto from = DateValue(*from_node, what + ": from", &s);
    if (!from) return s;
    auto to = DateValue(*to_node, what + ": to", &s);
    if (!to) return s;
    if (*to < *from) {
      return Error(
          e, what + " ends on " + to->ToString() + ", before it starts on " + from->ToString());
    }
    if (*to - *from + 1 > kMaxHolidayDays) {
      return Error(e, what + " lasts " + std::to_string(*to - *from + 1) + " days (" +
                          from->ToString() + " to " + to->ToString() +
                          "); a holiday block is at most " + std::to_string(kMaxHolidayDays) +
                          " days");
    }
    for (Date d = *from; d <= *to; d = d + 1) {
      if (auto it = holiday_at_.find(d.days()); it != holiday_at_.end()) {
        const HolidayBlock& other = holidays[it->second.first];
        return Error(e, what + " overlaps holiday " + Quote(other.name) + " (line " +
                            std::to_string(it->second.second) + ") on " + d.ToString());
      }
      if (auto it = workday_line_.find(d.days()); it != workday_line_.end()) {
        return Error(e, what + " covers " + d.ToString() + ", which is listed as a workday (line " +
                            std::to_string(it->second) + ")");
      }
    }
    for (Date d = *from; d <= *to; d = d + 1) holiday_at_[d.days()] = {holidays.size(), Line(e)};
    holidays.push_back({*from, *to, name});
    return Status::Ok();
  }

  Status Workday(const YAML::Node& e) {
    Status s;
    auto d = DateValue(e, "workday", &s);
    if (!d) return s;
    if (d->weekday() <= 5) {
      return Error(e, "workday " + d->ToString() + " is a " + WeekdayName(d->weekday()) +
                          "; only a Saturday or Sunday can be an adjusted working day");
    }
    if (auto it = holiday_at_.find(d->days()); it != holiday_at_.end()) {
      return Error(e, "workday " + d->ToString() + " falls in holiday " +
                          Quote(holidays[it->second.first].name) + " (line " +
                          std::to_string(it->second.second) + ")");
    }
    auto [prev, fresh] = workday_line_.emplace(d->days(), Line(e));
    if (!fresh) {
      return Error(e, "workday " + d->ToString() + " is listed twice (also line " +
                          std::to_string(prev->second) + ")");
    }
    workdays.push_back(*d);
    return Status::Ok();
  }

  std::string name_;
  std::map<int32_t, std::pair<size_t, int>> holiday_at_;  // day → (index in holidays, line)
  std::map<int32_t, int> workday_line_;                   // day → line
};

}  // namespace

Result<WorkCalendar> WorkCalendar::Parse(std::string_view yaml_text, std::string_view name) {
  Parser parser(name);
  Status s = parser.Run(yaml_text);
  if (!s.ok()) return s;
  WorkCalendar calendar;
  for (const auto& h : parser.holidays) calendar.AddHoliday(h.from, h.to, h.name);
  for (Date d : parser.workdays) calendar.AddWorkday(d);
  return calendar;
}

const WorkCalendar& WorkCalendar::China() {
  static const WorkCalendar calendar = [] {
    auto r = Parse(std::string_view(kChinaCalendarYaml, sizeof(kChinaCalendarYaml) - 1),
                   "data/calendar/cn-workdays.yaml");
    if (!r.ok()) {
      // The text was compiled in, so this is a bug in the shipped file, not user input.
      std::fprintf(stderr, "duban: the built-in holiday calendar is invalid: %s\n",
                   r.status().message().c_str());
      std::abort();
    }
    return std::move(r).value();
  }();
  return calendar;
}

void WorkCalendar::AddHoliday(Date from, Date to, const std::string& name) {
  for (Date d = from; d <= to; d = d + 1) {
    holidays_[d.days()] = name;
    workdays_.erase(d.days());
    if (d.days() == std::numeric_limits<int32_t>::max()) break;
  }
}

void WorkCalendar::AddWorkday(Date day) {
  holidays_.erase(day.days());
  workdays_[day.days()] = true;
}

bool WorkCalendar::IsWorkday(Date d) const {
  if (holidays_.count(d.days())) return false;
  if (workdays_.count(d.days())) return true;
  return d.weekday() <= 5;
}

std::optional<std::string> WorkCalendar::HolidayName(Date d) const {
  auto it = holidays_.find(d.days());
  if (it == holidays_.end()) return std::nullopt;
  return it->second;
}

Date WorkCalendar::NextWorkday(Date d) const { return IsWorkday(d) ? d : AddWorkdays(d, 1); }

// Jumps over stretches with no listed day using plain arithmetic and steps through the
// listed days one by one, so the cost is the number of listed days passed, not n.
Date WorkCalendar::AddWorkdays(Date d, int n) const {
  if (n <= 0) return d;
  int64_t remaining = n;
  int32_t cur = d.days();
  while (true) {
    std::optional<int32_t> next;
    if (auto h = holidays_.upper_bound(cur); h != holidays_.end()) next = h->first;
    if (auto w = workdays_.upper_bound(cur); w != workdays_.end())
      next = next ? std::min(*next, w->first) : w->first;
    if (!next) return PlainAdd(cur, remaining);
    // Days strictly between cur and *next follow the plain rule.
    int64_t plain = PlainBetween(cur, int64_t{*next} - 1);
    if (plain >= remaining) return PlainAdd(cur, remaining);
    remaining -= plain;
    cur = *next;
    if (IsWorkday(Date::FromDays(cur)) && --remaining == 0) return Date::FromDays(cur);
  }
}

// The plain count, corrected by the listed days in the range: a holiday on a weekday
// removes one, a working weekend day adds one. (A day is never in both maps.)
int WorkCalendar::WorkdaysBetween(Date from, Date to) const {
  if (to <= from) return 0;
  int64_t count = PlainBetween(from.days(), to.days());
  for (auto it = holidays_.upper_bound(from.days());
       it != holidays_.end() && it->first <= to.days(); ++it)
    if (!IsWeekend(it->first)) --count;
  for (auto it = workdays_.upper_bound(from.days());
       it != workdays_.end() && it->first <= to.days(); ++it)
    if (IsWeekend(it->first)) ++count;
  return static_cast<int>(count);
}

int WorkCalendar::first_year() const {
  std::optional<int32_t> first;
  if (!holidays_.empty()) first = holidays_.begin()->first;
  if (!workdays_.empty())
    first = first ? std::min(*first, workdays_.begin()->first) : workdays_.begin()->first;
  return first ? Date::FromDays(*first).year() : 0;
}

int WorkCalendar::last_year() const {
  std::optional<int32_t> last;
  if (!holidays_.empty()) last = holidays_.rbegin()->first;
  if (!workdays_.empty())
    last = last ? std::max(*last, workdays_.rbegin()->first) : workdays_.rbegin()->first;
  return last ? Date::FromDays(*last).year() : 0;
}

}  // namespace duban
