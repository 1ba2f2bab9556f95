// The trace's power counters: parsed from the trace JSON, each power domain's mW counter
// integrates to the energy the run's ledger charges that domain (report.json's counts), with and
// without power gating and over decode passes; filters keep only the chosen layers' charges.
#include "models/power_trace.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "sim/report/trace_recorder.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

struct PowerRun {
  test::SimRun run;
  std::map<std::string, double> integral_pj;  // per domain track
  std::uint64_t power_samples = 0;
};

PowerRun TracePower(const std::string& workload, std::vector<std::string> overrides,
                    TraceOptions options = {}) {
  options.counter_interval_ps = 10000000;  // 10 us: a small trace
  std::ostringstream out;
  const RunConfig config = test::LoadYaml(test::ArchFile("default.yaml"), workload, overrides);
  std::vector<std::string> names;
  for (const Layer& l : config.workload.graph->layers()) names.push_back(l.name);
  TraceRecorder trace(out, names, config.workload.Passes(), options);
  PowerRun r{
      test::SimulateYaml(test::ArchFile("default.yaml"), workload, overrides, "", &trace), {}, 0};
  trace.Finish();
  const YAML::Node json = YAML::Load(out.str());
  std::map<std::string, std::vector<std::pair<double, double>>> samples;  // (us, mW)
  for (const auto& e : json["traceEvents"]) {
    if (e["ph"].as<std::string>() != "C" || e["pid"].as<int>() != 4) continue;
    const std::string name = e["name"].as<std::string>();  // "DRAM mW"
    EXPECT_EQ(name.substr(name.size() - 3), " mW");
    samples[name.substr(0, name.size() - 3)].emplace_back(e["ts"].as<double>(),
                                                          e["args"]["mW"].as<double>());
    ++r.power_samples;
  }
  for (auto& [domain, s] : samples) {
    std::sort(s.begin(), s.end());
    EXPECT_EQ(s.back().second, 0) << domain;  // every counter ends at 0
    double mw_us = 0;
    for (size_t i = 0; i + 1 < s.size(); ++i) mw_us += s[i].second * (s[i + 1].first - s[i].first);
    r.integral_pj[domain] = mw_us * 1e3;  // mW x us = nJ
  }
  return r;
}

// Energy per domain as report.json counts it, with the domains spelled out by category here.
std::map<std::string, double> ReportedPj(const EnergyLedger& ledger,
                                         const std::vector<int>& layers = {}) {
  std::map<std::string, double> pj;
  for (size_t a = 0; a < ledger.actions().size(); ++a) {
    const Action& action = ledger.actions()[a];
    const std::string first = action.category.substr(0, action.category.find('.'));
    std::string domain = first == "compute" ? "tiles"
                         : first == "sram"  ? "SRAM"
                         : first == "dram"  ? "DRAM"
                                            : "NoC";
    if (first == "leakage" || first == "gating") {
      const std::string what = action.category == "leakage.tile" || action.name == "tile_logic"
                                   ? "tile"
                                   : action.category.substr(action.category.find('.') + 1);
      domain = what == "tile"   ? "tiles"
               : what == "dram" ? "DRAM"
               : what == "noc"  ? "NoC"
                                : "SRAM";  // leakage.sram, or a state/gating of the sram domain
    }
    for (int l = 0; l < ledger.layer_count(); ++l) {
      if (layers.empty() || std::count(layers.begin(), layers.end(), l))
        pj[domain] += ledger.EnergyPj(l, static_cast<ActionId>(a));
    }
  }
  return pj;
}

void ExpectIntegralsMatch(const std::map<std::string, double>& got,
                          const std::map<std::string, double>& expected) {
  double total = 0;
  for (const auto& [domain, pj] : expected) {
    total += pj;
    if (pj == 0) continue;
    ASSERT_TRUE(got.count(domain)) << domain;
    // Six significant digits per sample.
    EXPECT_NEAR(got.at(domain), pj, 1e-5 * pj) << domain;
  }
  double sum = 0;
  for (const auto& [domain, pj] : got) sum += pj;
  EXPECT_NEAR(sum, total, 1e-5 * total);
}

const std::string& Ffn() {
  static const std::string w = test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml";
  return w;
}

Action Named(const std::string& category, const std::string& name) {
  Action a;
  a.category = category;
  a.name = name;
  return a;
}

TEST(PowerTrace, DomainsByCategoryAndAction) {
  EXPECT_EQ(PowerDomainOf(Named("compute.int8_mac", "int8_mult")), "tiles");
  EXPECT_EQ(PowerDomainOf(Named("sram.write", "sram_fill")), "SRAM");
  EXPECT_EQ(PowerDomainOf(Named("dram.read", "hbm2_read")), "DRAM");
  EXPECT_EQ(PowerDomainOf(Named("noc.link", "link_traversal")), "NoC");
  EXPECT_EQ(PowerDomainOf(Named("leakage.tile", "mac_pe")), "tiles");
  EXPECT_EQ(PowerDomainOf(Named("leakage.noc", "router")), "NoC");
  EXPECT_EQ(PowerDomainOf(Named("leakage.retention", "sram")), "SRAM");
  EXPECT_EQ(PowerDomainOf(Named("leakage.off", "tile_logic")), "tiles");
  EXPECT_EQ(PowerDomainOf(Named("gating.wakeup", "sram")), "SRAM");
  EXPECT_EQ(PowerDomainOf(Named("optics.laser", "ring")), "optics");
}

TEST(PowerTrace, CountersIntegrateToEachDomainsEnergy) {
  const PowerRun r = TracePower(Ffn(), {});
  EXPECT_EQ(r.integral_pj.size(), 4u);
  EXPECT_GT(r.power_samples, 8u);
  ExpectIntegralsMatch(r.integral_pj, ReportedPj(r.run.result.ledger));
  EXPECT_NEAR(r.integral_pj.at("DRAM") + r.integral_pj.at("NoC") + r.integral_pj.at("SRAM") +
                  r.integral_pj.at("tiles"),
              r.run.result.ledger.TotalEnergyPj(), 1e-5 * r.run.result.ledger.TotalEnergyPj());
}

TEST(PowerTrace, CountersIntegrateWithPowerGating) {
  const PowerRun r =
      TracePower(Ffn(), {"arch.power_gating.policy=timeout", "arch.power_gating.timeout=64",
                         "arch.power_gating.gated_state=off"});
  const auto expected = ReportedPj(r.run.result.ledger);
  ASSERT_GT(r.run.result.ledger.EnergyByCategory().count("leakage.on"), 0u);
  ExpectIntegralsMatch(r.integral_pj, expected);
}

TEST(PowerTrace, CountersIntegrateOverDecodePasses) {
  const std::string w = test::WriteWorkloadYaml("power_trace_decode", R"(
name: decode
phase: decode
decode_tokens: 6
tokens_per_pass: 1
layers:
  - {name: q, op: linear, m: 1, k: 512, n: 512, dtype: int8, inputs: []}
  - {name: up, op: linear, m: 1, k: 512, n: 1024, dtype: int8, inputs: [q]}
)");
  const PowerRun r = TracePower(w, {});
  ASSERT_EQ(r.run.result.passes.size(), 6u);
  ExpectIntegralsMatch(r.integral_pj, ReportedPj(r.run.result.ledger));
}

TEST(PowerTrace, LayerFilterKeepsOnlyItsLayersCharges) {
  TraceOptions o;
  o.layer_glob = "down";
  const PowerRun r = TracePower(Ffn(), {}, o);
  const EnergyLedger& ledger = r.run.result.ledger;
  int down = -1;
  for (int l = 0; l < ledger.layer_count(); ++l) {
    if (ledger.layer_names()[static_cast<size_t>(l)] == "down") down = l;
  }
  ASSERT_GE(down, 0);
  // The leakage (charged to layers by their share of the run) is left out under a filter.
  std::map<std::string, double> expected = ReportedPj(ledger, {down});
  double leakage = 0;
  for (size_t a = 0; a < ledger.actions().size(); ++a) {
    const Action& action = ledger.actions()[a];
    if (action.category.rfind("leakage.", 0) == 0) {
      const double pj = ledger.EnergyPj(down, static_cast<ActionId>(a));
      expected[PowerDomainOf(action)] -= pj;
      leakage += pj;
    }
  }
  ASSERT_GT(leakage, 0);
  ExpectIntegralsMatch(r.integral_pj, expected);
}

}  // namespace
}  // namespace pjsim
