// Model types and keys the importer refuses rather than build something else: families whose
// computation pjsim does not model name why, and the new keys it reads (sliding windows, Qwen3-MoE
// experts) fail at their file:line:col with the key named.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/config_error.h"
#include "sim/workload/hf_config.h"
#include "test_paths.h"

namespace pjsim {
namespace {

// The ConfigError `text` raises, as file:line:col: message.
std::string ErrorOf(const std::string& text) {
  try {
    ParseHfConfig(text, "c.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ConfigError for " << text;
  return "";
}

constexpr const char* kQwen3Moe = R"json({
  "model_type": "qwen3_moe",
  "hidden_size": 256,
  "intermediate_size": 512,
  "num_hidden_layers": 2,
  "num_attention_heads": 4,
  "vocab_size": 1000,
  "num_experts": 8,
  "num_experts_per_tok": 2,
  "moe_intermediate_size": 64)json";

TEST(HfConfigRefusals, RefusedFamiliesNameWhatIsNotModelled) {
  const std::string what = ErrorOf(R"({"model_type": "phimoe"})");
  EXPECT_NE(what.find("c.json:1:16: model_type 'phimoe' is not supported: Phi-3.5-MoE's"),
            std::string::npos)
      << what;
}

TEST(HfConfigRefusals, AMultimodalGemma3NeedsItsTextConfig) {
  EXPECT_NE(ErrorOf(R"({"model_type": "gemma3"})")
                .find("c.json:1:16: a gemma3 (multimodal) config describes its language model in "
                      "'text_config', which is missing"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"model_type": "gemma3", "text_config": {"model_type": "gemma2"}})")
                .find("c.json:1:56: a gemma3 config's text_config must be model_type gemma3_text"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"model_type": "gemma2", "attn_logit_softcapping": -1.0})")
                .find("c.json:1:52: 'attn_logit_softcapping' must be positive"),
            std::string::npos);
}

TEST(HfConfigRefusals, UnknownTypesListTheSupportedOnes) {
  const std::string what = ErrorOf(R"({"model_type": "starcoder"})");
  EXPECT_NE(what.find("c.json:1:16: unsupported model_type 'starcoder'"), std::string::npos)
      << what;
  EXPECT_NE(what.find("qwen3_moe, phi3, gemma"), std::string::npos) << what;
}

TEST(HfConfigRefusals, Qwen3MoeHasNoSharedExpert) {
  const std::string what =
      ErrorOf(std::string(kQwen3Moe) + ",\n  \"shared_expert_intermediate_size\": 128\n}");
  EXPECT_NE(what.find("c.json:11:38: 'shared_expert_intermediate_size': qwen3_moe has no shared "
                      "expert"),
            std::string::npos)
      << what;
  EXPECT_EQ(ParseHfConfig(std::string(kQwen3Moe) + "}", "c.json").NumMoeLayers(), 2);
}

TEST(HfConfigRefusals, SlidingWindowKeysAreTyped) {
  const std::string mistral = R"json({"model_type": "mistral", "hidden_size": 256,
    "intermediate_size": 512, "num_hidden_layers": 2, "num_attention_heads": 4,
    "vocab_size": 1000, )json";
  std::string what = ErrorOf(mistral + R"("sliding_window": "4096"})");
  EXPECT_NE(what.find("'sliding_window' must be a positive integer, got the string \"4096\""),
            std::string::npos)
      << what;
  what = ErrorOf(mistral + R"("sliding_window": 0})");
  EXPECT_NE(what.find("'sliding_window' must be a positive integer, got 0"), std::string::npos)
      << what;
  const std::string qwen2 = R"json({"model_type": "qwen2", "hidden_size": 256,
    "intermediate_size": 512, "num_hidden_layers": 2, "num_attention_heads": 4,
    "vocab_size": 1000, )json";
  what = ErrorOf(qwen2 + R"("use_sliding_window": "yes"})");
  EXPECT_NE(what.find("c.json:3:47: 'use_sliding_window' must be true or false"), std::string::npos)
      << what;
  what = ErrorOf(qwen2 + R"("use_sliding_window": true, "max_window_layers": -1})");
  EXPECT_NE(what.find("'max_window_layers' must be a non-negative integer, got -1"),
            std::string::npos)
      << what;
}

}  // namespace
}  // namespace pjsim
