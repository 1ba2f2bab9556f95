// Where a GEMM walk stores its output blocks (docs/MAPPING.md, "Where a layer's outputs are
// stored"): the stores tile the output region exactly (every byte written once, no gap, no
// overlap), and the blocks one round stores together are one contiguous range, so the channel
// interleave spreads them like a stream whatever the grid's shape. A row-blocked layout fails the
// second property on any grid of more than one row: its round's blocks sit a block row apart.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "linear_layer.h"
#include "sim/mapping/layer_mapper.h"
#include "small_mesh_arch.h"

namespace pjsim {
namespace {

ArchConfig MeshOf16() { return test::SmallMeshArch(); }

struct Case {
  std::int64_t batch, m, k, n;
  GemmMapping mapping;
  bool full_rounds;  // every grid tile takes part in every round (no ragged edge)
};

class OutputLayout : public ::testing::TestWithParam<Case> {};

TEST_P(OutputLayout, StoresTileTheOutputAndEachRoundIsOneRange) {
  const Case& c = GetParam();
  const ArchConfig arch = MeshOf16();
  MappingSearch search(arch, MappingPrices{});
  const LayerMapper mapper(arch, arch.TileCount(), 64 * 1024, search);
  const Layer layer = test::LinearLayer(c.batch, c.m, c.k, c.n);
  const auto in_bytes = static_cast<std::uint64_t>(layer.ActivationBytes(layer.m * layer.k));
  const auto out_bytes = static_cast<std::uint64_t>(layer.ActivationBytes(layer.m * layer.n));
  LayerRegions regions;
  regions.inputs = {{0, layer.batch * in_bytes}};
  regions.operand_b = {
      1u << 28, static_cast<std::uint64_t>(layer.batch * layer.OperandBBytes(layer.k * layer.n))};
  regions.output = {1u << 29, layer.batch * out_bytes};
  const LayerPlan plan = mapper.WalkGemm(0, layer, regions, c.mapping);

  // Every tile stores once per round it takes part in, in walk order: with full rounds its r-th
  // store is round r's.
  std::map<size_t, std::vector<Transfer>> rounds;
  std::vector<Transfer> all;
  for (const auto& tasks : plan.per_tile) {
    size_t round = 0;
    for (const TileTask& t : tasks) {
      if (t.store.bytes == 0) continue;
      rounds[round++].push_back(t.store);
      all.push_back(t.store);
    }
  }
  const auto by_address = [](const Transfer& a, const Transfer& b) {
    return a.address < b.address;
  };
  std::sort(all.begin(), all.end(), by_address);
  ASSERT_FALSE(all.empty());
  std::uint64_t next = regions.output.base;
  for (const Transfer& s : all) {
    EXPECT_EQ(s.address, next) << "a gap or an overlap in the output";
    next = s.address + static_cast<std::uint64_t>(s.bytes);
  }
  EXPECT_EQ(next, regions.output.base + regions.output.bytes);

  if (!c.full_rounds) return;
  const std::int64_t blocks_m = CeilDiv(layer.m, c.mapping.blocks.m);
  ASSERT_GT(std::min(c.mapping.grid_m, blocks_m), 1) << "a case whose rounds span block rows";
  for (auto& [round, stores] : rounds) {
    std::sort(stores.begin(), stores.end(), by_address);
    for (size_t i = 1; i < stores.size(); ++i) {
      EXPECT_EQ(stores[i].address,
                stores[i - 1].address + static_cast<std::uint64_t>(stores[i - 1].bytes))
          << "round " << round << " is not one contiguous range";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Mappings, OutputLayout,
    ::testing::Values(
        // A column of tiles down M (the shape that camped on one channel): 16 x 1, two rounds.
        Case{
            1, 256, 64, 16, {{8, 64, 8}, 16, 1, LoopOrder::kNInner, ResidentOperand::kInput}, true},
        // A full 4 x 4 grid, four rounds, M advancing fastest.
        Case{1, 64, 32, 64, {{8, 16, 8}, 4, 4, LoopOrder::kMInner, ResidentOperand::kNone}, true},
        // A 4 x 4 grid with ragged edges in both dimensions, N advancing fastest.
        Case{1, 100, 40, 70, {{8, 16, 8}, 4, 4, LoopOrder::kNInner, ResidentOperand::kNone}, false},
        // The same with M advancing fastest and the weight panel resident.
        Case{1,
             100,
             40,
             70,
             {{8, 16, 8}, 4, 4, LoopOrder::kMInner, ResidentOperand::kWeights},
             false},
        // A batch of products: each product's output has its own slice.
        Case{3, 32, 16, 24, {{8, 16, 8}, 2, 3, LoopOrder::kNInner, ResidentOperand::kNone}, true}));

}  // namespace
}  // namespace pjsim
