#include "sim/arch/systolic_traffic.h"

#include <stdexcept>

namespace pjsim {

GemmCost SystolicTraffic(const TileConfig& tile, const TileTask& task, const OperandWidths& w) {
  const GemmTask& g = task.gemm;
  const ArrayShape array{tile.rows, tile.cols};
  const auto m = static_cast<double>(g.m), k = static_cast<double>(g.k),
             n = static_cast<double>(g.n);
  const auto row_groups = static_cast<double>(CeilDiv(g.m, array.rows));
  const auto col_groups = static_cast<double>(CeilDiv(g.n, array.cols));
  const double sums = m * n * w.accumulator_bits;
  GemmCost cost;
  // K chunks of a one-fold output-stationary block may chain in the PEs (array_timing.h).
  const bool in_array = task.accumulate_in_array && CanAccumulateInArray(tile.dataflow, array, g);
  if (task.accumulate_in_array && !in_array) {
    throw std::logic_error("a task accumulating in the array must be one output-stationary fold");
  }
  cost.array_cycles = ArrayCycles(tile.dataflow, array, g, in_array && !task.last_k);
  if (tile.dataflow == Dataflow::kOutputStationary) {
    // Inputs re-read once per column group, weights once per row group.
    cost.sram_read_bits = m * k * col_groups * w.input_bits + w.operand_b_total_bits * row_groups;
    if (!task.first_k && !in_array) cost.sram_read_bits += sums;
  } else {
    // WS: weights once, inputs once per column group of N. IS (WS mirrored): inputs once, weights
    // once per column group of M. Either way partial sums leave the array after every K-fold and
    // come back.
    const auto k_folds = static_cast<double>(CeilDiv(g.k, array.rows));
    const double operands =
        tile.dataflow == Dataflow::kWeightStationary
            ? w.operand_b_total_bits + m * k * col_groups * w.input_bits
            : m * k * w.input_bits +
                  w.operand_b_total_bits * static_cast<double>(CeilDiv(g.m, array.cols));
    cost.sram_read_bits = operands + sums * (k_folds - 1 + (task.first_k ? 0 : 1));
    cost.sram_write_bits += sums * (k_folds - 1);
  }
  if (task.last_k) {
    cost.sram_write_bits += m * n * w.output_bits;
  } else if (!in_array) {
    cost.sram_write_bits += sums;
  }
  return cost;
}

}  // namespace pjsim
