// Graded and ternary spikes on the spiking tile: payload bits follow the level encoding, a
// level-k spike costs popcount(k) adds and lane passes, a sign costs nothing extra to add.
#include <gtest/gtest.h>

#include <fstream>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::SimRun;

SimRun GradedRun(const std::string& name, const std::string& extra) {
  const std::string path = test::FreshDir("graded_" + name) + "/w.yaml";
  std::ofstream(path) << "name: " << name
                      << "\nlayers:\n  - {name: fc, op: linear, m: 8, k: 512, n: 16, "
                      << "dtype: int8, inputs: [], spiking: {timesteps: 4, input_rate: 0.1, seed: 3"
                      << extra << "}}\n";
  std::vector<std::string> overrides = test::OneTile();
  // A wide scratchpad port, so the array's lane passes, not weight-row reads, set the pace.
  overrides.push_back("arch.tile.sram.port_width=4096 B/cycle");
  // One input block: K in one chunk (a block larger than K is clamped to it).
  overrides.push_back("arch.mapping.constraints={block_k: 1048576}");
  return test::SimulateYaml(test::ArchFile("spiking-mesh4x4.yaml"), path, overrides);
}

double Synaptic(const SimRun& r) {
  return r.result.ledger.LayerCountIn(0, "compute.spike_synapse");
}

double ActivationBytesRead(const SimRun& r) {
  double bytes = 0;
  for (const auto& c : r.result.channels) bytes += c.bytes_read;
  return bytes - r.result.layers[0].operand_b_bytes;
}

double BytesWritten(const SimRun& r) {
  double bytes = 0;
  for (const auto& c : r.result.channels) bytes += c.bytes_written;
  return bytes;
}

TEST(GradedSpikingTile, TernarySpikesCostOneAddAndTwoBitmapBits) {
  const SimRun binary = GradedRun("binary", ", encoding: bitmap");
  const SimRun ternary = GradedRun("ternary", ", encoding: bitmap, signed_spikes: true");
  const double spikes = binary.result.layers[0].input_spikes;
  ASSERT_GT(spikes, 0);
  EXPECT_DOUBLE_EQ(ternary.result.layers[0].input_spikes, spikes);  // same seed, same events
  EXPECT_DOUBLE_EQ(Synaptic(binary), spikes * 16);
  EXPECT_DOUBLE_EQ(Synaptic(ternary), spikes * 16);  // -1 subtracts: still one add
  // Bitmaps: m x k x T cells in, m x n x T cells out, of 1 (binary) or 2 (ternary) bits.
  EXPECT_DOUBLE_EQ(ActivationBytesRead(binary), 8.0 * 512 * 4 / 8);
  EXPECT_DOUBLE_EQ(ActivationBytesRead(ternary), 8.0 * 512 * 4 * 2 / 8);
  EXPECT_DOUBLE_EQ(BytesWritten(binary), 8.0 * 16 * 4 / 8);
  EXPECT_DOUBLE_EQ(BytesWritten(ternary), 8.0 * 16 * 4 * 2 / 8);
}

TEST(GradedSpikingTile, AerEventsCarryLevelBits) {
  const SimRun binary = GradedRun("aer1", ", encoding: aer");
  const SimRun graded = GradedRun("aer4", ", encoding: aer, spike_levels: 4, signed_spikes: true");
  const double spikes = binary.result.layers[0].input_spikes;
  // 4096 inputs in the block: 12 address + 2 timestep bits, plus 2 level + 1 sign bits.
  EXPECT_DOUBLE_EQ(ActivationBytesRead(binary), std::ceil(spikes * 14 / 8));
  EXPECT_DOUBLE_EQ(ActivationBytesRead(graded), std::ceil(spikes * 17 / 8));
}

TEST(GradedSpikingTile, LevelKSpikesCostPopcountAddsAndCycles) {
  const SimRun binary = GradedRun("lvl1", "");
  const SimRun graded = GradedRun("lvl3", ", spike_levels: 3");
  const double spikes = binary.result.layers[0].input_spikes;
  EXPECT_DOUBLE_EQ(Synaptic(graded), spikes * 16 * 4.0 / 3);  // levels 1, 2, 3: 1, 1, 2 adds
  // Weight rows are read once per spike whatever its level.
  EXPECT_DOUBLE_EQ(graded.result.layers[0].operand_b_bytes,
                   binary.result.layers[0].operand_b_bytes);
  EXPECT_GT(graded.result.layers[0].tile_busy_ps, binary.result.layers[0].tile_busy_ps);
}

TEST(GradedSpikingTile, GradedAttentionIsRejectedWithItsKey) {
  const std::string path = test::FreshDir("graded_attention") + "/w.yaml";
  std::ofstream(path)
      << "name: a\nlayers:\n  - {name: s, op: attention_scores, heads: 2, head_dim: 16, q_len: 8,"
         " kv_len: 8, dtype: int8, inputs: [],\n     spiking: {timesteps: 2, input_rate: 0.1,"
         " spike_levels: 2}}\n";
  try {
    test::LoadYaml(test::ArchFile("spiking-mesh4x4.yaml"), path);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("spike_levels"), std::string::npos) << e.what();
    EXPECT_EQ(e.where().line, 4) << e.what();
  }
}

}  // namespace
}  // namespace pjsim
