// Imported Mamba-2 models simulated on the shipped 8x8 architecture: a decode pass reads and writes
// the fixed-size heads x head_dim x state recurrent state, so it costs exactly the same at
// position 100 and 10,000; prefill's chunked SSD is charged exactly the algorithm's arithmetic
// (Dao & Gu, arXiv:2405.21060, Listing 1): its matmuls' MACs and the vector ops between them.
#include <gtest/gtest.h>

#include <string>

#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

// state-spaces/mamba2-130m's dimensions (see tests/unit/mamba2_params_test.cpp).
HfModelSpec Mamba2_130m() {
  return ParseHfConfig(R"json({"model_type": "mamba2", "hidden_size": 768,
    "num_hidden_layers": 24, "state_size": 128, "expand": 2, "head_dim": 64, "num_heads": 24,
    "n_groups": 1, "conv_kernel": 4, "vocab_size": 50288, "chunk_size": 256,
    "tie_word_embeddings": true})json",
                       "mamba2-130m.json");
}

test::SimRun Simulate(ImportOptions o, const std::string& tag) {
  o.layers = 2;
  const std::string yaml = BuildTransformerWorkload(Mamba2_130m(), o, "m2");
  return test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"),
                            test::WriteWorkloadYaml("mamba2_ssd_" + tag, yaml));
}

test::SimRun Decode(std::int64_t position) {
  ImportOptions o;
  o.decode = true;
  o.seq = position;
  o.decode_tokens = 1;
  return Simulate(o, "decode_" + std::to_string(position));
}

double WrittenBytes(const SimulationResult& r) {
  double bytes = 0;
  for (const ChannelResult& c : r.channels) bytes += c.bytes_written;
  return bytes;
}

int LayerIndex(const test::SimRun& run, const std::string& name) {
  const auto& layers = run.config.workload.graph->layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i].name == name) return static_cast<int>(i);
  }
  throw std::runtime_error("no layer " + name);
}

double Vector(const test::SimRun& run, const std::string& layer) {
  return run.result.ledger.LayerCountIn(LayerIndex(run, layer), "compute.vector");
}

constexpr double kHeads = 24, kHeadDim = 64, kState = 128;

TEST(Mamba2Decode, APassCostsTheSameAtAnyPosition) {
  const test::SimRun near = Decode(100);
  const test::SimRun far = Decode(10000);
  EXPECT_EQ(near.result.total_ps, far.result.total_ps);
  EXPECT_DOUBLE_EQ(near.result.ledger.TotalEnergyPj(), far.result.ledger.TotalEnergyPj());
  EXPECT_DOUBLE_EQ(test::ChannelReadBytes(near.result), test::ChannelReadBytes(far.result));
  EXPECT_DOUBLE_EQ(WrittenBytes(near.result), WrittenBytes(far.result));
  // The step reads the 24 x 64 x 128 state (int8) and writes the new one.
  const Tiling& scan = near.result.layers[LayerIndex(near, "L0.scan")].tiling;
  EXPECT_DOUBLE_EQ(scan.planned_dram_read_bytes, kHeads * kHeadDim * kState);
  EXPECT_DOUBLE_EQ(scan.planned_dram_write_bytes, kHeads * kHeadDim * kState);
  // Per state a*h, (dt*x)*B, C*h and two adds; per channel dt*x and D*x; per head exp(dt*A).
  EXPECT_DOUBLE_EQ(Vector(near, "L1.scan"), kHeads * kHeadDim * (kState * 5 + 2));
  EXPECT_DOUBLE_EQ(Vector(near, "L1.decay"), kHeads * 2);
  // The conv window covers x, B and C: 1536 + 2 x 128 channels, 4 taps.
  const Tiling& conv = near.result.layers[LayerIndex(near, "L0.conv")].tiling;
  EXPECT_DOUBLE_EQ(conv.planned_dram_read_bytes, 2.0 * 1792 * 4);
}

TEST(Mamba2Prefill, TheChunkedScanIsChargedTheAlgorithmsArithmetic) {
  ImportOptions o;
  o.seq = 512;  // two chunks of Q = 256
  const test::SimRun run = Simulate(o, "prefill");
  const double c = 2, q = 256, t = 512, h = kHeads, p = kHeadDim, n = kState;
  const auto& layers = run.config.workload.graph->layers();
  const auto macs = [&](const std::string& name) {
    return static_cast<double>(layers[static_cast<size_t>(LayerIndex(run, name))].Macs());
  };
  // The four matmuls: C B^T per chunk (one group), (C B^T o L) X, the chunk states and the
  // state-to-output product, each per chunk and head.
  EXPECT_DOUBLE_EQ(
      macs("L0.ssd_cb") + macs("L0.ssd_diag") + macs("L0.ssd_states") + macs("L0.ssd_off"),
      c * q * q * n + c * h * q * q * p + 2 * c * h * p * q * n);
  // X = x dt (per channel) with dA = dt A and its running sum (per token and head).
  EXPECT_DOUBLE_EQ(Vector(run, "L0.ssd_discretize"), t * h * (p + 2));
  // L = exp(cum_i - cum_j) times C B^T: subtract, exp, multiply per entry of every head's Q x Q.
  EXPECT_DOUBLE_EQ(Vector(run, "L0.ssd_mask"), c * h * q * q * 3);
  // Decay to the chunk's end: subtract and exp per token and head, a multiply per channel.
  EXPECT_DOUBLE_EQ(Vector(run, "L0.ssd_state_decay"), t * h * (p + 2));
  // State passing: exp of the chunk's decay, then a multiply-add per state element and chunk.
  EXPECT_DOUBLE_EQ(Vector(run, "L0.ssd_state_pass"), c * h * (2 * p * n + 1));
  // y = y_diag + exp(cum) y_off, then + D x.
  EXPECT_DOUBLE_EQ(Vector(run, "L0.ssd_out"), t * h * (2 * p + 1));
  EXPECT_DOUBLE_EQ(Vector(run, "L0.ssd_skip"), t * h * 2 * p);
  // The conv runs over x, B and C; the time step over one dt per head.
  EXPECT_DOUBLE_EQ(Vector(run, "L0.conv"), t * 1792 * 4 * 2);
  EXPECT_DOUBLE_EQ(Vector(run, "L0.dt"), t * h * 4);
  EXPECT_GT(run.result.total_ps, 0u);
}

}  // namespace
}  // namespace pjsim
