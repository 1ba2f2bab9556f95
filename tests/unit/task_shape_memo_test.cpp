// TaskShapeMemo computes each shape once and returns its own value for every shape, across the
// table's growth, and tells apart tasks that differ only in their place in the K walk.
#include "sim/mapping/task_shape_memo.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

namespace pjsim {
namespace {

TileTask Task(std::int64_t m, std::int64_t k, std::int64_t n, bool first, bool last,
              bool in_array) {
  TileTask t;
  t.gemm = {m, k, n};
  t.first_k = first;
  t.last_k = last;
  t.accumulate_in_array = in_array;
  return t;
}

double ValueOf(const TileTask& t) {
  return static_cast<double>(t.gemm.m * 1000003 + t.gemm.k * 1009 + t.gemm.n) +
         (t.first_k ? 0.25 : 0) + (t.last_k ? 0.5 : 0) + (t.accumulate_in_array ? 0.125 : 0);
}

TEST(TaskShapeMemo, EachShapeComputedOnceWithItsOwnValue) {
  TaskShapeMemo memo;
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t, int>, int> computed;
  const auto compute = [&](const TileTask& t) {
    ++computed[{t.gemm.m, t.gemm.k, t.gemm.n,
                t.first_k + 2 * t.last_k + 4 * t.accumulate_in_array}];
    return ValueOf(t);
  };
  // Multiples of an array size, as the search asks for (the hash must spread them), three times.
  for (int round = 0; round < 3; ++round) {
    for (std::int64_t m = 128; m <= 2048; m += 128) {
      for (std::int64_t n = 128; n <= 1024; n += 128) {
        for (int ends = 0; ends < 8; ++ends) {
          const TileTask t = Task(m, 4096, n, ends & 1, ends & 2, ends & 4);
          ASSERT_EQ(memo.Get(t, compute), ValueOf(t)) << m << " " << n << " " << ends;
        }
      }
    }
  }
  EXPECT_EQ(computed.size(), 16u * 8u * 8u);
  for (const auto& [shape, times] : computed) EXPECT_EQ(times, 1);
}

}  // namespace
}  // namespace pjsim
