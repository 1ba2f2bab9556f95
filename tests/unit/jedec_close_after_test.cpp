// The `jedec` controller's `close_after_accesses: N` (Ramulator 2's ClosedRowPolicy with `cap: N`):
// once a bank has served N column accesses since it was closed, its row is precharged. On a
// clocked command bus the PRE goes into a priority queue that holds every other request back
// until it issues (the active buffer's excepted); the `ahead` mode places it as soon as tRTP / tWR
// allow. A PRE or a refresh starts the count again. Unset, nothing moves.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config_error_text.h"
#include "jedec_incremental_driver.h"
#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "sim/config/yaml_reader.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// DDR4-3200 x8 (row, rank, bank group, bank, column: a request stream from address 0 stays in
// row 0 of bank 0 for its 128 bursts), no power-down or refresh unless `extra` says so.
JedecParams Ddr4(const std::string& bus, Sets extra) {
  Sets sets = {{"power_down", "false"}, {"refresh", "false"}, {"command_bus", bus}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr4-3200-x8", sets);
}

const char* const kBuses[] = {"ahead", "one_per_clock", "row_column"};

// `n` one-burst reads from address 0 up, all queued at time 0.
std::vector<JedecRequest> OneRowReads(const JedecParams& p, std::uint64_t n) {
  std::vector<JedecRequest> reads;
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  for (std::uint64_t i = 0; i < n; ++i) reads.push_back({i * burst, burst, false, 0});
  return reads;
}

struct Served {
  std::vector<std::uint64_t> first_data_ps;  // per request
  JedecStats stats;
};

Served Serve(const JedecParams& p, const std::vector<JedecRequest>& requests) {
  JedecController c(p);
  for (const JedecRequest& r : requests) c.Submit(r);
  Served s;
  for (std::uint64_t id = 0; id < requests.size(); ++id) {
    s.first_data_ps.push_back(c.RunUntil(id).first_data_ps);
  }
  c.RunAll();  // a PRE still queued after the last access
  s.stats = c.stats();
  return s;
}

// The clocks from the Nth access of a row to the first of the row opened again: its PRE waits
// for tRTP after that RD and tRAS after the row's ACT (which was tRCD + (N - 1) tCCD_L before
// the RD), the ACT tRP after the PRE, the RD tRCD after the ACT.
std::int64_t CloseGap(const JedecParams& p, std::int64_t n) {
  const std::int64_t since_act = p.tRCD + (n - 1) * p.tCCD_L;
  return std::max(p.tRTP, p.tRAS - since_act) + p.tRP + p.tRCD;
}

// A one-row stream of R reads with cap N: every Nth access closes the row, so ceil(R / N) ACTs
// and floor(R / N) PREs (the last access's too, when N divides R); consecutive reads are tCCD_L
// apart but across a close, which costs exactly the PRE -> ACT -> RD gap. Every bus and mode.
TEST(JedecCloseAfter, AOneRowStreamIsCutEveryNAccessesByThePrechargeGap) {
  const std::uint64_t r = 64;
  for (const char* bus : kBuses) {
    for (const std::int64_t n : {1, 3, 4, 16, 64}) {
      const JedecParams p = Ddr4(bus, {{"close_after_accesses", std::to_string(n)}});
      const Served s = Serve(p, OneRowReads(p, r));
      const auto nn = static_cast<std::uint64_t>(n);
      EXPECT_EQ(s.stats.act, static_cast<std::int64_t>((r + nn - 1) / nn)) << bus << " " << n;
      EXPECT_EQ(s.stats.pre, static_cast<std::int64_t>(r / nn)) << bus << " " << n;
      EXPECT_EQ(s.stats.rd, static_cast<std::int64_t>(r));
      EXPECT_EQ(s.stats.row_misses, s.stats.act);
      for (std::uint64_t i = 1; i < r; ++i) {
        const std::int64_t gap = i % nn == 0 ? CloseGap(p, n) : p.tCCD_L;
        EXPECT_EQ(s.first_data_ps[i] - s.first_data_ps[i - 1], p.ClocksToPs(gap))
            << bus << " cap " << n << " request " << i;
      }
    }
  }
}

// A cap no access reaches leaves the schedule as open rows do, and an unset one (or a run of
// fewer accesses than the cap) is the open-page result exactly; a cap the last access reaches
// adds its PRE only.
TEST(JedecCloseAfter, ACapTheStreamDoesNotReachIsTheOpenPageResult) {
  const std::uint64_t r = 64;
  for (const char* bus : kBuses) {
    const JedecParams open = Ddr4(bus, {});
    EXPECT_EQ(open.close_after_accesses, 0);
    const Served o = Serve(open, OneRowReads(open, r));
    EXPECT_EQ(o.stats.act, 1);
    EXPECT_EQ(o.stats.pre, 0);
    for (const std::uint64_t n : {r, r + 1, std::uint64_t{10000000}}) {
      const JedecParams p = Ddr4(bus, {{"close_after_accesses", std::to_string(n)}});
      const Served s = Serve(p, OneRowReads(p, r));
      EXPECT_EQ(s.first_data_ps, o.first_data_ps) << bus << " " << n;
      EXPECT_EQ(s.stats.act, 1);
      EXPECT_EQ(s.stats.pre, n == r ? 1 : 0) << bus << " " << n;
      EXPECT_EQ(s.stats.bus_busy_ps, o.stats.bus_busy_ps);
    }
  }
  // The bench's patterns, with refresh and power-down, saturated or not: a cap of ten million
  // is never reached (a refresh closes every row first) and nothing moves.
  for (const char* bus : kBuses) {
    for (const char* pattern : {"seq-read", "random-mix"}) {
      const Sets base = {{"command_bus", bus}};
      Sets capped = base;
      capped.emplace_back("close_after_accesses", "10000000");
      JedecBenchOptions o;
      o.pattern = pattern;
      o.requests = 3000;
      const JedecBenchResult a = RunJedecBench(test::JedecPreset("ddr4-3200-x8", base), o);
      const JedecBenchResult b = RunJedecBench(test::JedecPreset("ddr4-3200-x8", capped), o);
      EXPECT_EQ(a.bandwidth_GBps, b.bandwidth_GBps) << bus << " " << pattern;
      EXPECT_EQ(a.avg_read_latency_ns, b.avg_read_latency_ns) << bus << " " << pattern;
      EXPECT_EQ(a.act, b.act) << bus << " " << pattern;
      EXPECT_EQ(a.pre, b.pre) << bus << " " << pattern;
      EXPECT_EQ(a.total_pj, b.total_pj) << bus << " " << pattern;
    }
  }
}

// On a clocked bus the queued PRE goes before every request: a read of another bank group that
// arrives the clock after bank 0's Nth RD has its ACT ready at once, but waits until the PRE
// issues (tRTP after that RD), and takes the next clock. With open rows it is served sooner.
TEST(JedecCloseAfter, TheQueuedPrechargeHoldsOtherBanksRequestsBack) {
  const std::int64_t n = 4;
  for (const char* bus : {"one_per_clock", "row_column"}) {
    const JedecParams capped = Ddr4(bus, {{"close_after_accesses", std::to_string(n)}});
    ASSERT_GE(capped.tRCD + (n - 1) * capped.tCCD_L + capped.tRTP, capped.tRAS);  // tRTP binds
    const std::vector<JedecRequest> row = OneRowReads(capped, static_cast<std::uint64_t>(n));
    const std::uint64_t last_rd =
        Serve(capped, row).first_data_ps.back() - capped.ClocksToPs(capped.CL);
    // Bank group 1 (bank 0, row 0): the address one bank group up.
    const JedecAddressMap map(capped);
    std::uint64_t other = 0;
    while (map.Decode(other).bank_group != 1)
      other += static_cast<std::uint64_t>(capped.BurstBytes());
    std::vector<JedecRequest> requests = row;
    requests.push_back({other, 64, false, last_rd + capped.ClocksToPs(1)});
    const Served s = Serve(capped, requests);
    const std::uint64_t pre = last_rd + capped.ClocksToPs(capped.tRTP);
    // ACT the clock after the PRE (one row command per clock on either bus), RD tRCD later.
    EXPECT_EQ(s.first_data_ps.back(), pre + capped.ClocksToPs(1 + capped.tRCD + capped.CL)) << bus;
    const JedecParams open = Ddr4(bus, {});
    const Served o = Serve(open, requests);
    EXPECT_LT(o.first_data_ps.back() + open.ClocksToPs(capped.tRTP - 2), s.first_data_ps.back())
        << bus;
  }
}

// A refresh closes the row and starts the count again: after each refresh the next close comes
// N accesses after the row's new ACT, not where the count before the refresh would have put it.
TEST(JedecCloseAfter, ARefreshStartsTheCountAgain) {
  const std::int64_t n = 5;
  for (const char* bus : kBuses) {
    const JedecParams p = Ddr4(
        bus, {{"close_after_accesses", std::to_string(n)}, {"refresh", "true"}, {"tREFI", "1000"}});
    const std::uint64_t r = 128;
    const Served s = Serve(p, OneRowReads(p, r));
    ASSERT_GE(s.stats.ref, 2) << bus;
    const std::uint64_t close = p.ClocksToPs(CloseGap(p, n));
    std::int64_t since = 1;  // accesses since the row was last opened (request 0 opened it)
    int refreshes_seen = 0, mid_count = 0;
    for (std::uint64_t i = 1; i < r; ++i) {
      const std::uint64_t gap = s.first_data_ps[i] - s.first_data_ps[i - 1];
      if (gap >= p.ClocksToPs(p.tRFC)) {  // a refresh closed the row: opened again, counted anew
        ++refreshes_seen;
        mid_count += since < n;
        since = 1;
        continue;
      }
      const bool closes = since == n;
      EXPECT_EQ(gap, closes ? close : p.ClocksToPs(p.tCCD_L)) << bus << " request " << i;
      since = closes ? 1 : since + 1;
    }
    EXPECT_EQ(refreshes_seen, s.stats.ref) << bus;
    EXPECT_GE(mid_count, 1) << bus;  // a refresh fell mid-count, so the reset is what is tested
  }
}

// Ramulator 2's controller (queues of 33, the active buffer, one command per clock): a
// saturated random mix is served whole under any cap, every ACT serving the access after it
// (the active buffer's rows are not closed under it; refresh off, which closes them anyway), and
// a cap of 1 closes every row after one access: as many ACTs as accesses.
TEST(JedecCloseAfter, UnderRamulatorsControllerEveryRequestIsServed) {
  for (const char* cap : {"1", "2", "4"}) {
    const JedecParams p = Ddr4("one_per_clock", {{"close_after_accesses", cap},
                                                 {"read_queue", "33"},
                                                 {"write_queue", "33"},
                                                 {"active_buffer", "33"},
                                                 {"ranks", "2"}});
    JedecBenchOptions o;
    o.pattern = "random-mix";
    o.requests = 3000;
    o.range = 1 << 20;  // row hits, so that caps are reached
    JedecController c(p);
    for (const JedecRequest& r : JedecBenchRequests(p, o)) c.Submit(r);
    c.RunAll();
    EXPECT_EQ(c.stats().rd + c.stats().wr, 3000) << cap;
    EXPECT_EQ(c.stats().act, c.stats().row_misses) << cap;
    if (std::string(cap) == "1") {
      EXPECT_EQ(c.stats().act, 3000);
    }
  }
}

// Requests handed over as they arrive, decisions up to random times (as the SystemC adapter
// drives the controller), are served as when all are queued at once: a PRE still queued when
// the queues empty is issued on its clock.
TEST(JedecCloseAfter, IncrementalDriverMatchesAllQueued) {
  for (const char* bus : kBuses) {
    test::ExpectIncrementalDriverMatchesAllQueued(
        test::JedecPreset("ddr4-3200-x8", {{"command_bus", bus}, {"close_after_accesses", "3"}}), 5,
        bus);
  }
}

// A positive whole number, with open pages only; each bad value one located line.
TEST(JedecCloseAfter, OnlyAPositiveCountWithOpenPagesIsAccepted) {
  const auto error = [](const std::string& extra) {
    const std::string yaml =
        "preset: " + test::SourceDir() + "/configs/dram/ddr4-3200-x8.yaml\n" + extra;
    return test::ErrorOf([&] {
      ConfigMap root = ConfigMap::Root(ConfigDocument::Parse(yaml, "d.yaml"));
      ReadJedecParams(root);
      root.Finish();
    });
  };
  EXPECT_EQ(error("close_after_accesses: 4\n"), "<no error>");
  EXPECT_EQ(error("close_after_accesses: 0\n"),
            "d.yaml:2:23: 'close_after_accesses': must be >= 1, got 0");
  EXPECT_EQ(error("close_after_accesses: -4\n"),
            "d.yaml:2:23: 'close_after_accesses': must be >= 1, got -4");
  EXPECT_EQ(error("close_after_accesses: 4.5\n"),
            "d.yaml:2:23: 'close_after_accesses': expected an integer, got '4.5'");
  EXPECT_EQ(error("close_after_accesses: four\n"),
            "d.yaml:2:23: 'close_after_accesses': expected an integer, got 'four'");
  EXPECT_EQ(error("page_policy: closed\nclose_after_accesses: 4\n"),
            "d.yaml:3:23: 'close_after_accesses': applies to page_policy: open only (a closed "
            "page closes every row after one access)");
}

}  // namespace
}  // namespace pjsim
