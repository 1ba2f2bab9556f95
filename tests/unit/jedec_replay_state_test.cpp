// Layer replay of the `jedec` controller (models/memory/jedec_controller_replay.cpp): a recorded
// run applied to a controller in the same relative state leaves what simulating the run leaves,
// and a state that would change the run's commands (a row open that turns a hit into a miss, a
// write recovery still pending) does not match the record.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>

#include "jedec_preset.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

constexpr std::uint64_t kMs = 1'000'000'000;  // ps
// DDR4-3200 x16 (rochrababgco): one bank's next row is 16 banks x 8 KiB further.
constexpr std::uint64_t kRow = 16 * 8192;

// No refresh or power-down: nothing but the requests moves the state.
JedecParams Params() {
  return test::JedecPreset("ddr4-3200-x16", {{"refresh", "false"}, {"power_down", "false"}});
}

JedecCompletion Serve(JedecController& c, const JedecRequest& r) {
  c.NoteReplayAccess(r, r.address);
  return c.RunUntil(c.Submit(r));
}

// Leaves row `row` of bank 0 open by a write at `t`.
void Write(JedecController& c, std::uint64_t row, std::uint64_t t) {
  Serve(c, {row * kRow, 4096, true, t});
}

// The run: a read of bank 0's open row 3 (hits), then of row 7 (a miss), then a write to row 7
// (its write recovery outlasts the run), from `start`.
// (`moved`: every address that much further.)
void RunReads(JedecController& c, std::uint64_t start, std::uint64_t moved = 0) {
  Serve(c, {moved + 3 * kRow, 8192, false, start});
  Serve(c, {moved + 7 * kRow + 4096, 2048, false, start + 20'000});
  Serve(c, {moved + 7 * kRow, 1024, true, start + 40'000});
}

std::unique_ptr<JedecController::ReplayRun> Record() {
  JedecController c(Params());
  Write(c, 3, 0);
  c.BeginReplayRecord(kMs);
  RunReads(c, kMs);
  return c.EndReplayRecord();
}

TEST(JedecReplayState, AppliedRunLeavesWhatTheSimulatedRunLeaves) {
  const auto run = Record();
  JedecController simulated(Params()), replayed(Params());
  for (JedecController* c : {&simulated, &replayed}) Write(*c, 3, kMs);
  const std::uint64_t start = 5 * kMs;
  ASSERT_TRUE(replayed.IdleAt(start));
  ASSERT_TRUE(replayed.ReplayMatches(*run, start, {}));
  RunReads(simulated, start);
  replayed.ApplyReplay(*run, run->counts, start, {});
  const JedecStats &a = simulated.stats(), &b = replayed.stats();
  EXPECT_EQ(a.act, b.act);
  EXPECT_EQ(a.pre, b.pre);
  EXPECT_EQ(a.rd, b.rd);
  EXPECT_EQ(a.wr, b.wr);
  EXPECT_EQ(a.row_hits, b.row_hits);
  EXPECT_EQ(a.row_misses, b.row_misses);
  EXPECT_EQ(a.bus_busy_ps, b.bus_busy_ps);
  EXPECT_EQ(a.bytes_read, b.bytes_read);
  EXPECT_EQ(a.read_latency_histogram, b.read_latency_histogram);
  const JedecStateTimes ta = simulated.StateTimes(7 * kMs), tb = replayed.StateTimes(7 * kMs);
  EXPECT_DOUBLE_EQ(ta.standby_ns, tb.standby_ns);
  EXPECT_DOUBLE_EQ(ta.active_ns, tb.active_ns);
  // The state too: the next request, right after the run's last data (bank 0's write recovery
  // and the bus's turnaround still pending), a miss in bank 0, completes at the same time in
  // both.
  const std::uint64_t next = simulated.RunAll();
  const JedecRequest r{9 * kRow, 4096, false, next};
  const JedecCompletion ca = Serve(simulated, r), cb = Serve(replayed, r);
  EXPECT_EQ(ca.first_data_ps, cb.first_data_ps);
  EXPECT_EQ(ca.done_ps, cb.done_ps);
  EXPECT_EQ(simulated.stats().row_hits, replayed.stats().row_hits);
}

TEST(JedecReplayState, ARunMovedPastTheChannelsCapacityWrapsItsRowsAsTheAddressMap) {
  // Moved by all rows but 3: the run's rows 3 and 7 become rows 0 and 4, as the address map
  // decodes the moved addresses (the row field wraps). Bank 0 open on the moved row 3 (row 0)
  // is the recorded hit, and the run leaves row 4 open: the next access to it hits.
  const auto run = Record();
  const JedecParams p = Params();
  const std::uint64_t moved = static_cast<std::uint64_t>(p.rows - 3) * kRow;
  const JedecController::ReplayMove move = [&](std::uint64_t global) { return global + moved; };
  JedecController simulated(p), replayed(p);
  for (JedecController* c : {&simulated, &replayed})
    Write(*c, static_cast<std::uint64_t>(p.rows), kMs);
  const std::uint64_t start = 5 * kMs;
  ASSERT_TRUE(replayed.ReplayMatches(*run, start, move));
  RunReads(simulated, start, moved);
  replayed.ApplyReplay(*run, run->counts, start, move);
  EXPECT_EQ(simulated.stats().act, replayed.stats().act);
  EXPECT_EQ(simulated.stats().row_hits, replayed.stats().row_hits);
  const std::uint64_t next = simulated.RunAll();
  const JedecRequest r{moved + 7 * kRow + 2048, 1024, false, next};
  const std::int64_t hits = simulated.stats().row_hits;
  const JedecCompletion ca = Serve(simulated, r), cb = Serve(replayed, r);
  EXPECT_EQ(simulated.stats().row_hits, hits + 16);  // 1 KiB: 16 bursts, all hits
  EXPECT_EQ(replayed.stats().row_hits, simulated.stats().row_hits);
  EXPECT_EQ(ca.done_ps, cb.done_ps);
  // Bank 0 open on row 3 itself, which the moved run does not access: a miss, no match.
  JedecController unmoved(p);
  Write(unmoved, 3, kMs);
  EXPECT_FALSE(unmoved.ReplayMatches(*run, start, move));
}

// DDR4-3200 x16 with the bank group below the column (`rorabacobg`): bank 0 of group 0 holds
// row r's bytes in [r x 64 KiB, r x 64 KiB + 16 KiB), every other burst; tensors in 8 KiB
// granules, so two tensors share each such row.
constexpr std::uint64_t kSharedStride = 8 * 8192;
constexpr std::uint64_t kGranule = 8192;

JedecController SharedRows() {
  JedecController c(test::JedecPreset(
      "ddr4-3200-x16",
      {{"refresh", "false"}, {"power_down", "false"}, {"address_mapping", "rorabacobg"}}));
  c.SetReplayGranule(kGranule);
  return c;
}

// Tensor A's read of bank 0's row `a`, then tensor B's (the next granule of row `b`): a hit
// when a == b.
void ReadTwoTensors(JedecController& c, std::uint64_t t, std::uint64_t a, std::uint64_t b) {
  Serve(c, {a * kSharedStride, 4096, false, t});
  Serve(c, {b * kSharedStride + kGranule, 4096, false, t + 100'000});
}

TEST(JedecReplayState, AMoveMustRenameABanksSharedRowsOneToOne) {
  ASSERT_TRUE(SharedRows().ReplayRowsShared());
  EXPECT_EQ(SharedRows().ReplayMoveQuantum(), kSharedStride);
  // Moves by whole strides: A by `da` rows, B by `db`.
  const auto move = [](std::uint64_t da, std::uint64_t db) -> JedecController::ReplayMove {
    return [=](std::uint64_t global) {
      return global + (global % kSharedStride < kGranule ? da : db) * kSharedStride;
    };
  };
  const auto record = [](std::uint64_t a, std::uint64_t b) {
    JedecController c = SharedRows();
    c.BeginReplayRecord(kMs);
    ReadTwoTensors(c, kMs, a, b);
    return c.EndReplayRecord();
  };
  const std::uint64_t start = 5 * kMs;
  // Recorded sharing row 2 (B hits A's row): moved together, the same hit; apart, B would miss.
  const auto together = record(2, 2);
  EXPECT_TRUE(SharedRows().ReplayMatches(*together, start, move(3, 3)));
  EXPECT_FALSE(SharedRows().ReplayMatches(*together, start, move(3, 4)));
  // Recorded in rows 2 and 3 (B misses): moved onto one row, B would hit.
  const auto apart = record(2, 3);
  EXPECT_TRUE(SharedRows().ReplayMatches(*apart, start, move(5, 5)));
  EXPECT_FALSE(SharedRows().ReplayMatches(*apart, start, move(1, 0)));
  // And what a match applies is what simulating the moved run does.
  JedecController simulated = SharedRows(), replayed = SharedRows();
  ReadTwoTensors(simulated, start, 5, 5);
  ASSERT_TRUE(replayed.ReplayMatches(*together, start, move(3, 3)));
  replayed.ApplyReplay(*together, together->counts, start, move(3, 3));
  EXPECT_EQ(simulated.stats().row_hits, replayed.stats().row_hits);
  EXPECT_EQ(simulated.stats().act, replayed.stats().act);
  const std::uint64_t next = simulated.RunAll();
  const JedecRequest r{5 * kSharedStride + 2 * kGranule, 4096, false, next};
  const JedecCompletion ca = Serve(simulated, r), cb = Serve(replayed, r);
  EXPECT_EQ(ca.done_ps, cb.done_ps);
  EXPECT_EQ(simulated.stats().row_hits, replayed.stats().row_hits);
}

TEST(JedecReplayState, AnOpenRowThatTurnsAHitIntoAMissDoesNotMatch) {
  const auto run = Record();
  JedecController c(Params());
  Write(c, 5, kMs);  // bank 0 open on row 5: the run's first access (row 3) would miss
  EXPECT_FALSE(c.ReplayMatches(*run, 5 * kMs, {}));
  JedecController closed(Params());  // never opened: a miss too
  EXPECT_FALSE(closed.ReplayMatches(*run, 5 * kMs, {}));
}

TEST(JedecReplayState, APendingWriteRecoveryDoesNotMatch) {
  const auto run = Record();
  JedecController c(Params());
  const JedecCompletion w = Serve(c, {3 * kRow, 4096, true, kMs});
  // After the write's data and tWTR_L, write recovery (tWR) still holds the bank's precharge,
  // which the run's miss to row 7 needs.
  const JedecParams& p = c.params();
  const std::uint64_t start = w.done_ps + p.ClocksToPs(p.tWTR_L) + 1;
  ASSERT_LT(start, w.done_ps + p.ClocksToPs(p.tWR));
  ASSERT_TRUE(c.IdleAt(start));
  EXPECT_FALSE(c.ReplayMatches(*run, start, {}));
  EXPECT_TRUE(c.ReplayMatches(*run, start + kMs, {}));  // expired
}

TEST(JedecReplayState, RefreshesFollowTheAbsoluteSchedule) {
  // With refresh: the recorded run (from 1 ms) placed the refreshes due by then; a replay from
  // 5 ms places those due by its own window, as the simulated run does.
  const JedecParams p = test::JedecPreset("ddr4-3200-x16", {{"power_down", "false"}});
  JedecController recorded(p), simulated(p), replayed(p);
  Write(recorded, 3, 0);
  recorded.BeginReplayRecord(kMs);
  RunReads(recorded, kMs);
  const auto run = recorded.EndReplayRecord();
  for (JedecController* c : {&simulated, &replayed}) Write(*c, 3, 2 * kMs);
  const std::uint64_t start = 5 * kMs;
  ASSERT_TRUE(replayed.ReplayMatches(*run, start, {}));
  RunReads(simulated, start);
  replayed.ApplyReplay(*run, run->counts, start, {});
  // About 5 ms / tREFI, far from the recorded run's count (about 1 ms / tREFI); the last one due
  // inside the window may be placed by one and not yet by the other.
  EXPECT_GT(simulated.stats().ref, 4 * run->counts.ref);
  EXPECT_NEAR(static_cast<double>(replayed.stats().ref), static_cast<double>(simulated.stats().ref),
              1);
  EXPECT_EQ(replayed.stats().refresh_ps,
            static_cast<std::uint64_t>(replayed.stats().ref) * p.ClocksToPs(p.tRFC));
}

// What a run can still observe (docs/DRAM.md, "Replay of layer runs"): bank B (one bank past
// bank 0) open on row 5; the run reads one burst of its row 9 (a miss) arriving `delay` after
// the start.
constexpr std::uint64_t kBankB = 8192;

void ReadLate(JedecController& c, std::uint64_t start, std::uint64_t delay) {
  Serve(c, {9 * kRow + kBankB, 64, false, start + delay});
}

std::unique_ptr<JedecController::ReplayRun> RecordLate(const JedecParams& p, std::uint64_t open_at,
                                                       std::uint64_t start, std::uint64_t delay) {
  JedecController c(p);
  Serve(c, {5 * kRow + kBankB, 64, false, open_at});
  c.BeginReplayRecord(start);
  ReadLate(c, start, delay);
  return c.EndReplayRecord();
}

// Opens bank B on row 5 by one burst at `t` and returns the start at which every constraint
// of that access has expired but the bank's next ACT (tRC after this one), 4 clocks later.
std::uint64_t OpenBankB(JedecController& c, std::uint64_t t) {
  const JedecCompletion done = Serve(c, {5 * kRow + kBankB, 64, false, t});
  const JedecParams& p = c.params();
  const std::uint64_t act = done.first_data_ps - p.ClocksToPs(p.tRCD + p.CL);
  return act + p.ClocksToPs(p.tRC - 4);
}

TEST(JedecReplayState, AnActHoldTheFirstAccessOutlastsMatchesAndReplaysExactly) {
  const std::uint64_t late = 200'000;  // well past tRC
  const auto run = RecordLate(Params(), 0, kMs, late);
  JedecController simulated(Params()), replayed(Params());
  std::uint64_t start = 0;
  for (JedecController* c : {&simulated, &replayed}) start = OpenBankB(*c, 2 * kMs);
  ASSERT_TRUE(replayed.IdleAt(start));
  // The ACT hold is the only difference from the recorded start, and it ends before the run's
  // first request to the bank arrives.
  ASSERT_TRUE(replayed.ReplayMatches(*run, start, {}));
  ReadLate(simulated, start, late);
  replayed.ApplyReplay(*run, run->counts, start, {});
  const JedecStats &a = simulated.stats(), &b = replayed.stats();
  EXPECT_EQ(a.act, b.act);
  EXPECT_EQ(a.pre, b.pre);
  EXPECT_EQ(a.rd, b.rd);
  EXPECT_EQ(a.read_latency_histogram, b.read_latency_histogram);
  EXPECT_EQ(a.read_latency_sum_ns, b.read_latency_sum_ns);
  const JedecStateTimes ta = simulated.StateTimes(7 * kMs), tb = replayed.StateTimes(7 * kMs);
  EXPECT_DOUBLE_EQ(ta.active_ns, tb.active_ns);
  // And the state: a miss to the same bank right after the run completes alike in both.
  const std::uint64_t next = simulated.RunAll();
  const JedecRequest r{2 * kRow + kBankB, 64, false, next};
  const JedecCompletion ca = Serve(simulated, r), cb = Serve(replayed, r);
  EXPECT_EQ(ca.first_data_ps, cb.first_data_ps);
  EXPECT_EQ(ca.done_ps, cb.done_ps);
}

TEST(JedecReplayState, AnActHoldTheFirstAccessMeetsDoesNotMatch) {
  // The same state, but the run's request arrives at the start: its PRE and ACT would wait for
  // the hold.
  const auto run = RecordLate(Params(), 0, kMs, 0);
  JedecController c(Params());
  const std::uint64_t start = OpenBankB(c, 2 * kMs);
  EXPECT_FALSE(c.ReplayMatches(*run, start, {}));
  EXPECT_TRUE(c.ReplayMatches(*run, start + kMs, {}));  // expired
}

TEST(JedecReplayState, WithRefreshABankTheRunMissesInMayHaveBeenClosed) {
  // A refresh at another phase closes rows: with refresh, a bank open on a row the run does not
  // access (the run precharges it anyway) matches a closed one, within the approximation of
  // refresh placement; without refresh it does not. A hit that became a miss never matches.
  const JedecParams with = test::JedecPreset("ddr4-3200-x16", {{"power_down", "false"}});
  const std::uint64_t start = kMs;
  const std::uint64_t open_at = start - with.ClocksToPs(with.tREFI) / 4;  // after the last REF
  const auto run = RecordLate(with, open_at, start, 0);
  // Bank B closed; the bus last driven by a read, as in the record (of bank 0, untouched).
  const auto closed = [&](const JedecParams& p) {
    auto c = std::make_unique<JedecController>(p);
    Serve(*c, {3 * kRow, 64, false, 10 * kMs});
    return c;
  };
  EXPECT_TRUE(closed(with)->ReplayMatches(*run, 20 * kMs, {}));
  const auto exact = RecordLate(Params(), open_at, start, 0);
  EXPECT_FALSE(closed(Params())->ReplayMatches(*exact, 20 * kMs, {}));
  // The run of RunReads hits bank 0's open row 3 first: it matches a state with that row open,
  // not one with bank 0 closed (bank B open instead, the bus last driven by a read in both).
  JedecController recorded(with);
  Serve(recorded, {3 * kRow, 64, false, open_at});
  recorded.BeginReplayRecord(start);
  RunReads(recorded, start);
  const auto hits = recorded.EndReplayRecord();
  EXPECT_TRUE(closed(with)->ReplayMatches(*hits, 20 * kMs, {}));
  JedecController other(with);
  Serve(other, {5 * kRow + kBankB, 64, false, 10 * kMs});
  EXPECT_FALSE(other.ReplayMatches(*hits, 20 * kMs, {}));
}

// HBM2E (rorabgbachco: 1 KiB rows, bank after bank, then the row), one rank, the stream's
// row runs; no refresh: nothing but the requests moves the state.
constexpr std::uint64_t kHbmBank = 1024, kHbmRow = 16 * kHbmBank;

JedecParams Hbm(bool power_down) {
  return test::JedecPreset("hbm2e",
                           {{"refresh", "false"}, {"power_down", power_down ? "true" : "false"}});
}

// A hit to bank 0's open row 2, a miss in bank 5, a write after it, from `start + delay`.
void RunHbm(JedecController& c, std::uint64_t start, std::uint64_t delay = 0) {
  Serve(c, {2 * kHbmRow, 1024, false, start + delay});
  Serve(c, {7 * kHbmRow + 5 * kHbmBank, 1024, false, start + delay + 20'000});
  Serve(c, {7 * kHbmRow + 5 * kHbmBank, 512, true, start + delay + 40'000});
}

// Simulates RunHbm (or `simulate`) on `simulated` and applies `run` to `replayed` (in the same
// state), and expects the same counts and background times, and the same next request.
void ExpectReplayedAsSimulated(const JedecController::ReplayRun& run, JedecController& simulated,
                               JedecController& replayed, std::uint64_t start,
                               std::uint64_t delay = 0,
                               const std::function<void(JedecController&)>& simulate = {}) {
  if (simulate) {
    simulate(simulated);
  } else {
    RunHbm(simulated, start, delay);
  }
  replayed.ApplyReplay(run, run.counts, start, {});
  const JedecStats &a = simulated.stats(), &b = replayed.stats();
  EXPECT_EQ(a.act, b.act);
  EXPECT_EQ(a.pre, b.pre);
  EXPECT_EQ(a.row_hits, b.row_hits);
  EXPECT_EQ(a.bus_busy_ps, b.bus_busy_ps);
  EXPECT_EQ(a.read_latency_histogram, b.read_latency_histogram);
  EXPECT_EQ(a.read_latency_sum_ns, b.read_latency_sum_ns);
  const JedecStateTimes ta = simulated.StateTimes(start + kMs),
                        tb = replayed.StateTimes(start + kMs);
  EXPECT_DOUBLE_EQ(ta.standby_ns, tb.standby_ns);
  EXPECT_DOUBLE_EQ(ta.active_ns, tb.active_ns);
  EXPECT_DOUBLE_EQ(ta.active_powerdown_ns, tb.active_powerdown_ns);
  EXPECT_DOUBLE_EQ(ta.precharge_powerdown_ns, tb.precharge_powerdown_ns);
  const std::uint64_t next = simulated.RunAll();
  const JedecRequest r{7 * kHbmRow + 5 * kHbmBank + 512, 512, false, next};
  const JedecCompletion ca = Serve(simulated, r), cb = Serve(replayed, r);
  EXPECT_EQ(ca.first_data_ps, cb.first_data_ps);
  EXPECT_EQ(ca.done_ps, cb.done_ps);
}

// Banks 0-3 open on row 2 and the bus last driven by a write, either way; a write of 4 KiB
// (64 bursts, past the high watermark) last leaves the write drain on, a write of one burst last
// leaves it off.
// A drain ends at the decision that finds the write queue at its low watermark, so an idle
// controller is still draining only below one write: with `write_low_watermark: 0`, after a
// lone write that started one, and not once a read went.
JedecParams HbmDrainToEmpty() {
  JedecParams p = Hbm(false);
  p.write_low_watermark = 0;
  return p;
}
// Both leave the same last write, to bank 1 row 2; DrainOff a read of bank 9 before it, which
// the runs below do not touch.
void DrainOff(JedecController& c, std::uint64_t t) {
  Serve(c, {2 * kHbmRow, 4096, true, t});
  Serve(c, {2 * kHbmRow + 9 * kHbmBank, 64, false, t + 500'000});
  Serve(c, {2 * kHbmRow + kHbmBank, 64, true, t + 1'000'000});
}
void DrainOn(JedecController& c, std::uint64_t t) {
  Serve(c, {2 * kHbmRow + kHbmBank, 64, true, t});
  Serve(c, {2 * kHbmRow, 4096, true, t + 1'000'000});
}

TEST(JedecReplayState, ARunOfLoneRequestsDoesNotCompareTheWriteDrain) {
  // Each request finds the controller to itself, so one direction is queued at a time and the
  // drain state picks nothing: the run recorded with the drain off replays with it on.
  JedecController recorded(HbmDrainToEmpty());
  DrainOff(recorded, 0);
  recorded.BeginReplayRecord(kMs);
  RunHbm(recorded, kMs);
  const auto run = recorded.EndReplayRecord();
  EXPECT_TRUE(run->alone);
  JedecController simulated(HbmDrainToEmpty()), replayed(HbmDrainToEmpty());
  for (JedecController* c : {&simulated, &replayed}) DrainOn(*c, 2 * kMs);
  const std::uint64_t start = 5 * kMs;
  ASSERT_TRUE(replayed.ReplayMatches(*run, start, {}));
  ExpectReplayedAsSimulated(*run, simulated, replayed, start);
  // Two requests queued together: a read and a write compete, and the drain state decides.
  JedecController both(HbmDrainToEmpty());
  DrainOff(both, 0);
  both.BeginReplayRecord(kMs);
  for (const JedecRequest& r : {JedecRequest{2 * kHbmRow, 2048, false, kMs},
                                JedecRequest{7 * kHbmRow + 5 * kHbmBank, 512, true, kMs}}) {
    both.NoteReplayAccess(r, r.address);
    both.Submit(r);
  }
  both.RunAll();
  const auto together = both.EndReplayRecord();
  EXPECT_FALSE(together->alone);
  JedecController on(HbmDrainToEmpty()), off(HbmDrainToEmpty());
  DrainOn(on, 2 * kMs);
  DrainOff(off, 2 * kMs);
  EXPECT_FALSE(on.ReplayMatches(*together, start, {}));
  EXPECT_TRUE(off.ReplayMatches(*together, start, {}));
}

// Bank 1 open on row 2 by one burst read at `t`; returns its last data.
std::uint64_t ReadBank1(JedecController& c, std::uint64_t t) {
  return Serve(c, {2 * kHbmRow + kHbmBank, 64, false, t}).done_ps;
}

TEST(JedecReplayState, ARankAwakeAtTheRunsFirstRequestMatchesWhateverItsIdleClock) {
  // The rank powers down 64 clocks (40 ns) after its last activity. Recorded 10 ns after it,
  // replayed 25 ns after it: awake at the run's first request either way, the same run.
  const JedecParams p = Hbm(true);
  const std::uint64_t idle = p.ClocksToPs(p.power_down_idle);
  const auto state = [&](JedecController& c) {
    Serve(c, {2 * kHbmRow, 64, false, kMs / 2});  // bank 0 open on row 2: the run's first hit
    return ReadBank1(c, kMs);
  };
  JedecController recorded(p);
  const std::uint64_t done = state(recorded);
  recorded.BeginReplayRecord(done + 10'000);
  RunHbm(recorded, done + 10'000);
  const auto run = recorded.EndReplayRecord();
  JedecController simulated(p), replayed(p);
  state(simulated);
  const std::uint64_t start = state(replayed) + 25'000;
  ASSERT_LT(start, done + idle);
  ASSERT_TRUE(replayed.ReplayMatches(*run, start, {}));
  ExpectReplayedAsSimulated(*run, simulated, replayed, start);
  // Powered down by the run's first request (it waits tXP to wake): no match.
  JedecController asleep(p);
  EXPECT_FALSE(asleep.ReplayMatches(*run, state(asleep) + idle + 1'000, {}));
}

TEST(JedecReplayState, ARanksConstraintsCompareFromItsFirstRequest) {
  // Recorded right after a write's data (the rank's write-to-read time, tWTR, still held), the
  // run's first request 100 ns later; replayed long after the write: the hold expired before
  // the first request either way. Arriving at the start, the first read would wait for it.
  const JedecParams p = Hbm(false);
  const auto state = [&](JedecController& c, std::uint64_t t) {
    Serve(c, {2 * kHbmRow, 64, false, t});
    return Serve(c, {2 * kHbmRow + kHbmBank, 64, true, t + 1'000'000}).done_ps;
  };
  const std::uint64_t late = 100'000;
  JedecController recorded(p);
  const std::uint64_t done = state(recorded, 0);
  recorded.BeginReplayRecord(done);
  RunHbm(recorded, done, late);
  const auto run = recorded.EndReplayRecord();
  JedecController simulated(p), replayed(p);
  state(simulated, kMs);
  state(replayed, kMs);
  const std::uint64_t start = 3 * kMs;
  ASSERT_TRUE(replayed.ReplayMatches(*run, start, {}));
  ExpectReplayedAsSimulated(*run, simulated, replayed, start, late);
  JedecController at_once(p);
  const std::uint64_t d = state(at_once, 0);
  at_once.BeginReplayRecord(d);
  RunHbm(at_once, d);
  const auto early = at_once.EndReplayRecord();
  JedecController later(p);
  state(later, kMs);
  EXPECT_FALSE(later.ReplayMatches(*early, start, {}));
}

TEST(JedecReplayState, ARowOnlyALaterRequestAccessesIsAMissToTheFirst) {
  // Bank 5 open on row 9 at the start; the run reads its row 7, then (a later request) row 9.
  // Each request alone, the first misses whatever other row is open, and the second finds row
  // 7 open as the first left it: row 11 open at the start is the same to the run.
  const JedecParams p = Hbm(false);
  const auto open = [&](JedecController& c, std::uint64_t row) {
    Serve(c, {row * kHbmRow + 5 * kHbmBank, 64, false, kMs});
  };
  const auto rows = [&](JedecController& c, std::uint64_t start) {
    Serve(c, {7 * kHbmRow + 5 * kHbmBank, 1024, false, start});
    Serve(c, {9 * kHbmRow + 5 * kHbmBank, 1024, false, start + 100'000});
  };
  const std::uint64_t start = 3 * kMs;
  JedecController recorded(p);
  open(recorded, 9);
  recorded.BeginReplayRecord(start);
  rows(recorded, start);
  const auto run = recorded.EndReplayRecord();
  JedecController simulated(p), replayed(p);
  open(simulated, 11);
  open(replayed, 11);
  ASSERT_TRUE(replayed.ReplayMatches(*run, start, {}));
  ExpectReplayedAsSimulated(*run, simulated, replayed, start, 0,
                            [&](JedecController& c) { rows(c, start); });
  // Queued together, FR-FCFS could take the open row 9 first, as a hit: no match.
  JedecController both(p);
  open(both, 9);
  both.BeginReplayRecord(start);
  for (const std::uint64_t row : {7, 9}) {
    const JedecRequest r{row * kHbmRow + 5 * kHbmBank, 1024, false, start};
    both.NoteReplayAccess(r, r.address);
    both.Submit(r);
  }
  both.RunAll();
  const auto together = both.EndReplayRecord();
  JedecController other(p);
  open(other, 11);
  EXPECT_FALSE(other.ReplayMatches(*together, start, {}));
}

TEST(JedecReplayState, WithRefreshReadyTimesMayDifferByUpToTheSlack) {
  // Recorded right after a write to bank 5's open row, the run's first request a miss there
  // (its write recovery, tWR, and the rank's write-to-read time still held); replayed with both
  // long expired. A refresh at another phase shifts the run before by as much, so with refresh
  // it matches (the first PRE and read off by at most tRFC + tRP); without, it does not.
  for (const bool refresh : {true, false}) {
    JedecParams p = Hbm(false);
    p.refresh = refresh;
    const auto write = [&](JedecController& c) {
      return Serve(c, {9 * kHbmRow + 5 * kHbmBank, 64, true, kMs}).done_ps;
    };
    const auto miss = [&](JedecController& c, std::uint64_t start) {
      Serve(c, {7 * kHbmRow + 5 * kHbmBank, 1024, false, start});
    };
    JedecController recorded(p), later(p);
    const std::uint64_t done = write(recorded);
    recorded.BeginReplayRecord(done);
    miss(recorded, done);
    const auto run = recorded.EndReplayRecord();
    write(later);
    EXPECT_EQ(later.ReplayMatches(*run, 3 * kMs, {}), refresh) << refresh;
  }
}

// GDDR's tPPD and 32-ACT window are state the replay does not compare: such a controller
// simulates every run.
TEST(JedecReplayState, GddrWindowsAreNotReplayed) {
  EXPECT_TRUE(JedecController(Params()).CanReplay());
  JedecParams p = Params();
  p.tPPD = 2;
  EXPECT_FALSE(JedecController(p).CanReplay());
  p = Params();
  p.t32AW = 300;
  EXPECT_FALSE(JedecController(p).CanReplay());
}

}  // namespace
}  // namespace pjsim
