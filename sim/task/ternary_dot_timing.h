#pragma once
// Cycle count of one task on the W-lane ternary dot-product unit: the exact formula the SystemC
// ternary tile charges and the RTL kernel (rtl/ternary_dot.sv) reproduces cycle for cycle.
// Plain C++: no SystemC here, so RTL harnesses and unit tests can include it.
//
// Task: `rows` dot products y[r] = sum_{k<K} x[k] * w[r][k], int8 x, w in {-1, 0, +1}, int32
// accumulate (a ternary GEMV; rows = 1 is a single dot product). The unit issues one beat of
// `lanes` consecutive k per cycle, rows back to back (ceil(K/lanes) beats per row, a partial last
// beat costs a full beat), then drains a pipeline of one lane register (zero-skip gating),
// ceil(log2 lanes) registered adder-tree levels and the accumulator:
//   cycles = rows * ceil(K / lanes) + ceil(log2 lanes) + 1      (0 for an empty task)
// Counted like ArrayCycles: clock edges from the edge that samples start to the edge that
// raises done (the last result is written on that edge). Energy is charged separately: one add
// per nonzero weight (the RTL reports that count), not per lane-beat.
#include <cstdint>

namespace pjsim {

// Registered levels of the lane adder tree: ceil(log2 lanes) (0 for a single lane).
constexpr std::int64_t TernaryTreeLevels(std::int64_t lanes) {
  std::int64_t levels = 0;
  while ((std::int64_t{1} << levels) < lanes) ++levels;
  return levels;
}

// Beats the unit issues for the task (one per cycle).
constexpr std::int64_t TernaryDotBeats(std::int64_t lanes, std::int64_t k, std::int64_t rows = 1) {
  if (lanes <= 0 || k <= 0 || rows <= 0) return 0;
  return rows * ((k + lanes - 1) / lanes);
}

constexpr std::int64_t TernaryDotCycles(std::int64_t lanes, std::int64_t k, std::int64_t rows = 1) {
  const std::int64_t beats = TernaryDotBeats(lanes, k, rows);
  return beats == 0 ? 0 : beats + TernaryTreeLevels(lanes) + 1;
}

static_assert(TernaryTreeLevels(1) == 0 && TernaryTreeLevels(2) == 1 && TernaryTreeLevels(5) == 3);
static_assert(TernaryTreeLevels(8) == 3 && TernaryTreeLevels(9) == 4);
static_assert(TernaryDotCycles(8, 64) == 8 + 3 + 1);
static_assert(TernaryDotCycles(8, 65) == 9 + 3 + 1);          // partial last beat costs a full beat
static_assert(TernaryDotCycles(16, 2560, 4) == 640 + 4 + 1);  // 4 rows of a BitNet 2B4T hidden dot
static_assert(TernaryDotCycles(1, 3) == 3 + 0 + 1);
static_assert(TernaryDotCycles(8, 0) == 0 && TernaryDotCycles(8, 5, 0) == 0);

}  // namespace pjsim
