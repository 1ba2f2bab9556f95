// The `jedec` controller's idle-controller stream (a request that finds the controller idle has
// its row runs placed in address order, without the queue, while FR-FCFS would pick each in
// turn) against the scheduler (the same controller with the stream off) and burst-by-burst
// scheduling (`exact: true`): on randomized streams of one request at a time (the per-transaction
// adapter) over the presets with row runs (the column field lowest, tCCD_L no longer than a
// burst), every request's times, every count, the state times and the latency histogram must be
// the same.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "jedec_fast_path_check.h"
#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

TEST(JedecStream, PlacesWhatTheSchedulerPlaces) {
  using Sets = std::vector<std::pair<std::string, std::string>>;
  const std::vector<std::pair<std::string, Sets>> configs = {
      {"hbm2e", {}},
      {"lpddr4-3200", {}},
      {"lpddr5-6400", {}},
      {"hbm2e", {{"read_queue", "8"}, {"write_queue", "8"}}},  // runs split by the queue's room
      {"hbm2e", {{"power_down_idle", "8"}}},                   // wake-ups: runs through Commit
      {"hbm2e", {{"scheduler", "fcfs"}}},
      {"lpddr4-3200", {{"address_mapping", "robgbarachco"}}},  // consecutive rows in one bank
  };
  unsigned seed = 100;
  for (const auto& [preset, sets] : configs) {
    JedecParams p = test::JedecPreset(preset, sets);
    std::string name = preset;
    for (const auto& [k, v] : sets) name += " " + k + "=" + v;
    for (int round = 0; round < 3; ++round) {
      const std::vector<JedecRequest> requests = test::RandomStream(p, ++seed);
      const std::string what = name + " seed " + std::to_string(seed);
      const test::Outcome streamed = test::OneAtATime(p, requests, true);
      const test::Outcome scheduled = test::OneAtATime(p, requests, false);
      test::ExpectSame(streamed, scheduled, what);
      // The stream placed most bursts (else this compares the scheduler with itself).
      EXPECT_GT(streamed.streamed * 2,
                static_cast<std::uint64_t>(streamed.stats.rd + streamed.stats.wr))
          << what;
      EXPECT_EQ(scheduled.streamed, 0u) << what;
      // Row runs of one request at a time are what burst-by-burst scheduling places too.
      JedecParams exact = p;
      exact.exact = true;
      test::ExpectSame(streamed, test::OneAtATime(exact, requests, true), what + " exact");
    }
  }
}

// A request whose second row run is in an open row while its first must be activated: FR-FCFS
// serves the hit first (its data comes CL after the request arrives, not tRCD later), and so does
// the fast mode, as burst-by-burst scheduling does (the stream kept address order before).
TEST(JedecStream, ServesALaterOpenRowFirstAsFrFcfsDoes) {
  JedecParams p = test::JedecPreset("hbm2e");
  const JedecAddressMap map(p);
  const auto run = static_cast<std::uint64_t>(p.columns / p.burst_length) *
                   static_cast<std::uint64_t>(p.BurstBytes());
  const std::uint64_t base = 64 * run;
  const JedecAddress first = map.Decode(base), second = map.Decode(base + run);
  ASSERT_EQ(second.column, 0u);
  ASSERT_EQ(first.rank, second.rank);
  ASSERT_TRUE(first.bank != second.bank || first.bank_group != second.bank_group);
  JedecCompletion done[2];
  for (const bool exact : {false, true}) {
    p.exact = exact;
    JedecController c(p);
    const JedecCompletion warm = c.RunUntil(c.Submit({base + run, run, false, 0}));
    done[exact] = c.RunUntil(c.Submit({base, 2 * run, false, warm.done_ps}));
    EXPECT_EQ(done[exact].first_data_ps, warm.done_ps + p.ClocksToPs(p.CL)) << exact;
    EXPECT_EQ(c.stats().act, 2) << exact;
  }
  EXPECT_EQ(done[0].done_ps, done[1].done_ps);
}

// Requests of one burst to several rows, most at one of a few addresses seen before (so that
// later runs find their rows open: hits that StreamRows leaves to Stream), the rest anywhere; a
// quarter writes; back to back, a little later, or across refreshes and power-downs.
std::vector<JedecRequest> RevisitingStream(const JedecParams& p, unsigned seed) {
  std::mt19937_64 rng(seed);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  const auto row = static_cast<std::uint64_t>(p.columns / p.burst_length) * burst;
  std::vector<std::uint64_t> seen = {0};
  std::vector<JedecRequest> out;
  std::uint64_t t = 0;
  for (int i = 0; i < 400; ++i) {
    std::uint64_t address = seen[rng() % seen.size()] + (rng() % 3) * row;
    if (rng() % 4 == 0) address = rng() % (256 * row) / burst * burst;
    if (rng() % 6 == 0) address += burst * (rng() % 8);
    const std::uint64_t bytes = rng() % 5 == 0 ? burst * (1 + rng() % 8) : row * (1 + rng() % 12);
    const std::uint64_t gap = rng() % 4;
    t += gap < 2 ? 0 : gap == 2 ? rng() % (100 * test::kNs) : rng() % (8000 * test::kNs);
    out.push_back({address, bytes, rng() % 4 == 0, t});
    if (seen.size() < 8) seen.push_back(address);
  }
  return out;
}

// StreamRows places several row runs per stream step with the rank's state in locals: it must
// place exactly what the stream places one run per step, every request's times, count and state
// time to the bit, one request at a time and as requests arrive (a run is decided only before the
// next arrival), on one-rank presets with row runs and the variants that make it stop early.
TEST(JedecStream, SeveralRowRunsPerStepPlaceWhatOneRunPerStepPlaces) {
  using Sets = std::vector<std::pair<std::string, std::string>>;
  const std::vector<std::pair<std::string, Sets>> configs = {
      {"hbm2e", {}},
      {"hbm2e", {{"read_queue", "8"}, {"write_queue", "8"}}},    // runs split by the queue's room
      {"hbm2e", {{"read_queue", "64"}, {"write_queue", "64"}}},  // a window of several runs
      {"hbm2e", {{"power_down_idle", "8"}}},                     // wake-ups: through Commit
      {"hbm2e", {{"scheduler", "fcfs"}}},
      {"hbm2e", {{"refresh", "false"}}},
      {"hbm2e", {{"power_down", "false"}}},
      {"lpddr4-3200", {}},
      {"lpddr5-6400", {}},
      {"lpddr4-3200", {{"address_mapping", "robgbarachco"}}},  // consecutive rows in one bank
  };
  unsigned seed = 300;
  for (const auto& [preset, sets] : configs) {
    const JedecParams p = test::JedecPreset(preset, sets);
    std::string name = preset;
    for (const auto& [k, v] : sets) name += " " + k + "=" + v;
    for (int round = 0; round < 4; ++round) {
      const std::vector<JedecRequest> requests =
          round % 2 == 0 ? test::RandomStream(p, ++seed) : RevisitingStream(p, ++seed);
      const std::string what = name + " seed " + std::to_string(seed);
      const test::Outcome rows = test::OneAtATimeRows(p, requests, true, true);
      const test::Outcome one = test::OneAtATimeRows(p, requests, true, false);
      test::ExpectSame(rows, one, what);
      EXPECT_EQ(rows.streamed, one.streamed) << what;
      EXPECT_GT(rows.stream_row_runs, 100u) << what;  // else this compares Stream with itself
      EXPECT_EQ(one.stream_row_runs, 0u) << what;
      const test::Outcome rows_arriving = test::IncrementalRows(p, requests, true, true);
      test::ExpectSame(rows_arriving, test::IncrementalRows(p, requests, true, false),
                       what + " as they arrive");
      EXPECT_GT(rows_arriving.stream_row_runs, 0u) << what;
    }
  }
}

}  // namespace
}  // namespace pjsim
