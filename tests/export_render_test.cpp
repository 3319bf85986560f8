// Exports for other programs: a unit's iCalendar file checked against RFC 5545 (and a
// real parser), the dependency graph as Graphviz dot (checked by dot itself) and Mermaid.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/export_render.h"
#include "engine/text.h"

using namespace duban;

namespace {

Date D(const char* s) { return *ParseDate(s); }

// A title with a full-width comma (left alone), an ASCII semicolon (escaped in
// iCalendar TEXT) and a backslash (escaped in TEXT and in dot strings). 1.2's title
// brings an ASCII comma and quotes.
const char kTitle11[] = "清理涉企收费，降成本; \\建立长效机制并定期评估";

// Two sections, four tasks, on 2025-07-10:
//   1.1 led by fgw (never reported: red), sjj cooperating (reports on time), due 09-30,
//       with a milestone on 08-15;
//   1.2 led by fgw, depends on 1.1 (yellow: upstream late);
//   2.1 ongoing, led by fgw, a yearly event on 04-26 (green);
//   2.2 led by sjj, depends on 1.2, closed.
// Monthly reports due on the 5th.
struct Fixture {
  PlanSnapshot p;
  PlanStatus status;
  Date today = D("2025-07-10");

  Fixture() {
    p.id = "demo-2025";
    p.title = "营商环境优化提升行动方案";
    p.office = "office";
    p.office_name = "市委督查室";
    p.period_start = D("2025-01-01");
    p.period_end = D("2025-12-31");
    p.reporting = {Cycle::kMonthly, 5};
    Date start = D("2025-01-01");
    p.tasks.push_back({"1", "", "优化政务服务", false, start, D("2025-12-31"), false, {}, {}, {}});
    p.tasks.push_back({"1.1", "1", kTitle11, true, start, D("2025-09-30"), false, {}, {{"形成问题清单,明确责任", D("2025-08-15")}}, {}});
    p.tasks.push_back({"1.2", "1", "推行\"一网通办\",压缩审批时限", true, start, D("2025-12-31"), false, {}, {}, {"1.1"}});
    p.tasks.push_back({"2", "", "强化要素保障", false, start, D("2025-12-31"), false, {}, {}, {}});
    p.tasks.push_back({"2.1", "2", "开展4·26知识产权宣传周活动", true, start, D("2025-12-31"), true, {{4, 26}}, {}, {}});
    p.tasks.push_back({"2.2", "2", "完善知识产权质押融资风险补偿机制", true, start, D("2025-06-30"), false, {}, {}, {"1.2"}});
    p.contacts = {{"fgw", "市发展改革委", "", ""}, {"sjj", "市市场监管局", "", ""}};
    Assign("1.1", "fgw", Role::kLead);
    Assign("1.1", "sjj", Role::kCooperate);
    ReportOnTime(1, AssignmentStatus::kInProgress, 60);
    Assign("1.2", "fgw", Role::kLead);
    ReportOnTime(2, AssignmentStatus::kInProgress, 50);
    Assign("2.1", "fgw", Role::kLead);
    ReportOnTime(3, AssignmentStatus::kInProgress, 50);
    Assign("2.2", "sjj", Role::kLead);
    ReportOnTime(4, AssignmentStatus::kClosed, 100);
    status = Evaluate(p, today, WorkCalendar::China());
  }

  void Assign(const std::string& task, const std::string& unit, Role role) {
    AssignmentView a;
    a.id = static_cast<int64_t>(p.assignments.size() + 1);
    a.plan = p.id;
    a.task = task;
    a.unit = unit;
    for (const auto& c : p.contacts)
      if (c.id == unit) a.unit_name = c.name;
    a.role = role;
    for (const auto& t : p.tasks)
      if (t.id == task) {
        a.task_title = t.title;
        a.start = t.start;
        a.due = t.due;
        a.ongoing = t.ongoing;
      }
    p.assignments.push_back(a);
    p.report_days.emplace_back();
  }

  // A report on every reporting day so far, the last one leaving `st` and `progress`.
  void ReportOnTime(size_t i, AssignmentStatus st, int progress) {
    AssignmentView& a = p.assignments[i];
    p.report_days[i] = ReportingDays(p.reporting, a.start + 7, today, WorkCalendar::China());
    a.status = st;
    a.progress = progress;
    a.last_report = p.report_days[i].back();
    a.reports = static_cast<int>(p.report_days[i].size());
  }

  std::string Ics(const std::string& unit, const char* from, const char* to) const {
    return RenderUnitIcs(status, unit, WorkCalendar::China(), D(from), D(to), "20250710T000000Z");
  }
};

std::vector<std::string> PhysicalLines(const std::string& ics) {
  std::vector<std::string> lines;
  size_t at = 0;
  for (size_t end; (end = ics.find("\r\n", at)) != std::string::npos; at = end + 2) lines.push_back(ics.substr(at, end - at));
  return lines;
}

// RFC 5545 3.1: a CRLF followed by a single space is removed.
std::string Unfold(std::string s) {
  for (size_t at; (at = s.find("\r\n ")) != std::string::npos;) s.erase(at, 3);
  return s;
}

std::vector<std::string> ContentLines(const std::string& ics) { return PhysicalLines(Unfold(ics)); }

// The value of the first content line of each event named `name` ("SUMMARY").
std::vector<std::string> Values(const std::string& ics, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& l : ContentLines(ics))
    if (l.rfind(name + ":", 0) == 0) out.push_back(l.substr(name.size() + 1));
  return out;
}

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

Run Shell(const std::string& command) {
  Run r;
  FILE* f = popen((command + " 2>&1").c_str(), "r");
  if (!f) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) r.output.append(buf, n);
  int st = pclose(f);
  r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string TempFile(const std::string& name, const std::string& contents) {
  auto path = std::filesystem::temp_directory_path() / ("duban-export-" + std::to_string(getpid()) + "-" + name);
  std::ofstream(path, std::ios::binary) << contents;
  return path.string();
}

// The fgw calendar from 2025-07-01 to 2026-06-30: date and SUMMARY of every event.
const std::vector<std::string> kFgwEvents = {
    "2025-07-07 【进展报送】营商环境优化提升行动方案",
    "2025-08-05 【进展报送】营商环境优化提升行动方案",
    "2025-08-15 【阶段目标】1.1 形成问题清单,明确责任",
    "2025-09-05 【进展报送】营商环境优化提升行动方案",
    "2025-09-30 【完成时限】1.1 清理涉企收费，降成本; \\建立长效机制并定期评估",
    "2025-10-09 【进展报送】营商环境优化提升行动方案",  // 10-05 falls in the National Day holiday
    "2025-11-05 【进展报送】营商环境优化提升行动方案",
    "2025-12-05 【进展报送】营商环境优化提升行动方案",
    "2025-12-31 【完成时限】1.2 推行\"一网通办\",压缩审批时限",
    "2026-01-05 【进展报送】营商环境优化提升行动方案",
    "2026-02-05 【进展报送】营商环境优化提升行动方案",
    "2026-03-05 【进展报送】营商环境优化提升行动方案",
    "2026-04-07 【进展报送】营商环境优化提升行动方案",
    "2026-04-26 【年度事项】2.1 开展4·26知识产权宣传周活动",
    "2026-05-06 【进展报送】营商环境优化提升行动方案",
    "2026-06-05 【进展报送】营商环境优化提升行动方案",
};

// RFC 5545 TEXT unescaped, as a reader sees it.
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char c = s[++i];
    out += c == 'n' || c == 'N' ? '\n' : c;
  }
  return out;
}

// "YYYY-MM-DD SUMMARY" of every event, in file order.
std::vector<std::string> EventList(const std::string& ics) {
  std::vector<std::string> out, starts = Values(ics, "DTSTART;VALUE=DATE"), summaries = Values(ics, "SUMMARY");
  for (size_t i = 0; i < starts.size() && i < summaries.size(); ++i) {
    const std::string& d = starts[i];
    out.push_back(d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2) + " " + Unescape(summaries[i]));
  }
  return out;
}

std::string Crlf(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\r\n";
  return s;
}

const std::string kFont = "Noto Sans CJK SC,Source Han Sans SC,WenQuanYi Micro Hei,Microsoft YaHei,PingFang SC,sans-serif";

// A plan whose ids and titles need escaping: quotes and backslashes, "a.b" and "a_b"
// (one Mermaid id), and a leaf outside any section. Nobody is assigned: no colours.
struct Awkward {
  PlanSnapshot p;
  PlanStatus status;
  Awkward() {
    p.id = "x\"y";
    p.title = "标题\"引号\"";
    p.period_start = D("2025-01-01");
    p.period_end = D("2025-12-31");
    Date s = p.period_start, e = p.period_end;
    p.tasks.push_back({"s", "", "第\"一\"部分\\", false, s, e, false, {}, {}, {}});
    p.tasks.push_back({"a.b", "s", "说明\"要求\"\\路径", true, s, e, false, {}, {}, {}});
    p.tasks.push_back({"a_b", "", "<b>#1&2", true, s, e, false, {}, {}, {"a.b"}});
    status = Evaluate(p, D("2025-07-10"), WorkCalendar::China());
  }
};

}  // namespace

TEST_CASE("Export: the fixture's lights and critical path", "[export]") {
  // What the exports below draw, checked once here.
  Fixture f;
  std::vector<std::string> lights;
  for (const auto& t : f.status.tasks)
    lights.push_back(f.p.tasks[t.task].id + " " + ToString(t.light) + " " + ToString(t.state));
  CHECK(lights == std::vector<std::string>{"1.1 red in_progress", "1.2 yellow in_progress", "2.1 green in_progress",
                                           "2.2 green closed"});
  CHECK(f.status.critical_path == std::vector<std::string>{"1.1", "1.2"});
}

TEST_CASE("Export: a unit's calendar is well-formed RFC 5545 text", "[export]") {
  Fixture f;
  const std::string ics = f.Ics("fgw", "2025-07-01", "2026-06-30");

  // Every line ends CRLF; no bare CR or LF.
  REQUIRE(ics.size() >= 2);
  CHECK(ics.substr(ics.size() - 2) == "\r\n");
  for (size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\r') REQUIRE(ics[i + 1] == '\n');
    if (ics[i] == '\n') REQUIRE((i > 0 && ics[i - 1] == '\r'));
  }
  // Physical lines: at most 75 octets, each valid UTF-8 on its own (a fold inside a
  // character would leave a broken sequence at one end), ASCII UIDs.
  int folds = 0;
  for (const std::string& l : PhysicalLines(ics)) {
    INFO(l);
    CHECK(l.size() <= 75);
    CHECK_FALSE(FindInvalidUtf8(l).has_value());
    if (!l.empty() && l[0] == ' ') ++folds;
  }
  CHECK(folds > 0);

  // Content lines: BEGIN/END nest, each event has its required properties once.
  std::vector<std::string> stack, uids;
  std::map<std::string, int> props;
  for (const std::string& l : ContentLines(ics)) {
    INFO(l);
    if (l.rfind("BEGIN:", 0) == 0) {
      stack.push_back(l.substr(6));
      if (stack.back() == "VEVENT") props.clear();
      continue;
    }
    if (l.rfind("END:", 0) == 0) {
      REQUIRE(!stack.empty());
      CHECK(stack.back() == l.substr(4));
      if (stack.back() == "VEVENT") {
        for (const char* name : {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"}) {
          INFO("property " << name);
          CHECK(props[name] == 1);
        }
      }
      stack.pop_back();
      continue;
    }
    std::string name = l.substr(0, l.find_first_of(":;"));
    ++props[name];
    if (name == "UID") uids.push_back(l.substr(4));
  }
  CHECK(stack.empty());
  CHECK(ContentLines(ics).front() == "BEGIN:VCALENDAR");
  CHECK(ContentLines(ics).back() == "END:VCALENDAR");

  // UIDs: one per event, unique, ASCII, the same on the next run.
  REQUIRE(uids.size() == kFgwEvents.size());
  CHECK(std::set<std::string>(uids.begin(), uids.end()).size() == uids.size());
  for (const auto& u : uids) {
    INFO(u);
    CHECK(std::all_of(u.begin(), u.end(), [](char c) { return c > 0x20 && c < 0x7f; }));
  }
  CHECK(uids[0] == "report-demo-2025-report-20250707-fgw@duban");
  CHECK(uids[2] == "milestone-demo-2025-1.1-20250815-fgw@duban");
  CHECK(uids[4] == "due-demo-2025-1.1-20250930-fgw@duban");
  CHECK(uids[13] == "event-demo-2025-2.1-20260426-fgw@duban");
  const std::string again = f.Ics("fgw", "2025-07-01", "2026-06-30");
  CHECK(again == ics);
  CHECK(Values(again, "UID") == uids);

  // All-day events: DTEND the day after DTSTART, stamps as given.
  auto starts = Values(ics, "DTSTART;VALUE=DATE"), ends = Values(ics, "DTEND;VALUE=DATE");
  REQUIRE(starts.size() == ends.size());
  for (size_t i = 0; i < starts.size(); ++i) {
    Date s = D((starts[i].substr(0, 4) + "-" + starts[i].substr(4, 2) + "-" + starts[i].substr(6, 2)).c_str());
    char next[16];
    std::snprintf(next, sizeof next, "%04d%02d%02d", (s + 1).year(), (s + 1).month(), (s + 1).day());
    CHECK(ends[i] == next);
  }
  CHECK(Values(ics, "DTSTAMP") == std::vector<std::string>(uids.size(), "20250710T000000Z"));
}

TEST_CASE("Export: the calendar holds deadlines, milestones, yearly events and reporting days in range", "[export]") {
  Fixture f;
  const std::string ics = f.Ics("fgw", "2025-07-01", "2026-06-30");
  // Sorted by date; reporting days moved off holidays (2025-10-05 → 10-09, 2026-04-05 →
  // 04-07, 2026-05-05 → 05-06); one reporting event per day however many tasks; no
  // deadline for the ongoing 2.1; none from sjj's closed 2.2.
  CHECK(EventList(ics) == kFgwEvents);
  CHECK(Values(ics, "X-WR-CALNAME") == std::vector<std::string>{"营商环境优化提升行动方案 — 市发展改革委"});

  // A deadline tells the unit its role, state and the light's reasons.
  auto descriptions = Values(ics, "DESCRIPTION");
  REQUIRE(descriptions.size() == kFgwEvents.size());
  const AssignmentStatusView& lead11 = f.status.assignments[0];
  REQUIRE(lead11.reasons.size() == 1);
  CHECK(Unescape(descriptions[4]) == "方案:营商环境优化提升行动方案\n"
                                     "任务:1.1 " + std::string(kTitle11) + "\n"
                                     "职责:牵头单位\n"
                                     "状态:未开始,进度 0%(截至 2025-07-10)\n"
                                     "灯号:红灯\n"
                                     "原因:" + lead11.reasons[0].zh);
  // Reporting days after the plan's end list only the ongoing task.
  CHECK(Unescape(descriptions[9]) == "方案:营商环境优化提升行动方案\n"
                                     "请报送以下任务的进展:\n"
                                     "2.1 开展4·26知识产权宣传周活动(牵头,进行中 50%)");

  // The range bounds both ends, inclusive.
  CHECK(EventList(f.Ics("fgw", "2025-09-30", "2025-10-09")) ==
        std::vector<std::string>{kFgwEvents[4], kFgwEvents[5]});
  CHECK(EventList(f.Ics("fgw", "2025-10-10", "2025-10-31")).empty());
  CHECK(EventList(f.Ics("nobody", "2025-07-01", "2026-06-30")).empty());
}

TEST_CASE("Export: TEXT values are escaped and folded, exactly", "[export]") {
  Fixture f;
  const std::string ics = f.Ics("sjj", "2025-09-01", "2025-10-31");
  // The title's "，; \" becomes "，\; \\"; unfolding gives the escaped line back.
  CHECK(Values(ics, "SUMMARY")[1] == "【完成时限】1.1 清理涉企收费，降成本\\; \\\\建立长效机制并定期评估");
  CHECK(Unescape(Values(ics, "SUMMARY")[1]) == "【完成时限】1.1 " + std::string(kTitle11));
  CHECK(ics == Crlf({
                   "BEGIN:VCALENDAR",
                   "VERSION:2.0",
                   "PRODID:-//duban//duban 0.1//ZH",
                   "CALSCALE:GREGORIAN",
                   "METHOD:PUBLISH",
                   "X-WR-CALNAME:营商环境优化提升行动方案 — 市市场监管局",
                   "BEGIN:VEVENT",
                   "UID:report-demo-2025-report-20250905-sjj@duban",
                   "DTSTAMP:20250710T000000Z",
                   "DTSTART;VALUE=DATE:20250905",
                   "DTEND;VALUE=DATE:20250906",
                   "SUMMARY:【进展报送】营商环境优化提升行动方案",
                   "DESCRIPTION:方案:营商环境优化提升行动方案\\n请报送以下任",
                   " 务的进展:\\n1.1 清理涉企收费，降成本\\; \\\\建立长效机制",
                   " 并定期评估(配合\\,进行中 60%)",
                   "TRANSP:TRANSPARENT",
                   "END:VEVENT",
                   "BEGIN:VEVENT",
                   "UID:due-demo-2025-1.1-20250930-sjj@duban",
                   "DTSTAMP:20250710T000000Z",
                   "DTSTART;VALUE=DATE:20250930",
                   "DTEND;VALUE=DATE:20251001",
                   "SUMMARY:【完成时限】1.1 清理涉企收费，降成本\\; \\\\建立长",
                   " 效机制并定期评估",
                   "DESCRIPTION:方案:营商环境优化提升行动方案\\n任务:1.1 清理",
                   " 涉企收费，降成本\\; \\\\建立长效机制并定期评估\\n职责:配",
                   " 合单位\\n状态:进行中\\,进度 60%(截至 2025-07-10)\\n灯号:绿灯",
                   "TRANSP:TRANSPARENT",
                   "END:VEVENT",
                   "BEGIN:VEVENT",
                   "UID:report-demo-2025-report-20251009-sjj@duban",
                   "DTSTAMP:20250710T000000Z",
                   "DTSTART;VALUE=DATE:20251009",
                   "DTEND;VALUE=DATE:20251010",
                   "SUMMARY:【进展报送】营商环境优化提升行动方案",
                   "DESCRIPTION:方案:营商环境优化提升行动方案\\n请报送以下任",
                   " 务的进展:\\n1.1 清理涉企收费，降成本\\; \\\\建立长效机制",
                   " 并定期评估(配合\\,进行中 60%)",
                   "TRANSP:TRANSPARENT",
                   "END:VEVENT",
                   "END:VCALENDAR",
               }));
}

TEST_CASE("Export: the calendar reads back through python3-icalendar", "[export]") {
  // A real parser: Debian's python3-icalendar, for Debian's python3. Missing, the test
  // fails rather than skips: scripts/deps.sh installs it.
  Run probe = Shell("/usr/bin/python3 -c 'import icalendar'");
  if (probe.exit_code != 0)
    FAIL("python3-icalendar is not installed (needed to validate the iCalendar export): "
         "apt-get install python3-icalendar, and list it in scripts/deps.sh\n"
         << probe.output);
  Fixture f;
  const std::string ics = f.Ics("fgw", "2025-07-01", "2026-06-30");
  const std::string file = TempFile("fgw.ics", ics);
  const std::string script = TempFile("read_ics.py",
                                      "import icalendar, sys\n"
                                      "cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
                                      "for c in cal.walk():\n"
                                      "    if c.errors: print('errors', c.name, c.errors)\n"
                                      "print(cal['X-WR-CALNAME'])\n"
                                      "for e in cal.walk('VEVENT'):\n"
                                      "    missing = [p for p in ('UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY') if p not in e]\n"
                                      "    if missing: print('missing', missing)\n"
                                      "    print(e.decoded('DTSTART').isoformat(), e['SUMMARY'])\n"
                                      "print(cal.walk('VEVENT')[4]['DESCRIPTION'])\n");
  Run r = Shell("PYTHONIOENCODING=utf-8 /usr/bin/python3 " + script + " " + file);
  std::filesystem::remove(file);
  std::filesystem::remove(script);
  std::string expected = "营商环境优化提升行动方案 — 市发展改革委\n";
  for (const auto& e : kFgwEvents) expected += e + "\n";
  expected += Unescape(Values(ics, "DESCRIPTION")[4]) + "\n";
  CHECK(r.exit_code == 0);
  CHECK(r.output == expected);
}

TEST_CASE("Export: dot output for the plan's graph, exactly", "[export]") {
  Fixture f;
  // Sections as clusters, leaves coloured by light (closed grey), the critical edge bold.
  CHECK(RenderGraphDot(f.status, false) == R"x(digraph "demo-2025" {
  graph [rankdir=LR, fontname=")x" + kFont + R"x(", label="营商环境优化提升行动方案", labelloc=t];
  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname=")x" + kFont + R"x("];
  edge [fontname=")x" + kFont + R"x("];
  subgraph "cluster_1" {
    label="优化政务服务";
    "1.1" [label="1.1\n清理涉企收费，降成本; \\建立…", fillcolor="#e74c3c"];
    "1.2" [label="1.2\n推行\"一网通办\",压缩审批时限", fillcolor="#f1c40f"];
  }
  subgraph "cluster_2" {
    label="强化要素保障";
    "2.1" [label="2.1\n开展4·26知识产权宣传周活动", fillcolor="#2ecc71"];
    "2.2" [label="2.2\n完善知识产权质押融资风险补偿机制", fillcolor="#bdc3c7"];
  }
  "1.1" -> "1.2" [style=bold, penwidth=3];
  "1.2" -> "2.2";
}
)x");
  // Only the critical path: its nodes and the edges between consecutive ones.
  CHECK(RenderGraphDot(f.status, true) == R"x(digraph "demo-2025" {
  graph [rankdir=LR, fontname=")x" + kFont + R"x(", label="营商环境优化提升行动方案", labelloc=t];
  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname=")x" + kFont + R"x("];
  edge [fontname=")x" + kFont + R"x("];
  subgraph "cluster_1" {
    label="优化政务服务";
    "1.1" [label="1.1\n清理涉企收费，降成本; \\建立…", fillcolor="#e74c3c"];
    "1.2" [label="1.2\n推行\"一网通办\",压缩审批时限", fillcolor="#f1c40f"];
  }
  "1.1" -> "1.2" [style=bold, penwidth=3];
}
)x");
}

TEST_CASE("Export: dot escapes quotes and backslashes in ids, labels and titles", "[export]") {
  Awkward a;
  CHECK(RenderGraphDot(a.status, false) == R"x(digraph "x\"y" {
  graph [rankdir=LR, fontname=")x" + kFont + R"x(", label="标题\"引号\"", labelloc=t];
  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname=")x" + kFont + R"x("];
  edge [fontname=")x" + kFont + R"x("];
  subgraph "cluster_s" {
    label="第\"一\"部分\\";
    "a.b" [label="a.b\n说明\"要求\"\\路径"];
  }
  "a_b" [label="a_b\n<b>#1&2"];
  "a.b" -> "a_b";
}
)x");
}

TEST_CASE("Export: graphviz accepts the dot output", "[export]") {
  // Missing, the test fails rather than skips: scripts/deps.sh installs graphviz.
  if (Shell("command -v dot").exit_code != 0)
    FAIL("graphviz is not installed (dot is needed to validate the dot export): "
         "apt-get install graphviz, and list it in scripts/deps.sh");
  Fixture f;
  Awkward a;
  int n = 0;
  for (const std::string& dot :
       {RenderGraphDot(f.status, false), RenderGraphDot(f.status, true), RenderGraphDot(a.status, false)}) {
    const std::string file = TempFile("graph" + std::to_string(n++) + ".dot", dot);
    Run r = Shell("dot -Tsvg -o /dev/null " + file);
    std::filesystem::remove(file);
    INFO(dot);
    CHECK(r.exit_code == 0);
    CHECK(r.output == "");
  }
}

TEST_CASE("Export: Mermaid output for the plan's graph, exactly", "[export]") {
  Fixture f;
  CHECK(RenderGraphMermaid(f.status, false) == R"x(flowchart LR
  subgraph s_1["优化政务服务"]
    t_1_1["1.1<br/>清理涉企收费，降成本; \建立…"]
    t_1_2["1.2<br/>推行#quot;一网通办#quot;,压缩审批时限"]
  end
  subgraph s_2["强化要素保障"]
    t_2_1["2.1<br/>开展4·26知识产权宣传周活动"]
    t_2_2["2.2<br/>完善知识产权质押融资风险补偿机制"]
  end
  t_1_1 ==> t_1_2
  t_1_2 --> t_2_2
  classDef red fill:#e74c3c,stroke:#c0392b,color:#ffffff
  classDef yellow fill:#f1c40f,stroke:#b7950b,color:#000000
  classDef green fill:#2ecc71,stroke:#27ae60,color:#000000
  classDef closed fill:#bdc3c7,stroke:#95a5a6,color:#000000
  class t_1_1 red
  class t_1_2 yellow
  class t_2_1 green
  class t_2_2 closed
)x");
  CHECK(RenderGraphMermaid(f.status, true) == R"x(flowchart LR
  subgraph s_1["优化政务服务"]
    t_1_1["1.1<br/>清理涉企收费，降成本; \建立…"]
    t_1_2["1.2<br/>推行#quot;一网通办#quot;,压缩审批时限"]
  end
  t_1_1 ==> t_1_2
  classDef red fill:#e74c3c,stroke:#c0392b,color:#ffffff
  classDef yellow fill:#f1c40f,stroke:#b7950b,color:#000000
  classDef green fill:#2ecc71,stroke:#27ae60,color:#000000
  classDef closed fill:#bdc3c7,stroke:#95a5a6,color:#000000
  class t_1_1 red
  class t_1_2 yellow
)x");
}

TEST_CASE("Export: Mermaid ids are sanitised and unique, labels use entity codes", "[export]") {
  // "a.b" and "a_b" both sanitise to t_a_b: the second, in document order, gets "_2".
  Awkward a;
  CHECK(RenderGraphMermaid(a.status, false) == R"x(flowchart LR
  subgraph s_s["第#quot;一#quot;部分\"]
    t_a_b["a.b<br/>说明#quot;要求#quot;\路径"]
  end
  t_a_b_2["a_b<br/>#lt;b#gt;#35;1#amp;2"]
  t_a_b --> t_a_b_2
  classDef red fill:#e74c3c,stroke:#c0392b,color:#ffffff
  classDef yellow fill:#f1c40f,stroke:#b7950b,color:#000000
  classDef green fill:#2ecc71,stroke:#27ae60,color:#000000
  classDef closed fill:#bdc3c7,stroke:#95a5a6,color:#000000
)x");
}
