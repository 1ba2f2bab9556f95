// Routed experts' plans are built once per pass: parts are moved, not copied, into the layer's
// plan (AppendPlan), and WorkloadPlanner::Validate checks expert layers without mapping them, so
// the plan the run gets is the same as without validation, and a mapping error still comes
// from Validate, before the run.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/config_error.h"
#include "sim/mapping/layer_mapper.h"
#include "sim/mapping/workload_planner.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

TileTask Task(int layer, std::uint64_t address, std::int32_t share, std::int32_t reduction) {
  TileTask t;
  t.layer = layer;
  t.input = {address, 64, share};
  t.weights = {address + 4096, 128, share};
  t.reduction = reduction;
  return t;
}

// A part on 2 tiles: one shared load, one K-split reduction rooted on its first tile.
LayerPlan Part(std::uint64_t address) {
  LayerPlan p;
  p.per_tile.resize(2);
  p.shares = {{0, 1}};
  p.reductions.push_back({0, {1}, 16, 64});
  p.per_tile[0] = {Task(3, address, 0, 0), Task(3, address + 64, -1, -1)};
  p.per_tile[1] = {Task(3, address + 128, 0, 0)};
  p.tiling.tasks = 3;
  p.tiling.planned_dram_read_bytes = 100;
  return p;
}

void ExpectSameTasks(const LayerPlan& a, const LayerPlan& b) {
  ASSERT_EQ(a.per_tile.size(), b.per_tile.size());
  for (size_t t = 0; t < a.per_tile.size(); ++t) {
    ASSERT_EQ(a.per_tile[t].size(), b.per_tile[t].size()) << "tile " << t;
    for (size_t i = 0; i < a.per_tile[t].size(); ++i) {
      const TileTask& x = a.per_tile[t][i];
      const TileTask& y = b.per_tile[t][i];
      EXPECT_EQ(x.layer, y.layer);
      EXPECT_EQ(x.gemm.m, y.gemm.m);
      EXPECT_EQ(x.gemm.k, y.gemm.k);
      EXPECT_EQ(x.gemm.n, y.gemm.n);
      EXPECT_EQ(x.elements, y.elements);
      EXPECT_EQ(x.reduction, y.reduction);
      const auto loads = x.Loads(), other = y.Loads();
      for (size_t l = 0; l < loads.size(); ++l) {
        EXPECT_EQ(loads[l].address, other[l].address) << "tile " << t << " task " << i;
        EXPECT_EQ(loads[l].bytes, other[l].bytes);
        EXPECT_EQ(loads[l].share, other[l].share);
      }
      EXPECT_EQ(x.store.address, y.store.address);
      EXPECT_EQ(x.store.bytes, y.store.bytes);
    }
  }
  EXPECT_EQ(a.shares, b.shares);
  ASSERT_EQ(a.reductions.size(), b.reductions.size());
  for (size_t r = 0; r < a.reductions.size(); ++r) {
    EXPECT_EQ(a.reductions[r].root, b.reductions[r].root);
    EXPECT_EQ(a.reductions[r].contributors, b.reductions[r].contributors);
  }
  EXPECT_EQ(a.tiling.tasks, b.tiling.tasks);
  EXPECT_EQ(a.tiling.planned_dram_read_bytes, b.tiling.planned_dram_read_bytes);
}

TEST(AppendPlan, MovingPartsGivesTheCopiedPlan) {
  // The second part overlaps the first on tile 1 (appended behind its task) and is alone on
  // tile 2 (its queue taken whole).
  LayerPlan copied, moved;
  copied.per_tile.resize(3);
  moved.per_tile.resize(3);
  const LayerPlan first = Part(0), second = Part(1 << 20);
  AppendPlan(copied, first, 0);
  AppendPlan(copied, second, 1);
  AppendPlan(moved, Part(0), 0);
  AppendPlan(moved, Part(1 << 20), 1);
  ExpectSameTasks(copied, moved);
  // The second part's share and reduction are renumbered behind the first's, its tiles shifted.
  ASSERT_EQ(moved.shares.size(), 2u);
  EXPECT_EQ(moved.shares[1], (std::vector<int>{1, 2}));
  ASSERT_EQ(moved.reductions.size(), 2u);
  EXPECT_EQ(moved.reductions[1].root, 1);
  EXPECT_EQ(moved.reductions[1].contributors, std::vector<int>{2});
  ASSERT_EQ(moved.per_tile[1].size(), 3u);
  EXPECT_EQ(moved.per_tile[1][0].input.address, 128u);  // the first part's task stays first
  EXPECT_EQ(moved.per_tile[1][1].input.share, 1);
  EXPECT_EQ(moved.per_tile[1][1].reduction, 1);
  EXPECT_EQ(moved.per_tile[2][0].input.share, 1);
  EXPECT_EQ(moved.per_tile[2][0].input.address, (1u << 20) + 128);
  EXPECT_EQ(moved.tiling.tasks, 6);
  EXPECT_EQ(moved.tiling.planned_dram_read_bytes, 200);
  // Copying leaves the part as it was.
  EXPECT_EQ(second.per_tile[0][0].input.share, 0);
  EXPECT_EQ(second.reductions[0].root, 0);
}

// Two MoE blocks of 8 experts, top-2, over 128 tokens, prefill; skewed routing (with replicas
// of the busiest experts, their parts share tiles with the idlest experts' parts).
std::string ExpertWorkload(const std::string& name) {
  std::string yaml = "name: " + name +
                     "\nphase: prefill\ntokens_per_pass: 128\n"
                     "routing: {source: zipf, zipf_exponent: 1.2, seed: 3}\nlayers:\n";
  for (const std::string b : {"0", "1"}) {
    yaml += "  - {name: up" + b + ", op: linear, m: 256, k: 512, n: 1024, dtype: int8, " +
            "inputs: [], experts: {count: 8, top_k: 2, block: " + b + "}}\n";
    yaml += "  - {name: down" + b + ", op: linear, m: 256, k: 1024, n: 512, dtype: int8, " +
            "inputs: [up" + b + "], experts: {count: 8, top_k: 2, block: " + b + "}}\n";
  }
  return test::WriteWorkloadYaml("expert_planning_" + name, yaml);
}

TEST(WorkloadPlanner, ValidatingExpertLayersLeavesTheirPlansAsWithout) {
  const RunConfig c = test::LoadYaml(test::ArchFile("default.yaml"), ExpertWorkload("same"),
                                     {"arch.mapping.replicate_hot_experts=2"});
  WorkloadPlanner validated(c.arch, c.workload);
  WorkloadPlanner direct(c.arch, c.workload);
  validated.Validate();
  const auto layers = static_cast<int>(c.workload.graph->layers().size());
  ASSERT_EQ(layers, 4);
  for (int l = 0; l < layers; ++l) {
    const LayerPlan& a = validated.Plan(0, l);
    const LayerPlan& b = direct.Plan(0, l);
    EXPECT_GT(a.tiling.tasks, 0) << l;
    ExpectSameTasks(a, b);
    EXPECT_EQ(a.tiling.predicted_cycles, b.tiling.predicted_cycles) << l;
    EXPECT_EQ(a.tiling.tiles_used, b.tiling.tiles_used) << l;
  }
}

TEST(WorkloadPlanner, ValidateReportsAnExpertLayerThatCannotBeMapped) {
  const RunConfig c = test::LoadYaml(test::ArchFile("default.yaml"), ExpertWorkload("tiny"),
                                     {"arch.tile.sram.capacity=1 B"});
  WorkloadPlanner planner(c.arch, c.workload);
  try {
    planner.Validate();
    FAIL() << "Validate accepted an expert layer no mapping fits";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("layer 'up0': no mapping fits"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace pjsim
