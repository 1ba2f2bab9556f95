#include "models/memory/jedec_row_switch.h"

#include <algorithm>
#include <cstdint>

#include "models/memory/jedec_controller.h"

namespace pjsim {
namespace {

// `p` for a short measured run: no refresh (its phase, not the timing measured, would decide
// it), no power-down, each transaction served whole at its arrival (as the platform does).
JedecParams Measuring(const JedecParams& p) {
  JedecParams q = p;
  q.refresh = false;
  q.power_down = false;
  q.interleave_transactions = false;
  return q;
}

}  // namespace

DramRowSwitch JedecRowSwitchPs(const JedecParams& p) {
  constexpr int kRequests = 16;
  const JedecParams q = Measuring(p);
  const std::uint64_t other_row = JedecAddressMap(q).RowStride();
  // The last request's last data and the first's, `kRequests` requests of `bytes` each.
  const auto run = [&](std::uint64_t bytes, bool alternate) {
    JedecController c(q);
    std::uint64_t first = 0, last = 0;
    for (int i = 0; i < kRequests; ++i) {
      JedecRequest r;
      r.address = alternate && i % 2 == 1 ? other_row : 0;
      r.bytes = bytes;
      last = c.RunUntil(c.Submit(r)).done_ps;
      if (i == 0) first = last;
    }
    return std::make_pair(first, last);
  };
  DramRowSwitch s;
  const auto row = static_cast<std::uint64_t>(q.RowBytes());
  const std::uint64_t switching = run(row, true).second, hitting = run(row, false).second;
  s.after_data =
      switching > hitting ? static_cast<double>(switching - hitting) / (kRequests - 1) : 0;
  const auto [first, last] = run(static_cast<std::uint64_t>(q.BurstBytes()), true);
  s.row_cycle = static_cast<double>(last - first) / (kRequests - 1);
  return s;
}

double JedecBusTurnaroundPs(const JedecParams& p) {
  constexpr int kPairs = 16;
  const JedecParams q = Measuring(p);
  const JedecAddressMap map(q);
  const auto row = static_cast<std::uint64_t>(q.RowBytes());
  // The writes' row: the first whole row in another bank of the reads' rank (address 0): a turn
  // within a rank, where tWTR binds (across ranks the rank-switch gap does).
  const JedecAddress reads = map.Decode(0);
  std::uint64_t writes = row;
  const auto banks = static_cast<std::uint64_t>(q.ranks * q.Banks());
  for (std::uint64_t k = 1; k <= banks * static_cast<std::uint64_t>(q.rows); ++k) {
    const JedecAddress a = map.Decode(k * row);
    if (a.rank == reads.rank && (a.bank_group != reads.bank_group || a.bank != reads.bank)) {
      writes = k * row;
      break;
    }
  }
  const auto run = [&](bool alternate) {
    JedecController c(q);
    std::uint64_t last = 0;
    for (int i = 0; i < 2 * kPairs; ++i) {
      const bool write = alternate ? i % 2 == 1 : i >= kPairs;
      JedecRequest r;
      r.address = write ? writes : 0;
      r.bytes = row;
      r.write = write;
      last = c.RunUntil(c.Submit(r)).done_ps;
    }
    return last;
  };
  const std::uint64_t alternating = run(true), grouped = run(false);
  // 2 kPairs - 1 turns against one.
  return alternating > grouped ? static_cast<double>(alternating - grouped) / (2 * kPairs - 2) : 0;
}

double JedecParams::BusTurnaroundCycles(double clock_hz) const {
  if (!rows_of) return 0;
  std::call_once(rows_of->turnaround_once,
                 [&] { rows_of->turnaround_ps = JedecBusTurnaroundPs(*this); });
  return rows_of->turnaround_ps * 1e-12 * clock_hz;
}

DramRow JedecParams::RowOf(std::uint64_t address) const {
  if (!rows_of) return {};
  // The fields below the column cycle within a run of bursts: key it by its column's first.
  const JedecAddressMap& map = rows_of->map;
  const auto run = map.ColumnCycleBursts() * static_cast<std::uint64_t>(BurstBytes());
  const JedecAddress a = map.Decode(address / run * run);
  const auto bank = (static_cast<std::uint64_t>(a.rank) * static_cast<std::uint64_t>(bank_groups) +
                     a.bank_group) *
                        static_cast<std::uint64_t>(banks_per_group) +
                    a.bank;
  return {bank, a.row};
}

DramRowSwitch JedecParams::RowSwitch(double clock_hz) const {
  if (!rows_of) return {};
  std::call_once(rows_of->once, [&] { rows_of->switch_ps = JedecRowSwitchPs(*this); });
  const double cycles_per_ps = 1e-12 * clock_hz;
  return {rows_of->switch_ps.after_data * cycles_per_ps,
          rows_of->switch_ps.row_cycle * cycles_per_ps};
}

}  // namespace pjsim
