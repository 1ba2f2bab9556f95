// Spike activity sampling, spike-tensor encodings and the literature's ops-only convention.
#include "sim/graph/spiking.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/energy/naive_estimate.h"
#include "sim/energy/tech_table.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TEST(SpikeSampling, DeterministicAndBinomiallyDistributed) {
  EXPECT_EQ(SampleSpikeCount(100000, 0.05, 7), SampleSpikeCount(100000, 0.05, 7));
  EXPECT_NE(SampleSpikeCount(100000, 0.05, 7), SampleSpikeCount(100000, 0.05, 8));
  EXPECT_EQ(SampleSpikeCount(1000, 0.0, 1), 0);
  EXPECT_EQ(SampleSpikeCount(1000, 1.0, 1), 1000);
  // Mean over seeds within 4 standard errors of n p.
  const std::int64_t n = 20000;
  const double p = 0.1;
  double sum = 0;
  const int seeds = 200;
  for (int s = 0; s < seeds; ++s)
    sum += static_cast<double>(SampleSpikeCount(n, p, static_cast<std::uint64_t>(s)));
  const double mean = sum / seeds;
  const double stderr_of_mean = std::sqrt(n * p * (1 - p) / seeds);
  EXPECT_NEAR(mean, n * p, 4 * stderr_of_mean);
}

TEST(SpikeEncoding, AerBitmapAndAutoPickTheSmaller) {
  SpikingConfig s;
  s.timesteps = 4;
  s.encoding = SpikeEncoding::kAer;
  // 1024 neurons: 10 address bits + 2 timestep bits per event.
  EXPECT_DOUBLE_EQ(SpikeTensorBits(s, 1024, 100), 100 * 12.0);
  s.encoding = SpikeEncoding::kBitmap;
  EXPECT_DOUBLE_EQ(SpikeTensorBits(s, 1024, 100), 4096.0);
  s.encoding = SpikeEncoding::kAuto;
  EXPECT_DOUBLE_EQ(SpikeTensorBits(s, 1024, 100), 1200.0);
  EXPECT_DOUBLE_EQ(SpikeTensorBits(s, 1024, 1000), 4096.0);
}

TEST(OpsOnlyConvention, ReproducesThePublishedExample) {
  // docs/SOURCES.md#fnins2023 (Front. Neurosci. 2023, 17:1091097, Table 3): 18.39 M MACs
  // -> 84.59 uJ; 2.51 M synaptic ops x 0.9 pJ x 0.1366 -> 0.309 uJ; ratio about 274.
  const TechTable tech = LoadTechTable(test::SourceDir() + "/configs/tech/45nm.yaml");
  const NaiveOpsPrices p = NaivePrices(tech);
  const double ann = NaiveAnnEnergyPj(18.39e6, p);
  const double snn = NaiveSnnEnergyPj(2.51e6, 0.1366, 1, p);
  EXPECT_NEAR(ann * 1e-6, 84.59, 0.01);
  EXPECT_NEAR(snn * 1e-6, 0.309, 0.001);
  EXPECT_NEAR(ann / snn, 274, 1);
}

}  // namespace
}  // namespace pjsim
