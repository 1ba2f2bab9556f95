// The walk of a GEMM whose K is split across tiles (GemmMapping::grid_k): every (output block,
// K chunk) pair is computed exactly once; each tile's range starts and finishes its own partial
// sums; exactly the root of each block stores it; every contributor of a reduction finishes one
// task naming it and the root one; and the planned bytes are the compulsory ones plus the partial
// sums sent to the roots.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "sim/config/yaml_reader.h"
#include "sim/mapping/layer_mapper.h"
#include "sim/workload/workload.h"
#include "small_mesh_arch.h"

namespace pjsim {
namespace {

ArchConfig MeshOf16() { return test::SmallMeshArch(); }

Layer Linear(std::int64_t m, std::int64_t k, std::int64_t n) {
  const std::string yaml = "name: w\nlayers:\n  - {name: fc, op: linear, m: " + std::to_string(m) +
                           ", k: " + std::to_string(k) + ", n: " + std::to_string(n) +
                           ", dtype: int8}\n";
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml"))).graph->layers()[0];
}

LayerRegions RegionsOf(const Layer& l) {
  LayerRegions r;
  r.inputs = {{0, static_cast<std::uint64_t>(l.ActivationBytes(l.m * l.k))}};
  r.operand_b = {1u << 28, static_cast<std::uint64_t>(l.OperandBBytes(l.k * l.n))};
  r.output = {1u << 29, static_cast<std::uint64_t>(l.ActivationBytes(l.m * l.n))};
  return r;
}

struct Case {
  std::int64_t m, k, n;
  GemmMapping mapping;
};

class KSplitWalk : public ::testing::TestWithParam<Case> {};

TEST_P(KSplitWalk, CoversEveryChunkOnceAndReducesEveryBlockAtItsRoot) {
  const Case& c = GetParam();
  const ArchConfig arch = MeshOf16();
  MappingSearch search(arch, MappingPrices{});
  const LayerMapper mapper(arch, arch.TileCount(), 64 * 1024, search);
  const Layer layer = Linear(c.m, c.k, c.n);
  const LayerRegions regions = RegionsOf(layer);
  const LayerPlan plan = mapper.WalkGemm(0, layer, regions, c.mapping);
  const GemmBlocks& b = c.mapping.blocks;
  const std::int64_t k_chunks = CeilDiv(layer.k, b.k);
  const std::int64_t pk = KRanges(k_chunks, c.mapping.grid_k);
  ASSERT_GT(pk, 1);
  EXPECT_EQ(plan.tiling.grid_k, pk);

  // (output row, output column, K offset) of every task, from its transfer addresses.
  std::set<std::tuple<std::uint64_t, std::uint64_t>> seen;  // (input address, weight address)
  std::int64_t macs = 0, stores = 0;
  std::map<std::int32_t, std::multiset<int>> finishers;  // reduction -> tiles naming it
  for (size_t tile = 0; tile < plan.per_tile.size(); ++tile) {
    bool open = false;  // this tile has partial sums in progress
    for (const TileTask& t : plan.per_tile[tile]) {
      EXPECT_EQ(t.first_k, !open) << "tile " << tile;
      open = !t.last_k;
      macs += t.gemm.m * t.gemm.k * t.gemm.n;
      EXPECT_TRUE(seen.emplace(t.input.address, t.weights.address).second)
          << "a (block, chunk) pair computed twice on tile " << tile;
      if (!t.last_k) {
        EXPECT_EQ(t.reduction, -1);
        EXPECT_EQ(t.store.bytes, 0);
        continue;
      }
      ASSERT_GE(t.reduction, 0) << "tile " << tile;
      finishers[t.reduction].insert(static_cast<int>(tile));
      const PartialSumReduction& r = plan.reductions.at(static_cast<size_t>(t.reduction));
      if (r.root == static_cast<int>(tile)) {
        EXPECT_EQ(t.store.bytes, layer.ActivationBytes(t.gemm.m * t.gemm.n));
        EXPECT_EQ(r.elements, t.gemm.m * t.gemm.n);
        ++stores;
      } else {
        EXPECT_EQ(t.store.bytes, 0) << "a contributor stores nothing to DRAM";
      }
    }
    EXPECT_FALSE(open) << "tile " << tile << " ends with unfinished partial sums";
  }
  EXPECT_EQ(macs, layer.m * layer.k * layer.n);
  EXPECT_EQ(stores, CeilDiv(layer.m, b.m) * CeilDiv(layer.n, b.n) * layer.batch);
  ASSERT_EQ(finishers.size(), plan.reductions.size());
  double sent = 0;
  for (const auto& [index, tiles] : finishers) {
    const PartialSumReduction& r = plan.reductions[static_cast<size_t>(index)];
    std::multiset<int> expected(r.contributors.begin(), r.contributors.end());
    expected.insert(r.root);
    EXPECT_EQ(tiles, expected) << "reduction " << index;
    EXPECT_EQ(static_cast<std::int64_t>(r.contributors.size()), pk - 1);
    EXPECT_EQ(r.partial_bytes, r.elements * PartialSumBytes(arch.tile.accumulator));
    sent += static_cast<double>(r.partial_bytes * (pk - 1));
  }
  EXPECT_DOUBLE_EQ(plan.tiling.planned_reduction_bytes, sent);
  // With every block in one round, each operand is read from DRAM once (shared loads counted
  // once); over several rounds of M blocks the weights once per round. The output is written once.
  const std::int64_t rounds = CeilDiv(CeilDiv(layer.m, b.m), c.mapping.grid_m);
  ASSERT_GE(CeilDiv(layer.n, b.n), c.mapping.grid_n) << "the cases keep N in one round";
  EXPECT_DOUBLE_EQ(plan.tiling.planned_dram_read_bytes,
                   static_cast<double>(layer.ActivationBytes(layer.m * layer.k) +
                                       rounds * layer.OperandBBytes(layer.k * layer.n)));
  EXPECT_DOUBLE_EQ(plan.tiling.planned_dram_write_bytes,
                   static_cast<double>(layer.ActivationBytes(layer.m * layer.n)));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, KSplitWalk,
    ::testing::Values(
        // One output block on 16 tiles, K in 16 equal ranges.
        Case{8, 1024, 8, {{8, 64, 8}, 1, 1, LoopOrder::kNInner, ResidentOperand::kNone, 16}},
        // 2 x 2 blocks x 3 ranges; 13 chunks: ranges of 5, 5 and 3 (the last is shorter).
        Case{16, 104, 16, {{8, 8, 8}, 2, 2, LoopOrder::kNInner, ResidentOperand::kNone, 3}},
        // Ragged blocks, two rounds over M (grid 1 x 2 x 4 for a 3 x 2 block output).
        Case{20, 200, 12, {{8, 24, 8}, 1, 2, LoopOrder::kNInner, ResidentOperand::kNone, 4}}));

TEST(KSplitSearch, SplitsKOnlyWhenTheOutputLeavesTilesIdle) {
  const ArchConfig arch = MeshOf16();
  MappingSearch search(arch, MappingPrices{});
  // One 8 x 8 output block and a long K: the search uses more than one tile.
  const RankedMapping& skinny = search.Best(Linear(8, 8192, 8), 16, 64 * 1024);
  EXPECT_GT(skinny.mapping.grid_k, 1) << skinny.mapping.Describe();
  // An output of 16 x 16 blocks fills the mesh without splitting K.
  const RankedMapping& square = search.Best(Linear(128, 256, 128), 16, 64 * 1024);
  EXPECT_EQ(square.mapping.grid_k, 1) << square.mapping.Describe();
}

TEST(KSplitSearch, APinnedGridKIsHonouredAndOneForbidsTheSplit) {
  ArchConfig arch = MeshOf16();
  arch.mapping.grid_k = 4;
  MappingSearch pinned(arch, MappingPrices{});
  EXPECT_EQ(pinned.Best(Linear(8, 8192, 8), 16, 64 * 1024).mapping.grid_k, 4);
  arch.mapping.grid_k = 1;
  MappingSearch none(arch, MappingPrices{});
  EXPECT_EQ(none.Best(Linear(8, 8192, 8), 16, 64 * 1024).mapping.grid_k, 1);
}

TEST(KSplitSearch, AnImpossiblePinnedSplitIsAConstraintErrorAtTheLayer) {
  ArchConfig arch = MeshOf16();
  arch.mapping.grid_k = 4;
  MappingSearch search(arch, MappingPrices{});
  // K = 16 is two chunks of the 8-row array: at most two ranges.
  try {
    search.Best(Linear(8, 16, 8), 16, 64 * 1024);
    FAIL() << "a 4-way split of two chunks was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("grid_k: 4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("w.yaml:3:"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace pjsim
