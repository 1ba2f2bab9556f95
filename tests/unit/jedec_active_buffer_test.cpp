// The `jedec` controller's active buffer (`active_buffer: N`, Ramulator 2's GenericDRAMController):
// a request whose ACT has issued leaves its read or write queue for a buffer of N entries, served
// before the queues, whose banks are neither precharged nor activated for another row until it is
// served. Its queue slot frees at the ACT, so a saturated controller holds more requests than its
// queue's depth and (Little's law, at the same throughput) they wait longer.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_incremental_driver.h"
#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "sim/config/config_error.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// DDR4-3200 x8 under a clocked command bus with read and write queues of 33 (Ramulator 2's
// controller, docs/RAMULATOR.md), with `extra` on top.
JedecParams Ddr4(Sets extra) {
  Sets sets = {{"power_down", "false"},
               {"command_bus", "one_per_clock"},
               {"read_queue", "33"},
               {"write_queue", "33"}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr4-3200-x8", sets);
}

JedecBenchResult Bench(const JedecParams& p, const std::string& pattern, std::int64_t requests) {
  JedecBenchOptions o;
  o.pattern = pattern;
  o.requests = requests;
  return RunJedecBench(p, o);
}

// Saturated random reads: the requests the controller holds before their column command (Little's
// law: throughput x the mean time from acceptance to the column command, which is the latency
// less CL and the burst) are at most the read queue's 33 without an active buffer, and more with
// one, at most the queue plus the buffer; the mean latency rises with them at the same bandwidth.
TEST(JedecActiveBuffer, HoldsMoreRequestsAtSaturationAndTheyWaitLonger) {
  struct Held {
    double requests, latency_ns, gbps;
  };
  const auto held = [](const JedecParams& p) {
    const JedecBenchResult r = Bench(p, "random-read", 6000);
    const double per_ns = r.bandwidth_GBps / 64;  // requests of 64 B per ns
    const double after_column_ns = static_cast<double>(p.CL + p.BurstClocks()) * p.tCK;
    return Held{per_ns * (r.avg_read_latency_ns - after_column_ns), r.avg_read_latency_ns,
                r.bandwidth_GBps};
  };
  const Held none = held(Ddr4({}));
  const Held one = held(Ddr4({{"active_buffer", "1"}}));
  const Held full = held(Ddr4({{"active_buffer", "33"}}));
  EXPECT_LE(none.requests, 33.2);
  EXPECT_GT(none.requests, 31.0);  // saturated: the queue stays full
  EXPECT_GT(one.requests, 33.2);
  EXPECT_LE(one.requests, 34.2);   // the buffer's one entry
  EXPECT_GT(full.requests, 34.5);  // about 2.5 requests activated and waiting for their RD
  EXPECT_GT(full.latency_ns, none.latency_ns * 1.05);
  EXPECT_NEAR(full.gbps / none.gbps, 1.0, 0.01);
}

// The first burst-aligned address of `rank` in (bank group, bank 0, row) at column `column`.
std::uint64_t AddressOf(const JedecParams& p, std::uint32_t group, std::uint64_t row,
                        std::uint64_t column, std::uint32_t rank = 0) {
  const JedecAddressMap map(p);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  for (std::uint64_t a = 0;; a += burst) {
    const JedecAddress d = map.Decode(a);
    if (d.rank == rank && d.bank_group == group && d.bank == 0 && d.row == row &&
        d.column == column) {
      return a;
    }
  }
}

// Ties in the active buffer (Ramulator 2's FR-FCFS on its active buffer compares `arrive`, the
// clock the controller accepted a request, and among equal clocks keeps the buffer's FIFO order,
// the order of the ACTs). Two ranks: a read X of rank 1 and reads A and B of rank 0, accepted at
// one clock in that order; A's bank has another row open (the earlier read P), so A's PRE goes
// first, then B's ACT, then A's ACT (tRP 2 clocks). X's read holds the data bus for rank 0
// (tRTRS 40) past both RDs' tRCD, so A's and B's RDs become ready at the same clock: B, activated
// first, reads first, though A arrived first.
TEST(JedecActiveBuffer, ATieBetweenRequestsAcceptedTheSameClockGoesToTheFirstActivated) {
  const JedecParams p = Ddr4({{"active_buffer", "33"},
                              {"refresh", "false"},
                              {"ranks", "2"},
                              {"tRP", "2"},
                              {"tRRD_S", "1"},
                              {"tRRD_L", "1"},
                              {"tRTRS", "40"}});
  JedecController c(p);
  c.Submit({AddressOf(p, 0, 1, 0, 0), 64, false, 0});
  const std::uint64_t t = p.ClocksToPs(200);
  const std::uint64_t x = c.Submit({AddressOf(p, 0, 0, 0, 1), 64, false, t});
  const std::uint64_t a = c.Submit({AddressOf(p, 0, 0, 0, 0), 64, false, t});
  const std::uint64_t b = c.Submit({AddressOf(p, 1, 0, 0, 0), 64, false, t});
  const JedecCompletion dx = c.RunUntil(x), da = c.RunUntil(a), db = c.RunUntil(b);
  EXPECT_LT(dx.first_data_ps, db.first_data_ps);
  EXPECT_LT(db.first_data_ps, da.first_data_ps);
}

// The stalled clock (Ramulator 2's schedule_request step 2.3): when the best command of the
// queues is a PRE to a bank whose row an active-buffer request still waits for, nothing issues
// at that clock. Read E of rank 0 is activated and waits for the data bus (read Y of rank 1 went
// first, tRTRS 60); read M to another row of E's bank arrived after E, and its PRE becomes ready
// (tRAS after E's ACT) before E's RD. Read Z of rank 1 arrives then: without the stall its ACT
// and RD go at once (before E's RD); with it, Z waits for E's RD and M's PRE.
TEST(JedecActiveBuffer, APreBlockedByAnActivatedRequestHoldsTheClock) {
  const JedecParams p = Ddr4({{"active_buffer", "33"},
                              {"refresh", "false"},
                              {"ranks", "2"},
                              {"tRRD_S", "1"},
                              {"tRRD_L", "1"},
                              {"tRTRS", "60"}});
  ASSERT_LT(2 + p.tRAS, 1 + p.tRCD + 60);  // M's PRE is ready while E waits
  JedecController c(p);
  c.Submit({AddressOf(p, 0, 0, 0, 1), 64, false, 0});  // Y
  const std::uint64_t e = c.Submit({AddressOf(p, 0, 0, 0, 0), 64, false, 0});
  c.Submit({AddressOf(p, 0, 1, 0, 0), 64, false, 0});  // M
  const std::uint64_t z = c.Submit({AddressOf(p, 1, 0, 0, 1), 64, false, p.ClocksToPs(p.tRAS + 4)});
  const JedecCompletion de = c.RunUntil(e), dz = c.RunUntil(z);
  EXPECT_GT(dz.first_data_ps, de.first_data_ps);
  // Z's ACT follows E's RD and M's PRE: Z's RD at least tRCD after E's.
  EXPECT_GE(dz.first_data_ps, de.first_data_ps + p.ClocksToPs(p.tRCD));
}

// Served first: four reads of one row of bank group 0 queued at clock 0 (their ACT at clock 1,
// RDs tRCD later and then tCCD_L apart), and a read of group 1 arriving at clock 8 (ACT at 9):
// its RD is ready at 9 + tRCD, the clock the second hit of group 0 is ready too. The older hit
// would go first by age; the active buffer's entry goes first, at the first clock its timing
// allows (the hit follows tCCD_S later).
TEST(JedecActiveBuffer, AnActivatedRequestIsServedBeforeOlderReadyHits) {
  for (const std::string size : {"0", "33"}) {
    const JedecParams p =
        Ddr4({{"active_buffer", size}, {"refresh", "false"}, {"tRRD_S", "1"}, {"tRRD_L", "1"}});
    ASSERT_EQ(1 + p.tRCD + p.tCCD_L, 9 + p.tRCD);  // the tie this test is built on
    JedecController c(p);
    for (std::uint64_t col = 0; col < 4; ++col) c.Submit({AddressOf(p, 0, 0, col), 64, false, 0});
    const std::uint64_t late = c.Submit({AddressOf(p, 1, 0, 0), 64, false, p.ClocksToPs(8)});
    const JedecCompletion d = c.RunUntil(late);
    const std::int64_t rd = 9 + p.tRCD + (size == "0" ? p.tCCD_S : 0);
    EXPECT_EQ(d.first_data_ps, p.ClocksToPs(rd + p.CL)) << "active_buffer " << size;
  }
}

// No activation is wasted: every ACT serves the column access that follows it (ACTs equal the
// row misses, the first access after each ACT) in saturated mixes, under each scheduler, with a
// row-hit cap and two ranks; refresh is off (a refresh closes rows whatever waits for them).
// A buffer of 33 never fills (a bank holds at most one of its entries); one of 4 does, and the
// requests activated meanwhile stay in their queue, kept open as without a buffer: by FR-FCFS's
// rule that no PRE goes while a hit to the open row waits. FCFS has no such rule (a drain's
// oldest write precharges a row activated for a younger read: 4,188 ACTs for 3,732 misses in
// this mix with two ranks and no buffer), so with FCFS only the buffer that never fills is tried.
TEST(JedecActiveBuffer, NoRowIsClosedBeforeItsActivatedRequestIsServed) {
  for (const std::string scheduler : {"fr-fcfs", "fcfs", "round-robin"}) {
    for (const std::string cap : {"0", "1"}) {
      for (const std::string ranks : {"1", "2"}) {
        for (const std::string size : {"33", "4"}) {
          if (scheduler == "fcfs" && size == "4") continue;
          const JedecParams p = Ddr4({{"active_buffer", size},
                                      {"refresh", "false"},
                                      {"scheduler", scheduler},
                                      {"row_hit_cap", cap},
                                      {"ranks", ranks},
                                      {"write_high_watermark", "0.5"},
                                      {"write_low_watermark", "0.4"}});
          JedecBenchOptions o;
          o.pattern = "random-mix";
          o.requests = 4000;
          o.range = 1 << 22;  // some row hits, so that hits and misses of a bank compete
          JedecController c(p);
          for (const JedecRequest& r : JedecBenchRequests(p, o)) c.Submit(r);
          c.RunAll();
          EXPECT_EQ(c.stats().act, c.stats().row_misses)
              << scheduler << " cap " << cap << " ranks " << ranks << " buffer " << size;
          EXPECT_EQ(c.stats().rd + c.stats().wr, 4000);
        }
      }
    }
  }
}

// A refresh closes a row activated for a waiting request: the request keeps its place in the
// buffer and its bank, which no other request may open for another row first; it activates the
// row again. Every request is served (no stall) and at most one ACT per refreshed bank is spent.
TEST(JedecActiveBuffer, ARefreshClosingAnActivatedRowDoesNotStall) {
  const JedecParams p = Ddr4({{"active_buffer", "33"}, {"tREFI", "400"}, {"tRFC", "60"}});
  JedecBenchOptions o;
  o.pattern = "random-mix";
  o.requests = 3000;
  o.range = 1 << 22;
  JedecController c(p);
  for (const JedecRequest& r : JedecBenchRequests(p, o)) c.Submit(r);
  c.RunAll();
  EXPECT_EQ(c.stats().rd + c.stats().wr, 3000);
  EXPECT_GT(c.stats().ref, 20);
  EXPECT_LE(c.stats().act - c.stats().row_misses, c.stats().ref * p.Banks());
}

// Requests handed over as they arrive, decisions up to random times (as the SystemC adapter
// drives the controller), are served as when all are queued at once.
TEST(JedecActiveBuffer, IncrementalDriverMatchesAllQueued) {
  test::ExpectIncrementalDriverMatchesAllQueued(Ddr4({{"active_buffer", "8"}, {"ranks", "2"}}), 11);
}

// The default is none, which leaves every schedule as it was; the buffer needs a clocked command
// bus (the ahead mode places a request's ACT and column command in one decision) and a shared
// queue (command queues hold the activated requests themselves).
TEST(JedecActiveBuffer, DefaultsToNoneAndNeedsAClockedBusAndASharedQueue) {
  EXPECT_EQ(test::JedecPreset("ddr4-3200-x8").active_buffer, 0);
  const JedecBenchResult with_zero = Bench(Ddr4({{"active_buffer", "0"}}), "random-mix", 2000);
  const JedecBenchResult without = Bench(Ddr4({}), "random-mix", 2000);
  EXPECT_EQ(with_zero.avg_read_latency_ns, without.avg_read_latency_ns);
  EXPECT_EQ(with_zero.bandwidth_GBps, without.bandwidth_GBps);
  EXPECT_THROW(test::JedecPreset("ddr4-3200-x8", {{"active_buffer", "8"}}), ConfigError);
  EXPECT_THROW(Ddr4({{"active_buffer", "8"}, {"queue_structure", "per_bank"}}), ConfigError);
  EXPECT_THROW(Ddr4({{"active_buffer", "-1"}}), ConfigError);
  EXPECT_NO_THROW(Ddr4({{"active_buffer", "8"}, {"command_bus", "row_column"}}));
}

}  // namespace
}  // namespace pjsim
