#include "models/memory/jedec_controller.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

#include "models/memory/jedec_controller_inline.h"

namespace pjsim {
namespace {

constexpr std::uint64_t kNoData = std::numeric_limits<std::uint64_t>::max();

}  // namespace

void JedecController::Queue::Push(size_t bank, const Entry& e) {
  BankEntries& list = banks[bank];
  if (!list.empty() && e.entry_ps < list.back().entry_ps) ordered = false;
  list.push_back(e);
  list.back().seq = next_seq++;
  active[bank / 64] |= std::uint64_t{1} << (bank % 64);
  ++entries;
  auto& in_rows = rows[bank];
  for (auto& [row, n] : in_rows) {
    if (row == e.a.row) {
      ++n;
      return;
    }
  }
  in_rows.emplace_back(e.a.row, 1);
}

void JedecController::Queue::Erase(size_t bank, size_t index) {
  BankEntries& list = banks[bank];
  const std::uint64_t row = list[index].a.row;
  list.erase(index);
  if (list.empty()) active[bank / 64] &= ~(std::uint64_t{1} << (bank % 64));
  if (--entries == 0) ordered = true;
  auto& in_rows = rows[bank];
  for (size_t i = 0; i < in_rows.size(); ++i) {
    if (in_rows[i].first == row) {
      if (--in_rows[i].second == 0) {
        in_rows[i] = in_rows.back();
        in_rows.pop_back();
      }
      return;
    }
  }
}

std::uint32_t JedecController::Queue::InRow(size_t bank, std::uint64_t row) const {
  for (const auto& [r, n] : rows[bank]) {
    if (r == row) return n;
  }
  return 0;
}

JedecController::JedecController(const JedecParams& p)
    : p_(p), map_(p), burst_bytes_(static_cast<std::uint64_t>(p.BurstBytes())) {
  const auto ps = [&](std::int64_t clocks) {
    return p.ClocksToPs(std::max<std::int64_t>(clocks, 0));
  };
  tck_ps_ = ps(1);
  t_burst_ = ps(p.BurstClocks());
  t_cl_ = ps(p.CL);
  t_cwl_ = ps(p.CWL);
  t_rcd_ = ps(p.tRCD);
  t_rcd_wr_ = ps(p.tRCDWR);
  t_ppd_ = ps(p.tPPD);
  t_32aw_ = ps(p.t32AW);
  t_rp_ = ps(p.tRP);
  t_ras_ = ps(p.tRAS);
  t_rc_ = ps(p.tRC);
  t_rrd_s_ = ps(p.tRRD_S);
  t_rrd_l_ = ps(p.tRRD_L);
  t_faw_ = ps(p.tFAW);
  t_ccd_s_ = ps(p.tCCD_S);
  t_ccd_l_ = ps(p.tCCD_L);
  t_ccd_l_wr_ = ps(p.tCCD_L_WR);
  t_wtr_s_ = ps(p.tWTR_S);
  t_wtr_l_ = ps(p.tWTR_L);
  t_rtp_ = ps(p.tRTP);
  t_wr_ = ps(p.tWR);
  t_rfc_ = ps(p.tRFC);
  t_refi_ = ps(p.tREFI);
  t_xp_ = ps(p.tXP);
  // Read to write on the same rank: the read data must clear the bus, plus the bus turnaround
  // (read_to_write_gap: 2 in JESD79-4, tRTW = RL + BL/2 - WL + 2).
  t_rtw_ = ps(p.CL + p.BurstClocks() + p.read_to_write_gap - p.CWL);
  t_rtrs_[0][0] = ps(p.tRTRS);
  t_rtrs_[0][1] = ps(p.tRTRS_RW);
  t_rtrs_[1][0] = ps(p.tRTRS_WR);
  t_rtrs_[1][1] = ps(p.tRTRS_WW);
  pd_idle_ = ps(p.power_down_idle);
  if (p.per_bank_refresh) {
    // Per-bank refresh: the rank's refresh commands come every tREFIpb, each blocking its set.
    ref_sets_ = static_cast<std::uint32_t>(p.RefreshSets());
    t_rfc_ = ps(p.tRFCpb);
    t_refi_ = ps(p.tREFIpb);
  }
  const auto groups = static_cast<size_t>(p.bank_groups);
  ranks_.resize(static_cast<size_t>(p.ranks));
  // The ranks refresh tREFI / ranks apart (rank k first at (k + 1) tREFI / ranks, in whole
  // clocks), so that one rank serves while another refreshes, as controllers stagger them
  // (DRAMsim3's and DRAMSim2's default) rather than stall the channel for tRFC at once;
  // refresh_stagger: false refreshes every rank at each tREFI at once (Ramulator 2's AllBank).
  const std::int64_t refi = p.per_bank_refresh ? p.tREFIpb : p.tREFI;
  for (Rank& r : ranks_) {
    r.banks.resize(static_cast<size_t>(p.Banks()));
    r.groups.resize(groups);
    const auto k = static_cast<std::int64_t>(&r - ranks_.data());
    r.next_ref = p.refresh_stagger ? ps(refi / p.ranks * (k + 1)) : ps(refi);
  }
  // Consecutive bursts stay in one row only when the column field sits right above the offset.
  // A run placed whole is what burst-by-burst scheduling gives only when one bank can keep the
  // data bus busy (tCCD_L and tCCD_L_WR no longer than a burst); otherwise the scheduler would fill
  // the gaps with bursts of another bank group, so every burst stays its own entry.
  runs_ = !p.exact && map_.ColumnIsLowest() && std::max(p.tCCD_L, p.tCCD_L_WR) <= p.BurstClocks() &&
          p.tCCD_S <= p.BurstClocks();
  row_bursts_ = static_cast<std::uint64_t>(p.columns / p.burst_length);
  // Rotations: burst j of a row-run set is in group j mod G, column j / G (the bank group field
  // right below the column), every other field that of the set.
  const auto g = static_cast<std::uint64_t>(p.bank_groups);
  bool rotating = g > 1 && g <= kMaxRotationGroups && row_bursts_ > 1;
  for (std::uint64_t j = 0; rotating && j <= g; ++j) {
    const JedecAddress a = map_.Decode(j * burst_bytes_);
    rotating =
        a.bank_group == j % g && a.column == j / g && a.bank == 0 && a.row == 0 && a.rank == 0;
  }
  rotate_ = rotating && !p.exact && !runs_ && p.open_page && p.fr_fcfs && p.ranks == 1;
  set_bytes_ = g * row_bursts_ * burst_bytes_;
  // A run's column commands, all in one bank (so one bank group), are this far apart.
  spacing_ = std::max({t_ccd_l_, t_ccd_l_wr_, t_ccd_s_, t_burst_});
  // Round-robin ties: every burst its own decision (the stream, runs and rotations place what
  // oldest-first FR-FCFS picks).
  if (p.round_robin) runs_ = rotate_ = stream_ = false;
  // A batch write drain counts its writes burst by burst: every burst its own decision (the
  // closed forms keep the watermarks' drain only).
  if (p.batch_write_drain) runs_ = rotate_ = stream_ = false;
  if (p.queue_structure != JedecParams::QueueStructure::kShared) {
    // Command queues: every burst its own transaction and decision (the closed-form stream,
    // runs and rotations assume the scheduler sees the whole queue).
    command_queues_ = true;
    per_rank_queues_ = p.queue_structure == JedecParams::QueueStructure::kPerRank;
    command_depth_ = static_cast<std::uint64_t>(p.command_queue_depth);
    runs_ = rotate_ = stream_ = false;
    const size_t queues =
        static_cast<size_t>(p.ranks) * (per_rank_queues_ ? 1 : static_cast<size_t>(p.Banks()));
    command_taken_.assign(queues, 0);
    command_issued_.assign(queues, 0);
    command_issue_ps_.assign(queues * command_depth_, 0);
  }
  clocked_ = p.command_bus != JedecParams::CommandBus::kAhead;
  row_column_bus_ = p.command_bus == JedecParams::CommandBus::kRowColumn;
  row_hit_cap_ = static_cast<std::uint64_t>(p.row_hit_cap);
  active_capacity_ = static_cast<std::uint64_t>(p.active_buffer);
  if (active_capacity_ > 0 && (!clocked_ || command_queues_)) {
    // As the preset reader refuses it: the ahead mode places a request's ACT and column command
    // in one decision, and command queues are a buffer of their own.
    throw std::invalid_argument(
        "jedec controller: active_buffer needs a clocked command bus and a shared queue");
  }
  if (p.moves_per_clock > 0) moves_per_clock_ = static_cast<std::uint64_t>(p.moves_per_clock);
  close_after_ = static_cast<std::uint64_t>(p.close_after_accesses);
  if (close_after_ > 0 && !p.open_page) {
    // As the preset reader refuses it: a closed page closes every row after its access.
    throw std::invalid_argument("jedec controller: close_after_accesses needs page_policy open");
  }
  // A clocked command bus, a row-hit cap or rows closed after N accesses: every burst its own
  // decision (the closed-form stream, runs and rotations place what the decision-per-column-
  // access scheduler picks while rows stay open).
  if (clocked_ || row_hit_cap_ > 0 || close_after_ > 0) runs_ = rotate_ = stream_ = false;
  // GDDR5's constraints (JESD212): a write's tRCDWR other than tRCD, tPPD between PREs, a
  // 32-ACT window. The closed forms place PREs, ACTs and column commands by tRCD, tRRD and tFAW
  // alone: with any of these every burst is its own decision. (A window no longer than 8 tFAW
  // does not bind ACTs placed in time order, but the decisions place ACTs out of it, and the
  // ring then differs between the two: HBM2E with t32AW = 8 tFAW moved.)
  if (p.tRCDWR != p.tRCD || p.tPPD > 0 || p.t32AW > 0) runs_ = rotate_ = stream_ = false;
  reads_.capacity = p.read_queue;
  writes_.capacity = p.write_queue;
  const auto banks = static_cast<size_t>(p.ranks) * static_cast<size_t>(p.Banks());
  if (active_capacity_ > 0) bank_activated_.assign(banks, 0);
  for (Queue* q : {&reads_, &writes_}) {
    q->banks.resize(banks);
    q->rows.resize(banks);
    q->active.assign((banks + 63) / 64, 0);
  }
}

std::uint64_t JedecController::Submit(const JedecRequest& r) {
  if (replay_recording_) {
    for (const Request& o : requests_) replay_alone_ = replay_alone_ && o.bursts_left == 0;
  }
  Request& q = requests_.emplace_back();  // built in place (a request is a few cache lines)
  q.r = r;
  q.c.first_data_ps = kNoData;
  if (r.bytes > 0) {
    const std::uint64_t first = r.address / burst_bytes_;
    const std::uint64_t last = (r.address + r.bytes - 1) / burst_bytes_;
    q.next_address = first * burst_bytes_;
    q.bursts_left_to_admit = q.bursts_left = last - first + 1;
  } else {
    q.c.accepted_ps = q.c.first_data_ps = q.c.done_ps = r.arrival_ps;
  }
  if (clocked_ && r.arrival_ps < now_) {
    // The clock jumped past this arrival while it was unknown: take it up at its clock.
    const std::uint64_t clock = (r.arrival_ps + tck_ps_ - 1) / tck_ps_ * tck_ps_;
    now_ = std::max(clock, last_clock_ == std::numeric_limits<std::uint64_t>::max()
                               ? std::uint64_t{0}
                               : last_clock_ + tck_ps_);
  }
  const std::uint64_t id = first_request_ + requests_.size() - 1;
  if (track_) {
    if (q.bursts_left > 0) {
      ++unstarted_count_;
      unstarted_.emplace_back(q.bursts_left, id);
      std::push_heap(unstarted_.begin(), unstarted_.end(), std::greater<>());
    } else {
      completed_.push_back(id);
    }
  }
  return id;
}

void JedecController::Progress(Request& q, std::uint64_t id, std::uint64_t bursts) {
  q.bursts_left -= bursts;
  if (q.bursts_left == 0) {
    (q.r.write ? stats_.bytes_written : stats_.bytes_read) += static_cast<double>(q.r.bytes);
    if (!q.r.write) stats_.AddReadLatency(q.c.done_ps - q.c.accepted_ps);
    last_done_ = std::max(last_done_, q.c.done_ps);
  }
  if (!track_) return;
  if (q.started == kNotStarted) {
    --unstarted_count_;
    if (q.bursts_left > 0) {
      q.started = started_.size();
      started_.push_back(id);
    }
  } else if (q.bursts_left == 0) {
    const std::uint64_t last = started_.back();
    started_[q.started] = last;
    RequestAt(last).started = q.started;
    started_.pop_back();
    q.started = kNotStarted;
  }
  if (q.bursts_left == 0) completed_.push_back(id);
  if (unstarted_.size() > 2 * unstarted_count_ + 64) {
    unstarted_.clear();
    for (std::uint64_t i = first_request_; i < first_request_ + requests_.size(); ++i) {
      const Request& r = RequestAt(i);
      if (r.bursts_left > 0 && r.started == kNotStarted) unstarted_.emplace_back(r.bursts_left, i);
    }
    std::make_heap(unstarted_.begin(), unstarted_.end(), std::greater<>());
  }
}

void JedecController::TakeCompleted(std::vector<std::uint64_t>& ids) {
  ids.clear();
  ids.swap(completed_);
}

std::uint64_t JedecController::EarliestDoneAny() {
  // A heap entry is current while its request has all its bursts left (a request that has
  // begun has fewer; a retired one is gone).
  constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t least = kNone, id = 0;
  while (!unstarted_.empty()) {
    const auto [left, front] = unstarted_.front();
    if (front >= first_request_ && RequestAt(front).bursts_left == left &&
        RequestAt(front).started == kNotStarted) {
      least = left;
      id = front;
      break;
    }
    std::pop_heap(unstarted_.begin(), unstarted_.end(), std::greater<>());
    unstarted_.pop_back();
  }
  for (const std::uint64_t s : started_) {
    if (RequestAt(s).bursts_left < least) {
      least = RequestAt(s).bursts_left;
      id = s;
    }
  }
  return least == kNone ? kNone : EarliestDone(id);
}

void JedecController::Admit() {
  const std::uint64_t end = first_request_ + requests_.size();
  for (;;) {
    while (next_admit_ < end) {
      Request& q = RequestAt(next_admit_);
      if (q.bursts_left_to_admit == 0) {
        ++next_admit_;
        continue;
      }
      if (q.r.arrival_ps > now_) break;
      Queue& queue = q.r.write ? writes_ : reads_;
      const std::int64_t room = queue.capacity - queue.occupancy;
      if (room <= 0) break;  // back-pressure: the requester waits, in order
      // With command queues a transaction is one burst, and it waits in the transaction queue.
      const Entry e = NextEntry(q, queue, command_queues_ ? 1 : static_cast<std::uint64_t>(room));
      if (command_queues_) {
        queue.pending.push_back(e);
      } else {
        queue.Push(BankIndex(e.a), e);
      }
      queue.occupancy += static_cast<std::int64_t>(e.bursts);
    }
    // Command queues: transactions move in while they have room, which may make room for more.
    // (A clocked command bus moves them clock by clock: ClockedStep.)
    std::uint64_t budget = std::numeric_limits<std::uint64_t>::max();
    if (!command_queues_ || clocked_ || !MoveTransactions(budget)) return;
  }
}

bool JedecController::MoveTransactions(std::uint64_t& budget) {
  // Reads move while the writes do not drain; writes while they drain (DRAMsim3 moves from one
  // of its two transaction queues), or whichever has transactions when the other has none.
  // A batch drain moves as many writes as were held at its start, and then reads go again
  // unless none waits.
  const bool writes_waiting = writes_.occupancy > 0 || !writes_.empty();
  const bool reads_waiting = reads_.occupancy > 0 || !reads_.empty();
  UpdateDrain(writes_.occupancy);
  bool moved = false;
  if (!draining_ || !writes_waiting) moved = MoveToCommandQueues(reads_, budget) || moved;
  if (draining_ || !reads_waiting) {
    moved = MoveToCommandQueues(writes_, budget, reads_waiting) || moved;
  }
  return moved;
}

bool JedecController::MoveToCommandQueues(Queue& q, std::uint64_t& budget, bool while_draining) {
  bool moved = false;
  size_t kept = 0;
  for (Entry& e : q.pending) {
    const size_t bank = BankIndex(e.a);
    const size_t c = CommandQueueOf(bank);
    if (budget == 0 || (clocked_ && e.entry_ps > now_) || (while_draining && !draining_)) {
      q.pending[kept++] = e;  // not this clock (or past the batch drain's count)
      continue;
    }
    if (command_taken_[c] - command_issued_[c] >= command_depth_) {
      q.pending[kept++] = e;  // its command queue is full: later transactions pass it
      continue;
    }
    // Entry m of a command queue takes the slot that issue m - depth freed.
    const std::uint64_t m = command_taken_[c]++;
    if (clocked_) {
      e.entry_ps = now_ + tck_ps_;  // moved this clock, its commands from the next
    } else if (m >= command_depth_) {
      e.entry_ps = std::max(e.entry_ps, command_issue_ps_[c * command_depth_ + m % command_depth_]);
    }
    --budget;
    q.Record(1, e.entry_ps, 0);  // the transaction queue's slot frees as it moves
    --q.occupancy;
    if (&q == &writes_) DrainCounts(1);
    q.Push(bank, e);
    q.banks[bank].back().seq = command_seq_++;  // age across the read and write queues
    moved = true;
  }
  q.pending.resize(kept);
  return moved;
}

[[gnu::always_inline]] inline JedecController::Entry JedecController::NextEntry(
    Request& q, Queue& queue, std::uint64_t room) {
  Entry e;
  e.a = map_.Decode(q.next_address);
  e.request = next_admit_;
  e.address = q.next_address;
  std::uint64_t k = 1;
  if (runs_) {
    k = Earliest(q.bursts_left_to_admit, row_bursts_ - e.a.column, room);
  }
  e.bursts = static_cast<std::uint32_t>(k);
  // The run is seen (its row can be opened) once its first burst has a slot.
  e.entry_ps = std::max(q.r.arrival_ps, queue.SlotFree(queue.admitted));
  if (!q.accepted) {
    q.accepted = true;
    q.c.accepted_ps = e.entry_ps;
  }
  queue.admitted += k;
  q.next_address += k * burst_bytes_;
  q.bursts_left_to_admit -= k;
  return e;
}

bool JedecController::Step() {
  if (clocked_) return ClockedStep();
  Admit();
  if (reads_.empty() && writes_.empty()) {
    if (next_admit_ >= first_request_ + requests_.size()) return false;
    now_ = std::max(now_, RequestAt(next_admit_).r.arrival_ps);
    Admit();
    if (reads_.empty() && writes_.empty()) return false;
  }
  // (With command queues a batch drain's start is decided where transactions move, as their
  // count is taken there: MoveTransactions.)
  if (!command_queues_ || !p_.batch_write_drain) UpdateDrain(writes_.occupancy);
  const auto pick = [this](const Queue& q, bool write) {
    return q.ordered && !scan_ ? PickIndexed(q, write) : PickScan(q, write);
  };
  if (command_queues_) {
    // The command queues hold reads and writes together (the drain decides which move in):
    // the first ready of either goes, so that turnarounds are paid only where they pay off.
    const Candidate r = reads_.empty() ? Candidate{} : pick(reads_, false);
    const Candidate w = writes_.empty() ? Candidate{} : pick(writes_, true);
    const bool write = !writes_.empty() && (reads_.empty() || w.Before(r));
    const Candidate& c = write ? w : r;
    Issue(write ? writes_ : reads_, c.bank, c.index, write);
    return true;
  }
  const bool write = !writes_.empty() && (draining_ || reads_.empty());
  Queue& q = write ? writes_ : reads_;
  const Candidate c = pick(q, write);
  pick_hits_valid_ = p_.fr_fcfs;
  Issue(q, c.bank, c.index, write);
  return true;
}

void JedecController::SkipAdmitted() {
  const std::uint64_t end = first_request_ + requests_.size();
  while (next_admit_ < end && RequestAt(next_admit_).bursts_left_to_admit == 0) ++next_admit_;
}

JedecController::Candidate JedecController::PickScan(const Queue& q, bool write) const {
  Candidate best;
  pick_hits_.clear();
  for (size_t bank = 0; bank < q.banks.size(); ++bank) {
    const BankEntries& list = q.banks[bank];
    // Past the row-hit cap, the hits younger than the bank's oldest miss wait for it.
    const bool capped = RowHitCapReached(bank);
    bool miss_passed = false;
    for (size_t i = 0; i < list.size(); ++i) {
      const Entry& e = list[i];
      Candidate c{.seq = Age(e, bank), .bank = bank, .index = i};
      if (p_.fr_fcfs) {
        const Plan pl = PlanEntry(e, write, e.entry_ps);
        if (capped && miss_passed && !pl.act) continue;
        miss_passed = miss_passed || pl.act;
        c.t_cas = pl.t_cas;
        c.miss = pl.act;
        if (!pl.act) pick_hits_.push_back({pl.t_cas, c.seq, bank});
      } else {
        c.t_cas = 0;  // FCFS: the oldest
      }
      if (c.Before(best)) best = c;
    }
  }
  return best;
}

JedecController::Candidate JedecController::PickIndexed(const Queue& q, bool write) const {
  // A plan's column time never decreases with the entry's time (every bound is a max with it),
  // and within a bank it depends on nothing else but whether the entry hits the open row: with
  // each bank's entries in order of time, the bank's first hit and first miss are the only
  // candidates that can win.
  Candidate best;
  pick_hits_.clear();
  const size_t banks_per_rank = static_cast<size_t>(p_.Banks());
  for (size_t w = 0; w < q.active.size(); ++w) {
    for (std::uint64_t bits = q.active[w]; bits != 0; bits &= bits - 1) {
      const size_t bank = w * 64 + static_cast<size_t>(std::countr_zero(bits));
      const BankEntries& list = q.banks[bank];
      if (!p_.fr_fcfs) {
        const Candidate c{.t_cas = 0, .seq = Age(list.front(), bank), .bank = bank, .index = 0};
        if (c.Before(best)) best = c;
        continue;
      }
      const std::int64_t open = ranks_[bank / banks_per_rank].banks[bank % banks_per_rank].open_row;
      // The counts of the open row's entries tell whether there is a hit, and a miss, to find.
      const std::uint32_t hits = open >= 0 ? q.InRow(bank, static_cast<std::uint64_t>(open)) : 0;
      bool hit_seen = hits == 0, miss_seen = hits == list.size();
      // Past the row-hit cap, the hits younger than the bank's oldest miss wait for it.
      const bool capped = RowHitCapReached(bank);
      size_t i = 0;
      for (auto it = list.begin(); !(hit_seen && miss_seen); ++it, ++i) {
        const Entry& e = *it;
        const bool hit = static_cast<std::int64_t>(e.a.row) == open;
        if (hit ? hit_seen : miss_seen) continue;
        (hit ? hit_seen : miss_seen) = true;
        const Plan pl = PlanEntry(e, write, e.entry_ps);
        const Candidate c{
            .t_cas = pl.t_cas, .miss = pl.act, .seq = Age(e, bank), .bank = bank, .index = i};
        if (hit) pick_hits_.push_back({c.t_cas, c.seq, bank});
        if (c.Before(best)) best = c;
        if (capped && !hit) break;
      }
    }
  }
  return best;
}

void JedecController::Close(Rank& r, Bank& b, std::uint64_t t_pre) {
  if (t_pre > b.open_since) r.open_closed_ps += static_cast<double>(t_pre - b.open_since);
  b.open_row = -1;
  b.since_close = 0;
  b.act_ready = std::max(b.act_ready, t_pre + t_rp_);
  ++stats_.pre;
}

void JedecController::Refresh(Rank& r) {
  // All-bank refresh: precharge the open banks, wait tRP (and tRC after the last ACT), REF,
  // and every bank is blocked for tRFC. Per-bank refresh does the same to the banks of one set
  // (s, s + sets, s + 2 sets, ...) for tRFCpb. Every set is refreshed once per round of `sets`
  // commands (one tREFI); within a round the controller picks, as the standards let it name the
  // bank, a set no queued request waits for (Chang et al., "Improving DRAM Performance by
  // Parallelizing Refreshes with Accesses", HPCA 2014) and that is idle soonest; of equals the
  // one used last (a stream has left it and comes back latest).
  const size_t stride = ref_sets_;
  size_t first = 0;
  if (stride > 1) {
    if (r.ref_done == (std::uint64_t{1} << stride) - 1) r.ref_done = 0;
    std::uint64_t waited = stream_waited_;  // sets with queued requests
    const auto rank = static_cast<std::uint32_t>(&r - ranks_.data());
    const size_t banks = r.banks.size();
    for (const Queue* q : {&reads_, &writes_}) {
      for (size_t bank = 0; bank < banks; ++bank) {
        if (!q->banks[rank * banks + bank].empty()) waited |= std::uint64_t{1} << (bank % stride);
      }
    }
    // Idle sets first (when every set left in the round is waited for, all of them); among
    // those, the one that can refresh first, and of equals the one used last.
    if ((~r.ref_done & ~waited & ((std::uint64_t{1} << stride) - 1)) == 0) waited = 0;
    std::uint64_t best_ready = 0, best_used = 0;
    bool found = false;
    for (size_t set = 0; set < stride; ++set) {
      if ((r.ref_done | waited) >> set & 1) continue;
      std::uint64_t ready = r.next_ref, used = 0;
      for (size_t i = set; i < r.banks.size(); i += stride) {
        const Bank& b = r.banks[i];
        ready = Latest(ready, b.act_ready, b.open_row >= 0 ? b.pre_ready + t_rp_ : 0);
        used = std::max(used, b.pre_ready);
      }
      if (!found || ready < best_ready || (ready == best_ready && used > best_used)) {
        found = true;
        best_ready = ready;
        best_used = used;
        first = set;
      }
    }
    r.ref_done |= std::uint64_t{1} << first;
  }
  std::uint64_t t = r.next_ref;
  if (t_ppd_ > 0) {
    // PREs tPPD apart: each open bank's as soon as it and the previous PRE allow, in order of
    // readiness (the order that precharges the last bank soonest), as DRAMsim3 issues them.
    std::vector<std::pair<std::uint64_t, size_t>>& open = refresh_scratch_;
    open.clear();
    for (size_t i = first; i < r.banks.size(); i += stride) {
      if (r.banks[i].open_row >= 0) open.emplace_back(r.banks[i].pre_ready, i);
    }
    std::sort(open.begin(), open.end());
    for (const auto& [ready, i] : open) {
      const std::uint64_t t_pre = Latest(t, ready, r.pre);
      Close(r, r.banks[i], t_pre);
      Precharged(r, t_pre);
    }
  } else {
    // Without tPPD every open bank precharges once all allow it (the REF waits for the last).
    bool open = false;
    for (size_t i = first; i < r.banks.size(); i += stride) {
      const Bank& b = r.banks[i];
      if (b.open_row >= 0) {
        open = true;
        t = std::max(t, b.pre_ready);
      }
    }
    if (open) {
      for (size_t i = first; i < r.banks.size(); i += stride) {
        if (r.banks[i].open_row >= 0) Close(r, r.banks[i], t);
      }
    }
  }
  for (size_t i = first; i < r.banks.size(); i += stride) t = std::max(t, r.banks[i].act_ready);
  for (size_t i = first; i < r.banks.size(); i += stride) r.banks[i].act_ready = t + t_rfc_;
  // The other banks stay usable. (The tRRD a REFpb keeps from an ACT to another bank is not
  // modelled: the refresh is placed when a later command is, and would order ACTs that a
  // controller issues ahead of it behind it.)
  ++stats_.ref;
  // In rank-equivalent time: a per-bank refresh blocks 1/sets of the banks.
  stats_.refresh_ps += t_rfc_ / stride;
  r.next_ref += t_refi_;
}

std::uint64_t JedecController::RowsClosed(const Rank& r, std::uint64_t from,
                                          std::uint64_t to) const {
  bool open = false;
  for (const Bank& b : r.banks) open = open || b.open_row >= 0;
  if (!open) return from;
  if (!p_.refresh) return to;
  // All-bank: the next refresh closes every row. Per-bank: the rest of the round reaches every
  // open bank (the sets already refreshed in it are taken as reached too).
  std::uint64_t last = r.next_ref;
  if (ref_sets_ > 1) {
    const auto done = static_cast<std::uint64_t>(std::popcount(r.ref_done));
    const std::uint64_t left = done == ref_sets_ ? ref_sets_ : ref_sets_ - done;
    last += (left - 1) * t_refi_;
  }
  return std::clamp(last, from, to);
}

std::uint64_t JedecController::WakeUp(Rank& r, std::uint64_t t) {
  if (!p_.power_down || t <= r.last_activity + pd_idle_) return t;
  const std::uint64_t from = r.last_activity + pd_idle_;
  // A refresh due while powered down closes the open rows (it is applied after the wake-up).
  const std::uint64_t closes = RowsClosed(r, from, t);  // end of the active part
  r.pd_active_ps += static_cast<double>(closes - from);
  r.pd_precharged_ps += static_cast<double>(t - closes);
  r.last_activity = t;
  return t + t_xp_;
}

void JedecController::Issue(Queue& q, size_t bank, size_t index, bool write) {
  last_queue_served_ = ArbitratedQueue(bank);
  Entry& e = q.banks[bank][index];
  const std::uint64_t k = Commit(q, e, write, true);
  if (command_queues_) {
    // The command queue's slot frees as the column command issues.
    const size_t c = CommandQueueOf(bank);
    command_issue_ps_[c * command_depth_ + command_issued_[c]++ % command_depth_] = last_cas_;
  } else {
    q.occupancy -= static_cast<std::int64_t>(k);
    if (write) DrainCounts(k);
  }
  if (k == e.bursts) {
    q.Erase(bank, index);
  } else {
    e.bursts -= static_cast<std::uint32_t>(k);
    e.address += k * burst_bytes_;
    e.a.column += k;
  }
}

std::uint64_t JedecController::Commit(Queue& q, Entry& e, bool write, bool decided) {
  Rank& r = ranks_[e.a.rank];
  const std::uint32_t bg = e.a.bank_group;
  Bank& b = BankOf(r, e.a);
  Rank::Group& g = r.groups[bg];
  const std::uint64_t t0 = WakeUp(r, e.entry_ps);
  Plan pl = PlanEntry(e, write, t0);
  while (p_.refresh && pl.First() >= r.next_ref) {
    Refresh(r);
    pick_hits_valid_ = false;  // a refresh may have closed a hit's row
    pl = PlanEntry(e, write, t0);
  }
  if (pl.pre) {
    Close(r, b, pl.t_pre);
    Precharged(r, pl.t_pre);
  }
  if (pl.act) {
    ++stats_.act;
    ++stats_.row_misses;
    Activate(r, b, g, e.a.row, pl.t_act);
  } else {
    ++stats_.row_hits;
  }

  // The run's column commands, one every `spacing` (all in one bank, so one bank group), up to
  // the next refresh.
  const std::uint64_t spacing = spacing_;
  std::uint64_t k = e.bursts;
  if (p_.refresh && k > 1 && pl.t_cas + (k - 1) * spacing >= r.next_ref) {
    const std::uint64_t fit =
        r.next_ref > pl.t_cas ? (r.next_ref - pl.t_cas + spacing - 1) / spacing : 1;
    k = std::max<std::uint64_t>(fit, 1);
  }
  if (decided && k > 1) k = RunKept(q, e, write, pl.t_cas, k);
  pick_hits_valid_ = false;
  stats_.row_hits += static_cast<std::int64_t>(k - 1);
  b.columns += k;
  const std::uint64_t last_cas = pl.t_cas + (k - 1) * spacing;
  const std::uint64_t latency = write ? t_cwl_ : t_cl_;
  const std::uint64_t data_first = pl.t_cas + latency;
  const std::uint64_t data_end = last_cas + latency + t_burst_;
  Columns(r, b, g, e.a.rank, write, last_cas, data_end);
  (write ? stats_.wr : stats_.rd) += static_cast<std::int64_t>(k);
  stats_.bus_busy_ps += k * t_burst_;
  if (!p_.open_page) {
    // Closed page: precharge as soon as allowed (an auto-precharge column command).
    Close(r, b, b.pre_ready);
    r.last_activity = std::max(r.last_activity, b.pre_ready + t_rp_);
  } else if (close_after_ > 0 && (b.since_close += k) >= close_after_) {
    // The row has served its accesses: a PRE as soon as tRTP / tWR (and tPPD) allow. Placed
    // ahead, as this mode places every PRE, it holds no other decision back.
    const std::uint64_t t_pre = std::max(b.pre_ready, r.pre);
    Close(r, b, t_pre);
    Precharged(r, t_pre);
    r.last_activity = std::max(r.last_activity, t_pre);
  }

  // The queue slots free as the column commands issue (with command queues, as transactions
  // move out of the transaction queue: MoveToCommandQueues).
  if (!command_queues_) q.Record(k, pl.t_cas, spacing);
  now_ = std::max(now_, last_cas);

  Request& rq = RequestAt(e.request);
  rq.c.first_data_ps = std::min(rq.c.first_data_ps, data_first);
  rq.c.done_ps = std::max(rq.c.done_ps, data_end);
  Progress(rq, e.request, k);
  return k;
}

bool JedecController::Stream(std::uint64_t id, std::uint64_t horizon) {
  Request& q = RequestAt(id);
  const bool write = q.r.write;
  Queue& queue = write ? writes_ : reads_;
  now_ = std::max(now_, q.r.arrival_ps);
  // Local copies: the compiler cannot keep members in registers across the state stores.
  const JedecAddressMap& map = map_;
  const std::uint64_t latency = write ? t_cwl_ : t_cl_, t_burst = t_burst_, spacing = spacing_;
  const std::uint64_t t_rp = t_rp_, t_rcd = t_rcd_, t_ras = t_ras_, t_rc = t_rc_;
  const std::uint64_t t_rrd_s = t_rrd_s_, t_rrd_l = t_rrd_l_, t_faw = t_faw_;
  const std::uint64_t t_ccd_s = t_ccd_s_, t_ccd_l = t_ccd_l_, t_ccd_l_wr = t_ccd_l_wr_;
  const std::uint64_t after_wr = t_wr_, after_rd = t_rtp_, turn = write ? t_wtr_s_ : t_rtw_,
                      turn_l = t_wtr_l_;
  const std::uint64_t pd_idle = pd_idle_, row_bursts = row_bursts_, burst_bytes = burst_bytes_;
  const auto cap = static_cast<std::uint64_t>(queue.capacity);
  const auto bpg = static_cast<std::uint32_t>(p_.banks_per_group);
  const bool inline_ok = p_.open_page, power_down = p_.power_down, refresh = p_.refresh;
  // What the rows placed here add to the stats and the request, applied before any row goes
  // through Commit (which completes the request when its last burst issues) and at the end.
  StreamTally s;
  const auto flush = [&] {
    if (s.bursts == 0) return;  // nothing placed since the last flush (or a Commit completed it)
    stats_.act += s.acts;
    stats_.row_misses += s.acts;
    stats_.row_hits += s.hits;
    (write ? stats_.wr : stats_.rd) += static_cast<std::int64_t>(s.bursts);
    stats_.bus_busy_ps += s.bursts * t_burst;
    now_ = std::max(now_, s.last_cas);
    q.c.first_data_ps = std::min(q.c.first_data_ps, s.first_data);
    q.c.done_ps = std::max(q.c.done_ps, s.done);
    Progress(q, id, s.bursts);
    streamed_bursts_ += s.bursts;
    s.acts = s.hits = 0;
    s.bursts = 0;
  };
  while (q.bursts_left_to_admit > 0) {
    if (stream_rows_) {
      StreamRows(q, queue, horizon, s);
      if (q.bursts_left_to_admit == 0) break;
    }
    // The next run is decided after the previous one's last column command: a request that
    // may arrive by then competes for it (RunBefore).
    if (Latest(now_, s.last_cas) >= horizon) {
      flush();
      stream_waited_ = 0;
      return true;
    }
    // NextEntry, for a request that has the queue to itself.
    const JedecAddress a = map.Decode(q.next_address);
    const std::uint64_t k = Earliest(q.bursts_left_to_admit, row_bursts - a.column, cap);
    const std::uint64_t t0 = std::max(q.r.arrival_ps, queue.SlotFree(queue.admitted));
    if (!q.accepted) {
      q.accepted = true;
      q.c.accepted_ps = t0;
    }
    Rank& r = ranks_[a.rank];
    // The common case, placed here as PlanEntry and Commit place it: open page, the rank awake,
    // no refresh due before the run's last column command.
    if (inline_ok && (!power_down || t0 <= r.last_activity + pd_idle)) {
      Bank& b = r.banks[a.bank_group * bpg + a.bank];
      Rank::Group& g = r.groups[a.bank_group];
      const bool act = b.open_row != static_cast<std::int64_t>(a.row);
      std::uint64_t t_pre = 0, t_act = 0, cas_ready = b.cas_ready;
      if (act) {
        t_act = std::max(t0, b.act_ready);
        if (b.open_row >= 0) {
          t_pre = std::max(t0, b.pre_ready);
          t_act = std::max(t_act, t_pre + t_rp);
        }
        t_act = Latest(t_act, r.act, g.act, r.faw[r.faw_oldest]);
        cas_ready = t_act + t_rcd;
      }
      std::uint64_t tc = Latest(t0, cas_ready, last_cas_, r.cas, g.cas,
                                write ? std::max(r.wr, g.wr) : std::max(r.rd, g.rd));
      const std::uint64_t bus = BusFree(static_cast<int>(a.rank), write);
      if (tc + latency < bus) tc = bus - latency;
      if (!StreamKeepsOrder(q, queue, k, tc, act, write)) {
        flush();
        stream_waited_ = 0;
        return false;
      }
      if (ref_sets_ > 1 && act && tc > bus - latency && b.act_ready + t_rcd >= tc) {
        // Per-bank refresh holds this run's bank past the data bus: the scheduler serves the
        // next banks' runs meanwhile, so the rest of the request goes through it.
        flush();
        stream_waited_ = 0;
        return false;
      }
      const std::uint64_t cas_end = tc + (k - 1) * spacing;
      if (!refresh || cas_end < r.next_ref) {
        UpdateDrain(write ? static_cast<std::int64_t>(std::min(q.bursts_left_to_admit, cap)) : 0);
        // (and as the decision of the run's last burst leaves it, as StreamRows)
        if (write && k > 1 && draining_) {
          UpdateDrain(static_cast<std::int64_t>(std::min(q.bursts_left_to_admit - k + 1, cap)));
        }
        queue.admitted += k;
        q.next_address += k * burst_bytes;
        q.bursts_left_to_admit -= k;
        if (act) {
          if (b.open_row >= 0) Close(r, b, t_pre);
          ++s.acts;
          b.open_row = static_cast<std::int64_t>(a.row);
          b.open_since = t_act;
          b.act_ready = std::max(b.act_ready, t_act + t_rc);
          b.cas_ready = t_act + t_rcd;
          b.pre_ready = t_act + t_ras;
          r.act = t_act + t_rrd_s;
          g.act = t_act + t_rrd_l;
          r.faw[r.faw_oldest] = t_act + t_faw;
          r.faw_oldest = (r.faw_oldest + 1) & 3;
        } else {
          ++s.hits;
        }
        s.hits += static_cast<std::int64_t>(k - 1);
        const std::uint64_t data_end = cas_end + latency + t_burst;
        r.cas = cas_end + t_ccd_s;
        g.cas = cas_end + t_ccd_l;
        last_cas_ = cas_end;
        bus_free_ = std::max(bus_free_, data_end);
        last_bus_rank_ = static_cast<int>(a.rank);
        last_bus_write_ = write;
        if (write) {
          g.wr = cas_end + t_ccd_l_wr;
          r.rd = data_end + turn;
          g.rd = data_end + turn_l;
          b.pre_ready = std::max(b.pre_ready, data_end + after_wr);
        } else {
          r.wr = cas_end + turn;
          b.pre_ready = std::max(b.pre_ready, cas_end + after_rd);
        }
        r.last_activity = std::max(r.last_activity, data_end);
        s.bursts += k;
        s.first_data = std::min(s.first_data, tc + latency);
        s.done = std::max(s.done, data_end);
        s.last_cas = std::max(s.last_cas, cas_end);
        queue.Record(k, tc, spacing);
        continue;
      }
    }
    flush();
    Entry e = NextEntry(q, queue, cap);
    while (e.bursts > 0) {
      // Each part of a run (split where a refresh falls) is a decision of its own. A refresh
      // that Commit places must not pick a bank the scheduler would see queued at this
      // decision: the request's bursts from the first unissued one over the queue's depth (the
      // queue slides on as a part issues, so the next part's window reaches further).
      if (ref_sets_ > 1) {
        stream_waited_ = StreamWaitedSets(
            e.address, std::min<std::uint64_t>(e.bursts + q.bursts_left_to_admit, cap), e.a.rank);
      }
      const Plan pl = PlanEntry(e, write, e.entry_ps);
      if (!StreamKeepsOrder(q, queue, e.bursts, pl.t_cas, pl.act, write)) {
        // The scheduler takes over with the rest of the run queued, as it would have it.
        queue.Push(BankIndex(e.a), e);
        queue.occupancy += static_cast<std::int64_t>(e.bursts);
        stream_waited_ = 0;
        return false;
      }
      UpdateDrain(
          write ? static_cast<std::int64_t>(std::min(q.bursts_left_to_admit + e.bursts, cap)) : 0);
      const std::uint64_t n = Commit(queue, e, write);
      if (write && n > 1 && draining_) {
        UpdateDrain(
            static_cast<std::int64_t>(std::min(q.bursts_left_to_admit + e.bursts - n + 1, cap)));
      }
      streamed_bursts_ += n;
      e.bursts -= static_cast<std::uint32_t>(n);
      e.address += n * burst_bytes;
      e.a.column += n;
    }
  }
  flush();
  stream_waited_ = 0;
  ++next_admit_;
  return true;
}

std::uint64_t JedecController::StreamWaitedSets(std::uint64_t address, std::uint64_t bursts,
                                                std::uint32_t rank) const {
  // Row run by row run, each from its column to the end of its row (a window starting or ending
  // mid-row still reaches every row it touches).
  std::uint64_t sets = 0;
  for (std::uint64_t off = 0; off < bursts;) {
    const JedecAddress w = map_.Decode(address + off * burst_bytes_);
    const std::uint64_t bank =
        std::uint64_t{w.bank_group} * static_cast<std::uint64_t>(p_.banks_per_group) + w.bank;
    if (w.rank == rank) sets |= std::uint64_t{1} << (bank % ref_sets_);
    off += row_bursts_ - w.column;
  }
  return sets;
}

bool JedecController::StreamKeepsOrder(const Request& q, const Queue& queue, std::uint64_t k,
                                       std::uint64_t t_cas, bool miss, bool write) const {
  if (!p_.fr_fcfs) return true;  // FCFS: the oldest goes first
  // The run starts at the first burst not yet issued: the request's next address, less the
  // bursts of a run admitted but not all issued.
  const std::uint64_t bb = burst_bytes_;
  const std::uint64_t unissued = queue.admitted - queue.issued;
  const std::uint64_t first = q.next_address - unissued * bb;
  const std::uint64_t window =
      std::min(unissued + q.bursts_left_to_admit, static_cast<std::uint64_t>(queue.capacity));
  // No plan is earlier than the last column command and the data bus allow; a row hit there
  // wins (every other entry is younger).
  const std::uint64_t latency = write ? t_cwl_ : t_cl_;
  const std::uint64_t floor = std::max(last_cas_, bus_free_ > latency ? bus_free_ - latency : 0);
  if (!miss && t_cas <= floor) return true;
  const Candidate mine{.t_cas = t_cas, .miss = miss, .seq = 0};
  for (std::uint64_t off = k; off < window;) {
    Entry e;
    e.address = first + off * bb;
    e.a = map_.Decode(e.address);
    const std::uint64_t len = std::min(window - off, row_bursts_ - e.a.column);
    const Rank& r = ranks_[e.a.rank];
    const Bank& b = BankOf(r, e.a);
    if (b.open_row != static_cast<std::int64_t>(e.a.row)) {
      // A miss is no earlier than its rank's bounds on an ACT (tRRD_S, tFAW) and tRCD, and its
      // column command than the rank's: at that time or later it only ties with this older run.
      const std::uint64_t lower =
          Latest(floor, Latest(r.act, r.faw[r.faw_oldest]) + t_rcd_, r.cas, write ? r.wr : r.rd);
      if (t_cas <= lower) {
        off += len;
        continue;
      }
    }
    e.entry_ps = std::max(q.r.arrival_ps, queue.SlotFree(queue.issued + off));
    const Plan pl = PlanEntry(e, write, e.entry_ps);
    if (Candidate{.t_cas = pl.t_cas, .miss = pl.act, .seq = 1}.Before(mine)) return false;
    off += len;
  }
  return true;
}

bool JedecController::RotationAlone(std::uint64_t id) const {
  const Request& q = RequestAt(id);
  // Every queued burst is this request's (the other queue empty), and every earlier request
  // all admitted (`next_admit_` may not be past them yet).
  const Queue& mine = q.r.write ? writes_ : reads_;
  const Queue& other = q.r.write ? reads_ : writes_;
  if (!other.empty() ||
      mine.occupancy != static_cast<std::int64_t>(q.bursts_left - q.bursts_left_to_admit)) {
    return false;
  }
  for (std::uint64_t i = next_admit_; i < id; ++i) {
    if (RequestAt(i).bursts_left_to_admit > 0) return false;
  }
  return true;
}

void JedecController::RotatedHits(Request& q, std::uint64_t id, std::uint64_t n) {
  const auto count = static_cast<std::int64_t>(n);
  stats_.row_hits += count;
  (q.r.write ? stats_.wr : stats_.rd) += count;
  stats_.bus_busy_ps += n * t_burst_;
  now_ = std::max(now_, last_cas_);
  q.c.done_ps = std::max(q.c.done_ps, last_cas_ + (q.r.write ? t_cwl_ : t_cl_) + t_burst_);
  Progress(q, id, n);
}

bool JedecController::Rotate(std::uint64_t id, std::uint64_t horizon) {
  Admit();  // as the next Step would (it admits nothing more after this)
  Request& q = RequestAt(id);
  const bool write = q.r.write;
  Queue& queue = write ? writes_ : reads_;
  // The queue full (or the request all admitted), so that each issue admits the next burst, and
  // a burst of the request already issued: every entry's time (arrival or a freed slot) is then
  // no later than the last column command, so it bounds no plan and wakes no rank.
  if (queue.empty() || !queue.ordered || last_cas_ < q.r.arrival_ps ||
      (q.bursts_left_to_admit > 0 && queue.occupancy < queue.capacity)) {
    return false;
  }
  // The row-run set of the oldest entry (every queued entry is this request's, in address
  // order: the oldest has the lowest address).
  std::uint64_t oldest = std::numeric_limits<std::uint64_t>::max();
  for (size_t w = 0; w < queue.active.size(); ++w) {
    for (std::uint64_t bits = queue.active[w]; bits != 0; bits &= bits - 1) {
      const size_t bank = w * 64 + static_cast<size_t>(std::countr_zero(bits));
      oldest = std::min(oldest, queue.banks[bank].front().address);
    }
  }
  const std::uint64_t bb = burst_bytes_;
  const std::uint64_t admit0 = q.next_address;  // the first burst not admitted
  const std::uint64_t request_end = admit0 + q.bursts_left_to_admit * bb;
  const std::uint64_t set_start = oldest - oldest % set_bytes_;
  const std::uint64_t set_end = std::min(set_start + set_bytes_, request_end);
  const auto groups = static_cast<std::uint64_t>(p_.bank_groups);
  const std::uint64_t stride = groups * bb;  // between the bursts of one group
  const JedecAddress head = map_.Decode(set_start);
  Rank& r = ranks_[0];
  // Per group: its bank, the next burst it issues in the set (its bank's oldest entry, bursts
  // of one bank issue in address order: one row, all hits), where its bursts started.
  Bank* bank[kMaxRotationGroups];
  Rank::Group* group[kMaxRotationGroups];
  size_t index[kMaxRotationGroups];
  std::uint64_t next[kMaxRotationGroups], start[kMaxRotationGroups];
  for (std::uint64_t j = 0; j < groups; ++j) {
    const auto jj = static_cast<std::uint32_t>(j);
    index[j] = BankIndex({.rank = 0, .bank_group = jj, .bank = head.bank});
    bank[j] = &r.banks[index[j]];
    group[j] = &r.groups[j];
    const BankEntries& list = queue.banks[index[j]];
    if (!list.empty() && list.front().address < set_end) {
      next[j] = list.front().address;
    } else {  // none queued: the group's first burst not admitted
      const std::uint64_t first = set_start + j * bb;
      next[j] = admit0 <= first ? first : first + (admit0 - first + stride - 1) / stride * stride;
    }
    start[j] = next[j];
  }
  // A group whose row is not open has misses only: they can tie with a hit at the earliest
  // time, not beat it, and the hit wins the tie; the rotation leaves them to the scheduler.
  std::uint64_t limit[kMaxRotationGroups];
  for (std::uint64_t j = 0; j < groups; ++j) {
    limit[j] = bank[j]->open_row == static_cast<std::int64_t>(head.row) ? set_end : 0;
  }

  const std::uint64_t lat = write ? t_cwl_ : t_cl_;
  const auto cap = queue.capacity;
  const double high = p_.write_high_watermark * static_cast<double>(writes_.capacity);
  const double low = p_.write_low_watermark * static_cast<double>(writes_.capacity);
  std::uint64_t admit_end = admit0;
  std::int64_t occupancy = queue.occupancy;
  rotation_runs_.clear();
  std::uint64_t n = 0;  // decisions placed
  // The groups of the last decisions (a ring) and how many of them were a burst apart.
  std::uint64_t last_groups[kMaxRotationGroups];
  std::uint64_t in_run = 0;
  for (;;) {
    if (last_cas_ >= horizon) break;  // RunBefore: the decision is not due yet
    // Step: admit (one burst per burst issued), update the write drain, pick.
    std::uint64_t admit = admit_end;
    std::int64_t occ = occupancy;
    if (occ < cap && admit < request_end) {
      admit += bb;
      ++occ;
    }
    bool drain = draining_;
    const double w = static_cast<double>(write ? occ : writes_.occupancy);
    if (!drain && w >= high) drain = true;
    if (drain && w <= low) drain = false;
    // Every plan's column time is at least `earliest` (the last column command, the data bus);
    // the set's bursts are older than any other queued entry, and a hit wins a tie with a miss.
    const std::uint64_t bus = BusFree(0, write);
    std::uint64_t earliest = last_cas_;
    if (earliest + lat < bus) earliest = bus - lat;
    std::uint64_t best = groups, best_t = std::numeric_limits<std::uint64_t>::max();
    for (std::uint64_t j = 0; j < groups; ++j) {
      if (next[j] >= limit[j] || next[j] >= admit) continue;
      const Rank::Group& g = *group[j];
      std::uint64_t tc = Latest(bank[j]->cas_ready, last_cas_, r.cas, g.cas,
                                write ? std::max(r.wr, g.wr) : std::max(r.rd, g.rd));
      if (tc + lat < bus) tc = bus - lat;
      if (tc < best_t || (tc == best_t && next[j] < next[best])) {
        best = j;
        best_t = tc;
      }
    }
    if (best == groups || best_t != earliest) break;
    if (p_.refresh && best_t >= r.next_ref) break;  // Commit would refresh first
    Columns(r, *bank[best], *group[best], 0, write, best_t, best_t + lat + t_burst_);
    if (!rotation_runs_.empty() &&
        rotation_runs_.back().cas_ps + rotation_runs_.back().count * t_burst_ == best_t) {
      ++rotation_runs_.back().count;
      ++in_run;
    } else {
      rotation_runs_.push_back({n, best_t, 1});
      in_run = 1;
    }
    last_groups[n % groups] = best;
    ++n;
    next[best] += stride;
    admit_end = admit;
    occupancy = occ - 1;
    draining_ = drain;

    // A cycle: the last G decisions a burst apart, one per group. If no constraint from before
    // it binds any more (tRCD after the ACTs, the turnaround from the other direction), every
    // bound is the cycle's own shifted by a cycle, and so is every decision (ties by age too:
    // each group's next burst moves by one stride), as long as every group has bursts left
    // in the set and none reaches a refresh: place whole cycles at once.
    if (in_run < groups) continue;
    std::uint64_t seen = 0;
    for (std::uint64_t j = 0; j < groups; ++j) seen |= std::uint64_t{1} << last_groups[j];
    if (seen != (std::uint64_t{1} << groups) - 1) continue;
    const std::uint64_t cycle_ps = groups * t_burst_;
    std::uint64_t cycles = std::numeric_limits<std::uint64_t>::max();
    bool bound = false;
    for (std::uint64_t j = 0; j < groups; ++j) {
      // Whole bursts left in the set (admitted by the time they are picked, as in the cycle).
      cycles = std::min(cycles, next[j] < limit[j] ? (limit[j] - next[j]) / stride : 0);
      const std::uint64_t before = write ? r.wr : std::max(r.rd, group[j]->rd);
      bound = bound || std::max(bank[j]->cas_ready, before) > last_cas_ + t_burst_;
    }
    if (bound) continue;
    if (p_.refresh) {
      cycles =
          std::min(cycles, r.next_ref > last_cas_ ? (r.next_ref - 1 - last_cas_) / cycle_ps : 0);
    }
    if (horizon != std::numeric_limits<std::uint64_t>::max()) {
      // Each decision (at the previous column command) before the horizon.
      cycles = std::min(
          cycles, last_cas_ < horizon ? ((horizon - 1 - last_cas_) / t_burst_ + 1) / groups : 0);
    }
    if (write) {  // the write drain stays as it is while each issue admits a burst
      cycles = std::min(cycles, (request_end - admit_end) / bb / groups);
    }
    if (cycles == 0) continue;
    const std::uint64_t shift = cycles * cycle_ps;
    for (std::uint64_t i = n - groups; i < n; ++i) {
      const std::uint64_t j = last_groups[i % groups];
      const std::uint64_t cas =
          rotation_runs_.back().cas_ps + (i - rotation_runs_.back().slot) * t_burst_ + shift;
      Columns(r, *bank[j], *group[j], 0, write, cas, cas + lat + t_burst_);
    }
    for (std::uint64_t j = 0; j < groups; ++j) next[j] += cycles * stride;
    const std::uint64_t placed = cycles * groups;
    const std::uint64_t admitted = std::min(placed, (request_end - admit_end) / bb);
    admit_end += admitted * bb;
    occupancy -= static_cast<std::int64_t>(placed - admitted);
    rotation_runs_.back().count += placed;
    in_run += placed;
    n += placed;  // the ring of groups keeps its order (a multiple of G further on)
  }
  if (n == 0) return false;
  // The column time of decision i.
  const auto cas_of = [&](std::uint64_t i) {
    size_t k = rotation_runs_.size() - 1;
    while (rotation_runs_[k].slot > i) --k;
    return rotation_runs_[k].cas_ps + (i - rotation_runs_[k].slot) * t_burst_;
  };

  // The queue as the decisions leave it: the issued entries that were queued go, the bursts
  // admitted meanwhile and not issued come, each with its admission time (the slot the issue
  // `capacity` bursts earlier freed: the rotation's issue as many decisions before) and order.
  for (std::uint64_t j = 0; j < groups; ++j) {
    for (std::uint64_t a = start[j]; a < std::min(next[j], admit0); a += stride) {
      queue.Erase(index[j], 0);
    }
  }
  std::uint64_t from = std::min(admit_end, set_end);  // the bursts past the set all wait
  for (std::uint64_t j = 0; j < groups; ++j) {
    if (next[j] < set_end) from = std::min(from, next[j]);
  }
  from = std::max(from, admit0);
  const std::uint64_t seq0 = queue.next_seq;
  for (std::uint64_t a = from; a < admit_end; a += bb) {
    if (a < set_end && a < next[(a - set_start) / bb % groups]) continue;  // issued
    const std::uint64_t i = (a - admit0) / bb;  // admitted at decision i + 1
    Entry e;
    e.a = map_.Decode(a);
    e.request = id;
    e.address = a;
    e.entry_ps = std::max(q.r.arrival_ps, cas_of(i));
    queue.next_seq = seq0 + i;
    queue.Push(BankIndex(e.a), e);
  }
  const std::uint64_t admitted = (admit_end - admit0) / bb;
  queue.next_seq = seq0 + admitted;
  queue.admitted += admitted;
  queue.occupancy = occupancy;
  q.next_address = admit_end;
  q.bursts_left_to_admit -= admitted;
  for (const RotationRun& run : rotation_runs_) queue.Record(run.count, run.cas_ps, t_burst_);

  rotated_bursts_ += n;
  q.c.first_data_ps = std::min(q.c.first_data_ps, rotation_runs_.front().cas_ps + lat);
  RotatedHits(q, id, n);
  return true;
}

void JedecController::Retire(std::uint64_t up_to) {
  while (!requests_.empty() && first_request_ < next_admit_ && first_request_ <= up_to &&
         requests_.front().bursts_left == 0) {
    requests_.pop_front();
    ++first_request_;
  }
}

JedecCompletion JedecController::RunUntil(std::uint64_t id) {
  if (id < first_request_ || id >= first_request_ + requests_.size()) {
    throw std::logic_error("jedec controller: request " + std::to_string(id) +
                           " was never submitted or already completed");
  }
  SkipAdmitted();
  if (runs_ && stream_ && next_admit_ == id && Alone()) Stream(id);
  const bool rotate = rotate_ && reads_.empty() && writes_.empty() &&
                      id + 1 == first_request_ + requests_.size() && RotationAlone(id);
  // Per-bank refresh picks the set to refresh by the queued entries: it needs the queue built.
  if (rotate && ref_sets_ == 1 && !RequestAt(id).accepted && RequestAt(id).bursts_left > 0) {
    ServeAlone(id);
  }
  while (RequestAt(id).bursts_left > 0) {
    if (rotate && Rotate(id)) continue;
    if (!Step()) throw std::logic_error("jedec controller stalled with a request pending");
  }
  const JedecCompletion c = RequestAt(id).c;
  // Requests after `id` may have completed too (FR-FCFS reorders); they stay until asked for.
  Retire(id);
  return c;
}

std::uint64_t JedecController::RunAll() {
  while (Step()) {
  }
  Retire(std::numeric_limits<std::uint64_t>::max());
  return last_done_;
}

bool JedecController::Alone() const {
  return reads_.empty() && writes_.empty() &&
         next_admit_ + 1 == first_request_ + requests_.size() &&
         RequestAt(next_admit_).bursts_left_to_admit > 0;
}

std::uint64_t JedecController::NextDecision() const {
  // As Step: a decision at the time of the last one while entries are queued or a request has
  // arrived to be admitted, else at the next arrival.
  if (!reads_.empty() || !writes_.empty()) return now_;
  if (!reads_.pending.empty() || !writes_.pending.empty()) return now_;
  if (!priority_closes_.empty()) return now_;  // a clock issues the PRE
  for (std::uint64_t id = next_admit_; id < first_request_ + requests_.size(); ++id) {
    const Request& q = RequestAt(id);
    if (q.bursts_left_to_admit > 0) return std::max(now_, q.r.arrival_ps);
  }
  return std::numeric_limits<std::uint64_t>::max();
}

std::uint64_t JedecController::EarliestDone(std::uint64_t id) const {
  const std::uint64_t d = NextDecision();
  if (d == std::numeric_limits<std::uint64_t>::max()) return d;
  // Every remaining burst issues its column command at a decision or later, and the bursts
  // take the data bus one after another.
  return d + std::min(t_cl_, t_cwl_) + RequestAt(id).bursts_left * t_burst_;
}

void JedecController::RunBefore(std::uint64_t t_ps) {
  constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
  for (;;) {
    const std::uint64_t d = NextDecision();
    if (d >= t_ps) return;
    // The closed form serves a request alone in the controller up to the next arrival: one that
    // found it idle (or that it has served so far), not one the scheduler has begun, nor one
    // it handed to the scheduler (per-bank refresh holding its bank).
    const std::uint64_t id = next_admit_;
    const std::uint64_t end = first_request_ + requests_.size();
    if (runs_ && stream_ && id < end && reads_.empty() && writes_.empty() && id != handed_over_ &&
        (!RequestAt(id).accepted || id == streamed_)) {
      const std::uint64_t next = id + 1 < end ? RequestAt(id + 1).r.arrival_ps : kNone;
      if (d < next) {
        streamed_ = id;
        if (!Stream(id, std::min(t_ps, next))) handed_over_ = id;
        continue;
      }
    }
    streamed_ = kNone;  // the scheduler takes over whatever is left of it
    // A request alone in the controller (the others complete) with rotating bursts.
    if (rotate_ && end > first_request_ && RequestAt(end - 1).bursts_left > 0 &&
        RotationAlone(end - 1) && Rotate(end - 1, t_ps)) {
      continue;
    }
    if (!Step()) return;
  }
}

JedecCompletion JedecController::Collect(std::uint64_t id) {
  Request& q = RequestAt(id);
  if (q.bursts_left > 0) throw std::logic_error("jedec controller: request collected early");
  q.collected = true;
  const JedecCompletion c = q.c;
  // Requests complete out of order: drop the front ones whose requesters have their times.
  while (!requests_.empty() && first_request_ < next_admit_ && requests_.front().collected) {
    requests_.pop_front();
    ++first_request_;
  }
  return c;
}

void JedecController::RefreshUntil(std::uint64_t t_ps) {
  if (!p_.refresh) return;
  for (Rank& r : ranks_) {
    while (r.next_ref < t_ps) Refresh(r);
  }
}

namespace {

// Histogram bin of a latency in ps: exact below 64, then 64 bins per octave.
size_t LatencyBin(std::uint64_t ps) {
  if (ps < 64) return static_cast<size_t>(ps);
  const int e = 63 - std::countl_zero(ps);  // >= 6
  return static_cast<size_t>(64 * (e - 5)) + static_cast<size_t>((ps >> (e - 6)) & 63);
}

// The middle of bin `i`, in ps.
double LatencyBinMiddle(size_t i) {
  if (i < 64) return static_cast<double>(i);
  const int e = static_cast<int>(i / 64) + 5;
  const double low = std::ldexp(static_cast<double>(64 + i % 64), e - 6);
  return low + std::ldexp(0.5, e - 6);
}

}  // namespace

void JedecStats::AddReadLatency(std::uint64_t ps) {
  ++reads;
  read_latency_sum_ns += static_cast<double>(ps) * 1e-3;
  const size_t bin = LatencyBin(ps);
  if (bin >= read_latency_histogram.size()) read_latency_histogram.resize(bin + 1, 0);
  ++read_latency_histogram[bin];
}

JedecLatency SummarizeLatency(const JedecStats& s) {
  JedecLatency l;
  if (s.reads == 0) return l;
  l.avg_ns = s.read_latency_sum_ns / static_cast<double>(s.reads);
  const auto rank = static_cast<std::uint64_t>(std::ceil(0.99 * static_cast<double>(s.reads)));
  std::uint64_t seen = 0;
  for (size_t i = 0; i < s.read_latency_histogram.size(); ++i) {
    seen += s.read_latency_histogram[i];
    if (seen >= rank) {
      l.p99_ns = LatencyBinMiddle(i) * 1e-3;
      break;
    }
  }
  return l;
}

JedecStateTimes JedecController::StateTimes(std::uint64_t end_ps) const {
  JedecStateTimes s;
  const auto end = static_cast<double>(end_ps);
  for (const Rank& r : ranks_) {
    double pd_pre = r.pd_precharged_ps, pd_act = r.pd_active_ps;
    double open_ps = r.open_closed_ps;
    for (const Bank& b : r.banks) {
      if (b.open_row < 0) continue;
      if (end > static_cast<double>(b.open_since))
        open_ps += end - static_cast<double>(b.open_since);
    }
    const std::uint64_t pd_from = r.last_activity + pd_idle_;
    if (p_.power_down && end_ps > pd_from) {
      // As WakeUp: due refreshes close the open rows.
      const std::uint64_t closes = RowsClosed(r, pd_from, end_ps);
      pd_act += static_cast<double>(closes - pd_from);
      pd_pre += static_cast<double>(end_ps - closes);
    }
    const double standby = std::max(0.0, end - pd_pre - pd_act);
    s.standby_ns += standby * 1e-3;
    s.active_ns += std::min(open_ps, standby) * 1e-3;
    s.precharge_powerdown_ns += pd_pre * 1e-3;
    s.active_powerdown_ns += pd_act * 1e-3;
  }
  return s;
}

}  // namespace pjsim
