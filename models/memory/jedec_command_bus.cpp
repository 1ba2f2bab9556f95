// The clocked command bus of the jedec controller (command_bus: one_per_clock | row_column):
// time advances clock by clock, and each clock at most one command (one row and one column
// command with row_column) goes on the bus, PRE, ACT, RD and WR alike. Each arbitrated queue (a
// bank with a shared queue or per_bank command queues, a rank with per_rank ones) offers the
// first of its entries, in age order, whose next command the timing allows at the clock; a PRE
// only for its bank's oldest entry and only when no younger hit to the open row waits, unless
// the row has served row_hit_cap accesses, after which those hits wait for it (FR-FCFS+Cap). A
// shared queue offers one side, but a row activated for the other side's entry serves it first.
// Round-robin takes the first queue with a command from the one after the queue that issued last,
// so the pointer moves with every command; FR-FCFS a column command before a row command, then the
// oldest; FCFS only the oldest entry. With an active buffer (active_buffer, Ramulator 2's), an
// entry whose ACT issued leaves its queue's count for the buffer, is offered before every other
// command (among them, the earliest accepted, then the first activated), and keeps the other
// entries of its bank from precharging or activating it: when the PRE its bank's oldest entry
// would take is the best command, nothing issues at the clock (Ramulator 2). Transactions
// move into the command queues moves_per_clock per clock, after the clock's command, and issue from
// the next clock. Clocks at which nothing can happen are skipped. Refresh is placed as the decision
// mode places it (its PRE and REF take no bus slot).
#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <vector>

#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_controller_inline.h"

namespace pjsim {
namespace {

constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

}  // namespace

void JedecController::BusyQueues(std::vector<size_t>& out) const {
  out.clear();
  // A shared queue offers one side (as ArbitrateQueue), and the active buffer's entries of
  // either; command queues both.
  const bool shared_writes = ServesWrites();
  const auto mask = [&](size_t w) -> std::uint64_t {
    if (!command_queues_ && active_entries_ == 0) {
      return shared_writes ? writes_.active[w] : reads_.active[w];
    }
    return reads_.active[w] | writes_.active[w];
  };
  const size_t per_rank = static_cast<size_t>(p_.Banks());
  for (size_t w = 0; w < reads_.active.size(); ++w) {
    for (std::uint64_t bits = mask(w); bits != 0; bits &= bits - 1) {
      const size_t bank = w * 64 + static_cast<size_t>(std::countr_zero(bits));
      const size_t c = command_queues_ && per_rank_queues_ ? bank / per_rank : bank;
      if (out.empty() || out.back() != c) out.push_back(c);
    }
  }
}

JedecController::NextCommand JedecController::NextCommandOf(const Entry& e, bool write) const {
  const Rank& r = ranks_[e.a.rank];
  const std::uint32_t bg = e.a.bank_group;
  const Bank& b = BankOf(r, e.a);
  const Rank::Group& g = r.groups[bg];
  NextCommand n;
  std::uint64_t from = e.entry_ps;
  // A rank powered down before the entry came wakes for it (tXP).
  if (p_.power_down && e.entry_ps > r.last_activity + pd_idle_) from += t_xp_;
  if (b.open_row == static_cast<std::int64_t>(e.a.row)) {
    n.kind = NextCommand::kColumn;
    std::uint64_t tc = Latest(from, CasReady(b, write), last_cas_, r.cas, g.cas,
                              write ? std::max(r.wr, g.wr) : std::max(r.rd, g.rd));
    const std::uint64_t latency = write ? t_cwl_ : t_cl_;
    const std::uint64_t bus = BusFree(static_cast<int>(e.a.rank), write);
    if (tc + latency < bus) tc = bus - latency;
    n.ready = tc;
  } else if (b.open_row >= 0) {
    n.kind = NextCommand::kPre;
    n.ready = Latest(from, b.pre_ready, r.pre);
  } else {
    n.kind = NextCommand::kAct;
    n.ready = Latest(from, b.act_ready, r.act, g.act, r.faw[r.faw_oldest], r.aw32[r.aw32_oldest]);
  }
  return n;
}

JedecController::QueuedCommand JedecController::ActiveOffer(size_t bank) {
  for (Queue* q : {&reads_, &writes_}) {
    const BankEntries& list = q->banks[bank];
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].activated) continue;
      const bool write = q == &writes_;
      return {.queue = q,
              .bank = bank,
              .index = i,
              .seq = list[i].seq,
              .next = NextCommandOf(list[i], write),
              .activated = true};
    }
  }
  throw std::logic_error("jedec controller: active buffer entry missing");
}

bool JedecController::ActiveBefore(const QueuedCommand& a, const QueuedCommand& b) const {
  const Entry& ea = a.queue->banks[a.bank][a.index];
  const Entry& eb = b.queue->banks[b.bank][b.index];
  // Accepted at the first clock at or after its entry time.
  const std::uint64_t ca = (ea.entry_ps + tck_ps_ - 1) / tck_ps_;
  const std::uint64_t cb = (eb.entry_ps + tck_ps_ - 1) / tck_ps_;
  if (ca != cb) return ca < cb;
  return ea.act_order < eb.act_order;
}

void JedecController::ArbitrateQueue(size_t c, std::uint64_t t, CommandClass wanted,
                                     QueuedCommand& ready, std::uint64_t& next) {
  // The queue's sides: a shared queue offers its reads, or its writes while they drain (or no
  // read waits), as Step; command queues hold both.
  Queue* sides[2] = {&reads_, &writes_};
  size_t side_count = 2;
  if (!command_queues_) {
    if (ServesWrites()) sides[0] = &writes_;
    side_count = 1;
  }
  const size_t per_rank = static_cast<size_t>(p_.Banks());
  const size_t first = command_queues_ && per_rank_queues_ ? c * per_rank : c;
  const size_t last = command_queues_ && per_rank_queues_ ? first + per_rank : c + 1;
  // The entries of one bank and one class (a miss, a read hit, a write hit) share their next
  // command and its bounds but the entry time, which does not decrease with age: a younger one
  // is never offered before the oldest, nor ready sooner. So each bank offers at most its oldest
  // miss and its oldest hit of each direction, and a queue the first of those in age order that
  // may issue (a queue's entries are in age order across banks by their sequence numbers). An
  // entry whose time is out of order (requests submitted out of arrival order) waits for the
  // older ones of its class.
  std::vector<QueuedCommand>& offers = queue_scratch_;
  offers.clear();
  for (size_t bank = first; bank < last; ++bank) {
    const Bank& b = ranks_[bank / per_rank].banks[bank % per_rank];
    // A bank holding an active-buffer entry offers it, and of its other entries only hits to
    // the open row: no PRE closes the row, no ACT opens another, before it is served.
    const bool reserved = active_entries_ > 0 && bank_activated_[bank] > 0;
    if (reserved) offers.push_back(ActiveOffer(bank));
    QueuedCommand miss, hit[2];
    std::uint32_t hits_waiting = 0;
    for (size_t s = 0; s < side_count; ++s) {
      Queue& q = *sides[s];
      const BankEntries& list = q.banks[bank];
      if (list.empty()) continue;
      const std::uint32_t hits =
          b.open_row >= 0 ? q.InRow(bank, static_cast<std::uint64_t>(b.open_row)) : 0;
      hits_waiting += hits;
      const bool write = &q == &writes_;
      bool hit_seen = hits == 0, miss_seen = hits == list.size();
      for (size_t i = 0; i < list.size() && !(hit_seen && miss_seen); ++i) {
        if (list[i].activated) continue;  // offered above
        const bool is_hit = static_cast<std::int64_t>(list[i].a.row) == b.open_row;
        if (is_hit ? hit_seen : miss_seen) continue;
        (is_hit ? hit_seen : miss_seen) = true;
        QueuedCommand& slot = is_hit ? hit[write ? 1 : 0] : miss;
        const QueuedCommand qc{.queue = &q,
                               .bank = bank,
                               .index = i,
                               .seq = list[i].seq,
                               .next = NextCommandOf(list[i], write)};
        if (slot.queue == nullptr || qc.seq < slot.seq) slot = qc;  // misses: of either side
      }
    }
    if (side_count == 1 && b.open_row >= 0 && b.columns == 0) {
      // The row was activated for an entry of the other side (a read when a write drain began,
      // or a write when it ended) that has not been served: it is offered too, and its bank is
      // not precharged before it is, or the ACT is wasted and must be repeated (as Ramulator 2's
      // active buffer, served first in either mode).
      Queue& other = sides[0] == &writes_ ? reads_ : writes_;
      const BankEntries& list = other.banks[bank];
      for (size_t i = 0; i < list.size(); ++i) {
        if (list[i].activated || static_cast<std::int64_t>(list[i].a.row) != b.open_row) continue;
        const bool write = &other == &writes_;
        hit[write ? 1 : 0] = {.queue = &other,
                              .bank = bank,
                              .index = i,
                              .seq = list[i].seq,
                              .next = NextCommandOf(list[i], write)};
        ++hits_waiting;
        break;
      }
    }
    // The bank's oldest entry is the oldest of these.
    std::uint64_t oldest = kNever;
    for (const QueuedCommand* o : {&miss, &hit[0], &hit[1]}) {
      if (o->queue != nullptr) oldest = std::min(oldest, o->seq);
    }
    if (oldest == kNever) continue;
    if (!p_.fr_fcfs) {
      // FCFS: only the bank's oldest entry (then only the queue's oldest: below).
      for (const QueuedCommand* o : {&miss, &hit[0], &hit[1]}) {
        if (o->queue != nullptr && o->seq == oldest && !(reserved && o == &miss)) {
          offers.push_back(*o);
        }
      }
      continue;
    }
    const bool capped = RowHitCapReached(bank);
    if (miss.queue != nullptr && !reserved) {
      // A PRE closes the row for its bank's oldest entry only, and not while a hit to the open
      // row waits (unless the row has reached the cap).
      const bool pre = miss.next.kind == NextCommand::kPre;
      if (!pre || (miss.seq == oldest && (hits_waiting == 0 || capped))) offers.push_back(miss);
    } else if (miss.queue != nullptr && miss.next.kind == NextCommand::kPre) {
      // The bank's row waits for an active-buffer entry: the PRE its oldest entry would take
      // (by the rule above, the active-buffer entries not counted as waiting hits) is offered,
      // blocked: chosen, it issues nothing and holds the clock (Ramulator 2's step 2.3).
      std::uint32_t active_hits = 0;
      for (size_t s = 0; s < side_count; ++s) {
        for (const Entry& e : sides[s]->banks[bank]) {
          active_hits += e.activated && static_cast<std::int64_t>(e.a.row) == b.open_row;
        }
      }
      if (miss.seq == oldest && (hits_waiting == active_hits || capped)) {
        miss.blocked = true;
        offers.push_back(miss);
      }
    }
    for (const QueuedCommand& h : hit) {
      // Past the cap, a hit younger than a miss of its bank waits for it.
      if (h.queue != nullptr && !(capped && miss.queue != nullptr && miss.seq < h.seq)) {
        offers.push_back(h);
      }
    }
  }
  if (!p_.fr_fcfs && !offers.empty()) {
    // (Active-buffer entries stay offered: they are served first under any scheduler.)
    std::vector<QueuedCommand> kept;
    const QueuedCommand* oldest = nullptr;
    for (const QueuedCommand& o : offers) {
      if (o.activated) {
        kept.push_back(o);
      } else if (oldest == nullptr || o.seq < oldest->seq) {
        oldest = &o;
      }
    }
    if (oldest != nullptr) kept.push_back(*oldest);
    offers.swap(kept);
  }
  for (const QueuedCommand& o : offers) {
    next = std::min(next, o.next.ready);
    const bool is_column = o.next.kind == NextCommand::kColumn;
    const bool fits =
        wanted == CommandClass::kAny || (wanted == CommandClass::kColumn) == is_column;
    // An active-buffer entry before any other, then the oldest.
    const bool precedes = ready.queue == nullptr || (o.activated && !ready.activated) ||
                          (o.activated == ready.activated && o.seq < ready.seq);
    if (fits && o.next.ready <= t && precedes) ready = o;
  }
}

JedecController::CommandClass JedecController::IssueOne(std::uint64_t t, CommandClass wanted) {
  std::vector<size_t>& busy = busy_scratch_;
  BusyQueues(busy);
  QueuedCommand best;
  std::uint64_t unused = kNever;
  // Round-robin: from the first queue after the one that issued last (queues with nothing
  // queued offer nothing).
  const size_t start =
      p_.round_robin
          ? static_cast<size_t>(std::upper_bound(busy.begin(), busy.end(), last_queue_served_) -
                                busy.begin())
          : 0;
  // PREs that close_after_accesses queued go before every queue's command, and hold them back
  // until they issue; only the active buffer goes first (Ramulator 2's schedule_request).
  DropClosedPriorityCloses();
  const bool closing = !priority_closes_.empty();
  if (closing && active_entries_ == 0) return IssuePriorityClose(t, wanted);
  QueuedCommand active;  // the oldest ready active-buffer entry, which goes before any other
  for (size_t k = 0; k < busy.size(); ++k) {
    const size_t c = busy[(start + k) % busy.size()];
    QueuedCommand qc;
    ArbitrateQueue(c, t, wanted, qc, unused);
    if (qc.queue == nullptr) continue;
    if (qc.activated) {
      if (active.queue == nullptr || ActiveBefore(qc, active)) active = qc;
      continue;
    }
    if (active.queue != nullptr) continue;
    if (p_.round_robin) {
      best = qc;
      break;
    }
    // FR-FCFS: a column command (a row hit) first, then the oldest; FCFS: the oldest.
    const bool column = qc.next.kind == NextCommand::kColumn;
    const bool best_column = best.queue != nullptr && best.next.kind == NextCommand::kColumn;
    if (best.queue == nullptr || (p_.fr_fcfs && column != best_column && column) ||
        ((!p_.fr_fcfs || column == best_column) && qc.seq < best.seq)) {
      best = qc;
    }
  }
  if (active.queue != nullptr) {
    best = active;
  } else if (closing) {
    return IssuePriorityClose(t, wanted);
  }
  // A blocked PRE (a row an active-buffer entry waits on) holds the clock: no other command
  // is looked for.
  if (best.queue == nullptr || best.blocked) return CommandClass::kAny;
  IssueCommand(best, t);
  return best.next.kind == NextCommand::kColumn ? CommandClass::kColumn : CommandClass::kRow;
}

void JedecController::DropClosedPriorityCloses() {
  const size_t per_rank = static_cast<size_t>(p_.Banks());
  while (!priority_closes_.empty()) {
    const PriorityClose& c = priority_closes_.front();
    const Bank& b = ranks_[c.bank / per_rank].banks[c.bank % per_rank];
    // A refresh closed the row (and its bank may have opened another since): nothing to close.
    if (b.open_row >= 0 && b.open_since == c.opened) return;
    priority_closes_.pop_front();
  }
}

std::uint64_t JedecController::PriorityCloseReady() const {
  if (priority_closes_.empty()) return kNever;
  const size_t bank = priority_closes_.front().bank;
  const size_t per_rank = static_cast<size_t>(p_.Banks());
  const Rank& r = ranks_[bank / per_rank];
  return std::max(r.banks[bank % per_rank].pre_ready, r.pre);
}

JedecController::CommandClass JedecController::IssuePriorityClose(std::uint64_t t,
                                                                  CommandClass wanted) {
  const size_t bank = priority_closes_.front().bank;
  // Not before tRAS / tRTP / tWR (tPPD), not on a bus a two-cycle command holds, and not while
  // an active-buffer request of the bank waits for the row (Ramulator's step 2.3).
  const bool reserved = active_entries_ > 0 && bank_activated_[bank] > 0;
  if (wanted == CommandClass::kColumn || PriorityCloseReady() > t || reserved) {
    return CommandClass::kAny;
  }
  const size_t per_rank = static_cast<size_t>(p_.Banks());
  Rank& r = ranks_[bank / per_rank];
  if (p_.power_down && t > r.last_activity + pd_idle_) WakeUp(r, t);
  r.last_activity = std::max(r.last_activity, t);
  Close(r, r.banks[bank % per_rank], t);
  Precharged(r, t);
  priority_closes_.pop_front();
  return CommandClass::kRow;
}

void JedecController::IssueCommand(const QueuedCommand& qc, std::uint64_t t) {
  Queue& q = *qc.queue;
  const bool write = &q == &writes_;
  Entry& e = q.banks[qc.bank][qc.index];
  Rank& r = ranks_[e.a.rank];
  const std::uint32_t bg = e.a.bank_group;
  Bank& b = BankOf(r, e.a);
  Rank::Group& g = r.groups[bg];
  last_queue_served_ = ArbitratedQueue(qc.bank);
  if (p_.two_cycle_commands && qc.next.kind != NextCommand::kPre) {
    // A two-cycle command holds its bus for the next clock too (one bus: both kinds).
    const std::uint64_t free = t + 2 * tck_ps_;
    const bool column = qc.next.kind == NextCommand::kColumn;
    if (!row_column_bus_ || column) column_bus_free_ = free;
    if (!row_column_bus_ || !column) row_bus_free_ = free;
  }
  if (p_.power_down && e.entry_ps > r.last_activity + pd_idle_) WakeUp(r, e.entry_ps);
  r.last_activity = std::max(r.last_activity, t);
  if (qc.next.kind == NextCommand::kPre) {
    Close(r, b, t);
    Precharged(r, t);
    return;
  }
  if (qc.next.kind == NextCommand::kAct) {
    ++stats_.act;
    Activate(r, b, g, e.a.row, t);
    if (!e.activated && active_entries_ < active_capacity_) {
      // Into the active buffer: the entry's queue slot frees now (Ramulator 2 moves it out of
      // its read or write buffer when the ACT issues), and it waits there for its column command.
      e.activated = true;
      e.act_order = act_orders_++;
      ++active_entries_;
      ++bank_activated_[qc.bank];
      ++q.activated;
      q.Record(1, t, 0);
      --q.occupancy;
      if (write) DrainCounts(1);
    }
    return;
  }
  // The first access after the row's ACT is the miss that opened it.
  ++(b.columns == 0 ? stats_.row_misses : stats_.row_hits);
  ++b.columns;
  if (close_after_ > 0 && ++b.since_close >= close_after_) {
    // The row has served its accesses: its PRE goes into the priority queue (the count starts
    // again there, as Ramulator's ClosedRowPolicy resets it when it sends the close request).
    priority_closes_.push_back({qc.bank, b.open_since});
    b.since_close = 0;
  }
  const std::uint64_t latency = write ? t_cwl_ : t_cl_;
  const std::uint64_t data_end = t + latency + t_burst_;
  Columns(r, b, g, e.a.rank, write, t, data_end);
  ++(write ? stats_.wr : stats_.rd);
  stats_.bus_busy_ps += t_burst_;
  if (!p_.open_page) {
    Close(r, b, b.pre_ready);  // auto-precharge: part of the column command
    r.last_activity = std::max(r.last_activity, b.pre_ready + t_rp_);
  }
  if (command_queues_) {
    const size_t c = CommandQueueOf(qc.bank);
    command_issue_ps_[c * command_depth_ + command_issued_[c]++ % command_depth_] = t;
  } else if (e.activated) {
    // Its queue slot freed at the ACT.
    --active_entries_;
    --bank_activated_[qc.bank];
    --q.activated;
  } else {
    q.Record(1, t, 0);
    --q.occupancy;
    if (write) DrainCounts(1);
  }
  const std::uint64_t id = e.request;
  q.Erase(qc.bank, qc.index);
  Request& rq = RequestAt(id);
  rq.c.first_data_ps = std::min(rq.c.first_data_ps, t + latency);
  rq.c.done_ps = std::max(rq.c.done_ps, data_end);
  Progress(rq, id, 1);
}

bool JedecController::ClockedStep() {
  const std::uint64_t t = (now_ + tck_ps_ - 1) / tck_ps_ * tck_ps_;
  now_ = t;
  last_clock_ = t;
  if (p_.refresh) {
    for (Rank& r : ranks_) {
      while (r.next_ref <= t) Refresh(r);
    }
  }
  // The drain decides a shared queue's side here; command queues hold both sides, and a batch
  // drain starts where transactions move (MoveTransactions, after this clock's admissions).
  const bool batch_moves = command_queues_ && p_.batch_write_drain;
  if (!batch_moves) UpdateDrain(writes_.occupancy);
  // A bus still held by a two-cycle command issues nothing at this clock.
  const bool row_free = t >= row_bus_free_, column_free = t >= column_bus_free_;
  const CommandClass first = row_free && column_free ? CommandClass::kAny
                             : row_free              ? CommandClass::kRow
                                                     : CommandClass::kColumn;
  const CommandClass issued = row_free || column_free ? IssueOne(t, first) : CommandClass::kAny;
  if (row_column_bus_ && issued != CommandClass::kAny) {
    // The other bus: a row command after a column command, or the reverse.
    const CommandClass other =
        issued == CommandClass::kColumn ? CommandClass::kRow : CommandClass::kColumn;
    if (t >= (other == CommandClass::kRow ? row_bus_free_ : column_bus_free_)) IssueOne(t, other);
  }
  Admit();
  std::uint64_t budget = moves_per_clock_;
  if (command_queues_) MoveTransactions(budget);

  // The next clock at which anything can happen: a command the timing allows, a move into a
  // command queue with room, an arrival the transaction queue has room for.
  std::uint64_t next = kNever;
  if (!batch_moves) UpdateDrain(writes_.occupancy);  // as the next clock starts
  BusyQueues(busy_scratch_);
  for (const size_t c : busy_scratch_) {
    QueuedCommand unused;
    ArbitrateQueue(c, 0, CommandClass::kAny, unused, next);
  }
  DropClosedPriorityCloses();
  next = std::min(next, PriorityCloseReady());
  if (command_queues_) {
    const bool writes_waiting = writes_.occupancy > 0 || !writes_.empty();
    const bool reads_waiting = reads_.occupancy > 0 || !reads_.empty();
    // A batch drain that would start at the next clock lets writes move then (and holds reads).
    const bool draining = draining_ || (batch_moves && BatchDrainStarts(writes_.occupancy));
    for (const Queue* q : {&reads_, &writes_}) {
      const bool moves = q == &reads_ ? !draining || !writes_waiting : draining || !reads_waiting;
      if (!moves) continue;
      for (const Entry& e : q->pending) {
        const size_t c = CommandQueueOf(BankIndex(e.a));
        if (command_taken_[c] - command_issued_[c] < command_depth_) {
          next = std::min(next, e.entry_ps);
        }
      }
    }
  }
  SkipAdmitted();
  if (next_admit_ < first_request_ + requests_.size()) {
    const Request& rq = RequestAt(next_admit_);
    const Queue& q = rq.r.write ? writes_ : reads_;
    if (q.occupancy < q.capacity) next = std::min(next, rq.r.arrival_ps);
  }
  if (next == kNever) {
    now_ = t + tck_ps_;
    const bool idle = reads_.empty() && writes_.empty() && reads_.pending.empty() &&
                      writes_.pending.empty() && next_admit_ >= first_request_ + requests_.size();
    if (!idle) throw std::logic_error("jedec controller: clocked command bus stalled");
    return issued != CommandClass::kAny;  // this clock's command may have completed a request
  }
  now_ = std::max(next, t + tck_ps_);
  return true;
}

}  // namespace pjsim
