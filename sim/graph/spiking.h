#pragma once
// Spiking execution of a linear layer: the input is a spike train over T timesteps instead of
// int8 activations, the output neurons are LIF neurons (golden step: sim/numerics/lif.h), and
// activity comes from a per-layer firing rate (Bernoulli, seeded) or a recorded spike trace. Spike
// tensors move between layers as address events (AER: neuron address + timestep tag per spike) or
// as dense bitmaps (one bit per neuron per timestep), whichever the policy picks.
#include <cstdint>
#include <memory>
#include <random>
#include <string>

namespace pjsim {

class SpikeTrace;

enum class SpikeEncoding { kAuto, kAer, kBitmap };

// The most timesteps a spiking layer may have: a neuron's spike count over all timesteps is held
// in 16 bits (SpikeTrace's counts, .npy traces).
inline constexpr std::int64_t kMaxSpikeTimesteps = 65535;

struct SpikingConfig {
  std::int64_t timesteps = 0;  // T; 0 = not a spiking layer
  double input_rate = 0;       // probability a given input neuron spikes at a given timestep
  // Lag-1 autocorrelation of each input neuron's train over consecutive (row, timestep) slots, in
  // [0, 1): the train is a two-state Markov chain of rate input_rate (a spike is followed by one
  // with probability rate + correlation (1 - rate)), so spikes cluster in time. Only with
  // input_rate (traces carry their own). Moves which rows are active, not how many spikes.
  double correlation = 0;
  double output_rate = 0;  // the same for this layer's output neurons
  std::int64_t membrane_bits = 16;
  std::uint64_t seed = 1;
  SpikeEncoding encoding = SpikeEncoding::kAuto;
  std::int64_t timestep_tag_bits = 0;  // 0 = ceil(log2 T)
  // Graded / signed spikes (numerics::LifParams::max_spike_level, signed_spikes): a spike carries
  // a level in 1..spike_levels and, when signed, a sign (spike_levels 1 + signed = ternary
  // spikes {-1, 0, +1}). Rates count nonzero spikes; magnitudes of sampled spikes are uniform in
  // 1..spike_levels.
  std::int64_t spike_levels = 1;
  bool signed_spikes = false;
  // Recorded input spikes (sim/workload/spike_trace.h); when set, spike counts come from it
  // instead of Bernoulli(input_rate).
  std::shared_ptr<const SpikeTrace> trace;

  bool enabled() const { return timesteps > 0; }
  bool graded() const { return spike_levels > 1 || signed_spikes; }
  // Payload bits a spike event carries besides its address and timestep: ceil(log2 L) for the
  // level (level - 1, so binary spikes carry none) plus one sign bit when signed.
  std::int64_t EventLevelBits() const;
  // Bits per neuron per timestep of a dense spike map: ceil(log2(L + 1)) (unsigned, 0..L) or
  // ceil(log2(2L + 1)) (signed, -L..L); 1 for binary spikes, 2 for ternary ones.
  std::int64_t BitmapBitsPerNeuron() const;
  // Accumulator adds one spike costs at each synapse. Hardware choice: a level-k spike adds
  // the weight shifted by each set bit of k (shift-and-add; shifts are wiring, the sign selects
  // add or subtract at no extra cost), so it costs popcount(k) adds; averaged over magnitudes
  // uniform in 1..L. Binary and ternary spikes cost exactly one add.
  double AddsPerSpike() const;
};

// Bits to move `spikes` (nonzero) spikes of a tensor of `neurons` neurons over T timesteps:
// AER = spikes x (ceil(log2 neurons) + tag bits + EventLevelBits()); bitmap = neurons x T x
// BitmapBitsPerNeuron(); auto = the smaller.
double SpikeTensorBits(const SpikingConfig& s, std::int64_t neurons, double spikes);

// A deterministic Binomial(trials, p) sample: the number of Bernoulli(p) successes among
// `trials`, drawn by geometric skips (cost proportional to the successes) with a portable
// generator, so every platform and run gets the same spike counts for the same seed. Beyond 2^20
// expected successes (and failures) one rounded normal draw replaces the walk: O(1) per call.
std::int64_t SampleSpikeCount(std::int64_t trials, double p, std::uint64_t seed);

// Probability that an input neuron spikes at least once in `slots` consecutive slots: 1 - (1 -
// rate)^slots for independent spikes; with lag-1 correlation rho (SpikingConfig::correlation)
// 1 - (1 - rate) (1 - rate (1 - rho))^(slots - 1), the chance of starting silent and staying so.
double SpikeActiveProbability(double rate, double correlation, std::int64_t slots);

// Weight rows a spiking array reads for `spikes` input spikes of one input neuron block spread over
// `slots` (row, timestep) slots, when it buffers `batch` consecutive slots and reads each active
// neuron's row once per batch: spikes x E[batches a neuron is active in] / E[its spikes] for
// trains at `rate` with lag-1 `correlation` (SpikeActiveProbability per batch); exactly `spikes`
// for a batch of one slot.
double SpikeWeightRowReads(double spikes, double rate, std::int64_t slots, std::int64_t batch,
                           double correlation = 0);

std::string SpikeEncodingName(SpikeEncoding e);

}  // namespace pjsim
