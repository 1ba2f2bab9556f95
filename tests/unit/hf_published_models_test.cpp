// Configs of published models the repository does not ship as workloads (tests/data/hf/, written
// as the Hugging Face hub serves them): pjsim's parameter counts are pinned exactly and checked
// against each model card's published figure, and the keys that change the computation (shared
// experts, dense first layers, attention biases, tied embeddings, per-head q/k norms, sliding
// windows) land in the spec.
#include <gtest/gtest.h>

#include <string>

#include "sim/workload/hf_config.h"
#include "sim/workload/param_count.h"
#include "test_paths.h"

namespace pjsim {
namespace {

HfModelSpec Load(const std::string& model) {
  return LoadHfConfig(test::SourceDir() + "/tests/data/hf/" + model + ".config.json");
}

struct Published {
  const char* model;
  std::int64_t total;   // pjsim's count, pinned
  std::int64_t active;  // per token (embedding and LM head included, see param_count.h)
  double card_total;    // the model card's (or hub's safetensors) figure
  double card_active;   // 0: a dense model
  double tolerance;     // relative: the card's rounding
};

// Cards: the hub's safetensors count where it gives every digit (Mistral-7B-v0.1, Llama-3.x,
// Phi-3-mini, Qwen2.5-0.5B, Mamba-Codestral), else the card's rounded figure. Qwen2-7B's card
// says 7.07B, which does not fit its own config; Qwen2.5-7B has the same shapes and its card
// says 7.61B, as the hub's safetensors of both do.
constexpr Published kModels[] = {
    {"Mistral-7B-v0.1", 7241732096, 7241732096, 7241732096, 0, 0},
    {"Qwen2-7B", 7615616512, 7615616512, 7.61e9, 0, 0.001},
    {"Qwen2.5-0.5B", 494032768, 494032768, 494032768, 0, 0},
    {"Qwen2-57B-A14B", 57408658944, 14249270784, 57.41e9, 14e9, 0.02},
    {"Qwen3-8B", 8190735360, 8190735360, 8.2e9, 0, 0.005},
    {"Qwen3-30B-A3B", 30532122624, 3353032704, 30.5e9, 3.3e9, 0.02},
    {"Llama-3.2-1B", 1235814400, 1235814400, 1235814400, 0, 0},
    {"Llama-3.1-70B", 70553706496, 70553706496, 70553706496, 0, 0},
    {"Phi-3-mini-4k-instruct", 3821079552, 3821079552, 3821079552, 0, 0},
    {"gemma-7b", 8537680896, 8537680896, 8.54e9, 0, 0.001},
    // Gemma 2 9B: four norms per layer; Gemma 3 1B: and per-head q/k norms (the hub's and
    // KerasHub's preset counts give every digit).
    {"gemma-2-9b", 9241705984, 9241705984, 9241705984, 0, 0},
    {"gemma-3-1b-it", 999885952, 999885952, 999885952, 0, 0},
    // Pre-LayerNorm models with biases, ungated MLPs, learned positions (GPT-2, OPT) or parallel
    // blocks (Pythia, Phi-2, Falcon); the hub's safetensors counts.
    {"gpt2", 124439808, 124439808, 124439808, 0, 0},
    {"opt-125m", 125239296, 125239296, 125239296, 0, 0},
    {"pythia-160m", 162322944, 162322944, 162322944, 0, 0},
    {"phi-2", 2779683840, 2779683840, 2779683840, 0, 0},
    {"falcon-7b", 6921720704, 6921720704, 6921720704, 0, 0},
    {"starcoder2-3b", 3030371328, 3030371328, 3.03e9, 0, 0.001},
    {"OLMo-2-1124-7B", 7298617344, 7298617344, 7.30e9, 0, 0.001},
    {"DeepSeek-V2", 235741434880, 21375800320, 236e9, 21e9, 0.02},
    {"mamba-2.8b-hf", 2768345600, 2768345600, 2.77e9, 0, 0.002},
    {"falcon-mamba-7b", 7272665088, 7272665088, 7.27e9, 0, 0.001},
    {"Mamba-Codestral-7B-v0.1", 7285403648, 7285403648, 7285403648, 0, 0},
    {"Jamba-v0.1", 51570323328, 12110311296, 51.6e9, 12e9, 0.02},
};

TEST(HfPublishedModels, CountsMatchTheModelCards) {
  for (const Published& p : kModels) {
    SCOPED_TRACE(p.model);
    const ParamBreakdown b = CountParams(Load(p.model));
    EXPECT_EQ(b.total, p.total);
    EXPECT_EQ(b.active, p.active);
    EXPECT_NEAR(static_cast<double>(b.total), p.card_total, p.card_total * p.tolerance);
    if (p.card_active > 0) {
      // Active figures are rounded to the billion; 12e9 and 14e9 within 2%/6%.
      EXPECT_NEAR(static_cast<double>(b.active), p.card_active, p.card_active * 0.06);
    }
  }
}

TEST(HfPublishedModels, MistralSlidesEveryLayerQwen2DoesNotByDefault) {
  const HfModelSpec mistral = Load("Mistral-7B-v0.1");
  EXPECT_EQ(mistral.sliding_window, 4096);
  EXPECT_TRUE(mistral.SlidesWindow(0));
  EXPECT_FALSE(mistral.qkv_bias);
  EXPECT_EQ(Load("Phi-3-mini-4k-instruct").sliding_window, 2047);
  // sliding_window 131072 is written, but use_sliding_window is false.
  EXPECT_EQ(Load("Qwen2-7B").sliding_window, 0);
  EXPECT_EQ(Load("Jamba-v0.1").sliding_window, 0);  // null
}

TEST(HfPublishedModels, QwenBiasesTiesAndSharedExperts) {
  const HfModelSpec q2 = Load("Qwen2-7B");
  EXPECT_TRUE(q2.qkv_bias);
  EXPECT_FALSE(q2.o_bias);
  const ParamBreakdown small = CountParams(Load("Qwen2.5-0.5B"));
  EXPECT_EQ(small.lm_head, 0);  // tied
  EXPECT_EQ(small.embedding, 151936 * 896);
  const HfModelSpec moe = Load("Qwen2-57B-A14B");
  EXPECT_EQ(moe.moe.num_shared_experts, 1);
  EXPECT_EQ(moe.moe.shared_expert_intermediate_size, 20480);
  EXPECT_TRUE(moe.moe.shared_expert_gate);
  EXPECT_EQ(moe.NumMoeLayers(), 28);
  const ParamBreakdown b = CountParams(moe);
  EXPECT_EQ(b.shared_experts_per_layer, 3 * 3584 * 20480);
  EXPECT_EQ(b.router_per_layer, 64 * 3584 + 3584);  // gate + shared_expert_gate
  // q/k/v biases: 3584 + 2 x 512.
  EXPECT_EQ(b.attention_per_layer, 2 * 3584 * 3584 + 2 * 3584 * 512 + 3584 + 2 * 512);
}

TEST(HfPublishedModels, Qwen3NormsEachHeadAndHasNoBiases) {
  const HfModelSpec s = Load("Qwen3-8B");
  EXPECT_EQ(s.family, HfFamily::kQwen3);
  EXPECT_EQ(s.head_dim, 128);
  EXPECT_TRUE(s.qk_norm_per_head);
  EXPECT_FALSE(s.qkv_bias);
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.norms_per_layer, 2 * 4096 + 2 * 128);
  const HfModelSpec moe = Load("Qwen3-30B-A3B");
  EXPECT_EQ(moe.moe.num_experts, 128);
  EXPECT_EQ(moe.moe.top_k, 8);
  EXPECT_EQ(moe.moe.num_shared_experts, 0);
  EXPECT_TRUE(moe.moe.norm_topk_prob);
  EXPECT_EQ(moe.NumMoeLayers(), 48);
}

TEST(HfPublishedModels, DeepseekV2FirstLayerDenseSharedExpertsFused) {
  const HfModelSpec s = Load("DeepSeek-V2");
  EXPECT_FALSE(s.moe_layer[0]);
  EXPECT_EQ(s.NumMoeLayers(), 59);
  EXPECT_EQ(s.moe.num_shared_experts, 2);
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.shared_experts_per_layer, 3 * 5120 * 2 * 1536);
  EXPECT_EQ(b.num_dense_layers, 1);
}

TEST(HfPublishedModels, GemmaTiesAndUsesGeglu) {
  const HfModelSpec s = Load("gemma-7b");
  EXPECT_TRUE(s.tie_word_embeddings);
  EXPECT_EQ(s.head_dim, 256);  // hidden / heads would be 192
  EXPECT_EQ(s.activation, HfActivation::kGeluTanh);
}

TEST(HfPublishedModels, Gemma2SoftCapsAndAlternatesLocalAndGlobalLayers) {
  const HfModelSpec s = Load("gemma-2-9b");
  EXPECT_EQ(s.family, HfFamily::kGemma2);
  EXPECT_TRUE(s.sandwich_norms);
  EXPECT_EQ(s.attn_logit_softcapping, 50.0);
  EXPECT_EQ(s.final_logit_softcapping, 30.0);
  EXPECT_FALSE(s.qk_norm_per_head);
  EXPECT_EQ(s.sliding_window, 4096);
  EXPECT_TRUE(s.SlidesWindow(0));  // Gemma2Config: layer i slides where (i + 1) % 2 != 0
  EXPECT_FALSE(s.SlidesWindow(1));
  EXPECT_TRUE(s.SlidesWindow(40));
  EXPECT_FALSE(s.SlidesWindow(41));
  EXPECT_EQ(CountParams(s).norms_per_layer, 4 * 3584);
}

TEST(HfPublishedModels, Gemma3NormsHeadsAndSlidesFiveLayersOfSix) {
  const HfModelSpec s = Load("gemma-3-1b-it");
  EXPECT_EQ(s.family, HfFamily::kGemma3);
  EXPECT_TRUE(s.qk_norm_per_head);
  EXPECT_TRUE(s.sandwich_norms);
  EXPECT_EQ(s.attn_logit_softcapping, 0.0);  // written null
  EXPECT_EQ(s.final_logit_softcapping, 0.0);
  EXPECT_EQ(s.sliding_window, 512);
  for (std::int64_t i = 0; i < 12; ++i) EXPECT_EQ(s.SlidesWindow(i), i != 5 && i != 11) << i;
  EXPECT_EQ(CountParams(s).norms_per_layer, 4 * 1152 + 2 * 256);
  // The multimodal config: its text_config, the rest from Gemma3TextConfig's defaults
  // (8 heads, 4 KV heads, head_dim 256, vocab 262208); the vision tower is not imported.
  const HfModelSpec mm = Load("gemma-3-4b-it");
  EXPECT_EQ(mm.family, HfFamily::kGemma3);
  EXPECT_EQ(mm.hidden_size, 2560);
  EXPECT_EQ(mm.num_layers, 34);
  EXPECT_EQ(mm.num_attention_heads, 8);
  EXPECT_EQ(mm.num_kv_heads, 4);
  EXPECT_EQ(mm.head_dim, 256);
  EXPECT_EQ(mm.vocab_size, 262208);
  EXPECT_EQ(mm.sliding_window, 1024);
  EXPECT_TRUE(mm.tie_word_embeddings);
  // 34 layers of q 2560x2048, k and v 2560x1024, o, GeGLU 3 x 2560 x 10240, four norms and the
  // two head norms; the tied embedding; the final norm.
  const std::int64_t layer =
      2 * 2560 * 2048 + 2 * 2560 * 1024 + 3 * 2560 * 10240 + 4 * 2560 + 2 * 256;
  EXPECT_EQ(CountParams(mm).total, 34 * layer + 262208LL * 2560 + 2560);
}

TEST(HfPublishedModels, FalconMambaNormsHaveNoWeights) {
  const HfModelSpec s = Load("falcon-mamba-7b");
  EXPECT_EQ(s.family, HfFamily::kFalconMamba);
  EXPECT_TRUE(s.ssm.dt_bc_norms);
  EXPECT_FALSE(s.ssm.dt_bc_norm_weights);
  EXPECT_EQ(s.ssm.d_inner, 8192);  // intermediate_size wins over expand 16
  // Same tensors as a Mamba-1 mixer of these sizes.
  HfModelSpec plain = s;
  plain.ssm.dt_bc_norms = false;
  EXPECT_EQ(CountParams(s).total, CountParams(plain).total);
}

}  // namespace
}  // namespace pjsim
