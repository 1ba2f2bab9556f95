// The input-stationary dataflow (SCALE-Sim's third): its fold/cycle formula, its SRAM operand
// traffic (every MAC's operands read, counts on a hand-computed case) and a layer run end to end
// on an input-stationary tile (MACs and bytes conserved, compute cycles = the formula per task).
#include <gtest/gtest.h>

#include "sim/arch/systolic_traffic.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

constexpr Dataflow kIs = Dataflow::kInputStationary;

TileConfig Tile(std::int64_t rows, std::int64_t cols, Dataflow flow) {
  TileConfig t;
  t.kind = "int8_mac";
  t.rows = rows;
  t.cols = cols;
  t.dataflow = flow;
  return t;
}

TileTask Task(GemmTask g, bool first_k, bool last_k) {
  TileTask t;
  t.gemm = g;
  t.first_k = first_k;
  t.last_k = last_k;
  return t;
}

// Element counts: one bit per element, so reads count operand elements (sums cost nothing).
OperandWidths Elements(const GemmTask& g) {
  return {.input_bits = 1,
          .operand_b_total_bits = static_cast<double>(g.k * g.n),
          .accumulator_bits = 0,
          .output_bits = 0};
}

// IS computes C^T = B^T A^T weight-stationary: its cycles are WS's with M and N swapped.
TEST(InputStationaryTiming, IsWeightStationaryOfTheTransposedProduct) {
  for (const ArrayShape a : {ArrayShape{4, 4}, ArrayShape{8, 4}, ArrayShape{3, 5}}) {
    for (std::int64_t m : {1, 3, 4, 5, 17, 40}) {
      for (std::int64_t k : {1, 4, 9, 64}) {
        for (std::int64_t n : {1, 2, 5, 33}) {
          EXPECT_EQ(ArrayCycles(kIs, a, {m, k, n}),
                    ArrayCycles(Dataflow::kWeightStationary, a, {n, k, m}));
          EXPECT_EQ(ArrayFolds(kIs, a, {m, k, n}), CeilDiv(k, a.rows) * CeilDiv(m, a.cols));
        }
      }
    }
  }
  // Hand-computed: 4x4 array, M = 10, K = 9, N = 6: ceil(9/4) * ceil(10/4) = 9 folds of
  // 2*4 + 4 + 6 - 2 = 16 cycles.
  EXPECT_EQ(ArrayCycles(kIs, {4, 4}, {10, 9, 6}), 144);
  EXPECT_EQ(ArrayCycles(kIs, {4, 4}, {0, 9, 6}), 0);
}

// Conservation: walk the folds as the array does (K x M blocks stationary, all N columns of the
// weights streamed through each) and check that every MAC happens once, that the stationary
// loads read each input once and the streams read each weight ceil(M/C) times, and that
// SystolicTraffic charges exactly those reads.
TEST(InputStationaryTraffic, EveryMacsOperandsAreRead) {
  for (const ArrayShape a : {ArrayShape{4, 4}, ArrayShape{8, 4}, ArrayShape{3, 5}}) {
    for (std::int64_t m : {1, 4, 5, 11, 40}) {
      for (std::int64_t k : {1, 3, 8, 13}) {
        for (std::int64_t n : {1, 6, 17}) {
          double macs = 0, stationary = 0, streamed = 0;
          std::int64_t folds = 0;
          for (std::int64_t k0 = 0; k0 < k; k0 += a.rows) {
            for (std::int64_t m0 = 0; m0 < m; m0 += a.cols) {
              const auto kr = static_cast<double>(std::min(a.rows, k - k0));
              const auto mc = static_cast<double>(std::min(a.cols, m - m0));
              stationary += kr * mc;                     // A[m0.., k0..] held in the PEs
              streamed += kr * static_cast<double>(n);   // B[k0.., 0..N) streamed through
              macs += kr * mc * static_cast<double>(n);  // each held input meets N weights
              ++folds;
            }
          }
          const GemmTask g{m, k, n};
          EXPECT_EQ(folds, ArrayFolds(kIs, a, g));
          EXPECT_DOUBLE_EQ(macs, static_cast<double>(m * k * n));
          EXPECT_DOUBLE_EQ(stationary, static_cast<double>(m * k));
          EXPECT_DOUBLE_EQ(streamed, static_cast<double>(k * n * CeilDiv(m, a.cols)));
          const GemmCost cost =
              SystolicTraffic(Tile(a.rows, a.cols, kIs), Task(g, true, true), Elements(g));
          EXPECT_DOUBLE_EQ(cost.sram_read_bits, stationary + streamed)
              << a.rows << "x" << a.cols << " M=" << m << " K=" << k << " N=" << n;
          EXPECT_EQ(cost.array_cycles, ArrayCycles(kIs, a, g));
        }
      }
    }
  }
}

// 4x4 array, M = 10, K = 9, N = 6, int8 operands and outputs, int32 sums (M x N x 32 = 1920
// bits), 3 K-folds, ceil(10/4) = 3 column groups of M.
TEST(InputStationaryTraffic, HandComputedCounts) {
  const GemmTask g{10, 9, 6};
  const OperandWidths w{
      .input_bits = 8, .operand_b_total_bits = 9 * 6 * 8, .accumulator_bits = 32, .output_bits = 8};
  const TileConfig is = Tile(4, 4, kIs);
  // Inputs once (720) + weights 3 times (1296) + sums back in for K-folds 2 and 3 (3840).
  const GemmCost whole = SystolicTraffic(is, Task(g, true, true), w);
  EXPECT_DOUBLE_EQ(whole.sram_read_bits, 720 + 1296 + 3840);
  // Sums out after K-folds 1 and 2 (3840) + int8 outputs (480).
  EXPECT_DOUBLE_EQ(whole.sram_write_bits, 3840 + 480);
  EXPECT_EQ(whole.array_cycles, 144);
  // A middle K chunk also reads the sums it resumes and leaves int32 sums.
  const GemmCost middle = SystolicTraffic(is, Task(g, false, false), w);
  EXPECT_DOUBLE_EQ(middle.sram_read_bits, 720 + 1296 + 3 * 1920);
  EXPECT_DOUBLE_EQ(middle.sram_write_bits, 3840 + 1920);
  // Weight-stationary on the same task (unchanged): weights once (432), inputs ceil(6/4) = 2
  // times (1440), the same sums.
  const GemmCost ws =
      SystolicTraffic(Tile(4, 4, Dataflow::kWeightStationary), Task(g, true, true), w);
  EXPECT_DOUBLE_EQ(ws.sram_read_bits, 432 + 1440 + 3840);
  EXPECT_DOUBLE_EQ(ws.sram_write_bits, 3840 + 480);
}

// A ragged linear layer on one input-stationary 16x16 tile of the default architecture (SRAM
// port wide enough never to bound a task, so each task takes exactly its array cycles).
TEST(InputStationaryRun, LayerConservesMacsAndBytesAndTakesTheFormula) {
  const std::int64_t m = 100, k = 300, n = 70;
  const std::string path =
      test::WriteWorkloadYaml("input_stationary",
                              "name: is\nlayers:\n  - {name: l, op: linear, m: 100, k: 300, n: 70, "
                              "dtype: int8}\n");
  std::vector<std::string> overrides = test::OneTile();
  overrides.push_back("arch.tile.dataflow=input_stationary");
  overrides.push_back("arch.tile.sram.port_width=65536 B/cycle");
  const test::SimRun r = test::SimulateYaml(test::ArchFile("default.yaml"), path, overrides);
  ASSERT_EQ(r.config.arch.tile.dataflow, kIs);
  const SimulationResult& s = r.result;
  const double macs = static_cast<double>(m * k * n);
  EXPECT_DOUBLE_EQ(s.layers[0].macs, macs);
  EXPECT_DOUBLE_EQ(s.ledger.TotalCountOf("int8_mult"), macs);
  EXPECT_DOUBLE_EQ(s.ledger.TotalCountOf("int32_add"), macs);

  // Replay the mapper's block walk: every task's cycles and SRAM traffic from the IS formulas.
  const Tiling& t = s.layers[0].tiling;
  const TileConfig& tile = r.config.arch.tile;
  const ArrayShape array{tile.rows, tile.cols};
  std::int64_t tasks = 0, cycles = 0, ws_cycles = 0;
  double reads = 0, writes = 0;
  for (std::int64_t m0 = 0; m0 < m; m0 += t.block_m) {
    for (std::int64_t n0 = 0; n0 < n; n0 += t.block_n) {
      for (std::int64_t k0 = 0; k0 < k; k0 += t.block_k) {
        const GemmTask g{std::min(t.block_m, m - m0), std::min(t.block_k, k - k0),
                         std::min(t.block_n, n - n0)};
        const OperandWidths w{.input_bits = 8,
                              .operand_b_total_bits = static_cast<double>(g.k * g.n * 8),
                              .accumulator_bits = 32,
                              .output_bits = 8};
        const GemmCost c = SystolicTraffic(tile, Task(g, k0 == 0, k0 + t.block_k >= k), w);
        cycles += ArrayCycles(kIs, array, g);
        ws_cycles += ArrayCycles(Dataflow::kWeightStationary, array, g);
        reads += c.sram_read_bits;
        writes += c.sram_write_bits;
        ++tasks;
      }
    }
  }
  EXPECT_EQ(tasks, t.tasks);
  EXPECT_EQ(s.tile_tasks, tasks);
  EXPECT_EQ(s.layers[0].tile_busy_ps, static_cast<std::uint64_t>(cycles) * s.clock_period_ps);
  EXPECT_NE(cycles, ws_cycles);  // the run really charged the input-stationary formula

  // Bytes: DRAM reads land in SRAM and match the plan; the array's operand traffic is the IS
  // rule per task; the storer reads exactly the bytes written back to DRAM.
  double channel_read = 0, channel_written = 0;
  for (const auto& c : s.channels) {
    channel_read += c.bytes_read;
    channel_written += c.bytes_written;
  }
  EXPECT_DOUBLE_EQ(s.ledger.TotalCountOf("sram_fill") / 8, channel_read);
  EXPECT_DOUBLE_EQ(channel_read, t.planned_dram_read_bytes);
  EXPECT_DOUBLE_EQ(channel_written, t.planned_dram_write_bytes);
  EXPECT_DOUBLE_EQ(channel_written, static_cast<double>(m * n));  // int8 outputs once
  EXPECT_DOUBLE_EQ(s.ledger.TotalCountOf("sram_read"), reads + channel_written * 8);
  EXPECT_DOUBLE_EQ(s.ledger.TotalCountOf("sram_write"), writes);
}

}  // namespace
}  // namespace pjsim
