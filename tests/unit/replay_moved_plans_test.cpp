// Decoder blocks re-plan their attention layers every decode pass for the same KV length: the
// planner walks the first block's and moves that plan to the other blocks' tensors
// (MovedPlan). A moved plan must be the plan a walk gives, task by task and byte for byte.
#include <gtest/gtest.h>

#include <string>

#include "sim/mapping/layer_mapper.h"
#include "sim/mapping/mapping_search.h"
#include "sim/mapping/workload_planner.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

void ExpectSameTransfer(const Transfer& a, const Transfer& b, const std::string& where) {
  EXPECT_EQ(a.address, b.address) << where;
  EXPECT_EQ(a.bytes, b.bytes) << where;
  EXPECT_EQ(a.share, b.share) << where;
}

void ExpectSamePlan(const LayerPlan& a, const LayerPlan& b, const std::string& layer) {
  ASSERT_EQ(a.per_tile.size(), b.per_tile.size()) << layer;
  for (size_t t = 0; t < a.per_tile.size(); ++t) {
    ASSERT_EQ(a.per_tile[t].size(), b.per_tile[t].size()) << layer << " tile " << t;
    for (size_t i = 0; i < a.per_tile[t].size(); ++i) {
      const TileTask &x = a.per_tile[t][i], &y = b.per_tile[t][i];
      const std::string where = layer + " tile " + std::to_string(t) + " task " + std::to_string(i);
      EXPECT_EQ(x.layer, y.layer) << where;
      EXPECT_EQ(x.kind, y.kind) << where;
      EXPECT_EQ(x.gemm.m, y.gemm.m) << where;
      EXPECT_EQ(x.gemm.k, y.gemm.k) << where;
      EXPECT_EQ(x.gemm.n, y.gemm.n) << where;
      EXPECT_EQ(x.elements, y.elements) << where;
      EXPECT_EQ(x.first_k, y.first_k) << where;
      EXPECT_EQ(x.last_k, y.last_k) << where;
      EXPECT_EQ(x.accumulate_in_array, y.accumulate_in_array) << where;
      EXPECT_EQ(x.reduction, y.reduction) << where;
      ExpectSameTransfer(x.input, y.input, where + " input");
      ExpectSameTransfer(x.second_input, y.second_input, where + " second input");
      ExpectSameTransfer(x.weights, y.weights, where + " weights");
      ExpectSameTransfer(x.store, y.store, where + " store");
      ASSERT_EQ(x.weight_gather.size(), y.weight_gather.size()) << where;
    }
  }
  EXPECT_EQ(a.shares, b.shares) << layer;
  ASSERT_EQ(a.reductions.size(), b.reductions.size()) << layer;
  for (size_t r = 0; r < a.reductions.size(); ++r) {
    EXPECT_EQ(a.reductions[r].root, b.reductions[r].root) << layer;
    EXPECT_EQ(a.reductions[r].contributors, b.reductions[r].contributors) << layer;
    EXPECT_EQ(a.reductions[r].partial_bytes, b.reductions[r].partial_bytes) << layer;
  }
  EXPECT_EQ(a.tiling.tasks, b.tiling.tasks) << layer;
  EXPECT_EQ(a.tiling.mapping, b.tiling.mapping) << layer;
  EXPECT_EQ(a.tiling.predicted_cycles, b.tiling.predicted_cycles) << layer;
  EXPECT_EQ(a.tiling.planned_dram_read_bytes, b.tiling.planned_dram_read_bytes) << layer;
  EXPECT_EQ(a.tiling.planned_operand_b_bytes, b.tiling.planned_operand_b_bytes) << layer;
  EXPECT_EQ(a.tiling.planned_dram_write_bytes, b.tiling.planned_dram_write_bytes) << layer;
}

// `blocks` decoder blocks with grouped-query attention (8 heads on 2 KV heads) in decode, or a
// prefill of `tokens` tokens.
std::string DecoderBlocks(int blocks, int tokens = 0) {
  const std::string m = std::to_string(tokens > 0 ? tokens : 1);
  const std::string kv = std::to_string(tokens > 0 ? tokens : 700);
  std::string y = tokens > 0
                      ? "name: moved_plans\nphase: prefill\ntokens_per_pass: " + m + "\nlayers:\n"
                      : "name: moved_plans\nphase: decode\ndecode_tokens: 3\n"
                        "tokens_per_pass: 1\nlayers:\n";
  std::string in = "[]";
  for (int b = 0; b < blocks; ++b) {
    const std::string p = "B" + std::to_string(b) + ".";
    const auto layer = [&](const std::string& name, const std::string& rest) {
      y += "  - {name: " + p + name + ", " + rest + "}\n";
    };
    layer("norm", "op: norm, function: rmsnorm, m: " + m + ", n: 1024, dtype: int8, inputs: " + in);
    layer("q", "op: linear, m: " + m + ", k: 1024, n: 1024, dtype: int8, inputs: [" + p + "norm]");
    layer("k", "op: linear, m: " + m + ", k: 1024, n: 256, dtype: int8, inputs: [" + p + "norm]");
    layer("scores",
          "op: attention_scores, sequences: 1, heads: 8, kv_heads: 2, head_dim: 128, q_len: " + m +
              ", kv_len: " + kv + ", dtype: int8, inputs: [" + p + "q, " + p + "k]");
    layer("softmax", "op: softmax, m: " + std::to_string(8 * std::stoi(m)) + ", n: " + kv +
                         ", dtype: int8, inputs: [" + p + "scores]");
    layer("context",
          "op: attention_context, sequences: 1, heads: 8, kv_heads: 2, head_dim: 128, q_len: " + m +
              ", kv_len: " + kv + ", dtype: int8, inputs: [" + p + "softmax, " + p + "k]");
    layer("add", "op: elementwise, function: add, m: " + m + ", n: 1024, dtype: int8, inputs: [" +
                     p + "context, " + p + "norm]");
    in = "[" + p + "add]";
  }
  return y;
}

// Every plan the planner gives is the plan a fresh walk gives; returns how many were moved.
std::int64_t ExpectWalkedPlans(const std::string& arch, int blocks, int tokens = 0) {
  const std::string w =
      test::WriteWorkloadYaml("replay_moved_plans", DecoderBlocks(blocks, tokens));
  // Without resident weights every layer plans with the whole SRAM, as a fresh mapper does.
  const RunConfig c =
      test::LoadYaml(test::ArchFile(arch), w, {"arch.mapping.weight_residency=false"});
  WorkloadPlanner planner(c.arch, c.workload);
  MappingSearch search(c.arch, {});
  const auto& layers = c.workload.graph->layers();
  for (std::int64_t pass = 0; pass < c.workload.Passes(); ++pass) {
    for (int l : c.workload.graph->topological_order()) {
      const LayerPlan& planned = planner.Plan(pass, l);
      LayerPlan walked =
          LayerMapper(c.arch, planner.GroupOf(l).count,
                      static_cast<std::int64_t>(c.arch.tile.sram.capacity_bytes), search)
              .Map(l, planner.LayerAt(pass, l), planner.RegionsOf(l));
      walked.tiling.predicted_cycles += planner.RowSwitchCycles(planner.LayerAt(pass, l), walked);
      ExpectSamePlan(planned, walked,
                     layers[static_cast<size_t>(l)].name + " pass " + std::to_string(pass));
    }
  }
  return planner.moved_plans();
}

// Moved: the three attention layers of every block after the first in every pass, planned for
// the pass's KV length, and the other four layers of every block after the first, planned once
// (outputs placed by liveness start one row up: no tensor lies at DRAM address 0, which a move
// cannot tell from an empty transfer).
std::int64_t MovedInDecode(int blocks) { return 3 * (blocks - 1) * 3 + 4 * (blocks - 1); }

TEST(MovedPlans, AreTheWalkedPlansOnTheDefaultMesh) {
  EXPECT_EQ(ExpectWalkedPlans("default.yaml", 4), MovedInDecode(4));
}

TEST(MovedPlans, AreTheWalkedPlansOnTheLargeMesh) {
  EXPECT_EQ(ExpectWalkedPlans("mesh8x8-int8-hbm.yaml", 3), MovedInDecode(3));
}

// A prefill's blocks repeat one another too: every layer of a block after the first takes a
// moved plan.
TEST(MovedPlans, AreTheWalkedPlansInAPrefill) {
  EXPECT_EQ(ExpectWalkedPlans("mesh8x8-int8-hbm.yaml", 4, 96), 7 * 3);
  EXPECT_EQ(ExpectWalkedPlans("default.yaml", 3, 64), 7 * 2);
}

TEST(MovedPlans, OnlyBetweenLayersOfTheSameWork) {
  Layer a;
  a.name = "L0.scores";
  a.kind = OpKind::kAttentionScores;
  a.attention = {1, 8, 2, 128, 1, 700, false};
  a.DeriveAttentionGemm();
  Layer b = a;
  b.name = "L1.scores";
  b.inputs = {"L1.q", "L1.k"};
  EXPECT_TRUE(SameWork(a, b));
  b.attention.kv_len = 701;
  b.DeriveAttentionGemm();
  EXPECT_FALSE(SameWork(a, b));
  b = a;
  b.attention.kv_heads = 4;
  EXPECT_FALSE(SameWork(a, b));
  b = a;
  b.dtype = DType::kFp16;
  EXPECT_FALSE(SameWork(a, b));
  b = a;
  b.activation_bits = 4;
  EXPECT_FALSE(SameWork(a, b));
}

TEST(MovedPlans, MoveEachTransferWithItsTensor) {
  LayerPlan plan;
  plan.per_tile.resize(1);
  TileTask t;
  t.layer = 3;
  t.input = {4096 + 64, 64, -1};
  t.second_input = {8192 + 128, 32, -1};
  t.weights = {1 << 20, 256, -1};
  t.store = {12288 + 8, 16, -1};
  plan.per_tile[0].push_back(t);
  plan.per_tile[0].push_back(TileTask{});  // empty transfers stay empty
  const LayerRegions from{{{4096, 1024}, {8192, 1024}}, {1 << 20, 4096}, {12288, 1024}};
  const LayerRegions to{{{40960, 1024}, {81920, 1024}}, {3 << 20, 4096}, {122880, 1024}};
  ASSERT_TRUE(SameSizes(from, to));
  const LayerPlan moved = MovedPlan(plan, 7, from, to);
  const TileTask& m = moved.per_tile[0][0];
  EXPECT_EQ(m.layer, 7);
  EXPECT_EQ(m.input.address, 40960u + 64);
  EXPECT_EQ(m.second_input.address, 81920u + 128);
  EXPECT_EQ(m.weights.address, (3u << 20));
  EXPECT_EQ(m.store.address, 122880u + 8);
  EXPECT_EQ(m.input.bytes, 64);
  EXPECT_EQ(moved.per_tile[0][1].input.address, 0u);
  EXPECT_EQ(moved.per_tile[0][1].store.address, 0u);
  LayerRegions other = to;
  other.output.bytes = 2048;
  EXPECT_FALSE(SameSizes(from, other));
  other = to;
  other.inputs[0].base = 0;
  EXPECT_FALSE(SameSizes(from, other));
}

}  // namespace
}  // namespace pjsim
