#pragma once
// Spiking execution of a linear layer: the input is a spike train over T timesteps instead of
// int8 activations, the output neurons are LIF neurons (golden step: sim/numerics/lif.h), and
// activity comes from a per-layer firing rate (Bernoulli, seeded) or a recorded spike trace. Spike tensors move between
// layers as address events (AER: neuron address + timestep tag per spike) or as dense bitmaps
// (one bit per neuron per timestep), whichever the policy picks.
#include <cstdint>
#include <memory>
#include <random>
#include <string>

namespace pjsim {

class SpikeTrace;

enum class SpikeEncoding { kAuto, kAer, kBitmap };

struct SpikingConfig {
  std::int64_t timesteps = 0;   // T; 0 = not a spiking layer
  double input_rate = 0;        // probability a given input neuron spikes at a given timestep
  double output_rate = 0;       // the same for this layer's output neurons
  std::int64_t membrane_bits = 16;
  std::uint64_t seed = 1;
  SpikeEncoding encoding = SpikeEncoding::kAuto;
  std::int64_t timestep_tag_bits = 0;  // 0 = ceil(log2 T)
  // Recorded input spikes (sim/workload/spike_trace.h); when set, spike counts come from it
  // instead of Bernoulli(input_rate).
  std::shared_ptr<const SpikeTrace> trace;

  bool enabled() const { return timesteps > 0; }
};

// Bits to move `spikes` spikes of a tensor of `neurons` neurons over T timesteps: AER =
// spikes x (ceil(log2 neurons) + tag bits); bitmap = neurons x T; auto = the smaller.
double SpikeTensorBits(const SpikingConfig& s, std::int64_t neurons, double spikes);

// A deterministic Binomial(trials, p) sample: the number of Bernoulli(p) successes among
// `trials`, drawn by geometric skips (cost proportional to the successes) with a portable
// generator, so every platform and run gets the same spike counts for the same seed.
std::int64_t SampleSpikeCount(std::int64_t trials, double p, std::uint64_t seed);

std::string SpikeEncodingName(SpikeEncoding e);

}  // namespace pjsim
