#include "engine/graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <set>

#include "engine/plan.h"

namespace duban {

using BoostGraph = boost::adjacency_list<boost::setS, boost::vecS, boost::bidirectionalS>;

struct DependencyGraph::Impl {
  explicit Impl(size_t n) : g(n) {}
  BoostGraph g;
};

DependencyGraph::DependencyGraph(size_t node_count) : impl_(std::make_unique<Impl>(node_count)) {}
DependencyGraph::~DependencyGraph() = default;
DependencyGraph::DependencyGraph(DependencyGraph&&) noexcept = default;
DependencyGraph& DependencyGraph::operator=(DependencyGraph&&) noexcept = default;

void DependencyGraph::AddDependency(int from, int to) { boost::add_edge(from, to, impl_->g); }

size_t DependencyGraph::size() const { return boost::num_vertices(impl_->g); }

std::optional<std::vector<int>> DependencyGraph::TopologicalOrder() const {
  // Kahn's algorithm with a min-heap gives the lowest-index-first order, which is
  // stable across runs; boost::topological_sort's DFS order is not what people read.
  const BoostGraph& g = impl_->g;
  size_t n = boost::num_vertices(g);
  std::vector<size_t> indeg(n);
  for (size_t v = 0; v < n; ++v) indeg[v] = boost::in_degree(v, g);
  std::set<int> ready;
  for (size_t v = 0; v < n; ++v) if (indeg[v] == 0) ready.insert(static_cast<int>(v));
  std::vector<int> order;
  order.reserve(n);
  while (!ready.empty()) {
    int v = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(v);
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
      auto w = boost::target(*e, g);
      if (--indeg[w] == 0) ready.insert(static_cast<int>(w));
    }
  }
  if (order.size() != n) return std::nullopt;
  return order;
}

std::vector<int> DependencyGraph::FindCycle() const {
  const BoostGraph& g = impl_->g;
  size_t n = boost::num_vertices(g);
  enum Color : char { kWhite, kGray, kBlack };
  std::vector<Color> color(n, kWhite);
  std::vector<int> stack;  // the current DFS path
  // Iterative DFS: recursion depth would follow the longest chain of tasks.
  for (size_t root = 0; root < n; ++root) {
    if (color[root] != kWhite) continue;
    std::vector<std::pair<int, BoostGraph::out_edge_iterator>> frames;
    auto push = [&](int v) {
      color[v] = kGray;
      stack.push_back(v);
      frames.emplace_back(v, boost::out_edges(v, g).first);
    };
    push(static_cast<int>(root));
    while (!frames.empty()) {
      auto& [v, it] = frames.back();
      if (it == boost::out_edges(v, g).second) {
        color[v] = kBlack;
        stack.pop_back();
        frames.pop_back();
        continue;
      }
      int w = static_cast<int>(boost::target(*it, g));
      ++it;
      if (color[w] == kGray) {
        auto start = std::find(stack.begin(), stack.end(), w);
        std::vector<int> cycle(start, stack.end());
        cycle.push_back(w);
        return cycle;
      }
      if (color[w] == kWhite) push(w);
    }
  }
  return {};
}

namespace {

template <typename Next>
std::vector<int> Reach(int node, size_t n, Next next) {
  std::vector<char> seen(n, 0);
  std::vector<int> queue = {node}, out;
  seen[node] = 1;
  for (size_t i = 0; i < queue.size(); ++i) {
    for (int w : next(queue[i])) {
      if (!seen[w]) { seen[w] = 1; queue.push_back(w); out.push_back(w); }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<int> DependencyGraph::DependenciesOf(int node) const {
  std::vector<int> out;
  for (auto [e, end] = boost::in_edges(node, impl_->g); e != end; ++e)
    out.push_back(static_cast<int>(boost::source(*e, impl_->g)));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> DependencyGraph::Downstream(int node) const {
  const BoostGraph& g = impl_->g;
  return Reach(node, size(), [&](int v) {
    std::vector<int> out;
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) out.push_back(static_cast<int>(boost::target(*e, g)));
    return out;
  });
}

std::vector<int> DependencyGraph::Upstream(int node) const {
  return Reach(node, size(), [&](int v) { return DependenciesOf(v); });
}

std::vector<int> DependencyGraph::CriticalPath(const std::vector<int>& durations,
                                               const std::vector<bool>& finished) const {
  auto order = TopologicalOrder();
  if (!order) return {};
  size_t n = size();
  std::vector<long> best(n, -1);
  std::vector<int> prev(n, -1);
  auto dur = [&](int v) { return v < static_cast<int>(durations.size()) ? std::max(durations[v], 0) : 0; };
  auto done = [&](int v) { return v < static_cast<int>(finished.size()) && finished[v]; };
  for (int v : *order) {
    if (done(v)) continue;
    long from = 0;
    for (int u : DependenciesOf(v)) {
      if (!done(u) && (prev[v] < 0 || best[u] > from)) { from = best[u]; prev[v] = u; }
    }
    best[v] = from + dur(v);
  }
  int end = -1;
  for (size_t v = 0; v < n; ++v) {
    if (best[v] > (end < 0 ? -1 : best[end])) end = static_cast<int>(v);
  }
  std::vector<int> path;
  for (int v = end; v >= 0; v = prev[v]) path.push_back(v);
  std::reverse(path.begin(), path.end());
  return path;
}

DependencyGraph BuildDependencyGraph(const Plan& plan) {
  DependencyGraph g(plan.tasks.size());
  for (size_t i = 0; i < plan.tasks.size(); ++i) {
    for (const Ref& r : plan.tasks[i].depends_on) {
      int from = plan.FindTask(r.id);
      if (from >= 0) g.AddDependency(from, static_cast<int>(i));
    }
  }
  return g;
}

}  // namespace duban
