// The mapping search (sim/mapping/mapping_search.h) against what a mapping must achieve: decode
// layers read weights once and their input at most twice, more SRAM never slows a layer, the
// single-tile schedule matches the closed-form array formula with ample SRAM, and the cost model
// predicts the simulation.
#include "sim/mapping/mapping_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/mapping/gemm_mapping.h"
#include "sim/mapping/grid_link_loads.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

test::SimRun RunLinear(const std::string& name, const std::string& arch, std::int64_t m,
                       std::int64_t k, std::int64_t n, const std::string& fields,
                       std::vector<std::string> overrides = {}) {
  const std::string w = test::WriteWorkloadYaml(
      "mapping_search_" + name,
      "name: " + name + "\nlayers:\n  - {name: l, op: linear, m: " + std::to_string(m) +
          ", k: " + std::to_string(k) + ", n: " + std::to_string(n) + ", " + fields + "}\n");
  return test::SimulateYaml(test::ArchFile(arch), w, std::move(overrides));
}

TEST(MappingSearch, DecodeReadsWeightsOnceAndItsInputAtMostTwice) {
  // One token through a BitNet-2B-sized projection, for every weight arithmetic.
  const struct {
    const char* arch;
    const char* fields;
  } kCases[] = {{"mesh8x8-int8-hbm.yaml", "dtype: int8"},
                {"mesh4x4-ternary.yaml", "dtype: int8, arithmetic: ternary"},
                {"mesh4x4-binary.yaml", "dtype: int8, arithmetic: binary"}};
  for (const auto& c : kCases) {
    const test::SimRun r = RunLinear("decode", c.arch, 1, 2560, 6912, c.fields);
    const Layer& l = r.config.workload.graph->layers()[0];
    const auto weights = static_cast<double>(l.OperandBBytes(l.k * l.n));
    const auto input = static_cast<double>(l.ActivationBytes(l.k));
    EXPECT_DOUBLE_EQ(r.result.layers[0].operand_b_bytes, weights) << c.arch;
    EXPECT_LE(test::ChannelReadBytes(r.result) - weights, 2 * input)
        << c.arch << ": input read " << (test::ChannelReadBytes(r.result) - weights) / input
        << " times";
  }
}

TEST(MappingSearch, TheDefaultMeshRunsASquareishLayerNearPeak) {
  // 128 x 2560 x 2560 on 16 tiles: the old fixed power-of-two mapper took 414,034 cycles (20
  // blocks on 16 tiles); balanced blocks and shared operands need at least 30% less.
  const test::SimRun r = RunLinear("square", "default.yaml", 128, 2560, 2560, "dtype: int8");
  const auto cycles = static_cast<double>(r.result.cycles());
  EXPECT_LT(cycles, 0.7 * 414034);
  const double peak_cycles = 128.0 * 2560 * 2560 / (16 * 16 * 16);
  EXPECT_GT(peak_cycles / cycles, 0.85);
}

TEST(MappingSearch, MoreSramNeverMakesALayerSlower) {
  // More SRAM only adds mappings, so the best predicted time never grows; among mappings within
  // 1% of it the cheaper in energy wins, and the simulation follows the prediction within a few
  // percent. (The old fixed mapper was 12% slower with 64 MiB than with 1.5 MiB.)
  const struct {
    std::int64_t m, k, n;
  } kShapes[] = {{128, 2560, 2560}, {1, 4096, 4096}, {300, 700, 500}};
  for (const char* flow : {"output_stationary", "weight_stationary", "input_stationary"}) {
    for (const auto& s : kShapes) {
      double previous = 0, previous_predicted = 0;
      for (const char* sram : {"64 KiB", "256 KiB", "1 MiB", "4 MiB", "64 MiB"}) {
        const test::SimRun r = RunLinear(
            "sram", "default.yaml", s.m, s.k, s.n, "dtype: int8",
            {"arch.mesh.width=1", "arch.mesh.height=1", "arch.dram.channels=[{x: 0, y: 0}]",
             "arch.tile.rows=64", "arch.tile.cols=64", std::string("arch.tile.dataflow=") + flow,
             std::string("arch.tile.sram.capacity=") + sram});
        const auto cycles = static_cast<double>(r.result.cycles());
        if (previous > 0) {
          EXPECT_LE(cycles, previous * 1.03)
              << flow << " " << s.m << "x" << s.k << "x" << s.n << " at " << sram << ": "
              << r.result.layers[0].tiling.mapping;
        }
        const double predicted = r.result.layers[0].predicted_cycles;
        if (previous_predicted > 0) {
          EXPECT_LE(predicted, previous_predicted * 1.01);
        }
        previous = cycles;
        previous_predicted = predicted;
      }
    }
  }
}

// The closed-form single-pass schedule of array_timing.h for the whole GEMM.
double SinglePass(const std::string& flow, std::int64_t m, std::int64_t k, std::int64_t n,
                  std::int64_t r) {
  const auto c = [](std::int64_t a, std::int64_t b) {
    return static_cast<double>((a + b - 1) / b);
  };
  if (flow == "output_stationary") return c(m, r) * c(n, r) * static_cast<double>(2 * r + k - 2);
  if (flow == "weight_stationary") return c(k, r) * c(n, r) * static_cast<double>(3 * r + m - 2);
  return c(k, r) * c(m, r) * static_cast<double>(3 * r + n - 2);
}

TEST(MappingSearch, OneTileWithAmpleSramRunsTheSinglePassSchedule) {
  // Configured like SCALE-Sim: one 32 x 32 array, 3 x 512 KiB of SRAM, DRAM and NoC that never
  // stall it. Whatever the dataflow, the search finds a schedule as fast as one pass over the
  // whole GEMM (fewer, larger folds cannot be beaten): exact up to the first load and last store.
  const struct {
    std::int64_t m, k, n;
  } kShapes[] = {{128, 128, 128}, {512, 512, 512}, {256, 1024, 384}, {100, 300, 70}};
  for (const char* flow : {"output_stationary", "weight_stationary", "input_stationary"}) {
    for (const auto& s : kShapes) {
      const test::SimRun r = RunLinear(
          "scalesim", "default.yaml", s.m, s.k, s.n, "dtype: int8",
          {"arch.mesh.width=1", "arch.mesh.height=1", "arch.dram.channels=[{x: 0, y: 0}]",
           "arch.tile.rows=32", "arch.tile.cols=32", std::string("arch.tile.dataflow=") + flow,
           "arch.tile.sram.capacity=1536 KiB", "arch.tile.sram.port_width=1048576 B/cycle",
           "arch.dram.channel_bandwidth=10000000 GB/s", "arch.dram.access_latency=0 ns",
           "arch.dram.row_miss_penalty=0 ns", "arch.noc.link_width=1048576 B/cycle"});
      const double closed = SinglePass(flow, s.m, s.k, s.n, 32);
      EXPECT_NEAR(static_cast<double>(r.result.cycles()), closed, 2)
          << flow << " " << s.m << "x" << s.k << "x" << s.n << ": "
          << r.result.layers[0].tiling.mapping;
    }
  }
}

// Every mapped layer of `runs`: the cost model's cycles within `tolerance` of the simulated ones.
void ExpectPredictionsWithin(const std::vector<test::SimRun>& runs, double tolerance) {
  for (const test::SimRun& r : runs) {
    for (size_t l = 0; l < r.result.layers.size(); ++l) {
      const LayerResult& lr = r.result.layers[l];
      if (lr.tiling.mapping.empty()) continue;
      const double simulated =
          static_cast<double>(lr.span_ps) / static_cast<double>(r.result.clock_period_ps);
      EXPECT_NEAR(lr.predicted_cycles / simulated, 1.0, tolerance)
          << r.config.arch.name << " " << r.config.workload.name << " "
          << r.config.workload.graph->layers()[l].name << ": " << lr.tiling.mapping << " predicted "
          << lr.predicted_cycles << ", simulated " << simulated;
    }
  }
}

TEST(MappingSearch, PredictionsTrackTheSimulation) {
  // Each GEMM layer of two Llama-3-8B-sized prefill layers (2048 tokens) on the 8 x 8 HBM
  // accelerator, a decode step on the ternary mesh, and the shipped single-layer workloads on the
  // default mesh: the cost model's cycles within 10% of the simulated ones.
  const std::string llama = test::WriteWorkloadYaml(
      "mapping_search_llama",
      "name: llama_layer\nlayers:\n"
      "  - {name: q, op: linear, m: 2048, k: 4096, n: 4096, dtype: int8}\n"
      "  - {name: k, op: linear, m: 2048, k: 4096, n: 1024, dtype: int8, inputs: []}\n"
      "  - {name: scores, op: attention_scores, heads: 32, kv_heads: 8, head_dim: 128, "
      "q_len: 2048, kv_len: 2048, dtype: int8, inputs: []}\n"
      "  - {name: gate, op: linear, m: 2048, k: 4096, n: 14336, dtype: int8, inputs: []}\n"
      "  - {name: down, op: linear, m: 2048, k: 14336, n: 4096, dtype: int8, inputs: []}\n");
  // A BitNet-b1.58-2B decode step's linear layers (one token): tiles with a few tasks each,
  // where the walk's last task waiting for a next load that none makes was 11% of the time.
  const std::string decode = test::WriteWorkloadYaml(
      "mapping_search_decode",
      "name: bitnet_decode\nlayers:\n"
      "  - {name: q, op: linear, m: 1, k: 2560, n: 2560, dtype: int8, arithmetic: ternary}\n"
      "  - {name: k, op: linear, m: 1, k: 2560, n: 640, dtype: int8, arithmetic: ternary, "
      "inputs: []}\n"
      "  - {name: gate, op: linear, m: 1, k: 2560, n: 6912, dtype: int8, arithmetic: ternary, "
      "inputs: []}\n"
      "  - {name: down, op: linear, m: 1, k: 6912, n: 2560, dtype: int8, arithmetic: ternary, "
      "inputs: []}\n");
  // Gemma-2-9B's attention output projection at 512 tokens (16 heads of 256 into 3584): 5,824
  // tasks a tile, whose start pays a few row switches once; scaled by the plan's length they were
  // predicted 19% long.
  const std::string gemma_o =
      test::WriteWorkloadYaml("mapping_search_gemma_o",
                              "name: gemma_o\nlayers:\n"
                              "  - {name: o, op: linear, m: 512, k: 4096, n: 3584, dtype: int8}\n");
  const std::vector<test::SimRun> runs = {
      test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), llama),
      test::SimulateYaml(test::ArchFile("mesh4x4-ternary.yaml"), decode),
      test::SimulateYaml(test::ArchFile("default.yaml"), gemma_o),
      test::SimulateYaml(test::ArchFile("default.yaml"),
                         test::SourceDir() + "/workloads/linear_2048x2560x2560.yaml"),
      test::SimulateYaml(test::ArchFile("mesh4x4-ternary.yaml"),
                         test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml")};
  ExpectPredictionsWithin(runs, 0.10);
}

TEST(MappingSearch, PacketNocStepsAreReplayedInLockStep) {
  // Gemma-2-9B's FFN `gate` at 512 tokens (512 x 3584 x 14336) on the 8 x 8 HBM mesh with the
  // packet NoC. Pinned to a 16 x 4 grid (32 x 1792 x 32 blocks, input resident): four weight
  // trees a step, whose pieces leave the four channels together and pass each tree's ports one
  // after another (step_trains.h). Priced as an input-queued switch of random destinations the
  // estimate said 426,120 cycles against 501,393 simulated (-15%) and the search picked it; with
  // the step replayed, within 5%, and the search's pick (an 8 x 8 grid) simulates at least 10%
  // faster than it, also predicted within 10%.
  const std::string w = test::WriteWorkloadYaml(
      "mapping_search_gemma_gate",
      "name: gemma_gate\nlayers:\n  - {name: gate, op: linear, m: 512, k: 3584, n: 14336, "
      "dtype: int8}\n");
  const std::string arch = test::ArchFile("mesh8x8-int8-hbm-jedec-packet.yaml");
  const test::SimRun pinned = test::SimulateYaml(
      arch, w,
      {"arch.mapping.constraints.block_m=32", "arch.mapping.constraints.block_k=1792",
       "arch.mapping.constraints.block_n=32", "arch.mapping.constraints.grid_m=16",
       "arch.mapping.constraints.grid_n=4", "arch.mapping.constraints.resident=input"});
  ExpectPredictionsWithin({pinned}, 0.05);
  const test::SimRun free = test::SimulateYaml(arch, w);
  ExpectPredictionsWithin({free}, 0.10);
  EXPECT_LT(static_cast<double>(free.result.cycles()),
            0.9 * static_cast<double>(pinned.result.cycles()))
      << free.result.layers[0].tiling.mapping;
}

// On the `jedec` DRAM the estimate prices transfers at what the controller sustains on a long
// stream (ModelParams::SustainedReadFraction: refresh alone takes 9% of HBM2E's time, 4.5% of
// DDR4-3200's), not at the channels' peak. DRAM-bound decode- and small-batch-shaped layers on
// the shipped `jedec` architectures with the `simple` NoC (whose links the estimate models):
// within 5%; priced at the peak they were predicted 5-11% short.
TEST(MappingSearch, PredictionsOnJedecDramTakeItsSustainedRate) {
  const std::string w = test::WriteWorkloadYaml(
      "mapping_search_jedec",
      "name: dram_bound\nlayers:\n"
      "  - {name: a, op: linear, m: 1, k: 4096, n: 14336, dtype: int8}\n"
      "  - {name: b, op: linear, m: 16, k: 14336, n: 4096, dtype: int8, inputs: []}\n"
      "  - {name: c, op: linear, m: 256, k: 4096, n: 4096, dtype: int8, inputs: []}\n");
  const std::vector<test::SimRun> runs = {
      test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm-jedec.yaml"), w),
      test::SimulateYaml(test::ArchFile("default-jedec-packet.yaml"), w,
                         {"arch.noc.model=simple"})};
  ExpectPredictionsWithin(runs, 0.05);
}

TEST(MappingSearch, TheBusiestNocLinkIsWhereTheTreesCross) {
  // 1024 x 2304 x 1024 on the 8 x 8 HBM mesh, pinned to 128 x 1152 x 64 blocks on an 8 x 8 grid:
  // two whole rounds, each loading every A and B block once through multicast trees. The busiest
  // simulated link carries what the link model says of the layer's DRAM traffic (each transfer
  // spread over the four channels by the address interleave: within 1%).
  const test::SimRun r =
      RunLinear("links", "mesh8x8-int8-hbm.yaml", 1024, 2304, 1024, "dtype: int8",
                {"arch.mapping.constraints.block_m=128", "arch.mapping.constraints.block_k=1152",
                 "arch.mapping.constraints.block_n=64", "arch.mapping.constraints.grid_m=8",
                 "arch.mapping.constraints.grid_n=8", "arch.mapping.constraints.resident=none"});
  ASSERT_EQ(r.result.layers[0].tiling.mapping, "blocks 128x1152x64 grid 8x8 n-inner");
  const double a = 2.0 * 1024 * 2304, b = 2304.0 * 1024, out = 1024.0 * 1024;  // two rounds of A
  const GridLinkLoads links(r.config.arch);
  const double predicted = links.BusiestLinkBytes({8, 8, 1, 8, 8, true, true}, a, b, out);
  double busiest = 0;
  for (double bytes : r.result.link_bytes) busiest = std::max(busiest, bytes);
  EXPECT_NEAR(busiest / predicted, 1.0, 0.01) << busiest << " vs " << predicted;

  // With narrow links those trees bound the layer: BitNet-2B's `down` projection (2048 tokens),
  // free and pinned to that grid, predicted within 10% (a first-hop model of the channels' links
  // said 22% too fast on the pinned grid at 48 B/cycle). Not the pinned grid at 32 B/cycle: its
  // busiest link, twice as loaded as its DRAM, idles while shares wait for their last receiver
  // (docs/MAPPING.md, known limits).
  for (const char* width : {"48 B/cycle", "32 B/cycle"}) {
    for (const bool pinned : {false, true}) {
      if (pinned && std::string(width) == "32 B/cycle") continue;
      std::vector<std::string> overrides = {std::string("arch.noc.link_width=") + width};
      if (pinned) {
        overrides.insert(
            overrides.end(),
            {"arch.mapping.constraints.block_m=128", "arch.mapping.constraints.block_k=1152",
             "arch.mapping.constraints.block_n=64", "arch.mapping.constraints.grid_m=8",
             "arch.mapping.constraints.grid_n=8"});
      }
      const test::SimRun d =
          RunLinear("down", "mesh8x8-int8-hbm.yaml", 2048, 6912, 2560, "dtype: int8", overrides);
      const LayerResult& lr = d.result.layers[0];
      const double simulated =
          static_cast<double>(lr.span_ps) / static_cast<double>(d.result.clock_period_ps);
      EXPECT_NEAR(lr.predicted_cycles / simulated, 1.0, 0.10)
          << width << " " << lr.tiling.mapping << ": predicted " << lr.predicted_cycles
          << ", simulated " << simulated;
    }
  }
}

TEST(MappingSearch, TheEstimatePredictsTheSimulatedEnergy) {
  // The energy the search ranks by (every task's arithmetic and array SRAM traffic, DRAM, SRAM
  // fills, NoC, leakage over the predicted time) against the simulated ledger of a one-layer run
  // of the mapping it picks: dense int8, ternary, spiking, and a large mesh with HBM. Without the
  // tasks' own energy the estimate misses a third of the total and prefers mappings that re-read
  // SRAM (small blocks, many K chunks).
  const struct {
    const char* arch;
    std::int64_t m, k, n;
    const char* fields;
  } kCases[] = {{"default.yaml", 2048, 2560, 2560, "dtype: int8"},
                {"default.yaml", 128, 2560, 6912, "dtype: int8"},
                {"mesh4x4-ternary.yaml", 128, 2560, 6912, "dtype: int8, arithmetic: ternary"},
                {"spiking-mesh4x4.yaml", 128, 2048, 512,
                 "dtype: int8, spiking: {timesteps: 4, input_rate: 0.1}"},
                {"mesh8x8-int8-hbm.yaml", 512, 4096, 4096, "dtype: int8"}};
  for (const auto& c : kCases) {
    const test::SimRun r = RunLinear("energy", c.arch, c.m, c.k, c.n, c.fields);
    const Layer& layer = r.config.workload.graph->layers()[0];
    const ArchConfig& arch = r.config.arch;
    const MappingSearch search(arch, PricesFor(arch, r.config.tech),
                               KindTaskCycles(arch, r.config.tech));
    const auto sram = static_cast<std::int64_t>(arch.tile.sram.capacity_bytes);
    const RankedMapping best = search.Rank(layer, arch.TileCount(), sram, 1).front();
    ASSERT_EQ(best.mapping.Describe(), r.result.layers[0].tiling.mapping) << c.arch;
    EXPECT_NEAR(best.estimate.energy_pj / r.result.ledger.TotalEnergyPj(), 1.0, 0.02)
        << c.arch << " " << c.m << "x" << c.k << "x" << c.n << ": " << best.mapping.Describe();
  }
}

TEST(MappingSearch, TheTieWindowTradesTimeWithinItForEnergy) {
  // `mapping.tie_window: w`: the pick is the cheapest mapping whose time is within w of the
  // fastest; a wider window never picks a slower-than-(1 + w) or a dearer-within-window one,
  // and here (Llama-3-8B's q on the default mesh: an 8x2 grid at 1%, 16x1 at 4%, 12% less
  // energy for 0.3% more time) it finds a cheaper one.
  const std::string w = test::WriteWorkloadYaml(
      "mapping_tie_window",
      "name: tie\nlayers:\n  - {name: q, op: linear, m: 2048, k: 4096, n: 4096, dtype: int8}\n");
  double picked_energy[2] = {0, 0};
  const double windows[2] = {0.01, 0.04};
  for (int i = 0; i < 2; ++i) {
    const RunConfig c = test::LoadYaml(test::ArchFile("default.yaml"), w,
                                       {"arch.mapping.tie_window=" + std::to_string(windows[i])});
    ASSERT_DOUBLE_EQ(c.arch.mapping.tie_window, windows[i]);
    const Layer& layer = c.workload.graph->layers()[0];
    const MappingSearch search(c.arch, PricesFor(c.arch, c.tech));
    const auto sram = static_cast<std::int64_t>(c.arch.tile.sram.capacity_bytes);
    const std::vector<RankedMapping> all = search.Rank(layer, c.arch.TileCount(), sram, 1000);
    double fastest = all.front().estimate.cycles;
    for (const RankedMapping& r : all) fastest = std::min(fastest, r.estimate.cycles);
    const MappingEstimate& pick = all.front().estimate;
    EXPECT_LE(pick.cycles, fastest * (1 + windows[i]) * (1 + 1e-12));
    for (const RankedMapping& r : all) {
      if (r.estimate.cycles <= fastest * (1 + windows[i])) {
        EXPECT_LE(pick.energy_pj, r.estimate.energy_pj) << r.mapping.Describe();
      }
    }
    picked_energy[i] = pick.energy_pj;
  }
  EXPECT_LT(picked_energy[1], picked_energy[0]);
}

TEST(MappingSearch, ATileWithOneTaskKeepsTwoBuffersWhereTheyFit) {
  // A tile with a single task has nothing to overlap, so one buffer or two time it alike; but a
  // single-buffered task holds both buffers until it is stored, so the next layer's first loads
  // wait. The search offers one buffer for such tiles only where two do not fit.
  const std::string w = test::WriteWorkloadYaml(
      "mapping_one_task",
      "name: one_task\nlayers:\n  - {name: l, op: linear, m: 1, k: 1024, n: 512, dtype: int8}\n");
  const RunConfig c = test::LoadYaml(test::ArchFile("default.yaml"), w);
  const Layer& layer = c.workload.graph->layers()[0];
  const MappingSearch search(c.arch, MappingPrices{});
  const auto sram = static_cast<std::int64_t>(c.arch.tile.sram.capacity_bytes);
  int one_task = 0;
  for (const RankedMapping& r : search.Rank(layer, c.arch.TileCount(), sram, 100000)) {
    const GemmMapping& mp = r.mapping;
    if (TasksPerTile(layer, mp) > 1) continue;
    ++one_task;
    if (!mp.single_buffered) continue;
    GemmMapping two = mp;
    two.single_buffered = false;
    EXPECT_GT(MappingSramBytes(c.arch, layer, two), sram) << mp.Describe();
  }
  EXPECT_GT(one_task, 0);
}

TEST(MappingSearch, PinnedBlocksTooLargeForTheSramAreNamedWithTheirNeed) {
  // 1 x 3456 x 80 int8 blocks need more than a 64 KiB tile SRAM: the error says how much those
  // pinned blocks need, not what the smallest unpinned mapping would.
  const std::string w = test::WriteWorkloadYaml(
      "mapping_search_pinned",
      "name: pinned\nlayers:\n  - {name: l, op: linear, m: 1, k: 6912, n: 2560, dtype: int8}\n");
  const RunConfig c = test::LoadYaml(
      test::ArchFile("default.yaml"), w,
      {"arch.tile.sram.capacity=64 KiB", "arch.mapping.constraints.block_m=1",
       "arch.mapping.constraints.block_k=3456", "arch.mapping.constraints.block_n=80"});
  const Layer& layer = c.workload.graph->layers()[0];
  const MappingSearch search(c.arch, MappingPrices{});
  const auto sram = static_cast<std::int64_t>(c.arch.tile.sram.capacity_bytes);
  // The least SRAM those blocks take: single-buffered.
  GemmMapping least{{1, 3456, 80}};
  least.single_buffered = true;
  const std::int64_t need = MappingSramBytes(c.arch, layer, least);
  ASSERT_GT(need, sram);
  try {
    search.Rank(layer, c.arch.TileCount(), sram, 1);
    FAIL() << "pinned blocks larger than the SRAM were mapped";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("needs at least " + std::to_string(need) +
                        " bytes with the blocks mapping.constraints pins"),
              std::string::npos)
        << what;
  }
}

TEST(MappingSearch, DensePrefillReadsAtMostTwiceItsCompulsoryBytes) {
  // The linear layers of a Llama-3-8B decoder layer, 2048 tokens, on the 8 x 8 HBM accelerator
  // with the default (latency) objective: the old fixed mapper read 17.6x their compulsory bytes.
  const std::string w = test::WriteWorkloadYaml(
      "mapping_search_prefill",
      "name: llama_linear\nlayers:\n"
      "  - {name: q, op: linear, m: 2048, k: 4096, n: 4096, dtype: int8, inputs: []}\n"
      "  - {name: k, op: linear, m: 2048, k: 4096, n: 1024, dtype: int8, inputs: []}\n"
      "  - {name: v, op: linear, m: 2048, k: 4096, n: 1024, dtype: int8, inputs: []}\n"
      "  - {name: o, op: linear, m: 2048, k: 4096, n: 4096, dtype: int8, inputs: []}\n"
      "  - {name: gate, op: linear, m: 2048, k: 4096, n: 14336, dtype: int8, inputs: []}\n"
      "  - {name: up, op: linear, m: 2048, k: 4096, n: 14336, dtype: int8, inputs: []}\n"
      "  - {name: down, op: linear, m: 2048, k: 14336, n: 4096, dtype: int8, inputs: []}\n");
  const test::SimRun r = test::SimulateYaml(test::ArchFile("mesh8x8-int8-hbm.yaml"), w);
  double compulsory = 0, bytes = 0;
  for (const auto& c : r.result.channels) bytes += c.bytes_read + c.bytes_written;
  for (const LayerResult& l : r.result.layers) compulsory += l.compulsory_bytes;
  EXPECT_LE(bytes, 2 * compulsory) << bytes / compulsory << "x the compulsory bytes";
}

TEST(MappingSearch, DramTrafficStaysAboveTheLowerBoundAndObjectivesTradeTimeForBytes) {
  const std::string fields = "dtype: int8";
  const test::SimRun latency =
      RunLinear("objective", "mesh8x8-int8-hbm.yaml", 2048, 4096, 14336, fields);
  const test::SimRun bytes = RunLinear("objective", "mesh8x8-int8-hbm.yaml", 2048, 4096, 14336,
                                       fields, {"arch.mapping.objective=dram_bytes"});
  for (const test::SimRun* r : {&latency, &bytes}) {
    const LayerResult& lr = r->result.layers[0];
    EXPECT_GE(test::ChannelReadBytes(r->result),
              lr.compulsory_bytes - 2048.0 * 14336);  // reads: all but the output
    EXPECT_GE(lr.lower_bound_bytes, lr.compulsory_bytes);
  }
  // Minimising DRAM bytes reads each operand about once; minimising time may read more.
  EXPECT_LE(test::ChannelReadBytes(bytes.result), test::ChannelReadBytes(latency.result));
  EXPECT_LT(test::ChannelReadBytes(bytes.result) + 2048.0 * 14336,
            1.2 * bytes.result.layers[0].compulsory_bytes);
  EXPECT_LE(latency.result.cycles(), bytes.result.cycles());
}

// One OLMoE-1B-7B prefill expert layer (64 experts, top-8, 2048 tokens) on the 8 x 8 HBM
// accelerator, an expert per tile, all loading from the four channels at once, routed by the
// seeded router's block `block`.
test::SimRun SimulateOlmoeExpertLayer(const std::string& name, const std::string& shape, int block,
                                      const std::vector<std::string>& overrides = {},
                                      const std::string& arch = "mesh8x8-int8-hbm.yaml") {
  const std::string w = test::WriteWorkloadYaml(
      "mapping_search_experts_" + name,
      "name: experts\nlayers:\n"
      "  - {name: norm, op: norm, function: rmsnorm, m: 2048, n: 2048, dtype: int8}\n"
      "  - {name: router, op: linear, m: 2048, k: 2048, n: 64, dtype: int8, inputs: [norm]}\n"
      "  - {name: scores, op: softmax, m: 2048, n: 64, dtype: int8, inputs: [router]}\n"
      "  - {name: topk, op: elementwise, function: topk, m: 2048, n: 64, dtype: int8, "
      "inputs: [scores]}\n"
      "  - {name: " +
          name + ", op: linear, m: 16384, " + shape +
          ", dtype: int8, "
          "experts: {count: 64, top_k: 8, block: " +
          std::to_string(block) + "}, inputs: [], after: [topk]}\n");
  return test::SimulateYaml(test::ArchFile(arch), w, overrides);
}

double SimulatedCycles(const test::SimRun& r, size_t layer) {
  return static_cast<double>(r.result.layers.at(layer).span_ps) /
         static_cast<double>(r.result.clock_period_ps);
}

TEST(MappingSearch, ExpertTilesLeftAloneTakeTheFreedBandwidth) {
  // Each expert is estimated at a fixed share of the DRAM, but a tile whose routed experts run
  // one after another, or whose neighbours finish first, takes the bandwidth they free. (1) One
  // OLMoE decode token on the 4 x 4 mesh: eight experts on sixteen tiles, four experts at home on
  // each, so two routed experts share a tile; predicted 17% long as the sum of their estimates.
  // (2) OLMoE prefill at batch 64 with Zipf-skewed routing (s = 1.2) on the 8 x 8 HBM mesh: the
  // hot experts run long after the cold ones; predicted 57% long. Within 10% with each tile's
  // finish under the queue, no faster than its experts run alone.
  const std::string decode = test::WriteWorkloadYaml(
      "mapping_search_experts_decode",
      "name: experts\nlayers:\n"
      "  - {name: norm, op: norm, function: rmsnorm, m: 1, n: 2048, dtype: int8}\n"
      "  - {name: router, op: linear, m: 1, k: 2048, n: 64, dtype: int8, inputs: [norm]}\n"
      "  - {name: scores, op: softmax, m: 1, n: 64, dtype: int8, inputs: [router]}\n"
      "  - {name: topk, op: elementwise, function: topk, m: 1, n: 64, dtype: int8, "
      "inputs: [scores]}\n"
      "  - {name: gate, op: linear, m: 8, k: 2048, n: 1024, dtype: int8, "
      "experts: {count: 64, top_k: 8, block: 0}, inputs: [], after: [topk]}\n");
  const test::SimRun d = test::SimulateYaml(test::ArchFile("default.yaml"), decode);
  EXPECT_NEAR(d.result.layers.at(4).predicted_cycles / SimulatedCycles(d, 4), 1.0, 0.10);
  const test::SimRun p = test::SimulateYaml(
      test::ArchFile("mesh8x8-int8-hbm.yaml"),
      test::SourceDir() + "/configs/studies/moe_gating_workloads/OLMoE.prefill.b64.yaml",
      {"workload.routing.source=zipf", "workload.routing.zipf_exponent=1.2",
       "workload.routing.seed=1"});
  int experts = 0;
  for (size_t l = 0; l < p.result.layers.size(); ++l) {
    if (p.config.workload.graph->layers()[l].expert.enabled() &&
        p.result.layers[l].predicted_cycles > 0) {
      ++experts;
      EXPECT_NEAR(p.result.layers[l].predicted_cycles / SimulatedCycles(p, l), 1.0, 0.10)
          << p.config.workload.graph->layers()[l].name;
    }
  }
  EXPECT_EQ(experts, 3);
}

TEST(MappingSearch, AnExpertOnOneTileOfItsHomeIsPricedForItsRoutes) {
  // Mixtral's experts (64-token prompt) on the 8 x 8 HBM mesh, each pinned to one tile of its
  // home (a mesh row): all eight sit in column 0, and the top channels' parts of the lower homes'
  // loads share the links south out of row 0 (7/16 of the pass's bytes on one link: 1.4x the
  // DRAM's time). Priced at the expert's DRAM share of the links out of the channels, `gate` was
  // predicted 31% short and `down` 26%; with every busy home's routes, within 10%.
  const test::SimRun r = test::SimulateYaml(
      test::ArchFile("mesh8x8-int8-hbm.yaml"),
      test::SourceDir() + "/configs/studies/moe_gating_workloads/Mixtral.prefill.b1.yaml",
      {"arch.mapping.constraints.grid_m=1", "arch.mapping.constraints.grid_n=1",
       "arch.mapping.constraints.grid_k=1"});
  int experts = 0;
  for (size_t l = 0; l < r.result.layers.size(); ++l) {
    if (!r.config.workload.graph->layers()[l].expert.enabled() ||
        r.result.layers[l].predicted_cycles <= 0)
      continue;
    ++experts;
    EXPECT_NEAR(r.result.layers[l].predicted_cycles / SimulatedCycles(r, l), 1.0, 0.10)
        << r.config.workload.graph->layers()[l].name << " " << r.result.layers[l].tiling.mapping;
  }
  EXPECT_EQ(experts, 3);
}

TEST(MappingSearch, ExpertStoresBetweenOtherExpertsLoadsTurnTheDramBus) {
  // OLMoE's routed `down` experts at prefill on the 8 x 8 mesh with `jedec` HBM2E: an expert per
  // tile, single-buffered, each storing a 7.9 KB output block after every three 11 KB weight
  // loads, out of step with the other 63. Every store reaches its channels between other tiles'
  // loads, so each channel turns its bus to writes and back for it (8,125 turns per channel,
  // ~12 ns each, traced): predicted 16% short while the queue replay served stores like loads,
  // within 10% with the turns. Without refresh, within 5% (refresh, which the replay takes as
  // its mean share, costs this layer more than that share).
  for (const bool refresh : {true, false}) {
    SCOPED_TRACE(refresh);
    const test::SimRun r =
        SimulateOlmoeExpertLayer("down", "k: 1024, n: 2048", 1,
                                 {"arch.dram.refresh=" + std::string(refresh ? "true" : "false")},
                                 "mesh8x8-int8-hbm-jedec.yaml");
    EXPECT_NEAR(r.result.layers.at(4).predicted_cycles / SimulatedCycles(r, 4), 1.0,
                refresh ? 0.10 : 0.05)
        << r.result.layers.at(4).tiling.mapping;
  }
}

TEST(MappingSearch, ExpertsBesideOtherExpertsStoreSeldomWhereTheBusTurns) {
  // The same layer: each expert's output blocks are stored between the other experts' loads, so
  // every store costs its channels two bus turns whatever its size, and blocks four times as wide
  // store a quarter as often for the same bytes. Ranked without the turns, every width tied
  // within 0.2% and the energy tie-break took 32 columns: 1,215,449 cycles against 1,061,061 with
  // 128 pinned (-12.7%). With them the experts take 128 (some, with fewer tokens, narrower):
  // 1,097,341, within 5% of the fastest width pinned.
  const std::string arch = "mesh8x8-int8-hbm-jedec.yaml";
  const test::SimRun pick = SimulateOlmoeExpertLayer("down", "k: 1024, n: 2048", 1, {}, arch);
  double fastest = 0;
  for (const int columns : {32, 64, 128}) {
    const test::SimRun pinned = SimulateOlmoeExpertLayer(
        "down", "k: 1024, n: 2048", 1,
        {"arch.mapping.constraints.block_n=" + std::to_string(columns)}, arch);
    const double cycles = SimulatedCycles(pinned, 4);
    fastest = fastest == 0 ? cycles : std::min(fastest, cycles);
  }
  EXPECT_LE(SimulatedCycles(pick, 4), fastest * 1.05) << pick.result.layers.at(4).tiling.mapping;
}

TEST(MappingSearch, ASmallLoadWaitsBehindTheLargeLoadsOfTheExpertsBesideIt) {
  // OLMoE's routed `gate` experts at prefill (2048 tokens, 64 experts, top 8) on the 4 x 4 mesh
  // with two DDR4 channels: four experts at home on each tile, some mapped with 5.6 KB loads,
  // others single-buffered with 150 KB ones. The channels are busy only 79% of the time, yet a
  // small load that arrives behind a large one waits 3 k cycles, longer than its tile's task
  // (2.3 k): predicted 13.9% short by a fluid model of mean rates, within 5% by replaying the
  // tiles' requests through the queue.
  const std::string w = test::WriteWorkloadYaml(
      "mapping_search_experts_prefill",
      "name: experts\nlayers:\n"
      "  - {name: norm, op: norm, function: rmsnorm, m: 2048, n: 2048, dtype: int8}\n"
      "  - {name: router, op: linear, m: 2048, k: 2048, n: 64, dtype: int8, inputs: [norm]}\n"
      "  - {name: scores, op: softmax, m: 2048, n: 64, dtype: int8, inputs: [router]}\n"
      "  - {name: topk, op: elementwise, function: topk, m: 2048, n: 64, dtype: int8, "
      "inputs: [scores]}\n"
      "  - {name: gate, op: linear, m: 16384, k: 2048, n: 1024, dtype: int8, "
      "experts: {count: 64, top_k: 8, block: 1}, inputs: [], after: [topk]}\n");
  const test::SimRun r = test::SimulateYaml(test::ArchFile("default.yaml"), w);
  EXPECT_NEAR(r.result.layers.at(4).predicted_cycles / SimulatedCycles(r, 4), 1.0, 0.05);
}

TEST(MappingSearch, ExpertsBesideEachOtherKeepTheDramBusy) {
  // The channels serve whole requests first come, first served, so an expert mapped for its
  // bandwidth share alone chose 2 KiB loads beside its neighbours' 40 KiB ones, was starved, and
  // finished 36% after them (the layer took 1.5x its DRAM time; predicted 28% short). Mapped for
  // the queue, the layer stays within 15% of its DRAM time at peak bandwidth and the prediction
  // within 11% (10.3% since the sourced 45 nm leakage prices: the energy tie-break among equally
  // fast mappings picks another one). Held to two buffers, as when this was measured: with one
  // buffer a choice the search takes larger single-buffered blocks, reads 19% fewer bytes and
  // runs 12% faster (1.44 M against 1.63 M cycles) at 1.16x its (smaller) DRAM time.
  const test::SimRun r = SimulateOlmoeExpertLayer("gate", "k: 2048, n: 1024", 2,
                                                  {"arch.mapping.constraints.buffers=2"});
  const LayerResult& gate = r.result.layers.at(4);
  const double simulated = SimulatedCycles(r, 4);
  EXPECT_NEAR(gate.predicted_cycles / simulated, 1.0, 0.11);
  double dram_bytes = 0;
  for (const ChannelResult& c : r.result.channels) dram_bytes += c.bytes_read + c.bytes_written;
  const ArchConfig& arch = r.config.arch;
  const double peak_bytes_per_cycle = arch.dram.channel_bandwidth_bytes_per_s / arch.clock_hz *
                                      static_cast<double>(arch.dram.channels.size());
  EXPECT_LT(simulated, 1.15 * dram_bytes / peak_bytes_per_cycle)
      << "simulated " << simulated << " cycles for " << dram_bytes << " DRAM bytes";
  // The free choice of buffers: predicted within the same 11%, and no slower than two alone.
  const test::SimRun free = SimulateOlmoeExpertLayer("gate", "k: 2048, n: 1024", 2);
  const double free_cycles = SimulatedCycles(free, 4);
  EXPECT_NEAR(free.result.layers.at(4).predicted_cycles / free_cycles, 1.0, 0.11);
  EXPECT_LE(free_cycles, simulated);
}

TEST(MappingSearch, ExpertPredictionsCountTheQueueOfUnequalLoads) {
  // The `down` experts of the same model: the busiest (310 tokens) fits only 8 KiB weight loads
  // beside its neighbours' 16 KiB, so while they run it gets half their bandwidth and it finishes
  // alone, 44% after them. Each expert estimated for an equal share was predicted 18% short; with
  // each tile's finish under the first-come-first-served queue, within 10%.
  const test::SimRun r = SimulateOlmoeExpertLayer("down", "k: 1024, n: 2048", 9);
  EXPECT_NEAR(r.result.layers.at(4).predicted_cycles / SimulatedCycles(r, 4), 1.0, 0.10);
}

TEST(MappingSearch, AChannelsPortBoundsALayerOnThePacketNoc) {
  // One DRAM channel on a 5 x 3 packet mesh with 16 B/cycle links: every byte of a decode
  // projection (1 x 4096 x 2560, 10.5 MB of weights) enters the mesh through the channel's one
  // port at a flit (16 B) a cycle, whichever tiles take it. The estimate counted the links out of
  // the channel's router and the tile there (two links and more) and predicted half (-48.7%); the
  // step replay, which has the ports, is off with one channel.
  const test::SimRun r =
      RunLinear("channel_port", "mesh8x8-int8-hbm-jedec-packet.yaml", 1, 4096, 2560, "dtype: int8",
                {"arch.mesh.width=5", "arch.mesh.height=3", "arch.dram.channels=[{x: 0, y: 0}]",
                 "arch.noc.link_width=16 B/cycle"});
  const double simulated = SimulatedCycles(r, 0);
  EXPECT_GE(simulated, test::ChannelReadBytes(r.result) / 16);
  EXPECT_NEAR(r.result.layers[0].predicted_cycles / simulated, 1.0, 0.10)
      << r.result.layers[0].tiling.mapping << ": predicted " << r.result.layers[0].predicted_cycles
      << ", simulated " << simulated;
}

TEST(MappingSearch, ARoundsStoresOnTheirOwnLinksDoNotDelayTheNextLoads) {
  // 512 x 128 x 4096 on a 6 x 8 mesh fed by one 204.8 GB/s channel through 16 B/cycle links, the
  // input resident, 86 rounds: each stores 24 KB of outputs, 12 KB of them over the busiest link
  // into the channel (750 cycles), and loads 6 KB of weights out of it on other links. The
  // estimate added the stores' link time to the next round's loads: +50% (107,872 predicted,
  // 71,731 simulated). The three chains (loads, compute, stores) run side by side and meet at
  // the DRAM, where the next loads are served after the stores' data: +12% (most of the rest is
  // the first round's resident panel, counted in the first load and in its round: Known limits
  // in docs/MAPPING.md).
  const test::SimRun r =
      RunLinear("store_chain", "mesh8x8-int8-hbm.yaml", 512, 128, 4096, "dtype: int8",
                {"arch.mesh.width=6", "arch.mesh.height=8", "arch.dram.channels=[{x: 0, y: 0}]",
                 "arch.dram.channel_bandwidth=204.8 GB/s", "arch.tile.rows=64", "arch.tile.cols=8",
                 "arch.tile.dataflow=weight_stationary", "arch.noc.link_width=16 B/cycle",
                 "arch.mapping.constraints.block_m=256", "arch.mapping.constraints.block_k=128",
                 "arch.mapping.constraints.block_n=8", "arch.mapping.constraints.grid_m=2",
                 "arch.mapping.constraints.grid_n=6", "arch.mapping.constraints.resident=input"});
  const double simulated = SimulatedCycles(r, 0);
  EXPECT_NEAR(r.result.layers[0].predicted_cycles / simulated, 1.0, 0.15)
      << r.result.layers[0].tiling.mapping << ": predicted " << r.result.layers[0].predicted_cycles
      << ", simulated " << simulated;
}

}  // namespace
}  // namespace pjsim
