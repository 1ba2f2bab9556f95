// The `jedec` DRAM controller against what its JEDEC timings and IDD currents predict: each
// bound is computed here from the preset, not copied from a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_power.h"
#include "sim/config/yaml_reader.h"
#include "test_paths.h"

namespace pjsim {
namespace {

double Ns(const JedecParams& p, std::int64_t clocks) { return static_cast<double>(clocks) * p.tCK; }

JedecBenchResult Bench(const JedecParams& p, const std::string& pattern, std::int64_t requests) {
  JedecBenchOptions o;
  o.pattern = pattern;
  o.requests = requests;
  return RunJedecBench(p, o);
}

// DDR4-3200 with the bank group in the lowest address bits: consecutive bursts alternate bank
// groups, so only tCCD_S (= the burst) spaces them; refresh takes tRFC of every tREFI.
TEST(JedecDram, SequentialReadsAcrossBankGroupsSustain85To97PercentOfPeak) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8", {{"address_mapping", "rorabacobg"}});
  const JedecBenchResult r = Bench(p, "seq-read", 50000);
  const double fraction = r.bandwidth_GBps / r.peak_bandwidth_GBps;
  EXPECT_GE(fraction, 0.85);
  EXPECT_LE(fraction, 0.97);
  EXPECT_LE(fraction, 1 - static_cast<double>(p.tRFC) / static_cast<double>(p.tREFI) + 1e-9);
  EXPECT_GT(r.row_hit_rate, 0.98);
}

// All bursts in one bank group: every column command waits tCCD_L, twice the burst.
TEST(JedecDram, SequentialReadsInOneBankGroupFallToTheTccdLLimit) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8", {{"address_mapping", "bgrorabaco"}});
  const JedecBenchResult r = Bench(p, "seq-read", 50000);
  const double limit =
      r.peak_bandwidth_GBps * static_cast<double>(p.BurstClocks()) / static_cast<double>(p.tCCD_L);
  const double refresh = 1 - static_cast<double>(p.tRFC) / static_cast<double>(p.tREFI);
  EXPECT_LE(r.bandwidth_GBps, limit * 1.0001);
  EXPECT_GE(r.bandwidth_GBps, limit * refresh * 0.98);
}

// Uniform random 64 B reads: one activation per access, at most four per tFAW, one per tRRD_S,
// and each bank once per tRC.
TEST(JedecDram, RandomReadsAreLimitedByTheActivationRate) {
  for (const std::string preset : {"ddr4-3200-x8", "ddr4-3200-x16", "hbm2"}) {
    const JedecParams p = test::JedecPreset(preset);
    const JedecBenchResult r = Bench(p, "random-read", 40000);
    const double act_ns =
        std::max({Ns(p, p.tRRD_S), Ns(p, p.tFAW) / 4,
                  Ns(p, p.tRC) / static_cast<double>(p.Banks() * p.ranks), Ns(p, p.BurstClocks())});
    const double bound = static_cast<double>(p.BurstBytes()) / act_ns;
    EXPECT_LE(r.bandwidth_GBps, bound * 1.0001) << preset;
    EXPECT_GE(r.bandwidth_GBps, bound * 0.8) << preset;
    EXPECT_LT(r.row_hit_rate, 0.01) << preset;
  }
}

// Every access the next row of one bank: no hits, one ACT (and PRE) per access, one access
// per tRC.
TEST(JedecDram, RowStrideHitsNothingAndActivatesEveryAccess) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8");
  const std::int64_t n = 5000;
  const JedecBenchResult r = Bench(p, "row-stride", n);
  EXPECT_EQ(r.row_hit_rate, 0);
  EXPECT_EQ(r.act, n);
  EXPECT_GE(r.pre, n - 1);
  const double bound = static_cast<double>(p.BurstBytes()) / Ns(p, p.tRC);
  EXPECT_LE(r.bandwidth_GBps, bound * 1.0001);
  EXPECT_GE(r.bandwidth_GBps, bound * 0.9);
}

// Random reads pay an activation per 64 B that a stream shares over a whole row.
TEST(JedecDram, RandomReadsCostSeveralTimesTheEnergyPerBitOfAStream) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8", {{"address_mapping", "rorabacobg"}});
  const JedecBenchResult seq = Bench(p, "seq-read", 40000);
  const JedecBenchResult rnd = Bench(p, "random-read", 40000);
  const double act_per_bit = JedecEnergy(p).act_pj / (static_cast<double>(p.BurstBytes()) * 8);
  EXPECT_GE(rnd.pj_per_bit - seq.pj_per_bit, 0.95 * act_per_bit);
  const auto dynamic = [](const JedecBenchResult& r) {
    return (r.act_pj + r.read_pj) / (r.bytes * 8);
  };
  EXPECT_GT(dynamic(rnd), 2 * dynamic(seq));
  EXPECT_GT(rnd.pj_per_bit, 1.5 * seq.pj_per_bit);
}

// Micron TN-41-01: the components of a run are its command counts times the per-command
// energies, and the background lies between all-precharged-power-down and all-active standby.
TEST(JedecDram, EnergyIsCommandCountsTimesTn4101Energies) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8");
  const JedecBenchResult r = Bench(p, "random-mix", 20000);
  const double scale = p.VDD * static_cast<double>(p.devices_per_rank);
  const double act =
      scale * (p.IDD0 * Ns(p, p.tRC) - p.IDD3N * Ns(p, p.tRAS) - p.IDD2N * Ns(p, p.tRC - p.tRAS));
  EXPECT_NEAR(r.act_pj, static_cast<double>(r.act) * act, 1e-6 * r.act_pj);
  EXPECT_NEAR(r.read_pj,
              static_cast<double>(r.rd) * scale * (p.IDD4R - p.IDD3N) * Ns(p, p.BurstClocks()),
              1e-6 * r.read_pj);
  EXPECT_NEAR(r.write_pj,
              static_cast<double>(r.wr) * scale * (p.IDD4W - p.IDD3N) * Ns(p, p.BurstClocks()),
              1e-6 * r.write_pj);
  EXPECT_NEAR(r.refresh_pj,
              static_cast<double>(r.ref) * scale * (p.IDD5B - p.IDD3N) * Ns(p, p.tRFC),
              1e-6 * r.refresh_pj);
  EXPECT_GE(r.background_pj, scale * p.IDD2P * r.simulated_ns * 0.999);
  EXPECT_LE(r.background_pj, scale * p.IDD3N * r.simulated_ns * 1.001);
  EXPECT_NEAR(r.io_pj, r.bytes * 8 * p.io_pj_per_bit, 1e-6 * r.io_pj);
}

// Refresh blocks a rank tRFC every tREFI: doubling tRFC doubles the time a stream loses to it
// and the refresh energy.
TEST(JedecDram, RefreshLostTimeAndEnergyScaleWithTrfc) {
  const std::vector<std::pair<std::string, std::string>> base = {{"address_mapping", "rorabacobg"}};
  const auto run = [&](std::int64_t trfc, bool refresh) {
    auto sets = base;
    sets.emplace_back("tRFC", std::to_string(trfc));
    sets.emplace_back("refresh", refresh ? "true" : "false");
    return Bench(test::JedecPreset("ddr4-3200-x8", sets), "seq-read", 100000);
  };
  const JedecParams p = test::JedecPreset("ddr4-3200-x8");
  const JedecBenchResult none = run(p.tRFC, false);
  const JedecBenchResult once = run(p.tRFC, true);
  const JedecBenchResult twice = run(2 * p.tRFC, true);
  const double lost1 = once.simulated_ns - none.simulated_ns;
  const double lost2 = twice.simulated_ns - none.simulated_ns;
  EXPECT_GT(lost1, 0);
  EXPECT_NEAR(lost2 / lost1, 2.0, 0.2);
  // The lost time is about tRFC per refresh (plus the precharge before it).
  EXPECT_NEAR(lost1 / static_cast<double>(once.ref), Ns(p, p.tRFC), 0.35 * Ns(p, p.tRFC));
  EXPECT_NEAR(twice.refresh_pj / static_cast<double>(twice.ref),
              2 * once.refresh_pj / static_cast<double>(once.ref) -
                  0,  // (IDD5B - IDD3N) x tRFC is linear in tRFC
              1e-6 * twice.refresh_pj);
}

// Two streams ping-pong between two rows of one bank: FCFS closes the row at every access,
// FR-FCFS serves the queued hits first.
TEST(JedecDram, FrFcfsBeatsFcfsOnInterleavedRowConflicts) {
  const JedecParams fr = test::JedecPreset("ddr4-3200-x8");
  const JedecParams fcfs = test::JedecPreset("ddr4-3200-x8", {{"scheduler", "fcfs"}});
  const std::uint64_t other_row = JedecAddressMap(fr).RowStride();
  std::vector<JedecRequest> requests;
  for (std::uint64_t i = 0; i < 4000; ++i) {
    requests.push_back({i * 64, 64, false, 0});
    requests.push_back({other_row + i * 64, 64, false, 0});
  }
  const JedecBenchResult a = RunJedecRequests(fr, requests);
  const JedecBenchResult b = RunJedecRequests(fcfs, requests);
  EXPECT_GT(a.bandwidth_GBps, 2 * b.bandwidth_GBps);
  EXPECT_GT(a.row_hit_rate, 0.9);
  EXPECT_LT(b.row_hit_rate, 0.01);
  EXPECT_LT(a.act_pj, b.act_pj);
  // And on the bench's random mix FR-FCFS is never worse.
  const auto mix = [](const JedecParams& p) { return Bench(p, "random-mix", 20000); };
  EXPECT_GE(mix(fr).bandwidth_GBps, mix(fcfs).bandwidth_GBps * 0.999);
}

// The read queue holds at most read_queue bursts: a burst is accepted only when one issues.
TEST(JedecDram, QueuesAreBoundedAndHoldTheRequesterBack) {
  for (const std::int64_t depth : {4, 32}) {
    const JedecParams p =
        test::JedecPreset("ddr4-3200-x8", {{"read_queue", std::to_string(depth)}});
    JedecController c(p);
    const JedecBenchOptions o{.pattern = "random-read", .requests = 3000};
    const std::vector<JedecRequest> requests = JedecBenchRequests(p, o);
    std::vector<std::uint64_t> ids;
    for (const JedecRequest& r : requests) ids.push_back(c.Submit(r));
    std::vector<std::pair<std::uint64_t, int>> events;  // (time, +1 accepted / -1 issued)
    const auto cl = p.ClocksToPs(p.CL);
    for (std::uint64_t id : ids) {
      const JedecCompletion done = c.RunUntil(id);
      events.emplace_back(done.accepted_ps, +1);
      events.emplace_back(done.first_data_ps - cl, -1);  // the RD command frees the slot
    }
    std::sort(events.begin(), events.end());  // at equal times the issue (-1) comes first
    int occupancy = 0, peak = 0;
    for (const auto& [t, delta] : events) peak = std::max(peak, occupancy += delta);
    EXPECT_LE(peak, depth);
    EXPECT_GE(peak, depth - 1);  // the queue does fill: the requester is held back
  }
  // A shallow queue exposes less bank parallelism to the scheduler.
  const auto bw = [](std::int64_t depth) {
    return Bench(test::JedecPreset("ddr4-3200-x8", {{"read_queue", std::to_string(depth)}}),
                 "random-read", 20000)
        .bandwidth_GBps;
  };
  EXPECT_LT(bw(2), bw(32));
}

void ExpectClose(const JedecBenchResult& fast, const JedecBenchResult& exact,
                 const std::string& what) {
  const auto close = [&](double a, double b, const char* name) {
    EXPECT_LE(std::abs(a - b), 0.02 * std::max(std::abs(b), 1e-9)) << what << " " << name;
  };
  close(fast.bandwidth_GBps, exact.bandwidth_GBps, "bandwidth");
  close(fast.avg_read_latency_ns, exact.avg_read_latency_ns, "avg latency");
  // p99 comes from a histogram of 1/64-octave bins: allow one bin more.
  EXPECT_LE(std::abs(fast.p99_read_latency_ns - exact.p99_read_latency_ns),
            0.031 * exact.p99_read_latency_ns)
      << what << " p99 latency";
  close(fast.row_hit_rate, exact.row_hit_rate, "row hits");
  close(fast.total_pj, exact.total_pj, "energy");
}

// The fast mode (row runs in closed form, the idle-controller stream) agrees with one
// scheduling decision per burst.
TEST(JedecDram, FastModeIsWithinTwoPercentOfExactModeOnEveryPattern) {
  for (const std::string preset : {"ddr4-3200-x8", "hbm2e", "lpddr4-3200"}) {
    const JedecParams fast = test::JedecPreset(preset);
    const JedecParams exact = test::JedecPreset(preset, {{"exact", "true"}});
    for (const std::string& pattern : JedecBenchPatterns()) {
      JedecBenchOptions o;
      o.pattern = pattern;
      o.requests = 20000;
      o.stride = 256;
      ExpectClose(RunJedecBench(fast, o), RunJedecBench(exact, o), preset + " " + pattern);
      // Larger requests, where the run batching is in play.
      o.requests = 2000;
      o.request_bytes = 4096;
      o.stride = 4096 * 3;
      ExpectClose(RunJedecBench(fast, o), RunJedecBench(exact, o),
                  preset + " " + pattern + " 4 KiB");
    }
  }
}

// As the SystemC adapter drives it: one request at a time, each run to completion.
TEST(JedecDram, FastStreamingOfOneRequestAtATimeMatchesExactMode) {
  const JedecParams fast = test::JedecPreset("hbm2e");
  const JedecParams exact = test::JedecPreset("hbm2e", {{"exact", "true"}});
  JedecController a(fast), b(exact);
  std::uint64_t arrival = 0, done_a = 0, done_b = 0;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const JedecRequest r{(i * 7919 % 1000) * 27648, 27648, i % 5 == 4, arrival};
    done_a = a.RunUntil(a.Submit(r)).done_ps;
    done_b = b.RunUntil(b.Submit(r)).done_ps;
    arrival += 400000;  // 400 ns apart: sometimes idle, sometimes behind
  }
  // The stream keeps FR-FCFS's order (docs/DRAM.md, "Exactness of the stream"): equal, not close.
  EXPECT_EQ(done_a, done_b);
  EXPECT_EQ(a.stats().act, b.stats().act);
  EXPECT_EQ(a.stats().rd, b.stats().rd);
  EXPECT_EQ(a.stats().wr, b.stats().wr);
}

// Closed page precharges after every access: no hits even on a stream, one ACT per run.
TEST(JedecDram, ClosedPagePolicyActivatesEveryAccess) {
  const JedecParams p = test::JedecPreset(
      "ddr4-3200-x8", {{"address_mapping", "rorabacobg"}, {"page_policy", "closed"}});
  const JedecBenchResult r = Bench(p, "seq-read", 4000);
  EXPECT_EQ(r.row_hit_rate, 0);
  EXPECT_EQ(r.act, 4000);
}

// An idle channel powers down: with closed pages its background current approaches IDD2P
// (IDD2N without power-down); with open pages it lies between the precharged and the active
// current of the same state.
TEST(JedecDram, IdleChannelsPowerDown) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8");
  const auto background_ma = [&](bool power_down, const std::string& page) {
    const JedecParams q = test::JedecPreset(
        "ddr4-3200-x8", {{"power_down", power_down ? "true" : "false"}, {"page_policy", page}});
    JedecBenchOptions o;
    o.pattern = "random-read";
    o.requests = 200;
    o.issue_interval = 20000;  // 12.5 us apart
    const JedecBenchResult r = RunJedecBench(q, o);
    return r.background_pj / r.simulated_ns / (q.VDD * static_cast<double>(q.devices_per_rank));
  };
  EXPECT_NEAR(background_ma(true, "closed"), p.IDD2P, 0.05 * p.IDD2P);
  EXPECT_NEAR(background_ma(false, "closed"), p.IDD2N, 0.05 * p.IDD2N);
  // Open pages: a row stays open until the next refresh closes every bank.
  EXPECT_GE(background_ma(true, "open"), p.IDD2P);
  EXPECT_LE(background_ma(true, "open"), p.IDD3P * 1.05);
  EXPECT_GE(background_ma(false, "open"), p.IDD2N);
  EXPECT_LE(background_ma(false, "open"), p.IDD3N);
  EXPECT_LT(background_ma(true, "open"), background_ma(false, "open"));
}

// Every preset loads and moves data at its datasheet peak rate when streaming across banks.
TEST(JedecDram, EveryPresetLoadsAndStreams) {
  for (const std::string preset : {"ddr4-3200-x8", "ddr4-3200-x16", "ddr5-4800", "lpddr4-3200",
                                   "lpddr5-6400", "hbm2", "hbm2e", "hbm3"}) {
    const JedecParams p = test::JedecPreset(preset);
    EXPECT_EQ(p.name, preset);
    EXPECT_FALSE(p.source.empty()) << preset;
    JedecBenchOptions o;
    o.pattern = "seq-read";
    o.requests = 2000;
    o.request_bytes = 4096;
    const JedecBenchResult r = RunJedecBench(p, o);
    EXPECT_GT(r.bandwidth_GBps, 0.5 * r.peak_bandwidth_GBps) << preset;
    EXPECT_LE(r.bandwidth_GBps, r.peak_bandwidth_GBps) << preset;
  }
}

}  // namespace
}  // namespace pjsim
