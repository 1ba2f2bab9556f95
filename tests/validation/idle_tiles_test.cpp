// A layer whose plan gives tasks to only some tiles of its group (models/platform.cpp: the
// others are not started) runs as long as its working tiles do: it finishes with the last of
// them, never before, and the next layer starts only then.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "simulate_yaml.h"

namespace pjsim {
namespace {

// On the 8x8 mesh (64 tiles): an elementwise layer of 1 x 32 elements (one task: one working
// tile), one of 20 x 2048 (a few working tiles), then a GEMM that keeps every tile busy; one
// group of all tiles runs them one after another.
const char* const kFewTasks = R"(name: idle_tiles
layers:
  - {name: one, op: elementwise, function: relu, m: 1, n: 32, dtype: int8, inputs: []}
  - {name: few, op: elementwise, function: relu, m: 20, n: 2048, dtype: int8, inputs: []}
  - {name: all, op: linear, m: 256, k: 512, n: 512, dtype: int8, inputs: []}
)";

TEST(IdleTiles, ALayerEndsWithItsLastWorkingTile) {
  const std::string w = test::WriteWorkloadYaml("idle_tiles", kFewTasks);
  const test::SimRun run = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), w);
  const SimulationResult& r = run.result;
  ASSERT_EQ(r.layers.size(), 3u);
  const LayerResult &one = r.layers[0], &few = r.layers[1], &all = r.layers[2];
  ASSERT_EQ(one.tile_tasks, 1);
  ASSERT_GT(few.tile_tasks, 1);
  ASSERT_LT(few.tile_tasks, 64);
  // One working tile: the layer lasts at least its busy time (it waits for its loads and its
  // store as well), and it did finish (a layer left unfinished has no span).
  EXPECT_GT(one.tile_busy_ps, 0u);
  EXPECT_GE(one.span_ps, one.tile_busy_ps);
  // A few working tiles: at least the busiest one's time, so at least their average.
  EXPECT_GE(few.span_ps * static_cast<std::uint64_t>(few.tile_tasks), few.tile_busy_ps);
  // Each layer starts once the one before has finished.
  EXPECT_GE(few.start_cycle, one.start_cycle + one.cycles);
  EXPECT_GE(all.start_cycle, few.start_cycle + few.cycles);
  EXPECT_EQ(r.tile_tasks, one.tile_tasks + few.tile_tasks + all.tile_tasks);
}

TEST(IdleTiles, ALayerAloneEndsWithTheRun) {
  // Nothing runs after the layer: the run ends when its last tile does (its last store), and
  // so must the layer, to the clock edge.
  const std::string w = test::WriteWorkloadYaml(
      "idle_tiles_alone",
      "name: idle_tiles_alone\nlayers:\n  - {name: few, op: elementwise, function: relu, m: 20, "
      "n: 2048, dtype: int8, inputs: []}\n");
  const test::SimRun run = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), w);
  const SimulationResult& r = run.result;
  ASSERT_EQ(r.layers.size(), 1u);
  ASSERT_GT(r.layers[0].tile_tasks, 1);
  ASSERT_LT(r.layers[0].tile_tasks, 64);
  const auto period = static_cast<std::int64_t>(r.clock_period_ps);
  EXPECT_EQ(r.layers[0].start_cycle + r.layers[0].cycles,
            (static_cast<std::int64_t>(r.total_ps) + period - 1) / period);
  EXPECT_EQ(r.layers[0].span_ps, r.total_ps);
}

}  // namespace
}  // namespace pjsim
