// Graded and signed (ternary) spikes: payload bits per event and per bitmap cell follow the
// values the golden LIF neuron can emit, and a level-k spike costs popcount(k) adds.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>

#include "sim/energy/naive_estimate.h"
#include "sim/energy/tech_table.h"
#include "sim/graph/spiking.h"
#include "sim/numerics/lif.h"
#include "test_paths.h"

namespace pjsim {
namespace {

SpikingConfig Graded(std::int64_t levels, bool is_signed) {
  SpikingConfig s;
  s.timesteps = 4;
  s.spike_levels = levels;
  s.signed_spikes = is_signed;
  return s;
}

// The spike values a LIF neuron with these level settings emits on random input currents.
std::set<std::int32_t> EmittedValues(std::int64_t levels, bool is_signed) {
  numerics::LifParams p;
  p.state_bits = 16;
  p.threshold = 64;
  p.max_spike_level = static_cast<int>(levels);
  p.signed_spikes = is_signed;
  p.reset = numerics::LifReset::kSoft;
  const numerics::LifNeuron neuron(p);
  std::mt19937 rng(5);
  std::uniform_int_distribution<std::int32_t> current(-2000, 2000);
  std::set<std::int32_t> values;
  std::int32_t v = 0;
  for (int i = 0; i < 20000; ++i) {
    const numerics::LifOutput out = neuron.Step(v, current(rng));
    v = out.v;
    values.insert(out.spike);
  }
  return values;
}

TEST(GradedSpikes, BitmapCellHoldsEveryValueTheLifNeuronEmits) {
  for (const std::int64_t levels : {1, 2, 3, 4, 7}) {
    for (const bool is_signed : {false, true}) {
      const std::set<std::int32_t> values = EmittedValues(levels, is_signed);
      // The neuron reaches every value of its range, and no other.
      EXPECT_EQ(static_cast<std::int64_t>(values.size()), (is_signed ? 2 : 1) * levels + 1)
          << levels << (is_signed ? " signed" : "");
      const std::int64_t bits = Graded(levels, is_signed).BitmapBitsPerNeuron();
      EXPECT_LE(values.size(), std::size_t{1} << bits);
      EXPECT_GT(values.size(), std::size_t{1} << (bits - 1));  // and no bit is wasted
    }
  }
}

TEST(GradedSpikes, EventPayloadCarriesLevelAndSign) {
  EXPECT_EQ(Graded(1, false).EventLevelBits(), 0);  // binary: the event itself is the spike
  EXPECT_EQ(Graded(1, true).EventLevelBits(), 1);   // ternary: a sign bit
  EXPECT_EQ(Graded(2, false).EventLevelBits(), 1);
  EXPECT_EQ(Graded(4, false).EventLevelBits(), 2);
  EXPECT_EQ(Graded(4, true).EventLevelBits(), 3);
  EXPECT_EQ(Graded(1, true).BitmapBitsPerNeuron(), 2);
  EXPECT_EQ(Graded(3, false).BitmapBitsPerNeuron(), 2);
  EXPECT_EQ(Graded(4, false).BitmapBitsPerNeuron(), 3);

  SpikingConfig s = Graded(4, true);
  s.encoding = SpikeEncoding::kAer;
  // 1024 neurons: 10 address + 2 timestep + 2 level + 1 sign bits per event.
  EXPECT_DOUBLE_EQ(SpikeTensorBits(s, 1024, 100), 100 * 15.0);
  s.encoding = SpikeEncoding::kBitmap;
  EXPECT_DOUBLE_EQ(SpikeTensorBits(s, 1024, 100), 1024 * 4 * 4.0);  // 9 values: 4 bits
}

TEST(GradedSpikes, LevelKCostsPopcountAdds) {
  EXPECT_DOUBLE_EQ(Graded(1, false).AddsPerSpike(), 1);
  EXPECT_DOUBLE_EQ(Graded(1, true).AddsPerSpike(), 1);         // sign: subtract instead of add
  EXPECT_DOUBLE_EQ(Graded(3, false).AddsPerSpike(), 4.0 / 3);  // levels 1, 2, 3: 1 + 1 + 2 adds
  EXPECT_DOUBLE_EQ(Graded(7, true).AddsPerSpike(), 12.0 / 7);  // 1+1+2+1+2+2+3
}

TEST(GradedSpikes, OpsOnlyEstimateCountsTheSameAdds) {
  const TechTable tech = LoadTechTable(test::SourceDir() + "/configs/tech/45nm.yaml");
  const NaiveOpsPrices p = NaivePrices(tech);
  SpikingConfig s = Graded(3, false);
  s.input_rate = 0.1;
  EXPECT_DOUBLE_EQ(NaiveSnnLayerEnergyPj(1e6, s, p), NaiveSnnEnergyPj(1e6, 0.1 * 4.0 / 3, 4, p));
  s.spike_levels = 1;
  EXPECT_DOUBLE_EQ(NaiveSnnLayerEnergyPj(1e6, s, p), 1e6 * 0.1 * 4 * 0.9);
}

}  // namespace
}  // namespace pjsim
