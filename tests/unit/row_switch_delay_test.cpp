// DRAM row switches from tensor placement (sim/mapping/row_switch_delay.h): tiles whose input
// and weights lie in one bank, in different rows, pay the switch at every alternation their
// channel serves back to back; in different banks, or while the channel is idle (loads spread
// out by compute), nothing. On `default-jedec-packet.yaml` (DDR4 `rorabacobg`: 16 KiB of a
// channel per bank and row, four banks; two channels interleaved every 2 KiB) channel 0's bank 0
// holds global bytes [0, 2 KiB) in row 0 and [128 KiB, 130 KiB) in row 1; its bank 1 starts at
// 32 KiB. On `default.yaml` (`simple`: 2 KiB rows in 16 banks, two channels interleaved every
// 2 KiB) channel 0's bank 0 holds [0, 2 KiB) in row 0 and [64 KiB, 66 KiB) in row 1.
#include "sim/mapping/row_switch_delay.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

RunConfig Load(const std::string& arch) {
  return test::LoadYaml(test::ArchFile(arch),
                        test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml");
}

// Two tiles, one task each: a 128 B input piece and a 1 KB weight piece, both on channel 0.
LayerPlan TwoTiles(std::uint64_t weights_at) {
  LayerPlan plan;
  for (std::uint64_t t = 0; t < 2; ++t) {
    TileTask task;
    task.gemm = {1, 128, 8};
    task.input = {t * 128, 128};
    task.weights = {weights_at + t * 1024, 1024};
    plan.per_tile.push_back(TaskQueue{task});
  }
  return plan;
}

TEST(RowSwitchDelay, AlternatingRowsOfOneBankPayEachSwitch) {
  const RunConfig c = Load("default-jedec-packet.yaml");
  const RowSwitchDelay delay(c.arch);
  ASSERT_TRUE(delay.Enabled());
  // DDR4-3200: the precharge waits for the reads (tRTP), then tRP, tRCD and CL; tRC binds
  // one-burst requests.
  const DramRowSwitch s = c.arch.dram.params->RowSwitch(c.arch.clock_hz);
  EXPECT_GT(s.after_data, 20);
  EXPECT_LT(s.after_data, 60);
  EXPECT_NEAR(s.row_cycle, 74 * 0.625e-9 * c.arch.clock_hz, 5);
  const auto no_compute = [](const TileTask&) { return 0.0; };
  // input 0 (row 0), weights 0 (row 1), input 1 (row 0), weights 1 (row 1): three switches,
  // each at least the switch after the bank's previous transfer.
  const double switched = delay.Cycles(TwoTiles(128 * 1024), no_compute);
  EXPECT_GE(switched, 3 * s.after_data);
  EXPECT_LE(switched, 3 * s.row_cycle);
  // Weights in bank 1: every piece hits its bank's row.
  EXPECT_DOUBLE_EQ(delay.Cycles(TwoTiles(32 * 1024), no_compute), 0);
  // One task a tile: its compute follows its loads, so none hides a switch.
  const auto long_compute = [&](const TileTask&) { return 100 * s.row_cycle; };
  EXPECT_NEAR(delay.Cycles(TwoTiles(128 * 1024), long_compute), switched, 1e-9);
}

// Two tiles of `steps` tasks each: tile 0 reads 128 B from channel 0's bank 0 in one row, tile
// 1 in another (global bytes from `other_row`).
LayerPlan TwoTilesInTwoRows(std::uint64_t other_row, int steps) {
  LayerPlan plan;
  for (std::uint64_t t = 0; t < 2; ++t) {
    TaskQueue q;
    for (int step = 0; step < steps; ++step) {
      TileTask task;
      task.gemm = {1, 128, 8};
      task.input = {t * other_row + static_cast<std::uint64_t>(step) * 128, 128};
      q.push_back(task);
    }
    plan.per_tile.push_back(q);
  }
  return plan;
}

TEST(RowSwitchDelay, ASwitchWhileItsChannelIsIdleCostsNothing) {
  for (const char* arch : {"default-jedec-packet.yaml", "default.yaml"}) {
    SCOPED_TRACE(arch);
    const RunConfig c = Load(arch);
    const RowSwitchDelay delay(c.arch);
    const std::uint64_t other_row = std::string(arch) == "default.yaml" ? 64 * 1024 : 128 * 1024;
    const DramRowSwitch s = c.arch.dram.params->RowSwitch(c.arch.clock_hz);
    const auto no_compute = [](const TileTask&) { return 0.0; };
    const auto long_compute = [&](const TileTask&) { return 20 * (s.after_data + s.row_cycle); };
    // The first loads reach the channel together: tile 1's waits for the switch after tile 0's.
    const double first = delay.Cycles(TwoTilesInTwoRows(other_row, 1), no_compute);
    EXPECT_GE(first, s.after_data - 1e-9);
    // Compute spreads the later loads out: each tile's next load is issued while it computes,
    // and the switches fall where the channel has nothing queued. The first stays.
    EXPECT_NEAR(delay.Cycles(TwoTilesInTwoRows(other_row, 8), long_compute), first, 1e-9);
    // Without compute every step's loads queue behind the others' and switch again.
    EXPECT_GT(delay.Cycles(TwoTilesInTwoRows(other_row, 8), no_compute), 4 * first);
    // A start's switch is paid once however long the plan: one 16 times longer than the replay
    // walks pays the first loads' switch, not 16 times it (a long layer's start was so charged,
    // +19% on Gemma-2-9B's attention output projection).
    const int longer = 16 * static_cast<int>(RowSwitchDelay::kMaxSteps);
    const double once = delay.Cycles(TwoTilesInTwoRows(other_row, 1), long_compute);
    EXPECT_NEAR(delay.Cycles(TwoTilesInTwoRows(other_row, longer), long_compute), once, 1e-9);
    // A switch at every step keeps costing: the delay grows with the plan's length.
    const double walked =
        delay.Cycles(TwoTilesInTwoRows(other_row, RowSwitchDelay::kMaxSteps), no_compute);
    EXPECT_NEAR(delay.Cycles(TwoTilesInTwoRows(other_row, longer), no_compute), 16 * walked,
                0.05 * 16 * walked);
  }
}

TEST(RowSwitchDelay, TheSimpleModelSwitchesAsItServes) {
  const RunConfig c = Load("default.yaml");
  const RowSwitchDelay delay(c.arch);
  ASSERT_TRUE(delay.Enabled());
  const ModelParams& p = *c.arch.dram.params;
  // A miss waits for the bank's last data, then takes the access latency (30 ns) and the
  // penalty (28 ns); no row cycle.
  const DramRowSwitch s = p.RowSwitch(c.arch.clock_hz);
  EXPECT_NEAR(s.after_data, 58e-9 * c.arch.clock_hz, 1e-6);
  EXPECT_DOUBLE_EQ(s.row_cycle, 0);
  // Consecutive 2 KiB rows of a channel in consecutive banks, 16 of them.
  EXPECT_EQ(p.RowOf(0).bank, p.RowOf(2047).bank);
  EXPECT_EQ(p.RowOf(2048).bank, p.RowOf(0).bank + 1);
  EXPECT_EQ(p.RowOf(32 * 1024).bank, p.RowOf(0).bank);
  EXPECT_EQ(p.RowOf(32 * 1024).row, p.RowOf(0).row + 1);
  // Its placements keep channels x interleave (tensors lie where they did before it had rows).
  EXPECT_FALSE(p.RowsSpaceTensors());
}

}  // namespace
}  // namespace pjsim
