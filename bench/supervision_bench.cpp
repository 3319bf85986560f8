// Measures deadline evaluation (engine/supervision.h) over synthetic plans: N
// assignments, ~10 reports each, 5% of tasks with a dependency. Prints a table and
// appends it to the file given as the first argument.
//
//   build/bench/supervision_bench bench/results/supervision.txt [assignments...]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "engine/supervision.h"

using namespace duban;

namespace {

PlanSnapshot Synthetic(int assignments, unsigned seed) {
  std::mt19937 rng(seed);
  PlanSnapshot p;
  p.id = "bench";
  p.title = "基准方案";
  p.period_start = *ParseDate("2024-01-01");
  p.period_end = *ParseDate("2026-12-31");
  const int per_task = 10;
  const int tasks = std::max(1, assignments / per_task);
  for (int s = 0; s < tasks / 20 + 1; ++s)
    p.tasks.push_back({"s" + std::to_string(s), "", "部分" + std::to_string(s), false, p.period_start, p.period_end, false, {}, {}, {}});
  for (int t = 0; t < tasks; ++t) {
    PlanSnapshot::TaskRow row{"t" + std::to_string(t), "s" + std::to_string(t / 20), "任务" + std::to_string(t), true,
                              p.period_start + static_cast<int>(rng() % 200), p.period_end - static_cast<int>(rng() % 400),
                              false, {}, {}, {}};
    if (t > 0 && rng() % 20 == 0) row.depends_on.push_back("t" + std::to_string(rng() % t));
    p.tasks.push_back(row);
  }
  for (int t = 0; t < tasks; ++t) {
    const auto& row = p.tasks[tasks / 20 + 1 + t];
    for (int u = 0; u < per_task && static_cast<int>(p.assignments.size()) < assignments; ++u) {
      AssignmentView a;
      a.id = static_cast<int64_t>(p.assignments.size());
      a.plan = "bench";
      a.task = row.id;
      a.task_title = row.title;
      a.unit = "u" + std::to_string(rng() % 500);
      a.unit_name = a.unit;
      a.role = u == 0 ? Role::kLead : Role::kCooperate;
      a.start = row.start;
      a.due = row.due;
      a.status = static_cast<AssignmentStatus>(rng() % 4);
      a.progress = static_cast<int>(rng() % 101);
      std::vector<Date> days;
      for (int k = 0; k < 10; ++k) days.push_back(p.period_start + static_cast<int>(rng() % 700));
      std::sort(days.begin(), days.end());
      a.last_report = days.back();
      p.assignments.push_back(a);
      p.report_days.push_back(days);
    }
  }
  return p;
}

long PeakRssKb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = argc > 1 ? argv[1] : "bench/results/supervision.txt";
  std::vector<int> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(std::stoi(argv[i]));
  if (sizes.empty()) sizes = {1000, 10000, 100000};
  Date today = *ParseDate("2025-07-10");
  const WorkCalendar& cal = WorkCalendar::China();
  std::string table = "assignments  reports     evaluate_ms(median of 5)  peak_rss_mb\n";
  for (int n : sizes) {
    PlanSnapshot p = Synthetic(n, 42);
    size_t reports = 0;
    for (const auto& r : p.report_days) reports += r.size();
    (void)Evaluate(p, today, cal);  // warm-up
    std::vector<double> ms;
    for (int k = 0; k < 5; ++k) {
      auto t0 = std::chrono::steady_clock::now();
      PlanStatus s = Evaluate(p, today, cal);
      auto t1 = std::chrono::steady_clock::now();
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      if (s.assignments.size() != p.assignments.size()) return 1;
    }
    std::sort(ms.begin(), ms.end());
    char line[160];
    std::snprintf(line, sizeof line, "%-12d %-11zu %-25.1f %ld\n", n, reports, ms[2], PeakRssKb() / 1024);
    table += line;
    std::fputs(line, stdout);
  }
  std::ofstream f(out, std::ios::app);
  f << "# supervision_bench " << __DATE__ << "\n" << table << "\n";
  return 0;
}
