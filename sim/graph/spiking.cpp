#include "sim/graph/spiking.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "sim/numerics/portable_random.h"

namespace pjsim {
namespace {

// Expected successes up to which SampleSpikeCount walks the exact geometric gaps.
constexpr double kExactSampleLimit = 1 << 20;

double CeilLog2(std::int64_t x) {
  double bits = 0;
  for (std::int64_t v = 1; v < x; v *= 2) ++bits;
  return bits;
}

}  // namespace

std::int64_t SpikingConfig::EventLevelBits() const {
  return static_cast<std::int64_t>(CeilLog2(spike_levels)) + (signed_spikes ? 1 : 0);
}

std::int64_t SpikingConfig::BitmapBitsPerNeuron() const {
  return static_cast<std::int64_t>(CeilLog2((signed_spikes ? 2 : 1) * spike_levels + 1));
}

double SpikingConfig::AddsPerSpike() const {
  if (spike_levels <= 1) return 1;
  double adds = 0;
  for (std::int64_t level = 1; level <= spike_levels; ++level) {
    adds += static_cast<double>(std::popcount(static_cast<std::uint64_t>(level)));
  }
  return adds / static_cast<double>(spike_levels);
}

double SpikeTensorBits(const SpikingConfig& s, std::int64_t neurons, double spikes) {
  const double tag =
      s.timestep_tag_bits > 0 ? static_cast<double>(s.timestep_tag_bits) : CeilLog2(s.timesteps);
  const double aer = spikes * (CeilLog2(neurons) + tag + static_cast<double>(s.EventLevelBits()));
  const double bitmap = static_cast<double>(neurons) * static_cast<double>(s.timesteps) *
                        static_cast<double>(s.BitmapBitsPerNeuron());
  switch (s.encoding) {
    case SpikeEncoding::kAer:
      return aer;
    case SpikeEncoding::kBitmap:
      return bitmap;
    case SpikeEncoding::kAuto:
      return std::min(aer, bitmap);
  }
  return aer;
}

std::int64_t SampleSpikeCount(std::int64_t trials, double p, std::uint64_t seed) {
  if (trials <= 0 || p <= 0) return 0;
  if (p >= 1) return trials;
  std::mt19937_64 rng(seed);
  // Above ~2^20 expected successes the exact walk costs milliseconds per call and grows without
  // bound (T = 2^40 timesteps would never finish); there the binomial is normal to within
  // 1/sqrt(mean) < 0.1% of its spread, so one normal draw (rounded, clamped) takes its place.
  const double mean = static_cast<double>(trials) * p;
  if (mean > kExactSampleLimit) {
    // Few failures: count those exactly instead.
    if (static_cast<double>(trials) * (1 - p) <= kExactSampleLimit)
      return trials - SampleSpikeCount(trials, 1 - p, seed);
    const double sd = std::sqrt(mean * (1 - p));
    const double x = std::floor(mean + sd * numerics::StandardNormal(rng) + 0.5);
    return static_cast<std::int64_t>(std::clamp(x, 0.0, static_cast<double>(trials)));
  }
  // Gaps between successes are Geometric(p): floor(log(U) / log(1 - p)).
  const double log_q = numerics::PortableLog(1 - p);
  std::int64_t count = 0;
  double position = -1;
  for (;;) {
    const double u = 1 - numerics::UniformUnit(rng);  // (0, 1]
    position += std::floor(numerics::PortableLog(u) / log_q) + 1;
    if (position >= static_cast<double>(trials)) return count;
    ++count;
  }
}

double SpikeActiveProbability(double rate, double correlation, std::int64_t slots) {
  if (slots <= 0) return 0;
  const auto n = static_cast<double>(slots);
  if (correlation <= 0) return 1 - std::pow(1 - rate, n);
  return 1 - (1 - rate) * std::pow(1 - rate * (1 - correlation), n - 1);
}

double SpikeWeightRowReads(double spikes, double rate, std::int64_t slots, std::int64_t batch,
                           double correlation) {
  if (batch <= 1 || slots <= 1 || spikes <= 0 || rate <= 0) return spikes;
  const std::int64_t b = std::min(batch, slots);
  const auto active = [&](std::int64_t n) { return SpikeActiveProbability(rate, correlation, n); };
  const double batches_active =
      static_cast<double>(slots / b) * active(b) + (slots % b != 0 ? active(slots % b) : 0.0);
  return spikes * batches_active / (static_cast<double>(slots) * rate);
}

std::string SpikeEncodingName(SpikeEncoding e) {
  return e == SpikeEncoding::kAer ? "aer" : e == SpikeEncoding::kBitmap ? "bitmap" : "auto";
}

}  // namespace pjsim
