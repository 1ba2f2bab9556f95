// The op groups of ops.csv and the summary: each layer of the shipped whole-model workloads gets
// the role it has in its block, and the grouping follows the graph, not the layer names.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "sim/run/op_groups.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

// Group of each layer, by layer name.
std::map<std::string, std::string> GroupsOf(const std::string& workload_path) {
  const RunConfig c = test::LoadYaml(test::ArchFile("default.yaml"), workload_path);
  const std::vector<std::string> groups = OpGroups(*c.workload.graph);
  std::map<std::string, std::string> out;
  const auto& layers = c.workload.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) out[layers[l].name] = groups[l];
  return out;
}

std::string Workload(const std::string& file) { return test::SourceDir() + "/workloads/" + file; }

TEST(OpGroups, DenseLlamaBlockDecode) {
  const auto g = GroupsOf(Workload("Meta-Llama-3-8B.decode128.yaml"));
  const std::map<std::string, std::string> expected = {
      {"embed", "embedding"},
      {"L0.attn_norm", "norm"},
      {"L0.q", "q_proj"},
      {"L0.k", "k_proj"},
      {"L0.v", "v_proj"},
      {"L0.scores", "attention_scores"},
      {"L0.softmax", "attention_softmax"},
      {"L0.context", "attention_context"},
      {"L0.o", "o_proj"},
      {"L0.attn_residual", "residual_add"},
      {"L0.ffn_norm", "norm"},
      {"L0.gate", "ffn_gate"},
      {"L0.up", "ffn_up"},
      {"L0.act", "ffn_act"},
      {"L0.down", "ffn_down"},
      {"L31.ffn_residual", "residual_add"},
      {"final_norm", "norm"},
      {"lm_head", "lm_head"},
  };
  for (const auto& [name, group] : expected) EXPECT_EQ(g.at(name), group) << name;
}

TEST(OpGroups, MoeBlockWithQkNorms) {
  const auto g = GroupsOf(Workload("OLMoE-1B-7B-0924.prefill2048.yaml"));
  const std::map<std::string, std::string> expected = {
      {"L0.q", "q_proj"},
      {"L0.k", "k_proj"},
      {"L0.q_norm", "norm"},
      {"L0.router", "router"},
      {"L0.router_scores", "router"},
      {"L0.router_topk", "router"},
      {"L0.experts_gate", "expert_gate"},
      {"L0.experts_up", "expert_up"},
      {"L0.experts_act", "expert_act"},
      {"L0.experts_down", "expert_down"},
      {"L0.moe_combine", "moe_combine"},
      {"lm_head", "lm_head"},  // prefill: reads the last rows from DRAM, no producer
  };
  for (const auto& [name, group] : expected) EXPECT_EQ(g.at(name), group) << name;
}

TEST(OpGroups, BitNetSubNormsDoNotHideRoles) {
  const auto g = GroupsOf(Workload("bitnet-b1.58-2B-4T.decode128.yaml"));
  EXPECT_EQ(g.at("L0.attn_sub_norm"), "norm");
  EXPECT_EQ(g.at("L0.o"), "o_proj");  // context -> sub-norm -> o
  EXPECT_EQ(g.at("L0.ffn_sub_norm"), "norm");
  EXPECT_EQ(g.at("L0.down"), "ffn_down");  // act -> sub-norm -> down
  EXPECT_EQ(g.at("L0.act"), "ffn_act");
}

// The same block under scrambled names (a name that says "down" on the q projection) keeps its
// roles: they come from the graph. An ungated MLP and a lone linear get theirs too.
TEST(OpGroups, RolesComeFromTheGraphNotTheNames) {
  const std::string path = test::WriteWorkloadYaml(
      "op_groups_scrambled",
      "name: scrambled\n"
      "layers:\n"
      "  - {name: down, op: linear, m: 4, k: 64, n: 64, dtype: int8, inputs: []}\n"
      "  - {name: up, op: linear, m: 4, k: 64, n: 64, dtype: int8, inputs: []}\n"
      "  - {name: gate, op: linear, m: 4, k: 64, n: 64, dtype: int8, inputs: []}\n"
      "  - {name: o, op: attention_scores, sequences: 1, heads: 4, kv_heads: 4, head_dim: 16, "
      "q_len: 4, kv_len: 4, dtype: int8, inputs: [down, up]}\n"
      "  - {name: lm_head, op: softmax, m: 16, n: 4, dtype: int8, inputs: [o]}\n"
      "  - {name: q, op: attention_context, sequences: 1, heads: 4, kv_heads: 4, head_dim: 16, "
      "q_len: 4, kv_len: 4, dtype: int8, inputs: [lm_head, gate]}\n"
      "  - {name: k, op: linear, m: 4, k: 64, n: 256, dtype: int8, inputs: [q]}\n"
      "  - {name: v, op: elementwise, function: gelu, m: 4, n: 256, dtype: int8, inputs: [k]}\n"
      "  - {name: router, op: linear, m: 4, k: 256, n: 64, dtype: int8, inputs: [v]}\n"
      "  - {name: ffn, op: linear, m: 4, k: 64, n: 32, dtype: int8, inputs: [router]}\n");
  const auto g = GroupsOf(path);
  EXPECT_EQ(g.at("down"), "q_proj");
  EXPECT_EQ(g.at("up"), "k_proj");
  EXPECT_EQ(g.at("gate"), "v_proj");
  EXPECT_EQ(g.at("o"), "attention_scores");
  EXPECT_EQ(g.at("lm_head"), "attention_softmax");
  EXPECT_EQ(g.at("q"), "attention_context");
  EXPECT_EQ(g.at("k"), "o_proj");  // reads the attention context
  EXPECT_EQ(g.at("v"), "ffn_act");
  EXPECT_EQ(g.at("router"), "ffn_down");
  EXPECT_EQ(g.at("ffn"), "linear");  // no embedding table to project back onto: not an LM head
}

// Multi-head latent attention (DeepSeek-V2), absorbed: the queries go through a low-rank pair
// and the absorbed W_UK; the compressed latent is the K and V cache both attention ops wait for
// or read; W_UV and the output projection come after the context, read from DRAM.
TEST(OpGroups, LatentAttentionAbsorbed) {
  const std::string path = test::WriteWorkloadYaml(
      "op_groups_mla_absorbed",
      "name: mla\n"
      "layers:\n"
      "  - {name: x, op: norm, function: rmsnorm, m: 2, n: 64, dtype: int8, inputs: []}\n"
      "  - {name: a1, op: linear, m: 2, k: 64, n: 32, dtype: int8, inputs: [x]}\n"
      "  - {name: a1n, op: norm, function: rmsnorm, m: 2, n: 32, dtype: int8, inputs: [a1]}\n"
      "  - {name: b1, op: linear, m: 2, k: 32, n: 128, dtype: int8, inputs: [a1n]}\n"
      "  - {name: c1, op: linear, m: 2, k: 64, n: 40, dtype: int8, inputs: [x]}\n"
      "  - {name: c1n, op: norm, function: rmsnorm, m: 2, n: 32, dtype: int8, inputs: [], "
      "after: [c1]}\n"
      "  - {name: d1, op: linear, m: 2, k: 16, n: 32, dtype: int8, inputs: [], after: [b1]}\n"
      "  - {name: s, op: attention_scores, sequences: 1, heads: 4, kv_heads: 1, head_dim: 40, "
      "q_len: 2, kv_len: 8, dtype: int8, inputs: [], after: [d1, c1n]}\n"
      "  - {name: p, op: softmax, m: 8, n: 8, dtype: int8, inputs: [s]}\n"
      "  - {name: ctx, op: attention_context, sequences: 1, heads: 4, kv_heads: 1, head_dim: 32, "
      "q_len: 2, kv_len: 8, dtype: int8, inputs: [p, c1n]}\n"
      "  - {name: e1, op: linear, m: 2, k: 32, n: 16, dtype: int8, inputs: [], after: [ctx]}\n"
      "  - {name: f1, op: linear, m: 2, k: 64, n: 64, dtype: int8, inputs: [], after: [e1]}\n");
  const auto g = GroupsOf(path);
  EXPECT_EQ(g.at("a1"), "q_proj");   // low-rank factor of the query projection
  EXPECT_EQ(g.at("b1"), "q_proj");   // waited for by the absorbed query
  EXPECT_EQ(g.at("d1"), "q_proj");   // W_UK absorbed into the query
  EXPECT_EQ(g.at("c1"), "kv_proj");  // the latent: keys and values at once
  EXPECT_EQ(g.at("e1"), "o_proj");   // W_UV absorbed after the context
  EXPECT_EQ(g.at("f1"), "o_proj");
  EXPECT_EQ(g.at("s"), "attention_scores");
  EXPECT_EQ(g.at("p"), "attention_softmax");
}

TEST(OpGroups, MambaBlockPrefillAndDecode) {
  // A state-space block: its projections, convolution, activations, scan and gate get their own
  // groups (not the FFN's, whose gated activation the SSM gate resembles).
  const HfModelSpec spec =
      LoadHfConfig(test::SourceDir() + "/workloads/hf/mamba-130m-hf.config.json");
  for (const bool decode : {false, true}) {
    ImportOptions o;
    o.seq = 16;
    o.layers = 1;
    o.decode = decode;
    o.decode_tokens = 1;
    const auto g = GroupsOf(
        test::WriteWorkloadYaml(std::string("op_groups_mamba_") + (decode ? "decode" : "prefill"),
                                BuildTransformerWorkload(spec, o, "mamba")));
    const std::map<std::string, std::string> expected = {
        {"L0.in_proj_x", "ssm_in_proj"}, {"L0.in_proj_z", "ssm_in_proj"}, {"L0.conv", "ssm_conv"},
        {"L0.x_proj", "ssm_in_proj"},    {"L0.dt_proj", "ssm_in_proj"},   {"L0.dt", "ssm_act"},
        {"L0.conv_act", "ssm_act"},      {"L0.scan", "ssm_scan"},         {"L0.gate", "ssm_gate"},
        {"L0.out_proj", "ssm_out_proj"}};
    for (const auto& [name, group] : expected) {
      ASSERT_TRUE(g.contains(name)) << name;
      EXPECT_EQ(g.at(name), group) << name << (decode ? " (decode)" : " (prefill)");
    }
  }
}

}  // namespace
}  // namespace pjsim
