#pragma once
// The `jedec` memory controller of one channel as plain C++ (the SystemC adapter and `pjsim
// dram-bench` both drive it): requests are split into bursts that wait in a read and a write
// queue of finite depth (a full queue holds the requester back); a scheduler (FR-FCFS or FCFS,
// with write-drain watermarks) picks one queue entry per decision and places its PRE, ACT and
// RD/WR commands at the earliest times the JEDEC constraints allow (tRCD, tRP, tRAS, tRC,
// tRRD_S/L, tFAW, tCCD_S/L, tWTR_S/L, tRTP, tWR, read/write turnaround, data bus), refreshes
// every rank each tREFI (all-bank, tRFC; or per bank set, tRFCpb every tREFIpb), and powers a rank
// down after an idle timeout (tXP to wake).
//
// Time is kept as committed future state, not as a clock: a decision is taken at the time of
// the previous column command among the entries queued by then, and an activation may be
// placed ahead of that time (a controller opens rows for queued requests while others transfer).
// In the default (fast) mode, when one bank can keep the data bus busy (tCCD_L <= BL/2), an entry
// is a run of bursts of one request in one open row, placed in closed form (one column command
// per burst time, split where a refresh falls or where a decision between its bursts would go
// elsewhere: RunKept), and a request that finds the controller idle (every transaction of the
// SystemC adapter) has its runs placed in address order without queue scans
// while FR-FCFS would take them in that order (up to a later run that would go first, or, with
// per-bank refresh, a run that a refreshing bank would hold up); `exact` makes every
// burst its own entry and scheduling decision. Where the bank group field sits right below the
// column (consecutive bursts rotate over the groups), the bursts stay their own entries, but a
// request alone in the controller has the decisions FR-FCFS takes placed without the queue
// while each is provably the scheduler's, whole cycles over the groups at once (Rotate); one
// that finds the queues empty and runs to completion keeps its queue implicit (ServeAlone). With
// per-bank refresh a rank refreshes one bank set every tREFIpb (tRFCpb) while the other banks
// keep working. A decision looks at each bank's oldest row hit and oldest miss only (the queues
// are kept per bank), which picks what a scan of every entry picks (docs/DRAM.md, Speed of
// interleaving).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_params.h"

namespace pjsim {

struct JedecRequest {
  std::uint64_t address = 0;  // channel-local byte address
  std::uint64_t bytes = 0;
  bool write = false;
  std::uint64_t arrival_ps = 0;
};

struct JedecCompletion {
  std::uint64_t accepted_ps = 0;    // the first burst entered the controller's queue
  std::uint64_t first_data_ps = 0;  // first byte on the data bus
  std::uint64_t done_ps = 0;        // last byte off it
};

// Counts and state times since construction.
struct JedecStats {
  std::int64_t act = 0, pre = 0, rd = 0, wr = 0, ref = 0;
  std::int64_t row_hits = 0, row_misses = 0;  // per column access (burst)
  double bytes_read = 0, bytes_written = 0;
  std::uint64_t bus_busy_ps = 0;
  std::uint64_t refresh_ps = 0;  // ranks blocked by refresh (tRFC per REF; tRFCpb / sets per REFpb)
  // Read requests' latency, accepted to last data: count, sum and a histogram of 64 bins per
  // octave (values below 64 ps exact), so that a whole-model run keeps no per-request list.
  std::int64_t reads = 0;
  double read_latency_sum_ns = 0;
  std::vector<std::uint64_t> read_latency_histogram;
  void AddReadLatency(std::uint64_t ps);
};

// Mean and 99th percentile (nearest rank, the middle of its histogram bin: within 0.8%) of the
// read latencies, 0 without reads.
struct JedecLatency {
  double avg_ns = 0, p99_ns = 0;
};
JedecLatency SummarizeLatency(const JedecStats& s);

// Time of the ranks in each background state up to some instant, summed over ranks (ns).
struct JedecStateTimes {
  double standby_ns = 0;              // not powered down
  double active_ns = 0;               // of standby, with a row open (bank open intervals, capped)
  double precharge_powerdown_ns = 0;  // powered down with every bank closed
  double active_powerdown_ns = 0;     // powered down with a row open
};

class JedecController {
 public:
  explicit JedecController(const JedecParams& p);

  // Queues a request (its bursts enter the read or write queue in order, as slots free); returns
  // its id, counted from 0.
  std::uint64_t Submit(const JedecRequest& r);
  // Schedules until request `id` has completed, and returns its times.
  JedecCompletion RunUntil(std::uint64_t id);
  // Schedules every submitted request; returns the last data time.
  std::uint64_t RunAll();

  // Incremental scheduling, for a driver that learns of requests as time passes (the SystemC
  // adapter): RunBefore takes every decision due before `t_ps`, which needs every request that
  // arrives up to `t_ps` submitted, in arrival order. A request that finds the controller idle
  // has its row runs placed in closed form as RunUntil places them, each run only if its
  // decision is due before the next arrival; a later arrival competes for the rest, which the
  // scheduler serves. The outcome is RunAll's for the same stream whenever no request finds the
  // controller idle, and RunUntil's, per request, when no two overlap.
  void RunBefore(std::uint64_t t_ps);
  // The time of the next decision (max when nothing is pending).
  std::uint64_t NextDecision() const;
  // A lower bound on when request `id` (not yet complete) can complete: its remaining bursts
  // each take the data bus for a burst, from the next decision on.
  std::uint64_t EarliestDone(std::uint64_t id) const;
  bool Completed(std::uint64_t id) const { return RequestAt(id).bursts_left == 0; }
  // The times of a completed request, which is then forgotten.
  JedecCompletion Collect(std::uint64_t id);
  // Places the refreshes every rank owes before `t_ps`. Commands place refreshes lazily (the
  // ones due before a command, when it is placed), but a DRAM refreshes every rank every tREFI
  // whether or not it is accessed: without this, a rank's refreshes after its last command, and
  // all of an unused rank's, would go uncounted (JESD79-4, REFRESH command).
  void RefreshUntil(std::uint64_t t_ps);

  const JedecStats& stats() const { return stats_; }
  JedecStateTimes StateTimes(std::uint64_t end_ps) const;
  const JedecParams& params() const { return p_; }

  // Completion tracking, for a driver that releases requesters (the SystemC adapter) without
  // asking after each: TakeCompleted moves the ids completed since the last call (in completion
  // order) to `ids`; EarliestDoneAny is the least EarliestDone of the incomplete requests (the
  // one with the fewest bursts left), max when none.
  void TrackCompletions() { track_ = true; }
  void TakeCompleted(std::vector<std::uint64_t>& ids);
  bool HasCompleted() const { return !completed_.empty(); }
  std::uint64_t EarliestDoneAny();
  // Makes every FR-FCFS decision scan the whole queue, as the bank index must agree with (tests).
  void ScanWholeQueue(bool on) { scan_ = on; }
  // Bursts placed by rotations (Rotate) rather than one decision each (tests).
  std::uint64_t RotatedBursts() const { return rotated_bursts_; }
  // Decisions of ServeAlone taken where one bank group alone could issue, without planning the
  // other queued entries (tests).
  std::uint64_t OneGroupDecisions() const { return one_group_decisions_; }
  // Serves every request through the scheduler, never the idle-controller stream (tests: the
  // stream must place what the scheduler places).
  void DisableStream() { stream_ = false; }
  // Bursts placed by the idle-controller stream (Stream) rather than one decision each (tests).
  std::uint64_t StreamedBursts() const { return streamed_bursts_; }
  // Places every row run of the stream one at a time, never several in StreamRows (tests: the
  // two must place the same), and the row runs StreamRows placed.
  void DisableStreamRows() { stream_rows_ = false; }
  std::uint64_t StreamRowRuns() const { return stream_row_runs_; }

  // Layer replay (models/memory/jedec_controller_replay.cpp; docs/DRAM.md, "Replay of layer
  // runs"): a run recorded from an idle controller is applied again, shifted in time, to a
  // controller whose state relative to the run's start is the same, but for the refresh
  // schedule, which stays on its absolute grid.
  struct ReplayRun;
  // The controller-wide state a run depends on and leaves, times relative to its start (0: by
  // then or before).
  struct ReplayBus {
    std::uint64_t now = 0, bus_free = 0, last_cas = 0, last_done = 0;
    int last_bus_rank = -1;
    bool last_bus_write = false, draining = false;
    std::uint64_t drain_left = 0;
    bool operator==(const ReplayBus&) const = default;
  };
  // A row a run accessed and the request of its first access (an index into the run's
  // requests: a request lies in one tensor, which a replay moves whole).
  struct ReplayRowAccess {
    std::uint32_t row = 0, request = 0;
  };
  // The configuration's state is all captured: not with per-bank or per-rank command queues, a
  // clocked command bus, per-bank refresh, row_hit_cap, close_after_accesses or exact mode.
  bool CanReplay() const;
  // Nothing queued, admitted or in flight, and the last data done by `t_ps`.
  bool IdleAt(std::uint64_t t_ps) const;
  // Records a run starting at `start_ps`; each request it submits is noted (NoteReplayAccess)
  // for the banks and rows it touches.
  void BeginReplayRecord(std::uint64_t start_ps);
  // (`global`: the request's address in the driver's terms, which a replay may move).
  void NoteReplayAccess(const JedecRequest& r, std::uint64_t global);
  std::unique_ptr<ReplayRun> EndReplayRecord();
  // A move of every address by a multiple of this many bytes (channel-local) keeps each access's
  // bank and column and adds one count to every row (0: none does): the row field is the most
  // significant.
  std::uint64_t ReplayMoveQuantum() const;
  // A bank's row may hold bytes of several tensors (the column field is not the lowest, as the
  // bank group below it in `rorabacobg`): tensors moved apart could then make or break a hit
  // between them, so ReplayMatches checks that a move renames each bank's rows one to one.
  bool ReplayRowsShared() const { return !ColumnSpansRow(); }
  // Tensors lie in aligned ranges of this many driver (global) bytes: two requests in one such
  // range move together. Set by the channel (the arch's row size, the tensors' alignment).
  void SetReplayGranule(std::uint64_t bytes) { replay_granule_ = bytes > 0 ? bytes : 1; }
  // Where a recorded request (at its `global` address) starts in the replaying run: the
  // channel-local address; empty: nothing moved.
  using ReplayMove = std::function<std::uint64_t(std::uint64_t global)>;
  // The recorded run, started at `start_ps`, would place the same commands relative to its start
  // from the present state (up to refresh).
  // `rows`: also check that the move renames each bank's rows one to one (else the caller
  // does, through ReplayRowsRenamed, whose verdict depends on the run and the move alone).
  bool ReplayMatches(const ReplayRun& run, std::uint64_t start_ps, const ReplayMove& move,
                     bool rows = true) const;
  bool ReplayRowsRenamed(const ReplayRun& run, const ReplayMove& move) const;
  // Leaves the state as the recorded run did, shifted to start at `start_ps`, and adds `counts`
  // (the run's, or extrapolated ones) to the statistics; refreshes follow the absolute schedule.
  void ApplyReplay(const ReplayRun& run, const JedecStats& counts, std::uint64_t start_ps,
                   const ReplayMove& move);

 private:
  struct Bank {
    std::int64_t open_row = -1;
    std::uint64_t open_since = 0;
    std::uint64_t act_ready = 0;  // earliest ACT (tRP after PRE, tRC after ACT, tRFC after REF)
    std::uint64_t cas_ready = 0;  // earliest RD/WR (tRCD after ACT)
    std::uint64_t pre_ready = 0;  // earliest PRE (tRAS, tRTP, write recovery)
    std::uint64_t columns = 0;    // column accesses to the open row since its ACT (row_hit_cap)
    // Column accesses towards close_after_accesses: since the bank was closed, or since the
    // PRE that closes it was queued (Ramulator 2's ClosedRowPolicy counts so).
    std::uint64_t since_close = 0;
  };
  struct Rank {
    std::vector<Bank> banks;
    // Earliest times the rank's last commands allow the next ones (0: no constraint yet).
    struct Group {            // per bank group, kept together (one cache line)
      std::uint64_t act = 0;  // ACT: tRRD_L after the group's last ACT
      std::uint64_t cas = 0;  // column command: tCCD_L after the group's last one
      std::uint64_t rd = 0;   // read: tWTR_L after the group's last write data
      std::uint64_t wr = 0;   // write: tCCD_L_WR after the group's last write
    };
    std::vector<Group> groups;
    std::uint64_t act = 0;      // ACT: tRRD_S after the rank's last ACT
    std::uint64_t cas = 0;      // column command: tCCD_S after the last one
    std::uint64_t rd = 0;       // read: tWTR_S after the last write data
    std::uint64_t wr = 0;       // write: the read-to-write turnaround after the last read
    std::uint64_t faw[4] = {};  // ACT: tFAW after each of the last four ACTs, a ring
    int faw_oldest = 0;
    std::uint64_t pre = 0;        // PRE: tPPD after the rank's last PRE (0 without tPPD)
    std::uint64_t aw32[32] = {};  // ACT: t32AW after each of the last 32 ACTs (without: 0)
    int aw32_oldest = 0;
    std::uint64_t next_ref = 0;       // the next refresh command (all-bank or per-bank) is due
    std::uint64_t ref_done = 0;       // per-bank: the sets refreshed in the current round
    std::uint64_t last_activity = 0;  // end of the last command's effect
    double open_closed_ps = 0;        // summed open intervals of closed rows
    double pd_precharged_ps = 0, pd_active_ps = 0;
  };
  struct Entry {
    JedecAddress a;
    std::uint64_t request = 0;
    std::uint64_t address = 0;    // of the first burst
    std::uint32_t bursts = 1;     // a run in one row
    bool activated = false;       // in the active buffer (active_buffer): its ACT has issued
    std::uint64_t act_order = 0;  // active buffer: its place in ACT order (FIFO)
    std::uint64_t entry_ps = 0;
    std::uint64_t seq = 0;  // admission order in its queue (the scheduler's oldest-first)
  };
  struct Request {
    JedecRequest r;
    std::uint64_t next_address = 0;  // next burst to admit
    std::uint64_t bursts_left_to_admit = 0;
    std::uint64_t bursts_left = 0;
    JedecCompletion c;
    bool accepted = false;
    bool collected = false;
    size_t started = kNotStarted;  // TrackCompletions: its place in `started_`
  };
  static constexpr size_t kNotStarted = std::numeric_limits<size_t>::max();
  // A bank's queued entries in admission order: a vector whose issued front is skipped and
  // reclaimed when it empties or fills, so that entries pushed and popped per burst (rotations
  // rebuild the queue per row-run set) reuse their storage (a deque allocates a block every
  // few entries).
  class BankEntries {
   public:
    size_t size() const { return items_.size() - head_; }
    bool empty() const { return head_ == items_.size(); }
    Entry& operator[](size_t i) { return items_[head_ + i]; }
    const Entry& operator[](size_t i) const { return items_[head_ + i]; }
    const Entry& front() const { return items_[head_]; }
    const Entry& back() const { return items_.back(); }
    Entry& back() { return items_.back(); }
    std::vector<Entry>::const_iterator begin() const {
      return items_.begin() + static_cast<std::ptrdiff_t>(head_);
    }
    std::vector<Entry>::const_iterator end() const { return items_.end(); }
    void push_back(const Entry& e) {
      if (head_ > 0 && items_.size() == items_.capacity()) {
        items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
      }
      items_.push_back(e);
    }
    void erase(size_t i) {
      if (i == 0) {
        ++head_;
      } else {
        items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(head_ + i));
      }
      if (head_ == items_.size()) {
        items_.clear();
        head_ = 0;
      }
    }

   private:
    std::vector<Entry> items_;
    size_t head_ = 0;
  };
  struct Queue {
    // The entries by bank (rank-major), each list in admission order, so that FR-FCFS looks at
    // the oldest hit and the oldest miss of each bank instead of every entry (Step).
    std::vector<BankEntries> banks;
    // Per bank, the rows its entries are in and how many entries each (a few rows at a time).
    std::vector<std::vector<std::pair<std::uint64_t, std::uint32_t>>> rows;
    std::uint32_t InRow(size_t bank, std::uint64_t row) const;
    std::vector<std::uint64_t> active;  // bit set of the banks with entries
    size_t entries = 0;
    size_t activated = 0;  // of `entries`, in the active buffer (no longer counted in occupancy)
    std::uint64_t next_seq = 0;
    // Every bank's entries have non-decreasing entry_ps, which makes its oldest hit (miss) the
    // first ready among its hits (misses); else Step scans every entry.
    bool ordered = true;
    bool empty() const { return entries == 0; }
    void Push(size_t bank, const Entry& e);
    void Erase(size_t bank, size_t index);
    std::int64_t capacity = 0, occupancy = 0;  // bursts
    // queue_structure per_bank / per_rank: the transaction queue, in arrival order, whose
    // entries wait for room in their command queue (`banks` then holds the command queues'
    // entries, `capacity` and `occupancy` count the transaction queue, and the issue record
    // below records moves out of it rather than column commands).
    std::vector<Entry> pending;
    std::uint64_t admitted = 0;  // bursts, ever
    struct IssuedRun {
      std::uint64_t first = 0, count = 0;  // burst numbers, in issue order
      std::uint64_t cas_ps = 0, spacing_ps = 0;
    };
    // The runs covering at least the last `capacity` bursts issued: a ring of capacity + 1
    // (each run is at least one burst), newest at `newest`.
    std::vector<IssuedRun> runs;
    size_t newest = 0, count = 0;
    std::uint64_t issued = 0;
    void Record(std::uint64_t count, std::uint64_t cas_ps, std::uint64_t spacing_ps);
    // Time the queue has room for burst number `n` (counted from 0 over its life).
    std::uint64_t SlotFree(std::uint64_t n) const;
    // SlotFree of bursts `n`.. `n + k`, as runs: f(first, count, time of the first, spacing),
    // in order (burst `n + k - 1 - capacity` must have issued).
    template <class F>
    void SlotRuns(std::uint64_t n, std::uint64_t k, F f) const;
  };
  struct Plan {
    bool pre = false, act = false;
    std::uint64_t t_pre = 0, t_act = 0, t_cas = 0;
    std::uint64_t First() const { return pre ? t_pre : act ? t_act : t_cas; }
  };

  // A candidate of an FR-FCFS decision, ordered by the time its column command can issue, then
  // row hits first, then age.
  struct Candidate {
    std::uint64_t t_cas = std::numeric_limits<std::uint64_t>::max();
    bool miss = true;
    std::uint64_t seq = std::numeric_limits<std::uint64_t>::max();
    size_t bank = 0, index = 0;
    bool Before(const Candidate& o) const {
      if (t_cas != o.t_cas) return t_cas < o.t_cas;
      if (miss != o.miss) return !miss;
      return seq < o.seq;
    }
  };

  bool Step();
  // command_bus one_per_clock / row_column: processes the next clock at which anything can
  // happen (refresh, the clock's command or commands, admissions, moves into the command
  // queues); false when nothing is pending (models/memory/jedec_command_bus.cpp).
  bool ClockedStep();
  // A queued entry's next command and the earliest clock the timing allows it.
  struct NextCommand {
    enum Kind { kPre, kAct, kColumn } kind = kColumn;
    std::uint64_t ready = 0;
  };
  NextCommand NextCommandOf(const Entry& e, bool write) const;
  // A command of one arbitrated queue: its entry, where it is queued, and what it is.
  struct QueuedCommand {
    Queue* queue = nullptr;
    size_t bank = 0, index = 0;
    std::uint64_t seq = 0;
    NextCommand next;
    bool activated = false;  // an active-buffer entry: served before the others
    // active_buffer: a PRE to a bank an active-buffer entry waits on; when it is the best
    // command, nothing issues at the clock (Ramulator 2's schedule_request, step 2.3).
    bool blocked = false;
  };
  // active_buffer: whether active-buffer entry `a` is served before `b` (Ramulator 2's FR-FCFS
  // on its active buffer: the earlier accepting clock, then ACT order, the buffer's FIFO order).
  bool ActiveBefore(const QueuedCommand& a, const QueuedCommand& b) const;
  // A shared queue serves its writes while they drain or no read waits; entries in the active
  // buffer are served in either mode and count as neither (Ramulator 2's write mode counts its
  // read and write buffers only).
  bool ServesWrites() const {
    return writes_.entries > writes_.activated && (draining_ || reads_.entries == reads_.activated);
  }
  // The active buffer's entry of `bank` (at most one: no other entry of the bank is activated
  // or precharged while it waits), as a command offer.
  QueuedCommand ActiveOffer(size_t bank);
  // The commands of arbitrated queue `c` that may issue (the first ready in age order, a PRE
  // only for its bank's oldest entry and only when no hit to the open row waits or the row has
  // served row_hit_cap accesses): the one ready at `t`, if any, and the earliest ready time of
  // the others.
  enum class CommandClass { kAny, kRow, kColumn };
  void ArbitrateQueue(size_t c, std::uint64_t t, CommandClass wanted, QueuedCommand& ready,
                      std::uint64_t& next);
  // Issues the command the arbitration picks at clock `t` among those of class `wanted`;
  // returns its class (kAny: none).
  CommandClass IssueOne(std::uint64_t t, CommandClass wanted);
  // close_after_accesses on a clocked bus: drops the queued PREs whose row is no longer open;
  // the earliest clock the oldest one may issue (max: none queued); and issuing it at clock `t`
  // if it may, which returns kRow, or kAny (nothing issues at `t`: the queues wait behind it).
  void DropClosedPriorityCloses();
  std::uint64_t PriorityCloseReady() const;
  CommandClass IssuePriorityClose(std::uint64_t t, CommandClass wanted);
  void IssueCommand(const QueuedCommand& qc, std::uint64_t t);
  // The arbitrated queues with entries, ascending.
  void BusyQueues(std::vector<size_t>& out) const;
  // Whether the bank's open row has served row_hit_cap accesses: its hits no longer keep an
  // older miss of the bank waiting.
  bool RowHitCapReached(size_t bank) const {
    const size_t per_rank = static_cast<size_t>(p_.Banks());
    const Bank& b = ranks_[bank / per_rank].banks[bank % per_rank];
    return row_hit_cap_ > 0 && b.open_row >= 0 && b.columns >= row_hit_cap_;
  }
  // The queue round-robin arbitration rotates over: a command queue, or a bank.
  size_t ArbitratedQueue(size_t bank) const {
    return command_queues_ ? CommandQueueOf(bank) : bank;
  }
  // An entry's rank among equally ready candidates: its age, or (round-robin) its queue's
  // distance from the queue served last, then its age.
  std::uint64_t Age(const Entry& e, size_t bank) const {
    if (!p_.round_robin) return e.seq;
    const size_t queues = command_queues_ ? command_taken_.size() : reads_.banks.size();
    const size_t distance = (ArbitratedQueue(bank) + queues - last_queue_served_ - 1) % queues;
    return static_cast<std::uint64_t>(distance) << 40 | e.seq;
  }
  // The entry FR-FCFS picks from `q` (bank, index in the bank's list): the first ready, a row
  // hit before a miss, the oldest (or, round-robin, the nearest queue) among equals.
  Candidate PickIndexed(const Queue& q, bool write) const;
  Candidate PickScan(const Queue& q, bool write) const;
  // The bank `a` names in its rank `r`.
  template <typename R>
  auto& BankOf(R& r, const JedecAddress& a) const {
    return r.banks[a.bank_group * static_cast<std::uint32_t>(p_.banks_per_group) + a.bank];
  }
  size_t BankIndex(const JedecAddress& a) const {
    return (a.rank * static_cast<size_t>(p_.bank_groups) + a.bank_group) *
               static_cast<size_t>(p_.banks_per_group) +
           a.bank;
  }
  void Admit();
  // queue_structure per_bank / per_rank: transactions into their command queues while those
  // have room (reads, or writes while the write queue drains); whether any moved.
  // Moves at most `budget` transactions (counting it down); with a clocked command bus a moved
  // transaction's command can issue from the next clock.
  bool MoveTransactions(std::uint64_t& budget);
  // `while_draining`: the writes of a batch drain, which stop moving when it ends.
  bool MoveToCommandQueues(Queue& q, std::uint64_t& budget, bool while_draining = false);
  size_t CommandQueueOf(size_t bank) const {
    return per_rank_queues_ ? bank / static_cast<size_t>(p_.Banks()) : bank;
  }
  // RunUntil may stream `next_admit_`: the controller idle and it the last submitted.
  bool Alone() const;
  Plan PlanEntry(const Entry& e, bool write, std::uint64_t t0) const;
  // PlanEntry for an entry of `row` in bank `b` of group `g` of rank `r` (number `rank_index`).
  Plan PlanIn(const Rank& r, const Bank& b, const Rank::Group& g, std::uint64_t row,
              std::uint32_t rank_index, bool write, std::uint64_t t0) const;
  void Issue(Queue& q, size_t bank, size_t index, bool write);
  // Places the commands of (the first bursts of) `e`; returns how many bursts it issued.
  // `decided`: `e` is the scheduler's pick, and a row run stops where a decision between its
  // bursts would go elsewhere (RunKept).
  std::uint64_t Commit(Queue& q, Entry& e, bool write, bool decided = false);
  // How many of the `k` bursts of row run `e` (picked from `q`, its column commands `spacing_`
  // apart from `t_cas`) burst-by-burst decisions would take in a row
  // (models/memory/jedec_run_cut.cpp): up to the decision at which the requests admitted by then
  // turn the write drain (or, without reads, a read arrives), or an older row hit of another bank
  // becomes ready as soon as the run's next burst and wins on age.
  // Leaves the write drain as the decision of the last burst kept leaves it.
  std::uint64_t RunKept(const Queue& q, const Entry& e, bool write, std::uint64_t t_cas,
                        std::uint64_t k);
  std::uint64_t OlderHitKept(const Queue& q, const Entry& e, bool write, std::uint64_t t_cas,
                             std::uint64_t k) const;
  // (`draining`: the drain state of the run's first decision, turned into that of its last.)
  std::uint64_t DirectionKept(bool write, std::uint64_t t_cas, std::uint64_t k,
                              bool& draining) const;
  // Fast mode with nothing else queued: the request's row runs go straight to Commit, in order,
  // while FR-FCFS would pick each in turn (StreamKeepsOrder); it stops before a run whose
  // decision is due at or after `horizon`. Returns false when it handed the rest of the request
  // to the scheduler (a later run goes first, or a refreshing bank holds a run up).
  bool Stream(std::uint64_t id, std::uint64_t horizon = std::numeric_limits<std::uint64_t>::max());
  // Whether FR-FCFS, at the decision for the request's next run (`k` bursts from its next
  // address, planned at `t_cas`, a row miss if `miss`), picks it over the request's later bursts
  // queued with it (those up to the queue's depth): a later run ready sooner, or as soon and a
  // row hit where this one misses, would go first.
  bool StreamKeepsOrder(const Request& q, const Queue& queue, std::uint64_t k, std::uint64_t t_cas,
                        bool miss, bool write) const;
  // Per-bank refresh: the refresh sets of rank `rank` that the `bursts` bursts from `address` (the
  // request's queued window, as the scheduler would hold it) reach, a bit per set.
  std::uint64_t StreamWaitedSets(std::uint64_t address, std::uint64_t bursts,
                                 std::uint32_t rank) const;
  // What Stream's row runs add to the stats and the request, applied where it flushes them.
  struct StreamTally {
    std::int64_t acts = 0, hits = 0;
    std::uint64_t bursts = 0, first_data = std::numeric_limits<std::uint64_t>::max(), done = 0,
                  last_cas = 0;
  };
  // Stream's common case, row run after row run with the rank's and the bus's state in
  // registers (models/memory/jedec_stream_rows.cpp): one rank, all-bank refresh, each run's
  // order kept without planning a later run. Returns, with nothing of it placed, at the first
  // run that needs more (Stream then places it), at `horizon` or when the request is admitted.
  void StreamRows(Request& q, Queue& queue, std::uint64_t horizon, StreamTally& s);
  // The write drain as Step leaves it after a decision with `writes` bursts in the write queue;
  // with the watermarks, the drain state `draining` turns to then.
  void UpdateDrain(std::int64_t writes);
  bool WatermarkDrain(bool draining, std::int64_t writes) const;
  // write_drain: batch: whether a drain starts with `writes` held (none under way; the write
  // queue full, or write_drain_idle held with no read in the read queue), and the count of a
  // drain under way taking `writes` more (issued from a shared queue, or moved into the command
  // queues); the drain ends when it has taken as many as were held at its start.
  bool BatchDrainStarts(std::int64_t writes) const;
  void DrainCounts(std::uint64_t writes);
  // Moves `next_admit_` past the requests whose bursts are all admitted (Admit does so when it
  // next runs; the stream and rotations need it current).
  void SkipAdmitted();
  Entry NextEntry(Request& q, Queue& queue, std::uint64_t room);
  // Request `id` alone in the controller, with the bank group below the column in the mapping
  // (consecutive bursts rotate over the groups, one bank and row each): places the decisions
  // FR-FCFS would take, burst by burst, while each is provably the scheduler's (a row hit at
  // the earliest time any entry can have, the oldest among those), with the queue updated once
  // at the end; it stops before a decision due at or after `horizon` (RunBefore). Returns
  // false when it placed nothing (the scheduler takes the next decision).
  bool Rotate(std::uint64_t id, std::uint64_t horizon = std::numeric_limits<std::uint64_t>::max());
  // Adds `n` row hits of request `id` placed by a rotation, its last column command the
  // controller's last, as Commit adds them.
  void RotatedHits(Request& q, std::uint64_t id, std::uint64_t n);
  // Request `id` is the only one with bursts queued or left to admit.
  bool RotationAlone(std::uint64_t id) const;
  // Request `id`, not yet admitted, alone in the controller with rotating bursts (as Rotate) and
  // all-bank refresh: served to completion with the decisions Step would take, its queue kept
  // implicit, a decision where one bank group alone can issue planning only that group's oldest
  // entry (models/memory/jedec_serve_alone.cpp).
  void ServeAlone(std::uint64_t id);
  // ServeAlone's body for `kGroups` bank groups (0: the preset's count) and one direction, so
  // that the loops over the groups unroll and the direction's branches fold.
  template <std::uint64_t kGroups, bool kWrite>
  void ServeAloneAs(std::uint64_t id);
  // ServeAlone: the time admission number `n` entered the queue; records admissions `first`..
  // `first + count`, entering at `entry_ps` and `spacing_ps` apart.
  std::uint64_t AloneEntryTime(std::uint64_t n, std::uint64_t arrival) const;
  void AddAdmissions(std::uint64_t first, std::uint64_t count, std::uint64_t entry_ps,
                     std::uint64_t spacing_ps);
  void Refresh(Rank& r);
  // The state an ACT at `t_act`, and a run of column commands ending at `last_cas` whose data
  // ends at `data_end`, leave in their bank, group, rank and on the bus.
  void Activate(Rank& r, Bank& b, Rank::Group& g, std::uint64_t row, std::uint64_t t_act);
  void Columns(Rank& r, Bank& b, Rank::Group& g, std::uint32_t rank, bool write,
               std::uint64_t last_cas, std::uint64_t data_end);
  // When a rank powered down from `from` with its open rows (if any) until `to` has them all
  // closed by due refreshes (clamped to [from, to]).
  std::uint64_t RowsClosed(const Rank& r, std::uint64_t from, std::uint64_t to) const;
  void Close(Rank& r, Bank& b, std::uint64_t t_pre);
  std::uint64_t WakeUp(Rank& r, std::uint64_t t);
  Request& RequestAt(std::uint64_t id) { return requests_[id - first_request_]; }
  const Request& RequestAt(std::uint64_t id) const { return requests_[id - first_request_]; }
  // Drops the completed requests at the front of the queue, up to request `up_to`.
  void Retire(std::uint64_t up_to);

  JedecParams p_;
  JedecAddressMap map_;
  std::uint64_t burst_bytes_;
  std::uint64_t tck_ps_;
  std::uint64_t t_burst_, t_cl_, t_cwl_, t_rcd_, t_rp_, t_ras_, t_rc_, t_rrd_s_, t_rrd_l_, t_faw_,
      t_ccd_s_, t_ccd_l_, t_ccd_l_wr_, t_wtr_s_, t_wtr_l_, t_rtp_, t_wr_, t_rfc_, t_refi_, t_xp_,
      t_rtw_, pd_idle_;
  // Data-bus gap between bursts of different ranks, [previous is a write][next is a write]
  // (tRTRS, tRTRS_RW, tRTRS_WR, tRTRS_WW).
  std::uint64_t t_rtrs_[2][2] = {};
  // ACT to WR (tRCDWR, JESD212; t_rcd_ is ACT to RD), PRE to PRE (tPPD), the 32-ACT window.
  std::uint64_t t_rcd_wr_ = 0, t_ppd_ = 0, t_32aw_ = 0;
  // The earliest column command of the open row of `b`: tRCD (RD) or tRCDWR (WR) after its ACT.
  std::uint64_t CasReady(const Bank& b, bool write) const {
    return write ? b.cas_ready - t_rcd_ + t_rcd_wr_ : b.cas_ready;
  }
  // An explicit PRE (not an auto-precharge) at t_pre: the rank's next PRE waits tPPD.
  void Precharged(Rank& r, std::uint64_t t_pre);
  std::vector<std::pair<std::uint64_t, size_t>> refresh_scratch_;  // a refresh's open banks
  std::uint32_t ref_sets_ = 1;  // refresh commands per tREFI (1: all-bank)
  std::vector<Rank> ranks_;
  Queue reads_, writes_;
  bool draining_ = false;
  std::uint64_t drain_left_ = 0;  // write_drain: batch: writes the drain under way still takes
  // queue_structure per_bank / per_rank: the entries each command queue (reads and writes) has
  // taken in and issued, and the times of its last `command_queue_depth` issues
  // (a ring: entry m waits for issue m - depth to free its slot).
  bool command_queues_ = false, per_rank_queues_ = false;
  std::uint64_t command_depth_ = 0;
  std::uint64_t command_seq_ = 0;
  size_t last_queue_served_ = 0;                               // scheduler: round-robin
  std::vector<std::uint64_t> command_taken_, command_issued_;  // held: taken - issued
  std::vector<std::uint64_t> command_issue_ps_;  // queue c's ring at [c * depth, (c + 1) * depth)
  // command_bus one_per_clock / row_column: time is a clock (`now_` the next one to process);
  // the last clock processed (max before the first).
  bool clocked_ = false, row_column_bus_ = false;
  // The first clock each command bus is free again (two_cycle_commands: two clocks after an ACT,
  // RD or WR); with one_per_clock both are the one bus.
  std::uint64_t row_bus_free_ = 0, column_bus_free_ = 0;
  std::uint64_t row_hit_cap_ = 0;
  // close_after_accesses (0: off), and the PREs it queued that have not issued, oldest first
  // (Ramulator 2's priority buffer): the bank and the ACT time of the row each closes, so that a
  // PRE whose row a refresh closed first is dropped.
  std::uint64_t close_after_ = 0;
  struct PriorityClose {
    size_t bank = 0;
    std::uint64_t opened = 0;
  };
  std::deque<PriorityClose> priority_closes_;
  // active_buffer: its capacity, the entries in it, and per bank whether one of them is there.
  std::uint64_t active_capacity_ = 0, active_entries_ = 0, act_orders_ = 0;
  std::vector<std::uint8_t> bank_activated_;
  std::uint64_t moves_per_clock_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t last_clock_ = std::numeric_limits<std::uint64_t>::max();
  std::vector<QueuedCommand> queue_scratch_;
  std::vector<size_t> busy_scratch_;
  // The row hits the last FR-FCFS pick planned (each bank's oldest; every hit with a scan), and
  // whether they still hold for its Commit (no refresh placed since): RunKept's older hits.
  struct PickedHit {
    std::uint64_t t_cas = 0, seq = 0;
    size_t bank = 0;
  };
  mutable std::vector<PickedHit> pick_hits_;
  bool pick_hits_valid_ = false;
  bool runs_ = false;   // entries are row runs (fast mode, column field lowest, tCCD_L <= burst)
  bool stream_ = true;  // a request that finds the controller idle is streamed (with runs_)
  std::uint64_t row_bursts_ = 1;
  std::uint64_t spacing_ = 0;  // between the column commands of a run
  // Rotate: usable (one rank, open page, FR-FCFS, fast mode, the bank group field right below
  // the column), the bytes of a row-run set (every group's row), its column times, and count.
  bool rotate_ = false;
  std::uint64_t set_bytes_ = 0;
  struct RotationRun {
    std::uint64_t slot = 0, cas_ps = 0, count = 0;  // decisions slot.., a burst apart
  };
  std::vector<RotationRun> rotation_runs_;
  static constexpr std::uint64_t kMaxRotationGroups = 16;  // kept in fixed arrays
  // ServeAlone's implicit queue: per row-run set of the request, its addresses, its bank and row
  // (in every group), its bursts not yet issued and each group's next burst; the admissions' entry
  // times, as runs.
  struct AloneSet {
    std::uint64_t start = 0, end = 0;
    std::uint32_t bank = 0;
    std::uint64_t row = 0;
    std::uint64_t left = 0;  // bursts not yet issued
    std::uint64_t next[kMaxRotationGroups] = {};
  };
  std::vector<AloneSet> alone_sets_;
  struct AdmitRun {
    std::uint64_t first = 0, count = 0, entry_ps = 0, spacing_ps = 0;
  };
  std::vector<AdmitRun> admit_runs_;
  std::uint64_t rotated_bursts_ = 0;
  std::uint64_t one_group_decisions_ = 0;
  std::uint64_t streamed_bursts_ = 0;
  bool stream_rows_ = true;
  std::uint64_t stream_row_runs_ = 0;
  std::uint64_t stream_waited_ = 0;  // per-bank refresh: sets the streamed request reaches next
  std::deque<Request> requests_;     // not yet retired, by id
  std::uint64_t first_request_ = 0;
  std::uint64_t next_admit_ = 0;  // id of the request whose bursts are being admitted
  // RunBefore: the request the closed form serves, and one it handed to the scheduler.
  std::uint64_t streamed_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t handed_over_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t now_ = 0;  // time of the last decision
  std::uint64_t bus_free_ = 0;
  std::uint64_t last_cas_ = 0;
  int last_bus_rank_ = -1;
  bool last_bus_write_ = false;
  // When the data bus frees for a burst of `rank` (a write or a read): after the last burst,
  // plus the rank-switch gap of the two bursts' directions if the driving rank changes.
  std::uint64_t BusFree(int rank, bool write) const {
    const bool switched = last_bus_rank_ >= 0 && last_bus_rank_ != rank;
    return bus_free_ + (switched ? t_rtrs_[last_bus_write_][write] : 0);
  }
  std::uint64_t last_done_ = 0;
  JedecStats stats_;
  bool scan_ = false;
  // TrackCompletions: the completed ids not yet taken; the incomplete requests none of whose
  // bursts has issued, whose counts do not change, in a min-heap of (bursts, id) (entries of
  // requests that have begun are dropped as they surface, and the heap is rebuilt when they
  // outnumber the others); and the requests that have begun (those with bursts in the queues,
  // a few), in a list scanned for the least count.
  bool track_ = false;
  std::vector<std::uint64_t> completed_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> unstarted_;
  std::uint64_t unstarted_count_ = 0;
  std::vector<std::uint64_t> started_;
  // `bursts` of request `id` have issued (its times updated); counts the request once complete.
  void Progress(Request& q, std::uint64_t id, std::uint64_t bursts);

  // Layer replay (jedec_controller_replay.cpp): the run being recorded, its start and state
  // then, and per bank it touched (replay_touched_[bank] == replay_epoch_) its rows.
  bool replay_recording_ = false;
  bool replay_alone_ = true;  // every request submitted while recording found no other pending
  std::uint64_t replay_start_ = 0, replay_epoch_ = 0;
  std::vector<Rank> replay_ranks_;
  JedecStats replay_stats_;
  ReplayBus replay_bus_;
  std::vector<std::uint64_t> replay_touched_;
  std::vector<std::uint32_t> replay_order_;                // touched banks, in first-access order
  std::vector<std::vector<ReplayRowAccess>> replay_rows_;  // per bank, first access first
  std::vector<std::uint64_t> replay_first_;                // per bank: its first request's arrival
  // Per row number, the stamp of the last bank whose rows EndReplayRecord listed it for.
  std::vector<std::uint64_t> replay_row_seen_;
  std::uint64_t replay_row_stamp_ = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> replay_requests_;  // global, local
  // With ReplayRowsShared: each row's index in its bank's listed rows (valid where stamped), the
  // tensor granule (global / replay_granule_) of requests, and ReplayMatches's scratch stamps
  // of the moved rows.
  std::vector<std::uint32_t> replay_row_index_;
  std::uint64_t replay_granule_ = 1;
  mutable std::vector<std::uint64_t> replay_moved_seen_;
  mutable std::vector<std::int64_t> replay_moved_rows_;  // per request: rows it moved by
  mutable std::uint64_t replay_moved_stamp_ = 0;
  // The moved rows of every bank of `run` are one to one with its rows (ReplayRowsShared).
  bool RowsRenamedOneToOne(const ReplayRun& run, const ReplayMove& move) const;
  // The rank's power-down at `start` (relative to it + 1; 0: powered down from it on), the time
  // its open rows have been open by `t`, and its power-down time by `t` with rows open and all
  // closed (as StateTimes takes them).
  std::uint64_t PowerDownRel(const Rank& r, std::uint64_t start) const;
  // The power-down state a run whose rank's first request arrives `first` after the start can
  // observe (`rel`: PowerDownRel): awake at that arrival, all alike.
  std::uint64_t PowerDownSeen(std::uint64_t rel, std::uint64_t first) const;
  double OpenUntil(const Rank& r, std::uint64_t t) const;
  std::pair<double, double> PowerDownUntil(const Rank& r, std::uint64_t t) const;
  // Consecutive bursts walk one row's columns, the whole row (ReplayMoveQuantum).
  bool ColumnSpansRow() const;
  // A touched bank at the run's start: closed, open on a row the run does not access (its first
  // access misses), open on the row of its first access, or open on another row it accesses.
  enum class BankState { kClosed, kMiss, kHit, kOther };
  // (`i`: the bank's index in the run's banks.)
  static BankState RecordedState(const ReplayRun& run, size_t i);
  BankState StateAtStart(const ReplayRun& run, size_t i, const ReplayMove& move) const;
  // The row of a recorded access in the replaying run.
  std::int64_t RowOf(const ReplayRun& run, const ReplayRowAccess& access,
                     const ReplayMove& move) const;
};

// A recorded run (JedecController replay): what it found and left in the banks and ranks it
// touched and on the bus, times relative to its start (negative: before it), and its counts.
struct JedecController::ReplayRun {
  struct BankRun {
    std::uint32_t index = 0;            // rank-major
    std::vector<ReplayRowAccess> rows;  // every row accessed once, in order of first access
    // The rows whose being open at the start can change the run: all of them, or, when its
    // requests were each alone, those of the bank's first request (a prefix of `rows`): what
    // FR-FCFS could take first as a hit. A later request finds the bank as that one left it.
    size_t seen = 0;
    std::span<const ReplayRowAccess> Seen() const { return {rows.data(), seen}; }
    bool Accesses(std::uint32_t row) const;      // `row` is among Seen() (a scan)
    BankState start_state = BankState::kClosed;  // at the start (RecordedState)
    Bank start, end;                             // times relative to the start
    size_t end_row = 0;                          // rows[end_row] is open at the end (if one is)
    // With ReplayRowsShared: later accesses to a listed row through a request of another tensor
    // granule than the row's first (`row`: the index into `rows`), which a move must rename
    // alike.
    std::vector<ReplayRowAccess> shared;
    std::uint64_t first = 0;  // its first request arrived this long after the start
  };
  struct RankRun {
    std::uint32_t index = 0;
    Rank start, end;        // without banks; times relative to the start
    bool any_open = false;  // a bank open at the start (power-down accounting)
    // Its first request arrived this long after the start (no command to the rank precedes it).
    std::uint64_t first = 0;
    // Background state time the run added after its start (open rows, power-down).
    double open_ps = 0, pd_precharged_ps = 0, pd_active_ps = 0;
    std::uint64_t last_command = 0;  // relative: the refreshes due up to it were placed
    std::int64_t refreshes = 0;
  };
  std::vector<BankRun> banks;
  std::vector<RankRun> ranks;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> requests;  // global, channel-local
  ReplayBus start, end;
  // Every request was alone in the controller (none submitted while another was pending), so
  // no decision read the write drain state: it is not compared.
  bool alone = true;
  JedecStats counts;          // what the run added
  size_t histogram_from = 0;  // counts' read-latency bins below it are 0
};

}  // namespace pjsim
