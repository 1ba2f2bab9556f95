// OLMo 2 imported from its Hugging Face config (transformers' Olmo2DecoderLayer): no norm before
// the attention or the MLP, an RMSNorm on each one's output before its residual add, and RMSNorms
// over the whole q and k projections.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "sim/config/yaml_reader.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/param_count.h"
#include "sim/workload/transformer_builder.h"
#include "sim/workload/workload.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using Names = std::vector<std::string>;

TEST(Olmo2Import, NormsOnlyTheBlocksOutputs) {
  const HfModelSpec s =
      LoadHfConfig(test::SourceDir() + "/tests/data/hf/OLMo-2-1124-7B.config.json");
  EXPECT_FALSE(s.pre_norms);
  EXPECT_TRUE(s.sandwich_norms);
  EXPECT_TRUE(s.qk_norm);
  // Post-attention, post-FFN, q and k norms; nothing before the blocks.
  EXPECT_EQ(CountParams(s).norms_per_layer, 4 * 4096);
  ImportOptions o;
  o.seq = 128;
  o.layers = 2;
  const std::string yaml = BuildTransformerWorkload(s, o, "w");
  const Workload w = ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
  std::map<std::string, Layer> l;
  for (const Layer& layer : w.graph->layers()) l[layer.name] = layer;
  EXPECT_FALSE(l.count("L1.attn_norm"));
  EXPECT_FALSE(l.count("L1.ffn_norm"));
  EXPECT_EQ(l.at("L1.q").inputs, Names{"L0.ffn_residual"});
  EXPECT_EQ(l.at("L1.q_norm").n, 4096);  // the whole projection
  EXPECT_EQ(l.at("L1.attn_post_norm").inputs, Names{"L1.o"});
  EXPECT_EQ(l.at("L1.gate").inputs, Names{"L1.attn_residual"});
  EXPECT_EQ(l.at("L1.ffn_post_norm").inputs, Names{"L1.down"});
  EXPECT_EQ(l.at("L1.ffn_residual").inputs, (Names{"L1.ffn_post_norm", "L1.attn_residual"}));
}

}  // namespace
}  // namespace pjsim
