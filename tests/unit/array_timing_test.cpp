// K chunks accumulated in an output-stationary array (sim/task/array_timing.h,
// TileTask::accumulate_in_array): a chain of chunks takes the single pass over its whole K, and
// its SRAM traffic has no partial sums (sim/arch/systolic_traffic.h).
#include "sim/task/array_timing.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/arch/systolic_traffic.h"
#include "sim/task/tile_task.h"

namespace pjsim {
namespace {

constexpr Dataflow kOs = Dataflow::kOutputStationary;

// The tasks of one block's K walk: chunk lengths `ks`, flags as the mapping walk sets them.
std::vector<TileTask> Chain(std::int64_t m, std::int64_t n, const std::vector<std::int64_t>& ks,
                            bool in_array) {
  std::vector<TileTask> out;
  for (size_t i = 0; i < ks.size(); ++i) {
    TileTask t;
    t.gemm = {m, ks[i], n};
    t.first_k = i == 0;
    t.last_k = i + 1 == ks.size();
    t.accumulate_in_array = in_array;
    out.push_back(t);
  }
  return out;
}

TEST(ArrayTiming, ChainedChunksOfOneFoldTakeTheSinglePass) {
  for (const ArrayShape a : {ArrayShape{4, 4}, ArrayShape{8, 4}, ArrayShape{128, 128}}) {
    for (const std::vector<std::int64_t>& ks :
         {std::vector<std::int64_t>{1, 1}, {128, 128, 128, 128}, {7, 300, 5}, {64}}) {
      for (const GemmTask fold : {GemmTask{a.rows, 0, a.cols}, GemmTask{1, 0, a.cols - 1}}) {
        std::int64_t k = 0, chained = 0, drained = 0;
        for (size_t i = 0; i < ks.size(); ++i) {
          const GemmTask t{fold.m, ks[i], fold.n};
          const bool last = i + 1 == ks.size();
          chained += ArrayCycles(kOs, a, t, !last);
          drained += ArrayCycles(kOs, a, t);
          k += ks[i];
        }
        const std::int64_t single = ArrayCycles(kOs, a, {fold.m, k, fold.n});
        EXPECT_EQ(chained, single);
        // Draining and refilling after every chunk pays the skew once per chunk.
        EXPECT_EQ(drained - chained,
                  static_cast<std::int64_t>(ks.size() - 1) * (a.rows + a.cols - 2));
      }
    }
  }
}

TEST(ArrayTiming, OnlyOneOutputStationaryFoldCanAccumulateInTheArray) {
  const ArrayShape a{32, 16};
  EXPECT_TRUE(CanAccumulateInArray(kOs, a, {32, 999, 16}));
  EXPECT_TRUE(CanAccumulateInArray(kOs, a, {1, 1, 1}));
  EXPECT_FALSE(CanAccumulateInArray(kOs, a, {33, 64, 16}));
  EXPECT_FALSE(CanAccumulateInArray(kOs, a, {32, 64, 17}));
  EXPECT_FALSE(CanAccumulateInArray(Dataflow::kWeightStationary, a, {32, 64, 16}));
  EXPECT_FALSE(CanAccumulateInArray(Dataflow::kInputStationary, a, {32, 64, 16}));
  // Without keeps_sums the count is the plain one, and empty tasks take no cycles.
  EXPECT_EQ(ArrayCycles(kOs, a, {32, 64, 16}, false), ArrayCycles(kOs, a, {32, 64, 16}));
  EXPECT_EQ(ArrayCycles(kOs, a, {0, 64, 16}, true), 0);
}

TEST(SystolicTraffic, ChunksAccumulatedInTheArrayMoveNoPartialSums) {
  TileConfig tile;
  tile.rows = 16;
  tile.cols = 8;
  tile.dataflow = kOs;
  const std::int64_t m = 16, n = 8;
  const std::vector<std::int64_t> ks = {40, 40, 21};
  OperandWidths w;
  w.input_bits = 8;
  w.accumulator_bits = 32;
  w.output_bits = 8;
  double sram_read[2] = {0, 0}, sram_write[2] = {0, 0}, cycles[2] = {0, 0};
  for (const int in_array : {0, 1}) {
    for (const TileTask& t : Chain(m, n, ks, in_array == 1)) {
      w.operand_b_total_bits = static_cast<double>(t.gemm.k * n) * 8;
      const GemmCost c = SystolicTraffic(tile, t, w);
      sram_read[in_array] += c.sram_read_bits;
      sram_write[in_array] += c.sram_write_bits;
      cycles[in_array] += static_cast<double>(c.array_cycles);
    }
  }
  const double k = 101, sums = static_cast<double>(m * n) * 32;
  // In the array: operands once (one fold), the outputs once at their width.
  EXPECT_DOUBLE_EQ(sram_read[1], (static_cast<double>(m) * k + k * static_cast<double>(n)) * 8);
  EXPECT_DOUBLE_EQ(sram_write[1], static_cast<double>(m * n) * 8);
  // In SRAM: the partial sums are written after and read before every chunk boundary.
  EXPECT_DOUBLE_EQ(sram_read[0] - sram_read[1], 2 * sums);
  EXPECT_DOUBLE_EQ(sram_write[0] - sram_write[1], 2 * sums);
  EXPECT_DOUBLE_EQ(cycles[1], static_cast<double>(ArrayCycles(kOs, {16, 8}, {m, 101, n})));
  EXPECT_DOUBLE_EQ(cycles[0] - cycles[1], 2.0 * (16 + 8 - 2));
}

TEST(SystolicTraffic, AnInArrayTaskLargerThanOneFoldIsRejected) {
  TileConfig tile;
  tile.rows = 4;
  tile.cols = 4;
  tile.dataflow = kOs;
  TileTask t;
  t.gemm = {5, 8, 4};
  t.first_k = true;
  t.last_k = false;
  t.accumulate_in_array = true;
  EXPECT_THROW(SystolicTraffic(tile, t, OperandWidths{8, 256, 32, 8}), std::logic_error);
  tile.dataflow = Dataflow::kWeightStationary;
  t.gemm = {4, 8, 4};
  EXPECT_THROW(SystolicTraffic(tile, t, OperandWidths{8, 256, 32, 8}), std::logic_error);
}

}  // namespace
}  // namespace pjsim
