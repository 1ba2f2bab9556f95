// The `jedec` fast paths (row runs, the idle-controller stream, bank-group rotations, a request
// served alone) against burst-by-burst scheduling (`exact: true`) over organisations a user may
// type in rather than only the shipped presets: rows of half and twice the preset's columns, other
// bank-group and bank counts, field orders that make the fast paths differ (the bank group below
// the column: rotations; the bank above the group), all-bank and per-bank refresh, transactions
// of 64 B to 27 KiB. Each runs as the per-transaction adapter drives the controller (one request
// at a time, arriving faster than the channel serves them, once after an idle gap) and with every
// request queued at once (`pjsim dram-bench`). The time to the last data, every command count and
// every energy component must be within 2 % of exact mode (issue #14's bound), and all queued
// equal to it. Before the stream's per-bank refresh took its bank from each decision's queue
// window, the one-at-a-time runs of HBM2E with 2 KiB rows and of LPDDR4/5 with 1 KiB rows (row
// runs as long as the queue is deep) drifted 3.6-9.3 %; before the scheduler's row runs stopped
// where a decision between their bursts goes elsewhere (models/memory/jedec_run_cut.cpp), HBM2E
// with 512 B rows all queued took 2.3 % fewer ACTs than exact mode.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "models/memory/jedec_power.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// What a run gives a report: its length, its commands and its energy by component (pJ).
struct Totals {
  double end_ps = 0;
  std::vector<std::pair<std::string, double>> values;  // counts and energies, by name
};

Totals Summarize(const JedecController& c, const JedecParams& p, std::uint64_t end) {
  const JedecStats& s = c.stats();
  const JedecEnergy e(p);
  const JedecStateTimes t = c.StateTimes(end);
  const double background =
      e.precharge_standby * (t.standby_ns - t.active_ns) + e.active_standby * t.active_ns +
      e.precharge_powerdown * t.precharge_powerdown_ns + e.active_powerdown * t.active_powerdown_ns;
  const auto d = [](std::int64_t n) { return static_cast<double>(n); };
  const double act = d(s.act) * e.act_pj, rd = d(s.rd) * e.read_pj, wr = d(s.wr) * e.write_pj;
  const double ref = d(s.ref) * e.refresh_pj;
  const double io = (s.bytes_read + s.bytes_written) * 8 * e.io_pj_per_bit;
  Totals o;
  o.end_ps = static_cast<double>(end);
  o.values = {{"ACT", d(s.act)},   {"PRE", d(s.pre)},
              {"RD", d(s.rd)},     {"WR", d(s.wr)},
              {"REF", d(s.ref)},   {"ACT pJ", act},
              {"read pJ", rd},     {"write pJ", wr},
              {"refresh pJ", ref}, {"background pJ", background},
              {"I/O pJ", io},      {"total pJ", act + rd + wr + ref + background + io}};
  return o;
}

// `one_at_a_time`: each request run to completion before the next is submitted (the adapter);
// else every request queued, then all scheduled.
Totals Drive(const JedecParams& p, const std::vector<JedecRequest>& requests, bool one_at_a_time) {
  JedecController c(p);
  std::uint64_t end = 0;
  if (one_at_a_time) {
    for (const JedecRequest& r : requests) end = std::max(end, c.RunUntil(c.Submit(r)).done_ps);
  } else {
    for (const JedecRequest& r : requests) c.Submit(r);
    end = c.RunAll();
  }
  c.RefreshUntil(end);
  return Summarize(c, p, end);
}

// Transactions of `bytes` at scattered aligned addresses (the refresh test's pattern: a stride
// that is no power of two, so runs start at every column), every fifth a write, arriving twice as
// fast as the channel moves them (a backlog, so that the time to the last data sums every
// request's service), once after an idle gap (refresh and power-down meanwhile); about 1.5 MiB.
std::vector<JedecRequest> Transactions(const JedecParams& p, std::uint64_t bytes) {
  const auto step_ps =
      static_cast<std::uint64_t>(static_cast<double>(bytes) / p.PeakBytesPerNs() * 1000.0 * 0.5);
  const std::uint64_t count = std::max<std::uint64_t>(24, (std::uint64_t{3} << 19) / bytes);
  const std::uint64_t span = std::min<std::uint64_t>(p.CapacityBytes() / bytes, 1000);
  std::vector<JedecRequest> out;
  std::uint64_t arrival = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    out.push_back({(i * 7919 % span) * bytes, bytes, i % 5 == 4, arrival});
    arrival += i == count / 3 ? 3'000'000 : step_ps;
  }
  return out;
}

struct Organisation {
  std::string preset;
  Sets sets;
};

// The organisations of one preset: its own, rows of half and twice its columns, other bank-group
// and bank counts, two other field orders; each with all-bank refresh and, where the device has
// it, per-bank refresh.
std::vector<Organisation> Organisations(const std::string& preset) {
  const JedecParams base = test::JedecPreset(preset);
  const auto str = [](std::int64_t v) { return std::to_string(v); };
  const std::vector<Sets> shapes = {
      {},
      {{"columns", str(base.columns * 2)}},
      {{"columns", str(base.columns / 2)}},
      {{"bank_groups", str(base.bank_groups == 1 ? 2 : base.bank_groups * 2)}},
      {{"bank_groups", str(std::max<std::int64_t>(base.bank_groups / 2, 1))},
       {"banks_per_group", str(base.banks_per_group * 2)}},
      {{"address_mapping", "rorabacobg"}},
      {{"address_mapping", "robabgraco"}},
  };
  std::vector<Organisation> out;
  for (const Sets& shape : shapes) {
    out.push_back({preset, shape});
    if (base.tRFCpb > 0) {
      Sets per_bank = shape;
      per_bank.emplace_back("refresh_mode", "per_bank");
      out.push_back({preset, per_bank});
    }
  }
  return out;
}

void ExpectWithinTwoPercent(const Totals& fast, const Totals& exact, const std::string& what) {
  EXPECT_NEAR(fast.end_ps, exact.end_ps, 0.02 * exact.end_ps) << what << ": time to last data";
  for (size_t i = 0; i < exact.values.size(); ++i) {
    const auto& [name, e] = exact.values[i];
    const double f = fast.values[i].second;
    // A count of a few (refreshes of a short run) may differ by one.
    const double slack = name.find("pJ") == std::string::npos ? 1.0 : 0.0;
    EXPECT_NEAR(f, e, 0.02 * e + slack) << what << ": " << name;
  }
}

// The scheduler's row runs place what burst-by-burst decisions place.
void ExpectEqual(const Totals& fast, const Totals& exact, const std::string& what) {
  EXPECT_EQ(fast.end_ps, exact.end_ps) << what << ": time to last data";
  for (size_t i = 0; i < exact.values.size(); ++i) {
    EXPECT_EQ(fast.values[i].second, exact.values[i].second)
        << what << ": " << exact.values[i].first;
  }
}

TEST(JedecOrganisationSweep, FastPathsAreWithinTwoPercentOfExactMode) {
  const std::vector<std::string> presets = {
      "ddr4-3200-x8", "ddr5-4800", "lpddr4-3200", "lpddr5-6400", "hbm2", "hbm2e", "hbm3"};
  for (const std::string& preset : presets) {
    for (const Organisation& o : Organisations(preset)) {
      std::string name = o.preset;
      for (const auto& [k, v] : o.sets) name += " " + k + "=" + v;
      const JedecParams fast = test::JedecPreset(o.preset, o.sets);
      JedecParams exact = fast;
      exact.exact = true;
      // One at a time: transactions of several row runs (the stream, rotations, a request
      // served alone); all queued: the scheduler's row runs among many small requests.
      for (const auto& [bytes, alone] :
           {std::pair{std::uint64_t{2112}, true}, std::pair{std::uint64_t{27648}, true},
            std::pair{std::uint64_t{64}, false}, std::pair{std::uint64_t{2112}, false}}) {
        const std::vector<JedecRequest> requests = Transactions(fast, bytes);
        const std::string what =
            name + ", " + std::to_string(bytes) + " B, " + (alone ? "one at a time" : "all queued");
        const Totals f = Drive(fast, requests, alone), e = Drive(exact, requests, alone);
        ExpectWithinTwoPercent(f, e, what);
        if (!alone) ExpectEqual(f, e, what);
      }
    }
  }
}

}  // namespace
}  // namespace pjsim
