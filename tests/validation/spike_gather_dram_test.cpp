// Spiking weight-row gathers pay for their DRAM locality: the same active inputs (same spikes,
// same synaptic ops, same bytes into SRAM) cost more DRAM activations and more bytes read when
// they are scattered over the weight matrix than when they are adjacent, because each scattered
// row is fetched in whole bursts from its own place; and every byte read is either kept in an
// SRAM or counted as gather overfetch.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <string>

#include "npy_file.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

// A (1, 1, k) spike train whose input i spikes once when on(i).
void WriteTrain(const std::string& path, std::int64_t k,
                const std::function<bool(std::int64_t)>& on) {
  std::string data;
  for (std::int64_t i = 0; i < k; ++i) data += on(i) ? '\x01' : '\x00';
  test::WriteNpy(
      path,
      "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, " + std::to_string(k) + "), }",
      data);
}

struct Outcome {
  double activations = 0, dram_read = 0, sram_fill = 0, overfetch = 0, synaptic = 0;
  double weight_read = 0;  // operand B bytes read from DRAM, padding included
};

Outcome Gather(const std::string& name, std::int64_t n,
               const std::function<bool(std::int64_t)>& on) {
  const std::string dir = test::FreshDir(name);
  WriteTrain(dir + "/spikes.npy", 1024, on);
  std::ofstream(dir + "/w.yaml") << "name: gather\nlayers:\n  - {name: fc, op: linear, m: 1, k: "
                                    "1024, n: "
                                 << n
                                 << ", dtype: int8, inputs: [], spiking: {timesteps: 1, trace: "
                                    "spikes.npy, output_rate: 0.1}}\n";
  const test::SimRun r =
      test::SimulateYaml(test::ArchFile("spiking-mesh4x4.yaml"), dir + "/w.yaml", test::OneTile());
  Outcome o;
  const auto& ledger = r.result.ledger;
  for (size_t a = 0; a < ledger.actions().size(); ++a) {
    const double count = ledger.TotalCount(static_cast<ActionId>(a));
    if (ledger.actions()[a].category == "dram.activate") o.activations += count;
    if (ledger.actions()[a].category == "compute.spike_synapse") o.synaptic += count;
  }
  o.dram_read = test::ChannelReadBytes(r.result);
  o.sram_fill = ledger.TotalCountOf("sram_fill") / 8;
  o.overfetch = r.result.gather_overfetch_bytes;
  o.weight_read = r.result.layers[0].operand_b_bytes;
  // Every byte read from DRAM lands in an SRAM or is the padding of a gathered burst.
  EXPECT_DOUBLE_EQ(o.dram_read, o.sram_fill + o.overfetch - r.result.multicast_copy_bytes -
                                    r.result.reduction_bytes)
      << name;
  return o;
}

TEST(SpikeGatherDram, ScatteredRowsCostActivationsAndWholeBursts) {
  // 64 active inputs of 1024: adjacent (0..63) or one in every 16. Rows of 16 int8 weights are
  // 16 bytes, a quarter of the 64-byte burst; 16 rows apart they are 256 bytes apart.
  const auto adjacent = [](std::int64_t i) { return i < 64; };
  const auto scattered = [](std::int64_t i) { return i % 16 == 0; };
  const Outcome a = Gather("gather_adjacent", 16, adjacent);
  const Outcome s = Gather("gather_scattered", 16, scattered);
  EXPECT_DOUBLE_EQ(a.synaptic, s.synaptic);  // the same work
  // The same rows kept: 64 rows of 16 bytes.
  EXPECT_DOUBLE_EQ(a.weight_read - a.overfetch, 64.0 * 16);
  EXPECT_DOUBLE_EQ(s.weight_read - s.overfetch, 64.0 * 16);
  EXPECT_DOUBLE_EQ(a.overfetch, 0);                 // adjacent rows fill their bursts
  EXPECT_DOUBLE_EQ(s.overfetch, 64.0 * (64 - 16));  // each row alone in its burst
  // The adjacent rows are 1 KiB, one DRAM row; the scattered ones span 16 KiB.
  EXPECT_GE(s.activations, a.activations + 6);

  // Rows of a whole burst (64 int8 weights) waste nothing, scattered or not, but still
  // activate a DRAM row per 2 KiB they span.
  const Outcome wa = Gather("gather_wide_adjacent", 64, adjacent);
  const Outcome ws = Gather("gather_wide_scattered", 64, scattered);
  EXPECT_DOUBLE_EQ(ws.overfetch, 0);
  EXPECT_DOUBLE_EQ(ws.weight_read, wa.weight_read);
  EXPECT_DOUBLE_EQ(ws.weight_read, 64.0 * 64);
  EXPECT_GT(ws.activations, wa.activations);
}

TEST(SpikeGatherDram, EveryInputActiveReadsTheChunkAsOneRange) {
  const Outcome all = Gather("gather_all", 16, [](std::int64_t) { return true; });
  EXPECT_DOUBLE_EQ(all.overfetch, 0);
}

}  // namespace
}  // namespace pjsim
