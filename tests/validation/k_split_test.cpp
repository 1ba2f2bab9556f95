// K split across tiles (GemmMapping::grid_k): a layer whose output has fewer blocks than the
// accelerator has tiles runs its K ranges on otherwise idle tiles and reduces the partial sums on
// chip. Checked in simulation: it is faster than the best mapping without the split, every MAC
// and DRAM byte is the same, the partial sums crossing the NoC and the vector adds that reduce
// them are exactly what the plan says, bytes written into SRAMs are conserved, the cost model
// predicts the simulated time, and both NoC models carry the reduction.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

test::SimRun RunLinear(const std::string& arch, std::int64_t m, std::int64_t k, std::int64_t n,
                       std::vector<std::string> overrides = {}) {
  const std::string w = test::WriteWorkloadYaml(
      "k_split", "name: k_split\nlayers:\n  - {name: l, op: linear, m: " + std::to_string(m) +
                     ", k: " + std::to_string(k) + ", n: " + std::to_string(n) +
                     ", dtype: int8}\n");
  return test::SimulateYaml(test::ArchFile(arch), w, std::move(overrides));
}

TEST(KSplit, ASkinnyLayerUsesIdleTilesAndMovesTheSameDramBytes) {
  // One 16 x 16 output block over K = 65536 on the 16-tile default mesh: without a K split one
  // tile computes it all (65,536 cycles of MACs).
  const test::SimRun split = RunLinear("default.yaml", 16, 65536, 16);
  const test::SimRun whole =
      RunLinear("default.yaml", 16, 65536, 16, {"arch.mapping.constraints.grid_k=1"});
  const Tiling& t = split.result.layers[0].tiling;
  ASSERT_GT(t.grid_k, 1) << t.mapping;
  EXPECT_EQ(whole.result.layers[0].tiling.grid_k, 1);
  EXPECT_LT(static_cast<double>(split.result.cycles()),
            0.75 * static_cast<double>(whole.result.cycles()));
  // Same MACs, same DRAM traffic (each operand once), the output written once.
  EXPECT_DOUBLE_EQ(split.result.ledger.TotalCountOf("int8_mult"),
                   whole.result.ledger.TotalCountOf("int8_mult"));
  EXPECT_DOUBLE_EQ(test::ChannelReadBytes(split.result), test::ChannelReadBytes(whole.result));
  EXPECT_DOUBLE_EQ(test::ChannelReadBytes(split.result), 16.0 * 65536 + 65536.0 * 16);
  // The reduction: grid_k - 1 blocks of int32 partial sums cross the NoC, one vector add each.
  const double partials = static_cast<double>(t.grid_k - 1) * 16 * 16;
  EXPECT_DOUBLE_EQ(split.result.reduction_bytes, partials * 4);
  EXPECT_DOUBLE_EQ(split.result.layers[0].reduction_bytes, partials * 4);
  EXPECT_DOUBLE_EQ(split.result.ledger.LayerCountIn(0, "compute.vector"), partials);
  EXPECT_DOUBLE_EQ(whole.result.ledger.LayerCountIn(0, "compute.vector"), 0);
  // Every byte written into an SRAM by DMA came from DRAM, a multicast or another tile.
  for (const test::SimRun* r : {&split, &whole}) {
    EXPECT_DOUBLE_EQ(r->result.ledger.TotalCountOf("sram_fill") / 8,
                     test::ChannelReadBytes(r->result) + r->result.multicast_copy_bytes +
                         r->result.reduction_bytes - r->result.gather_overfetch_bytes);
  }
}

TEST(KSplit, TheCostModelPredictsTheSimulation) {
  const struct {
    const char* arch;
    std::int64_t m, k, n;
  } kCases[] = {{"default.yaml", 16, 65536, 16},          {"default.yaml", 32, 16384, 48},
                {"mesh8x8-int8-hbm.yaml", 64, 32768, 64}, {"mesh8x8-int8-hbm.yaml", 8, 8192, 256},
                {"mesh8x8-int8-hbm.yaml", 1, 14336, 128}, {"mesh4x4-ternary.yaml", 16, 32768, 16}};
  for (const auto& c : kCases) {
    const std::string what = std::string(c.arch) + " " + std::to_string(c.m) + "x" +
                             std::to_string(c.k) + "x" + std::to_string(c.n);
    // Within 10%, accumulating in SRAM or in the array (one-fold blocks, the default). (The
    // decode-shaped 1 x 14336 x 128 was over-predicted by 10.4% in the array when first
    // measured; +1.7% on 2026-12-05.)
    for (const bool in_array : {false, true}) {
      const test::SimRun r = RunLinear(
          c.arch, c.m, c.k, c.n,
          {"arch.mapping.constraints.grid_k=4",
           std::string("arch.mapping.accumulate_in_array=") + (in_array ? "true" : "false")});
      const LayerResult& l = r.result.layers[0];
      ASSERT_EQ(l.tiling.grid_k, 4) << what;
      const double simulated = static_cast<double>(r.result.cycles());
      EXPECT_NEAR(l.predicted_cycles / simulated, 1.0, 0.10)
          << what << " " << l.tiling.mapping << ": predicted " << l.predicted_cycles
          << ", simulated " << simulated;
    }
  }
}

TEST(KSplit, ThePacketNocCarriesThePartialSumsOverItsLinks) {
  const std::vector<std::string> pin = {"arch.mapping.constraints.grid_k=4"};
  std::vector<std::string> packet = pin;
  packet.push_back("arch.noc.model=packet");
  const test::SimRun simple = RunLinear("default.yaml", 16, 65536, 16, pin);
  const test::SimRun flits = RunLinear("default.yaml", 16, 65536, 16, packet);
  EXPECT_DOUBLE_EQ(flits.result.reduction_bytes, simple.result.reduction_bytes);
  EXPECT_DOUBLE_EQ(flits.result.reduction_bytes, 3.0 * 16 * 16 * 4);
  // Both models route the same XY paths: the same data bytes cross the links, and the packet
  // model adds its read requests (16 B per read transaction, well under 1% here).
  double simple_links = 0, flit_links = 0;
  for (double b : simple.result.link_bytes) simple_links += b;
  for (double b : flits.result.link_bytes) flit_links += b;
  EXPECT_GT(flit_links, simple_links);
  EXPECT_LT(flit_links, 1.01 * simple_links);
  EXPECT_GE(flits.result.cycles(), simple.result.cycles());
}

}  // namespace
}  // namespace pjsim
