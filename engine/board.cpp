#include "engine/board.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace duban {
namespace {

// One plan's snapshot and its status, which points into it: kept together, unmoved.
struct Evaluated {
  PlanSnapshot snapshot;
  PlanStatus status;
};

Result<std::unique_ptr<Evaluated>> EvaluateOne(Store& store, const std::string& plan, Date day,
                                               const WorkCalendar& calendar) {
  auto snaps = store.SnapshotsOn(plan, {day});
  if (!snaps.ok()) return snaps.status();
  auto e = std::make_unique<Evaluated>();
  e->snapshot = std::move(snaps->front());
  e->status = Evaluate(e->snapshot, day, calendar);
  return e;
}

}  // namespace

unsigned EvaluationWorkers() { return std::clamp(std::thread::hardware_concurrency(), 1u, 8u); }

Status EvaluatePlans(Store& store, const StoreOpener& open, const std::vector<std::string>& plans, Date day,
                     const WorkCalendar& calendar, unsigned workers, const std::function<void(PlanStatus&)>& use) {
  workers = std::min<size_t>(workers, plans.size());
  if (workers <= 1) {
    for (const std::string& id : plans) {
      auto e = EvaluateOne(store, id, day, calendar);
      if (!e.ok()) return e.status();
      use((*e)->status);
    }
    return Status::Ok();
  }

  // Slot i holds plan i's result once a worker has it. A worker takes the next plan only
  // while it is fewer than `ahead` plans past the one the caller waits for.
  const size_t ahead = 2 * workers;
  std::mutex mu;
  std::condition_variable changed;
  std::deque<std::optional<Result<std::unique_ptr<Evaluated>>>> window;  // from `consumed` on
  size_t next = 0, consumed = 0;
  bool stop = false;

  auto work = [&](Store* reader, Status opened) {
    for (;;) {
      size_t i;
      {
        std::unique_lock lock(mu);
        changed.wait(lock, [&] { return stop || next >= plans.size() || next < consumed + ahead; });
        if (stop || next >= plans.size()) return;
        i = next++;
        window.resize(std::max(window.size(), next - consumed));
      }
      Result<std::unique_ptr<Evaluated>> r =
          opened.ok() ? EvaluateOne(*reader, plans[i], day, calendar) : Result<std::unique_ptr<Evaluated>>(opened);
      std::lock_guard lock(mu);
      window[i - consumed].emplace(std::move(r));
      changed.notify_all();
    }
  };

  std::vector<std::unique_ptr<Store>> readers(workers);
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w) {
    Status opened = Status::Ok();
    if (auto r = open(); r.ok()) readers[w] = std::move(r.value());
    else opened = r.status();
    threads.emplace_back(work, readers[w].get(), opened);
  }
  // Whatever ends the loop, an error or an exception from `use`, the workers are stopped
  // and joined before this returns.
  struct Joiner {
    std::mutex& mu;
    std::condition_variable& changed;
    bool& stop;
    std::vector<std::thread>& threads;
    ~Joiner() {
      {
        std::lock_guard lock(mu);
        stop = true;
        changed.notify_all();
      }
      for (auto& t : threads) t.join();
    }
  } joiner{mu, changed, stop, threads};
  Status result = Status::Ok();
  for (size_t i = 0; i < plans.size(); ++i) {
    std::unique_ptr<Evaluated> e;
    {
      std::unique_lock lock(mu);
      changed.wait(lock, [&] { return !window.empty() && window.front().has_value(); });
      Result<std::unique_ptr<Evaluated>> r = std::move(*window.front());
      window.pop_front();
      ++consumed;
      if (!r.ok()) {
        result = r.status();
        stop = true;
      } else {
        e = std::move(r.value());
      }
      changed.notify_all();
    }
    if (!e) break;
    use(e->status);  // outside the lock: workers go on meanwhile
  }
  return result;
}

Result<BoardRun> RenderBoards(Store& store, const StoreOpener& open, const StoreOpener& keep,
                              const std::vector<std::string>& plans, Date day, const WorkCalendar& calendar,
                              unsigned workers, const std::string& variant,
                              const std::function<std::string(PlanStatus&)>& render,
                              const std::function<void(const std::string&)>& emit, size_t window_size) {
  BoardRun run;
  // Fresh boards are kept in batches of a few megabytes, so that a province's boards
  // are never all held at once; the writer is opened at the first batch.
  constexpr size_t kBatchBytes = 8 << 20;
  std::unique_ptr<Store> writer;
  bool keeping = true;
  std::vector<CachedBoard> batch;
  size_t batch_bytes = 0;
  auto flush = [&] {
    if (batch.empty()) return;
    if (keeping && !writer) {
      auto w = keep();
      if (w.ok()) writer = std::move(w.value());
      else { run.kept = w.status(); keeping = false; }
    }
    if (keeping) {
      if (Status s = writer->CacheBoards(day, variant, batch); !s.ok()) { run.kept = s; keeping = false; }
    }
    batch.clear();
    batch_bytes = 0;
  };

  // The plans a window at a time: the kept boards of a window are read together, its
  // other plans evaluated together, so that memory holds one window's boards however
  // many plans the store has.
  const size_t step = std::max<size_t>(window_size, 1);
  for (size_t from = 0; from < plans.size(); from += step) {
    const std::vector<std::string> window(plans.begin() + static_cast<std::ptrdiff_t>(from),
                                          plans.begin() + static_cast<std::ptrdiff_t>(std::min(plans.size(), from + step)));
    auto cached = store.CachedBoards(window, day, variant);
    if (!cached.ok()) return cached.status();
    std::vector<std::string> missing;
    std::vector<size_t> missing_at;
    for (size_t i = 0; i < window.size(); ++i) {
      if ((*cached)[i]) continue;
      missing.push_back(window[i]);
      missing_at.push_back(i);
    }
    size_t next = 0;  // the window's next plan to hand over
    auto reuse_until = [&](size_t end) {
      for (; next < end; ++next) {
        emit(*(*cached)[next]);
        (*cached)[next].reset();
        ++run.reused;
      }
    };
    size_t k = 0;
    Status s = EvaluatePlans(store, open, missing, day, calendar, workers, [&](PlanStatus& ps) {
      const size_t at = missing_at[k++];
      reuse_until(at);
      std::string board = render(ps);
      emit(board);
      ++next;
      ++run.rendered;
      if (!keeping) return;
      batch_bytes += board.size();
      batch.push_back({window[at], ps.plan->version, std::move(board)});
      if (batch_bytes >= kBatchBytes) flush();
    });
    if (!s.ok()) return s;
    reuse_until(window.size());
  }
  flush();
  return run;
}

}  // namespace duban
