// RouteTable gives back each route as it was added, empty ones included.
#include "models/noc/route_table.h"

#include <gtest/gtest.h>

#include <vector>

namespace pjsim {
namespace {

TEST(RouteTable, GivesEachRouteAsAdded) {
  const std::vector<std::vector<int>> routes = {{4, 5, 6}, {}, {7}, {}, {1, 2}};
  RouteTable table;
  for (const auto& r : routes) table.Add(r);
  for (size_t i = 0; i < routes.size(); ++i) {
    const auto got = table.Get(i);
    EXPECT_EQ(std::vector<int>(got.begin(), got.end()), routes[i]) << i;
  }
}

}  // namespace
}  // namespace pjsim
