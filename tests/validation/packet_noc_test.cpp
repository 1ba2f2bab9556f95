// The `packet` NoC model inside the platform: its own keys, zero-load timing of writes and reads
// (request packet, then data) equal to the flit-level mesh, one flit per cycle into a tile fed by
// two channels, multicast over the route tree once per link, energy charged per bit per router
// and link actually crossed, and whole runs that move the same DRAM bytes as `simple`.
#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config_error_text.h"
#include "models/access_extension.h"
#include "models/noc/noc_model.h"
#include "models/noc/packet_mesh_sim.h"
#include "models/platform_context.h"
#include "simulate_yaml.h"
#include "tile_driver.h"

namespace pjsim {
namespace {

// A DRAM channel that serves at once and does not pace the data, so the NoC alone shapes timing.
struct InstantChannel : sc_core::sc_module {
  tlm_utils::simple_target_socket<InstantChannel> socket;
  double bytes = 0;
  explicit InstantChannel(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("s") {
    socket.register_b_transport(this, &InstantChannel::Serve);
  }
  void Serve(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    if (trans.is_read()) {
      trans.get_extension<AccessExtension>()->data_start_ps =
          Now() + static_cast<std::uint64_t>(delay.value());
    }
    bytes += trans.get_data_length();
  }
};

using Driver = test::TileDriver;

// The default architecture (4x4 mesh, 32 B/cycle links, 2-cycle hops, channels at (0, 0) and
// (3, 3), 2 KiB interleave) with the packet NoC, a NoC, two instant channels and a driver.
struct Harness : test::MeshHarness {
  std::vector<std::unique_ptr<InstantChannel>> channels;

  explicit Harness(std::vector<std::string> overrides)
      : MeshHarness(test::LoadYaml(test::ArchFile("default.yaml"), Workload(),
                                   WithPacketNoc(std::move(overrides)))) {
    for (size_t c = 0; c < config.arch.dram.channels.size(); ++c) {
      channels.push_back(std::make_unique<InstantChannel>(("ch" + std::to_string(c)).c_str()));
      noc->channel_socket.bind(channels.back()->socket);
    }
  }
  static std::vector<std::string> WithPacketNoc(std::vector<std::string> overrides) {
    overrides.push_back("arch.noc.model=packet");
    return overrides;
  }
  static std::string Workload() {
    return test::WriteWorkloadYaml(
        "packet_noc",
        "name: w\nlayers:\n  - {name: l, op: linear, m: 8, k: 8, n: 8, dtype: int8}\n");
  }
  std::int64_t Cycles(std::uint64_t ps) const {
    return static_cast<std::int64_t>(ps / ctx->clock_period_ps);
  }
  double LinkBytes() const {
    return std::accumulate(noc->link_bytes().begin(), noc->link_bytes().end(), 0.0);
  }
};

// The shape the flit-level mesh needs for the default architecture's packet NoC defaults.
PacketMeshShape DefaultShape() { return {4, 4, 2, 8, 1, 2}; }

int Hops(int a_x, int a_y, int b_x, int b_y) { return std::abs(a_x - b_x) + std::abs(a_y - b_y); }

// Tail arrival, in cycles after cycle 0, of `bytes` in 256-byte packets of 32-byte flits from
// `source` to `dest` alone in the flit-level mesh.
std::int64_t FlitLevel(int source, int dest, unsigned bytes) {
  PacketMeshSim mesh(DefaultShape());
  for (unsigned sent = 0; sent < bytes; sent += 256) {
    const unsigned packet = std::min(256u, bytes - sent);
    mesh.Send(source, {dest}, static_cast<int>((packet + 31) / 32));
  }
  std::vector<PacketDelivery> all;
  while (mesh.in_flight() > 0) mesh.Step(all);
  return all.back().delivered;
}

TEST(PacketNoc, KeysHaveDefaultsAndBadKeysNameFileLineAndKey) {
  const RunConfig ok = test::LoadYaml(test::ArchFile("default.yaml"), Harness::Workload(),
                                      {"arch.noc.model=packet"});
  EXPECT_NE(ok.arch.noc.params, nullptr);
  const std::string typo = test::ErrorOf([] {
    test::LoadYaml(test::ArchFile("default.yaml"), Harness::Workload(),
                   {"arch.noc.model=packet", "arch.noc.buffer_flit=4"});
  });
  EXPECT_NE(typo.find("'noc.buffer_flit'"), std::string::npos) << typo;
  EXPECT_NE(typo.find("did you mean 'buffer_flits'"), std::string::npos) << typo;
  const std::string fraction = test::ErrorOf([] {
    test::LoadYaml(test::ArchFile("default.yaml"), Harness::Workload(),
                   {"arch.noc.model=packet", "arch.noc.router_latency=1.5 cycles"});
  });
  EXPECT_NE(fraction.find("'noc.router_latency'"), std::string::npos) << fraction;
  EXPECT_NE(fraction.find("whole number of cycles"), std::string::npos) << fraction;
  // The simple model does not read the packet model's keys.
  const std::string foreign = test::ErrorOf([] {
    test::LoadYaml(test::ArchFile("default.yaml"), Harness::Workload(),
                   {"arch.noc.virtual_channels=4"});
  });
  EXPECT_NE(foreign.find("unknown key 'noc.virtual_channels'"), std::string::npos) << foreign;
}

TEST(PacketNoc, ZeroLoadWritesAndReadsMatchTheFlitLevelMesh) {
  Harness h({});
  // Tile (x, y) -> channel 0 at (0, 0); a read is a 16-byte request there, then the data back.
  struct Case {
    int tile;
    unsigned bytes;
  };
  const std::vector<Case> cases = {{0, 64}, {1, 1000}, {5, 256}, {15, 4096}, {10, 33}};
  std::vector<std::int64_t> write_cycles, read_cycles;
  h.Run([&](Driver& d) {
    for (const Case& c : cases) {
      const std::uint64_t t0 = Now();
      write_cycles.push_back(h.Cycles(d.Transfer(c.tile, false, 0, c.bytes) - t0));
      sc_core::wait(sc_core::sc_time(1, sc_core::SC_US));  // the mesh empties
      const std::uint64_t t1 = Now();
      read_cycles.push_back(h.Cycles(d.Transfer(c.tile, true, 0, c.bytes) - t1));
      sc_core::wait(sc_core::sc_time(1, sc_core::SC_US));
    }
  });
  for (size_t i = 0; i < cases.size(); ++i) {
    const int tile = cases[i].tile;
    EXPECT_EQ(write_cycles[i], FlitLevel(tile, 0, cases[i].bytes)) << "tile " << tile;
    EXPECT_EQ(read_cycles[i], FlitLevel(tile, 0, 16) + FlitLevel(0, tile, cases[i].bytes))
        << "tile " << tile;
    EXPECT_EQ(write_cycles[i],
              PacketMeshSim::ZeroLoadLatency(
                  DefaultShape(), Hops(tile % 4, tile / 4, 0, 0),
                  static_cast<int>(8 * (cases[i].bytes / 256) + (cases[i].bytes % 256 + 31) / 32)));
  }
}

TEST(PacketNoc, ATileFedByTwoChannelsTakesInOneFlitPerCycle) {
  // Tile 5 at (1, 1) reads 64 KiB from each channel at once: the routes share no link, only the
  // tile's ejection port, so the data needs 2 * 2048 cycles of 32 bytes.
  Harness h({});
  std::uint64_t done = 0;
  h.Run([&](Driver& d) {
    done = std::max(d.Transfer(5, true, 0, 65536), d.Transfer(5, true, 2048, 65536));
  });
  EXPECT_GE(h.Cycles(done), 2 * 65536 / 32);
  EXPECT_LE(h.Cycles(done), 2 * 65536 / 32 + 40);  // plus the latencies, not more
  EXPECT_EQ(h.channels[0]->bytes + h.channels[1]->bytes, 2 * 65536.0);
}

TEST(PacketNoc, MulticastCrossesEachTreeLinkOnceAndChargesWhatItCrosses) {
  Harness h({});
  const std::vector<int> dests = {5, 6, 10, 15};
  const unsigned bytes = 4096;
  std::vector<std::uint64_t> arrivals;
  std::uint64_t done = 0;
  h.Run([&](Driver& d) {
    done = d.Transfer(5, true, 0, bytes, dests);
    arrivals = h.driver->ext->arrival_ps;
  });
  // The XY route tree from channel 0 at (0, 0): the union of the routes' links.
  std::set<std::pair<int, int>> tree;  // (router, direction)
  for (int dest : dests) {
    int x = 0, y = 0;
    while (x != dest % 4) tree.insert({y * 4 + x++, 0});
    while (y != dest / 4) tree.insert({y++ * 4 + x, 3});
  }
  const double request_links = 2;  // tile 5 -> (0, 0)
  EXPECT_DOUBLE_EQ(h.LinkBytes(), static_cast<double>(tree.size()) * bytes + request_links * 16);
  EXPECT_EQ(h.channels[0]->bytes, bytes);  // the DRAM read once
  ASSERT_EQ(arrivals.size(), dests.size());
  const std::int64_t request = FlitLevel(5, 0, 16);
  for (size_t i = 0; i < dests.size(); ++i) {
    EXPECT_EQ(h.Cycles(arrivals[i]), request + FlitLevel(0, dests[i], bytes)) << dests[i];
  }
  EXPECT_EQ(done, *std::max_element(arrivals.begin(), arrivals.end()));
  // Energy per bit per link crossed (times its length) and per router crossed: a tree of L
  // links crosses L + 1 routers.
  const double length = h.config.arch.noc.link_length_mm;
  EXPECT_DOUBLE_EQ(h.ledger.TotalCount(h.actions.noc_link), h.LinkBytes() * 8 * length);
  EXPECT_DOUBLE_EQ(
      h.ledger.TotalCount(h.actions.noc_router),
      8.0 * bytes * static_cast<double>(tree.size() + 1) + 8.0 * 16 * (request_links + 1));
}

TEST(PacketNoc, WholeRunsMoveTheSameDramBytesAsSimpleAndChargeTheirLinkBytes) {
  const std::string workload =
      test::WriteWorkloadYaml("packet_noc_run",
                              "name: small\nlayers:\n"
                              "  - {name: up, op: linear, m: 32, k: 512, n: 768, dtype: int8}\n"
                              "  - {name: down, op: linear, m: 32, k: 768, n: 512, dtype: int8}\n");
  // One mapping for both (the search prices the packet NoC's trains and may pick another).
  const std::vector<std::string> pinned = {
      "arch.mapping.constraints.block_m=32", "arch.mapping.constraints.block_k=256",
      "arch.mapping.constraints.block_n=32", "arch.mapping.constraints.grid_m=1",
      "arch.mapping.constraints.grid_n=16"};
  std::vector<std::string> packet_noc = pinned;
  packet_noc.push_back("arch.noc.model=packet");
  const test::SimRun simple = test::SimulateYaml(test::ArchFile("default.yaml"), workload, pinned);
  const test::SimRun packet =
      test::SimulateYaml(test::ArchFile("default.yaml"), workload, packet_noc);
  for (size_t l = 0; l < simple.result.layers.size(); ++l)
    ASSERT_EQ(simple.result.layers[l].tiling.mapping, packet.result.layers[l].tiling.mapping);
  ASSERT_EQ(simple.result.channels.size(), packet.result.channels.size());
  for (size_t c = 0; c < simple.result.channels.size(); ++c) {
    EXPECT_EQ(packet.result.channels[c].bytes_read, simple.result.channels[c].bytes_read);
    EXPECT_EQ(packet.result.channels[c].bytes_written, simple.result.channels[c].bytes_written);
  }
  const auto total = [](const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0);
  };
  // The same data over the same XY routes, plus the read requests.
  EXPECT_GT(total(packet.result.link_bytes), total(simple.result.link_bytes));
  EXPECT_LT(total(packet.result.link_bytes), 1.05 * total(simple.result.link_bytes));
  const double length = packet.config.arch.noc.link_length_mm;
  EXPECT_NEAR(packet.result.ledger.TotalCountOf("link_traversal"),
              total(packet.result.link_bytes) * 8 * length, 1e-9 * total(packet.result.link_bytes));
  EXPECT_GT(packet.result.total_ps, 0u);
}

}  // namespace
}  // namespace pjsim
