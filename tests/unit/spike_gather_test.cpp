// Where a spiking layer's fetched weight rows are, and how they are read from DRAM: the active
// inputs of an input block are `rows` distinct positions (drawn uniformly, the same for every
// column block), and GatherRows covers exactly those rows with burst-aligned, merged ranges.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/mapping/layer_mapper.h"
#include "sim/mapping/spike_traffic.h"
#include "sim/workload/workload.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

Layer Linear(const std::string& extra) {
  const std::string yaml =
      "name: w\nlayers:\n  - {name: fc, op: linear, m: 2, k: 1024, n: 64, dtype: int8, inputs: "
      "[]" +
      extra + "}\n";
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml"))).graph->layers()[0];
}

using RowRun = SpikeTraffic::RowRun;

std::int64_t Bytes(const std::vector<Transfer>& ts) {
  std::int64_t b = 0;
  for (const Transfer& t : ts) b += t.bytes;
  return b;
}

TEST(SpikeGather, RowsAreCoveredByMergedBurstAlignedRanges) {
  const Layer layer = Linear("");  // int8: a row of 16 outputs is 16 bytes
  const std::uint64_t base = 1u << 20;
  // Rows 0-1 and 5 fall in the first two 64-byte bursts (merged), rows 40-47 in two more.
  const std::vector<RowRun> rows = {{0, 2}, {5, 1}, {40, 8}};
  const auto g = GatherRows(layer, base, 16, 64, rows, 64);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].address, base);
  EXPECT_EQ(g[0].bytes, 128);
  EXPECT_EQ(g[1].address, base + 640);
  EXPECT_EQ(g[1].bytes, 128);
  // A byte-granular DRAM reads exactly the rows.
  const auto exact = GatherRows(layer, base, 16, 64, rows, 1);
  EXPECT_EQ(Bytes(exact), 11 * 16);
  EXPECT_EQ(exact.size(), 3u);
  // An unaligned chunk: every range starts and ends on a burst and covers its rows.
  const auto shifted = GatherRows(layer, base + 8, 16, 64, rows, 64);
  for (const Transfer& t : shifted) {
    EXPECT_EQ(t.address % 64, 0u);
    EXPECT_EQ(t.bytes % 64, 0);
  }
  for (const RowRun& r : rows) {
    const std::uint64_t lo = base + 8 + static_cast<std::uint64_t>(16 * r.first);
    const std::uint64_t hi = lo + static_cast<std::uint64_t>(16 * r.count);
    bool covered = false;
    for (const Transfer& t : shifted)
      covered |= t.address <= lo && hi <= t.address + static_cast<std::uint64_t>(t.bytes);
    EXPECT_TRUE(covered) << "row " << r.first;
  }
  // Every row, or none: nothing to gather.
  EXPECT_TRUE(GatherRows(layer, base, 16, 64, {{0, 64}}, 64).empty());
  EXPECT_TRUE(GatherRows(layer, base, 16, 64, {}, 64).empty());
}

TEST(SpikeGather, ActiveRowsAreTheFetchedCountAtUniformPositions) {
  const Layer layer = Linear(", spiking: {timesteps: 1, input_rate: 0.05, output_rate: 0.1}");
  const GemmBlocks blocks{1, 1024, 16};
  SpikeTraffic a(layer, blocks), b(layer, blocks);
  std::int64_t first_half = 0, total = 0;
  for (std::int64_t bi = 0; bi < 2; ++bi) {
    const SpikeTraffic::Loads first = a.Load({0, bi, 0, 0, 1, 1024, 16});
    ASSERT_NE(first.active_rows, nullptr);
    const std::vector<RowRun> runs = *first.active_rows;
    std::int64_t rows = 0, previous_end = -1;
    for (const RowRun& r : runs) {
      EXPECT_GT(r.first, previous_end);  // sorted, disjoint, runs maximal
      EXPECT_GT(r.count, 0);
      previous_end = r.first + r.count;
      EXPECT_LE(previous_end, 1024);
      rows += r.count;
      for (std::int64_t k = r.first; k < r.first + r.count; ++k) first_half += k < 512 ? 1 : 0;
    }
    total += rows;
    // The SRAM receives exactly these rows: 16 int8 weights each.
    EXPECT_EQ(first.weight_bytes, rows * 16);
    EXPECT_GT(rows, 0);
    EXPECT_LT(rows, 1024);
    // Every column block of the input block reads the same rows; another walk draws the same.
    for (std::int64_t bj = 1; bj < 4; ++bj) {
      const auto other = a.Load({0, bi, bj, 0, 1, 1024, 16});
      ASSERT_EQ(other.active_rows->size(), runs.size());
      for (size_t i = 0; i < runs.size(); ++i) {
        EXPECT_EQ((*other.active_rows)[i].first, runs[i].first);
        EXPECT_EQ((*other.active_rows)[i].count, runs[i].count);
      }
    }
    const auto again = b.Load({0, bi, 0, 0, 1, 1024, 16});
    EXPECT_EQ(again.active_rows->size(), runs.size());
  }
  // Uniform over the chunk: about half the active rows in each half (~100 rows: within 15%).
  EXPECT_NEAR(static_cast<double>(first_half) / static_cast<double>(total), 0.5, 0.15);
}

TEST(SpikeGather, TheSearchExpectsTheBytesTheWalkFetches) {
  // The mapping search prices a spiking layer's loads at their expected sizes (spike trains,
  // weight rows of active inputs in whole bursts); the walk samples them. On every mapping the
  // search ranks first, whatever the rate, timesteps and row width, the two agree.
  const std::string dir = test::FreshDir("gather_expected");
  for (const std::int64_t n : {16, 256}) {
    for (const std::int64_t t : {1, 4}) {
      for (const double rate : {0.005, 0.02, 0.1, 0.3}) {
        const std::string w = dir + "/w.yaml";
        std::ofstream(w) << "name: w\nlayers:\n  - {name: fc, op: linear, m: 64, k: 2048, n: " << n
                         << ", dtype: int8, inputs: [], spiking: {timesteps: " << t
                         << ", input_rate: " << rate << "}}\n";
        const RunConfig c = test::LoadYaml(test::ArchFile("spiking-mesh4x4.yaml"), w);
        const Layer& layer = c.workload.graph->layers()[0];
        const std::int64_t tiles = c.arch.TileCount();
        const auto sram = static_cast<std::int64_t>(c.arch.tile.sram.capacity_bytes / 2);
        MappingSearch search(c.arch, MappingPrices{});
        const RankedMapping best = search.Rank(layer, tiles, sram, 1).front();
        const LayerMapper mapper(c.arch, tiles, sram, search);
        LayerRegions regions;
        regions.inputs = {{0, 1u << 24}};
        regions.operand_b = {1u << 26, 1u << 24};
        regions.output = {1u << 28, 1u << 24};
        const LayerPlan plan = mapper.WalkGemm(0, layer, regions, best.mapping);
        EXPECT_NEAR(best.estimate.dram_read_bytes / plan.tiling.planned_dram_read_bytes, 1, 0.1)
            << "n " << n << " T " << t << " rate " << rate << ": " << best.mapping.Describe();
      }
    }
  }
}

}  // namespace
}  // namespace pjsim
