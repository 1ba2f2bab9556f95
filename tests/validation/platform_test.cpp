// Properties of the simulated platform that would fail if the model were wrong: conservation of
// energy and bytes, roofline limits measured from the simulation, contention, scaling laws and
// determinism.
#include <gtest/gtest.h>

#include "sim/run/run_report.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::SimRun;

std::string WorkloadFile(const std::string& name, const std::string& layers_yaml) {
  return test::WriteWorkloadYaml("platform_" + name, "name: " + name + "\nlayers:\n" + layers_yaml);
}

SimRun Simulate(const std::string& workload_path, std::vector<std::string> overrides = {}) {
  return test::SimulateYaml(test::ArchFile("default.yaml"), workload_path, std::move(overrides));
}

std::string Linear(std::int64_t m, std::int64_t k, std::int64_t n) {
  return "  - {name: l, op: linear, m: " + std::to_string(m) + ", k: " + std::to_string(k) +
         ", n: " + std::to_string(n) + ", dtype: int8}\n";
}

double CountIn(const SimulationResult& r, const std::string& category) {
  double sum = 0;
  for (int l = 0; l < r.ledger.layer_count(); ++l) sum += r.ledger.LayerCountIn(l, category);
  return sum;
}

double CountOf(const SimulationResult& r, const std::string& action) {
  return r.ledger.TotalCountOf(action);
}

// Memory-bound: a decode-like matrix-vector product streams 16 MiB of weights once.
const std::string kMemoryBound = Linear(1, 4096, 4096);
// Compute-bound: a large GEMM with plenty of reuse per byte.
const std::string kComputeBound = Linear(1024, 1024, 1024);
const std::vector<std::string> kFastMemory = {"arch.dram.channel_bandwidth=400 GB/s",
                                              "arch.noc.link_width=512 B/cycle"};

TEST(Conservation, CategoriesAndLayersSumToTotal) {
  const SimRun r = Simulate(test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml");
  const double total = r.result.ledger.TotalEnergyPj();
  double by_category = 0, by_layer = 0;
  for (const auto& [c, pj] : r.result.ledger.EnergyByCategory()) by_category += pj;
  for (int l = 0; l < r.result.ledger.layer_count(); ++l)
    by_layer += r.result.ledger.LayerEnergyPj(l);
  EXPECT_GT(total, 0);
  EXPECT_NEAR(by_category, total, total * 1e-12);
  EXPECT_NEAR(by_layer, total, total * 1e-12);
}

TEST(Conservation, BytesLeavingDramArriveInSramAndMatchThePlan) {
  const SimRun r = Simulate(test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml");
  double channel_read = 0, channel_written = 0, planned_read = 0, planned_write = 0;
  for (const auto& c : r.result.channels) {
    channel_read += c.bytes_read;
    channel_written += c.bytes_written;
  }
  for (const auto& l : r.result.layers) {
    planned_read += l.tiling.planned_dram_read_bytes;
    planned_write += l.tiling.planned_dram_write_bytes;
  }
  EXPECT_DOUBLE_EQ(CountIn(r.result, "dram.read") / 8, channel_read);
  // Every byte read lands in SRAM, a multicast one in each of its receivers.
  EXPECT_GT(r.result.multicast_copy_bytes, 0);
  EXPECT_DOUBLE_EQ(CountOf(r.result, "sram_fill") / 8,
                   channel_read + r.result.multicast_copy_bytes + r.result.reduction_bytes -
                       r.result.gather_overfetch_bytes);
  EXPECT_DOUBLE_EQ(channel_read, planned_read);
  EXPECT_DOUBLE_EQ(channel_written, planned_write);
  EXPECT_DOUBLE_EQ(CountIn(r.result, "dram.write") / 8, channel_written);
}

TEST(Conservation, EveryMacIsExecutedOnce) {
  const SimRun r = Simulate(WorkloadFile("macs", Linear(100, 300, 70)));  // ragged edges everywhere
  EXPECT_DOUBLE_EQ(CountOf(r.result, "int8_mult"), 100.0 * 300 * 70);
  EXPECT_DOUBLE_EQ(CountOf(r.result, "int32_add"), 100.0 * 300 * 70);
}

TEST(Roofline, MemoryBoundLayerTakesBytesOverBandwidth) {
  const SimRun r = Simulate(WorkloadFile("membound", kMemoryBound));
  double bytes = 0;
  for (const auto& c : r.result.channels) bytes += c.bytes_read + c.bytes_written;
  const double bw = r.config.arch.dram.channel_bandwidth_bytes_per_s *
                    static_cast<double>(r.config.arch.dram.channels.size());
  const double ideal = bytes / bw;
  EXPECT_GE(r.result.seconds(), ideal * 0.999);
  EXPECT_LE(r.result.seconds(), ideal * 1.10)
      << "measured " << r.result.seconds() << " s, bytes/bw " << ideal;
}

TEST(Roofline, ComputeBoundLayerTakesMacsOverPeak) {
  const SimRun r = Simulate(WorkloadFile("compbound", kComputeBound), kFastMemory);
  const auto& a = r.config.arch;
  const double peak = static_cast<double>(a.TileCount() * a.tile.rows * a.tile.cols);
  const double ideal = 1024.0 * 1024 * 1024 / peak;
  const auto cycles = static_cast<double>(r.result.cycles());
  EXPECT_GE(cycles, ideal);
  EXPECT_LE(cycles, ideal * 1.10) << "measured " << cycles << " cycles, MACs/peak " << ideal;
}

TEST(Roofline, DoublingDramBandwidthHelpsOnlyTheMemoryBoundLayer) {
  const std::string mem = WorkloadFile("mem2x", kMemoryBound);
  const std::string comp = WorkloadFile("comp2x", kComputeBound);
  const double mem1 = Simulate(mem, {"arch.dram.channel_bandwidth=6.4 GB/s"}).result.seconds();
  const double mem2 = Simulate(mem, {"arch.dram.channel_bandwidth=12.8 GB/s"}).result.seconds();
  const double comp1 = Simulate(comp, kFastMemory).result.seconds();
  const double comp2 =
      Simulate(comp, {"arch.dram.channel_bandwidth=800 GB/s", "arch.noc.link_width=512 B/cycle"})
          .result.seconds();
  EXPECT_NEAR(mem1 / mem2, 2.0, 0.2);
  EXPECT_NEAR(comp1 / comp2, 1.0, 0.03);
}

TEST(Contention, TwoTilesStreamingFromOneChannelContend) {
  // One tile streams its weights alone; then two tiles each stream the same amount from the one
  // channel. Without contention both would take the same time.
  const std::vector<std::string> one_tile = {"arch.mesh.width=1", "arch.mesh.height=1",
                                             "arch.dram.channels=[{x: 0, y: 0}]",
                                             "arch.dram.channel_bandwidth=2 GB/s"};
  const std::vector<std::string> two_tiles = {"arch.mesh.width=2", "arch.mesh.height=1",
                                              "arch.dram.channels=[{x: 0, y: 0}]",
                                              "arch.dram.channel_bandwidth=2 GB/s"};
  const double t1 =
      Simulate(WorkloadFile("cont1", Linear(1, 2048, 256)), one_tile).result.seconds();
  const double t2 =
      Simulate(WorkloadFile("cont2", Linear(1, 2048, 512)), two_tiles).result.seconds();
  EXPECT_GT(t2 / t1, 1.8) << "one tile " << t1 << " s, two tiles sharing the channel " << t2
                          << " s";
}

TEST(Scaling, DoublingKDoublesComputeEnergy) {
  const SimRun a = Simulate(WorkloadFile("k1", Linear(256, 512, 256)));
  const SimRun b = Simulate(WorkloadFile("k2", Linear(256, 1024, 256)));
  const double ea = a.result.ledger.EnergyByCategory().at("compute.int8_mac");
  const double eb = b.result.ledger.EnergyByCategory().at("compute.int8_mac");
  EXPECT_DOUBLE_EQ(eb / ea, 2.0);
}

TEST(Scaling, HalvingTilesRoughlyDoublesComputeBoundCycles) {
  const std::string w = WorkloadFile("halve", kComputeBound);
  auto full = kFastMemory;
  auto half = kFastMemory;
  half.push_back("arch.mesh.height=2");
  half.push_back("arch.dram.channels=[{x: 0, y: 0}, {x: 3, y: 1}]");
  const double c16 = static_cast<double>(Simulate(w, full).result.cycles());
  const double c8 = static_cast<double>(Simulate(w, half).result.cycles());
  EXPECT_NEAR(c8 / c16, 2.0, 0.2);
}

TEST(Scaling, DoubleBufferingOverlapsLoadsWithCompute) {
  // One tile, loads and compute of similar length: overlapping them nearly halves the time.
  // (With many tiles sharing DRAM, other tiles keep the memory busy anyway.) All runs are held
  // to one mapping: the search would otherwise pick other blocks for one buffer.
  const std::string w = WorkloadFile("dbuf", Linear(256, 1024, 256));
  const std::vector<std::string> one_tile = {"arch.mesh.width=1", "arch.mesh.height=1",
                                             "arch.dram.channels=[{x: 0, y: 0}]",
                                             "arch.dram.channel_bandwidth=6.4 GB/s",
                                             "arch.mapping.constraints={block_m: 64, block_k: "
                                             "256, block_n: 64, resident: none}"};
  const auto with = [&](const std::string& set) {
    auto config = one_tile;
    config.push_back(set);
    return Simulate(w, config);
  };
  const SimRun on = with("arch.mapping.constraints.buffers=2");
  const SimRun off = with("arch.mapping.double_buffering=false");
  // A mapping of one buffer on tiles that have two runs as tiles that have one: each task takes
  // both buffers.
  const SimRun single = with("arch.mapping.constraints.buffers=1");
  EXPECT_EQ(on.result.layers[0].tiling.block_k, off.result.layers[0].tiling.block_k);
  EXPECT_LT(on.result.seconds(), off.result.seconds() * 0.7)
      << "double buffering on " << on.result.seconds() << " s, off " << off.result.seconds()
      << " s";
  EXPECT_EQ(single.result.total_ps, off.result.total_ps);
  EXPECT_NE(single.result.layers[0].tiling.mapping.find("single-buffered"), std::string::npos)
      << single.result.layers[0].tiling.mapping;
}

TEST(Determinism, SameInputsGiveIdenticalReports) {
  const std::string w = test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml";
  const SimRun a = Simulate(w);
  const SimRun b = Simulate(w);
  EXPECT_EQ(ReportJson(a.config, "{}", a.result), ReportJson(b.config, "{}", b.result));
}

TEST(Leakage, EveryComponentLeaksForTheWholeRun) {
  const SimRun r = Simulate(WorkloadFile("leak", Linear(64, 256, 64)));
  const auto& a = r.config.arch;
  const double cycles =
      static_cast<double>(r.result.total_ps) / static_cast<double>(r.result.clock_period_ps);
  EXPECT_NEAR(CountOf(r.result, "mac_pe"),
              cycles * static_cast<double>(a.TileCount() * a.tile.rows * a.tile.cols),
              1e-6 * cycles);
  EXPECT_NEAR(CountOf(r.result, "router"), cycles * static_cast<double>(a.TileCount()),
              1e-6 * cycles);
}

}  // namespace
}  // namespace pjsim
