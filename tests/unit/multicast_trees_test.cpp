// MulticastTrees: a tree lists the links of its receivers' routes once each, in the order a walk
// of the routes (receivers in order) first reaches them, each after the link before it on its
// route; it is built once per source and receivers, and a walk of the tree gives the same times
// as the walk of every route it replaces.
#include "models/noc/multicast_trees.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace pjsim {
namespace {

// XY routes on a 4 x 4 mesh, links numbered (y * 4 + x) * 4 + direction (E, W, N, S).
std::vector<int> XyRoute(int from, int to) {
  std::vector<int> links;
  int x = from % 4, y = from / 4;
  const int tx = to % 4, ty = to / 4;
  while (x != tx) {
    links.push_back((y * 4 + x) * 4 + (tx > x ? 0 : 1));
    x += tx > x ? 1 : -1;
  }
  while (y != ty) {
    links.push_back((y * 4 + x) * 4 + (ty > y ? 3 : 2));
    y += ty > y ? 1 : -1;
  }
  return links;
}

// Per receiver, when its head has crossed its route's last link, every link taking `cost` after
// the one before it (and the source at 0), walking each route in full: the tree's replacement.
std::vector<std::uint64_t> WalkRoutes(const std::vector<std::vector<int>>& routes,
                                      std::vector<int>& order) {
  std::vector<std::uint64_t> crossed(64, 0);
  std::vector<bool> seen(64, false);
  std::vector<std::uint64_t> last;
  for (const auto& route : routes) {
    std::uint64_t t = 0;
    for (const int link : route) {
      if (!seen[static_cast<size_t>(link)]) {
        seen[static_cast<size_t>(link)] = true;
        order.push_back(link);
        crossed[static_cast<size_t>(link)] = t + 10 + static_cast<std::uint64_t>(link);
      }
      t = crossed[static_cast<size_t>(link)];
    }
    last.push_back(t);
  }
  return last;
}

TEST(MulticastTrees, TreeWalkGivesTheRoutesWalk) {
  MulticastTrees trees;
  for (const int source : {0, 5, 15}) {
    const std::vector<int> receivers = {15, 3, 12, 0, 5, 6, 9, source};
    std::vector<std::vector<int>> routes;
    for (const int r : receivers) routes.push_back(XyRoute(source, r));
    const auto route_of = [&](size_t i) { return std::span<const int>(routes[i]); };
    const MulticastTrees::Tree& tree = trees.Get(source, receivers, route_of, 64);

    std::vector<int> order;
    const std::vector<std::uint64_t> expected = WalkRoutes(routes, order);
    EXPECT_EQ(tree.links, order);
    std::vector<std::uint64_t> crossed(tree.links.size() + 1, 0);
    for (size_t i = 0; i < tree.links.size(); ++i)
      crossed[i + 1] = crossed[tree.parent[i]] + 10 + static_cast<std::uint64_t>(tree.links[i]);
    ASSERT_EQ(tree.last.size(), receivers.size());
    for (size_t r = 0; r < receivers.size(); ++r) {
      EXPECT_EQ(crossed[tree.last[r]], expected[r]) << "receiver " << receivers[r];
      EXPECT_EQ(tree.hops[r], routes[r].size());
      EXPECT_EQ(tree.last[r] == 0, routes[r].empty());
    }
  }
}

TEST(MulticastTrees, BuiltOncePerSourceAndReceivers) {
  MulticastTrees trees;
  int built = 0;
  std::vector<std::vector<int>> routes;
  const auto route_of = [&](size_t i) {
    ++built;
    return std::span<const int>(routes[i]);
  };
  const std::vector<int> receivers = {1, 2, 3};
  for (const int r : receivers) routes.push_back(XyRoute(0, r));
  const MulticastTrees::Tree* first = &trees.Get(0, receivers, route_of, 64);
  EXPECT_EQ(built, 3);
  EXPECT_EQ(&trees.Get(0, receivers, route_of, 64), first);
  EXPECT_EQ(built, 3);
  // Another order of the same receivers, or another source, is another tree.
  const std::vector<int> reordered = {3, 2, 1};
  EXPECT_NE(&trees.Get(0, reordered, route_of, 64), first);
  EXPECT_NE(&trees.Get(4, receivers, route_of, 64), first);
  EXPECT_EQ(built, 9);
  EXPECT_EQ(&trees.Get(0, receivers, route_of, 64), first);  // still there
}

}  // namespace
}  // namespace pjsim
