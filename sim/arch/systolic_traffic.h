#pragma once
// SRAM operand traffic of one GEMM task on an R x C systolic array with the dataflows of
// array_timing.h, for operands of any width (the L-Mul array; the same counting conventions as
// the MAC arrays, see README "SRAM operand traffic per task"). Plain C++.
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
