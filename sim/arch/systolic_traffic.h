#pragma once
// SRAM operand traffic of one GEMM task on an R x C systolic array with the dataflows of
// array_timing.h, for operands of any width (the L-Mul array; the same counting conventions as
// the MAC arrays, see README "SRAM operand traffic per task"). Plain C++.
// Reads of a task C[M x N] += A[M x K] * B[K x N] (inputs A, weights B) on R x C, per dataflow:
//   OS: A ceil(N/C) times, B ceil(M/R) times (each fold streams its R rows and C columns);
//   WS: B once (stationary), A ceil(N/C) times (streamed once per column group of N);
//   IS: A once (stationary), B ceil(M/C) times (streamed once per column group of M).
// WS and IS leave partial sums in SRAM after every K-fold (ceil(K/R) - 1 writes and reads of the
// M x N sums) and OS keeps them in the PEs; all three read the sums when the task resumes a K
// chunk (!first_k) and write the outputs (at the output width after the last K chunk, as partial
// sums otherwise). OS K chunks that accumulate in the array (TileTask::accumulate_in_array) read
// and write no partial sums: the block's sums stay in the PEs until its last chunk.
#include "sim/arch/tile_kind.h"

namespace pjsim {

struct OperandWidths {
  double input_bits = 0;            // per activation element (operand A)
  double operand_b_total_bits = 0;  // the task's whole K x N operand B as stored (packed weights)
  double accumulator_bits = 0;      // partial sums
  double output_bits = 0;           // results after the last K chunk
};

GemmCost SystolicTraffic(const TileConfig& tile, const TileTask& task, const OperandWidths& w);

}  // namespace pjsim
