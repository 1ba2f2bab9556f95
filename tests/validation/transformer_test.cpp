// Whole-model behaviour: KV-cache traffic, memory-bound decode, prefill scaling, conservation on
// imported models.
#include <gtest/gtest.h>

#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::SimRun;

std::string WriteWorkload(const std::string& name, const std::string& yaml) {
  return test::WriteWorkloadYaml("transformer_" + name, yaml);
}

SimRun SimulateRun(const std::string& workload, std::vector<std::string> overrides = {},
                   TraceRecorder* trace = nullptr) {
  return test::SimulateYaml(test::ArchFile("default.yaml"), workload, std::move(overrides), "",
                            trace);
}

std::string Imported(const std::string& model, ImportOptions o, const std::string& name) {
  const HfModelSpec spec = LoadHfConfig(test::HfConfigFile(model));
  return WriteWorkload(name, BuildTransformerWorkload(spec, o, name));
}

// Bytes of a layer's second GEMM operand (weights or KV cache) fetched from DRAM. The planner's
// figure; the measured DRAM traffic equals the plan (Conservation tests).
double LayerDramReadBytes(const SimRun& r, const std::string& name) {
  const auto& names = r.result.ledger.layer_names();
  for (size_t l = 0; l < names.size(); ++l) {
    if (names[l] == name) return r.result.layers[l].operand_b_bytes;
  }
  ADD_FAILURE() << "no layer " << name;
  return 0;
}

std::string AttentionOnly(std::int64_t kv_len) {
  return "name: attn\nlayers:\n"
         "  - {name: scores, op: attention_scores, heads: 8, kv_heads: 2, head_dim: 64, q_len: 1, "
         "kv_len: " +
         std::to_string(kv_len) + ", dtype: int8, inputs: []}\n";
}

TEST(KvCache, AttentionTrafficGrowsLinearlyWithPosition) {
  const double b1 =
      LayerDramReadBytes(SimulateRun(WriteWorkload("kv1", AttentionOnly(512))), "scores");
  const double b2 =
      LayerDramReadBytes(SimulateRun(WriteWorkload("kv2", AttentionOnly(1024))), "scores");
  const double b3 =
      LayerDramReadBytes(SimulateRun(WriteWorkload("kv3", AttentionOnly(1536))), "scores");
  // K cache: kv_heads x kv_len x head_dim bytes, read once per KV head (GQA groups share it).
  EXPECT_DOUBLE_EQ(b3 - b2, b2 - b1);
  EXPECT_DOUBLE_EQ(b2 - b1, 2.0 * 512 * 64);
  EXPECT_DOUBLE_EQ(b1, 2.0 * 512 * 64);
}

TEST(KvCache, DecodePassesReadAGrowingCache) {
  ImportOptions o;
  o.seq = 256;
  o.decode = true;
  o.layers = 1;
  o.lm_head = false;
  o.decode_tokens = 1;
  const SimRun one = SimulateRun(Imported("Meta-Llama-3-8B", o, "dec1"));
  o.decode_tokens = 4;
  const SimRun four = SimulateRun(Imported("Meta-Llama-3-8B", o, "dec4"));
  const double a1 = LayerDramReadBytes(one, "L0.scores");
  const double a4 = LayerDramReadBytes(four, "L0.scores");
  // Passes read 257, 258, 259, 260 positions of 8 KV heads x 128 dims.
  EXPECT_DOUBLE_EQ(a1, 257.0 * 8 * 128);
  EXPECT_DOUBLE_EQ(a4, (257.0 + 258 + 259 + 260) * 8 * 128);
  // Weights are re-read every pass (they do not fit on chip).
  EXPECT_DOUBLE_EQ(LayerDramReadBytes(four, "L0.q"), 4 * LayerDramReadBytes(one, "L0.q"));
}

TEST(Decode, StepIsMemoryBoundAndTracksWeightBytesOverBandwidth) {
  ImportOptions o;
  o.seq = 128;
  o.decode = true;
  o.decode_tokens = 2;
  o.layers = 2;
  o.weights = "int8";  // the default accelerator's arithmetic (BitNet imports ternary by default)
  const SimRun r = SimulateRun(Imported("bitnet-b1.58-2B-4T", o, "membound"));
  double weight_bytes = 0;
  for (const Layer& l : r.config.workload.graph->layers()) {
    if (l.kind == OpKind::kLinear)
      weight_bytes += static_cast<double>(l.OperandBBytes(l.k * l.n) * l.batch);
  }
  const auto& d = r.config.arch.dram;
  const double bw = d.channel_bandwidth_bytes_per_s * static_cast<double>(d.channels.size());
  const double per_step = r.result.seconds() / 2;
  EXPECT_GE(per_step, weight_bytes / bw);
  EXPECT_LE(per_step, 1.15 * weight_bytes / bw)
      << "step " << per_step << " s, weights/bw " << weight_bytes / bw;
}

TEST(Prefill, NTokensCostNTimesTheLinearArithmeticOfOne) {
  ImportOptions o;
  o.layers = 1;
  o.lm_head = false;
  o.seq = 1;
  const SimRun one = SimulateRun(Imported("Meta-Llama-3-8B", o, "p1"));
  o.seq = 64;
  const SimRun many = SimulateRun(Imported("Meta-Llama-3-8B", o, "p64"));
  double macs1 = 0, macs64 = 0;
  for (const auto& l : one.result.layers) macs1 += l.macs;
  for (const auto& l : many.result.layers) macs64 += l.macs;
  const double linear1 = one.result.ledger.TotalCountOf("int8_mult");
  EXPECT_GE(many.result.ledger.TotalCountOf("int8_mult"), 64 * linear1);
  // Attention adds 64 x 64 positions; over 14 GFLOP of projections that is < 1%.
  EXPECT_LE(macs64, 64 * macs1 * 1.01);
}

// Prefill's LM head reads the last rows of the final norm's output: it must not start before the
// norm is done, also where the schedule is a dataflow over the graph (pipelined groups). Without
// the wait the head streamed its 525 MB of weights beside the first layer and slowed its
// projections 2-5x.
TEST(Prefill, TheLmHeadWaitsForTheFinalNorm) {
  ImportOptions o;
  o.layers = 1;
  o.seq = 64;
  const SimRun r =
      SimulateRun(Imported("Meta-Llama-3-8B", o, "head"), {"arch.mapping.strategy=pipelined"});
  const auto& names = r.result.ledger.layer_names();
  std::uint64_t norm_end = 0, head_start = 0;
  bool norm = false, head = false;
  for (size_t l = 0; l < names.size(); ++l) {
    const LayerResult& lr = r.result.layers[l];
    if (names[l] == "final_norm") norm_end = lr.start_ps + lr.span_ps, norm = true;
    if (names[l] == "lm_head") head_start = lr.start_ps, head = true;
  }
  ASSERT_TRUE(norm && head);
  EXPECT_GE(head_start, norm_end);
}

TEST(Conservation, WholeImportedMoeModelSumsToTotal) {
  ImportOptions o;
  o.layers = 2;
  o.seq = 32;
  const SimRun r = SimulateRun(Imported("Mixtral-8x7B-v0.1", o, "mixtral"));
  const double total = r.result.ledger.TotalEnergyPj();
  double cats = 0, layers = 0;
  for (const auto& [c, pj] : r.result.ledger.EnergyByCategory()) cats += pj;
  for (int l = 0; l < r.result.ledger.layer_count(); ++l)
    layers += r.result.ledger.LayerEnergyPj(l);
  EXPECT_NEAR(cats, total, 1e-9 * total);
  EXPECT_NEAR(layers, total, 1e-9 * total);
  double channel_read = 0;
  for (const auto& c : r.result.channels) channel_read += c.bytes_read;
  EXPECT_DOUBLE_EQ(r.result.ledger.TotalCountOf("sram_fill") / 8,
                   channel_read + r.result.multicast_copy_bytes + r.result.reduction_bytes -
                       r.result.gather_overfetch_bytes);
}

}  // namespace
}  // namespace pjsim

namespace pjsim {
namespace {

std::string SmallDecode(std::int64_t k, std::int64_t n) {
  return "name: small\nphase: decode\ndecode_tokens: 4\ntokens_per_pass: 1\nlayers:\n"
         "  - {name: a, op: linear, m: 1, k: " +
         std::to_string(k) + ", n: " + std::to_string(n) +
         ", dtype: int8, inputs: []}\n"
         "  - {name: b, op: linear, m: 1, k: " +
         std::to_string(n) + ", n: " + std::to_string(k) + ", dtype: int8}\n";
}

TEST(WeightResidency, WeightsThatFitOnChipAreFetchedOnce) {
  // 2 x 256 KiB of weights fit in half of 16 tiles x 256 KiB: fetched in the first pass only.
  const SimRun fits = SimulateRun(WriteWorkload("resident", SmallDecode(512, 512)));
  EXPECT_DOUBLE_EQ(fits.result.layers[0].operand_b_bytes, 512.0 * 512);
  EXPECT_DOUBLE_EQ(fits.result.layers[1].operand_b_bytes, 512.0 * 512);
  // Turned off, or too large for the SRAM, they are fetched every pass.
  const SimRun off = SimulateRun(WriteWorkload("streamed", SmallDecode(512, 512)),
                                 {"arch.mapping.weight_residency=false"});
  EXPECT_DOUBLE_EQ(off.result.layers[0].operand_b_bytes, 4 * 512.0 * 512);
  EXPECT_LT(fits.result.ledger.TotalEnergyPj(), off.result.ledger.TotalEnergyPj());
  const SimRun big = SimulateRun(WriteWorkload("big", SmallDecode(2048, 2048)));
  EXPECT_DOUBLE_EQ(big.result.layers[0].operand_b_bytes, 4 * 2048.0 * 2048);
}

}  // namespace
}  // namespace pjsim

namespace pjsim {
namespace {

TEST(SpikingImport, WholeBlockRunsSpikeDrivenWithoutSoftmax) {
  ImportOptions o;
  o.seq = 16;
  o.layers = 1;
  o.lm_head = false;
  o.spiking_timesteps = 4;
  o.spiking_rate = 0.1;
  const std::string w = Imported("Meta-Llama-3-8B", o, "spiking_llama");
  const RunConfig c = test::LoadYaml(test::ArchFile("spiking-mesh4x4.yaml"), w);
  for (const Layer& l : c.workload.graph->layers()) {
    EXPECT_NE(l.kind, OpKind::kSoftmax) << l.name;
    if (l.IsGemm()) {
      EXPECT_TRUE(l.spiking.enabled()) << l.name;
    }
  }
  const SimulationResult r = Simulate(c.arch, c.tech, c.workload);
  const auto& names = r.ledger.layer_names();
  for (size_t l = 0; l < names.size(); ++l) {
    if (names[l] == "L0.scores" || names[l] == "L0.q") {
      EXPECT_GT(r.ledger.LayerCountIn(static_cast<int>(l), "compute.spike_synapse"), 0) << names[l];
    }
  }
  // The same model as int8 on the MAC accelerator does the same MACs' worth of work in spikes.
  o.spiking_timesteps = 0;
  const SimRun dense = SimulateRun(Imported("Meta-Llama-3-8B", o, "dense_llama"));
  double dense_macs = 0, spiking_macs = 0;
  for (const auto& l : dense.result.layers) dense_macs += l.macs;
  for (const auto& l : r.layers) spiking_macs += l.macs;
  EXPECT_DOUBLE_EQ(dense_macs, spiking_macs);
}

}  // namespace
}  // namespace pjsim
