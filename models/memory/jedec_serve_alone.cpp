// JedecController::ServeAlone: a request alone in the controller whose bursts rotate over the
// bank groups (the mapping Rotate serves), run to completion with its queue kept implicit. Every
// decision is the scheduler's (Step: admit, update the write drain, pick as FR-FCFS picks,
// Commit), but the queued entries are not built: they are the request's bursts in address order
// up to the last admitted, less those issued, and within one row-run set each group's bursts
// (one bank, one row) issue in address order, so the queue is each set's next burst per group.
// The pick plans the oldest entry of each (set, group), a superset of the bank index's
// candidates that holds the first-ready entry; and whole cycles over the groups are placed at
// once where Rotate places them. Without it, each burst of such a request was pushed into the
// queue and erased again (docs/DRAM.md, Speed of bank-group rotations).
#include <algorithm>
#include <limits>

#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_controller_inline.h"

namespace pjsim {

std::uint64_t JedecController::AloneEntryTime(std::uint64_t n, std::uint64_t arrival) const {
  // The admission runs are in order of their first admission number, and the queued entries
  // asked for are among the last admitted (within a queue's depth): search from the newest.
  size_t i = admit_runs_.size() - 1;
  while (admit_runs_[i].first > n) --i;
  const AdmitRun& run = admit_runs_[i];
  return std::max(arrival, run.entry_ps + (n - run.first) * run.spacing_ps);
}

void JedecController::AddAdmissions(std::uint64_t first, std::uint64_t count,
                                    std::uint64_t entry_ps, std::uint64_t spacing_ps) {
  if (count == 0) return;
  // A run that continues the last one at its spacing extends it (a single admission has any
  // spacing).
  if (!admit_runs_.empty()) {
    AdmitRun& last = admit_runs_.back();
    if (last.first + last.count == first && entry_ps >= last.entry_ps) {
      const std::uint64_t step = last.count == 1 ? entry_ps - last.entry_ps : last.spacing_ps;
      if (last.entry_ps + last.count * step == entry_ps && (count == 1 || spacing_ps == step)) {
        last.spacing_ps = step;
        last.count += count;
        return;
      }
    }
  }
  admit_runs_.push_back({first, count, entry_ps, spacing_ps});
}

void JedecController::ServeAlone(std::uint64_t id) {
  Request& q = RequestAt(id);
  const bool write = q.r.write;
  Queue& queue = write ? writes_ : reads_;
  const std::uint64_t bb = burst_bytes_;
  const auto groups = static_cast<std::uint64_t>(p_.bank_groups);
  const std::uint64_t stride = groups * bb;  // between the bursts of one group in a set
  const std::uint64_t begin = q.next_address;
  const std::uint64_t end = begin + q.bursts_left_to_admit * bb;
  const std::uint64_t first_admission = queue.admitted;  // of the request's first burst
  const std::uint64_t lat = write ? t_cwl_ : t_cl_;
  const std::uint64_t arrival = q.r.arrival_ps;
  Rank& r = ranks_[0];

  // Each set's next burst per group (its first at or after `begin`; at or past `end` of the
  // set: none left).
  alone_sets_.clear();
  for (std::uint64_t s = begin - begin % set_bytes_; s < end; s += set_bytes_) {
    AloneSet set;
    set.start = s;
    set.end = std::min(s + set_bytes_, end);
    const JedecAddress head = map_.Decode(s);
    set.bank = head.bank;
    set.row = head.row;
    set.left = (set.end - std::max(s, begin)) / bb;
    for (std::uint64_t j = 0; j < groups; ++j) {
      const std::uint64_t first = s + j * bb;
      set.next[j] = first >= begin ? first : first + (begin - first + stride - 1) / stride * stride;
    }
    alone_sets_.push_back(set);
  }
  admit_runs_.clear();
  size_t oldest = 0;  // the first set with bursts left

  // As Step: a request that finds the queues empty is admitted from its arrival on.
  now_ = std::max(now_, arrival);
  // The last decisions a burst apart, each a row hit at the earliest time any entry could have,
  // in set `cycle_set`: their groups (a ring) and how many.
  std::uint64_t last_groups[kMaxRotationGroups];
  // ... and whether each was a miss, and the only group ready at the earliest time.
  constexpr unsigned kMissed = 1, kSole = 2;
  unsigned last_flags[kMaxRotationGroups] = {};
  std::uint64_t in_run = 0, decisions = 0, previous_cas = 0;
  size_t cycle_set = 0;
  while (q.bursts_left > 0) {
    // Admit: one-burst entries in address order while the queue has room.
    if (queue.occupancy < queue.capacity && q.bursts_left_to_admit > 0) {
      const auto room = static_cast<std::uint64_t>(queue.capacity - queue.occupancy);
      const std::uint64_t k = std::min(room, q.bursts_left_to_admit);
      queue.SlotRuns(
          queue.admitted, k,
          [&](std::uint64_t n, std::uint64_t count, std::uint64_t entry_ps,
              std::uint64_t spacing_ps) { AddAdmissions(n, count, entry_ps, spacing_ps); });
      if (!q.accepted) {
        q.accepted = true;
        q.c.accepted_ps = AloneEntryTime(queue.admitted, arrival);
      }
      queue.admitted += k;
      queue.next_seq += k;
      queue.occupancy += static_cast<std::int64_t>(k);
      q.next_address += k * bb;
      q.bursts_left_to_admit -= k;
    }
    UpdateDrain(writes_.occupancy);  // as Step
    const std::uint64_t admitted_end = q.next_address;

    // Pick: the oldest entry of each (set, group), planned as Step plans it. No plan is earlier
    // than the last column command and the data bus allow, every entry of a later set is
    // younger, and a hit wins a tie with a miss: a hit of the oldest set there is the pick
    // without planning the later sets.
    std::uint64_t earliest = last_cas_;
    if (earliest + lat < bus_free_) earliest = bus_free_ - lat;
    struct {
      std::uint64_t t_cas = std::numeric_limits<std::uint64_t>::max();
      bool miss = true;
      std::uint64_t address = std::numeric_limits<std::uint64_t>::max();
      size_t set = 0;
      std::uint64_t group = 0, entry_ps = 0;
      Plan plan;
    } best;
    for (size_t s = oldest; s < alone_sets_.size() && alone_sets_[s].start < admitted_end; ++s) {
      const AloneSet& set = alone_sets_[s];
      for (std::uint64_t j = 0; j < groups; ++j) {
        const std::uint64_t a = set.next[j];
        if (a >= set.end || a >= admitted_end) continue;
        // The set's bank and row in group j (the column does not enter a plan).
        Entry e;
        e.a = {.rank = 0,
               .bank_group = static_cast<std::uint32_t>(j),
               .bank = set.bank,
               .row = set.row};
        const std::uint64_t entry = AloneEntryTime(first_admission + (a - begin) / bb, arrival);
        const Plan pl = PlanEntry(e, write, entry);
        const bool before = pl.t_cas != best.t_cas ? pl.t_cas < best.t_cas
                            : pl.act != best.miss  ? !pl.act
                                                   : a < best.address;
        if (before) {
          best.t_cas = pl.t_cas;
          best.miss = pl.act;
          best.address = a;
          best.set = s;
          best.group = j;
          best.entry_ps = entry;
          best.plan = pl;
        }
      }
      if (!best.miss && best.t_cas == earliest) break;
    }
    AloneSet& set_of_best = alone_sets_[best.set];
    const bool rotated = !best.miss && best.t_cas == earliest && best.set == oldest;
    // Whether the pick's group was the only one whose column command could be at the earliest
    // time (every other group held by tCCD_L): then the pick did not win a tie with another group.
    bool sole = true;
    for (std::uint64_t j = 0; j < groups; ++j) {
      sole = sole && (j == best.group || r.groups[j].cas > earliest);
    }
    // What Commit does with a one-burst entry whose commands meet no refresh and that wakes no
    // rank, placed here from the pick's plan (Commit would plan it again).
    const bool in_place = (!p_.refresh || best.plan.First() < r.next_ref) &&
                          (!p_.power_down || best.entry_ps <= r.last_activity + pd_idle_);
    if (in_place) {
      const auto bg = static_cast<std::uint32_t>(best.group);
      Bank& b = r.banks[BankIndex({.rank = 0, .bank_group = bg, .bank = set_of_best.bank})];
      Rank::Group& g = r.groups[bg];
      if (best.miss) {
        if (best.plan.pre) Close(r, b, best.plan.t_pre);
        ++stats_.act;
        ++stats_.row_misses;
        Activate(r, b, g, set_of_best.row, best.plan.t_act);
      } else {
        ++stats_.row_hits;
      }
      ++b.columns;
      Columns(r, b, g, 0, write, best.t_cas, best.t_cas + lat + t_burst_);
      queue.Record(1, best.t_cas, t_burst_);
      ++(write ? stats_.wr : stats_.rd);
      stats_.bus_busy_ps += t_burst_;
      now_ = std::max(now_, last_cas_);
      q.c.first_data_ps = std::min(q.c.first_data_ps, best.t_cas + lat);
      q.c.done_ps = std::max(q.c.done_ps, last_cas_ + lat + t_burst_);
      if (q.bursts_left > 1 && !track_) {
        --q.bursts_left;
      } else {
        Progress(q, id, 1);
      }
      if (rotated) ++rotated_bursts_;
    } else {
      Entry e;
      e.a = {.rank = 0,
             .bank_group = static_cast<std::uint32_t>(best.group),
             .bank = set_of_best.bank,
             .row = set_of_best.row,
             .column = (best.address - set_of_best.start) / stride};
      e.request = id;
      e.address = best.address;
      e.entry_ps = best.entry_ps;
      Commit(queue, e, write);
    }
    --queue.occupancy;
    set_of_best.next[best.group] += stride;
    --set_of_best.left;
    if (best.set == oldest && set_of_best.left == 0) ++oldest;

    // Rotate's cycles: the last G decisions a burst apart, one per group, each a hit at the
    // earliest time, in one set. If no constraint from before them binds any more (tRCD after
    // the ACTs, the turnaround from the other direction), every bound of the next decisions is
    // the cycle's own shifted by a cycle, and so is every pick (each group's next burst moves by
    // a stride; a later set's entry is younger, a miss loses the tie), while every group has
    // bursts left in the set and none reaches a refresh: whole cycles are placed at once.
    const bool at_earliest = in_place && last_cas_ == best.t_cas && best.t_cas == earliest;
    if (!at_earliest) {
      in_run = 0;
      continue;
    }
    if (in_run > 0 && cycle_set == best.set && previous_cas + t_burst_ == best.t_cas) {
      ++in_run;
    } else {
      in_run = 1;
      cycle_set = best.set;
    }
    previous_cas = best.t_cas;
    last_groups[decisions % groups] = best.group;
    last_flags[decisions % groups] = (best.miss ? kMissed : 0u) | (sole ? kSole : 0u);
    ++decisions;
    if (in_run < groups || arrival > last_cas_) continue;
    std::uint64_t seen = 0;
    unsigned any = 0, all = kMissed | kSole;
    for (std::uint64_t j = 0; j < groups; ++j) {
      seen |= std::uint64_t{1} << last_groups[j];
      any |= last_flags[j];
      all &= last_flags[j];
    }
    if (seen != (std::uint64_t{1} << groups) - 1) continue;
    // A miss of the cycle is a hit when shifted, which would win a tie with another group's
    // entry that it lost to as a miss (or that the miss took from it): only when each pick was
    // its group's alone is the shifted cycle still every pick.
    if ((any & kMissed) != 0 && (all & kSole) == 0) continue;
    const AloneSet& cs = alone_sets_[cycle_set];
    Bank* bank[kMaxRotationGroups];
    std::uint64_t cycles = std::numeric_limits<std::uint64_t>::max();
    bool bound = false;
    for (std::uint64_t j = 0; j < groups; ++j) {
      bank[j] = &r.banks[BankIndex(
          {.rank = 0, .bank_group = static_cast<std::uint32_t>(j), .bank = cs.bank})];
      cycles = std::min(cycles, cs.next[j] < cs.end ? (cs.end - cs.next[j]) / stride : 0);
      const std::uint64_t turnaround = write ? r.wr : std::max(r.rd, r.groups[j].rd);
      bound = bound || std::max(bank[j]->cas_ready, turnaround) > last_cas_ + t_burst_;
    }
    if (bound) continue;
    const std::uint64_t cycle_ps = groups * t_burst_;
    if (p_.refresh) {
      cycles =
          std::min(cycles, r.next_ref > last_cas_ ? (r.next_ref - 1 - last_cas_) / cycle_ps : 0);
    }
    if (write) {  // the write drain stays as it is while each issue admits a burst
      cycles = std::min(cycles, q.bursts_left_to_admit / groups);
    }
    if (cycles == 0) continue;
    const std::uint64_t placed = cycles * groups;
    const std::uint64_t shift = cycles * cycle_ps;
    const std::uint64_t first_cas = last_cas_ + t_burst_;
    // The last cycle's commands, shifted: the state they leave.
    const std::uint64_t cycle_start = last_cas_ - (groups - 1) * t_burst_;
    for (std::uint64_t i = 0; i < groups; ++i) {
      const std::uint64_t j = last_groups[(decisions - groups + i) % groups];
      const std::uint64_t cas = cycle_start + i * t_burst_ + shift;
      Columns(r, *bank[j], r.groups[j], 0, write, cas, cas + lat + t_burst_);
    }
    for (std::uint64_t j = 0; j < groups; ++j) alone_sets_[cycle_set].next[j] += cycles * stride;
    alone_sets_[cycle_set].left -= placed;
    // Each decision admits a burst while there are bursts to admit (the queue was full), its
    // slot freed by the decision before it.
    const std::uint64_t admitted = std::min(placed, q.bursts_left_to_admit);
    AddAdmissions(queue.admitted, admitted, first_cas - t_burst_, t_burst_);
    queue.admitted += admitted;
    queue.next_seq += admitted;
    queue.occupancy -= static_cast<std::int64_t>(placed - admitted);
    q.next_address += admitted * bb;
    q.bursts_left_to_admit -= admitted;
    queue.Record(placed, first_cas, t_burst_);
    decisions += placed;  // the ring of groups keeps its order (a multiple of G further on)
    in_run += placed;
    previous_cas = last_cas_;
    rotated_bursts_ += placed;
    RotatedHits(q, id, placed);
  }
  SkipAdmitted();
}

}  // namespace pjsim
