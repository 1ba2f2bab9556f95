// Jamba imports (model_type "jamba"): JambaConfig's own keys place the attention and MoE layers,
// the parameter count is exact tensor by tensor (transformers' JambaForCausalLM, the Mamba
// mixer's dt/B/C RMSNorms included) and matches the paper's 51.6 B total / 12 B active for
// Jamba-v0.1's dimensions, and the built workload has the same layer pattern.
#include <gtest/gtest.h>

#include <string>

#include "config_error_text.h"
#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/param_count.h"
#include "sim/workload/transformer_builder.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

// The published config.json of ai21labs/AI21-Jamba-1.5-Mini, which has Jamba-v0.1's architecture
// keys (Lieber et al., arXiv:2403.19887, section 3.1: 4 blocks of 8 layers, a:m = 1:7, MoE every
// other layer, 16 experts, top-2).
HfModelSpec JambaV01() {
  return ParseHfConfig(R"json({"architectures": ["JambaForCausalLM"], "attention_dropout": 0.0,
    "attn_layer_offset": 4, "attn_layer_period": 8, "bos_token_id": 1, "eos_token_id": [2, 518],
    "expert_layer_offset": 1, "expert_layer_period": 2, "hidden_act": "silu",
    "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336,
    "mamba_conv_bias": true, "mamba_d_conv": 4, "mamba_d_state": 16, "mamba_dt_rank": 256,
    "mamba_expand": 2, "mamba_proj_bias": false, "max_position_embeddings": 262144,
    "model_type": "jamba", "num_attention_heads": 32, "num_experts": 16,
    "num_experts_per_tok": 2, "num_hidden_layers": 32, "num_key_value_heads": 8,
    "num_logits_to_keep": 1, "output_router_logits": false, "pad_token_id": 0,
    "rms_norm_eps": 1e-06, "router_aux_loss_coef": 0.001, "sliding_window": null,
    "tie_word_embeddings": false, "use_cache": true, "use_mamba_kernels": true,
    "vocab_size": 65536})json",
                       "jamba.json");
}

// A small Jamba: attention at layers 2 and 6, MoE (4 experts, top-2) at the odd layers.
HfModelSpec SmallJamba() {
  return ParseHfConfig(R"json({"model_type": "jamba", "hidden_size": 64,
    "intermediate_size": 96, "num_hidden_layers": 8, "num_attention_heads": 4,
    "num_key_value_heads": 2, "vocab_size": 100, "num_experts": 4, "num_experts_per_tok": 2,
    "attn_layer_period": 4, "attn_layer_offset": 2, "expert_layer_period": 2,
    "expert_layer_offset": 1, "mamba_d_state": 8, "mamba_d_conv": 4, "mamba_expand": 2,
    "mamba_dt_rank": "auto"})json",
                       "small-jamba.json");
}

Workload Build(const HfModelSpec& s, const ImportOptions& o) {
  const std::string yaml = BuildTransformerWorkload(s, o, "jamba");
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "jamba.yaml")));
}

const Layer* Find(const Workload& w, const std::string& name) {
  for (const Layer& l : w.graph->layers()) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

TEST(JambaParams, V01MatchesThePapersSizes) {
  const HfModelSpec s = JambaV01();
  EXPECT_EQ(s.family, HfFamily::kJamba);
  EXPECT_EQ(s.ssm.d_inner, 8192);
  EXPECT_EQ(s.ssm.time_step_rank, 256);
  const ParamBreakdown p = CountParams(s);
  // Mamba mixer: in_proj 4096 x 16384, conv1d 8192 x 4 + 8192, x_proj 8192 x (256 + 32),
  // dt_proj 256 x 8192 + 8192, A_log 8192 x 16, D 8192, out_proj 8192 x 4096, and the dt, B and
  // C RMSNorms (256 + 16 + 16).
  const std::int64_t mamba = 4096LL * 16384 + (8192 * 4 + 8192) + 8192 * 288 + (256 * 8192 + 8192) +
                             8192 * 16 + 8192 + 8192LL * 4096 + 288;
  EXPECT_EQ(p.ssm_per_layer, mamba);
  const std::int64_t attention = 2 * 4096LL * 4096 + 2 * 4096LL * 1024;
  const std::int64_t mlp = 3 * 4096LL * 14336;
  EXPECT_EQ(p.num_ssm_layers, 28);
  EXPECT_EQ(p.num_moe_layers, 16);
  EXPECT_EQ(p.num_dense_layers, 16);
  const std::int64_t total = 28 * mamba + 4 * attention + 16 * mlp + 16 * (16 * mlp + 16 * 4096) +
                             32 * 2 * 4096 + 4096 + 2 * 65536LL * 4096;
  EXPECT_EQ(p.total, total);
  EXPECT_EQ(p.total, 51570323328);
  EXPECT_EQ(p.active, total - 16 * 14 * mlp);
  EXPECT_EQ(p.active, 12110311296);
  // The paper's rounding: 52 B total (51.6 B), 12 B active.
  EXPECT_NEAR(static_cast<double>(p.total) / 1e9, 51.6, 0.05);
  EXPECT_NEAR(static_cast<double>(p.active) / 1e9, 12.0, 0.15);
}

TEST(JambaParams, SmallConfigCountsExactlyWithDefaults) {
  const HfModelSpec s = SmallJamba();
  EXPECT_EQ(s.ssm.time_step_rank, 4);  // "auto": ceil(64 / 16)
  EXPECT_TRUE(s.ssm.use_conv_bias);
  EXPECT_FALSE(s.ssm.use_bias);
  EXPECT_FALSE(s.tie_word_embeddings);
  const std::int64_t d = 128, h = 64, r = 4, n = 8;
  const std::int64_t mamba =
      h * 2 * d + (d * 4 + d) + d * (r + 2 * n) + (r * d + d) + d * n + d + d * h + (r + 2 * n);
  const std::int64_t attention = 2 * h * h + 2 * h * 32;
  const std::int64_t mlp = 3 * h * 96;
  const ParamBreakdown p = CountParams(s);
  EXPECT_EQ(p.total, 6 * mamba + 2 * attention + 4 * mlp + 4 * (4 * mlp + 4 * h) + 8 * 2 * h + h +
                         2 * 100 * h);
  EXPECT_EQ(p.active, p.total - 4 * 2 * mlp);
  // num_experts 1: every FFN is a plain MLP (JambaMLP), no router.
  HfModelSpec dense = ParseHfConfig(R"json({"model_type": "jamba", "hidden_size": 64,
    "intermediate_size": 96, "num_hidden_layers": 8, "num_attention_heads": 4,
    "vocab_size": 100, "num_experts": 1, "num_experts_per_tok": 1})json",
                                    "dense-jamba.json");
  EXPECT_EQ(dense.NumMoeLayers(), 0);
  EXPECT_EQ(CountParams(dense).num_dense_layers, 8);
}

TEST(JambaParams, LayerPatternFollowsThePeriodsAndOffsets) {
  const HfModelSpec s = JambaV01();
  for (std::int64_t i = 0; i < 32; ++i) {
    EXPECT_EQ(s.attention_layer[static_cast<size_t>(i)], i % 8 == 4) << i;
    EXPECT_EQ(s.moe_layer[static_cast<size_t>(i)], i % 2 == 1) << i;
  }
  for (const bool decode : {false, true}) {
    ImportOptions o;
    o.seq = 64;
    o.decode = decode;
    o.decode_tokens = 1;
    const Workload w = Build(SmallJamba(), o);
    for (int i = 0; i < 8; ++i) {
      const std::string p = "L" + std::to_string(i) + ".";
      const bool attention = i % 4 == 2, moe = i % 2 == 1;
      EXPECT_EQ(Find(w, p + "scores") != nullptr, attention) << p;
      EXPECT_EQ(Find(w, p + "scan") != nullptr, !attention) << p;
      EXPECT_EQ(Find(w, p + "dt_norm") != nullptr, !attention) << p;
      EXPECT_EQ(Find(w, p + "experts_gate") != nullptr, moe) << p;
      EXPECT_EQ(Find(w, p + "gate") != nullptr, !moe) << p;  // the dense MLP's gate_proj
      ASSERT_NE(Find(w, p + "ffn_residual"), nullptr) << p;
    }
    // The projections and FFN/expert matrices the ops hold are the counted linear weights.
    std::int64_t linear = 0;
    for (const Layer& l : w.graph->layers()) {
      if (l.kind != OpKind::kLinear || l.name == "lm_head" ||
          l.name.find(".router") != std::string::npos) {
        continue;
      }
      linear += (l.expert.enabled() ? l.expert.experts : 1) * l.k * l.n;
    }
    EXPECT_EQ(linear, CountParams(SmallJamba()).linear) << "decode " << decode;
    // B and C are normalised over the state, dt over the time-step rank.
    EXPECT_EQ(Find(w, "L0.b_norm")->n, 8);
    EXPECT_EQ(Find(w, "L0.dt_norm")->n, 4);
    EXPECT_EQ(Find(w, "L0.dt_proj")->k, 4);
  }
}

TEST(JambaParams, BadKeysNameFileAndKey) {
  const std::string offset = test::ErrorOf([] {
    ParseHfConfig(R"json({"model_type": "jamba", "hidden_size": 64, "intermediate_size": 96,
      "num_hidden_layers": 8, "num_attention_heads": 4, "vocab_size": 100,
      "attn_layer_period": 4, "attn_layer_offset": 4})json",
                  "offset.json");
  });
  EXPECT_NE(offset.find("offset.json:3:"), std::string::npos) << offset;
  EXPECT_NE(offset.find("'attn_layer_offset' (4) must be smaller than 'attn_layer_period' (4)"),
            std::string::npos)
      << offset;
  const std::string rank = test::ErrorOf([] {
    ParseHfConfig(R"json({"model_type": "jamba", "hidden_size": 64, "intermediate_size": 96,
      "num_hidden_layers": 8, "num_attention_heads": 4, "vocab_size": 100,
      "mamba_dt_rank": "big"})json",
                  "rank.json");
  });
  EXPECT_NE(rank.find("rank.json:"), std::string::npos) << rank;
  EXPECT_NE(rank.find("'mamba_dt_rank' must be a positive integer or \"auto\""), std::string::npos)
      << rank;
  const std::string topk = test::ErrorOf([] {
    ParseHfConfig(R"json({"model_type": "jamba", "hidden_size": 64, "intermediate_size": 96,
      "num_hidden_layers": 8, "num_attention_heads": 4, "vocab_size": 100, "num_experts": 2,
      "num_experts_per_tok": 3})json",
                  "topk.json");
  });
  EXPECT_NE(topk.find("'num_experts_per_tok' (3) exceeds 'num_experts' (2)"), std::string::npos)
      << topk;
  const std::string missing = test::ErrorOf([] {
    ParseHfConfig(R"json({"model_type": "jamba", "hidden_size": 64})json", "missing.json");
  });
  EXPECT_NE(missing.find("missing.json:1:1: missing required key 'intermediate_size'"),
            std::string::npos)
      << missing;
  HfModelSpec s = SmallJamba();
  EXPECT_NE(test::ErrorOf([&] { MakeHybrid(s, 4); }).find("places its attention layers itself"),
            std::string::npos);
}

}  // namespace
}  // namespace pjsim
