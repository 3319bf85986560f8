// The dependency graph of a plan's tasks, with the questions supervision asks of it.
#pragma once

#include <memory>
#include <optional>
#include <vector>

namespace duban {

struct Plan;

/// A directed graph over nodes 0..n-1; an edge (from → to) means `to` depends on
/// `from`. Results are deterministic: ties are broken by the lower node index.
class DependencyGraph {
 public:
  explicit DependencyGraph(size_t node_count);
  ~DependencyGraph();
  DependencyGraph(DependencyGraph&&) noexcept;
  DependencyGraph& operator=(DependencyGraph&&) noexcept;

  /// `to` depends on `from`. Duplicate edges are ignored.
  void AddDependency(int from, int to);

  size_t size() const;
  /// Every node after all it depends on; nullopt if the graph has a cycle.
  std::optional<std::vector<int>> TopologicalOrder() const;
  /// A cycle as a path whose last node repeats the first (a → b → a); empty if none.
  std::vector<int> FindCycle() const;
  /// Nodes that depend on `node`, directly or transitively, ascending.
  std::vector<int> Downstream(int node) const;
  /// Nodes `node` depends on, directly or transitively, ascending.
  std::vector<int> Upstream(int node) const;
  /// Direct dependencies of `node`, ascending.
  std::vector<int> DependenciesOf(int node) const;
  /// The longest chain of unfinished nodes by summed duration (days), in dependency
  /// order. Finished nodes are left out (they delay nothing). Empty on a cycle.
  std::vector<int> CriticalPath(const std::vector<int>& durations,
                                const std::vector<bool>& finished) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The graph over `plan.tasks` (indices as in the plan) from resolved depends_on.
DependencyGraph BuildDependencyGraph(const Plan& plan);

}  // namespace duban
