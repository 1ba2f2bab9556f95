// WorkloadPlanner decides whether linear weights stay resident by planning the layers for the
// tiling SRAM until one tile's weights exceed the budget. After that it no longer plans them
// (MappingSearch::MostFittingTasks), but it still throws the same error where planning a later
// layer would throw, and it reaches the same decision.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "sim/mapping/workload_planner.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

// Layer a's 4 MiB of weights take 256 KiB on each of the default mesh's 16 tiles, over the
// 128 KiB budget (half of each 256 KiB SRAM). Layer b, with the pinned blocks and two buffers,
// needs 133,632 bytes: more than the 131,072 bytes the tiling would keep, within the whole SRAM.
std::string Workload(std::int64_t b_n) {
  return "name: residency\nphase: decode\ndecode_tokens: 4\ntokens_per_pass: 1\nlayers:\n"
         "  - {name: a, op: linear, m: 1, k: 128, n: 32768, dtype: int8, inputs: []}\n"
         "  - {name: b, op: linear, m: 1, k: 256, n: " +
         std::to_string(b_n) + ", dtype: int8, inputs: []}\n";
}

RunConfig Load(std::int64_t b_n) {
  return test::LoadYaml(
      test::ArchFile("default.yaml"),
      test::WriteWorkloadYaml("weight_residency_decision", Workload(b_n)),
      {"arch.mapping.constraints.block_k=256", "arch.mapping.constraints.block_n=256",
       "arch.mapping.constraints.buffers=2"});
}

TEST(WeightResidencyDecision, ALaterLayerThatFitsNoTilingStillThrowsOverTheBudget) {
  const RunConfig c = Load(256);
  try {
    WorkloadPlanner planner(c.arch, c.workload);
    FAIL() << "layer b fits no mapping in the tiling SRAM";
  } catch (const std::exception& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("layer 'b': no mapping fits the 131072-byte tile SRAM"), std::string::npos)
        << what;
  }
}

TEST(WeightResidencyDecision, OverTheBudgetWeightsAreNotResident) {
  // Layer b narrower (fits the tiling): no error, and a's weights decide it.
  const RunConfig c = Load(64);
  WorkloadPlanner planner(c.arch, c.workload);
  EXPECT_FALSE(planner.weights_resident());
}

}  // namespace
}  // namespace pjsim
