// DeepSeek-V2-Lite decode on the shipped 8x8 mesh: the KV cache an MLA decode pass reads from
// DRAM is (kv_lora_rank + qk_rope_head_dim) x layers x bytes per cached token, measured from the
// simulation's per-layer DRAM counts; the same model with ordinary multi-head K/V caching reads
// 2 x heads x head_dim per token per layer; the naive execution decompresses every cached token
// through kv_b_proj each pass and reads the decompressed keys and values.
#include <gtest/gtest.h>

#include <string>

#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::SimRun;

constexpr std::int64_t kLayers = 3;      // layer 0 dense, layers 1 and 2 DeepSeekMoE
constexpr std::int64_t kContext = 4095;  // + the token of the first pass: 4096 cached

HfModelSpec V2Lite() {
  return LoadHfConfig(test::SourceDir() + "/workloads/hf/DeepSeek-V2-Lite.config.json");
}

ImportOptions Decode(std::int64_t passes) {
  ImportOptions o;
  o.seq = kContext;
  o.decode = true;
  o.decode_tokens = passes;
  o.layers = kLayers;
  o.lm_head = false;
  return o;
}

SimRun SimulateImport(const HfModelSpec& s, const ImportOptions& o, const std::string& name) {
  const std::string path =
      test::WriteWorkloadYaml("mla_" + name, BuildTransformerWorkload(s, o, name));
  return test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), path);
}

// KV-cache bytes the attention ops fetched from DRAM (their second operand), all passes.
double AttentionCacheBytes(const SimRun& r) {
  double bytes = 0;
  const auto& layers = r.config.workload.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    const OpKind k = layers[l].kind;
    if (k == OpKind::kAttentionScores || k == OpKind::kAttentionContext)
      bytes += r.result.layers[l].operand_b_bytes;
  }
  return bytes;
}

const LayerResult& ResultOf(const SimRun& r, const std::string& name) {
  const auto& layers = r.config.workload.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    if (layers[l].name == name) return r.result.layers[l];
  }
  throw std::runtime_error("no layer " + name);
}

TEST(MlaKvCache, AbsorbedDecodeReadsTheLatentAndRopeKeyOncePerCachedToken) {
  const HfModelSpec s = V2Lite();
  const double per_token = static_cast<double>(s.mla.kv_lora_rank + s.mla.qk_rope_head_dim);
  const SimRun one = SimulateImport(s, Decode(1), "absorbed1");
  // int8 cache: one byte per element; 4096 cached tokens in the pass.
  EXPECT_DOUBLE_EQ(AttentionCacheBytes(one), per_token * kLayers * 1 * 4096);
  // Two passes: 4096 then 4097 cached tokens.
  const SimRun two = SimulateImport(s, Decode(2), "absorbed2");
  EXPECT_DOUBLE_EQ(AttentionCacheBytes(two), per_token * kLayers * (4096 + 4097));
  // All of it is read by the scores op; the context op reuses the latent.
  EXPECT_DOUBLE_EQ(ResultOf(one, "L1.context").operand_b_bytes, 0);
  EXPECT_DOUBLE_EQ(ResultOf(one, "L1.scores").operand_b_bytes, per_token * 4096);
}

TEST(MlaKvCache, OrdinaryMultiHeadCachingOfTheSameModelReadsSevenTimesMore) {
  // The comparison of the DeepSeek-V2 paper (Table 1): MHA caches 2 x heads x d_h per token per
  // layer. The shipped baseline has V2-Lite's sizes and DeepSeekMoE layers with ordinary
  // attention of 16 heads x 128 (model_type deepseek).
  const HfModelSpec mha =
      LoadHfConfig(test::SourceDir() + "/workloads/hf/DeepSeek-V2-Lite.mha-baseline.config.json");
  ASSERT_EQ(mha.attention, HfAttentionKind::kGrouped);
  ASSERT_EQ(mha.num_kv_heads, 16);
  ASSERT_EQ(mha.head_dim, 128);
  const SimRun m = SimulateImport(mha, Decode(1), "mha");
  const double mha_bytes = AttentionCacheBytes(m);
  EXPECT_DOUBLE_EQ(mha_bytes, 2.0 * 16 * 128 * kLayers * 4096);
  const SimRun mla = SimulateImport(V2Lite(), Decode(1), "absorbed_vs_mha");
  EXPECT_DOUBLE_EQ(mha_bytes / AttentionCacheBytes(mla), 4096.0 / 576);
  EXPECT_LT(mla.result.ledger.TotalEnergyPj(), m.result.ledger.TotalEnergyPj());
}

TEST(MlaKvCache, NaiveDecompressesEveryCachedTokenEachPass) {
  const HfModelSpec s = V2Lite();
  ImportOptions o = Decode(2);
  o.mla = MlaExecution::kNaive;
  const SimRun r = SimulateImport(s, o, "naive");
  const double tokens = 4096 + 4097;
  // kv_b_proj over every cached latent: 512 -> 16 x (128 + 128) per token, each pass.
  const LayerResult& kv_b = ResultOf(r, "L0.kv_b");
  EXPECT_DOUBLE_EQ(kv_b.macs, tokens * 512 * 16 * 256);
  EXPECT_DOUBLE_EQ(
      kv_b.compulsory_bytes - 2 * 512.0 * 16 * 256 - 4097.0 * 16 * 256 - 4096.0 * 16 * 256,
      tokens * 512);  // the cached latents, besides its weights and output
  // Attention then reads the decompressed per-head keys (nope + rope) and values.
  EXPECT_DOUBLE_EQ(AttentionCacheBytes(r), 16.0 * (192 + 128) * kLayers * tokens);
  ImportOptions absorbed = Decode(2);
  const SimRun a = SimulateImport(s, absorbed, "naive_vs_absorbed");
  EXPECT_GT(r.result.ledger.TotalEnergyPj(), a.result.ledger.TotalEnergyPj());
  EXPECT_GT(r.result.total_ps, a.result.total_ps);
}

}  // namespace
}  // namespace pjsim
