// Mamba imports (model_type "mamba"): the config is read with MambaConfig's defaults, the
// parameter count is exact tensor by tensor (transformers' MambaMixer), the built workload's ops
// hold exactly the counted weights, and decode ops do not depend on the position.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/workload/hf_config.h"
#include "sim/workload/param_count.h"
#include "sim/workload/transformer_builder.h"
#include "sim/workload/workload.h"
#include "test_paths.h"

namespace pjsim {
namespace {

HfModelSpec Mamba130m() {
  return LoadHfConfig(test::SourceDir() + "/workloads/hf/mamba-130m-hf.config.json");
}

// state-spaces/mamba-370m's dimensions: d_model 1024, 48 layers, the default expand, state,
// kernel and time-step rank ("auto" = ceil(1024 / 16) = 64).
HfModelSpec Mamba370mLike() {
  return ParseHfConfig(R"json({"model_type": "mamba", "hidden_size": 1024,
    "num_hidden_layers": 48, "vocab_size": 50280, "time_step_rank": "auto"})json",
                       "370m.json");
}

Workload Build(const HfModelSpec& s, const ImportOptions& o) {
  const std::string yaml = BuildTransformerWorkload(s, o, "mamba");
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "mamba.yaml")));
}

const Layer& Find(const Workload& w, const std::string& name) {
  for (const Layer& l : w.graph->layers()) {
    if (l.name == name) return l;
  }
  throw std::runtime_error("no layer " + name);
}

TEST(MambaParams, Mamba130mMatchesItsPublishedSize) {
  const HfModelSpec s = Mamba130m();
  EXPECT_EQ(s.family, HfFamily::kMamba);
  EXPECT_EQ(s.intermediate_size, 1536);
  EXPECT_EQ(s.ssm.state_size, 16);
  EXPECT_EQ(s.ssm.conv_kernel, 4);
  EXPECT_EQ(s.ssm.time_step_rank, 48);
  EXPECT_TRUE(s.tie_word_embeddings);
  const ParamBreakdown p = CountParams(s);
  // Per layer: in_proj 768 x 3072, conv1d 1536 x 4 + 1536, x_proj 1536 x (48 + 32), dt_proj
  // 48 x 1536 + 1536, A_log 1536 x 16, D 1536, out_proj 1536 x 768; plus the 768 norm.
  EXPECT_EQ(p.ssm_per_layer, 2359296 + 7680 + 122880 + 75264 + 24576 + 1536 + 1179648);
  EXPECT_EQ(p.num_ssm_layers, 24);
  EXPECT_EQ(p.lm_head, 0);  // tied
  // 129,135,360: the "129M" of state-spaces/mamba-130m-hf's safetensors.
  EXPECT_EQ(p.total, 129135360);
  EXPECT_EQ(p.active, p.total);
  EXPECT_EQ(p.linear, 24 * (2359296 + 122880 + 48 * 1536 + 1179648));
}

TEST(MambaParams, A370mLikeConfigCountsExactly) {
  const HfModelSpec s = Mamba370mLike();
  EXPECT_EQ(s.intermediate_size, 2048);  // expand 2
  EXPECT_EQ(s.ssm.time_step_rank, 64);
  const ParamBreakdown p = CountParams(s);
  const std::int64_t layer = 1024 * 4096 + (2048 * 4 + 2048) + 2048 * 96 + (64 * 2048 + 2048) +
                             2048 * 16 + 2048 + 2048 * 1024 + 1024;
  EXPECT_EQ(p.total, 48 * layer + 50280 * 1024 + 1024);
  EXPECT_EQ(p.total, 371516416);
}

TEST(MambaParams, BiasKeysAndUntiedHeadCount) {
  const HfModelSpec s = ParseHfConfig(R"json({"model_type": "mamba", "hidden_size": 64,
    "num_hidden_layers": 2, "vocab_size": 100, "state_size": 8, "conv_kernel": 3, "expand": 3,
    "time_step_rank": 5, "use_bias": true, "use_conv_bias": false,
    "tie_word_embeddings": false})json",
                                      "biased.json");
  const std::int64_t d = 192, h = 64;
  const std::int64_t layer = h * 2 * d + 2 * d  // in_proj + bias
                             + d * 3            // conv1d, no bias
                             + d * (5 + 16)     // x_proj
                             + 5 * d + d        // dt_proj + bias
                             + d * 8 + d        // A_log, D
                             + d * h + h        // out_proj + bias
                             + h;               // norm
  EXPECT_EQ(CountParams(s).total, 2 * layer + 2 * 100 * h + h);
}

TEST(MambaParams, AbsentKeysTakeMambaConfigDefaults) {
  const HfModelSpec s = ParseHfConfig(R"json({"model_type": "mamba"})json", "defaults.json");
  EXPECT_EQ(s.hidden_size, 768);
  EXPECT_EQ(s.num_layers, 32);
  EXPECT_EQ(s.vocab_size, 50280);
  EXPECT_EQ(s.intermediate_size, 1536);
  EXPECT_EQ(s.ssm.state_size, 16);
  EXPECT_EQ(s.ssm.conv_kernel, 4);
  EXPECT_EQ(s.ssm.time_step_rank, 48);
  EXPECT_FALSE(s.ssm.use_bias);
  EXPECT_TRUE(s.ssm.use_conv_bias);
  EXPECT_TRUE(s.tie_word_embeddings);
}

TEST(MambaParams, BadTimeStepRankIsAConfigError) {
  EXPECT_THROW(ParseHfConfig(R"json({"model_type": "mamba", "hidden_size": 64,
    "num_hidden_layers": 2, "time_step_rank": "big"})json",
                             "bad.json"),
               ConfigError);
}

TEST(MambaParams, WorkloadOpsHoldTheCountedWeights) {
  for (const HfModelSpec& s : {Mamba130m(), Mamba370mLike()}) {
    for (const bool decode : {false, true}) {
      ImportOptions o;
      o.seq = 32;
      o.decode = decode;
      o.decode_tokens = 1;
      const Workload w = Build(s, o);
      std::int64_t linear = 0;
      for (const Layer& l : w.graph->layers()) {
        if (l.kind == OpKind::kLinear && l.name != "lm_head") linear += l.k * l.n;
      }
      EXPECT_EQ(linear, CountParams(s).linear) << s.source << " decode " << decode;
      const Layer& scan = Find(w, "L0.scan");
      if (decode) {
        // One token: the state of every channel, read and written as the op's input and output.
        EXPECT_EQ(scan.function, "selective_scan_step");
        EXPECT_EQ(scan.m, s.intermediate_size);
        EXPECT_EQ(scan.n, s.ssm.state_size);
        EXPECT_EQ(Find(w, "L0.conv").n, s.ssm.conv_kernel);
      } else {
        EXPECT_EQ(scan.function, "selective_scan");
        EXPECT_EQ(scan.m, 32);
        EXPECT_EQ(scan.inner, s.ssm.state_size);
        EXPECT_EQ(Find(w, "L0.conv").inner, s.ssm.conv_kernel);
      }
    }
  }
}

TEST(MambaParams, DecodeOpsDoNotDependOnThePosition) {
  ImportOptions near, far;
  near.decode = far.decode = true;
  near.seq = 100;
  far.seq = 10000;
  const Workload a = Build(Mamba130m(), near), b = Build(Mamba130m(), far);
  ASSERT_EQ(a.graph->layers().size(), b.graph->layers().size());
  for (size_t i = 0; i < a.graph->layers().size(); ++i) {
    const Layer& x = a.graph->layers()[i];
    const Layer& y = b.graph->layers()[i];
    EXPECT_EQ(x.m, y.m) << x.name;
    EXPECT_EQ(x.k, y.k) << x.name;
    EXPECT_EQ(x.n, y.n) << x.name;
    EXPECT_FALSE(x.GrowsPerDecodeStep()) << x.name;
  }
}

TEST(MambaParams, HybridEveryKthLayerIsAttention) {
  HfModelSpec s = Mamba130m();
  const std::int64_t pure = CountParams(s).total;
  MakeHybrid(s, 4);
  const ParamBreakdown p = CountParams(s);
  EXPECT_EQ(s.num_attention_heads, 12);  // 768 / 64
  EXPECT_EQ(p.num_ssm_layers, 18);
  // Six mixers replaced by q, k, v, o of 768 x 768.
  EXPECT_EQ(p.total, pure - 6 * p.ssm_per_layer + 6 * 4 * 768 * 768);
  ImportOptions o;
  o.seq = 16;
  const Workload w = Build(s, o);
  EXPECT_EQ(Find(w, "L3.scores").kind, OpKind::kAttentionScores);
  EXPECT_EQ(Find(w, "L4.scan").function, "selective_scan");
  EXPECT_THROW(Find(w, "L3.scan"), std::runtime_error);
  HfModelSpec llama = ParseHfConfig(R"json({"model_type": "llama", "hidden_size": 64,
    "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
    "vocab_size": 100})json",
                                    "llama.json");
  EXPECT_THROW(MakeHybrid(llama, 2), ConfigError);
}

TEST(MambaParams, InnerKeyIsRequiredWhereItCountsAndRejectedElsewhere) {
  const auto load = [](const std::string& layer) {
    return ReadWorkload(
        ConfigMap::Root(ConfigDocument::Parse("name: w\nlayers:\n  - " + layer + "\n", "w.yaml")));
  };
  EXPECT_NO_THROW(load(
      "{name: s, op: elementwise, function: selective_scan, m: 4, n: 8, inner: 16, dtype: int8}"));
  EXPECT_THROW(
      load("{name: s, op: elementwise, function: selective_scan, m: 4, n: 8, dtype: int8}"),
      ConfigError);
  EXPECT_THROW(load("{name: s, op: elementwise, function: silu, m: 4, n: 8, inner: 2, dtype: "
                    "int8}"),
               ConfigError);
}

}  // namespace
}  // namespace pjsim
