// DRAM row switches from tensor placement (sim/mapping/row_switch_delay.h): tiles whose input
// and weights lie in one bank, in different rows, pay the switch at every alternation on their
// channel; in different banks, or hidden under compute, nothing; the `simple` DRAM model prices
// none. On `default-jedec-packet.yaml` (DDR4 `rorabacobg`: 16 KiB of a channel per bank and
// row, four banks; two channels interleaved every 2 KiB) channel 0's bank 0 holds global bytes
// [0, 2 KiB) in row 0 and [128 KiB, 130 KiB) in row 1; its bank 1 starts at 32 KiB.
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
  // Compute long enough to hide the switches behind the loads: nothing.
  const auto long_compute = [&](const TileTask&) { return 100 * s.row_cycle; };
  EXPECT_DOUBLE_EQ(delay.Cycles(TwoTiles(128 * 1024), long_compute), 0);
  // The `simple` model prices no switch: nothing to replay.
  EXPECT_FALSE(RowSwitchDelay(Load("default.yaml").arch).Enabled());
}

// Two tiles, two tasks each: the first task's pieces switch rows of channel 0's bank 0, the
// second's those of channel 1's (global bytes from 2 KiB, and from 130 KiB).
LayerPlan TwoStepsOnTwoChannels(bool single_buffered) {
  LayerPlan plan;
  for (std::uint64_t t = 0; t < 2; ++t) {
    TaskQueue q;
    for (std::uint64_t step = 0; step < 2; ++step) {
      TileTask task;
      task.gemm = {1, 128, 8};
      task.input = {step * 2048 + t * 128, 128};
      task.weights = {128 * 1024 + step * 2048 + t * 1024, 1024};
      task.single_buffered = single_buffered;
      q.push_back(task);
    }
    plan.per_tile.push_back(q);
  }
  return plan;
}

TEST(RowSwitchDelay, EachChannelKeepsItsOwnQueueAcrossSteps) {
  const RunConfig c = Load("default-jedec-packet.yaml");
  const RowSwitchDelay delay(c.arch);
  const auto no_compute = [](const TileTask&) { return 0.0; };
  const double one_step = delay.Cycles(TwoTiles(128 * 1024), no_compute);
  ASSERT_GT(one_step, 0);
  // Double-buffered: channel 1 serves the second tasks' loads while channel 0 is still on the
  // first's, so its switches do not add to channel 0's (the layer waits for either, once).
  EXPECT_NEAR(delay.Cycles(TwoStepsOnTwoChannels(false), no_compute), one_step, 1e-9);
  // Single-buffered: the tiles wait for channel 0 before they load from channel 1.
  EXPECT_NEAR(delay.Cycles(TwoStepsOnTwoChannels(true), no_compute), 2 * one_step, 1e-9);
}

}  // namespace
}  // namespace pjsim
