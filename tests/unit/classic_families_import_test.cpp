// GPT-2, OPT, GPT-NeoX (Pythia), Phi and Falcon imported from their Hugging Face configs: each
// family's key names and defaults, and the block its modeling code computes — LayerNorm, an
// ungated MLP (up, activation, down), learned positions added to the token embedding (GPT-2,
// OPT), and parallel blocks whose MLP reads the block's input, through its own norm (GPT-NeoX)
// or the attention's (Phi, Falcon-7B); what is not modelled fails at its key.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "sim/workload/workload.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using Names = std::vector<std::string>;

HfModelSpec Load(const std::string& model) {
  return LoadHfConfig(test::SourceDir() + "/tests/data/hf/" + model + ".config.json");
}

std::map<std::string, Layer> Layers(const std::string& model) {
  ImportOptions o;
  o.seq = 128;
  o.layers = 2;
  const std::string yaml = BuildTransformerWorkload(Load(model), o, "w");
  const Workload w = ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
  std::map<std::string, Layer> m;
  for (const Layer& l : w.graph->layers()) m[l.name] = l;
  return m;
}

std::string ErrorOf(const std::string& json) {
  try {
    ParseHfConfig(json, "c.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ClassicFamiliesImport, Gpt2AddsLearnedPositionsAndRunsBlocksInSequence) {
  const auto l = Layers("gpt2");
  EXPECT_EQ(l.at("pos_embed").k, 1024);  // n_positions rows
  EXPECT_EQ(l.at("embed_add").inputs, (Names{"embed", "pos_embed"}));
  EXPECT_EQ(l.at("L0.attn_norm").inputs, Names{"embed_add"});
  EXPECT_EQ(l.at("L0.attn_norm").function, "layernorm");
  // Sequential: the MLP's norm reads the attention's residual sum.
  EXPECT_EQ(l.at("L0.ffn_norm").inputs, Names{"L0.attn_residual"});
  EXPECT_FALSE(l.count("L0.gate"));
  EXPECT_EQ(l.at("L0.up").inputs, Names{"L0.ffn_norm"});
  EXPECT_EQ(l.at("L0.up").n, 3072);
  EXPECT_EQ(l.at("L0.act").function, "gelu");
  EXPECT_EQ(l.at("L0.act").inputs, Names{"L0.up"});
  EXPECT_EQ(l.at("L0.down").k, 3072);
}

TEST(ClassicFamiliesImport, OptOffsetsItsPositionsAndUsesRelu) {
  const auto l = Layers("opt-125m");
  EXPECT_EQ(l.at("pos_embed").k, 2048 + 2);
  EXPECT_EQ(l.at("L1.act").function, "relu");
}

TEST(ClassicFamiliesImport, ParallelBlocksFeedTheMlpFromTheBlockInput) {
  // GPT-NeoX: a second norm on the block's input, not on the attention's sum.
  const auto neox = Layers("pythia-160m");
  EXPECT_EQ(neox.at("L1.ffn_norm").inputs, Names{"L0.ffn_residual"});
  EXPECT_EQ(neox.at("L1.attn_norm").inputs, Names{"L0.ffn_residual"});
  EXPECT_EQ(neox.at("L1.ffn_residual").inputs, (Names{"L1.down", "L1.attn_residual"}));
  EXPECT_FALSE(neox.count("pos_embed"));  // rotary
  // Phi-2 and Falcon-7B: one norm feeds both.
  for (const char* model : {"phi-2", "falcon-7b"}) {
    const auto l = Layers(model);
    EXPECT_FALSE(l.count("L0.ffn_norm")) << model;
    EXPECT_EQ(l.at("L0.up").inputs, Names{"L0.attn_norm"}) << model;
  }
  // Falcon-7B is multi-query: one KV head of 64.
  EXPECT_EQ(Layers("falcon-7b").at("L0.k").n, 64);
  const HfModelSpec falcon40b = ParseHfConfig(
      R"({"model_type": "falcon", "hidden_size": 8192, "num_attention_heads": 128,
          "num_kv_heads": 8, "new_decoder_architecture": true, "num_hidden_layers": 60})",
      "f.json");
  EXPECT_EQ(falcon40b.num_kv_heads, 8);
  EXPECT_TRUE(falcon40b.parallel_block);
  EXPECT_FALSE(falcon40b.shared_block_norm);  // ln_attn and ln_mlp
}

TEST(ClassicFamiliesImport, Starcoder2SlidesEveryLayerOverGroupedKvHeads) {
  const HfModelSpec s = Load("starcoder2-3b");
  EXPECT_EQ(s.num_kv_heads, 2);
  EXPECT_TRUE(s.qkv_bias && s.o_bias && s.ffn_bias);
  EXPECT_FALSE(s.parallel_block);
  for (std::int64_t i = 0; i < s.num_layers; ++i) EXPECT_TRUE(s.SlidesWindow(i)) << i;
  ImportOptions o;
  o.seq = 8192;
  o.layers = 1;
  const std::string yaml = BuildTransformerWorkload(s, o, "w");
  const Workload w = ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
  for (const Layer& l : w.graph->layers()) {
    if (l.name == "L0.scores") {
      EXPECT_EQ(l.sparsity.window, 4096);
    } else if (l.name == "L0.k") {
      EXPECT_EQ(l.n, 256);
    } else if (l.name == "L0.act") {
      EXPECT_EQ(l.function, "gelu");
    }
  }
}

TEST(ClassicFamiliesImport, WhatIsNotModelledFailsAtItsKey) {
  EXPECT_NE(ErrorOf(R"({"model_type": "falcon", "alibi": true})")
                .find("c.json:1:35: ALiBi position biases"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"model_type": "opt", "do_layer_norm_before": false})")
                .find("c.json:1:47: post-LayerNorm OPT blocks (OPT-350m) are not modelled"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"model_type": "opt", "word_embed_proj_dim": 512})")
                .find("c.json:1:46: an embedding projected in and out"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"model_type": "gpt2", "n_embd": 768, "n_head": 10})")
                .find("c.json:1:49: the hidden size (768) is not a multiple of 'n_head' (10)"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"model_type": "gpt2", "activation_function": "tanh"})")
                .find("unsupported activation_function 'tanh'"),
            std::string::npos);
}

}  // namespace
}  // namespace pjsim
