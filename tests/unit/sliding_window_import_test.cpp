// A model's sliding window (sliding_window) in imported workloads: each attention op of a sliding
// layer keeps the last W tokens (sparsity kind sliding_window) once the context outgrows W, a
// shorter context stays dense, Qwen2's max_window_layers leaves its first layers dense, and what
// cannot combine with it is refused.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "sim/workload/workload.h"
#include "test_paths.h"

namespace pjsim {
namespace {

HfModelSpec Mistral() {
  return LoadHfConfig(test::SourceDir() + "/tests/data/hf/Mistral-7B-v0.1.config.json");
}

Workload Build(const HfModelSpec& s, const ImportOptions& o) {
  const std::string yaml = BuildTransformerWorkload(s, o, "w");
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
}

const Layer& Find(const Workload& w, const std::string& name) {
  for (const Layer& l : w.graph->layers()) {
    if (l.name == name) return l;
  }
  throw std::runtime_error("no layer " + name);
}

ImportOptions Prefill(std::int64_t seq, std::int64_t layers) {
  ImportOptions o;
  o.seq = seq;
  o.layers = layers;
  o.lm_head = false;
  return o;
}

TEST(SlidingWindowImport, LongPrefillKeepsTheWindow) {
  const Workload w = Build(Mistral(), Prefill(8192, 1));
  for (const char* op : {"L0.scores", "L0.context"}) {
    const Layer& l = Find(w, op);
    EXPECT_EQ(l.sparsity.kind, SparsityKind::kSlidingWindow) << op;
    EXPECT_EQ(l.sparsity.window, 4096) << op;
    EXPECT_EQ(l.attention.kv_len, 8192) << op;
  }
}

TEST(SlidingWindowImport, ShortContextIsDense) {
  const HfModelSpec s = Mistral();
  EXPECT_FALSE(SlidingWindowApplies(s, Prefill(4096, 1)));
  const Workload w = Build(s, Prefill(4096, 1));
  EXPECT_EQ(Find(w, "L0.scores").sparsity.kind, SparsityKind::kNone);
}

TEST(SlidingWindowImport, DecodeCountsTheTokensItGenerates) {
  ImportOptions o = Prefill(4094, 1);
  o.decode = true;
  o.decode_tokens = 4;  // the last pass sees 4098 tokens
  EXPECT_TRUE(SlidingWindowApplies(Mistral(), o));
  EXPECT_EQ(Find(Build(Mistral(), o), "L0.scores").sparsity.window, 4096);
  o.seq = 4092;
  EXPECT_FALSE(SlidingWindowApplies(Mistral(), o));
}

TEST(SlidingWindowImport, PromptNotAMultipleOf64UsesADividingBlock) {
  const Workload w = Build(Mistral(), Prefill(5000, 1));
  EXPECT_EQ(Find(w, "L0.scores").sparsity.block, 50);
}

TEST(SlidingWindowImport, Qwen2WindowsOnlyFromMaxWindowLayers) {
  const HfModelSpec s = ParseHfConfig(R"json({"model_type": "qwen2", "hidden_size": 256,
    "intermediate_size": 512, "num_hidden_layers": 4, "num_attention_heads": 4,
    "num_key_value_heads": 2, "vocab_size": 1000, "use_sliding_window": true,
    "sliding_window": 128, "max_window_layers": 2})json",
                                      "qwen2.json");
  const Workload w = Build(s, Prefill(256, 4));
  EXPECT_EQ(Find(w, "L1.scores").sparsity.kind, SparsityKind::kNone);
  EXPECT_EQ(Find(w, "L2.scores").sparsity.kind, SparsityKind::kSlidingWindow);
  EXPECT_EQ(Find(w, "L3.context").sparsity.window, 128);
  // The first two layers alone attend to everything.
  EXPECT_FALSE(SlidingWindowApplies(s, Prefill(256, 2)));
}

TEST(SlidingWindowImport, LayerTypesDecideWhichLayersSlide) {
  const std::string base = R"json({"model_type": "qwen3", "hidden_size": 256,
    "intermediate_size": 512, "num_hidden_layers": 3, "num_attention_heads": 4,
    "num_key_value_heads": 2, "head_dim": 64, "vocab_size": 1000, "use_sliding_window": true,
    "sliding_window": 128, "max_window_layers": 0, )json";
  const HfModelSpec s = ParseHfConfig(
      base + R"("layer_types": ["sliding_attention", "full_attention", "sliding_attention"]})",
      "q.json");
  const Workload w = Build(s, Prefill(256, 3));
  EXPECT_EQ(Find(w, "L0.scores").sparsity.kind, SparsityKind::kSlidingWindow);
  EXPECT_EQ(Find(w, "L1.scores").sparsity.kind, SparsityKind::kNone);
  EXPECT_EQ(Find(w, "L2.context").sparsity.kind, SparsityKind::kSlidingWindow);
  EXPECT_THROW(ParseHfConfig(base + R"("layer_types": ["full_attention"]})", "q.json"),
               ConfigError);
  EXPECT_THROW(ParseHfConfig(base + R"("layer_types": ["full_attention", "linear_attention",
    "full_attention"]})",
                             "q.json"),
               ConfigError);
}

TEST(SlidingWindowImport, RefusesASecondSparsityAndSpikingAttention) {
  ImportOptions o = Prefill(8192, 1);
  o.sparse_attention = {{"kind", "topk_tokens"}, {"keep", "64"}};
  EXPECT_THROW(BuildTransformerWorkload(Mistral(), o, "w"), ConfigError);
  o = Prefill(8192, 1);
  o.spiking_timesteps = 4;
  EXPECT_THROW(BuildTransformerWorkload(Mistral(), o, "w"), ConfigError);
}

TEST(SlidingWindowImport, MistralWindowDefaultsTo4096AndNullMeansNone) {
  const std::string base = R"json({"model_type": "mistral", "hidden_size": 256,
    "intermediate_size": 512, "num_hidden_layers": 2, "num_attention_heads": 4,
    "vocab_size": 1000)json";
  EXPECT_EQ(ParseHfConfig(base + "}", "a.json").sliding_window, 4096);  // MistralConfig's default
  EXPECT_EQ(ParseHfConfig(base + R"(, "sliding_window": null})", "b.json").sliding_window, 0);
}

}  // namespace
}  // namespace pjsim
