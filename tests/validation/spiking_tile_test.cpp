// The event-driven spiking tile: synaptic ops follow the spikes, membrane updates do not, cycles
// grow with activity, and a silent layer costs exactly its membrane updates plus leakage.
#include <gtest/gtest.h>

#include <fstream>

#include "sim/arch/spiking_kind.h"
#include "sim/config/json_reader.h"
#include "sim/graph/spiking.h"
#include "sim/run/run_report.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::SimRun;

SimRun SpikingRun(const std::string& name, double rate, std::int64_t k = 512, std::int64_t n = 16,
                  std::vector<std::string> overrides = {}) {
  const std::string path = test::FreshDir("spiking_" + name) + "/w.yaml";
  std::ofstream(path) << "name: " << name << "\nlayers:\n  - {name: fc, op: linear, m: 8, k: " << k
                      << ", n: " << n
                      << ", dtype: int8, inputs: [], spiking: {timesteps: 4, input_rate: " << rate
                      << ", output_rate: " << rate << ", membrane_bits: 16, seed: 3}}\n";
  std::vector<std::string> one_tile = test::OneTile();
  // K in one chunk (a block larger than K is clamped to it): one membrane pass per neuron step.
  one_tile.push_back("arch.mapping.constraints={block_k: 1048576}");
  overrides.insert(overrides.begin(), one_tile.begin(), one_tile.end());
  return test::SimulateYaml(test::ArchFile("spiking-mesh4x4.yaml"), path, overrides);
}

double Category(const SimRun& r, const std::string& c) {
  const auto m = r.result.ledger.EnergyByCategory();
  return m.count(c) ? m.at(c) : 0.0;
}

TEST(SpikingTile, SynapticOpsAreSpikesTimesNonzeroWeights) {
  const SimRun r = SpikingRun("synapses", 0.1);
  const double spikes = r.result.layers[0].input_spikes;
  ASSERT_GT(spikes, 0);
  // One column block (n = 16): every spike adds its 16 weights once.
  double synaptic = 0;
  for (size_t a = 0; a < r.result.ledger.actions().size(); ++a) {
    if (r.result.ledger.actions()[a].category == "compute.spike_synapse") {
      synaptic += r.result.ledger.TotalCount(static_cast<ActionId>(a));
    }
  }
  EXPECT_DOUBLE_EQ(synaptic, spikes * 16);
  // The spike count is a Binomial(m k T, rate) draw: within 5 sigma of its mean.
  const double trials = 8.0 * 512 * 4;
  EXPECT_NEAR(spikes, 0.1 * trials, 5 * std::sqrt(trials * 0.1 * 0.9));
}

TEST(SpikingTile, UtilisationCountsTheSynapticAddsTheArrayPerforms) {
  // A spiking array spends a PE-cycle per synaptic add (one spike, one weight), not per dense
  // MAC: at rate 0.1 and T = 4 the layer's dense MACs are 2.5 times its adds, and a busy array
  // read as 2.5 times busier than it can be. The report's utilisation, layer and total, is the
  // adds over PEs x cycles, and at most 1.
  const SimRun r = SpikingRun("utilisation", 0.1, 4096, 64);
  const YAML::Node report = LoadJson(ReportJson(r.config, "{}", r.result), "report.json");
  const double adds = r.result.ledger.LayerCountIn(0, kSpikeSynapseCategory);
  const double cycles = report["layers"][0]["cycles"].as<double>();
  const double pes = static_cast<double>(r.config.arch.TileCount() * r.config.arch.tile.rows *
                                         r.config.arch.tile.cols);
  const double utilisation = report["layers"][0]["compute_utilization"].as<double>();
  ASSERT_GT(adds, 0);
  EXPECT_NEAR(utilisation, adds / (pes * cycles), 1e-9);
  EXPECT_LE(utilisation, 1.0);
  EXPECT_LT(adds, 0.5 * r.result.layers[0].macs);  // the dense MACs are not the measure
  EXPECT_NEAR(report["total"]["compute_utilization"].as<double>(),
              adds / (pes * report["total"]["cycles"].as<double>()), 1e-6);
}

TEST(SpikingTile, ItsDramBoundIsTheTrainsAndTheRowsItsSpikesNeed) {
  // At rate 0.01 over m T = 32 slots an input spikes with p = 1 - 0.99^32 = 0.275, so about 28%
  // of the weight rows are ever needed, and the spike trains are smaller than the dense tensors:
  // the compulsory bytes (and the bound, which for event-driven products is the same) are those,
  // and one block of all M rows and N columns reads them (within the draw's sampling noise, 3.6%
  // here; narrower blocks fetch each row in pieces, each padded to a DRAM burst): the dense
  // figures (147 KB) would say the layer read a quarter of what it must.
  const SimRun r = SpikingRun("bound", 0.01, 2048, 64, {"arch.mapping.constraints.block_n=64"});
  const LayerResult& lr = r.result.layers[0];
  const double dense = 8.0 * 2048 + 2048.0 * 64 + 8.0 * 64;
  EXPECT_DOUBLE_EQ(lr.lower_bound_bytes, lr.compulsory_bytes);
  EXPECT_LT(lr.compulsory_bytes, 0.4 * dense);
  EXPECT_GT(lr.compulsory_bytes, 0.275 * 2048 * 64);  // the rows alone
  const YAML::Node report = LoadJson(ReportJson(r.config, "{}", r.result), "report.json");
  const double over = report["layers"][0]["mapping"]["dram_over_lower_bound"].as<double>();
  EXPECT_GT(over, 0.92);
  EXPECT_LT(over, 1.15) << lr.tiling.mapping;
}

TEST(SpikingTile, MembraneTrafficIsNeuronsTimesStepsTimesBitsTwice) {
  const SimRun r = SpikingRun("membrane", 0.0);
  // Neurons x T x 2 ops, and each neuron-step reads and writes 16 membrane bits.
  const double neuron_steps = 8.0 * 16 * 4;
  EXPECT_DOUBLE_EQ(r.result.ledger.TotalCountOf("int16_add"), 2 * neuron_steps);
  EXPECT_DOUBLE_EQ(r.result.ledger.TotalCountOf("sram_read"), neuron_steps * 16);
  EXPECT_DOUBLE_EQ(r.result.ledger.TotalCountOf("sram_write"), neuron_steps * 16);
}

// tile.spike_batch: the array reads an input's weight row once per batch of buffered (row,
// timestep) slots in which it spikes; the adds stay one per spike and weight. One task (m = 8
// rows x T = 4 timesteps = 32 slots, K in one chunk): the SRAM bits saved are exactly the row
// reads saved, 16 int8 weights each.
TEST(SpikingTile, BufferedSpikesReadEachWeightRowOncePerBatch) {
  const std::string pin = "arch.mapping.constraints={block_m: 8, block_k: 1048576, block_n: 16}";
  const SimRun one = SpikingRun("batch1", 0.1, 512, 16, {pin});
  const double spikes = one.result.layers[0].input_spikes;
  ASSERT_GT(spikes, 0);
  const double row_bits = 16 * 8;
  for (const std::int64_t batch : {4, 8, 32, 1000}) {
    const SimRun b = SpikingRun("batch" + std::to_string(batch), 0.1, 512, 16,
                                {pin, "arch.tile.spike_batch=" + std::to_string(batch)});
    ASSERT_DOUBLE_EQ(b.result.layers[0].input_spikes, spikes) << batch;  // same block, same seed
    EXPECT_DOUBLE_EQ(b.result.ledger.TotalCountOf("int16_add"),
                     one.result.ledger.TotalCountOf("int16_add"))
        << batch;
    const double reads = SpikeWeightRowReads(spikes, 0.1, 32, batch);
    EXPECT_LT(reads, spikes);
    EXPECT_NEAR(
        one.result.ledger.TotalCountOf("sram_read") - b.result.ledger.TotalCountOf("sram_read"),
        (spikes - reads) * row_bits, 1e-6 * spikes * row_bits)
        << batch;
  }
}

TEST(SpikingTile, SpikeBatchBelongsToSpikingTiles) {
  const std::string path = test::FreshDir("spike_batch_int8") + "/w.yaml";
  std::ofstream(path) << "name: w\nlayers:\n  - {name: fc, op: linear, m: 8, k: 64, n: 16, "
                         "dtype: int8, inputs: []}\n";
  try {
    test::LoadYaml(test::ArchFile("default.yaml"), path, {"arch.tile.spike_batch=16"});
    FAIL() << "spike_batch on an int8 MAC tile was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("spike_batch"), std::string::npos) << e.what();
  }
}

TEST(SpikingTile, SilentLayerCostsExactlyMembraneUpdatesPlusLeakage) {
  const SimRun r = SpikingRun("silent", 0.0);
  double expected = 0;
  for (const auto& [category, pj] : r.result.ledger.EnergyByCategory()) {
    if (category == "compute.spike_membrane" || category.rfind("leakage.", 0) == 0 ||
        category == "sram.read" || category == "sram.write") {
      expected += pj;
    }
  }
  EXPECT_DOUBLE_EQ(Category(r, "compute.spike_synapse"), 0);
  EXPECT_DOUBLE_EQ(Category(r, "dram.read"), 0);  // no spikes: no weight rows fetched
  EXPECT_DOUBLE_EQ(Category(r, "noc.link") + Category(r, "noc.router"), 0);
  EXPECT_DOUBLE_EQ(r.result.ledger.TotalEnergyPj(), expected);
  EXPECT_GT(Category(r, "compute.spike_membrane"), 0);
}

TEST(SpikingTile, CyclesGrowWithActivity) {
  const auto quiet = SpikingRun("quiet", 0.02, 4096, 256, {"arch.dram.channel_bandwidth=400 GB/s"});
  const auto busy = SpikingRun("busy", 0.3, 4096, 256, {"arch.dram.channel_bandwidth=400 GB/s"});
  EXPECT_GT(busy.result.cycles(), 3 * quiet.result.cycles());
  EXPECT_GT(busy.result.ledger.TotalEnergyPj(), quiet.result.ledger.TotalEnergyPj());
}

TEST(SpikingTile, NonSpikingLayerIsRejected) {
  const std::string path = test::FreshDir("spiking_reject") + "/w.yaml";
  std::ofstream(path)
      << "name: x\nlayers:\n  - {name: fc, op: linear, m: 8, k: 64, n: 16, dtype: int8}\n";
  const RunConfig c = test::LoadYaml(test::ArchFile("spiking-mesh4x4.yaml"), path);
  EXPECT_THROW(Simulate(c.arch, c.tech, c.workload), ConfigError);
}

}  // namespace
}  // namespace pjsim
