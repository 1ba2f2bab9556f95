// The `jedec` controller driven as the SystemC adapter drives it: requests handed over as they
// arrive and decisions taken only once time has passed them (JedecController::RunBefore). The
// outcome must be all-queued scheduling's (RunAll, `pjsim dram-bench`) when requesters overlap,
// per-transaction service's (RunUntil) when they never do, and requests of different
// requesters must interleave at burst grain as FR-FCFS interleaves them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "sim/config/model_params.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

constexpr std::uint64_t kNs = 1000;

struct Driven {
  JedecStats stats;
  std::vector<JedecCompletion> completions;  // by request
};

// As the adapter: at each tick (ascending) the requests arrived by then are submitted and every
// decision due before the tick is taken; a last tick at infinity drains the controller.
Driven Incremental(const JedecParams& p, const std::vector<JedecRequest>& requests,
                   std::vector<std::uint64_t> ticks) {
  JedecController c(p);
  std::sort(ticks.begin(), ticks.end());
  ticks.push_back(std::numeric_limits<std::uint64_t>::max());
  std::vector<std::uint64_t> ids;
  size_t next = 0;
  for (const std::uint64_t t : ticks) {
    while (next < requests.size() && requests[next].arrival_ps <= t)
      ids.push_back(c.Submit(requests[next++]));
    c.RunBefore(t);
  }
  Driven d;
  for (const std::uint64_t id : ids) {
    EXPECT_TRUE(c.Completed(id)) << id;
    d.completions.push_back(c.Collect(id));
  }
  d.stats = c.stats();
  return d;
}

// Today's per-transaction service: each request run to completion at its arrival.
Driven OneAtATime(const JedecParams& p, const std::vector<JedecRequest>& requests) {
  JedecController c(p);
  Driven d;
  for (const JedecRequest& r : requests) d.completions.push_back(c.RunUntil(c.Submit(r)));
  d.stats = c.stats();
  return d;
}

JedecStats AllQueued(const JedecParams& p, const std::vector<JedecRequest>& requests) {
  JedecController c(p);
  for (const JedecRequest& r : requests) c.Submit(r);
  c.RunAll();
  return c.stats();
}

void ExpectSameStats(const JedecStats& a, const JedecStats& b, const std::string& what) {
  EXPECT_EQ(a.act, b.act) << what;
  EXPECT_EQ(a.pre, b.pre) << what;
  EXPECT_EQ(a.rd, b.rd) << what;
  EXPECT_EQ(a.wr, b.wr) << what;
  EXPECT_EQ(a.ref, b.ref) << what;
  EXPECT_EQ(a.row_hits, b.row_hits) << what;
  EXPECT_EQ(a.row_misses, b.row_misses) << what;
  EXPECT_EQ(a.bus_busy_ps, b.bus_busy_ps) << what;
  EXPECT_EQ(a.refresh_ps, b.refresh_ps) << what;
  EXPECT_EQ(a.bytes_read, b.bytes_read) << what;
  EXPECT_EQ(a.bytes_written, b.bytes_written) << what;
  EXPECT_EQ(a.reads, b.reads) << what;
  // Every read's latency (accepted to done) lands in the same histogram bin.
  EXPECT_EQ(a.read_latency_histogram, b.read_latency_histogram) << what;
}

// Random ticks between the arrivals, as requesters' wake-ups fall.
std::vector<std::uint64_t> Ticks(const std::vector<JedecRequest>& requests, std::uint64_t end,
                                 unsigned seed) {
  std::vector<std::uint64_t> ticks;
  for (const JedecRequest& r : requests) ticks.push_back(r.arrival_ps);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 400; ++i) ticks.push_back(rng() % end);
  return ticks;
}

// Two requesters (two tiles), each a stream of `count` requests of `bytes` every `interval`,
// from `base_a` and `base_b`; the arrivals merged in time order (a before b on ties).
std::vector<JedecRequest> TwoStreams(std::uint64_t base_a, std::uint64_t base_b, int count,
                                     std::uint64_t bytes, std::uint64_t interval,
                                     std::uint64_t offset_b, bool b_writes = false) {
  std::vector<JedecRequest> out;
  for (int i = 0; i < count; ++i) {
    const auto k = static_cast<std::uint64_t>(i);
    out.push_back({base_a + k * bytes, bytes, false, k * interval});
    out.push_back({base_b + k * bytes, bytes, b_writes, k * interval + offset_b});
  }
  std::stable_sort(out.begin(), out.end(), [](const JedecRequest& x, const JedecRequest& y) {
    return x.arrival_ps < y.arrival_ps;
  });
  return out;
}

TEST(JedecInterleave, ExactModeMatchesAllQueuedSchedulingForAnyArrivals) {
  // Both write drains: a batch drain's start and count depend on no arrival after it.
  for (const auto& [preset, drain] : std::vector<std::pair<std::string, std::string>>{
           {"hbm2e", "watermarks"}, {"ddr4-3200-x8", "watermarks"}, {"ddr4-3200-x8", "batch"}}) {
    std::vector<std::pair<std::string, std::string>> sets = {{"exact", "true"},
                                                             {"write_drain", drain}};
    if (drain == "batch") sets.emplace_back("write_drain_idle", "8");
    const JedecParams p = test::JedecPreset(preset, sets);
    std::mt19937_64 rng(7);
    std::vector<JedecRequest> requests;
    std::uint64_t t = 0;
    for (int i = 0; i < 300; ++i) {
      t += rng() % (40 * kNs);
      requests.push_back({rng() % (1u << 24) / 64 * 64, 64 * (1 + rng() % 16), rng() % 4 == 0, t});
    }
    const Driven d = Incremental(p, requests, Ticks(requests, t + 5000 * kNs, 11));
    ExpectSameStats(d.stats, AllQueued(p, requests), preset + " " + drain);
  }
}

// Row runs placed in closed form too, while every request arrives to a backlog: no request is
// ever alone in the controller, so every decision is the scheduler's.
TEST(JedecInterleave, FastModeMatchesAllQueuedSchedulingWhenRequestersOverlap) {
  for (const std::string preset : {"hbm2e", "ddr4-3200-x8"}) {
    const JedecParams p = test::JedecPreset(preset);
    const std::uint64_t stride = JedecAddressMap(p).RowStride();
    // 2 KiB every 40 ns per requester: more than either channel moves.
    const std::vector<JedecRequest> requests =
        TwoStreams(0, 3 * stride + 512, 40, 2048, 40 * kNs, 0);
    const Driven d = Incremental(p, requests, Ticks(requests, 40 * 80 * kNs, 3));
    ExpectSameStats(d.stats, AllQueued(p, requests), preset);
    const std::vector<JedecRequest> mixed =
        TwoStreams(1 << 20, 5 * stride, 40, 2048, 40 * kNs, 0, true);
    ExpectSameStats(Incremental(p, mixed, Ticks(mixed, 40 * 80 * kNs, 5)).stats,
                    AllQueued(p, mixed), preset + " reads and writes");
  }
}

// Requests that never overlap get exactly today's per-transaction service, however the ticks
// fall (the closed-form run resumes where a tick stopped it).
TEST(JedecInterleave, RequestsThatNeverOverlapAreServedAsOneAtATime) {
  for (const std::string preset : {"hbm2e", "ddr4-3200-x8", "lpddr5-6400"}) {
    const JedecParams p = test::JedecPreset(preset);
    std::mt19937_64 rng(5);
    std::vector<JedecRequest> requests;
    std::uint64_t t = 0;
    for (int i = 0; i < 200; ++i) {
      requests.push_back({rng() % (1u << 26) / 64 * 64, 64 * (1 + rng() % 256), rng() % 3 == 0, t});
      t += 20000 * kNs;  // far more than a request takes (16 KiB, a refresh, a power-down exit)
    }
    const Driven once = OneAtATime(p, requests);
    for (size_t i = 0; i + 1 < requests.size(); ++i)
      ASSERT_LT(once.completions[i].done_ps, requests[i + 1].arrival_ps) << preset;
    const Driven d = Incremental(p, requests, Ticks(requests, t, 9));
    ExpectSameStats(d.stats, once.stats, preset);
    for (size_t i = 0; i < requests.size(); ++i) {
      EXPECT_EQ(d.completions[i].accepted_ps, once.completions[i].accepted_ps) << i;
      EXPECT_EQ(d.completions[i].first_data_ps, once.completions[i].first_data_ps) << i;
      EXPECT_EQ(d.completions[i].done_ps, once.completions[i].done_ps)
          << preset << " " << i << " " << requests[i].bytes << " " << requests[i].write;
    }
  }
}

// Two tiles stream different rows of one bank at once: their requests interleave (each one's
// data is on the bus while the other's are pending), and the bank switches rows between them,
// so they pay row misses that neither stream pays alone.
TEST(JedecInterleave, TwoStreamsToOneBankInterleaveAndPayRowMisses) {
  const JedecParams p = test::JedecPreset("hbm2e");
  const std::uint64_t stride = JedecAddressMap(p).RowStride();
  const std::uint64_t row = static_cast<std::uint64_t>(p.RowBytes());
  // 256 B requests walking one row each, every 20 ns (a requester reads a row per 80 ns).
  std::vector<JedecRequest> together;
  for (int i = 0; i < 32; ++i) {
    const auto k = static_cast<std::uint64_t>(i);
    const std::uint64_t column = k * 256 % row;
    const std::uint64_t rows = k * 256 / row * 4 * stride;  // the next row of the same bank
    together.push_back({rows + column, 256, false, k * 20 * kNs});
    together.push_back({2 * stride + rows + column, 256, false, k * 20 * kNs + 5 * kNs});
  }
  std::vector<JedecRequest> a, b;
  for (size_t i = 0; i < together.size(); ++i) (i % 2 ? b : a).push_back(together[i]);
  const Driven both = Incremental(p, together, Ticks(together, 2000 * kNs, 1));
  const Driven alone_a = Incremental(p, a, Ticks(a, 2000 * kNs, 2));
  const Driven alone_b = Incremental(p, b, Ticks(b, 2000 * kNs, 3));
  EXPECT_GT(both.stats.row_misses, alone_a.stats.row_misses + alone_b.stats.row_misses);
  EXPECT_GT(both.stats.act, alone_a.stats.act + alone_b.stats.act);
  // Interleaved: some request of b completes before an earlier-arriving request of a.
  bool overtaken = false;
  for (size_t i = 0; i + 1 < together.size(); i += 2) {
    for (size_t j = i + 1; j < together.size(); j += 2) {
      if (together[j].arrival_ps > together[i].arrival_ps &&
          both.completions[j].done_ps < both.completions[i].done_ps)
        overtaken = true;
    }
  }
  // Or, if none overtakes, their data at least shares the bus in time.
  bool overlap = overtaken;
  for (size_t i = 0; i + 1 < together.size() && !overlap; i += 2) {
    overlap = both.completions[i + 1].first_data_ps < both.completions[i].done_ps;
  }
  EXPECT_TRUE(overlap);
  // Conservation: every byte moved once, every access a hit or a miss.
  EXPECT_EQ(both.stats.bytes_read, alone_a.stats.bytes_read + alone_b.stats.bytes_read);
  EXPECT_EQ(both.stats.rd, alone_a.stats.rd + alone_b.stats.rd);
  EXPECT_EQ(both.stats.row_hits + both.stats.row_misses, both.stats.rd + both.stats.wr);
  EXPECT_EQ(both.stats.act, both.stats.row_misses);
}

// A long stream holds row r1 of a bank open; a miss (row r2 of that bank) and then a hit (row
// r1) arrive while it transfers. FR-FCFS serves the later hit first, FCFS the earlier miss.
TEST(JedecInterleave, ALaterRowHitOvertakesAnEarlierMissUnderFrFcfsOnly) {
  for (const bool fr_fcfs : {true, false}) {
    const JedecParams p = test::JedecPreset("hbm2e", {{"scheduler", fr_fcfs ? "fr-fcfs" : "fcfs"}});
    const std::uint64_t stride = JedecAddressMap(p).RowStride();
    const auto row = static_cast<std::uint64_t>(p.RowBytes());
    const std::vector<JedecRequest> requests = {
        {0, row, false, 0},               // the stream, row r1
        {stride, 64, false, 4 * kNs},     // the miss, row r2 of the same bank
        {row - 128, 64, false, 6 * kNs},  // the hit, row r1
    };
    const Driven d = Incremental(p, requests, Ticks(requests, 400 * kNs, 4));
    ASSERT_LT(requests[2].arrival_ps, d.completions[0].done_ps);  // it arrives in time
    if (fr_fcfs) {
      EXPECT_LT(d.completions[2].done_ps, d.completions[1].done_ps);
      EXPECT_EQ(d.stats.row_misses, 2);  // r1 once, r2 once
    } else {
      EXPECT_GT(d.completions[2].done_ps, d.completions[1].done_ps);
      EXPECT_EQ(d.stats.row_misses, 3);  // r1, r2, r1 again
    }
    ExpectSameStats(d.stats, AllQueued(p, requests), fr_fcfs ? "fr-fcfs" : "fcfs");
  }
}

// The platform with interleaved transactions: every tile's transactions reach the channels
// (each channel moves the bytes the per-transaction model moves), every column access is a hit
// or a miss, the energy categories and the per-layer DRAM bits add up, and the requests of
// different tiles do overlap in the controllers (their row-hit rate moves).
TEST(JedecInterleave, PlatformRunConservesBytesAndEnergyCategories) {
  const std::string workload = test::SourceDir() + "/workloads/linear_2048x2560x2560.yaml";
  const std::string arch = test::ArchFile("mesh8x8-int8-hbm-jedec.yaml");
  const test::SimRun whole = test::SimulateYaml(arch, workload);
  const test::SimRun mixed =
      test::SimulateYaml(arch, workload, {"arch.dram.interleave_transactions=true"});
  ASSERT_EQ(whole.result.channels.size(), mixed.result.channels.size());
  double bytes = 0;
  bool moved = false;
  for (size_t c = 0; c < mixed.result.channels.size(); ++c) {
    const ChannelResult& w = whole.result.channels[c];
    const ChannelResult& m = mixed.result.channels[c];
    EXPECT_EQ(m.bytes_read, w.bytes_read) << c;
    EXPECT_EQ(m.bytes_written, w.bytes_written) << c;
    EXPECT_EQ(m.rd, w.rd) << c;
    EXPECT_EQ(m.wr, w.wr) << c;
    EXPECT_EQ(m.row_hits + m.row_misses, m.rd + m.wr) << c;
    EXPECT_EQ(m.act, m.row_misses) << c;
    moved = moved || m.row_hits != w.row_hits;
    bytes += m.bytes_read + m.bytes_written;
  }
  EXPECT_TRUE(moved);
  const std::map<std::string, double> energy = mixed.result.ledger.EnergyByCategory();
  for (const char* category :
       {"dram.act", "dram.read", "dram.write", "dram.refresh", "dram.background", "dram.io"}) {
    ASSERT_TRUE(energy.count(category)) << category;
    EXPECT_GT(energy.at(category), 0) << category;
  }
  double counted = 0, acts = 0, refs = 0;
  for (int l = 0; l < mixed.result.ledger.layer_count(); ++l) {
    counted += mixed.result.ledger.LayerCountIn(l, "dram.read") +
               mixed.result.ledger.LayerCountIn(l, "dram.write");
    acts += mixed.result.ledger.LayerCountIn(l, "dram.act");
    refs += mixed.result.ledger.LayerCountIn(l, "dram.refresh");
  }
  EXPECT_DOUBLE_EQ(counted, bytes * 8);
  double act = 0, ref = 0;
  for (const ChannelResult& m : mixed.result.channels) {
    act += static_cast<double>(m.act);
    ref += static_cast<double>(m.ref);
  }
  EXPECT_DOUBLE_EQ(acts, act);
  EXPECT_DOUBLE_EQ(refs, ref);
}

// A DRAM refreshes every rank every tREFI to the end of the run, not only up to its last
// request: a run whose compute outlasts its DRAM traffic counts every refresh due before its end.
TEST(JedecInterleave, ChannelsRefreshToTheEndOfTheRun) {
  // A small layer on a slow clock: its loads come first, its store last, and the channels
  // its few bytes do not touch are never accessed.
  const std::string workload =
      test::WriteWorkloadYaml("jedec_refresh_to_end",
                              "name: small\nlayers:\n  - {name: p, op: linear, m: 64, k: 64, "
                              "n: 64, dtype: int8}\n");
  const test::SimRun run = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm-jedec.yaml"),
                                              workload, {"arch.clock=0.002 GHz"});
  const JedecParams& p = ParamsAs<JedecParams>(run.config.arch.dram.params);
  const std::uint64_t refi = p.ClocksToPs(p.tREFI);
  const std::uint64_t end = run.result.total_ps;
  ASSERT_GT(end, 20 * refi);
  double refs = 0;
  for (const ChannelResult& c : run.result.channels) {
    EXPECT_EQ(c.ref,
              static_cast<std::int64_t>(p.ranks) * static_cast<std::int64_t>((end - 1) / refi));
    refs += static_cast<double>(c.ref);
  }
  double charged = 0;
  for (int l = 0; l < run.result.ledger.layer_count(); ++l)
    charged += run.result.ledger.LayerCountIn(l, "dram.refresh");
  EXPECT_DOUBLE_EQ(charged, refs);
}

}  // namespace
}  // namespace pjsim
