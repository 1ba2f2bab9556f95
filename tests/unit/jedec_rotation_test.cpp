// The `jedec` controller's rotations (a request alone in the controller whose bursts rotate over
// the bank groups, the bank group field below the column) against burst-by-burst scheduling
// (`exact: true`, one FR-FCFS decision per burst): on randomized streams of one request at a
// time over DDR4 x8/x16 and DDR5 with such mappings, every request's times, every count, the
// state times and the latency histogram must be the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

constexpr std::uint64_t kNs = 1000;

struct Outcome {
  JedecStats stats;
  JedecStateTimes states;
  std::vector<JedecCompletion> completions;
  std::uint64_t rotated = 0;
};

// One request at a time, each run to completion (the platform's per-transaction service).
Outcome OneAtATime(const JedecParams& p, const std::vector<JedecRequest>& requests) {
  JedecController c(p);
  Outcome o;
  std::uint64_t end = 0;
  for (const JedecRequest& r : requests) {
    o.completions.push_back(c.RunUntil(c.Submit(r)));
    end = std::max(end, o.completions.back().done_ps);
  }
  c.RefreshUntil(end + 50 * kNs);
  o.stats = c.stats();
  o.states = c.StateTimes(end + 50 * kNs);
  o.rotated = c.RotatedBursts();
  return o;
}

// As the SystemC adapter with `interleave_transactions`: requests handed over as they arrive,
// the decisions due before each arrival taken before it.
Outcome Incremental(const JedecParams& p, const std::vector<JedecRequest>& requests) {
  JedecController c(p);
  c.TrackCompletions();
  Outcome o;
  std::vector<std::uint64_t> ids;
  for (const JedecRequest& r : requests) {
    c.RunBefore(r.arrival_ps);
    ids.push_back(c.Submit(r));
  }
  c.RunBefore(std::numeric_limits<std::uint64_t>::max());
  std::uint64_t end = 0;
  for (const std::uint64_t id : ids) {
    o.completions.push_back(c.Collect(id));
    end = std::max(end, o.completions.back().done_ps);
  }
  c.RefreshUntil(end + 50 * kNs);
  o.stats = c.stats();
  o.states = c.StateTimes(end + 50 * kNs);
  o.rotated = c.RotatedBursts();
  return o;
}

// Requests of 1 burst to 40 KiB (a few row-run sets) at random or continuing addresses, some
// unaligned, a quarter writes; arrivals back to back (each request queued behind the last),
// a little later, or microseconds later (refresh and power-down between them).
std::vector<JedecRequest> Stream(const JedecParams& p, unsigned seed) {
  std::mt19937_64 rng(seed);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  const std::uint64_t span = 64ull << 20;
  std::vector<JedecRequest> out;
  std::uint64_t t = 0, address = 0;
  for (int i = 0; i < 300; ++i) {
    const std::uint64_t kind = rng() % 8;
    const std::uint64_t bytes = kind == 0   ? burst * (1 + rng() % 4)
                                : kind == 1 ? 1 + rng() % (4 * burst)
                                            : burst * (1 + rng() % 640);
    if (rng() % 3 != 0) address = rng() % span / burst * burst + (rng() % 5 == 0 ? 8 : 0);
    const std::uint64_t gap = rng() % 3;
    t += gap == 0 ? 0 : gap == 1 ? rng() % (200 * kNs) : rng() % (20000 * kNs);
    out.push_back({address, bytes, rng() % 4 == 0, t});
    address += bytes;
  }
  return out;
}

void ExpectSame(const Outcome& a, const Outcome& b, const std::string& what) {
  EXPECT_EQ(a.stats.act, b.stats.act) << what;
  EXPECT_EQ(a.stats.pre, b.stats.pre) << what;
  EXPECT_EQ(a.stats.rd, b.stats.rd) << what;
  EXPECT_EQ(a.stats.wr, b.stats.wr) << what;
  EXPECT_EQ(a.stats.ref, b.stats.ref) << what;
  EXPECT_EQ(a.stats.row_hits, b.stats.row_hits) << what;
  EXPECT_EQ(a.stats.row_misses, b.stats.row_misses) << what;
  EXPECT_EQ(a.stats.bytes_read, b.stats.bytes_read) << what;
  EXPECT_EQ(a.stats.bytes_written, b.stats.bytes_written) << what;
  EXPECT_EQ(a.stats.bus_busy_ps, b.stats.bus_busy_ps) << what;
  EXPECT_EQ(a.stats.refresh_ps, b.stats.refresh_ps) << what;
  EXPECT_EQ(a.stats.reads, b.stats.reads) << what;
  EXPECT_EQ(a.stats.read_latency_histogram, b.stats.read_latency_histogram) << what;
  EXPECT_EQ(a.states.standby_ns, b.states.standby_ns) << what;
  EXPECT_EQ(a.states.active_ns, b.states.active_ns) << what;
  EXPECT_EQ(a.states.precharge_powerdown_ns, b.states.precharge_powerdown_ns) << what;
  EXPECT_EQ(a.states.active_powerdown_ns, b.states.active_powerdown_ns) << what;
  ASSERT_EQ(a.completions.size(), b.completions.size()) << what;
  for (size_t i = 0; i < a.completions.size(); ++i) {
    EXPECT_EQ(a.completions[i].accepted_ps, b.completions[i].accepted_ps) << what << " " << i;
    EXPECT_EQ(a.completions[i].first_data_ps, b.completions[i].first_data_ps) << what << " " << i;
    ASSERT_EQ(a.completions[i].done_ps, b.completions[i].done_ps) << what << " " << i;
  }
}

TEST(JedecRotation, PlacesWhatBurstByBurstSchedulingPlaces) {
  using Sets = std::vector<std::pair<std::string, std::string>>;
  const Sets bg_low = {{"address_mapping", "rorabacobg"}};
  const auto with = [&](Sets more) {
    more.insert(more.begin(), bg_low.begin(), bg_low.end());
    return more;
  };
  const std::vector<std::pair<std::string, Sets>> configs = {
      {"ddr4-3200-x16", bg_low},  // two groups: each decision forced (tCCD_L = two bursts)
      {"ddr4-3200-x8", bg_low},   // four groups: several ready at once, the oldest wins
      {"ddr5-4800", bg_low},      // eight groups, BL16
      {"ddr4-3200-x16", with({{"read_queue", "8"}, {"write_queue", "8"}})},
      {"ddr4-3200-x16", with({{"power_down_idle", "8"}})},
      {"ddr4-3200-x8", with({{"address_mapping", "robacorabg"}})},
      {"ddr5-4800", with({{"refresh_mode", "per_bank"}})},
  };
  unsigned seed = 0;
  for (const auto& [preset, sets] : configs) {
    JedecParams p = test::JedecPreset(preset, sets);
    std::string name = preset;
    for (const auto& [k, v] : sets) name += " " + k + "=" + v;
    for (int round = 0; round < 3; ++round) {
      const std::vector<JedecRequest> requests = Stream(p, ++seed);
      const std::string what = name + " seed " + std::to_string(seed);
      for (const auto drive : {OneAtATime, Incremental}) {
        const std::string how = what + (drive == OneAtATime ? " one at a time" : " incremental");
        p.exact = false;
        const Outcome fast = drive(p, requests);
        p.exact = true;
        const Outcome exact = drive(p, requests);
        ExpectSame(fast, exact, how);
        // The rotations placed most bursts (else this compares the scheduler with itself), a
        // tenth at least where requests overlap (a third arrive with the last one, which the
        // scheduler then serves together).
        EXPECT_GT(fast.rotated * (drive == OneAtATime ? 2 : 10),
                  static_cast<std::uint64_t>(fast.stats.rd + fast.stats.wr))
            << how;
        EXPECT_EQ(exact.rotated, 0u) << how;
      }
    }
  }
}

// A mapping with the column lowest keeps a request's bursts in one bank: no rotations.
TEST(JedecRotation, OnlyWhereTheBankGroupIsBelowTheColumn) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x16");
  JedecController c(p);
  c.RunUntil(c.Submit({0, 64 * 1024, false, 0}));
  EXPECT_EQ(c.RotatedBursts(), 0u);
}

}  // namespace
}  // namespace pjsim
