// Batch split across groups of tiles (GemmMapping::grid_b): a batched layer whose products are too
// small to occupy every tile with one grid (MLA's per-head absorptions, decode attention's KV
// heads, an SSM's chunked products) runs its products on side-by-side grids. Such products are
// DRAM-bound (their blocks are few because they are small), so the split's gain is the loads
// more tiles keep in flight. Checked in simulation: faster than the best mapping without the
// split, every MAC and DRAM byte the same, and the cost model predicts the simulated time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

test::SimRun RunLayer(const std::string& arch, const std::string& layer,
                      std::vector<std::string> overrides = {}) {
  const std::string w = test::WriteWorkloadYaml(
      "batch_split", "name: batch_split\nlayers:\n  - {name: l, " + layer + ", dtype: int8}\n");
  return test::SimulateYaml(test::ArchFile(arch), w, std::move(overrides));
}

double Simulated(const test::SimRun& r) {
  const LayerResult& l = r.result.layers[0];
  return static_cast<double>(l.span_ps) / static_cast<double>(r.result.clock_period_ps);
}

TEST(BatchSplit, ProductsThatLeaveTilesIdleRunSideBySide) {
  // DeepSeek-V3's absorbed MLA decode, W_UK applied to the query: 128 per-head products of
  // 1 x 128 x 512 on the 8 x 8 mesh of 32 x 32 arrays. Unsplit, the best grid takes 8 tiles,
  // each with a load or two in flight (50,191 cycles simulated); split, 64 tiles keep the four
  // HBM2E channels busier (44,114).
  const std::string layer = "op: linear, batch: 128, m: 1, k: 128, n: 512";
  const test::SimRun split = RunLayer("mesh8x8-int8-hbm.yaml", layer);
  const test::SimRun whole =
      RunLayer("mesh8x8-int8-hbm.yaml", layer, {"arch.mapping.constraints.grid_b=1"});
  const Tiling& t = split.result.layers[0].tiling;
  ASSERT_GT(t.grid_b, 1) << t.mapping;
  EXPECT_EQ(whole.result.layers[0].tiling.grid_b, 1);
  EXPECT_GT(t.tiles_used, whole.result.layers[0].tiling.tiles_used);
  EXPECT_LT(Simulated(split), 0.92 * Simulated(whole)) << t.mapping;
  EXPECT_DOUBLE_EQ(split.result.ledger.TotalCountOf("int8_mult"),
                   whole.result.ledger.TotalCountOf("int8_mult"));
  EXPECT_DOUBLE_EQ(split.result.ledger.TotalCountOf("int8_mult"), 128.0 * 128 * 512);
  EXPECT_DOUBLE_EQ(test::ChannelReadBytes(split.result), test::ChannelReadBytes(whole.result));
  // Every byte written into an SRAM by DMA came from DRAM or a multicast.
  EXPECT_DOUBLE_EQ(split.result.ledger.TotalCountOf("sram_fill") / 8,
                   test::ChannelReadBytes(split.result) + split.result.multicast_copy_bytes +
                       split.result.reduction_bytes - split.result.gather_overfetch_bytes);
}

TEST(BatchSplit, TheCostModelPredictsTheSimulation) {
  const struct {
    const char* arch;
    const char* layer;
  } kCases[] = {
      {"mesh8x8-int8-hbm.yaml", "op: linear, batch: 64, m: 256, k: 256, n: 64"},
      {"mesh8x8-int8-hbm.yaml", "op: linear, batch: 32, m: 64, k: 256, n: 128"},
      // DeepSeek-V3's absorbed MLA decode: W_UK on the query, W_UV on the context, per head.
      {"mesh8x8-int8-hbm.yaml", "op: linear, batch: 128, m: 1, k: 128, n: 512"},
      {"mesh8x8-int8-hbm.yaml", "op: linear, batch: 128, m: 1, k: 512, n: 128"},
      // Decode attention over 8 KV heads (Llama-3-8B, 2048 cached tokens).
      {"mesh8x8-int8-hbm.yaml",
       "op: attention_context, heads: 32, kv_heads: 8, head_dim: 128, q_len: 1, kv_len: 2048"},
      {"default.yaml", "op: linear, batch: 16, m: 64, k: 512, n: 32"},
      {"mesh4x4-ternary.yaml", "op: linear, batch: 24, m: 32, k: 256, n: 16, arithmetic: ternary"}};
  for (const auto& c : kCases) {
    const test::SimRun r = RunLayer(c.arch, c.layer);
    const LayerResult& l = r.result.layers[0];
    EXPECT_NEAR(l.predicted_cycles / Simulated(r), 1.0, 0.10)
        << c.arch << " " << c.layer << ": " << l.tiling.mapping << " predicted "
        << l.predicted_cycles << ", simulated " << Simulated(r);
  }
}

}  // namespace
}  // namespace pjsim
