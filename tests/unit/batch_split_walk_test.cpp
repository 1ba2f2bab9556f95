// The walk of a GEMM whose products are split across groups of tiles (GemmMapping::grid_b): every
// (product, output block, K chunk) is computed exactly once, each product on the tiles of one
// group only (its grid's cells, `group_stride` tiles after the group before), the groups take
// consecutive products (ceil(batch / grid_b) each), a shared load's receivers lie in one group,
// and the planned bytes and MACs are the unsplit walk's.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "linear_layer.h"
#include "sim/mapping/layer_mapper.h"
#include "small_mesh_arch.h"

namespace pjsim {
namespace {

LayerRegions RegionsOf(const Layer& l) {
  LayerRegions r;
  r.inputs = {{0, static_cast<std::uint64_t>(l.batch * l.ActivationBytes(l.m * l.k))}};
  r.operand_b = {1u << 28, static_cast<std::uint64_t>(l.batch * l.OperandBBytes(l.k * l.n))};
  r.output = {1u << 29, static_cast<std::uint64_t>(l.batch * l.ActivationBytes(l.m * l.n))};
  return r;
}

struct Case {
  std::int64_t batch, m, k, n, groups, stride;
  GemmMapping mapping;
};

class BatchSplitWalk : public ::testing::TestWithParam<Case> {};

TEST_P(BatchSplitWalk, EachProductRunsOnceOnItsGroupsTiles) {
  const Case& c = GetParam();
  const ArchConfig arch = test::SmallMeshArch();
  MappingSearch search(arch, MappingPrices{});
  const LayerMapper mapper(arch, arch.TileCount(), 64 * 1024, search);
  const Layer layer = test::LinearLayer(c.batch, c.m, c.k, c.n);
  const LayerRegions regions = RegionsOf(layer);
  GemmMapping split = c.mapping;
  split.grid_b = c.groups;
  split.group_stride = c.stride;
  const LayerPlan plan = mapper.WalkGemm(0, layer, regions, split, true);
  const LayerPlan whole = mapper.WalkGemm(0, layer, regions, c.mapping, true);
  const std::int64_t per_group = CeilDiv(c.batch, c.groups);
  const std::int64_t groups = CeilDiv(c.batch, per_group);
  EXPECT_EQ(plan.tiling.grid_b, groups);
  const auto a_slice = static_cast<std::uint64_t>(layer.ActivationBytes(layer.m * layer.k));
  std::set<std::tuple<std::uint64_t, std::uint64_t>> seen;  // (input address, weight address)
  std::int64_t macs = 0;
  std::set<std::int64_t> tiles_used;
  for (size_t tile = 0; tile < plan.per_tile.size(); ++tile) {
    for (const TileTask& t : plan.per_tile[tile]) {
      macs += t.gemm.m * t.gemm.k * t.gemm.n;
      EXPECT_TRUE(seen.emplace(t.input.address, t.weights.address).second)
          << "a (product, block, chunk) computed twice, tile " << tile;
      // The product, from where its input lies; its group's tiles start `stride` apart.
      if (t.input.bytes > 0) {
        const auto product = static_cast<std::int64_t>(t.input.address / a_slice);
        const std::int64_t group = product / per_group;
        EXPECT_GE(static_cast<std::int64_t>(tile), group * c.stride) << "product " << product;
        EXPECT_LT(static_cast<std::int64_t>(tile), group * c.stride + c.stride)
            << "product " << product;
      }
      tiles_used.insert(static_cast<std::int64_t>(tile));
    }
  }
  EXPECT_EQ(macs, layer.batch * layer.m * layer.k * layer.n);
  EXPECT_EQ(plan.tiling.tasks, whole.tiling.tasks);
  EXPECT_EQ(plan.tiling.planned_dram_read_bytes, whole.tiling.planned_dram_read_bytes);
  EXPECT_EQ(plan.tiling.planned_dram_write_bytes, whole.tiling.planned_dram_write_bytes);
  // Every group's grid cells, and only those, run tasks.
  const std::int64_t cells = std::min(c.mapping.grid_m, CeilDiv(c.m, c.mapping.blocks.m)) *
                             std::min(c.mapping.grid_n, CeilDiv(c.n, c.mapping.blocks.n));
  EXPECT_EQ(static_cast<std::int64_t>(tiles_used.size()), groups * cells);
  EXPECT_EQ(plan.tiling.tiles_used, groups * cells);
  for (const std::vector<int>& members : plan.shares) {
    std::set<std::int64_t> in;
    for (int t : members) in.insert(t / c.stride);
    EXPECT_EQ(in.size(), 1u) << "a share across groups";
  }
  // Each group's tiles run as many tasks as the unsplit grid's over its products.
  for (std::int64_t g = 0; g < groups; ++g) {
    const std::int64_t products = std::min(c.batch, (g + 1) * per_group) - g * per_group;
    EXPECT_EQ(plan.per_tile[static_cast<size_t>(g * c.stride)].size() * c.batch,
              whole.per_tile[0].size() * products)
        << "group " << g;
  }
}

GemmMapping Grid(GemmBlocks blocks, std::int64_t gm, std::int64_t gn) {
  GemmMapping m;
  m.blocks = blocks;
  m.grid_m = gm;
  m.grid_n = gn;
  return m;
}

INSTANTIATE_TEST_SUITE_P(Splits, BatchSplitWalk,
                         ::testing::Values(Case{8, 40, 64, 72, 4, 4, Grid({16, 32, 32}, 2, 2)},
                                           Case{7, 40, 64, 72, 3, 5, Grid({16, 32, 32}, 1, 3)},
                                           Case{5, 16, 48, 16, 5, 3, Grid({16, 16, 16}, 1, 1)},
                                           Case{16, 8, 32, 40, 16, 1, Grid({8, 32, 16}, 1, 1)}));

}  // namespace
}  // namespace pjsim
