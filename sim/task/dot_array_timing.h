#pragma once
// Cycle count of one GEMM task on an array of C dot-product units of R lanes each (tile kinds
// ternary_add and binary). Each unit is the W-lane ternary dot unit of ternary_dot_timing.h
// (rtl/ternary_dot.sv) with W = R. Plain C++: no SystemC here.
//
// Task C[M x N] += A[M x K] * B[K x N]: unit c computes output columns c, c + C, ... for all M
// rows, i.e. M * ceil(N/C) dot products of length K issued back to back, then drains once:
//   cycles = M * ceil(N/C) * ceil(K/R) + ceil(log2 R) + 1      (0 for an empty task)
// All C units run in lockstep, so the task takes one unit's count. Zero skipping gates lanes
// (energy) but does not shorten a beat (time): a beat holding any nonzero weight still takes a
// cycle, and the formula counts every beat.
#include <cstdint>

#include "sim/task/array_timing.h"
#include "sim/task/ternary_dot_timing.h"

namespace pjsim {

constexpr std::int64_t DotArrayCycles(ArrayShape a, GemmTask t) {
  if (t.m <= 0 || t.k <= 0 || t.n <= 0) return 0;
  return TernaryDotCycles(a.rows, t.k, t.m * CeilDiv(t.n, a.cols));
}

static_assert(DotArrayCycles({16, 16}, {1, 2560, 16}) == 160 + 4 + 1);  // one BitNet GEMV block
static_assert(DotArrayCycles({16, 16}, {2, 2560, 17}) == 2 * 2 * 160 + 4 + 1);
static_assert(DotArrayCycles({16, 16}, {0, 2560, 16}) == 0);

}  // namespace pjsim
