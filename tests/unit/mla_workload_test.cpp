// Multi-head latent attention in imported DeepSeek-V2/V3 workloads: the built ops hold exactly
// the parameters CountParams counts (both executions), the cache the attention reads is the
// latent + shared RoPE key, DeepSeekMoE layers are placed as the config says, and the two layer
// keys MLA needs (values_in_keys, kv_sequences) are read and checked.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/param_count.h"
#include "sim/workload/transformer_builder.h"
#include "sim/workload/workload.h"
#include "test_paths.h"

namespace pjsim {
namespace {

HfModelSpec V2Lite() {
  return LoadHfConfig(test::SourceDir() + "/workloads/hf/DeepSeek-V2-Lite.config.json");
}

// A small DeepSeek-V2 with query compression (V2-Lite has none), two dense layers first and
// MoE every second layer after them.
HfModelSpec SyntheticWithQueryLora() {
  return ParseHfConfig(R"json({
    "model_type": "deepseek_v2", "hidden_size": 256, "intermediate_size": 512,
    "num_hidden_layers": 6, "num_attention_heads": 8, "num_key_value_heads": 8,
    "vocab_size": 1000, "q_lora_rank": 96, "kv_lora_rank": 64, "qk_nope_head_dim": 32,
    "qk_rope_head_dim": 16, "v_head_dim": 24, "n_routed_experts": 8, "num_experts_per_tok": 2,
    "moe_intermediate_size": 48, "n_shared_experts": 1, "first_k_dense_replace": 2,
    "moe_layer_freq": 2})json",
                       "synthetic.json");
}

Workload Build(const HfModelSpec& s, const ImportOptions& o) {
  const std::string yaml = BuildTransformerWorkload(s, o, "mla");
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "mla.yaml")));
}

const Layer& Find(const Workload& w, const std::string& name) {
  for (const Layer& l : w.graph->layers()) {
    if (l.name == name) return l;
  }
  throw std::runtime_error("no layer " + name);
}

// Parameters the workload's ops hold: weight matrices (every expert's), norm gains, the
// embedding table. The configs tested have no biases, which ops do not carry.
std::int64_t WorkloadParams(const Workload& w) {
  std::int64_t total = 0;
  for (const Layer& l : w.graph->layers()) {
    switch (l.kind) {
      case OpKind::kLinear:
        total += (l.expert.enabled() ? l.expert.experts : l.batch) * l.k * l.n;
        break;
      case OpKind::kNorm:
        total += l.n;
        break;
      case OpKind::kEmbedding:
        total += l.k * l.n;
        break;
      default:
        break;
    }
  }
  return total;
}

TEST(MlaWorkload, OpsHoldExactlyTheCountedParametersInBothExecutions) {
  for (const HfModelSpec& s : {V2Lite(), SyntheticWithQueryLora()}) {
    const std::int64_t counted = CountParams(s).total;
    for (const MlaExecution x : {MlaExecution::kAbsorbed, MlaExecution::kNaive}) {
      for (const bool decode : {false, true}) {
        ImportOptions o;
        o.seq = 64;
        o.decode = decode;
        o.decode_tokens = 2;
        o.mla = x;
        EXPECT_EQ(WorkloadParams(Build(s, o)), counted)
            << s.source << " " << ToString(x) << (decode ? " decode" : " prefill");
      }
    }
  }
  EXPECT_EQ(CountParams(V2Lite()).total, 15706484224);  // DeepSeek-V2-Lite: 15.7 B
}

TEST(MlaWorkload, DeepseekV3BuildsWithASigmoidRouterAndItsOnlyUncarriedParametersAreScoreBiases) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "model_type": "deepseek_v3", "hidden_size": 64, "intermediate_size": 128,
    "moe_intermediate_size": 16, "num_hidden_layers": 3, "num_attention_heads": 4,
    "num_key_value_heads": 4, "n_routed_experts": 8, "n_shared_experts": 1,
    "num_experts_per_tok": 2, "first_k_dense_replace": 1, "moe_layer_freq": 1,
    "q_lora_rank": 24, "kv_lora_rank": 16, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4,
    "v_head_dim": 8, "vocab_size": 300, "num_nextn_predict_layers": 1})json",
                                      "v3.json");
  ASSERT_TRUE(s.moe.router_bias);
  for (const MlaExecution x : {MlaExecution::kAbsorbed, MlaExecution::kNaive}) {
    ImportOptions o;
    o.seq = 8;
    o.mla = x;
    const Workload w = Build(s, o);
    // noaux_tc's per-expert score-correction bias (8 per MoE layer, 2 MoE layers) is the only
    // counted tensor no op holds.
    EXPECT_EQ(WorkloadParams(w), CountParams(s).total - 2 * 8) << ToString(x);
    EXPECT_EQ(Find(w, "L1.router_scores").function, "sigmoid");
    EXPECT_EQ(Find(w, "L0.q_b").n, 4 * (8 + 4));
  }
}

TEST(MlaWorkload, AbsorbedAttentionReadsTheLatentAsOneSharedKvHead) {
  ImportOptions o;
  o.seq = 4095;
  o.decode = true;
  o.decode_tokens = 1;
  o.layers = 1;
  const Workload w = Build(V2Lite(), o);
  const Layer& scores = Find(w, "L0.scores");
  EXPECT_EQ(scores.attention.heads, 16);
  EXPECT_EQ(scores.attention.kv_heads, 1);
  EXPECT_EQ(scores.attention.head_dim, 512 + 64);  // kv_lora_rank + qk_rope_head_dim
  EXPECT_EQ(scores.attention.kv_len, 4096);
  // The cache the scores op reads: one latent + RoPE key per token.
  EXPECT_EQ(scores.batch * scores.OperandBBytes(scores.k * scores.n), 576 * 4096);
  const Layer& context = Find(w, "L0.context");
  EXPECT_TRUE(context.attention.values_in_keys);
  EXPECT_EQ(context.attention.head_dim, 512);
  EXPECT_EQ(context.OperandBBytes(context.k * context.n), 0);  // the same latent, already read
  // The absorbed W_UK and W_UV: one matrix per head.
  const Layer& q_absorb = Find(w, "L0.q_absorb");
  EXPECT_EQ(q_absorb.batch, 16);
  EXPECT_EQ(q_absorb.k, 128);
  EXPECT_EQ(q_absorb.n, 512);
  const Layer& v_absorb = Find(w, "L0.v_absorb");
  EXPECT_EQ(v_absorb.batch, 16);
  EXPECT_EQ(v_absorb.k, 512);
  EXPECT_EQ(v_absorb.n, 128);
  for (const Layer& l : w.graph->layers()) {
    EXPECT_NE(l.name, "L0.kv_b") << "absorbed execution has no decompression";
  }
}

TEST(MlaWorkload, NaiveDecompressesEveryCachedTokenAndGrowsWithTheCache) {
  ImportOptions o;
  o.seq = 100;
  o.batch = 2;
  o.decode = true;
  o.decode_tokens = 3;
  o.layers = 1;
  o.mla = MlaExecution::kNaive;
  const Workload w = Build(V2Lite(), o);
  const Layer& kv_b = Find(w, "L0.kv_b");
  EXPECT_EQ(kv_b.kv_sequences, 2);
  EXPECT_EQ(kv_b.m, 2 * 101);
  EXPECT_EQ(kv_b.k, 512);
  EXPECT_EQ(kv_b.n, 16 * (128 + 128));
  EXPECT_TRUE(kv_b.GrowsPerDecodeStep());
  EXPECT_EQ(kv_b.AtDecodeStep(2).m, 2 * 103);  // one more token per sequence per step
  EXPECT_EQ(kv_b.InputShape(0), (TensorShape{2 * 101, 512}));  // the cached latents
  const Layer& scores = Find(w, "L0.scores");
  EXPECT_EQ(scores.attention.kv_heads, 16);
  EXPECT_EQ(scores.attention.head_dim, 128 + 64);
  const Layer& context = Find(w, "L0.context");
  EXPECT_EQ(context.attention.head_dim, 128);
  EXPECT_FALSE(context.attention.values_in_keys);
}

TEST(MlaWorkload, QueryCompressionAndDeepseekMoePlacement) {
  ImportOptions o;
  o.seq = 16;
  const Workload w = Build(SyntheticWithQueryLora(), o);
  EXPECT_EQ(Find(w, "L0.q_a").n, 96);
  EXPECT_EQ(Find(w, "L0.q_a_norm").n, 96);
  EXPECT_EQ(Find(w, "L0.q_b").n, 8 * (32 + 16));
  EXPECT_EQ(Find(w, "L0.kv_a").n, 64 + 16);
  EXPECT_EQ(Find(w, "L0.kv_a_norm").n, 64);
  EXPECT_EQ(Find(w, "L0.o").k, 8 * 24);
  // first_k_dense_replace = 2, moe_layer_freq = 2: layers 2 and 4 are MoE.
  for (const int i : {0, 1, 3, 5}) {
    EXPECT_EQ(Find(w, "L" + std::to_string(i) + ".gate").n, 512) << i;
  }
  for (const int i : {2, 4}) {
    const std::string p = "L" + std::to_string(i) + ".";
    const Layer& experts = Find(w, p + "experts_gate");
    EXPECT_EQ(experts.expert.experts, 8);
    EXPECT_EQ(experts.expert.top_k, 2);
    EXPECT_EQ(experts.n, 48);
    EXPECT_EQ(Find(w, p + "shared_gate").n, 48);
    EXPECT_EQ(Find(w, p + "router").n, 8);
  }
}

std::string ErrorOf(const std::string& yaml) {
  try {
    ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(MlaWorkload, LayerKeysAreCheckedWithTheirLocation) {
  EXPECT_EQ(ErrorOf("name: w\nlayers:\n"
                    "  - {name: s, op: attention_scores, heads: 2, kv_heads: 1, head_dim: 8, "
                    "q_len: 1, kv_len: 8, values_in_keys: true, dtype: int8, inputs: []}\n"),
            "w.yaml:3:110: 'layers.0.values_in_keys': 'values_in_keys' applies to "
            "attention_context only (values)");
  // A context op cannot take its values from a cache no scores op reads.
  const std::string context =
      "  - {name: c, op: attention_context, heads: 2, kv_heads: 1, head_dim: 8, q_len: 1, "
      "kv_len: 8, values_in_keys: true, dtype: int8, inputs: []}\n";
  EXPECT_EQ(ErrorOf("name: w\nlayers:\n" + context),
            "w.yaml:3:5: 'c' has values_in_keys but no attention_scores op reads a cache of the "
            "same sequences, kv_heads and kv_len with head_dim >= 8");
  EXPECT_EQ(ErrorOf("name: w\nlayers:\n"
                    "  - {name: s, op: attention_scores, heads: 2, kv_heads: 1, head_dim: 12, "
                    "q_len: 1, kv_len: 8, dtype: int8, inputs: []}\n" +
                    context),
            "");
  EXPECT_EQ(ErrorOf("name: w\nlayers:\n"
                    "  - {name: d, op: linear, m: 9, k: 8, n: 8, kv_sequences: 2, dtype: int8, "
                    "inputs: []}\n"),
            "w.yaml:3:59: 'layers.0.kv_sequences': a linear over the KV cache has m = "
            "kv_sequences x KV length; m (9) is not a multiple of 2");
  EXPECT_EQ(ErrorOf("name: w\nlayers:\n"
                    "  - {name: d, op: linear, m: 8, k: 8, n: 8, kv_sequences: 9, dtype: int8, "
                    "inputs: []}\n")
                .find("w.yaml:3:59: 'layers.0.kv_sequences': "),
            0u);
}

}  // namespace
}  // namespace pjsim
