// Row switches from where a layer's tensors lie (sim/mapping/row_switch_delay.h): a decode MoE
// router (1 x 4096 x 8, a K split over the 16 tiles: 128 B input and 1 KB weight pieces) whose
// input shares a DRAM bank with its weights, in another row, is predicted within 10% on the
// packet NoC and the `jedec` DRAM; the estimate of a stream alone predicted it 33% short. And
// OLMoE's router on the 8 x 8 HBM2E mesh, whose switches fall on one channel, then another.
#include <gtest/gtest.h>

#include <string>

#include "sim/mapping/workload_planner.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

// The channel-local address of a global one (the arch's channel interleave).
std::uint64_t Local(const ArchConfig& arch, std::uint64_t address) {
  const auto interleave = static_cast<std::uint64_t>(arch.dram.interleave_bytes);
  const auto channels = static_cast<std::uint64_t>(arch.dram.channels.size());
  return address / (interleave * channels) * interleave + address % interleave;
}

// The router (layer 2), a K split over 16 ranges, predicted within `tolerance` of its simulated
// cycles.
void ExpectRouterPredictedWithin(const test::SimRun& r, double tolerance) {
  const LayerResult& lr = r.result.layers[2];
  ASSERT_EQ(lr.tiling.grid_k, 16) << lr.tiling.mapping;
  const double simulated =
      static_cast<double>(lr.span_ps) / static_cast<double>(r.result.clock_period_ps);
  EXPECT_NEAR(lr.predicted_cycles / simulated, 1.0, tolerance)
      << lr.tiling.mapping << ": predicted " << lr.predicted_cycles << ", simulated " << simulated;
}

TEST(RowSwitchPrediction, ARouterWhoseInputSharesABankWithItsWeights) {
  // `pad`'s weights move the router's to the next row of the bank that holds the router's
  // input (the norm's output): tensors are placed one after another, row-aligned.
  const std::string w = test::WriteWorkloadYaml(
      "row_switch_router",
      "name: router_beside_its_input\nlayers:\n"
      "  - {name: pad, op: linear, m: 1, k: 1024, n: 80, dtype: int8, inputs: []}\n"
      "  - {name: x, op: norm, function: rmsnorm, m: 1, n: 4096, dtype: int8, inputs: []}\n"
      "  - {name: router, op: linear, m: 1, k: 4096, n: 8, dtype: int8, inputs: [x]}\n");
  const test::SimRun r = test::SimulateYaml(test::ArchFile("default-jedec-packet.yaml"), w);
  const ArchConfig& arch = r.config.arch;
  // The precondition: the input and the weights start in one bank, in different rows.
  WorkloadPlanner planner(arch, r.config.workload);
  const LayerRegions& regions = planner.RegionsOf(2);
  const DramRow input = arch.dram.params->RowOf(Local(arch, regions.inputs.at(0).base));
  const DramRow weights = arch.dram.params->RowOf(Local(arch, regions.operand_b.base));
  ASSERT_EQ(input.bank, weights.bank);
  ASSERT_NE(input.row, weights.row);

  ExpectRouterPredictedWithin(r, 0.10);
}

// OLMoE's decode router (1 x 2048 x 64) on the 8 x 8 HBM2E mesh: a K split over 32 tiles, two
// tasks a tile, double-buffered. With `pad` before it, its input's pieces switch rows with its
// weights on one channel in the first step and on another in the second; the tiles queue their
// second loads while the first are served, so the layer waits for one channel's switches, not
// both (summing each step's busiest channel predicted +10.9%). Refresh off: whether one falls in
// the layer is not the point here.
TEST(RowSwitchPrediction, SwitchesOnOneChannelThenAnotherDelayTheLayerOnce) {
  const std::string w = test::WriteWorkloadYaml(
      "row_switch_two_channels",
      "name: router_switching_on_two_channels\nlayers:\n"
      "  - {name: pad, op: linear, m: 1, k: 80, n: 64, dtype: int8, inputs: []}\n"
      "  - {name: x, op: norm, function: rmsnorm, m: 1, n: 2048, dtype: int8, inputs: []}\n"
      "  - {name: router, op: linear, m: 1, k: 2048, n: 64, dtype: int8, inputs: [x]}\n");
  const test::SimRun r = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm-jedec.yaml"), w,
                                            {"arch.dram.refresh=false"});
  ExpectRouterPredictedWithin(r, 0.08);
}

}  // namespace
}  // namespace pjsim
