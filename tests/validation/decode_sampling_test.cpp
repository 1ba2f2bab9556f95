// Sampled decode (workload key `decode_sampling`, models/decode_sampler.h) against the same
// decode simulated in full: the totals it changes stay within the error bound it reports, the
// counts it does not extrapolate are unchanged, and it says when it could not apply.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "sim/config/config_error.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

// One decoder block, 40 decode passes: the projections replay, the three attention layers
// grow by one KV position per pass (re-planned each pass: what sampling extrapolates).
std::string DecodeBlock(int tokens, int kv_len) {
  const std::string kv = std::to_string(kv_len);
  return "name: sampled_block\nphase: decode\ndecode_tokens: " + std::to_string(tokens) +
         "\ntokens_per_pass: 1\nlayers:\n"
         "  - {name: norm, op: norm, function: rmsnorm, m: 1, n: 512, dtype: int8, inputs: []}\n"
         "  - {name: q, op: linear, m: 1, k: 512, n: 512, dtype: int8, inputs: [norm]}\n"
         "  - {name: k, op: linear, m: 1, k: 512, n: 128, dtype: int8, inputs: [norm]}\n"
         "  - {name: v, op: linear, m: 1, k: 512, n: 128, dtype: int8, inputs: [norm]}\n"
         "  - {name: scores, op: attention_scores, sequences: 1, heads: 4, kv_heads: 1, "
         "head_dim: 128, q_len: 1, kv_len: " +
         kv +
         ", dtype: int8, inputs: [q, k]}\n"
         "  - {name: softmax, op: softmax, m: 4, n: " +
         kv +
         ", dtype: int8, inputs: [scores]}\n"
         "  - {name: context, op: attention_context, sequences: 1, heads: 4, kv_heads: 1, "
         "head_dim: 128, q_len: 1, kv_len: " +
         kv +
         ", dtype: int8, inputs: [softmax, v]}\n"
         "  - {name: o, op: linear, m: 1, k: 512, n: 512, dtype: int8, inputs: [context]}\n"
         "  - {name: up, op: linear, m: 1, k: 512, n: 2048, dtype: int8, inputs: [o]}\n"
         "  - {name: down, op: linear, m: 1, k: 2048, n: 512, dtype: int8, inputs: [up]}\n";
}

constexpr int kGrowingLayers = 3;  // scores, softmax, context

double LeakagePj(const SimulationResult& r) {
  double pj = 0;
  for (const auto& [category, e] : r.ledger.EnergyByCategory()) {
    if (category.starts_with("leakage")) pj += e;
  }
  return pj;
}

class SampledDecode : public ::testing::TestWithParam<const char*> {};

TEST_P(SampledDecode, StaysWithinTheErrorBoundItReports) {
  const int tokens = 40;
  const std::string w = test::WriteWorkloadYaml("decode_sampling", DecodeBlock(tokens, 1000));
  const test::SimRun full = test::SimulateYaml(test::ArchFile(GetParam()), w);
  const test::SimRun sampled =
      test::SimulateYaml(test::ArchFile(GetParam()), w, {"workload.decode_sampling=8"});
  const DecodeSamplingResult& s = sampled.result.decode_sampling;
  ASSERT_TRUE(s.applied) << s.not_applied;
  EXPECT_EQ(s.interval, 8);
  EXPECT_EQ(full.result.decode_sampling.interval, 0);
  // Every run of a growing layer is either simulated in detail or extrapolated, and most are
  // extrapolated; detailed runs after the first two of a line are checks.
  EXPECT_EQ(s.detailed_runs + s.extrapolated_runs, kGrowingLayers * tokens);
  EXPECT_GT(s.extrapolated_runs, s.detailed_runs);
  EXPECT_GT(s.checks, 0);

  // Time: within the bound (a bound of zero would need an exact extrapolation).
  const double dt = std::fabs(static_cast<double>(sampled.result.total_ps) -
                              static_cast<double>(full.result.total_ps));
  EXPECT_LE(dt, s.error_bound_ps) << "bound " << s.error_bound_ps << " ps";
  EXPECT_LT(s.error_bound_ps, 0.02 * static_cast<double>(full.result.total_ps));
  // Dynamic energy (leakage follows the time): within its bound.
  const double full_dynamic = full.result.ledger.TotalEnergyPj() - LeakagePj(full.result);
  const double sampled_dynamic = sampled.result.ledger.TotalEnergyPj() - LeakagePj(sampled.result);
  EXPECT_LE(std::fabs(sampled_dynamic - full_dynamic), s.error_bound_pj);
  EXPECT_LT(s.error_bound_pj, 0.02 * full_dynamic);
  // What the plans fix is not extrapolated: MACs and tile tasks are exact; DRAM bytes follow
  // the KV length, exactly linear here.
  double full_macs = 0, sampled_macs = 0;
  for (const LayerResult& l : full.result.layers) full_macs += l.macs;
  for (const LayerResult& l : sampled.result.layers) sampled_macs += l.macs;
  EXPECT_EQ(sampled_macs, full_macs);
  EXPECT_EQ(sampled.result.tile_tasks, full.result.tile_tasks);
  const double full_bytes = test::ChannelReadBytes(full.result);
  EXPECT_NEAR(test::ChannelReadBytes(sampled.result), full_bytes, 1e-3 * full_bytes);
  // Per pass (a token's latency), the extrapolated passes follow the full run's.
  ASSERT_EQ(sampled.result.passes.size(), full.result.passes.size());
  std::uint64_t a_before = 0, b_before = 0;
  for (size_t p = 0; p < full.result.passes.size(); ++p) {
    const std::uint64_t a = full.result.passes[p].end_ps, b = sampled.result.passes[p].end_ps;
    const auto full_pass = static_cast<double>(a - a_before);
    EXPECT_NEAR(static_cast<double>(b - b_before), full_pass, 0.01 * full_pass) << "pass " << p;
    a_before = a;
    b_before = b;
  }
}

INSTANTIATE_TEST_SUITE_P(Archs, SampledDecode,
                         ::testing::Values("default.yaml", "mesh8x8-int8-hbm.yaml"));

TEST(DecodeSampling, OneSimulatesEveryPassInDetail) {
  const std::string w = test::WriteWorkloadYaml("decode_sampling_one", DecodeBlock(12, 300));
  const test::SimRun full = test::SimulateYaml(test::ArchFile("default.yaml"), w);
  const test::SimRun one =
      test::SimulateYaml(test::ArchFile("default.yaml"), w, {"workload.decode_sampling=1"});
  EXPECT_EQ(one.result.decode_sampling.interval, 0);
  EXPECT_EQ(one.result.total_ps, full.result.total_ps);
  EXPECT_EQ(one.result.ledger.TotalEnergyPj(), full.result.ledger.TotalEnergyPj());
}

TEST(DecodeSampling, SaysWhyWhereRunsCannotBeReplayed) {
  const std::string w = test::WriteWorkloadYaml("decode_sampling_jedec", DecodeBlock(12, 300));
  const test::SimRun full = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm-jedec.yaml"), w);
  const test::SimRun sampled = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm-jedec.yaml"), w,
                                                  {"workload.decode_sampling=4"});
  const DecodeSamplingResult& s = sampled.result.decode_sampling;
  EXPECT_EQ(s.interval, 4);
  EXPECT_FALSE(s.applied);
  EXPECT_NE(s.not_applied.find("jedec"), std::string::npos) << s.not_applied;
  EXPECT_EQ(s.extrapolated_runs, 0);
  EXPECT_EQ(sampled.result.total_ps, full.result.total_ps);  // simulated in full
}

TEST(DecodeSampling, RefusedOutsideDecodeAtItsLine) {
  const std::string w = test::WriteWorkloadYaml(
      "decode_sampling_prefill",
      "name: p\nphase: prefill\ntokens_per_pass: 4\ndecode_sampling: 8\nlayers:\n"
      "  - {name: a, op: linear, m: 4, k: 64, n: 64, dtype: int8, inputs: []}\n");
  try {
    test::LoadYaml(test::ArchFile("default.yaml"), w);
    FAIL() << "decode_sampling on a prefill was accepted";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(":4:"), std::string::npos) << what;
    EXPECT_NE(what.find("decode_sampling"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace pjsim
