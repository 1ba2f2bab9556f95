// JedecController::ServeAlone: a request alone in the controller whose bursts rotate over the
// bank groups (the mapping Rotate serves), run to completion with its queue kept implicit. Every
// decision is the scheduler's (Step: admit, update the write drain, pick as FR-FCFS picks,
// Commit), but the queued entries are not built: they are the request's bursts in address order
// up to the last admitted, less those issued, and within one row-run set each group's bursts
// (one bank, one row) issue in address order, so the queue is each set's next burst per group.
// The pick plans the oldest entry of each (set, group), a superset of the bank index's
// candidates that holds the first-ready entry; and whole cycles over the groups are placed at
// once where Rotate places them. Without it, each burst of such a request was pushed into the
// queue and erased again (docs/DRAM.md, Speed of bank-group rotations). Where one bank group
// alone can issue at a decision's earliest time (every decision of a row-run set's boundary on
// DDR4 x16), only that group's oldest entry is planned, and the pick is placed from its plan
// (docs/DRAM.md, Set boundaries where one bank group can issue).
#include <algorithm>
#include <bit>
#include <limits>

#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_controller_inline.h"

namespace pjsim {

[[gnu::always_inline]] inline std::uint64_t JedecController::AloneEntryTime(
    std::uint64_t n, std::uint64_t arrival) const {
  // The admission runs are in order of their first admission number, and the queued entries
  // asked for are among the last admitted (within a queue's depth): search from the newest.
  size_t i = admit_runs_.size() - 1;
  while (admit_runs_[i].first > n) --i;
  const AdmitRun& run = admit_runs_[i];
  return std::max(arrival, run.entry_ps + (n - run.first) * run.spacing_ps);
}

[[gnu::always_inline]] inline void JedecController::AddAdmissions(std::uint64_t first,
                                                                  std::uint64_t count,
                                                                  std::uint64_t entry_ps,
                                                                  std::uint64_t spacing_ps) {
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
  // The same decisions compiled for the common group counts and each direction, so that the
  // loops over the groups unroll and the direction's branches fold (kGroups 0: any count).
  const bool w = RequestAt(id).r.write;
  switch (p_.bank_groups) {
    case 2:
      return w ? ServeAloneAs<2, true>(id) : ServeAloneAs<2, false>(id);
    case 4:
      return w ? ServeAloneAs<4, true>(id) : ServeAloneAs<4, false>(id);
    case 8:
      return w ? ServeAloneAs<8, true>(id) : ServeAloneAs<8, false>(id);
    default:
      return w ? ServeAloneAs<0, true>(id) : ServeAloneAs<0, false>(id);
  }
}

template <std::uint64_t kGroups, bool kWrite>
void JedecController::ServeAloneAs(std::uint64_t id) {
  Request& q = RequestAt(id);
  constexpr bool write = kWrite;
  Queue& queue = write ? writes_ : reads_;
  const std::uint64_t bb = burst_bytes_;
  const std::uint64_t groups = kGroups != 0 ? kGroups : static_cast<std::uint64_t>(p_.bank_groups);
  const std::uint64_t stride = groups * bb;  // between the bursts of one group in a set
  const std::uint64_t begin = q.next_address;
  const std::uint64_t end = begin + q.bursts_left_to_admit * bb;
  const std::uint64_t first_admission = queue.admitted;  // of the request's first burst
  const std::uint64_t lat = write ? t_cwl_ : t_cl_;
  const std::uint64_t arrival = q.r.arrival_ps;
  Rank& r = ranks_[0];

  // Each set's next burst per group (its first at or after `begin`; at or past `end` of the
  // set: none left). The sets are rebuilt in place (their arrays are not cleared per request).
  const std::uint64_t first_set = begin - begin % set_bytes_;
  const size_t sets = static_cast<size_t>((end - first_set + set_bytes_ - 1) / set_bytes_);
  if (alone_sets_.size() < sets) alone_sets_.resize(sets);
  // The sets, banks and groups stay where they are for the whole request: their addresses are
  // taken once (the vectors' data pointers would otherwise be reloaded after every store).
  AloneSet* const alone = alone_sets_.data();
  Bank* const banks = r.banks.data();
  Rank::Group* const rank_groups = r.groups.data();
  const auto banks_per_group = static_cast<std::uint64_t>(p_.banks_per_group);
  const bool refresh = p_.refresh, power_down = p_.power_down, track = track_;
  const std::uint64_t pd_idle = pd_idle_;
  for (size_t i = 0; i < sets; ++i) {
    AloneSet& set = alone[i];
    const std::uint64_t s = first_set + i * set_bytes_;
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
  }
  // Bursts from `begin` to an address of the request (a shift where the burst is a power of two
  // bytes: this is the decisions' inner loop).
  const bool bb_power_of_two = std::has_single_bit(bb);
  const int bb_shift = std::countr_zero(bb);
  const auto bursts_to = [&](std::uint64_t a) __attribute__((always_inline)) {
    return bb_power_of_two ? (a - begin) >> bb_shift : (a - begin) / bb;
  };
  admit_runs_.clear();
  size_t oldest = 0;  // the first set with bursts left

  // As Step: a request that finds the queues empty is admitted from its arrival on.
  now_ = std::max(now_, arrival);
  // The last decisions a burst apart, each at the earliest time any entry could have and placed
  // as planned, in set `cycle_set`: their groups (a ring) and how many.
  std::uint64_t last_groups[kMaxRotationGroups];
  // ... and whether each was a miss, and the only group ready at the earliest time.
  constexpr unsigned kMissed = 1, kSole = 2;
  unsigned last_flags[kMaxRotationGroups] = {};
  std::uint64_t in_run = 0, ring = 0, previous_cas = 0;  // ring: where the next decision goes in it
  size_t cycle_set = 0;
  bool drain_updated = false;
  // Admit: one-burst entries in address order while the queue has room.
  const auto admit = [&]() __attribute__((always_inline)) {
    if (queue.occupancy < queue.capacity && q.bursts_left_to_admit > 0) {
      const auto room = static_cast<std::uint64_t>(queue.capacity - queue.occupancy);
      const std::uint64_t k = std::min(room, q.bursts_left_to_admit);
      if (k == 1) {  // the slot the last issue freed (a single admission's spacing is unused)
        AddAdmissions(queue.admitted, 1, queue.SlotFree(queue.admitted), 0);
      } else {
        queue.SlotRuns(
            queue.admitted, k,
            [&](std::uint64_t n, std::uint64_t count, std::uint64_t entry_ps,
                std::uint64_t spacing_ps) { AddAdmissions(n, count, entry_ps, spacing_ps); });
      }
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
    // As Step. A read request leaves the write queue as it is, and the drain update is then a
    // fixed point after its first call.
    if (write || !drain_updated) UpdateDrain(writes_.occupancy);
    drain_updated = true;
  };
  // No plan is earlier than the last column command and the data bus allow.
  const auto earliest_cas = [&]() __attribute__((always_inline)) {
    return last_cas_ + lat < bus_free_ ? bus_free_ - lat : last_cas_;
  };
  // Whether set `s` has an entry of group `j` queued.
  const auto queued = [&](size_t s, std::uint64_t j) __attribute__((always_inline)) {
    const AloneSet& set = alone[s];
    return set.next[j] < set.end && set.next[j] < q.next_address;
  };
  // The sets with entries queued are those from `oldest` to `live` (kept as admissions move on).
  size_t live = 0;
  const auto live_end = [&]() __attribute__((always_inline)) {
    while (live < sets && alone[live].start < q.next_address) ++live;
    return live;
  };
  // The pick: its set, group and plan.
  struct Pick {
    std::uint64_t t_cas = std::numeric_limits<std::uint64_t>::max();
    bool miss = true;
    std::uint64_t address = std::numeric_limits<std::uint64_t>::max();
    size_t set = 0;
    std::uint64_t group = 0, entry_ps = 0;
    Plan plan;
  };
  // Plans the oldest entry of (set `s`, group `j`) as Step plans it; keeps it in `best` if it
  // goes first (sooner, a hit before a miss, older).
  const auto consider = [&](Pick & best, size_t s, std::uint64_t j) __attribute__((always_inline)) {
    const AloneSet& set = alone[s];
    const std::uint64_t a = set.next[j];
    // The set's bank and row in group j (the column does not enter a plan).
    const std::uint64_t entry = AloneEntryTime(first_admission + bursts_to(a), arrival);
    const Plan pl =
        PlanIn(r, banks[j * banks_per_group + set.bank], rank_groups[j], set.row, 0, write, entry);
    const bool before = pl.t_cas != best.t_cas ? pl.t_cas < best.t_cas
                        : pl.act != best.miss  ? !pl.act
                                               : a < best.address;
    if (before) best = {pl.t_cas, pl.act, a, s, j, entry, pl};
  };
  // A plan is no earlier than its group's tCCD_L bound: when group `turn` alone can issue at
  // `earliest`, the pick is its oldest queued entry if that is there (a hit; a miss when no later
  // set has an entry of the group queued, which could be a hit there). False when that is not so.
  const auto pick_sole = [&](Pick & best, std::uint64_t turn, std::uint64_t earliest,
                             size_t end_set) __attribute__((always_inline)) {
    size_t s = oldest;
    while (s < end_set && !queued(s, turn)) ++s;
    if (s == end_set) return false;
    consider(best, s, turn);
    if (best.t_cas != earliest) return false;
    for (size_t later = s + 1; best.miss && later < end_set; ++later) {
      if (queued(later, turn)) return false;
    }
    return true;
  };
  // Whether Commit would place the pick's commands as they were planned: none meets a refresh and
  // the rank is awake.
  const auto in_place = [&](const Pick& best) __attribute__((always_inline)) {
    return (!refresh || best.plan.First() < r.next_ref) &&
           (!power_down || best.entry_ps <= r.last_activity + pd_idle);
  };
  // What Commit does with a one-burst entry placed in place, from the pick's plan (Commit would
  // plan it again); and the queue and set updates of an issue.
  const auto book = [&](const Pick& best, std::uint64_t earliest) __attribute__((always_inline)) {
    AloneSet& set = alone[best.set];
    const auto bg = static_cast<std::uint32_t>(best.group);
    Bank& b = banks[BankIndex({.rank = 0, .bank_group = bg, .bank = set.bank})];
    Rank::Group& g = rank_groups[bg];
    if (best.miss) {
      if (best.plan.pre) {
        Close(r, b, best.plan.t_pre);
        Precharged(r, best.plan.t_pre);
      }
      ++stats_.act;
      ++stats_.row_misses;
      Activate(r, b, g, set.row, best.plan.t_act);
    } else {
      ++stats_.row_hits;
      if (best.set == oldest && best.t_cas == earliest) ++rotated_bursts_;
    }
    ++b.columns;
    Columns(r, b, g, 0, write, best.t_cas, best.t_cas + lat + t_burst_);
    queue.Record(1, best.t_cas, t_burst_);
    ++(write ? stats_.wr : stats_.rd);
    stats_.bus_busy_ps += t_burst_;
    now_ = std::max(now_, last_cas_);
    q.c.first_data_ps = std::min(q.c.first_data_ps, best.t_cas + lat);
    q.c.done_ps = std::max(q.c.done_ps, last_cas_ + lat + t_burst_);
    if (q.bursts_left > 1 && !track) {
      --q.bursts_left;
    } else {
      Progress(q, id, 1);
    }
  };
  const auto issued = [&](const Pick& best) __attribute__((always_inline)) {
    AloneSet& set = alone[best.set];
    --queue.occupancy;
    set.next[best.group] += stride;
    --set.left;
    if (best.set == oldest && set.left == 0) ++oldest;
  };
  // Records a decision at the earliest time, placed in place, in the run of such decisions a
  // burst apart in one set, and in the ring of the last G (`sole`: its group was the only one
  // whose column command could be at the earliest time).
  const auto in_run_of = [&](const Pick& best, bool sole) __attribute__((always_inline)) {
    if (in_run > 0 && cycle_set == best.set && previous_cas + t_burst_ == best.t_cas) {
      ++in_run;
    } else {
      in_run = 1;
      cycle_set = best.set;
    }
    previous_cas = best.t_cas;
    last_groups[ring] = best.group;
    last_flags[ring] = (best.miss ? kMissed : 0u) | (sole ? kSole : 0u);
    ring = ring + 1 == groups ? 0 : ring + 1;
  };

  // Rotate's cycles: the last G decisions a burst apart, one per group, each at the earliest
  // time, in one set. If no constraint from before them binds any more (tRCD after the ACTs, the
  // turnaround from the other direction), every bound of the next decisions is the cycle's own
  // shifted by a cycle, and so is every pick (each group's next burst moves by a stride; a later
  // set's entry is younger, a miss loses the tie), while every group has bursts left in the set
  // and none reaches a refresh: whole cycles are placed at once. A miss of the cycle is a hit
  // when shifted, which would win a tie with another group's entry that it lost to as a miss (or
  // that the miss took from it): with a miss, each pick must have been its group's alone.
  const auto place_cycles = [&]() __attribute__((always_inline)) {
    if (in_run < groups || arrival > last_cas_) return false;
    // Whole cycles left in the set (checked first: between a set's cycles there are none).
    const AloneSet& cs = alone[cycle_set];
    std::uint64_t cycles = std::numeric_limits<std::uint64_t>::max();
    for (std::uint64_t j = 0; j < groups && cycles > 0; ++j) {
      cycles = std::min(cycles, cs.next[j] + stride <= cs.end ? (cs.end - cs.next[j]) / stride : 0);
    }
    if (cycles == 0) return false;
    std::uint64_t seen = 0;
    unsigned any = 0, all = kMissed | kSole;
    for (std::uint64_t j = 0; j < groups; ++j) {
      seen |= std::uint64_t{1} << last_groups[j];
      any |= last_flags[j];
      all &= last_flags[j];
    }
    if (seen != (std::uint64_t{1} << groups) - 1) return false;
    if ((any & kMissed) != 0 && (all & kSole) == 0) return false;
    Bank* bank[kMaxRotationGroups];
    bool bound = false;
    for (std::uint64_t j = 0; j < groups; ++j) {
      bank[j] = &banks[BankIndex(
          {.rank = 0, .bank_group = static_cast<std::uint32_t>(j), .bank = cs.bank})];
      const std::uint64_t turnaround = write ? r.wr : std::max(r.rd, rank_groups[j].rd);
      bound = bound || std::max(bank[j]->cas_ready, turnaround) > last_cas_ + t_burst_;
    }
    if (bound) return false;
    const std::uint64_t cycle_ps = groups * t_burst_;
    if (refresh) {
      cycles =
          std::min(cycles, r.next_ref > last_cas_ ? (r.next_ref - 1 - last_cas_) / cycle_ps : 0);
    }
    if (write) {  // the write drain stays as it is while each issue admits a burst
      cycles = std::min(cycles, q.bursts_left_to_admit / groups);
    }
    if (cycles == 0) return false;
    const std::uint64_t placed = cycles * groups;
    const std::uint64_t shift = cycles * cycle_ps;
    const std::uint64_t first_cas = last_cas_ + t_burst_;
    // The last cycle's commands, shifted: the state they leave.
    const std::uint64_t cycle_start = last_cas_ - (groups - 1) * t_burst_;
    for (std::uint64_t i = 0; i < groups; ++i) {
      const std::uint64_t j = last_groups[ring + i < groups ? ring + i : ring + i - groups];
      const std::uint64_t cas = cycle_start + i * t_burst_ + shift;
      Columns(r, *bank[j], rank_groups[j], 0, write, cas, cas + lat + t_burst_);
    }
    for (std::uint64_t j = 0; j < groups; ++j) alone[cycle_set].next[j] += cycles * stride;
    alone[cycle_set].left -= placed;
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
    // The ring of groups keeps its order (a multiple of G decisions further on).
    in_run += placed;
    previous_cas = last_cas_;
    rotated_bursts_ += placed;
    RotatedHits(q, id, placed);
    return true;
  };

  // The decisions where one bank group alone can issue at the earliest time and its oldest
  // entry is there (a set's tail, the next set's ACTs, the decisions between cycles): the loop's
  // decision below without its general pick (every other entry planned) or its Commit.
  const auto one_group_decisions = [&]() __attribute__((always_inline)) {
    while (q.bursts_left > 0) {
      admit();
      const std::uint64_t earliest = earliest_cas();
      std::uint64_t ready_groups = 0, turn = 0;
      for (std::uint64_t j = 0; j < groups; ++j) {
        if (rank_groups[j].cas <= earliest) {
          ++ready_groups;
          turn = j;
        }
      }
      Pick best;
      if (ready_groups != 1 || !pick_sole(best, turn, earliest, live_end()) || !in_place(best)) {
        return;  // the loop below takes this decision (its admission is done)
      }
      book(best, earliest);
      ++one_group_decisions_;
      issued(best);
      in_run_of(best, true);
      place_cycles();
    }
  };

  while (true) {
    one_group_decisions();
    if (q.bursts_left == 0) break;
    admit();  // done unless the queue had room
    // Pick: the oldest entry of each (set, group), planned as Step plans it. Every entry of a
    // later set is younger, and a hit wins a tie with a miss: a hit of the oldest set at the
    // earliest time is the pick without planning the later sets.
    const std::uint64_t earliest = earliest_cas();
    Pick best;
    for (size_t s = oldest, end_set = live_end(); s < end_set; ++s) {
      for (std::uint64_t j = 0; j < groups; ++j) {
        if (queued(s, j)) consider(best, s, j);
      }
      if (!best.miss && best.t_cas == earliest) break;
    }
    bool sole = true;  // the pick's group the only one whose command could be at `earliest`
    for (std::uint64_t j = 0; j < groups; ++j) {
      sole = sole && (j == best.group || rank_groups[j].cas > earliest);
    }
    const bool placed_in_place = in_place(best);
    if (placed_in_place) {
      book(best, earliest);
    } else {
      AloneSet& set = alone[best.set];
      Entry e;
      e.a = {.rank = 0,
             .bank_group = static_cast<std::uint32_t>(best.group),
             .bank = set.bank,
             .row = set.row,
             .column = (best.address - set.start) / stride};
      e.request = id;
      e.address = best.address;
      e.entry_ps = best.entry_ps;
      Commit(queue, e, write);
    }
    issued(best);
    if (!placed_in_place || last_cas_ != best.t_cas || best.t_cas != earliest) {
      in_run = 0;
      continue;
    }
    in_run_of(best, sole);
    place_cycles();
  }
  SkipAdmitted();
}

}  // namespace pjsim
