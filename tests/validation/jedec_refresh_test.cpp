// Per-bank refresh (`refresh_mode: per_bank`: LPDDR4/5 REFpb, DDR5 REFsb, HBM single-bank
// refresh) against what the presets' timings and currents predict, and against all-bank refresh.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "config_error_text.h"
#include "jedec_preset.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "models/memory/jedec_power.h"
#include "sim/config/yaml_reader.h"
#include "test_paths.h"

namespace pjsim {
namespace {

JedecParams PerBank(const std::string& name,
                    std::vector<std::pair<std::string, std::string>> sets = {}) {
  sets.emplace_back("refresh_mode", "per_bank");
  return test::JedecPreset(name, sets);
}

JedecBenchResult Stream(const JedecParams& p, std::int64_t requests = 40000) {
  JedecBenchOptions o;
  o.pattern = "seq-read";
  o.requests = requests;
  o.request_bytes = 256;
  return RunJedecBench(p, o);
}

// The presets with per-bank refresh; the stream of each spreads over the banks (bank bits right
// above the column, or the row run of one bank spans the whole data bus).
const std::vector<std::string>& PerBankPresets() {
  static const std::vector<std::string> kPresets = {"lpddr4-3200", "lpddr5-6400", "ddr5-4800",
                                                    "hbm2",        "hbm2e",       "hbm3"};
  return kPresets;
}

TEST(JedecRefresh, DefaultIsAllBankAndPerBankCoversEveryBankOncePerTrefi) {
  for (const std::string& name : PerBankPresets()) {
    EXPECT_FALSE(test::JedecPreset(name).per_bank_refresh) << name;
    const JedecParams p = PerBank(name);
    EXPECT_TRUE(p.per_bank_refresh);
    // tREFI / tREFIpb commands per window, each refreshing Banks() / sets banks.
    const std::int64_t sets = p.RefreshSets();
    EXPECT_EQ(p.Banks() % sets, 0) << name;
    EXPECT_NEAR(static_cast<double>(sets * p.tREFIpb), static_cast<double>(p.tREFI),
                0.5 * static_cast<double>(p.tREFIpb))
        << name;
    EXPECT_LT(p.tRFCpb, p.tRFC) << name;
  }
}

TEST(JedecRefresh, PerBankNeedsADeviceThatHasIt) {
  const std::string e = test::ErrorOf([] { PerBank("ddr4-3200-x8"); });
  EXPECT_NE(e.find("refresh_mode"), std::string::npos) << e;
  EXPECT_NE(e.find("tRFCpb"), std::string::npos) << e;
  const std::string uneven = test::ErrorOf([] { PerBank("lpddr4-3200", {{"tREFIpb", "2082"}}); });
  EXPECT_NE(uneven.find("must divide the 8 banks"), std::string::npos) << uneven;
}

// While one bank refreshes the others keep the data bus busy: a stream over the banks loses
// much less than the tRFC / tREFI an all-bank refresh takes from it.
TEST(JedecRefresh, PerBankLosesLessBandwidthThanAllBankOnAStreamOverTheBanks) {
  for (const std::string& name : PerBankPresets()) {
    const JedecParams all = test::JedecPreset(name);
    const JedecParams per = PerBank(name);
    const JedecBenchResult a = Stream(all);
    const JedecBenchResult b = Stream(per);
    const JedecBenchResult none = Stream(test::JedecPreset(name, {{"refresh", "false"}}));
    const double lost_all = 1 - a.bandwidth_GBps / none.bandwidth_GBps;
    const double lost_per = 1 - b.bandwidth_GBps / none.bandwidth_GBps;
    // All-bank refresh blocks the channel about tRFC of every tREFI.
    const double trfc_share = static_cast<double>(all.tRFC) / static_cast<double>(all.tREFI);
    EXPECT_GT(lost_all, 0.5 * trfc_share) << name;
    EXPECT_LT(lost_per, 0.5 * lost_all)
        << name << " all-bank " << lost_all << " per-bank " << lost_per;
    EXPECT_GT(b.bandwidth_GBps, a.bandwidth_GBps) << name;
    EXPECT_EQ(a.rd, b.rd) << name;
  }
}

// Refresh energy per tREFI window: all-bank one REF of (IDD5B - IDD3N) tRFC, per-bank `sets`
// REFpb of (IDD5PB - IDD3N) tRFCpb; the runs' ratio is what the currents predict.
TEST(JedecRefresh, RefreshEnergyPerWindowIsWhatTheCurrentsPredict) {
  for (const std::string& name : PerBankPresets()) {
    const JedecParams all = test::JedecPreset(name);
    const JedecParams per = PerBank(name);
    const JedecBenchResult a = Stream(all);
    const JedecBenchResult b = Stream(per);
    const auto per_window = [](const JedecBenchResult& r, const JedecParams& p) {
      return r.refresh_pj / (r.simulated_ns / (static_cast<double>(p.tREFI) * p.tCK));
    };
    const double scale = all.VDD * static_cast<double>(all.devices_per_rank);
    const double all_pj = scale * (all.IDD5B - all.IDD3N) * static_cast<double>(all.tRFC) * all.tCK;
    const double per_pj = scale * static_cast<double>(per.RefreshSets()) *
                          (per.IDD5PB - per.IDD3N) * static_cast<double>(per.tRFCpb) * per.tCK;
    EXPECT_NEAR(per_window(a, all), all_pj, 0.03 * all_pj) << name;
    EXPECT_NEAR(per_window(b, per), per_pj, 0.03 * per_pj) << name;
    // Each REF is charged its command energy.
    EXPECT_NEAR(b.refresh_pj, static_cast<double>(b.ref) * JedecEnergy(per).refresh_pj,
                1e-6 * b.refresh_pj)
        << name;
    EXPECT_NEAR(per_window(b, per) / per_window(a, all), per_pj / all_pj, 0.04 * per_pj / all_pj)
        << name;
  }
}

// Per-bank refresh keeps the fast mode within 2% of one decision per burst.
TEST(JedecRefresh, FastModeIsWithinTwoPercentOfExactModeWithPerBankRefresh) {
  for (const std::string name : {"lpddr4-3200", "hbm2e", "ddr5-4800"}) {
    const JedecParams fast = PerBank(name);
    const JedecParams exact = PerBank(name, {{"exact", "true"}});
    for (const std::string& pattern : JedecBenchPatterns()) {
      for (const std::uint64_t bytes : {std::uint64_t{64}, std::uint64_t{4096}}) {
        JedecBenchOptions o;
        o.pattern = pattern;
        o.requests = bytes == 64 ? 20000 : 2000;
        o.request_bytes = bytes;
        o.stride = bytes * 3;
        const JedecBenchResult f = RunJedecBench(fast, o);
        const JedecBenchResult e = RunJedecBench(exact, o);
        const std::string what = name + " " + pattern + " " + std::to_string(bytes);
        EXPECT_NEAR(f.bandwidth_GBps, e.bandwidth_GBps, 0.02 * e.bandwidth_GBps) << what;
        EXPECT_NEAR(f.avg_read_latency_ns, e.avg_read_latency_ns, 0.02 * e.avg_read_latency_ns)
            << what;
        EXPECT_NEAR(f.total_pj, e.total_pj, 0.02 * e.total_pj) << what;
        EXPECT_NEAR(static_cast<double>(f.ref), static_cast<double>(e.ref),
                    0.02 * static_cast<double>(e.ref) + 1)
            << what;
      }
    }
  }
}

// As the SystemC adapter drives it (one transaction at a time, placed by the idle-controller
// stream, which hands a request to the scheduler when a refreshing bank would hold it up): within
// 2% of burst-by-burst scheduling with per-bank refresh too, on the preset and on the two
// organisations where the stream's refreshes once picked the bank it was about to reach (2 KiB
// rows: 2.6 %, eight bank groups: 2.1 %; docs/DRAM.md, "Capacity").
TEST(JedecRefresh, StreamedTransactionsMatchExactModeWithPerBankRefresh) {
  using Sets = std::vector<std::pair<std::string, std::string>>;
  for (const auto& [name, sets] : std::vector<std::pair<std::string, Sets>>{
           {"hbm2e", {}}, {"hbm2e", {{"columns", "128"}}}, {"hbm2", {{"bank_groups", "8"}}}}) {
    Sets exact_sets = sets;
    exact_sets.emplace_back("exact", "true");
    JedecController a(PerBank(name, sets)), b(PerBank(name, exact_sets));
    std::uint64_t arrival = 0, done_a = 0, done_b = 0;
    for (std::uint64_t i = 0; i < 3000; ++i) {
      const JedecRequest r{(i * 7919 % 1000) * 27648, 27648, i % 5 == 4, arrival};
      done_a = a.RunUntil(a.Submit(r)).done_ps;
      done_b = b.RunUntil(b.Submit(r)).done_ps;
      arrival += 400000;
    }
    std::string what = name;
    for (const auto& [k, v] : sets) what += " " + k + "=" + v;
    EXPECT_NEAR(static_cast<double>(done_a), static_cast<double>(done_b),
                0.02 * static_cast<double>(done_b))
        << what;
    // The refreshes follow the run's length.
    EXPECT_NEAR(static_cast<double>(a.stats().ref), static_cast<double>(b.stats().ref),
                0.02 * static_cast<double>(b.stats().ref))
        << what;
    EXPECT_EQ(a.stats().rd, b.stats().rd) << what;
    EXPECT_NEAR(static_cast<double>(a.stats().act), static_cast<double>(b.stats().act),
                0.02 * static_cast<double>(b.stats().act))
        << what;
  }
}

// The ranks refresh tREFI / ranks apart (rank k first at (k + 1) tREFI / ranks), so that one
// rank serves while another refreshes, as DRAMsim3 and DRAMSim2 stagger them; each still
// refreshes once per tREFI.
TEST(JedecRefresh, RanksRefreshTrefiOverRanksApart) {
  for (const int ranks : {2, 4}) {
    const JedecParams p = test::JedecPreset(
        "ddr4-3200-x8", {{"ranks", std::to_string(ranks)}, {"power_down", "false"}});
    ASSERT_EQ(p.tREFI % ranks, 0);
    JedecController c(p);
    const std::int64_t step = p.tREFI / ranks;
    for (int k = 1; k <= 2 * ranks; ++k) {
      c.RefreshUntil(p.ClocksToPs(k * step) + 1);  // just after the k-th is due
      EXPECT_EQ(c.stats().ref, k) << ranks << " ranks, at " << k << " x tREFI / ranks";
    }
  }
}

}  // namespace
}  // namespace pjsim
