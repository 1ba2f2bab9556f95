// Layer replay of the `jedec` controller (models/layer_replay.h): record what a run from an idle
// controller found and left in the banks and ranks it touched, compare a later start with it,
// and apply it shifted in time. Every timing constraint is kept relative to the run's start,
// clamped at 0 where it has expired by then (two expired constraints allow the same commands);
// a bank's are compared from its first request's arrival, which its commands cannot precede.
// The refresh schedule is not compared: it stays on its absolute grid, the refreshes due in the
// replayed window counted instead of the recorded ones (docs/DRAM.md, "Replay of layer runs").
#include <algorithm>
#include <limits>
#include <utility>

#include "models/memory/jedec_controller.h"

namespace pjsim {
namespace {

// `t` relative to `start`, 0 if by then.
std::uint64_t Rel(std::uint64_t t, std::uint64_t start) { return t > start ? t - start : 0; }
// A relative time back at `start`; 0 (expired by the recorded start) keeps `current`, which a
// matching state has expired too.
std::uint64_t Shift(std::uint64_t rel, std::uint64_t start, std::uint64_t current) {
  return rel > 0 ? start + rel : current;
}

// `a` += `sign` x `b`, every count (the latency histogram bin by bin, from `from`: b's bins
// below it are 0).
void AddStats(JedecStats& a, const JedecStats& b, std::int64_t sign, size_t from = 0) {
  a.act += sign * b.act;
  a.pre += sign * b.pre;
  a.rd += sign * b.rd;
  a.wr += sign * b.wr;
  a.ref += sign * b.ref;
  a.row_hits += sign * b.row_hits;
  a.row_misses += sign * b.row_misses;
  a.bytes_read += static_cast<double>(sign) * b.bytes_read;
  a.bytes_written += static_cast<double>(sign) * b.bytes_written;
  a.bus_busy_ps += static_cast<std::uint64_t>(sign) * b.bus_busy_ps;
  a.refresh_ps += static_cast<std::uint64_t>(sign) * b.refresh_ps;
  a.reads += sign * b.reads;
  a.read_latency_sum_ns += static_cast<double>(sign) * b.read_latency_sum_ns;
  if (a.read_latency_histogram.size() < b.read_latency_histogram.size())
    a.read_latency_histogram.resize(b.read_latency_histogram.size(), 0);
  for (size_t i = from; i < b.read_latency_histogram.size(); ++i)
    a.read_latency_histogram[i] += static_cast<std::uint64_t>(sign) * b.read_latency_histogram[i];
  while (!a.read_latency_histogram.empty() && a.read_latency_histogram.back() == 0)
    a.read_latency_histogram.pop_back();
}

}  // namespace

bool JedecController::CanReplay() const {
  // GDDR's tPPD and 32-ACT window keep state (the rank's last PRE, a ring of 32 ACTs) that the
  // relative state below does not hold yet, so such channels simulate every run.
  return !command_queues_ && !clocked_ && ref_sets_ == 1 && !p_.exact && row_hit_cap_ == 0 &&
         close_after_ == 0 && !track_ && t_ppd_ == 0 && t_32aw_ == 0;
}

bool JedecController::IdleAt(std::uint64_t t_ps) const {
  if (!reads_.empty() || !writes_.empty() || !reads_.pending.empty() || !writes_.pending.empty())
    return false;
  for (const Request& q : requests_) {
    if (q.bursts_left > 0) return false;
  }
  return last_done_ <= t_ps;
}

void JedecController::BeginReplayRecord(std::uint64_t start_ps) {
  replay_recording_ = true;
  replay_alone_ = true;
  replay_start_ = start_ps;
  ++replay_epoch_;
  const size_t banks = ranks_.size() * static_cast<size_t>(p_.Banks());
  replay_touched_.resize(banks, 0);
  replay_rows_.resize(banks);
  replay_first_.resize(banks);
  replay_order_.clear();
  replay_requests_.clear();
  replay_ranks_ = ranks_;
  replay_stats_ = stats_;
  replay_bus_ = {Rel(now_, start_ps),
                 Rel(bus_free_, start_ps),
                 Rel(last_cas_, start_ps),
                 Rel(last_done_, start_ps),
                 last_bus_rank_,
                 last_bus_write_,
                 draining_,
                 drain_left_};
}

void JedecController::NoteReplayAccess(const JedecRequest& r, std::uint64_t global) {
  if (!replay_recording_ || r.bytes == 0) return;
  const std::uint64_t end = (r.address + r.bytes - 1) / burst_bytes_ + 1;
  const std::uint64_t cycle = map_.ColumnCycleBursts(), sweep = map_.ColumnSweepBursts();
  const auto request = static_cast<std::uint32_t>(replay_requests_.size());
  replay_requests_.emplace_back(global, r.address);
  // Where rows may be shared, a row is noted again for a request of another tensor granule.
  const bool shared = ReplayRowsShared();
  const std::uint64_t granule = global / replay_granule_;
  // Only the first cycle of each column sweep the request covers: the rest of the sweep's bursts
  // touch the same banks and rows (one decode per row, not per burst).
  for (std::uint64_t n = r.address / burst_bytes_; n < end;) {
    const std::uint64_t sweep_end = std::min(end, (n / sweep + 1) * sweep);
    const std::uint64_t cycle_end = std::min(sweep_end, n + cycle);
    for (; n < cycle_end; ++n) {
      const JedecAddress a = map_.Decode(n * burst_bytes_);
      const size_t bank = BankIndex(a);
      std::vector<ReplayRowAccess>& rows = replay_rows_[bank];
      const ReplayRowAccess access{static_cast<std::uint32_t>(a.row), request};
      if (replay_touched_[bank] != replay_epoch_) {
        replay_touched_[bank] = replay_epoch_;
        replay_order_.push_back(static_cast<std::uint32_t>(bank));
        replay_first_[bank] = Rel(r.arrival_ps, replay_start_);
        rows.clear();
        rows.push_back(access);
      } else if (rows.back().row != a.row ||
                 (shared &&
                  replay_requests_[rows.back().request].first / replay_granule_ != granule)) {
        rows.push_back(access);
      }
    }
    n = sweep_end;
  }
}

bool JedecController::ColumnSpansRow() const {
  const auto row = static_cast<std::uint64_t>(p_.RowBytes());
  return map_.ColumnIsLowest() && map_.Decode(row).column == 0 &&
         map_.Decode(row - burst_bytes_).column == row / burst_bytes_ - 1;
}

std::uint64_t JedecController::ReplayMoveQuantum() const {
  // The row field on top: a move by its stride keeps every field below it. Whether rows of
  // different tensors stay apart is the caller's (one row per tensor range) or ReplayMatches's
  // (ReplayRowsShared) to ensure.
  const std::uint64_t stride = map_.RowStride();
  const bool row_top = stride == static_cast<std::uint64_t>(p_.RowBytes()) *
                                     static_cast<std::uint64_t>(p_.ranks) *
                                     static_cast<std::uint64_t>(p_.Banks());
  return row_top ? stride : 0;
}

namespace {

// A bank's timing relative to `start`; its row kept as it is.
template <typename Bank>
Bank BankRel(const Bank& b, std::uint64_t start) {
  Bank r = b;
  r.open_since = 0;
  r.act_ready = Rel(b.act_ready, start);
  r.cas_ready = Rel(b.cas_ready, start);
  r.pre_ready = Rel(b.pre_ready, start);
  return r;
}

}  // namespace

std::unique_ptr<JedecController::ReplayRun> JedecController::EndReplayRecord() {
  replay_recording_ = false;
  const std::uint64_t s = replay_start_;
  auto run = std::make_unique<ReplayRun>();

  run->start = replay_bus_;
  run->alone = replay_alone_;
  run->end = {Rel(now_, s),   Rel(bus_free_, s), Rel(last_cas_, s), Rel(last_done_, s),
              last_bus_rank_, last_bus_write_,   draining_,         drain_left_};
  const auto per_rank = static_cast<size_t>(p_.Banks());
  // The rank-level state relative to `s`: the tFAW ring from its oldest entry; `last_activity`
  // as given.
  const auto rank_rel = [&](const Rank& r, std::uint64_t last_activity) {
    Rank x;
    x.groups = r.groups;
    for (Rank::Group& g : x.groups) g = {Rel(g.act, s), Rel(g.cas, s), Rel(g.rd, s), Rel(g.wr, s)};
    x.act = Rel(r.act, s);
    x.cas = Rel(r.cas, s);
    x.rd = Rel(r.rd, s);
    x.wr = Rel(r.wr, s);
    for (int i = 0; i < 4; ++i) x.faw[i] = Rel(r.faw[(r.faw_oldest + i) % 4], s);
    x.last_activity = last_activity;
    return x;
  };
  std::vector<bool> rank_touched(ranks_.size(), false);
  std::vector<std::uint64_t> rank_first(ranks_.size(), std::numeric_limits<std::uint64_t>::max());
  const bool shared = ReplayRowsShared();
  for (const std::uint32_t bank : replay_order_) {
    ReplayRun::BankRun& b = run->banks.emplace_back();
    b.index = bank;
    b.first = replay_first_[bank];
    // Each row once, at its first access, stamped per bank rather than sorted: a lookup asks
    // whether a row is among them once or twice per bank, and most records go unused.
    ++replay_row_stamp_;
    for (const ReplayRowAccess& x : replay_rows_[bank]) {
      if (x.row >= replay_row_seen_.size()) {
        replay_row_seen_.resize(x.row + size_t{1}, 0);
        replay_row_index_.resize(x.row + size_t{1}, 0);
      }
      if (replay_row_seen_[x.row] == replay_row_stamp_) {
        if (!shared) continue;
        // Listed: kept again only through another tensor granule than its first access's.
        const std::uint32_t i = replay_row_index_[x.row];
        if (replay_requests_[b.rows[i].request].first / replay_granule_ !=
            replay_requests_[x.request].first / replay_granule_)
          b.shared.push_back({i, x.request});
        continue;
      }
      replay_row_seen_[x.row] = replay_row_stamp_;
      replay_row_index_[x.row] = static_cast<std::uint32_t>(b.rows.size());
      b.rows.push_back(x);
    }
    b.seen = b.rows.size();
    if (replay_alone_) {
      b.seen = 0;
      while (b.seen < b.rows.size() && b.rows[b.seen].request == b.rows[0].request) ++b.seen;
    }
    const Bank& before = replay_ranks_[bank / per_rank].banks[bank % per_rank];
    const Bank& after = ranks_[bank / per_rank].banks[bank % per_rank];
    b.start = BankRel(before, s);
    b.start_state = before.open_row < 0                                       ? BankState::kClosed
                    : b.Accesses(static_cast<std::uint32_t>(before.open_row)) ? BankState::kHit
                                                                              : BankState::kMiss;
    b.end = BankRel(after, s);
    // Open since the run (relative + 1), or since before it (0).
    b.end.open_since = after.open_since >= s ? after.open_since - s + 1 : 0;
    if (after.open_row >= 0) {
      const auto open = static_cast<std::uint32_t>(after.open_row);
      for (size_t i = 0; i < b.rows.size(); ++i) {
        if (b.rows[i].row == open) {
          b.end_row = i;
          break;
        }
      }
    }
    rank_touched[bank / per_rank] = true;
    rank_first[bank / per_rank] = std::min(rank_first[bank / per_rank], b.first);
  }
  for (size_t i = 0; i < ranks_.size(); ++i) {
    if (!rank_touched[i]) continue;
    const Rank &before = replay_ranks_[i], &after = ranks_[i];
    ReplayRun::RankRun& r = run->ranks.emplace_back();
    r.index = static_cast<std::uint32_t>(i);
    r.first = rank_first[i];
    r.start = rank_rel(before, PowerDownRel(before, s));
    r.end = rank_rel(after, Rel(after.last_activity, s));
    for (const Bank& b : before.banks) r.any_open = r.any_open || b.open_row >= 0;
    // The background time after the start: what the run added to the rank's sums, less what a
    // state time taken at the start would have counted (rows open and power-down before it), plus
    // the part before the start of rows still open at the end (the sums take it at the close).
    double open = after.open_closed_ps - before.open_closed_ps - OpenUntil(before, s);
    for (const Bank& b : after.banks) {
      if (b.open_row >= 0 && b.open_since < s) open += static_cast<double>(s - b.open_since);
    }
    const auto [pd_active, pd_precharged] = PowerDownUntil(before, s);
    r.open_ps = open;
    r.pd_active_ps = after.pd_active_ps - before.pd_active_ps - pd_active;
    r.pd_precharged_ps = after.pd_precharged_ps - before.pd_precharged_ps - pd_precharged;
    r.last_command = Rel(after.last_activity, s);
    r.refreshes =
        p_.refresh ? static_cast<std::int64_t>((after.next_ref - before.next_ref) / t_refi_) : 0;
  }
  run->counts = stats_;
  AddStats(run->counts, replay_stats_, -1);
  // A run's reads take a narrow band of latencies: the bins below it are skipped when applied.
  const std::vector<std::uint64_t>& histogram = run->counts.read_latency_histogram;
  while (run->histogram_from < histogram.size() && histogram[run->histogram_from] == 0)
    ++run->histogram_from;
  run->requests = std::move(replay_requests_);
  replay_requests_.clear();
  return run;
}

std::uint64_t JedecController::PowerDownRel(const Rank& r, std::uint64_t start) const {
  if (!p_.power_down) return 0;
  const std::uint64_t from = r.last_activity + pd_idle_;
  return from >= start ? from - start + 1 : 0;  // 0: powered down at any time from the start
}

std::uint64_t JedecController::PowerDownSeen(std::uint64_t rel, std::uint64_t first) const {
  // The run's first command to the rank is checked for a wake-up at its entry, the arrival of
  // its first request when that finds every queue slot free: the run's first request, at an
  // idle controller of one rank. A rank still awake then leaves no trace of its idle clock
  // (open page: the last activity before the start is no later than the start, and the
  // command's own supersedes it), so every such state is the same to the run.
  const bool seen_at_first = p_.open_page && ranks_.size() == 1;
  return seen_at_first && rel > first ? first + 1 : rel;
}

double JedecController::OpenUntil(const Rank& r, std::uint64_t t) const {
  double open = 0;
  for (const Bank& b : r.banks) {
    if (b.open_row >= 0 && t > b.open_since) open += static_cast<double>(t - b.open_since);
  }
  return open;
}

std::pair<double, double> JedecController::PowerDownUntil(const Rank& r, std::uint64_t t) const {
  const std::uint64_t from = r.last_activity + pd_idle_;
  if (!p_.power_down || t <= from) return {0, 0};
  const std::uint64_t closes = RowsClosed(r, from, t);  // as StateTimes
  return {static_cast<double>(closes - from), static_cast<double>(t - closes)};
}

bool JedecController::ReplayRun::BankRun::Accesses(std::uint32_t row) const {
  const std::span<const ReplayRowAccess> rows_seen = Seen();
  return std::any_of(rows_seen.begin(), rows_seen.end(),
                     [&](const ReplayRowAccess& x) { return x.row == row; });
}

JedecController::BankState JedecController::RecordedState(const ReplayRun& run, size_t i) {
  return run.banks[i].start_state;
}

JedecController::BankState JedecController::StateAtStart(const ReplayRun& run, size_t i,
                                                         const ReplayMove& move) const {
  const ReplayRun::BankRun& rb = run.banks[i];
  const auto per_rank = static_cast<size_t>(p_.Banks());
  const std::int64_t is = ranks_[rb.index / per_rank].banks[rb.index % per_rank].open_row;
  if (is < 0) return BankState::kClosed;
  const std::int64_t was = rb.start.open_row;
  if (RecordedState(run, i) == BankState::kHit) {
    // Open on the recorded row, moved with its tensor.
    if (!move) return is == was ? BankState::kHit : BankState::kOther;
    for (const ReplayRowAccess& x : rb.Seen()) {
      if (static_cast<std::int64_t>(x.row) == was && RowOf(run, x, move) != is)
        return BankState::kOther;
    }
    return BankState::kHit;
  }
  // Open on a row the run does not access: its first access misses.
  if (!move)
    return is != was && rb.Accesses(static_cast<std::uint32_t>(is)) ? BankState::kOther
                                                                    : BankState::kMiss;
  for (const ReplayRowAccess& x : rb.Seen()) {
    if (RowOf(run, x, move) == is) return BankState::kOther;
  }
  return BankState::kMiss;
}

bool JedecController::ReplayMatches(const ReplayRun& run, std::uint64_t start_ps,
                                    const ReplayMove& move, bool rows) const {
  const std::uint64_t s = start_ps;
  // A run of lone requests has one direction queued at a time: the drain state picks nothing.
  const ReplayBus bus{Rel(now_, s),
                      Rel(bus_free_, s),
                      Rel(last_cas_, s),
                      run.start.last_done,
                      last_bus_rank_,
                      last_bus_write_,
                      run.alone ? run.start.draining : draining_,
                      run.alone ? run.start.drain_left : drain_left_};
  if (!(bus == run.start)) return false;
  const auto per_rank = static_cast<size_t>(p_.Banks());
  // With refresh, a state may differ from the record's by what a refresh at another phase does
  // (the approximation: docs/DRAM.md, "Replay of layer runs"), to the run's first commands: an
  // ACT held for up to tRFC + tRP, and the tail of the run before (its last commands' rank
  // constraints, the rank's idle clock) shifted by as much.
  const std::uint64_t slack = p_.refresh ? t_rfc_ + t_rp_ : 0;
  const auto near = [&](std::uint64_t a, std::uint64_t b) {
    return (a > b ? a - b : b - a) <= slack;
  };
  for (const ReplayRun::RankRun& rr : run.ranks) {
    const Rank& r = ranks_[rr.index];
    const Rank& x = rr.start;
    // Every command to the rank is planned at or after its first request's arrival: its
    // constraints compare from then, as a bank's do below.
    const std::uint64_t first = s + rr.first;
    const auto same = [&](std::uint64_t t, std::uint64_t rel) {
      return near(Rel(t, first), Rel(s + rel, first));
    };
    if (!near(PowerDownSeen(PowerDownRel(r, s), rr.first),
              PowerDownSeen(x.last_activity, rr.first)) ||
        !same(r.act, x.act) || !same(r.cas, x.cas) || !same(r.rd, x.rd) || !same(r.wr, x.wr))
      return false;
    for (int i = 0; i < 4; ++i) {
      if (!same(r.faw[(r.faw_oldest + i) % 4], x.faw[i])) return false;
    }
    for (size_t g = 0; g < r.groups.size(); ++g) {
      const Rank::Group &a = r.groups[g], &b = x.groups[g];
      if (!same(a.act, b.act) || !same(a.cas, b.cas) || !same(a.rd, b.rd) || !same(a.wr, b.wr))
        return false;
    }
    // Whether a row is open sets the kind of power-down only.
    bool open = false;
    for (const Bank& b : r.banks) open = open || b.open_row >= 0;
    if (p_.power_down && open != rr.any_open) return false;
  }
  // And a bank's: a row a refresh closed that the run would have precharged anyway (or the
  // reverse), and its ready times (ACT, PRE, column) each off by up to the slack.
  for (size_t i = 0; i < run.banks.size(); ++i) {
    const ReplayRun::BankRun& rb = run.banks[i];
    const Bank& b = ranks_[rb.index / per_rank].banks[rb.index % per_rank];
    const BankState was = RecordedState(run, i), is = StateAtStart(run, i, move);
    if (is == BankState::kOther) return false;
    const bool opened = was != BankState::kClosed, open = is != BankState::kClosed;
    if (was != is && !(p_.refresh && was != BankState::kHit && is != BankState::kHit)) return false;
    // Every command to the bank is planned from its entry, at or after the bank's first request
    // arrived, so constraints expired by then compare equal (0).
    const std::uint64_t first = s + rb.first;
    const auto same = [&](std::uint64_t t, std::uint64_t rel) {
      return near(Rel(t, first), Rel(s + rel, first));
    };
    if (!same(b.act_ready, rb.start.act_ready)) return false;
    // An ACT sets the column and PRE times: a closed bank's are not read, nor is the column
    // time of a bank whose first access misses.
    if (opened && open && !same(b.pre_ready, rb.start.pre_ready)) return false;
    if (is == BankState::kHit && !same(b.cas_ready, rb.start.cas_ready)) return false;
  }
  // Last: it walks every request of the run.
  return !rows || ReplayRowsRenamed(run, move);
}

bool JedecController::ReplayRowsRenamed(const ReplayRun& run, const ReplayMove& move) const {
  return !move || !ReplayRowsShared() || RowsRenamedOneToOne(run, move);
}

bool JedecController::RowsRenamedOneToOne(const ReplayRun& run, const ReplayMove& move) const {
  // A bank's accesses then see the recorded sequence of rows under another name for each, so
  // every hit and miss within the run is the recorded one: a row reached through two tensors
  // takes one name, and two rows never take the same. Each request's rows move alike (RowOf):
  // its move is taken once, and where every request moves alike the renaming is a shift.
  std::vector<std::int64_t>& moved = replay_moved_rows_;
  moved.resize(run.requests.size());
  const auto stride = static_cast<std::int64_t>(map_.RowStride());
  bool alike = true;
  std::uint64_t granule = std::numeric_limits<std::uint64_t>::max();
  std::int64_t by = 0;
  for (size_t i = 0; i < run.requests.size(); ++i) {
    const auto& [global, local] = run.requests[i];
    // Requests of one tensor granule move alike (a tile's loads come in granule order).
    if (global / replay_granule_ != granule) {
      granule = global / replay_granule_;
      by = static_cast<std::int64_t>(move(global) - local) / stride;
    }
    moved[i] = by;
    alike = alike && by == moved[0];
  }
  if (alike) return true;
  const std::int64_t mask = p_.rows - 1;
  const auto row_of = [&](std::uint32_t row, std::uint32_t request) {
    return static_cast<size_t>((static_cast<std::int64_t>(row) + moved[request]) & mask);
  };
  if (replay_moved_seen_.size() < static_cast<size_t>(p_.rows))
    replay_moved_seen_.assign(static_cast<size_t>(p_.rows), 0);
  for (const ReplayRun::BankRun& rb : run.banks) {
    for (const ReplayRowAccess& x : rb.shared) {
      const ReplayRowAccess& first = rb.rows[x.row];
      if (row_of(first.row, x.request) != row_of(first.row, first.request)) return false;
    }
    ++replay_moved_stamp_;
    for (const ReplayRowAccess& x : rb.rows) {
      const size_t row = row_of(x.row, x.request);
      if (replay_moved_seen_[row] == replay_moved_stamp_) return false;
      replay_moved_seen_[row] = replay_moved_stamp_;
    }
  }
  return true;
}

std::int64_t JedecController::RowOf(const ReplayRun& run, const ReplayRowAccess& access,
                                    const ReplayMove& move) const {
  // The request moved by a multiple of the row stride (ReplayMoveQuantum): its rows by as many,
  // modulo the row count as the address map decodes them (an address past the channel's
  // capacity wraps; the count is a power of two).
  const auto& [global, local] = run.requests[access.request];
  const auto moved = static_cast<std::int64_t>(move(global) - local);
  const std::int64_t row =
      static_cast<std::int64_t>(access.row) + moved / static_cast<std::int64_t>(map_.RowStride());
  return row & (p_.rows - 1);
}

void JedecController::ApplyReplay(const ReplayRun& run, const JedecStats& counts,
                                  std::uint64_t start_ps, const ReplayMove& move) {
  const std::uint64_t s = start_ps;
  const auto per_rank = static_cast<size_t>(p_.Banks());
  std::vector<bool> touched(ranks_.size() * per_rank, false);
  for (const ReplayRun::BankRun& rb : run.banks) touched[rb.index] = true;
  for (const ReplayRun::RankRun& rr : run.ranks) {
    Rank& r = ranks_[rr.index];
    // The background sums taken at the start (rows open and power-down so far), then what the
    // run added after it.
    const double open = OpenUntil(r, s);
    const auto [pd_active, pd_precharged] = PowerDownUntil(r, s);
    for (Bank& b : r.banks) {
      if (b.open_row >= 0) b.open_since = std::max(b.open_since, s);
    }
    r.open_closed_ps += open + rr.open_ps;
    r.pd_active_ps += pd_active + rr.pd_active_ps;
    r.pd_precharged_ps += pd_precharged + rr.pd_precharged_ps;
    const Rank& x = rr.end;
    for (size_t g = 0; g < r.groups.size(); ++g) {
      Rank::Group& a = r.groups[g];
      const Rank::Group& b = x.groups[g];
      a = {Shift(b.act, s, a.act), Shift(b.cas, s, a.cas), Shift(b.rd, s, a.rd),
           Shift(b.wr, s, a.wr)};
    }
    r.act = Shift(x.act, s, r.act);
    r.cas = Shift(x.cas, s, r.cas);
    r.rd = Shift(x.rd, s, r.rd);
    r.wr = Shift(x.wr, s, r.wr);
    std::uint64_t faw[4];
    for (int i = 0; i < 4; ++i) faw[i] = Shift(x.faw[i], s, r.faw[(r.faw_oldest + i) % 4]);
    std::copy(faw, faw + 4, r.faw);
    r.faw_oldest = 0;
    r.last_activity = Shift(x.last_activity, s, r.last_activity);
  }
  for (const ReplayRun::BankRun& rb : run.banks) {
    Bank& b = ranks_[rb.index / per_rank].banks[rb.index % per_rank];
    const Bank& x = rb.end;
    b.act_ready = Shift(x.act_ready, s, b.act_ready);
    b.cas_ready = Shift(x.cas_ready, s, b.cas_ready);
    b.pre_ready = Shift(x.pre_ready, s, b.pre_ready);
    b.open_row = x.open_row >= 0 && move ? RowOf(run, rb.rows[rb.end_row], move) : x.open_row;
    b.columns = x.columns;
    if (x.open_row >= 0) b.open_since = x.open_since > 0 ? s + x.open_since - 1 : s;
  }
  // Refresh: the rank's schedule stays absolute. The refreshes due up to the run's last command
  // are placed (counted, and they close the rows the run left alone); the touched banks keep the
  // state the recorded run's refreshes left (the approximation: off by at most a tRFC).
  for (const ReplayRun::RankRun& rr : run.ranks) {
    if (!p_.refresh) break;
    Rank& r = ranks_[rr.index];
    const std::uint64_t due = r.next_ref, window = s + rr.last_command;
    std::int64_t k = 0;
    while (r.next_ref <= window) {
      r.next_ref += t_refi_;
      ++k;
    }
    stats_.ref += k;
    stats_.refresh_ps += static_cast<std::uint64_t>(k) * t_rfc_;
    if (k == 0) continue;
    for (size_t i = 0; i < per_rank; ++i) {
      Bank& b = r.banks[i];
      if (touched[rr.index * per_rank + i] || b.open_row < 0) continue;
      const std::uint64_t t = std::max({due, b.pre_ready, s});
      r.open_closed_ps += static_cast<double>(t - std::min(t, b.open_since));
      b.open_row = -1;
      b.act_ready = std::max(b.act_ready, t + t_rp_ + t_rfc_);
    }
  }
  if (!run.banks.empty()) {
    now_ = Shift(run.end.now, s, now_);
    bus_free_ = Shift(run.end.bus_free, s, bus_free_);
    last_cas_ = Shift(run.end.last_cas, s, last_cas_);
    last_done_ = std::max(last_done_, Shift(run.end.last_done, s, last_done_));
    last_bus_rank_ = run.end.last_bus_rank;
    last_bus_write_ = run.end.last_bus_write;
  }
  draining_ = run.end.draining;
  drain_left_ = run.end.drain_left;
  // The counts but for the refreshes, which follow the schedule above (added, then restored,
  // rather than a copy of the counts and their histogram).
  const std::int64_t ref = stats_.ref;
  const std::uint64_t refresh_ps = stats_.refresh_ps;
  AddStats(stats_, counts, 1, &counts == &run.counts ? run.histogram_from : 0);
  stats_.ref = ref;
  stats_.refresh_ps = refresh_ps;
}

}  // namespace pjsim
