#pragma once
// The JedecController member functions of its inner loop, inline in each of its source files
// (jedec_controller.cpp, jedec_serve_alone.cpp): the queue's issue record, the write drain, the
// plan of an entry and the state a command leaves.
#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "models/memory/jedec_controller.h"

namespace pjsim::jedec_inline {

// The latest / earliest of several times, as compare-and-select (std::max of an initializer
// list loops over it: this is the controller's inner loop).
template <class... T>
std::uint64_t Latest(std::uint64_t a, T... b) {
  ((a = std::max<std::uint64_t>(a, b)), ...);
  return a;
}
template <class... T>
std::uint64_t Earliest(std::uint64_t a, T... b) {
  ((a = std::min<std::uint64_t>(a, b)), ...);
  return a;
}

}  // namespace pjsim::jedec_inline

namespace pjsim {

using jedec_inline::Earliest;
using jedec_inline::Latest;

[[gnu::always_inline]] inline std::uint64_t JedecController::Queue::SlotFree(
    std::uint64_t n) const {
  const auto cap = static_cast<std::uint64_t>(capacity);
  if (n < cap) return 0;
  const std::uint64_t k = n - cap;  // the issue that made room, counted over the queue's life
  size_t i = newest;
  for (size_t seen = 0; seen < count; ++seen) {
    const IssuedRun& r = runs[i];
    if (r.first <= k) return r.cas_ps + (k - r.first) * r.spacing_ps;
    i = i == 0 ? runs.size() - 1 : i - 1;
  }
  throw std::logic_error("jedec queue: issue record missing");
}

template <class F>
void JedecController::Queue::SlotRuns(std::uint64_t n, std::uint64_t k, F f) const {
  const auto cap = static_cast<std::uint64_t>(capacity);
  if (n < cap) {  // room from the start
    const std::uint64_t free = std::min(k, cap - n);
    f(n, free, std::uint64_t{0}, std::uint64_t{0});
    n += free;
    k -= free;
  }
  if (k == 0) return;
  // The run of the issue that made room for burst n, then the newer runs in order.
  size_t i = newest;
  for (size_t seen = 1; runs[i].first > n - cap; ++seen) {
    if (seen >= count) throw std::logic_error("jedec queue: issue record missing");
    i = i == 0 ? runs.size() - 1 : i - 1;
  }
  while (k > 0) {
    const IssuedRun& r = runs[i];
    const std::uint64_t offset = n - cap - r.first;
    const std::uint64_t m = std::min(k, r.count - offset);
    f(n, m, r.cas_ps + offset * r.spacing_ps, r.spacing_ps);
    n += m;
    k -= m;
    i = i + 1 == runs.size() ? 0 : i + 1;
  }
}

[[gnu::always_inline]] inline void JedecController::Queue::Record(std::uint64_t bursts,
                                                                  std::uint64_t cas_ps,
                                                                  std::uint64_t spacing_ps) {
  if (runs.empty()) runs.resize(static_cast<size_t>(capacity) + 1);
  // A run that continues the newest one at its spacing extends it (a stream is one record, and
  // SlotFree finds its bursts in one step).
  IssuedRun& last = runs[newest];
  if (count > 0 && last.spacing_ps == spacing_ps &&
      last.cas_ps + last.count * spacing_ps == cas_ps) {
    last.count += bursts;
    issued += bursts;
    return;
  }
  newest = newest + 1 == runs.size() ? 0 : newest + 1;
  runs[newest] = {issued, bursts, cas_ps, spacing_ps};
  count = std::min(count + 1, runs.size());
  issued += bursts;
}

inline bool JedecController::BatchDrainStarts(std::int64_t writes) const {
  return drain_left_ == 0 && writes > 0 &&
         (writes >= writes_.capacity || (reads_.occupancy == 0 && writes >= p_.write_drain_idle));
}

inline void JedecController::UpdateDrain(std::int64_t writes) {
  if (p_.batch_write_drain) {
    if (BatchDrainStarts(writes)) drain_left_ = static_cast<std::uint64_t>(writes);
    draining_ = drain_left_ > 0;
    return;
  }
  draining_ = WatermarkDrain(draining_, writes);
}

inline bool JedecController::WatermarkDrain(bool draining, std::int64_t writes) const {
  const auto w = static_cast<double>(writes);
  const auto cap = static_cast<double>(writes_.capacity);
  if (!draining && w >= p_.write_high_watermark * cap) draining = true;
  if (draining && w <= p_.write_low_watermark * cap) draining = false;
  return draining;
}

inline void JedecController::DrainCounts(std::uint64_t writes) {
  if (drain_left_ == 0) return;  // watermarks, or writes going outside a batch drain
  drain_left_ -= std::min(writes, drain_left_);
  draining_ = drain_left_ > 0;
}

[[gnu::always_inline]] inline JedecController::Plan JedecController::PlanEntry(
    const Entry& e, bool write, std::uint64_t t0) const {
  const Rank& r = ranks_[e.a.rank];
  return PlanIn(r, BankOf(r, e.a), r.groups[e.a.bank_group], e.a.row, e.a.rank, write, t0);
}

[[gnu::always_inline]] inline JedecController::Plan JedecController::PlanIn(
    const Rank& r, const Bank& b, const Rank::Group& g, std::uint64_t row, std::uint32_t rank_index,
    bool write, std::uint64_t t0) const {
  Plan pl;
  std::uint64_t cas_ready = 0;
  if (b.open_row != static_cast<std::int64_t>(row)) {
    std::uint64_t ta = std::max(t0, b.act_ready);
    if (b.open_row >= 0) {
      pl.pre = true;
      pl.t_pre = Latest(t0, b.pre_ready, r.pre);
      ta = std::max(ta, pl.t_pre + t_rp_);
    }
    ta = Latest(ta, r.act, g.act, r.faw[r.faw_oldest], r.aw32[r.aw32_oldest]);
    pl.act = true;
    pl.t_act = ta;
    cas_ready = ta + (write ? t_rcd_wr_ : t_rcd_);
  } else {
    cas_ready = CasReady(b, write);
  }
  std::uint64_t tc = Latest(t0, cas_ready, last_cas_);
  tc = Latest(tc, r.cas, g.cas, write ? std::max(r.wr, g.wr) : std::max(r.rd, g.rd));
  const std::uint64_t latency = write ? t_cwl_ : t_cl_;
  const std::uint64_t bus = BusFree(static_cast<int>(rank_index), write);
  if (tc + latency < bus) tc = bus - latency;
  pl.t_cas = tc;
  return pl;
}

[[gnu::always_inline]] inline void JedecController::Activate(Rank& r, Bank& b, Rank::Group& g,
                                                             std::uint64_t row,
                                                             std::uint64_t t_act) {
  b.open_row = static_cast<std::int64_t>(row);
  b.open_since = t_act;
  b.act_ready = std::max(b.act_ready, t_act + t_rc_);
  b.cas_ready = t_act + t_rcd_;
  b.pre_ready = t_act + t_ras_;
  b.columns = 0;
  r.act = t_act + t_rrd_s_;
  g.act = t_act + t_rrd_l_;
  r.faw[r.faw_oldest] = t_act + t_faw_;  // replaces the oldest of the four
  r.faw_oldest = (r.faw_oldest + 1) & 3;
  if (t_32aw_ > 0) {
    r.aw32[r.aw32_oldest] = t_act + t_32aw_;
    r.aw32_oldest = (r.aw32_oldest + 1) & 31;
  }
}

[[gnu::always_inline]] inline void JedecController::Precharged(Rank& r, std::uint64_t t_pre) {
  if (t_ppd_ > 0) r.pre = std::max(r.pre, t_pre + t_ppd_);
}

[[gnu::always_inline]] inline void JedecController::Columns(Rank& r, Bank& b, Rank::Group& g,
                                                            std::uint32_t rank, bool write,
                                                            std::uint64_t last_cas,
                                                            std::uint64_t data_end) {
  r.cas = last_cas + t_ccd_s_;
  g.cas = last_cas + t_ccd_l_;
  last_cas_ = last_cas;
  bus_free_ = std::max(bus_free_, data_end);
  last_bus_rank_ = static_cast<int>(rank);
  last_bus_write_ = write;
  if (write) {
    g.wr = last_cas + t_ccd_l_wr_;
    r.rd = data_end + t_wtr_s_;
    g.rd = data_end + t_wtr_l_;
    b.pre_ready = std::max(b.pre_ready, data_end + t_wr_);
  } else {
    r.wr = last_cas + t_rtw_;
    b.pre_ready = std::max(b.pre_ready, last_cas + t_rtp_);
  }
  r.last_activity = std::max(r.last_activity, data_end);
}

}  // namespace pjsim
