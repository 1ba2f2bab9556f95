// JedecController::StreamRows: the idle-controller stream's common case (Stream) over
// consecutive row runs of one request: open page, one rank, all-bank refresh, the rank awake, no
// refresh due before a run's last column command, and FR-FCFS keeping the request's order
// without planning a later run (each later run within the queue's depth a miss that can be no
// earlier than this one). Stream places the same runs one per iteration, but the stores to a
// bank make the compiler reload every rank, group and bus time after each run, and its order
// check (StreamKeepsOrder) is a call that recomputes the window. Here the rank's constraints,
// the tFAW ring, the bus and the open-interval sum stay in locals and are written back once
// (docs/BENCHMARKS.md, "Records that stay exact, and row runs in registers"). Each run is
// placed with Stream's arithmetic in Stream's order, so the outcome is Stream's to the bit
// (tests/unit/jedec_stream_test.cpp); a run that needs anything else is left untouched for
// Stream to place.
#include <algorithm>
#include <cstdint>

#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_controller_inline.h"

namespace pjsim {

void JedecController::StreamRows(Request& q, Queue& queue, std::uint64_t horizon, StreamTally& s) {
  // One rank: no rank-switch gap on the bus, and one rank's state in locals. Per-bank refresh
  // has Stream hand runs over; a closed page precharges through Commit. Every admitted burst
  // issued: StreamKeepsOrder's window starts at the request's next run.
  if (ranks_.size() != 1 || ref_sets_ > 1 || !p_.open_page || queue.admitted != queue.issued) {
    return;
  }
  const bool write = q.r.write;
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
  const bool fr_fcfs = p_.fr_fcfs, power_down = p_.power_down, refresh = p_.refresh;
  const std::uint64_t arrival = q.r.arrival_ps, earliest_decision = now_;
  Rank& r = ranks_[0];
  const std::uint64_t next_ref = r.next_ref;  // placing runs before it refreshes nothing
  std::uint64_t r_act = r.act, r_cas = r.cas, r_rd = r.rd, r_wr = r.wr;
  std::uint64_t last_activity = r.last_activity;
  std::uint64_t faw[4] = {r.faw[0], r.faw[1], r.faw[2], r.faw[3]};
  int faw_oldest = r.faw_oldest;
  double open_closed = r.open_closed_ps;
  std::uint64_t last_cas = last_cas_, bus_free = bus_free_;  // one rank: BusFree is bus_free_
  std::int64_t pres = 0;
  std::uint64_t runs = 0;
  while (q.bursts_left_to_admit > 0) {
    if (Latest(earliest_decision, s.last_cas) >= horizon) break;
    const JedecAddress a = map.Decode(q.next_address);
    const std::uint64_t k = Earliest(q.bursts_left_to_admit, row_bursts - a.column, cap);
    const std::uint64_t t0 = std::max(arrival, queue.SlotFree(queue.admitted));
    if (!q.accepted) {
      q.accepted = true;
      q.c.accepted_ps = t0;
    }
    if (power_down && t0 > last_activity + pd_idle) break;  // a wake-up: through Commit
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
      t_act = Latest(t_act, r_act, g.act, faw[faw_oldest]);
      cas_ready = t_act + t_rcd;
    }
    std::uint64_t tc = Latest(t0, cas_ready, last_cas, r_cas, g.cas,
                              write ? std::max(r_wr, g.wr) : std::max(r_rd, g.rd));
    if (tc + latency < bus_free) tc = bus_free - latency;
    if (fr_fcfs) {
      // StreamKeepsOrder with nothing of the request queued: a hit at the earliest time any
      // run can have wins; else every later run within the queue's depth must be a miss whose
      // rank's bounds put it no earlier than this run (a tie keeps the older). A later hit is
      // planned by StreamKeepsOrder, from Stream.
      const std::uint64_t floor = std::max(last_cas, bus_free > latency ? bus_free - latency : 0);
      if (act || tc > floor) {
        const std::uint64_t window = std::min(q.bursts_left_to_admit, cap);
        const std::uint64_t lower =
            Latest(floor, Latest(r_act, faw[faw_oldest]) + t_rcd, r_cas, write ? r_wr : r_rd);
        bool kept = true;
        for (std::uint64_t off = k; off < window && kept;) {
          const JedecAddress w = map.Decode(q.next_address + off * burst_bytes);
          kept =
              r.banks[w.bank_group * bpg + w.bank].open_row != static_cast<std::int64_t>(w.row) &&
              tc <= lower;
          off += std::min(window - off, row_bursts - w.column);
        }
        if (!kept) break;
      }
    }
    const std::uint64_t cas_end = tc + (k - 1) * spacing;
    if (refresh && cas_end >= next_ref) break;  // split at the refresh: through Commit

    UpdateDrain(write ? static_cast<std::int64_t>(std::min(q.bursts_left_to_admit, cap)) : 0);
    queue.admitted += k;
    q.next_address += k * burst_bytes;
    q.bursts_left_to_admit -= k;
    if (act) {
      if (b.open_row >= 0) {  // Close
        if (t_pre > b.open_since) open_closed += static_cast<double>(t_pre - b.open_since);
        b.act_ready = std::max(b.act_ready, t_pre + t_rp);
        ++pres;
      }
      ++s.acts;
      b.open_row = static_cast<std::int64_t>(a.row);
      b.open_since = t_act;
      b.act_ready = std::max(b.act_ready, t_act + t_rc);
      b.cas_ready = t_act + t_rcd;
      b.pre_ready = t_act + t_ras;
      r_act = t_act + t_rrd_s;
      g.act = t_act + t_rrd_l;
      faw[faw_oldest] = t_act + t_faw;
      faw_oldest = (faw_oldest + 1) & 3;
    } else {
      ++s.hits;
    }
    s.hits += static_cast<std::int64_t>(k - 1);
    const std::uint64_t data_end = cas_end + latency + t_burst;
    r_cas = cas_end + t_ccd_s;
    g.cas = cas_end + t_ccd_l;
    last_cas = cas_end;
    bus_free = std::max(bus_free, data_end);
    if (write) {
      g.wr = cas_end + t_ccd_l_wr;
      r_rd = data_end + turn;
      g.rd = data_end + turn_l;
      b.pre_ready = std::max(b.pre_ready, data_end + after_wr);
    } else {
      r_wr = cas_end + turn;
      b.pre_ready = std::max(b.pre_ready, cas_end + after_rd);
    }
    last_activity = std::max(last_activity, data_end);
    s.bursts += k;
    s.first_data = std::min(s.first_data, tc + latency);
    s.done = std::max(s.done, data_end);
    s.last_cas = std::max(s.last_cas, cas_end);
    queue.Record(k, tc, spacing);
    ++runs;
  }
  if (runs == 0) return;
  // The drain as the decision of the last run's last burst leaves it (the request's queue only
  // shrinks, so the decisions between are passed over: a drain ends at the low watermark, as
  // burst-by-burst decisions end it, and none starts).
  if (write && draining_) {
    UpdateDrain(static_cast<std::int64_t>(std::min(q.bursts_left_to_admit + 1, cap)));
  }
  r.act = r_act;
  r.cas = r_cas;
  r.rd = r_rd;
  r.wr = r_wr;
  r.last_activity = last_activity;
  std::copy(faw, faw + 4, r.faw);
  r.faw_oldest = faw_oldest;
  r.open_closed_ps = open_closed;
  stats_.pre += pres;
  last_cas_ = last_cas;
  bus_free_ = bus_free;
  last_bus_rank_ = 0;
  last_bus_write_ = write;
  stream_row_runs_ += runs;
}

}  // namespace pjsim
