#include <catch2/catch.hpp>

#include "engine/graph.h"

using duban::DependencyGraph;
using V = std::vector<int>;

TEST_CASE("Graph: topological order puts every node after its dependencies", "[graph]") {
  DependencyGraph g(5);
  g.AddDependency(3, 1);  // 1 depends on 3
  g.AddDependency(1, 0);
  g.AddDependency(4, 2);
  auto order = g.TopologicalOrder();
  REQUIRE(order);
  CHECK(*order == V{3, 1, 0, 4, 2});
}

TEST_CASE("Graph: a cycle is found as a whole path", "[graph]") {
  DependencyGraph g(4);
  g.AddDependency(0, 1);
  g.AddDependency(1, 2);
  g.AddDependency(2, 0);
  g.AddDependency(2, 3);
  CHECK_FALSE(g.TopologicalOrder());
  CHECK(g.FindCycle() == V{0, 1, 2, 0});
  DependencyGraph self(2);
  self.AddDependency(1, 1);
  CHECK(self.FindCycle() == V{1, 1});
  DependencyGraph dag(3);
  dag.AddDependency(0, 1);
  CHECK(dag.FindCycle().empty());
}

TEST_CASE("Graph: downstream and upstream are transitive", "[graph]") {
  DependencyGraph g(6);
  g.AddDependency(0, 1);
  g.AddDependency(1, 2);
  g.AddDependency(1, 3);
  g.AddDependency(4, 3);
  CHECK(g.Downstream(0) == V{1, 2, 3});
  CHECK(g.Downstream(4) == V{3});
  CHECK(g.Downstream(5).empty());
  CHECK(g.Upstream(3) == V{0, 1, 4});
  CHECK(g.DependenciesOf(3) == V{1, 4});
}

TEST_CASE("Graph: critical path follows the longest unfinished chain", "[graph]") {
  // 0(10) -> 1(5) -> 3(1);  2(30) -> 3
  DependencyGraph g(4);
  g.AddDependency(0, 1);
  g.AddDependency(1, 3);
  g.AddDependency(2, 3);
  std::vector<int> dur = {10, 5, 30, 1};
  CHECK(g.CriticalPath(dur, {false, false, false, false}) == V{2, 3});
  dur[0] = 40;
  CHECK(g.CriticalPath(dur, {false, false, false, false}) == V{0, 1, 3});
  // Finished work delays nothing.
  CHECK(g.CriticalPath(dur, {true, false, false, false}) == V{2, 3});
  CHECK(g.CriticalPath(dur, {true, true, true, true}).empty());
}

TEST_CASE("Graph: long chains need no recursion", "[graph]") {
  const int n = 200000;
  DependencyGraph g(n);
  for (int i = 0; i + 1 < n; ++i) g.AddDependency(i, i + 1);
  CHECK(g.FindCycle().empty());
  g.AddDependency(n - 1, 0);
  CHECK(g.FindCycle().size() == static_cast<size_t>(n + 1));
}
