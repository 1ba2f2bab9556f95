// Gemma 2 and Gemma 3 imported from their Hugging Face configs (transformers' Gemma2DecoderLayer,
// Gemma3DecoderLayer): four norms per layer, Gemma 2's tanh soft-capping of the attention scores
// (fused into the softmax) and of the logits, Gemma 3's per-head q/k norms, and each family's
// pattern of local (sliding-window) and global layers in the workload it builds.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/graph/elementwise_function.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "sim/workload/workload.h"
#include "test_paths.h"

namespace pjsim {
namespace {

HfModelSpec Load(const std::string& model) {
  return LoadHfConfig(test::SourceDir() + "/tests/data/hf/" + model + ".config.json");
}

Workload Build(const HfModelSpec& s, const ImportOptions& o) {
  const std::string yaml = BuildTransformerWorkload(s, o, "w");
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
}

std::map<std::string, const Layer*> ByName(const Workload& w) {
  std::map<std::string, const Layer*> m;
  for (const Layer& l : w.graph->layers()) m[l.name] = &l;
  return m;
}

ImportOptions Prefill(std::int64_t seq, std::int64_t layers) {
  ImportOptions o;
  o.seq = seq;
  o.layers = layers;
  return o;
}

TEST(GemmaImport, Gemma2SandwichesItsBlocksAndSoftCapsScoresAndLogits) {
  const Workload w = Build(Load("gemma-2-9b"), Prefill(8192, 2));
  const auto l = ByName(w);
  // The attention output and the FFN output are normalised before their residual adds.
  ASSERT_TRUE(l.count("L0.attn_post_norm"));
  EXPECT_EQ(l.at("L0.attn_post_norm")->inputs, std::vector<std::string>{"L0.o"});
  EXPECT_EQ(l.at("L0.attn_residual")->inputs[0], "L0.attn_post_norm");
  ASSERT_TRUE(l.count("L0.ffn_post_norm"));
  EXPECT_EQ(l.at("L0.ffn_post_norm")->inputs, std::vector<std::string>{"L0.down"});
  EXPECT_EQ(l.at("L0.ffn_residual")->inputs[0], "L0.ffn_post_norm");
  EXPECT_EQ(l.at("L1.softmax")->function, "softcap_softmax");
  ASSERT_TRUE(l.count("logit_softcap"));
  EXPECT_EQ(l.at("logit_softcap")->function, "softcap");
  EXPECT_EQ(l.at("logit_softcap")->n, 256000);
  EXPECT_FALSE(l.count("L0.q_norm"));
  // Layer 0 is local (a window of 4096 over the 8192 tokens), layer 1 global.
  EXPECT_EQ(l.at("L0.scores")->sparsity.kind, SparsityKind::kSlidingWindow);
  EXPECT_EQ(l.at("L0.scores")->sparsity.window, 4096);
  EXPECT_FALSE(l.at("L1.scores")->sparsity.enabled());
}

TEST(GemmaImport, Gemma3NormsEachHeadAndDoesNotSoftCap) {
  const Workload w = Build(Load("gemma-3-1b-it"), Prefill(1024, 6));
  const auto l = ByName(w);
  ASSERT_TRUE(l.count("L0.q_norm"));
  EXPECT_EQ(l.at("L0.q_norm")->m, 1024 * 4);  // one row per (token, head)
  EXPECT_EQ(l.at("L0.q_norm")->n, 256);
  EXPECT_EQ(l.at("L0.k_norm")->m, 1024 * 1);
  EXPECT_TRUE(l.count("L5.attn_post_norm") && l.count("L5.ffn_post_norm"));
  EXPECT_EQ(l.at("L0.softmax")->function, "softmax");
  EXPECT_FALSE(l.count("logit_softcap"));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(l.at("L" + std::to_string(i) + ".scores")->sparsity.kind,
              SparsityKind::kSlidingWindow)
        << i;
  }
  EXPECT_FALSE(l.at("L5.scores")->sparsity.enabled());  // every sixth layer is global
}

TEST(GemmaImport, SoftCappingCostsATanhPerElementOnTopOfTheSoftmax) {
  // cap x tanh(x / cap): two multiplies, and tanh as one exp, two adds and a divide.
  const ElementwiseFunction& plain = FindElementwiseFunction("softmax");
  const ElementwiseFunction& capped = FindElementwiseFunction("softcap_softmax");
  const ElementwiseFunction& cap = FindElementwiseFunction("softcap");
  std::map<std::string, int> sum;
  for (const auto& [op, n] : plain.ops) sum[op] += n;
  for (const auto& [op, n] : cap.ops) sum[op] += n;
  std::map<std::string, int> got;
  for (const auto& [op, n] : capped.ops) got[op] += n;
  EXPECT_EQ(got, sum);
  EXPECT_EQ(capped.per_row_ops, plain.per_row_ops);
  EXPECT_EQ(cap.ops, (std::vector<std::pair<std::string, int>>{
                         {"mult", 2}, {"add", 2}, {"exp", 1}, {"div", 1}}));
}

TEST(GemmaImport, ADecodedSoftCappedSoftmaxGrowsWithTheCache) {
  ImportOptions o;
  o.decode = true;
  o.decode_tokens = 4;
  o.seq = 100;
  o.layers = 2;
  const Workload w = Build(Load("gemma-2-9b"), o);
  const Layer& softmax = *ByName(w).at("L1.softmax");
  EXPECT_EQ(softmax.function, "softcap_softmax");
  EXPECT_EQ(softmax.AtDecodeStep(3).n, softmax.n + 3);
}

}  // namespace
}  // namespace pjsim
