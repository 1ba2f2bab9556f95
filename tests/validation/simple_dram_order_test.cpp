// The `simple` DRAM channel serves requests in the order they reach it, not the order they were
// issued in. A store's data crosses the mesh before its channel sees it, a load's request does
// not, so a load issued just after a store from a far tile reaches the channel first: it must not
// wait behind the store's data still on its way (it did, when the channel reserved its bus in
// call order: a layer whose stores crossed a narrow mesh ran up to a third slower). Requests that
// arrive in order are still served in order, the bus returning their data one after another even
// where a later one's bank is ready first.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/memory/dram_model.h"
#include "sim/config/dram_model_registry.h"
#include "simulate_yaml.h"
#include "tile_driver.h"

namespace pjsim {
namespace {

using Driver = test::TileDriver;

// The default architecture (4 x 4 mesh, 32 B/cycle links, channels at (0, 0) and (3, 3), 2 KiB
// interleave and rows, 16 banks) with its `simple` NoC and DRAM, driven from the tiles.
struct Harness : test::MeshHarness {
  std::vector<std::unique_ptr<DramModel>> channels;

  Harness()
      : MeshHarness(
            test::LoadYaml(test::ArchFile("default.yaml"),
                           test::WriteWorkloadYaml("simple_dram_order",
                                                   "name: w\nlayers:\n  - {name: l, op: "
                                                   "linear, m: 8, k: 8, n: 8, dtype: int8}\n"))) {
    const auto& dram = DramModelRegistry().Get("simple");
    for (size_t c = 0; c < config.arch.dram.channels.size(); ++c) {
      channels.push_back(dram.make("dram" + std::to_string(c), static_cast<int>(c), *ctx));
      noc->channel_socket.bind(channels.back()->socket);
    }
  }
};

// Channel 0 (at tile 0's router) holds addresses 0-2047 (bank 0), 4096-6143 (bank 1) and
// 8192-10239 (bank 2); tile 15 is six hops from it.
constexpr std::uint64_t kBank0 = 0, kBank1 = 4096, kBank2 = 8192;

void Idle() { sc_core::wait(sc_core::sc_time(2, sc_core::SC_US)); }
sc_core::sc_time Ps(std::uint64_t ps) { return sc_core::sc_time::from_value(ps); }

TEST(SimpleDramOrder, ALoadIsNotHeldBehindAStoreStillCrossingTheMesh) {
  Harness h;
  std::uint64_t alone = 0, beside_store = 0, store_done = 0, store_alone = 0;
  h.Run([&](Driver& d) {
    // Open banks 0 and 1's rows: the store and loads below all hit.
    d.Transfer(0, true, kBank1, 64);
    d.Transfer(0, true, kBank0, 64);
    Idle();
    std::uint64_t t = Now();
    alone = d.Transfer(0, true, kBank1, 64) - t;
    Idle();
    t = Now();
    store_alone = d.Transfer(15, false, kBank0, 2048) - t;
    Idle();
    // The store is issued first, but its 2 KiB take 64 cycles onto the mesh and six hops to the
    // channel; the load's request is there at once.
    t = Now();
    store_done = d.Transfer(15, false, kBank0, 2048) - t;
    beside_store = d.Transfer(0, true, kBank1, 64) - t;
  });
  EXPECT_GT(alone, 0u);
  EXPECT_EQ(beside_store, alone) << "the load waited for the store's data";
  EXPECT_EQ(store_done, store_alone) << "the load finished before the store's data arrived";
}

TEST(SimpleDramOrder, RequestsThatArriveInOrderAreServedInOrder) {
  Harness h;
  std::uint64_t hit_alone = 0, miss_end = 0, hit_after_miss = 0, write_end = 0,
                load_after_write = 0;
  h.Run([&](Driver& d) {
    d.Transfer(0, true, kBank1, 64);
    Idle();
    std::uint64_t t = Now();
    hit_alone = d.Transfer(0, true, kBank1, 64) - t;
    Idle();
    // A miss (bank 2 precharges and activates), then a hit to bank 1 a cycle later: the hit's
    // bank is ready first, but its data follows the miss's on the bus.
    t = Now();
    miss_end = d.Transfer(0, true, kBank2 + 2048 * 16 * 2, 64) - t;  // another row of bank 2
    sc_core::wait(Ps(h.ctx->clock_period_ps));
    hit_after_miss = d.Transfer(0, true, kBank1, 64) - t;
    Idle();
    // A store from the channel's own tile (its data there after 2 cycles' serialization of
    // 64 B), then a load issued once that data has arrived: after the store.
    t = Now();
    write_end = d.Transfer(0, false, kBank0, 64) - t;
    sc_core::wait(Ps(10 * h.ctx->clock_period_ps));
    load_after_write = d.Transfer(0, true, kBank1, 64) - t;
  });
  EXPECT_GT(miss_end, hit_alone + h.ctx->clock_period_ps);
  // The hit's 64 B take the bus after the miss's: 2.5 ns at 25.6 GB/s.
  EXPECT_EQ(hit_after_miss, miss_end + 2500);
  EXPECT_GE(load_after_write, write_end + 2500);
}

}  // namespace
}  // namespace pjsim
