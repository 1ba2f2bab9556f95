// FixedList keeps up to N items in order, iterates over exactly those, and refuses one more.
#include "sim/mapping/fixed_list.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>
#include <vector>

namespace pjsim {
namespace {

TEST(FixedList, KeepsItsItemsInOrderAndRefusesOneTooMany) {
  FixedList<std::pair<int, int>, 3> list;
  EXPECT_EQ(list.begin(), list.end());
  list.emplace_back(1, 2);
  list.push_back({3, 4});
  list.emplace_back(5, 6);
  EXPECT_EQ(list.size(), 3u);
  const std::vector<std::pair<int, int>> got(list.begin(), list.end());
  EXPECT_EQ(got, (std::vector<std::pair<int, int>>{{1, 2}, {3, 4}, {5, 6}}));
  EXPECT_THROW(list.emplace_back(7, 8), std::length_error);
}

}  // namespace
}  // namespace pjsim
