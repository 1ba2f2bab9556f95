// Tiles sharing a first-come-first-served DRAM, request by request
// (sim/mapping/fcfs_request_replay.h): exact schedules of small cases, the wait a small load
// pays behind a large one (which a mean-rate model misses), and the DRAM kept busy when every
// tile waits on it.
#include "sim/mapping/fcfs_request_replay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace pjsim {
namespace {

// `n` tasks of `compute` cycles, `load` bytes loaded and `store` stored, on one or two buffers.
std::vector<QueuedTask> Tasks(int n, double compute, double load, double store, bool single) {
  QueuedTask t;
  t.compute_cycles = compute;
  t.load_bytes = load;
  t.store_bytes = store;
  t.single_buffered = single;
  return std::vector<QueuedTask>(n, t);
}

TEST(FcfsRequestReplay, ATileAloneOverlapsItsLoadsWithItsCompute) {
  // 10 B/cycle, 20 cycles round trip: each 400 B load takes 40 + 20, under the task's 100 cycles
  // of compute, so only the first shows; the last task's 200 B store follows its end.
  const auto tasks = Tasks(5, 100, 400, 200, false);
  EXPECT_DOUBLE_EQ(FcfsReplayFinishCycles({tasks}, 10, 20)[0], 60 + 5 * 100 + 20);
  // Loads slower than compute: a tile has one load in flight, issued when the task before it
  // starts, i.e. when that task's data arrived: each step pays the service and the round trip.
  const auto slow = Tasks(5, 10, 1000, 0, false);
  EXPECT_DOUBLE_EQ(FcfsReplayFinishCycles({slow}, 10, 20)[0], 5 * (100 + 20) + 10);
  // One buffer: every load waits for the task before it to end.
  const auto single = Tasks(5, 100, 400, 0, true);
  EXPECT_DOUBLE_EQ(FcfsReplayFinishCycles({single}, 10, 20)[0], 5 * (60 + 100));
  // Operands already on chip: no request.
  const auto resident = Tasks(4, 100, 0, 0, false);
  EXPECT_DOUBLE_EQ(FcfsReplayFinishCycles({resident}, 10, 20)[0], 400);
}

TEST(FcfsRequestReplay, ASmallLoadWaitsForTheWholeLargeLoadAheadOfIt) {
  // Tile 0 issues one 10 kB load at 0 (1000 cycles at 10 B/cycle); tile 1's loads of 100 B and
  // 50 cycles of compute each, also from 0, go after it (ties in tile order). Its first load is
  // served at 1010; from then on each load (10 cycles) hides under the task before it.
  const std::vector<std::vector<QueuedTask>> tiles = {Tasks(1, 10, 10000, 0, false),
                                                      Tasks(20, 50, 100, 0, false)};
  const std::vector<double> f = FcfsReplayFinishCycles(tiles, 10, 0);
  EXPECT_DOUBLE_EQ(f[0], 1010);
  EXPECT_DOUBLE_EQ(f[1], 1010 + 20 * 50);
  // (At a mean rate, tile 1 asks 2 B/cycle of the 10 and would not wait at all: 10 + 20 x 50.)
}

TEST(FcfsRequestReplay, TilesThatAllWaitOnTheDramKeepItBusy) {
  // Eight tiles with loads far slower than their compute: the DRAM never idles, the last tile
  // finishes when every byte has moved (plus its last task and round trip).
  std::vector<std::vector<QueuedTask>> tiles;
  double bytes = 0;
  for (int i = 0; i < 8; ++i) {
    tiles.push_back(Tasks(10 + i, 1, 64.0 * (i + 1), 32, false));
    bytes += (10 + i) * (64.0 * (i + 1) + 32);
  }
  const std::vector<double> f = FcfsReplayFinishCycles(tiles, 4, 0);
  EXPECT_NEAR(*std::max_element(f.begin(), f.end()), bytes / 4, 1.0 + 1e-9 * bytes);
  // Same inputs, same finishes.
  EXPECT_EQ(FcfsReplayFinishCycles(tiles, 4, 0), f);
}

TEST(FcfsRequestReplay, ASharedLoadIssuesWhenItsLastReceiverDoes) {
  // A multicast share is read once, when the last of its receivers has a buffer for it: tile 0
  // computes 100 cycles first (one buffer), tile 1 waits for it; the 400 bytes at 10 B/cycle and
  // a 20-cycle round trip then reach both at 160.
  std::vector<std::vector<QueuedTask>> tiles = {Tasks(2, 100, 0, 0, true),
                                                Tasks(1, 50, 0, 0, false)};
  tiles[0][1].compute_cycles = 30;
  tiles[0][1].requests = {0};
  tiles[1][0].requests = {0};
  const std::vector<QueuedRequest> shared = {{{400}, {0, 1}}};
  const std::vector<double> finish = FcfsReplayFinishCycles(tiles, 10, 20, shared);
  EXPECT_DOUBLE_EQ(finish[0], 160 + 30);
  EXPECT_DOUBLE_EQ(finish[1], 160 + 50);
}

}  // namespace
}  // namespace pjsim
