// Weight-row reuse of a spiking array that buffers several (row, timestep) slots of spikes
// (tile.spike_batch): how many weight rows it reads from SRAM.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/graph/spiking.h"
#include "sim/mapping/spike_traffic.h"
#include "sim/workload/spike_trace.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

TEST(SpikeWeightReuse, OneSlotBatchesReadARowPerSpike) {
  for (const double spikes : {0.0, 1.0, 37.0, 1e6})
    EXPECT_EQ(SpikeWeightRowReads(spikes, 0.05, 640, 1), spikes);
}

TEST(SpikeWeightReuse, ReadsFallWithTheBatchAndNeverBelowOncePerBatch) {
  const double rate = 0.05, slots = 640, kt = 1000, spikes = rate * slots * kt;
  double previous = spikes;
  for (const std::int64_t batch : {2, 4, 16, 64, 128, 640, 10000}) {
    const double reads = SpikeWeightRowReads(spikes, rate, 640, batch);
    EXPECT_LE(reads, previous) << batch;
    // At most one read per neuron and batch; batches of 640+ slots hold the whole block.
    EXPECT_LE(reads, kt * std::ceil(slots / static_cast<double>(batch)) + 1e-9) << batch;
    previous = reads;
  }
  // One batch over the whole block: each neuron that spikes at all, once.
  EXPECT_NEAR(SpikeWeightRowReads(spikes, rate, 640, 640), kt * (1 - std::pow(1 - rate, 640)),
              1e-9 * kt);
  // Every slot spikes: one read per neuron and batch (40 batches of 16 slots).
  EXPECT_NEAR(SpikeWeightRowReads(slots * kt, 1.0, 640, 16), kt * 40, 1e-9);
}

// The expectation against counted distinct (neuron, batch) pairs of independent Bernoulli spikes.
TEST(SpikeWeightReuse, MatchesCountedDistinctRowsOfIndependentSpikes) {
  std::mt19937_64 rng(7);
  const std::int64_t kt = 4000, slots = 100, batch = 16;  // 6 full batches and one of 4
  for (const double rate : {0.01, 0.05, 0.2}) {
    std::bernoulli_distribution spike(rate);
    double spikes = 0, reads = 0;
    for (std::int64_t neuron = 0; neuron < kt; ++neuron) {
      for (std::int64_t b0 = 0; b0 < slots; b0 += batch) {
        bool active = false;
        for (std::int64_t s = b0; s < std::min(slots, b0 + batch); ++s) {
          if (spike(rng)) {
            ++spikes;
            active = true;
          }
        }
        reads += active ? 1 : 0;
      }
    }
    EXPECT_NEAR(SpikeWeightRowReads(spikes, rate, slots, batch), reads, 0.02 * reads) << rate;
  }
}

// Correlated trains: the expectation against counted distinct (neuron, batch) pairs of two-state
// Markov trains of the same rate, and correlation only ever lowers the reads.
TEST(SpikeWeightReuse, MatchesCountedDistinctRowsOfCorrelatedTrains) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  const std::int64_t kt = 4000, slots = 100, batch = 16;
  for (const double rate : {0.02, 0.1}) {
    for (const double rho : {0.5, 0.9}) {
      double spikes = 0, reads = 0;
      for (std::int64_t neuron = 0; neuron < kt; ++neuron) {
        bool on = u(rng) < rate;  // the stationary start
        bool active = false;
        for (std::int64_t s = 0; s < slots; ++s) {
          if (s > 0) on = u(rng) < (on ? rate + rho * (1 - rate) : rate * (1 - rho));
          if (s % batch == 0) active = false;
          if (on) {
            ++spikes;
            if (!active) ++reads;
            active = true;
          }
        }
      }
      EXPECT_NEAR(SpikeWeightRowReads(spikes, rate, slots, batch, rho), reads, 0.03 * reads)
          << rate << " " << rho;
      EXPECT_LT(SpikeWeightRowReads(spikes, rate, slots, batch, rho),
                SpikeWeightRowReads(spikes, rate, slots, batch, 0));
    }
  }
  // A neuron is active in n slots as often as the chain says; no correlation is the usual power.
  EXPECT_DOUBLE_EQ(SpikeActiveProbability(0.1, 0, 5), 1 - std::pow(0.9, 5));
  EXPECT_DOUBLE_EQ(SpikeActiveProbability(0.1, 0.5, 1), 0.1);
  EXPECT_NEAR(SpikeActiveProbability(0.1, 0.5, 3), 1 - 0.9 * 0.95 * 0.95, 1e-15);
}

// With a recorded trace and batches of whole rows, the reads are the active inputs counted row
// group by row group, exactly.
TEST(SpikeWeightReuse, TraceBatchesOfWholeRowsCountActiveInputsExactly) {
  const std::string yaml =
      "name: w\nlayers:\n  - {name: fc, op: linear, m: 12, k: 256, n: 32, dtype: int8, inputs: "
      "[], spiking: {timesteps: 4, input_rate: 0.05}}\n";
  Layer layer =
      ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml"))).graph->layers()[0];
  const auto trace = SpikeTrace::FromRates(
      "test", 4, 12, 256,
      [](std::int64_t r, std::int64_t c) { return 0.02 + 0.01 * static_cast<double>((r + c) % 5); },
      11);
  layer.spiking.trace = trace;
  const GemmBlocks blocks{12, 256, 32};
  const GemmChunk chunk{0, 0, 0, 0, 12, 256, 32};
  const double spikes = static_cast<double>(trace->SpikesIn(0, 12, 0, 256));
  ASSERT_GT(spikes, 0);
  EXPECT_EQ(SpikeTraffic(layer, blocks, 1).Load(chunk).weight_row_reads, spikes);
  // Batches of 3 rows x 4 timesteps = 12 slots: four row groups.
  std::int64_t expected = 0;
  for (std::int64_t r = 0; r < 12; r += 3) expected += trace->ActiveInputs(r, 3, 0, 256);
  EXPECT_EQ(SpikeTraffic(layer, blocks, 12).Load(chunk).weight_row_reads,
            static_cast<double>(expected));
  EXPECT_LT(static_cast<double>(expected), spikes);
  // A batch of 6 slots splits rows: independent spikes at the block's measured rate.
  EXPECT_DOUBLE_EQ(SpikeTraffic(layer, blocks, 6).Load(chunk).weight_row_reads,
                   SpikeWeightRowReads(spikes, spikes / (48.0 * 256), 48, 6));
}

}  // namespace
}  // namespace pjsim
