// MoE routing and tile power gating in the simulation: leakage conservation with gating off,
// the oracle bound, exact wake-ups from a hand-built routing trace, top-k conservation with
// capacity dropping, and determinism.
#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

#include "sim/run/run_report.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::SimRun;

SimRun RunSim(const std::string& workload_path, std::vector<std::string> overrides = {}) {
  return test::SimulateYaml(test::ArchFile("default.yaml"), workload_path, std::move(overrides));
}

double EnergyIn(const SimulationResult& r, const std::string& prefix) {
  double pj = 0;
  for (const auto& [category, e] : r.ledger.EnergyByCategory()) {
    if (category.rfind(prefix, 0) == 0) pj += e;
  }
  return pj;
}

// A small MoE block (router, experts, combine) that decodes `passes` tokens for `batch` sequences.
std::string MoeWorkload(const std::string& name, std::int64_t batch, std::int64_t passes,
                        const std::string& routing, const std::string& capacity = "") {
  const std::string dir = test::FreshDir("moe_" + name);
  const std::string path = dir + "/w.yaml";
  const std::string slots = std::to_string(batch * 2);
  const std::string experts = "experts: {count: 8, top_k: 2" + capacity + "}";
  std::ofstream(path) << "name: " << name << "\nphase: decode\ndecode_tokens: " << passes
                      << "\ntokens_per_pass: " << batch << "\nrouting: " << routing << "\nlayers:\n"
                      << "  - {name: router, op: linear, m: " << batch
                      << ", k: 512, n: 8, dtype: int8}\n"
                      << "  - {name: gate, op: linear, m: " << slots
                      << ", k: 512, n: 1024, dtype: int8, inputs: [], " << experts << "}\n"
                      << "  - {name: up, op: linear, m: " << slots
                      << ", k: 512, n: 1024, dtype: int8, inputs: [], " << experts << "}\n"
                      << "  - {name: act, op: elementwise, function: silu_mul, m: " << slots
                      << ", n: 1024, dtype: int8, inputs: [gate, up], " << experts << "}\n"
                      << "  - {name: down, op: linear, m: " << slots
                      << ", k: 1024, n: 512, dtype: int8, inputs: [act], " << experts << "}\n"
                      << "  - {name: combine, op: elementwise, function: add, m: " << batch
                      << ", n: 512, dtype: int8, inputs: []}\n";
  return path;
}

TEST(TilePowerGating, NeverGatingChargesExactlyLeakagePowerTimesRunTime) {
  const std::string w = test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml";
  const SimRun flat = RunSim(w);
  const SimRun never = RunSim(w, {"arch.power_gating.policy=never"});
  const SimulationResult& r = never.result;
  ASSERT_EQ(r.power_domains.size(), 2u);
  const double cycles = static_cast<double>(r.total_ps) / static_cast<double>(r.clock_period_ps);
  double expected_pj = 0;
  for (const PowerDomainResult& d : r.power_domains) {
    for (const DomainTimeline& t : d.tiles) {
      EXPECT_NEAR(t.cycles_in[0] + t.cycles_in[1], cycles, 1e-6) << d.domain;
      EXPECT_EQ(t.wakeups, 0);
    }
    expected_pj +=
        d.leakage_mw * 1e-3 * static_cast<double>(d.tiles.size()) * never.result.seconds() * 1e12;
  }
  EXPECT_NEAR(EnergyIn(r, "leakage.on") + EnergyIn(r, "leakage.idle"), expected_pj,
              expected_pj * 1e-9);
  // The same run without the power-domain model: identical time, identical total energy.
  EXPECT_EQ(flat.result.total_ps, r.total_ps);
  EXPECT_NEAR(flat.result.ledger.TotalEnergyPj(), r.ledger.TotalEnergyPj(),
              r.ledger.TotalEnergyPj() * 1e-9);
}

TEST(TilePowerGating, OracleNeverCostsMoreThanNeverGatingAndNeverStalls) {
  const std::string w = MoeWorkload("oracle", 1, 6, "{source: zipf, zipf_exponent: 1.2, seed: 3}");
  const SimRun never = RunSim(w, {"arch.power_gating.policy=never"});
  const SimRun oracle = RunSim(w, {"arch.power_gating.policy=oracle"});
  EXPECT_LE(oracle.result.ledger.TotalEnergyPj(), never.result.ledger.TotalEnergyPj());
  EXPECT_LT(EnergyIn(oracle.result, "leakage."), EnergyIn(never.result, "leakage."));
  EXPECT_EQ(oracle.result.total_ps, never.result.total_ps);  // wake-ups hidden in the gaps
  for (const PowerDomainResult& d : oracle.result.power_domains) {
    for (const DomainTimeline& t : d.tiles) EXPECT_EQ(t.stall_cycles, 0);
  }
  // Break-even from the architecture: wake energy = 14 leakage cycles; retention keeps 20%.
  EXPECT_DOUBLE_EQ(oracle.result.power_domains[0].break_even_cycles, 14.0);
  EXPECT_DOUBLE_EQ(oracle.result.power_domains[1].break_even_cycles, 14.0 / 0.8);
}

TEST(TilePowerGating, HandBuiltTraceGivesExactWakeupsStallsAndWakeEnergy) {
  // One token per pass, top-1 of 16 experts on 16 tiles (one each): expert 3, 5, 3, 3.
  // Gating immediately, expert 5's tile sleeps from cycle 0 and wakes in pass 1; expert 3's
  // sleeps through pass 1 and wakes in pass 2; pass 3 follows pass 2 with no gap. Every other
  // tile sleeps throughout. (With two tiles per expert, the one that finishes first would also
  // sleep, and wake, between passes 2 and 3.)
  const std::string dir = test::FreshDir("moe_trace");
  std::ofstream(dir + "/routing.txt") << "# block token experts\n0 0 3\n0 1 5\n0 2 3\n0 3 3\n";
  std::ofstream(dir + "/w.yaml")
      << "name: trace\nphase: decode\ndecode_tokens: 4\ntokens_per_pass: 1\n"
      << "routing: {source: trace, trace: routing.txt}\nlayers:\n"
      << "  - {name: up, op: linear, m: 1, k: 256, n: 1024, dtype: int8, experts: {count: 16, "
         "top_k: 1}}\n";
  const SimRun never = RunSim(dir + "/w.yaml", {"arch.power_gating.policy=never"});
  const SimRun gated = RunSim(
      dir + "/w.yaml", {"arch.power_gating.policy=immediate", "arch.power_gating.wake_latency=10"});
  for (const PowerDomainResult& d : gated.result.power_domains) {
    std::vector<std::int64_t> wakeups;
    for (const DomainTimeline& t : d.tiles) wakeups.push_back(t.wakeups);
    const std::vector<std::int64_t> expected = {0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(wakeups, expected) << d.domain;
    double stall = 0;
    for (const DomainTimeline& t : d.tiles) stall += t.stall_cycles;
    EXPECT_DOUBLE_EQ(stall, 2 * 10.0) << d.domain;
  }
  // Passes 1 and 2 each start 10 cycles late; nothing else changes.
  EXPECT_EQ(gated.result.total_ps - never.result.total_ps, 2 * 10 * gated.result.clock_period_ps);
  double wake_pj = 0;
  for (const PowerDomainResult& d : gated.result.power_domains) {
    wake_pj += 2 * 14 * d.leakage_mw * 1e-3 / gated.config.arch.clock_hz * 1e12;
  }
  EXPECT_NEAR(EnergyIn(gated.result, "gating.wakeup"), wake_pj, wake_pj * 1e-12);
}

TEST(TilePowerGating, OffLosesResidentWeightsAndTheReloadIsRealDramTraffic) {
  // Decode of two small dense layers whose weights stay resident in SRAM after the first pass.
  const std::string dir = test::FreshDir("gating_off");
  std::ofstream(dir + "/w.yaml")
      << "name: off\nphase: decode\ndecode_tokens: 4\ntokens_per_pass: 1\nlayers:\n"
      << "  - {name: a, op: linear, m: 1, k: 512, n: 512, dtype: int8, inputs: []}\n"
      << "  - {name: b, op: linear, m: 1, k: 512, n: 512, dtype: int8}\n";
  const auto read_bytes = [](const SimulationResult& r) {
    double bytes = 0;
    for (const auto& c : r.channels) bytes += c.bytes_read;
    return bytes;
  };
  const SimRun retention = RunSim(dir + "/w.yaml", {"arch.power_gating.policy=immediate"});
  const SimRun off = RunSim(
      dir + "/w.yaml", {"arch.power_gating.policy=immediate", "arch.power_gating.gated_state=off"});
  EXPECT_EQ(retention.result.gating_reload_bytes, 0);
  EXPECT_GT(off.result.gating_reload_bytes, 0);
  // Everything else the tiles read is planned identically; the reload comes on top, from DRAM.
  EXPECT_DOUBLE_EQ(read_bytes(off.result) - read_bytes(retention.result),
                   off.result.gating_reload_bytes);
  EXPECT_GT(off.result.total_ps, retention.result.total_ps);  // and it takes time
  EXPECT_EQ(off.result.power_domains[1].gated_state, "off");
}

TEST(MoeRouting, TopKSlotsAreConservedAndCapacityDropsTheExcess) {
  const std::int64_t batch = 16, passes = 3;
  for (const std::string& capacity : {std::string(""), std::string(", capacity_factor: 1.0")}) {
    const std::string w = MoeWorkload("topk" + std::to_string(capacity.size()), batch, passes,
                                      "{source: zipf, zipf_exponent: 1.5, seed: 7}", capacity);
    const SimRun r = RunSim(w);
    const auto& layers = r.config.workload.graph->layers();
    for (size_t l = 0; l < layers.size(); ++l) {
      if (!layers[l].expert.enabled()) continue;
      const LayerResult& lr = r.result.layers[l];
      const double invocations = std::accumulate(lr.expert_rows.begin(), lr.expert_rows.end(), 0.0);
      EXPECT_DOUBLE_EQ(invocations + lr.expert_dropped, static_cast<double>(batch * 2 * passes))
          << layers[l].name;
      if (capacity.empty()) {
        EXPECT_EQ(lr.expert_dropped, 0);
      } else {
        EXPECT_GT(lr.expert_dropped, 0) << "a Zipf-skewed router overflows capacity 1.0";
        // No expert ran more than its capacity in any pass: ceil(1.0 x 16 x 2 / 8) = 4.
        for (double rows : lr.expert_rows) EXPECT_LE(rows, 4.0 * passes);
      }
      if (layers[l].kind == OpKind::kLinear) {
        EXPECT_DOUBLE_EQ(lr.macs, invocations * static_cast<double>(layers[l].k * layers[l].n))
            << layers[l].name;
      }
    }
  }
}

TEST(MoePlacement, TilesPerExpertLeavesTheRestOfTheMeshIdle) {
  // 8 experts, one tile each, on the 16-tile mesh: tiles 8..15 never run an expert task.
  const std::string w = MoeWorkload("placement", 16, 2, "{source: uniform, seed: 5}");
  const SimRun r = RunSim(w, {"arch.mapping.tiles_per_expert=1"});
  const auto& layers = r.config.workload.graph->layers();
  // Every other layer spreads over all tiles, so look at an expert op.
  ASSERT_EQ(layers[2].name, "up");
  EXPECT_EQ(r.result.layers[2].tiling.tiles_used, 8);
  const SimRun spread = RunSim(w);
  // 2 tiles per expert by default; an expert's mapping may leave one idle when its share of the
  // DRAM bandwidth, not its tiles, bounds it.
  EXPECT_GE(spread.result.layers[2].tiling.tiles_used, 8);
  EXPECT_LE(spread.result.layers[2].tiling.tiles_used, 16);
}

TEST(MoePlacement, ReplicatingTheHotExpertSplitsItsTokensAndReadsItsWeightsTwice) {
  const std::int64_t passes = 3;
  const std::string w =
      MoeWorkload("replica", 16, passes, "{source: zipf, zipf_exponent: 2.0, seed: 9}");
  const SimRun base = RunSim(w);
  const SimRun replicated = RunSim(w, {"arch.mapping.replicate_hot_experts=1"});
  const auto& layers = base.config.workload.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    if (!layers[l].expert.enabled()) continue;
    const LayerResult& a = base.result.layers[l];
    const LayerResult& b = replicated.result.layers[l];
    EXPECT_EQ(a.expert_rows, b.expert_rows) << layers[l].name;  // same routing, same work
    EXPECT_DOUBLE_EQ(a.macs, b.macs) << layers[l].name;
    if (layers[l].kind == OpKind::kLinear) {
      // The replica reads the hot expert's weights again, every pass.
      EXPECT_GE(b.operand_b_bytes - a.operand_b_bytes,
                static_cast<double>(passes * layers[l].k * layers[l].n))
          << layers[l].name;
    }
  }
}

TEST(MoeRouting, SameSeedSameReportAnotherSeedAnotherRouting) {
  const std::string w =
      MoeWorkload("seed", 8, 3, "{source: dirichlet, dirichlet_alpha: 0.3, seed: 11}");
  const std::vector<std::string> gating = {"arch.power_gating.policy=timeout",
                                           "arch.power_gating.timeout=50"};
  const SimRun a = RunSim(w, gating), b = RunSim(w, gating);
  EXPECT_EQ(ReportJson(a.config, "{}", a.result), ReportJson(b.config, "{}", b.result));
  auto reseeded = gating;
  reseeded.push_back("workload.routing.seed=12");
  const SimRun c = RunSim(w, reseeded);
  EXPECT_NE(a.result.layers[1].expert_rows, c.result.layers[1].expert_rows);
}

}  // namespace
}  // namespace pjsim
