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

#include "jedec_fast_path_check.h"
#include "jedec_preset.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

using test::ExpectSame;
using test::Incremental;
using test::OneAtATime;
using test::Outcome;

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
      // Consecutive row-run sets in one bank (the row right above the column): a request's
      // queue holds a row hit and a miss of one bank at once.
      {"ddr4-3200-x16", with({{"address_mapping", "rabarocobg"}})},
      // A queue deeper than a request: every set of it queued at once.
      {"ddr4-3200-x8", with({{"read_queue", "2048"}, {"write_queue", "2048"}})},
  };
  unsigned seed = 0;
  for (const auto& [preset, sets] : configs) {
    JedecParams p = test::JedecPreset(preset, sets);
    std::string name = preset;
    for (const auto& [k, v] : sets) name += " " + k + "=" + v;
    for (int round = 0; round < 3; ++round) {
      const std::vector<JedecRequest> requests = test::RandomStream(p, ++seed);
      const std::string what = name + " seed " + std::to_string(seed);
      for (const auto drive : {OneAtATime, Incremental}) {
        const std::string how = what + (drive == OneAtATime ? " one at a time" : " incremental");
        p.exact = false;
        const Outcome fast = drive(p, requests, true);
        p.exact = true;
        const Outcome exact = drive(p, requests, true);
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

// Requests of many row-run sets each (the DDR4 archs' decode transactions are two to five):
// at each set's boundary the next set's ACTs and its first bursts are decided where one bank
// group alone can issue, without planning the other queued entries, and whole cycles resume
// right after; every outcome must still be burst-by-burst scheduling's. Refresh every 2 us
// (it falls inside boundaries), power-down after 8 clocks, 8-entry queues, writes.
TEST(JedecRotation, SetBoundariesMatchBurstByBurstScheduling) {
  using Sets = std::vector<std::pair<std::string, std::string>>;
  const std::vector<std::pair<std::string, Sets>> configs = {
      {"ddr4-3200-x16", {}},
      {"ddr4-3200-x16", {{"tREFI", "3200"}}},
      {"ddr4-3200-x16", {{"power_down_idle", "8"}, {"read_queue", "8"}, {"write_queue", "8"}}},
      {"ddr4-3200-x8", {}},  // four groups: several can issue at once, the general pick
  };
  unsigned seed = 100;
  for (const auto& [preset, more] : configs) {
    Sets sets = {{"address_mapping", "rorabacobg"}};
    sets.insert(sets.end(), more.begin(), more.end());
    JedecParams p = test::JedecPreset(preset, sets);
    std::string name = preset;
    for (const auto& [k, v] : sets) name += " " + k + "=" + v;
    const auto set_bytes =
        static_cast<std::uint64_t>(p.bank_groups * p.columns / p.burst_length * p.BurstBytes());
    std::mt19937_64 rng(++seed);
    std::vector<JedecRequest> requests;
    std::uint64_t t = 0, boundaries = 0;
    for (int i = 0; i < 120; ++i) {
      const std::uint64_t bytes = (2 + rng() % 14) * set_bytes / 2 + (rng() % 4) * 64;
      const std::uint64_t address = rng() % (256ull << 20) / 64 * 64 + (rng() % 5 == 0 ? 8 : 0);
      boundaries += (address + bytes - 1) / set_bytes - address / set_bytes;
      t += rng() % 2 == 0 ? 0 : rng() % (3000 * test::kNs);
      requests.push_back({address, bytes, rng() % 4 == 0, t});
    }
    p.exact = false;
    const Outcome fast = OneAtATime(p, requests, true);
    p.exact = true;
    const Outcome exact = OneAtATime(p, requests, true);
    ExpectSame(fast, exact, name);
    if (p.bank_groups == 2) {  // tCCD_L two bursts: one group at a time, at every boundary too
      EXPECT_GT(fast.one_group, 2 * boundaries) << name;
    }
    EXPECT_EQ(exact.one_group, 0u) << name;
  }
}

// A request served alone (ServeAlone) leaves the write drain as burst-by-burst scheduling
// leaves it: each is followed by a write and a read submitted together, which the scheduler
// serves by the drain state (a write queue between the watermarks drains only if a drain was
// under way). Sizes mix writes above the high watermark (a drain starts) with pairs whose write
// fits between the watermarks.
TEST(JedecRotation, LeavesTheWriteDrainAsBurstByBurstScheduling) {
  for (const std::string preset : {"ddr4-3200-x16", "ddr4-3200-x8"}) {
    JedecParams p = test::JedecPreset(preset, {{"address_mapping", "rorabacobg"}});
    const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
    std::mt19937_64 rng(7);
    std::vector<JedecRequest> alone, pair_write, pair_read;
    std::uint64_t t = 0;
    for (int i = 0; i < 60; ++i) {
      t += rng() % (5000 * test::kNs);
      const auto address = [&] { return rng() % (256ull << 20) / burst * burst; };
      alone.push_back({address(), burst * (1 + rng() % 200), rng() % 2 == 0, t});
      t += rng() % (3000 * test::kNs);
      pair_write.push_back({address(), burst * (1 + rng() % 40), true, t});
      pair_read.push_back({address(), burst * (1 + rng() % 40), false, t});
    }
    const auto drive = [&](bool exact) {
      p.exact = exact;
      JedecController c(p);
      test::Outcome o;
      std::uint64_t end = 0;
      for (size_t i = 0; i < alone.size(); ++i) {
        o.completions.push_back(c.RunUntil(c.Submit(alone[i])));
        const std::uint64_t w = c.Submit(pair_write[i]);
        const std::uint64_t r = c.Submit(pair_read[i]);
        o.completions.push_back(c.RunUntil(w));
        o.completions.push_back(c.RunUntil(r));
        for (const JedecCompletion& done : o.completions) end = std::max(end, done.done_ps);
      }
      test::Finish(c, end, o);
      return o;
    };
    const test::Outcome fast = drive(false);
    const test::Outcome exact = drive(true);
    ExpectSame(fast, exact, preset);
    EXPECT_GT(fast.rotated, 0u) << preset;  // the requests alone went through ServeAlone
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
