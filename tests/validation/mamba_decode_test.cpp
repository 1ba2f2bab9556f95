// Imported Mamba models simulated on the shipped 8x8 architecture: a decode pass reads and writes
// the fixed-size recurrent and conv states, so it costs exactly the same at position 100 and
// 10,000, while an attention model's decode pass grows linearly with the KV cache; the selective
// scan is charged its exact per-state arithmetic in prefill and decode, a lane spending a cycle per
// state; spiking Mamba runs.
#include <gtest/gtest.h>

#include <string>

#include "sim/workload/hf_config.h"
#include "sim/workload/transformer_builder.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

HfModelSpec Mamba130m() {
  return LoadHfConfig(test::SourceDir() + "/workloads/hf/mamba-130m-hf.config.json");
}

// An attention model of mamba-130m's width (GPT-3 Small-like: 12 heads of 64).
HfModelSpec Attention130m() {
  return ParseHfConfig(R"json({"model_type": "llama", "hidden_size": 768,
    "intermediate_size": 2048, "num_hidden_layers": 12, "num_attention_heads": 12,
    "vocab_size": 50280, "tie_word_embeddings": true})json",
                       "attention.json");
}

test::SimRun Simulate(const HfModelSpec& s, ImportOptions o, const std::string& arch) {
  o.layers = 2;
  const std::string yaml = BuildTransformerWorkload(s, o, "m");
  const std::string name = "mamba_decode_" + std::to_string(o.seq) + (o.decode ? "_d" : "_p") +
                           std::to_string(o.spiking_timesteps) + s.model_type;
  return test::SimulateYaml(test::ArchFile(arch), test::WriteWorkloadYaml(name, yaml));
}

test::SimRun Decode(const HfModelSpec& s, std::int64_t position) {
  ImportOptions o;
  o.decode = true;
  o.seq = position;
  o.decode_tokens = 1;
  return Simulate(s, o, "mesh8x8-int8-hbm.yaml");
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

TEST(MambaDecode, APassCostsTheSameAtAnyPosition) {
  const test::SimRun near = Decode(Mamba130m(), 100);
  const test::SimRun far = Decode(Mamba130m(), 10000);
  EXPECT_EQ(near.result.total_ps, far.result.total_ps);
  EXPECT_DOUBLE_EQ(near.result.ledger.TotalEnergyPj(), far.result.ledger.TotalEnergyPj());
  EXPECT_DOUBLE_EQ(test::ChannelReadBytes(near.result), test::ChannelReadBytes(far.result));
  EXPECT_DOUBLE_EQ(WrittenBytes(near.result), WrittenBytes(far.result));
  // The scan reads the state h and A (1536 x 16 each, int8) and writes the new state.
  const Tiling& scan = near.result.layers[LayerIndex(near, "L0.scan")].tiling;
  EXPECT_DOUBLE_EQ(scan.planned_dram_read_bytes, 2.0 * 1536 * 16);
  EXPECT_DOUBLE_EQ(scan.planned_dram_write_bytes, 1536.0 * 16);
  // The conv reads its window (3 cached tokens + the new one) and the taps, writes the window.
  const Tiling& conv = near.result.layers[LayerIndex(near, "L0.conv")].tiling;
  EXPECT_DOUBLE_EQ(conv.planned_dram_read_bytes, 2.0 * 1536 * 4);
  EXPECT_DOUBLE_EQ(conv.planned_dram_write_bytes, 1536.0 * 4);
}

TEST(MambaDecode, AttentionGrowsLinearlyWithThePosition) {
  const test::SimRun a = Decode(Attention130m(), 100);
  const test::SimRun b = Decode(Attention130m(), 5050);
  const test::SimRun c = Decode(Attention130m(), 10000);
  const double ra = test::ChannelReadBytes(a.result), rb = test::ChannelReadBytes(b.result),
               rc = test::ChannelReadBytes(c.result);
  const double ea = a.result.ledger.TotalEnergyPj(), eb = b.result.ledger.TotalEnergyPj(),
               ec = c.result.ledger.TotalEnergyPj();
  // Both halves of the range add the same KV cache: K and V, 2 layers x 768 int8 per token.
  EXPECT_NEAR(rb - ra, 4950.0 * 2 * 2 * 768, 0.02 * (rb - ra));
  EXPECT_NEAR(rc - rb, rb - ra, 0.02 * (rb - ra));
  EXPECT_GT(eb, ea);
  EXPECT_NEAR(ec - eb, eb - ea, 0.05 * (eb - ea));
  EXPECT_GT(c.result.total_ps, a.result.total_ps);
}

TEST(MambaPrefill, TheScanIsChargedItsExactArithmetic) {
  ImportOptions o;
  o.seq = 64;
  const test::SimRun run = Simulate(Mamba130m(), o, "mesh8x8-int8-hbm.yaml");
  const int scan = LayerIndex(run, "L0.scan");
  // Per token and channel dt*x and D*x; per state exp, 4 multiplies and 2 adds.
  EXPECT_DOUBLE_EQ(run.result.ledger.LayerCountIn(scan, "compute.vector"),
                   64.0 * 1536 * (2 + 16 * 7));
  // It streams x and dt in and y out; the state stays in the tiles.
  const Tiling& t = run.result.layers[static_cast<size_t>(scan)].tiling;
  EXPECT_DOUBLE_EQ(t.planned_dram_read_bytes, 2.0 * 64 * 1536);
  EXPECT_DOUBLE_EQ(t.planned_dram_write_bytes, 64.0 * 1536);
  const int conv = LayerIndex(run, "L0.conv");
  EXPECT_DOUBLE_EQ(run.result.ledger.LayerCountIn(conv, "compute.vector"), 64.0 * 1536 * 4 * 2);
}

TEST(MambaPrefill, TheInnerLoopTakesALaneOneCyclePerStep) {
  const auto busy = [](int states) {
    const std::string w = test::WriteWorkloadYaml(
        "mamba_inner_" + std::to_string(states),
        "name: scan\nlayers:\n  - {name: s, op: elementwise, function: selective_scan, m: 512, "
        "n: 1536, inner: " +
            std::to_string(states) + ", dtype: int8}\n");
    const test::SimRun run = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), w);
    EXPECT_DOUBLE_EQ(run.result.ledger.LayerCountIn(0, "compute.vector"),
                     512.0 * 1536 * (2 + states * 7));
    return static_cast<double>(run.result.layers[0].tile_busy_ps);
  };
  EXPECT_NEAR(busy(32) / busy(16), 2.0, 0.02);
}

TEST(MambaDecode, ScanStepIsChargedItsExactArithmetic) {
  const test::SimRun run = Decode(Mamba130m(), 100);
  EXPECT_DOUBLE_EQ(run.result.ledger.LayerCountIn(LayerIndex(run, "L1.scan"), "compute.vector"),
                   1536.0 * (2 + 16 * 7));
}

TEST(MambaSpiking, SpikingProjectionsRun) {
  ImportOptions o;
  o.seq = 32;
  o.spiking_timesteps = 4;
  o.spiking_rate = 0.1;
  const test::SimRun run = Simulate(Mamba130m(), o, "spiking-mesh4x4.yaml");
  EXPECT_GT(run.result.total_ps, 0u);
  for (const std::string name : {"L0.in_proj_x", "L0.x_proj", "L0.dt_proj", "L1.out_proj"}) {
    const int i = LayerIndex(run, name);
    EXPECT_TRUE(run.config.workload.graph->layers()[static_cast<size_t>(i)].spiking.enabled());
    EXPECT_GT(run.result.layers[static_cast<size_t>(i)].input_spikes, 0) << name;
  }
}

}  // namespace
}  // namespace pjsim
