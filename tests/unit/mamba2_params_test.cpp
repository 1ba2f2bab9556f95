// Mamba-2 imports (model_type "mamba2"): the config is read with Mamba2Config's defaults, the
// parameter count is exact tensor by tensor (transformers' Mamba2Mixer) and matches Codestral
// Mamba's published 7,285,403,648, the built workload's projections hold exactly the counted
// weights, prefill's SSD matmuls have the chunked algorithm's shapes, and decode ops do not
// depend on the position.
#include <gtest/gtest.h>

#include <algorithm>
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

// state-spaces/mamba2-130m's dimensions (d_model 768, 24 layers, the mamba_ssm Mamba2 defaults:
// d_state 128, expand 2, headdim 64, ngroups 1, d_conv 4, chunk 256; vocabulary 50,277 padded to
// a multiple of 16; tied embedding), written with transformers' Mamba2Config keys.
HfModelSpec Mamba2_130m() {
  return ParseHfConfig(R"json({"model_type": "mamba2", "hidden_size": 768,
    "num_hidden_layers": 24, "state_size": 128, "expand": 2, "head_dim": 64, "num_heads": 24,
    "n_groups": 1, "conv_kernel": 4, "vocab_size": 50288, "chunk_size": 256,
    "tie_word_embeddings": true, "time_step_rank": "auto"})json",
                       "mamba2-130m.json");
}

// mistralai/Mamba-Codestral-7B-v0.1's config.json (the keys that shape tensors, and a
// time_step_limit written the way the file writes it).
HfModelSpec Codestral() {
  return ParseHfConfig(R"json({"model_type": "mamba2", "architectures": ["Mamba2ForCausalLM"],
    "chunk_size": 256, "conv_kernel": 4, "expand": 2, "head_dim": 64, "hidden_act": "silu",
    "hidden_size": 4096, "layer_norm_epsilon": 1e-05, "n_groups": 8, "num_heads": 128,
    "num_hidden_layers": 64, "rms_norm": true, "state_size": 128, "tie_word_embeddings": false,
    "time_step_limit": [0.0, Infinity], "time_step_rank": 256, "use_bias": false,
    "use_conv_bias": true, "vocab_size": 32768})json",
                       "codestral.json");
}

Workload Build(const HfModelSpec& s, const ImportOptions& o) {
  const std::string yaml = BuildTransformerWorkload(s, o, "mamba2");
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "mamba2.yaml")));
}

const Layer& Find(const Workload& w, const std::string& name) {
  for (const Layer& l : w.graph->layers()) {
    if (l.name == name) return l;
  }
  throw std::runtime_error("no layer " + name);
}

bool IsSsdMatmul(const Layer& l) { return l.name.find(".ssd_") != std::string::npos; }

TEST(Mamba2Params, A130mConfigCountsExactly) {
  const HfModelSpec s = Mamba2_130m();
  EXPECT_EQ(s.family, HfFamily::kMamba2);
  EXPECT_TRUE(s.IsSsd());
  EXPECT_EQ(s.ssm.d_inner, 1536);
  const ParamBreakdown p = CountParams(s);
  // in_proj 768 x (2 x 1536 + 2 x 1 x 128 + 24), conv1d over x|B|C (1536 + 256 channels) x 4 +
  // bias, dt_bias / A_log / D of 24 heads, the gated norm's 1536, out_proj 1536 x 768.
  const std::int64_t mixer = 768 * 3352 + (1792 * 4 + 1792) + 3 * 24 + 1536 + 1536 * 768;
  EXPECT_EQ(p.ssm_per_layer, mixer);
  EXPECT_EQ(p.lm_head, 0);  // tied
  EXPECT_EQ(p.total, 24 * (mixer + 768) + 50288 * 768 + 768);
  EXPECT_EQ(p.total, 128989632);
  EXPECT_EQ(p.active, p.total);
  EXPECT_EQ(p.linear, 24 * (768 * 3352 + 1536 * 768));
}

TEST(Mamba2Params, CodestralMatchesItsPublishedCount) {
  const ParamBreakdown p = CountParams(Codestral());
  // Mistral AI's announcement of Codestral Mamba: 7,285,403,648 parameters.
  EXPECT_EQ(p.total, 7285403648);
  const std::int64_t conv_dim = 8192 + 2 * 8 * 128;
  const std::int64_t mixer =
      4096 * (8192 + conv_dim + 128) + conv_dim * 5 + 3 * 128 + 8192 + 8192 * 4096;
  EXPECT_EQ(p.total, 64 * (mixer + 4096) + 2 * 32768 * 4096 + 4096);  // untied head
  // Mamba2Config's defaults are Codestral's dimensions.
  EXPECT_EQ(CountParams(ParseHfConfig(R"json({"model_type": "mamba2"})json", "d.json")).total,
            p.total);
}

TEST(Mamba2Params, BiasKeysCount) {
  const HfModelSpec s = ParseHfConfig(R"json({"model_type": "mamba2", "hidden_size": 64,
    "num_hidden_layers": 2, "vocab_size": 100, "state_size": 8, "expand": 2, "head_dim": 16,
    "num_heads": 8, "n_groups": 2, "conv_kernel": 3, "use_bias": true, "use_conv_bias": false,
    "tie_word_embeddings": true})json",
                                      "biased.json");
  const std::int64_t d = 128, h = 64, conv = d + 2 * 2 * 8, in = d + conv + 8;
  const std::int64_t layer = h * in + in  // in_proj + bias
                             + conv * 3   // conv1d, no bias
                             + 3 * 8 + d  // dt_bias, A_log, D; gated norm
                             + d * h + h  // out_proj + bias
                             + h;         // norm
  EXPECT_EQ(CountParams(s).total, 2 * layer + 100 * h + h);
}

TEST(Mamba2Params, BadHeadSplitNamesFileAndKey) {
  const std::string what = test::ErrorOf([] {
    ParseHfConfig(R"json({"model_type": "mamba2", "hidden_size": 64, "expand": 2,
      "num_heads": 3, "head_dim": 64})json",
                  "heads.json");
  });
  EXPECT_NE(what.find("heads.json:"), std::string::npos) << what;
  EXPECT_NE(what.find("'num_heads' (3) x 'head_dim' (64) must equal"), std::string::npos) << what;
  const std::string groups = test::ErrorOf([] {
    ParseHfConfig(R"json({"model_type": "mamba2", "hidden_size": 64, "expand": 2,
      "num_heads": 8, "head_dim": 16, "n_groups": 3})json",
                  "groups.json");
  });
  EXPECT_NE(groups.find("groups.json:"), std::string::npos) << groups;
  EXPECT_NE(groups.find("'n_groups' (3) must divide 'num_heads' (8)"), std::string::npos) << groups;
  const std::string chunk = test::ErrorOf(
      [] { ParseHfConfig(R"json({"model_type": "mamba2", "chunk_size": 0})json", "chunk.json"); });
  EXPECT_NE(chunk.find("chunk.json:"), std::string::npos) << chunk;
  EXPECT_NE(chunk.find("'chunk_size' must be a positive integer"), std::string::npos) << chunk;
  EXPECT_THROW(
      ParseHfConfig(R"json({"model_type": "mamba2", "time_step_rank": "big"})json", "rank.json"),
      ConfigError);
}

TEST(Mamba2Params, WorkloadProjectionsHoldTheCountedWeights) {
  const HfModelSpec s = Mamba2_130m();
  for (const bool decode : {false, true}) {
    ImportOptions o;
    o.seq = 512;
    o.decode = decode;
    o.decode_tokens = 1;
    const Workload w = Build(s, o);
    std::int64_t linear = 0;
    for (const Layer& l : w.graph->layers()) {
      if (l.kind == OpKind::kLinear && l.name != "lm_head" && !IsSsdMatmul(l)) {
        linear += l.k * l.n;
      }
    }
    EXPECT_EQ(linear, CountParams(s).linear) << "decode " << decode;
    if (decode) {
      // One token: the heads x head_dim x state recurrent state, no chunked matmuls.
      const Layer& scan = Find(w, "L0.scan");
      EXPECT_EQ(scan.function, "ssd_step");
      EXPECT_EQ(scan.m, 24 * 64);
      EXPECT_EQ(scan.n, 128);
      EXPECT_THROW(Find(w, "L0.ssd_cb"), std::runtime_error);
      EXPECT_EQ(Find(w, "L0.conv").m, 1536 + 256);  // x|B|C channels
    }
  }
}

// The chunked SSD (Dao & Gu, Listing 1) with Q = 256, 2 chunks of 512 tokens, H = 24 heads of
// P = 64, N = 128, G = 1: each matmul's MACs are its einsum's.
TEST(Mamba2Params, PrefillMatmulsHaveTheChunkedAlgorithmsShapes) {
  ImportOptions o;
  o.seq = 512;
  o.batch = 2;
  const Workload w = Build(Mamba2_130m(), o);
  const std::int64_t c = 2 * 2, q = 256, h = 24, p = 64, n = 128, g = 1;
  EXPECT_EQ(Find(w, "L0.ssd_cb").Macs(), c * g * q * q * n);          // C B^T
  EXPECT_EQ(Find(w, "L0.ssd_diag").Macs(), c * h * q * q * p);        // (C B^T o L) X
  EXPECT_EQ(Find(w, "L0.ssd_states").Macs(), c * h * p * q * n);      // (decay X)^T B
  EXPECT_EQ(Find(w, "L0.ssd_off").Macs(), c * h * p * n * q);         // h C^T
  EXPECT_EQ(Find(w, "L0.ssd_mask").OutputElements(), c * h * q * q);  // one L entry each
  EXPECT_EQ(Find(w, "L0.ssd_state_pass").OutputElements(), c * h * p * n);
  EXPECT_EQ(Find(w, "L0.ssd_out").OutputElements(), 2 * 512 * h * p);
  // The matmuls multiply activations: the dtype's arithmetic, however the projections run.
  ImportOptions ternary = o;
  ternary.weights = "ternary";
  const Workload t = Build(Mamba2_130m(), ternary);
  EXPECT_EQ(Find(t, "L0.ssd_cb").arithmetic.name(), "int8");
  EXPECT_EQ(Find(t, "L0.in_proj_xbc").arithmetic.name(), "ternary");
  // A prompt shorter than a chunk is one chunk of its own length; a longer one is padded to
  // whole chunks.
  o.batch = 1;
  o.seq = 100;
  EXPECT_EQ(Find(Build(Mamba2_130m(), o), "L0.ssd_diag").Macs(), h * 100 * 100 * p);
  o.seq = 300;
  EXPECT_EQ(Find(Build(Mamba2_130m(), o), "L0.ssd_diag").Macs(), 2 * h * q * q * p);
}

TEST(Mamba2Params, GroupedNormAndNormBeforeGate) {
  ImportOptions o;
  o.seq = 256;
  const Workload w = Build(Codestral(), o);
  // Eight groups: the gated norm runs over rows of d_inner / 8 channels.
  EXPECT_EQ(Find(w, "L0.gated_norm").m, 256 * 8);
  EXPECT_EQ(Find(w, "L0.gated_norm").n, 1024);
  EXPECT_EQ(Find(w, "L0.ssd_cb").batch, 8);  // C B^T per group
  HfModelSpec s = Mamba2_130m();
  s.ssm.norm_before_gate = true;
  const Workload before = Build(s, o);
  const auto& layers = before.graph->layers();
  const auto at = [&](const std::string& name) {
    return std::find_if(layers.begin(), layers.end(),
                        [&](const Layer& l) { return l.name == name; }) -
           layers.begin();
  };
  EXPECT_LT(at("L0.gated_norm"), at("L0.gate"));
}

TEST(Mamba2Params, DecodeOpsDoNotDependOnThePosition) {
  ImportOptions near, far;
  near.decode = far.decode = true;
  near.seq = 100;
  far.seq = 10000;
  const Workload a = Build(Mamba2_130m(), near), b = Build(Mamba2_130m(), far);
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

TEST(Mamba2Params, HybridReplacesMixersByAttention) {
  HfModelSpec s = Mamba2_130m();
  const std::int64_t pure = CountParams(s).total;
  MakeHybrid(s, 6);
  const ParamBreakdown p = CountParams(s);
  EXPECT_EQ(p.num_ssm_layers, 20);
  EXPECT_EQ(p.total, pure - 4 * p.ssm_per_layer + 4 * 4 * 768 * 768);
  ImportOptions o;
  o.seq = 256;
  const Workload w = Build(s, o);
  EXPECT_EQ(Find(w, "L5.scores").kind, OpKind::kAttentionScores);
  EXPECT_EQ(Find(w, "L4.ssd_out").function, "ssd_combine");
}

}  // namespace
}  // namespace pjsim
