#pragma once
// Cycle count of one GEMM tile task on an R x C systolic MAC array: the exact formula the SystemC
// tile charges and the RTL kernel (rtl/int8_mac_array.sv) must reproduce cycle for cycle.
// Plain C++: no SystemC here, so RTL harnesses and unit tests can include it.
//
// Task: C[M x N] += A[M x K] * B[K x N]. Operands enter skewed (row i / column j delayed by i / j
// cycles), so one fold needs fill + stream + drain cycles (SCALE-Sim, docs/SOURCES.md#scalesim):
//   output-stationary (OS): folds = ceil(M/R) * ceil(N/C), cycles/fold = R + C + K - 2
//   weight-stationary (WS): folds = ceil(K/R) * ceil(N/C), cycles/fold = 2R + C + M - 2
//   input-stationary (IS):  folds = ceil(K/R) * ceil(M/C), cycles/fold = 2R + C + N - 2
// (SCALE-Sim's S_R x S_C stationary block and T streamed vectors: OS M x N with T = K, WS K x N
// with T = M, IS K x M with T = N: the inputs stay in the array and the weights stream through.)
// Folds run back to back; reading the finished outputs out of the array is not counted (it
// overlaps the next fold in the RTL and is charged as SRAM writes in the model).
// Conventions the RTL (rtl/int8_mac_array*.sv) follows: cycles are counted from the clock edge
// that takes `start` (edge 0) to the edge that raises `done`, on which the last result is
// written; folds do not overlap (the conservative SCALE-Sim count); WS (IS) loads a fold's weights
// (inputs) without overlapping the previous fold; operand buffers have no read latency. WS and IS
// partial sums of successive K-folds are added in the result buffer at no cycle cost, and the
// energy model charges their extra buffer read and write per output per K-fold
// (systolic_traffic.cpp).
#include <cstdint>
#include <string_view>

namespace pjsim {

enum class Dataflow { kOutputStationary, kWeightStationary, kInputStationary };

constexpr std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

struct ArrayShape {
  std::int64_t rows = 0;  // R
  std::int64_t cols = 0;  // C
};

struct GemmTask {
  std::int64_t m = 0;
  std::int64_t k = 0;
  std::int64_t n = 0;
};

constexpr std::int64_t ArrayFolds(Dataflow flow, ArrayShape a, GemmTask t) {
  switch (flow) {
    case Dataflow::kOutputStationary:
      return CeilDiv(t.m, a.rows) * CeilDiv(t.n, a.cols);
    case Dataflow::kWeightStationary:
      return CeilDiv(t.k, a.rows) * CeilDiv(t.n, a.cols);
    case Dataflow::kInputStationary:
      return CeilDiv(t.k, a.rows) * CeilDiv(t.m, a.cols);
  }
  return 0;
}

constexpr std::int64_t CyclesPerFold(Dataflow flow, ArrayShape a, GemmTask t) {
  switch (flow) {
    case Dataflow::kOutputStationary:
      return a.rows + a.cols + t.k - 2;
    case Dataflow::kWeightStationary:
      return 2 * a.rows + a.cols + t.m - 2;
    case Dataflow::kInputStationary:
      return 2 * a.rows + a.cols + t.n - 2;
  }
  return 0;
}

constexpr std::int64_t ArrayCycles(Dataflow flow, ArrayShape a, GemmTask t) {
  if (t.m <= 0 || t.k <= 0 || t.n <= 0) return 0;
  return ArrayFolds(flow, a, t) * CyclesPerFold(flow, a, t);
}

// Output-stationary accumulation kept in the PEs across K chunks. When a task's output block is
// one fold (M <= R, N <= C), the next K chunk of the same block can stream into the array on top
// of the sums already there: no drain, no refill, and no partial sums in SRAM. A chunk that
// leaves its sums in the array ends when its last operands have entered it (K cycles); the skew's
// R + C - 2 cycles are paid once, by the chunk that drains the block. The chunks of a block then
// add up to the single pass R + C + K - 2 over the whole K (SCALE-Sim's schedule).
constexpr bool CanAccumulateInArray(Dataflow flow, ArrayShape a, GemmTask t) {
  return flow == Dataflow::kOutputStationary && t.m <= a.rows && t.n <= a.cols;
}

// Cycles of a task whose sums stay in the array after it (`keeps_sums`: a K chunk of a one-fold
// output-stationary block other than the last); ArrayCycles otherwise.
constexpr std::int64_t ArrayCycles(Dataflow flow, ArrayShape a, GemmTask t, bool keeps_sums) {
  if (!keeps_sums || t.m <= 0 || t.k <= 0 || t.n <= 0) return ArrayCycles(flow, a, t);
  return t.k;
}

// SCALE-Sim anchors (docs/SOURCES.md#scalesim): 128^3 GEMM on 32x32 takes 3040 cycles OS and
// 3552 WS.
static_assert(ArrayCycles(Dataflow::kOutputStationary, {32, 32}, {128, 128, 128}) == 3040);
static_assert(ArrayCycles(Dataflow::kWeightStationary, {32, 32}, {128, 128, 128}) == 3552);
// Two chained K chunks of one 32 x 32 fold take the single pass over their whole K.
static_assert(ArrayCycles(Dataflow::kOutputStationary, {32, 32}, {32, 96, 32}, true) +
                  ArrayCycles(Dataflow::kOutputStationary, {32, 32}, {32, 32, 32}, false) ==
              ArrayCycles(Dataflow::kOutputStationary, {32, 32}, {32, 128, 32}));

}  // namespace pjsim
