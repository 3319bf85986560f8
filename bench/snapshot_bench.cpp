// Times the stages of a report over an existing store, in process: reading the snapshot
// (one day and the two ends of a week), evaluating it, building and rendering the
// bulletin, in milliseconds of CPU time. Run by hand (bench/README.md):
//
//   snapshot_bench STORE PLAN DAY [RUNS]
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/calendar.h"
#include "engine/reports.h"
#include "engine/status_render.h"
#include "engine/store.h"
#include "engine/supervision.h"

namespace {

// CPU time of the process (user and system), so that other work on the machine does not
// count; a report's wall time is measured by bench/run.sh.
struct CpuClock {
  using time_point = double;
  static double now() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
  }
};

double Ms(double since) { return CpuClock::now() - since; }

// Resident memory now, in MB.
long RssMb() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4096 / (1024 * 1024);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace duban;
  if (argc < 4) {
    std::fprintf(stderr, "usage: snapshot_bench STORE PLAN DAY [RUNS]\n");
    return 2;
  }
  const std::string plan = argv[2];
  auto day = ParseDate(argv[3]);
  if (!day) {
    std::fprintf(stderr, "bad day %s\n", argv[3]);
    return 2;
  }
  const int runs = argc > 4 ? std::atoi(argv[4]) : 3;
  StoreOptions o;
  o.read_only = true;
  auto store = OpenSqliteStore(argv[1], o);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 2;
  }
  for (int r = 0; r < runs; ++r) {
    // The bulletin's path: both ends of the week, evaluated, the model, md and html.
    const long rss_start = RssMb();
    auto t = CpuClock::now();
    auto two = (*store)->SnapshotsOn(plan, {*day - 7, *day});
    if (!two.ok()) {
      std::fprintf(stderr, "%s\n", two.status().message().c_str());
      return 2;
    }
    const double t_two = Ms(t);
    const long rss_two = RssMb();
    t = CpuClock::now();
    PlanStatus prev = Evaluate((*two)[0], *day - 7, WorkCalendar::China(), EvaluateDepth::kStanding);
    PlanStatus now = Evaluate((*two)[1], *day, WorkCalendar::China());
    const double t_eval2 = Ms(t);
    const long rss_evaluated = RssMb();
    t = CpuClock::now();
    BulletinModel m = BuildBulletin(now, prev, "week", 1, {});
    const double t_build = Ms(t);
    t = CpuClock::now();
    const std::string md = RenderBulletinMarkdown(m, Lang::kZh);
    const double t_md = Ms(t);
    t = CpuClock::now();
    const std::string html = RenderBulletinHtml(m, Lang::kZh);
    const double t_html = Ms(t);
    const long rss_end = RssMb();
    std::printf("bulletin: assignments %zu  two snapshots %.0f ms  evaluate both %.0f ms  model %.0f ms  md %.0f ms (%zu B)  "
                "html %.0f ms (%zu B) | RSS start %ld MB, snapshots %ld MB, evaluated %ld MB, rendered %ld MB\n",
                (*two)[1].assignments.size(), t_two, t_eval2, t_build, t_md, md.size(), t_html, html.size(), rss_start,
                rss_two, rss_evaluated, rss_end);
  }
  for (int r = 0; r < runs; ++r) {
    // The board's path: one snapshot, evaluated, rendered as text.
    auto t = CpuClock::now();
    auto one = (*store)->SnapshotsOn(plan, {*day});
    const double t_one = Ms(t);
    t = CpuClock::now();
    std::vector<PlanStatus> st;
    st.push_back(Evaluate(one->front(), *day, WorkCalendar::China()));
    const double t_eval = Ms(t);
    t = CpuClock::now();
    const std::string board = RenderStatusText(st, StatusOptions{});
    const double t_board = Ms(t);
    std::printf("status: snapshot %.0f ms  evaluate %.0f ms  board %.0f ms (%zu B)\n", t_one, t_eval, t_board, board.size());
  }
  return 0;
}
