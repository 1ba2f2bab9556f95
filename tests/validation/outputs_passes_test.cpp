// Per-pass results (passes.csv) and whole-cycle layer timings (layers.csv) from the simulation's
// pass boundaries: each pass's counts add up to the ledger's, action by action, with power gating
// (charged as domains change state, closed at the run's end) and with the JEDEC DRAM model; whole
// cycles add up to the run's.
#include <gtest/gtest.h>

#include <fstream>

#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

// An attention block and a small MoE FFN decoding `tokens` tokens.
std::string DecodeWorkload(const std::string& name, int tokens) {
  const std::string attention =
      "sequences: 2, heads: 4, kv_heads: 4, head_dim: 32, q_len: 1, kv_len: 100, dtype: int8";
  const std::string experts = "experts: {count: 4, top_k: 2}";
  return test::WriteWorkloadYaml(
      name, "name: " + name + "\nphase: decode\ndecode_tokens: " + std::to_string(tokens) +
                "\ntokens_per_pass: 2\nrouting: {source: uniform, seed: 3}\nlayers:\n"
                "  - {name: q, op: linear, m: 2, k: 128, n: 128, dtype: int8, inputs: []}\n"
                "  - {name: k, op: linear, m: 2, k: 128, n: 128, dtype: int8, inputs: []}\n"
                "  - {name: v, op: linear, m: 2, k: 128, n: 128, dtype: int8, inputs: []}\n"
                "  - {name: scores, op: attention_scores, " +
                attention +
                ", inputs: [q, k]}\n"
                "  - {name: softmax, op: softmax, m: 8, n: 100, dtype: int8, inputs: [scores]}\n"
                "  - {name: context, op: attention_context, " +
                attention +
                ", inputs: [softmax, v]}\n"
                "  - {name: o, op: linear, m: 2, k: 128, n: 128, dtype: int8, inputs: [context]}\n"
                "  - {name: gate, op: linear, m: 4, k: 128, n: 256, dtype: int8, inputs: [], " +
                experts +
                "}\n"
                "  - {name: down, op: linear, m: 4, k: 256, n: 128, dtype: int8, inputs: [gate], " +
                experts + "}\n");
}

void ExpectPassesAddUp(const test::SimRun& run, int tokens) {
  const SimulationResult& r = run.result;
  ASSERT_EQ(r.passes.size(), static_cast<size_t>(tokens));
  EXPECT_EQ(r.passes.back().end_ps, r.total_ps);
  std::int64_t cycles = 0;
  std::uint64_t start = 0;
  for (const PassResult& p : r.passes) {
    EXPECT_GT(p.end_ps, start);
    cycles += WholeCycles(p.end_ps, r.clock_period_ps) - WholeCycles(start, r.clock_period_ps);
    start = p.end_ps;
  }
  EXPECT_EQ(cycles, r.cycles());
  double energy = 0;
  for (size_t a = 0; a < r.ledger.actions().size(); ++a) {
    double sum = 0;
    for (const PassResult& p : r.passes) {
      EXPECT_GE(p.counts[a], -1e-9 * r.ledger.TotalCount(static_cast<ActionId>(a)));
      sum += p.counts[a];
    }
    const double total = r.ledger.TotalCount(static_cast<ActionId>(a));
    EXPECT_NEAR(sum, total, 1e-9 * std::abs(total))
        << r.ledger.actions()[a].category << "/" << r.ledger.actions()[a].name;
    energy += sum * r.ledger.actions()[a].pj_per_unit;
  }
  EXPECT_NEAR(energy, r.ledger.TotalEnergyPj(), 1e-9 * r.ledger.TotalEnergyPj());
  // One layer at a time (spread mapping): the layers' whole cycles add up to the run's.
  std::int64_t layer_cycles = 0;
  for (const LayerResult& l : r.layers) layer_cycles += l.cycles;
  EXPECT_EQ(layer_cycles, r.cycles());
  EXPECT_EQ(r.layers.front().start_cycle, 0);
}

TEST(OutputsPasses, CountsOfEveryPassAddUpToTheLedger) {
  const int tokens = 6;
  ExpectPassesAddUp(
      test::SimulateYaml(test::ArchFile("default.yaml"), DecodeWorkload("passes_simple", tokens)),
      tokens);
}

TEST(OutputsPasses, AddUpWithPowerGatingAndJedecDram) {
  const int tokens = 4;
  const test::SimRun run = test::SimulateYaml(
      test::ArchFile("default-jedec-packet.yaml"), DecodeWorkload("passes_gated", tokens),
      {"arch.power_gating.policy=timeout", "arch.power_gating.timeout=50",
       "arch.power_gating.gated_state=retention"});
  ASSERT_FALSE(run.result.power_domains.empty());
  ExpectPassesAddUp(run, tokens);
  // The domains' leakage is charged per pass as they change state, not all at the end.
  for (size_t a = 0; a < run.result.ledger.actions().size(); ++a) {
    if (run.result.ledger.actions()[a].category.rfind("leakage.", 0) != 0) continue;
    if (run.result.ledger.TotalCount(static_cast<ActionId>(a)) == 0) continue;
    EXPECT_GT(run.result.passes.front().counts[a], 0) << run.result.ledger.actions()[a].name;
  }
}

// A single pass (prefill) has one pass holding everything.
TEST(OutputsPasses, OnePassRunHasOnePassWithTheTotals) {
  const test::SimRun run = test::SimulateYaml(
      test::ArchFile("default.yaml"), test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml");
  ASSERT_EQ(run.result.passes.size(), 1u);
  ExpectPassesAddUp(run, 1);
}

}  // namespace
}  // namespace pjsim
