// Hugging Face config.json parsing and parameter counting, checked against published model sizes
// and against hand-computed counts for small synthetic configs.
#include "sim/workload/hf_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "sim/config/config_error.h"
#include "sim/workload/param_count.h"
#include "support/test_paths.h"

namespace pjsim {
namespace {

std::string ReferenceConfig(const std::string& file) {
  return test::SourceDir() + "/workloads/hf/" + file;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string WriteConfig(const std::string& test_name, const std::string& text) {
  const std::string path = test::FreshDir("hf_config/" + test_name) + "/config.json";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Published figures are given to a few significant digits; the brief's bar is 0.5%.
void ExpectWithin(std::int64_t value, double published, double relative = 0.005) {
  EXPECT_NEAR(static_cast<double>(value), published, published * relative)
      << "count " << value << " vs published " << published;
}

void ExpectPartsSumToTotal(const ParamBreakdown& b) {
  EXPECT_EQ(b.embedding + b.lm_head + b.attention + b.dense_ffn + b.routed_experts +
                b.shared_experts + b.router + b.norms,
            b.total);
}

// Loads `text` from a file and returns the ConfigError it must raise.
ConfigError ErrorFor(const std::string& test_name, const std::string& text) {
  const std::string path = WriteConfig(test_name, text);
  try {
    LoadHfConfig(path);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << test_name << ": expected a ConfigError";
  return ConfigError({}, "");
}

// A small valid llama config, one key per line, to derive broken variants from.
std::string SmallLlama(const std::string& override_line = "") {
  return std::string("{\n") + override_line +
         "  \"model_type\": \"llama\",\n"
         "  \"hidden_size\": 64,\n"
         "  \"intermediate_size\": 128,\n"
         "  \"num_hidden_layers\": 2,\n"
         "  \"num_attention_heads\": 4,\n"
         "  \"vocab_size\": 100\n"
         "}\n";
}

// ---- The four reference configs ----

TEST(HfConfigTest, Llama3_8B) {
  const HfModelSpec s = LoadHfConfig(ReferenceConfig("Meta-Llama-3-8B.config.json"));
  EXPECT_EQ(s.family, HfFamily::kLlama);
  EXPECT_EQ(s.hidden_size, 4096);
  EXPECT_EQ(s.num_kv_heads, 8);
  EXPECT_EQ(s.head_dim, 128);
  EXPECT_FALSE(s.tie_word_embeddings);
  EXPECT_FALSE(s.IsMoe());
  EXPECT_EQ(s.activation, HfActivation::kSilu);

  // By hand: attention 2*4096*4096 + 2*4096*1024 = 41,943,040; FFN 3*4096*14336 = 176,160,768;
  // norms 2*4096 per layer; 32 layers; embedding = lm_head = 128256*4096 = 525,336,576;
  // final norm 4096. Total = 32*218,112,000 + 2*525,336,576 + 4096 = 8,030,261,248.
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.attention_per_layer, 41'943'040);
  EXPECT_EQ(b.dense_ffn_per_layer, 176'160'768);
  EXPECT_EQ(b.embedding, 525'336'576);
  EXPECT_EQ(b.lm_head, 525'336'576);
  EXPECT_EQ(b.total, 8'030'261'248);
  EXPECT_EQ(b.active, b.total);
  ExpectWithin(b.total, 8.03e9);
  ExpectPartsSumToTotal(b);
}

TEST(HfConfigTest, Mixtral8x7B) {
  const HfModelSpec s = LoadHfConfig(ReferenceConfig("Mixtral-8x7B-v0.1.config.json"));
  EXPECT_EQ(s.family, HfFamily::kMixtral);
  EXPECT_EQ(s.moe.num_experts, 8);
  EXPECT_EQ(s.moe.top_k, 2);
  EXPECT_EQ(s.moe.expert_intermediate_size, 14336);
  EXPECT_EQ(s.moe.num_shared_experts, 0);
  EXPECT_TRUE(s.moe.norm_topk_prob);
  EXPECT_EQ(s.NumMoeLayers(), 32);

  // Active per layer: attention 41,943,040 + 2 experts 352,321,536 + router 32,768 + norms 8,192.
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.expert, 176'160'768);
  EXPECT_EQ(b.router_per_layer, 8 * 4096);
  EXPECT_EQ(b.total, 46'702'792'704);
  EXPECT_EQ(b.active, 12'879'925'248);
  ExpectWithin(b.total, 46.7e9);
  ExpectWithin(b.active, 12.9e9);  // holds only with embedding and lm_head counted as active
  EXPECT_EQ(b.active_non_embedding, b.active - 2 * 32000 * 4096);
  ExpectPartsSumToTotal(b);
}

TEST(HfConfigTest, Olmoe1B7B) {
  const HfModelSpec s = LoadHfConfig(ReferenceConfig("OLMoE-1B-7B-0924.config.json"));
  EXPECT_EQ(s.family, HfFamily::kOlmoe);
  EXPECT_EQ(s.moe.num_experts, 64);
  EXPECT_EQ(s.moe.top_k, 8);
  EXPECT_EQ(s.moe.expert_intermediate_size, 1024);
  EXPECT_FALSE(s.moe.norm_topk_prob);
  EXPECT_TRUE(s.qk_norm);

  // Per layer: attention 4*2048^2 = 16,777,216; q/k norms 2048 + 2048; 64 experts of
  // 3*2048*1024 = 6,291,456; router 64*2048; 2 norms of 2048. Embedding and lm_head
  // 50304*2048 each; final norm 2048.
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.norms_per_layer, 4 * 2048);
  EXPECT_EQ(b.total, 6'919'161'856);
  EXPECT_EQ(b.active, 1'282'017'280);
  ExpectWithin(b.total, 6.9e9);
  // "1.3B" is published to two digits; 1.282 B is the only convention that rounds to it
  // (without lm_head 1.18 B, without embeddings 1.08 B), so check the rounding, not 0.5%.
  EXPECT_NEAR(static_cast<double>(b.active), 1.3e9, 0.05e9);
  ExpectPartsSumToTotal(b);
}

TEST(HfConfigTest, BitnetB158_2B4T) {
  const HfModelSpec s = LoadHfConfig(ReferenceConfig("bitnet-b1.58-2B-4T.config.json"));
  EXPECT_EQ(s.family, HfFamily::kBitnet);
  EXPECT_EQ(s.activation, HfActivation::kRelu2);
  EXPECT_TRUE(s.gated_ffn);
  EXPECT_TRUE(s.extra_sub_norms);
  EXPECT_TRUE(s.tie_word_embeddings);
  EXPECT_EQ(s.head_dim, 128);
  EXPECT_EQ(s.num_kv_heads, 5);
  EXPECT_EQ(s.quant_method, "bitnet");

  // Linear per layer: q 2560*2560 + k,v 2*2560*640 + o 2560*2560 = 16,384,000 and
  // FFN 3*2560*6912 = 53,084,160; times 30 = 2,084,044,800. Norms per layer: 3*2560 + 6912
  // (input, post-attention, attn sub-norm, FFN sub-norm). Tied embedding 128256*2560.
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.attention_per_layer, 16'384'000);
  EXPECT_EQ(b.linear, 2'084'044'800);
  EXPECT_EQ(b.lm_head, 0);
  EXPECT_EQ(b.embedding, 328'335'360);
  EXPECT_EQ(b.norms, 30 * (3 * 2560 + 6912) + 2560);
  EXPECT_EQ(b.total, 2'412'820'480);
  ExpectWithin(b.total, 2.41e9);
  ExpectWithin(b.linear, 2.084e9);
  ExpectPartsSumToTotal(b);
}

// ---- Synthetic configs, counted by hand ----

TEST(HfParamCountTest, SyntheticQwen2Moe) {
  const HfModelSpec s = LoadHfConfig(WriteConfig("qwen2_moe", R"json({
    "architectures": ["Qwen2MoeForCausalLM"],
    "model_type": "qwen2_moe",
    "hidden_size": 64,
    "intermediate_size": 256,
    "moe_intermediate_size": 32,
    "shared_expert_intermediate_size": 128,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "num_experts": 8,
    "num_experts_per_tok": 2,
    "decoder_sparse_step": 1,
    "mlp_only_layers": [0],
    "norm_topk_prob": false,
    "vocab_size": 1000,
    "tie_word_embeddings": false,
    "hidden_act": "silu",
    "rms_norm_eps": 1e-06,
    "sliding_window": null
  })json"));
  EXPECT_EQ(s.family, HfFamily::kQwen2Moe);
  EXPECT_TRUE(s.qkv_bias);
  EXPECT_FALSE(s.o_bias);
  EXPECT_EQ(s.moe.num_shared_experts, 1);
  EXPECT_EQ(s.moe.shared_expert_intermediate_size, 128);
  EXPECT_TRUE(s.moe.shared_expert_gate);
  EXPECT_EQ(s.moe_layer, (std::vector<bool>{false, true, true, true}));

  const ParamBreakdown b = CountParams(s);
  // head_dim 16. Attention: q 64*64 + k,v 2*64*32 + o 64*64 = 12,288, biases 64+32+32 = 128.
  EXPECT_EQ(b.attention_per_layer, 12'416);
  EXPECT_EQ(b.dense_ffn_per_layer, 3 * 64 * 256);       // 49,152 (layer 0)
  EXPECT_EQ(b.expert, 3 * 64 * 32);                     // 6,144
  EXPECT_EQ(b.shared_experts_per_layer, 3 * 64 * 128);  // 24,576
  EXPECT_EQ(b.router_per_layer, 8 * 64 + 64);           // gate + shared-expert gate
  // 4*12,416 + 49,152 + 3*8*6,144 + 3*24,576 + 3*576 + (4*128 + 64) + 2*64,000 = 450,304
  EXPECT_EQ(b.total, 450'304);
  EXPECT_EQ(b.active, 450'304 - 3 * 6 * 6'144);  // 6 idle experts in 3 MoE layers
  EXPECT_EQ(b.linear, 4 * 12'288 + 49'152 + 3 * 8 * 6'144 + 3 * 24'576);
  ExpectPartsSumToTotal(b);
}

TEST(HfParamCountTest, Qwen2MoeSparseStepPlacesMoeLayers) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "model_type": "qwen2_moe", "hidden_size": 64, "intermediate_size": 256,
    "moe_intermediate_size": 32, "shared_expert_intermediate_size": 0,
    "num_hidden_layers": 6, "num_attention_heads": 4, "num_experts": 4,
    "num_experts_per_tok": 1, "decoder_sparse_step": 2, "mlp_only_layers": [3],
    "vocab_size": 10, "qkv_bias": false
  })json",
                                      "inline");
  // MoE where (i + 1) % 2 == 0, minus the forced-dense layer 3.
  EXPECT_EQ(s.moe_layer, (std::vector<bool>{false, true, false, false, false, true}));
  EXPECT_EQ(s.moe.num_shared_experts, 0);
  EXPECT_FALSE(s.moe.shared_expert_gate);
  EXPECT_FALSE(s.qkv_bias);
}

TEST(HfParamCountTest, SyntheticDeepseekMoe) {
  const HfModelSpec s = LoadHfConfig(WriteConfig("deepseek", R"json({
    "architectures": ["DeepseekForCausalLM"],
    "model_type": "deepseek",
    "hidden_size": 64,
    "intermediate_size": 192,
    "moe_intermediate_size": 16,
    "num_hidden_layers": 5,
    "num_attention_heads": 4,
    "num_key_value_heads": 4,
    "n_routed_experts": 16,
    "n_shared_experts": 2,
    "num_experts_per_tok": 4,
    "first_k_dense_replace": 1,
    "moe_layer_freq": 2,
    "scoring_func": "softmax",
    "norm_topk_prob": false,
    "attention_bias": false,
    "vocab_size": 500,
    "tie_word_embeddings": false,
    "rope_scaling": null
  })json"));
  EXPECT_EQ(s.family, HfFamily::kDeepseek);
  EXPECT_EQ(s.attention, HfAttentionKind::kGrouped);
  // MoE where layer >= 1 and layer % 2 == 0.
  EXPECT_EQ(s.moe_layer, (std::vector<bool>{false, false, true, false, true}));
  EXPECT_EQ(s.moe.num_shared_experts, 2);
  EXPECT_EQ(s.moe.shared_expert_intermediate_size, 16);
  EXPECT_EQ(s.moe.scoring, HfRouterScoring::kSoftmax);
  EXPECT_FALSE(s.moe.router_bias);

  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.num_dense_layers, 3);
  EXPECT_EQ(b.num_moe_layers, 2);
  EXPECT_EQ(b.shared_experts_per_layer, 3 * 64 * 32);  // two shared experts fused: width 32
  // attention 5*16,384 + dense 3*36,864 + routed 2*16*3,072 + shared 2*6,144 + router 2*1,024
  // + norms (5*128 + 64) + embedding/lm_head 2*32,000 = 369,856
  EXPECT_EQ(b.total, 369'856);
  EXPECT_EQ(b.active, 369'856 - 2 * 12 * 3'072);
  ExpectPartsSumToTotal(b);
}

TEST(HfParamCountTest, SyntheticDeepseekV3Mla) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "model_type": "deepseek_v3", "hidden_size": 64, "intermediate_size": 128,
    "moe_intermediate_size": 16, "num_hidden_layers": 3, "num_attention_heads": 4,
    "num_key_value_heads": 4, "n_routed_experts": 8, "n_shared_experts": 1,
    "num_experts_per_tok": 2, "first_k_dense_replace": 1, "moe_layer_freq": 1,
    "q_lora_rank": 24, "kv_lora_rank": 16, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4,
    "v_head_dim": 8, "vocab_size": 300, "num_nextn_predict_layers": 1
  })json",
                                      "inline");
  EXPECT_EQ(s.attention, HfAttentionKind::kMultiLatent);
  EXPECT_EQ(s.head_dim, 12);
  EXPECT_EQ(s.moe.scoring, HfRouterScoring::kSigmoid);  // V3 defaults
  EXPECT_TRUE(s.moe.norm_topk_prob);
  EXPECT_TRUE(s.moe.router_bias);
  EXPECT_EQ(s.mtp_layers, 1);

  const ParamBreakdown b = CountParams(s);
  // q_a 64*24 + q_b 24*4*12 + kv_a 64*(16+4) + kv_b 16*4*(8+8) + o 4*8*64
  //   = 1,536 + 1,152 + 1,280 + 1,024 + 2,048 = 7,040
  EXPECT_EQ(b.attention_per_layer, 7'040);
  EXPECT_EQ(b.norms_per_layer, 2 * 64 + 24 + 16);  // + q_a and kv_a latent norms
  EXPECT_EQ(b.router_per_layer, 8 * 64 + 8);       // + score-correction bias
  // attention 3*7,040 + dense 24,576 + routed 2*8*3,072 + shared 2*3,072 + router 2*520
  // + norms (3*168 + 64) + embedding/lm_head 2*19,200 = 141,000
  EXPECT_EQ(b.total, 141'000);
  EXPECT_EQ(b.active, 141'000 - 2 * 6 * 3'072);
  ExpectPartsSumToTotal(b);
}

// Real configs of models that are not in the reference set, typed in from their config.json.
TEST(HfParamCountTest, Qwen15MoeA27BMatchesPublished) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "architectures": ["Qwen2MoeForCausalLM"], "decoder_sparse_step": 1,
    "hidden_size": 2048, "intermediate_size": 5632, "max_position_embeddings": 32768,
    "max_window_layers": 21, "model_type": "qwen2_moe", "moe_intermediate_size": 1408,
    "num_attention_heads": 16, "num_experts": 60, "num_experts_per_tok": 4,
    "num_hidden_layers": 24, "num_key_value_heads": 16,
    "shared_expert_intermediate_size": 5632, "sliding_window": 32768,
    "tie_word_embeddings": false, "use_sliding_window": false, "vocab_size": 151936
  })json",
                                      "Qwen1.5-MoE-A2.7B");
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.total, 14'315'784'192);
  EXPECT_EQ(b.active, 2'689'173'504);
  ExpectWithin(b.total, 14.3e9);
  ExpectWithin(b.active, 2.7e9);
}

TEST(HfParamCountTest, DeepseekMoe16BMatchesPublished) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "model_type": "deepseek", "attention_bias": false, "first_k_dense_replace": 1,
    "hidden_act": "silu", "hidden_size": 2048, "intermediate_size": 10944,
    "moe_intermediate_size": 1408, "moe_layer_freq": 1, "n_routed_experts": 64,
    "n_shared_experts": 2, "norm_topk_prob": false, "num_attention_heads": 16,
    "num_experts_per_tok": 6, "num_hidden_layers": 28, "num_key_value_heads": 16,
    "rms_norm_eps": 1e-06, "scoring_func": "softmax", "vocab_size": 102400
  })json",
                                      "deepseek-moe-16b-base");
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.total, 16'375'728'128);
  EXPECT_EQ(b.active, 2'828'650'496);
  ExpectWithin(b.total, 16.4e9);
  ExpectWithin(b.active, 2.8e9, 0.015);  // published to two digits
}

TEST(HfParamCountTest, DeepseekV3MatchesPublished) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "architectures": ["DeepseekV3ForCausalLM"], "attention_bias": false,
    "first_k_dense_replace": 3, "hidden_act": "silu", "hidden_size": 7168,
    "intermediate_size": 18432, "kv_lora_rank": 512, "model_type": "deepseek_v3",
    "moe_intermediate_size": 2048, "moe_layer_freq": 1, "n_group": 8,
    "n_routed_experts": 256, "n_shared_experts": 1, "norm_topk_prob": true,
    "num_attention_heads": 128, "num_experts_per_tok": 8, "num_hidden_layers": 61,
    "num_key_value_heads": 128, "num_nextn_predict_layers": 1, "q_lora_rank": 1536,
    "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "routed_scaling_factor": 2.5,
    "scoring_func": "sigmoid", "tie_word_embeddings": false, "topk_group": 4,
    "topk_method": "noaux_tc", "v_head_dim": 128, "vocab_size": 129280,
    "quantization_config": {"quant_method": "fp8", "weight_block_size": [128, 128]}
  })json",
                                      "DeepSeek-V3");
  EXPECT_EQ(s.quant_method, "fp8");
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.attention_per_layer, 187'105'280);
  EXPECT_EQ(b.total, 671'026'419'200);
  ExpectWithin(b.total, 671e9);
  // 37.55 B with embedding and lm_head; DeepSeek's "37B" appears to leave the input embedding
  // out (36.63 B), so only the rounding is checked here.
  EXPECT_EQ(b.active, 37'552'297'472);
  EXPECT_NEAR(static_cast<double>(b.active - b.embedding), 37e9, 0.5e9);
}

TEST(HfParamCountTest, DeepseekV2LiteWithoutQueryCompression) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "model_type": "deepseek_v2", "hidden_size": 2048, "intermediate_size": 10944,
    "num_hidden_layers": 27, "num_attention_heads": 16, "num_key_value_heads": 16,
    "vocab_size": 102400, "q_lora_rank": null, "kv_lora_rank": 512,
    "qk_nope_head_dim": 128, "qk_rope_head_dim": 64, "v_head_dim": 128,
    "n_routed_experts": 64, "num_experts_per_tok": 6, "n_shared_experts": 2,
    "moe_intermediate_size": 1408, "first_k_dense_replace": 1, "topk_method": "greedy"
  })json",
                                      "DeepSeek-V2-Lite");
  EXPECT_EQ(s.mla.q_lora_rank, 0);
  const ParamBreakdown b = CountParams(s);
  // q_proj 2048*16*192 + kv_a 2048*576 + kv_b 512*16*256 + o 16*128*2048
  EXPECT_EQ(b.attention_per_layer, 13'762'560);
  EXPECT_EQ(b.total, 15'706'484'224);
  ExpectWithin(b.total, 15.7e9);
}

TEST(HfConfigTest, ExplicitHeadDimAndNullOptionalKeys) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "model_type": "mistral", "hidden_size": 5120, "intermediate_size": 14336,
    "num_hidden_layers": 40, "num_attention_heads": 32, "num_key_value_heads": null,
    "head_dim": 128, "vocab_size": 131072, "sliding_window": null, "hidden_act": "silu"
  })json",
                                      "inline");
  EXPECT_EQ(s.head_dim, 128);     // not 5120 / 32 = 160
  EXPECT_EQ(s.num_kv_heads, 32);  // null means "same as heads"
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.attention_per_layer, 4 * 5120 * 32 * 128);
}

TEST(HfConfigTest, Qwen2DenseHasQkvBias) {
  const HfModelSpec s = ParseHfConfig(R"json({
    "model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864,
    "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2,
    "vocab_size": 151936, "tie_word_embeddings": true
  })json",
                                      "Qwen2-0.5B");
  EXPECT_TRUE(s.qkv_bias);
  EXPECT_FALSE(s.o_bias);
  const ParamBreakdown b = CountParams(s);
  EXPECT_EQ(b.attention_per_layer, 2 * 896 * 896 + 2 * 896 * 128 + 896 + 2 * 128);
  ExpectWithin(b.total, 494e6);  // Qwen2-0.5B: 0.49 B (494,032,768 per the model card)
}

// ---- Errors ----

TEST(HfConfigErrorTest, MissingHiddenSize) {
  const ConfigError e = ErrorFor("missing_hidden", R"json({
  "model_type": "llama",
  "intermediate_size": 128,
  "num_hidden_layers": 2,
  "num_attention_heads": 4,
  "vocab_size": 100
})json");
  EXPECT_NE(std::string(e.what()).find("missing required key 'hidden_size'"), std::string::npos)
      << e.what();
  EXPECT_EQ(e.where().line, 1);  // the top-level object
  EXPECT_EQ(e.where().column, 1);
}

TEST(HfConfigErrorTest, UnknownModelType) {
  const ConfigError e =
      ErrorFor("unknown_type", SmallLlama().replace(SmallLlama().find("llama"), 5, "gpt_foo"));
  const std::string what = e.what();
  EXPECT_NE(what.find("model_type 'gpt_foo'"), std::string::npos) << what;
  for (const auto& t : SupportedHfModelTypes()) {
    EXPECT_NE(what.find(t), std::string::npos) << "supported list lacks " << t;
  }
  EXPECT_EQ(e.where().line, 2);
}

TEST(HfConfigErrorTest, NegativeLayerCount) {
  const ConfigError e = ErrorFor("negative_layers", R"json({
  "model_type": "llama",
  "hidden_size": 64,
  "intermediate_size": 128,
  "num_hidden_layers": -3,
  "num_attention_heads": 4,
  "vocab_size": 100
})json");
  const std::string what = e.what();
  EXPECT_NE(what.find("'num_hidden_layers' must be a positive integer, got -3"), std::string::npos)
      << what;
  EXPECT_EQ(e.where().line, 5);
  EXPECT_EQ(e.where().column, 24);
}

TEST(HfConfigErrorTest, DuplicateKey) {
  const ConfigError e = ErrorFor("duplicate", SmallLlama("  \"num_hidden_layers\": 3,\n"));
  EXPECT_NE(std::string(e.what()).find("duplicate key 'num_hidden_layers'"), std::string::npos)
      << e.what();
}

TEST(HfConfigErrorTest, StringWhereIntegerExpected) {
  const ConfigError e = ErrorFor("string_int", R"json({
  "model_type": "llama",
  "hidden_size": "4096",
  "intermediate_size": 128,
  "num_hidden_layers": 2,
  "num_attention_heads": 4,
  "vocab_size": 100
})json");
  const std::string what = e.what();
  EXPECT_NE(what.find("'hidden_size' must be a positive integer, got the string \"4096\""),
            std::string::npos)
      << what;
  EXPECT_EQ(e.where().line, 3);
}

TEST(HfConfigErrorTest, WrongTypesNameTheKey) {
  const struct {
    const char* line;
    const char* expected;
  } cases[] = {
      {"\"num_key_value_heads\": 2.5,", "'num_key_value_heads' must be a positive integer"},
      {"\"tie_word_embeddings\": \"yes\",", "'tie_word_embeddings' must be true or false"},
      {"\"hidden_act\": \"tanhshrink\",", "unsupported hidden_act 'tanhshrink'"},
      {"\"num_key_value_heads\": 3,", "'num_key_value_heads' (3) must divide"},
      {"\"head_dim\": 0,", "'head_dim' must be a positive integer, got 0"},
      {"\"mlp_only_layers\": [1],", ""},  // not a llama key: ignored
  };
  int i = 0;
  for (const auto& c : cases) {
    const std::string text = SmallLlama(std::string("  ") + c.line + "\n");
    if (*c.expected == '\0') {
      EXPECT_NO_THROW(ParseHfConfig(text, "inline"));
      continue;
    }
    const ConfigError e = ErrorFor("wrong_type_" + std::to_string(i++), text);
    EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
    EXPECT_EQ(e.where().line, 2) << e.what();
  }
}

TEST(HfConfigErrorTest, MoeKeysAreChecked) {
  const std::string mixtral = R"json({
    "model_type": "mixtral", "hidden_size": 64, "intermediate_size": 128,
    "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100,
    "num_local_experts": 4, "num_experts_per_tok": 5
  })json";
  const ConfigError too_many = ErrorFor("topk", mixtral);
  EXPECT_NE(std::string(too_many.what()).find("'num_experts_per_tok' (5) exceeds"),
            std::string::npos)
      << too_many.what();

  const ConfigError no_dense_prefix = ErrorFor("first_k", R"json({
    "model_type": "deepseek", "hidden_size": 64, "intermediate_size": 128,
    "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100,
    "n_routed_experts": 4, "n_shared_experts": 1, "num_experts_per_tok": 2,
    "moe_intermediate_size": 16
  })json");
  EXPECT_NE(std::string(no_dense_prefix.what()).find("'first_k_dense_replace'"), std::string::npos)
      << no_dense_prefix.what();

  const ConfigError bad_layer = ErrorFor("mlp_only", R"json({
    "model_type": "qwen2_moe", "hidden_size": 64, "intermediate_size": 128,
    "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100,
    "num_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 16,
    "shared_expert_intermediate_size": 32, "mlp_only_layers": [0, 7]
  })json");
  EXPECT_NE(std::string(bad_layer.what()).find("'mlp_only_layers' entry 7"), std::string::npos)
      << bad_layer.what();

  const ConfigError no_mla = ErrorFor("mla", R"json({
    "model_type": "deepseek_v2", "hidden_size": 64, "intermediate_size": 128,
    "num_hidden_layers": 2, "num_attention_heads": 4, "vocab_size": 100,
    "q_lora_rank": null, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 8,
    "n_routed_experts": null
  })json");
  EXPECT_NE(std::string(no_mla.what()).find("missing required key 'kv_lora_rank'"),
            std::string::npos)
      << no_mla.what();
}

TEST(HfConfigErrorTest, TruncatedFile) {
  const std::string full = ReadText(ReferenceConfig("Meta-Llama-3-8B.config.json"));
  const ConfigError e = ErrorFor("truncated", full.substr(0, full.size() / 2));
  const std::string what = e.what();
  EXPECT_NE(what.find("JSON syntax error"), std::string::npos) << what;
  EXPECT_NE(what.find("truncated"), std::string::npos) << what;
  EXPECT_GT(e.where().line, 0);

  const ConfigError cut_string = ErrorFor("truncated_string", "{\"model_type\": \"lla");
  EXPECT_NE(std::string(cut_string.what()).find("JSON syntax error"), std::string::npos);
}

TEST(HfConfigErrorTest, MalformedJson) {
  const ConfigError e = ErrorFor("malformed", "{\n  \"model_type\": \"llama\"}}\n");
  EXPECT_NE(std::string(e.what()).find("JSON syntax error"), std::string::npos) << e.what();
  EXPECT_EQ(e.where().line, 2);

  const ConfigError empty = ErrorFor("empty", "");
  EXPECT_NE(std::string(empty.what()).find("file is empty"), std::string::npos);
  const ConfigError list = ErrorFor("list", "[1, 2]");
  EXPECT_NE(std::string(list.what()).find("expected a JSON object"), std::string::npos);
}

TEST(HfConfigErrorTest, StrictJsonRejectsWhatJsonForbidsAndReadsSurrogatePairs) {
  const std::string llama = ReadText(ReferenceConfig("Meta-Llama-3-8B.config.json"));
  // Valid JSON a YAML reader refused: a surrogate pair (an emoji) in a string.
  std::string with_pair = llama;
  with_pair.insert(with_pair.find('{') + 1, "\n  \"_name_or_path\": \"llama \\ud83e\\udd99\",");
  const std::string path = WriteConfig("surrogates", with_pair);
  EXPECT_EQ(LoadHfConfig(path).num_layers, 32);
  // Comments, trailing commas and single quotes, which a YAML reader took: errors at their place.
  struct Case {
    const char* name;
    std::string text;
    int line, column;
  };
  const std::string head = "{\n  \"model_type\": \"llama\",\n";
  for (const Case& c :
       {Case{"comment", head + "  // the hidden size\n  \"hidden_size\": 64\n}", 3, 3},
        Case{"trailing_comma", head + "  \"hidden_size\": 64,\n}", 4, 1},
        Case{"single_quotes", head + "  'hidden_size': 64\n}", 3, 3}}) {
    const ConfigError e = ErrorFor(c.name, c.text);
    EXPECT_NE(std::string(e.what()).find("JSON syntax error"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().line, c.line) << c.name << ": " << e.what();
    EXPECT_EQ(e.where().column, c.column) << c.name << ": " << e.what();
  }
}

TEST(HfParamCountTest, AbsurdShapesOverflowLoudly) {
  // The loader counts the parameters: an overflow is a located input error, not a wrapped count.
  try {
    ParseHfConfig(R"json({
    "model_type": "mixtral", "hidden_size": 16777216, "intermediate_size": 16777216,
    "num_hidden_layers": 1024, "num_attention_heads": 1, "vocab_size": 1,
    "num_local_experts": 16777216, "num_experts_per_tok": 1
  })json",
                  "inline");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("inline:1:1: parameter count overflows int64", 0), 0u)
        << e.what();
  }
}

TEST(HfConfigErrorTest, MissingFile) {
  const std::string path = test::FreshDir("hf_config/missing") + "/nope.json";
  try {
    LoadHfConfig(path);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.where().file, path);
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
  }
}

}  // namespace
}  // namespace pjsim
