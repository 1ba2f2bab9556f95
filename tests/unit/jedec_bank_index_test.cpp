// The `jedec` controller's FR-FCFS decisions through its per-bank queue index (each bank's
// oldest row hit and oldest miss) against a scan of every queued entry: on randomized backlogs
// of several requesters, across presets, modes, schedulers, page and refresh policies and
// drivers, every request's times and every count must be the same.
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
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

using test::ExpectSame;
using test::kNs;
using test::Outcome;

enum class Driver { kAllQueued, kIncremental, kOneAtATime };

Outcome Drive(const JedecParams& p, const std::vector<JedecRequest>& requests, Driver driver,
              bool scan) {
  JedecController c(p);
  c.ScanWholeQueue(scan);
  c.TrackCompletions();
  Outcome o;
  std::vector<std::uint64_t> ids;
  switch (driver) {
    case Driver::kAllQueued:
      // Everything queued at once (dram-bench), each request's times read as it completes.
      for (const JedecRequest& r : requests) ids.push_back(c.Submit(r));
      for (const std::uint64_t id : ids) o.completions.push_back(c.RunUntil(id));
      break;
    case Driver::kIncremental: {
      // As the SystemC adapter: requests handed over as they arrive, the decisions due before
      // each arrival taken before it.
      for (const JedecRequest& r : requests) {
        c.RunBefore(r.arrival_ps);
        ids.push_back(c.Submit(r));
      }
      c.RunBefore(std::numeric_limits<std::uint64_t>::max());
      break;
    }
    case Driver::kOneAtATime:
      for (const JedecRequest& r : requests) o.completions.push_back(c.RunUntil(c.Submit(r)));
      break;
  }
  if (driver == Driver::kIncremental) {
    std::vector<std::uint64_t> done;
    c.TakeCompleted(done);
    EXPECT_EQ(done.size(), ids.size());
    for (const std::uint64_t id : ids) o.completions.push_back(c.Collect(id));
  }
  std::uint64_t end = 0;
  for (const JedecCompletion& done : o.completions) end = std::max(end, done.done_ps);
  test::Finish(c, end, o);
  return o;
}

// Small requests into a few rows of a few banks (so that the queues hold hits and misses of
// several rows per bank), a quarter of them writes, up to `gap` apart (3 ns: faster than the
// channel serves them); with `shuffle`, some arrivals out of order (with a light load, a bank's
// queued entries are then out of time order, and the scheduler scans them all).
std::vector<JedecRequest> Backlog(const JedecParams& p, unsigned seed, bool shuffle,
                                  std::uint64_t gap) {
  std::mt19937_64 rng(seed);
  const std::uint64_t stride = JedecAddressMap(p).RowStride();
  const std::uint64_t row = static_cast<std::uint64_t>(p.RowBytes());
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  std::vector<JedecRequest> out;
  std::uint64_t t = 0;
  for (int i = 0; i < 600; ++i) {
    const std::uint64_t requester = rng() % 4;
    // Rows 0-3 of the first banks (a row stride apart) and the banks in between.
    const std::uint64_t base = (rng() % 4) * stride + (rng() % 3) * row;
    const std::uint64_t column = rng() % (row / burst) * burst;
    const std::uint64_t bytes = burst * (1 + rng() % (rng() % 4 == 0 ? 40 : 3));
    t += rng() % gap;
    out.push_back({base + column, bytes, requester == 0, t});
  }
  if (shuffle) {
    for (size_t i = 0; i + 1 < out.size(); i += 7)
      std::swap(out[i].arrival_ps, out[i + 1].arrival_ps);
  }
  return out;
}

TEST(JedecBankIndex, PicksWhatAScanOfEveryEntryPicks) {
  using Sets = std::vector<std::pair<std::string, std::string>>;
  const std::vector<std::pair<std::string, Sets>> configs = {
      {"hbm2e", {}},
      {"hbm2e", {{"refresh_mode", "per_bank"}}},
      {"hbm2e", {{"exact", "true"}}},
      {"hbm2e", {{"scheduler", "fcfs"}}},
      {"hbm2e", {{"page_policy", "closed"}, {"read_queue", "8"}, {"write_queue", "8"}}},
      {"ddr4-3200-x8", {{"ranks", "2"}}},
      {"ddr5-4800", {}},
      {"lpddr5-6400", {{"refresh_mode", "per_bank"}}},
  };
  int seed = 0;
  for (const auto& [preset, sets] : configs) {
    const JedecParams p = test::JedecPreset(preset, sets);
    std::string name = preset;
    for (const auto& [k, v] : sets) name += " " + k + "=" + v;
    for (const auto& [shuffle, gap] :
         {std::pair{false, 3 * kNs}, {true, 3 * kNs}, {true, 12 * kNs}}) {
      const std::vector<JedecRequest> requests =
          Backlog(p, static_cast<unsigned>(++seed), shuffle, gap);
      for (const Driver d : {Driver::kAllQueued, Driver::kIncremental, Driver::kOneAtATime}) {
        if (shuffle && d == Driver::kIncremental) continue;  // the adapter submits in order
        const std::string what = name + (shuffle ? " shuffled" : "") + " gap " +
                                 std::to_string(gap) + " driver " +
                                 std::to_string(static_cast<int>(d));
        const Outcome indexed = Drive(p, requests, d, false);
        ExpectSame(indexed, Drive(p, requests, d, true), what);
        // The backlog makes the scheduler reorder: some read finds its row closed.
        EXPECT_GT(indexed.stats.row_misses, 0) << what;
      }
    }
  }
}

// The tracked least bursts left is the least over the incomplete requests, and completions are
// reported once each.
TEST(JedecBankIndex, TrackedCompletionsAndLeastBurstsLeft) {
  const JedecParams p = test::JedecPreset("hbm2e");
  const std::vector<JedecRequest> requests = Backlog(p, 99, false, 3 * kNs);
  JedecController c(p);
  c.TrackCompletions();
  std::vector<std::uint64_t> ids, done, all_done;
  for (const JedecRequest& r : requests) {
    ids.push_back(c.Submit(r));
    c.RunBefore(r.arrival_ps);
    c.TakeCompleted(done);
    all_done.insert(all_done.end(), done.begin(), done.end());
    std::uint64_t least = std::numeric_limits<std::uint64_t>::max();
    for (const std::uint64_t id : ids) {
      if (!c.Completed(id)) least = std::min(least, c.EarliestDone(id));
    }
    ASSERT_EQ(c.EarliestDoneAny(), least) << ids.size();
  }
  c.RunBefore(std::numeric_limits<std::uint64_t>::max());
  c.TakeCompleted(done);
  all_done.insert(all_done.end(), done.begin(), done.end());
  std::sort(all_done.begin(), all_done.end());
  EXPECT_EQ(all_done, ids);
  EXPECT_EQ(c.EarliestDoneAny(), std::numeric_limits<std::uint64_t>::max());
}

}  // namespace
}  // namespace pjsim
