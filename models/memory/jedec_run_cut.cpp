// JedecController::RunKept: where the scheduler's row run (fast mode, every request queued) must
// stop so that it places what burst-by-burst decisions (`exact: true`) place. The run's bursts
// issue one bus slot apart, each at the earliest time any entry can have, so a decision between
// two of them picks the run's next burst unless
// - the requests admitted by then (at the previous burst's column command, in order, as the
//   queues' room allows) turn the direction: a read run's write queue reaching the high
//   watermark, a drain's write queue falling to the low one with reads queued, a read arriving
//   while writes go because none waited; or
// - an older row hit of another bank, held back until then (tWTR_L, tCCD_L of its group, its
//   entry time), is ready as soon as the run's next burst: it ties, and wins on age.
// The run is cut before that burst, and the next Step takes that decision as exact mode does
// (docs/DRAM.md, "Exactness of the scheduler's row runs").
#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>

#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_controller_inline.h"

namespace pjsim {

std::uint64_t JedecController::RunKept(const Queue& q, const Entry& e, bool write,
                                       std::uint64_t t_cas, std::uint64_t k) {
  k = OlderHitKept(q, e, write, t_cas, k);
  // The drain as the decision of the run's last burst leaves it: a write run without reads to
  // turn to still ends a drain at the low watermark (or starts one), which the next decision sees.
  return k > 1 ? DirectionKept(write, t_cas, k, draining_) : k;
}

std::uint64_t JedecController::OlderHitKept(const Queue& q, const Entry& e, bool write,
                                            std::uint64_t t_cas, std::uint64_t k) const {
  if (!p_.fr_fcfs) return k;  // FCFS: the run is the oldest entry, and admissions are younger
  const size_t run_bank = BankIndex(e.a);
  const size_t banks_per_rank = static_cast<size_t>(p_.Banks());
  // After the run's burst j - 1 an entry's column command is no earlier than the run's burst j
  // (the data bus), and the run's commands bound it by nothing later; so a hit whose plan now
  // is `ready` takes decision j, the first whose burst is at `ready` or later, if it is older.
  // Another rank's hit waits a rank switch more on the bus, and ties only without one.
  const bool other_ranks_tie = t_rtrs_[write][write] == 0;
  std::uint64_t ready = std::numeric_limits<std::uint64_t>::max();
  if (pick_hits_valid_) {
    // The pick planned them in this state (the run's own PRE and ACT bind no other bank's hit).
    for (const PickedHit& h : pick_hits_) {
      if (h.seq < e.seq && h.bank != run_bank &&
          (other_ranks_tie || h.bank / banks_per_rank == e.a.rank)) {
        ready = std::min(ready, h.t_cas);
      }
    }
  }
  for (size_t w = 0; !pick_hits_valid_ && w < q.active.size(); ++w) {
    for (std::uint64_t bits = q.active[w]; bits != 0; bits &= bits - 1) {
      const size_t bank = w * 64 + static_cast<size_t>(std::countr_zero(bits));
      if (bank == run_bank) continue;  // its other entries miss now, or are younger hits
      if (!other_ranks_tie && bank / banks_per_rank != e.a.rank) continue;
      const std::int64_t open = ranks_[bank / banks_per_rank].banks[bank % banks_per_rank].open_row;
      if (open < 0 || q.InRow(bank, static_cast<std::uint64_t>(open)) == 0) continue;
      // In admission order: the first hit is the earliest ready of an ordered queue's.
      for (const Entry& x : q.banks[bank]) {
        if (x.seq > e.seq) break;
        if (static_cast<std::int64_t>(x.a.row) != open) continue;
        ready = std::min(ready, PlanEntry(x, write, x.entry_ps).t_cas);
        if (q.ordered) break;
      }
    }
  }
  if (ready == std::numeric_limits<std::uint64_t>::max()) return k;
  const std::uint64_t j = ready <= t_cas ? 1 : (ready - t_cas + spacing_ - 1) / spacing_;
  return std::clamp<std::uint64_t>(j, 1, k);
}

std::uint64_t JedecController::DirectionKept(bool write, std::uint64_t t_cas, std::uint64_t k,
                                             bool& draining) const {
  // The queues' occupancy ([write]) and the drain as each decision of the run finds them.
  std::int64_t held[2] = {reads_.occupancy, writes_.occupancy};
  const std::int64_t capacity[2] = {reads_.capacity, writes_.capacity};
  // Admission in request order from the next request to admit, `left` of its bursts.
  const std::uint64_t end = first_request_ + requests_.size();
  std::uint64_t id = next_admit_;
  std::uint64_t left = id < end ? RequestAt(id).bursts_left_to_admit : 0;
  bool stalled = id >= end;
  if (!stalled && left >= k && held[write] == capacity[write]) {
    // The common case of a request alone (the adapter's): the next to admit is the run's own
    // request, in its full queue, with more bursts to admit than the run has decisions: each
    // decision admits the burst the last one issued, and nothing changes while the run lasts.
    const JedecRequest& r = RequestAt(id).r;
    if (r.write == write && r.arrival_ps <= std::max(now_, t_cas)) {
      const bool drain = WatermarkDrain(draining, held[1]);
      if ((held[1] > 0 && (drain || held[0] == 0)) != write) return 1;
      draining = drain;
      return k;
    }
  }
  for (std::uint64_t j = 1; j < k; ++j) {
    const std::uint64_t now = std::max(now_, t_cas + (j - 1) * spacing_);
    --held[write];  // burst j - 1 freed its slot
    while (!stalled) {
      if (left == 0) {
        if (++id >= end) {
          stalled = true;
          break;
        }
        left = RequestAt(id).bursts_left_to_admit;
        continue;
      }
      const JedecRequest& r = RequestAt(id).r;
      if (r.arrival_ps > now) break;
      const std::int64_t room = capacity[r.write] - held[r.write];
      if (room <= 0) {
        // Only the run's own queue frees slots while it issues.
        stalled = r.write != write;
        break;
      }
      const std::uint64_t taken = std::min(static_cast<std::uint64_t>(room), left);
      held[r.write] += static_cast<std::int64_t>(taken);
      left -= taken;
    }
    const bool drain = WatermarkDrain(draining, held[1]);  // (row runs: watermarks only)
    if ((held[1] > 0 && (drain || held[0] == 0)) != write) return j;
    draining = drain;
    // Once nothing more is admitted while the run lasts, a read run's queues stay as they are,
    // and a write run with no read queued only empties its queue: the drain as the last
    // decision leaves it (the decisions between move it the same way).
    if (stalled && !write) return k;
    if (stalled && held[0] == 0) {
      draining = WatermarkDrain(draining, held[1] - static_cast<std::int64_t>(k - 1 - j));
      return k;
    }
  }
  return k;
}

}  // namespace pjsim
