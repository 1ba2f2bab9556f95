#include "sim/mapping/spike_traffic.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "sim/task/array_timing.h"
#include "sim/workload/spike_trace.h"

namespace pjsim {

SpikeTraffic::SpikeTraffic(const Layer& layer, const GemmBlocks& blocks)
    : layer_(layer),
      blocks_(blocks),
      blocks_m_(CeilDiv(layer.m, blocks.m)),
      blocks_n_(CeilDiv(layer.n, blocks.n)),
      k_chunks_(CeilDiv(layer.k, blocks.k)),
      input_spikes_(static_cast<size_t>(layer.batch * blocks_m_ * k_chunks_), -1) {}

SpikeTraffic::Loads SpikeTraffic::Load(const GemmChunk& c) {
  const SpikingConfig& sp = layer_.spiking;
  const std::int64_t row0 = c.batch * layer_.m + c.bi * blocks_.m, col0 = c.kc * blocks_.k;
  const std::int64_t input_block = (c.batch * blocks_m_ + c.bi) * k_chunks_ + c.kc;
  double& spikes = input_spikes_[static_cast<size_t>(input_block)];
  if (spikes < 0) {
    const auto block_seed =
        sp.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(input_block);
    spikes = static_cast<double>(
        sp.trace ? sp.trace->SpikesIn(row0, c.mt, col0, c.kt)
                 : SampleSpikeCount(c.mt * c.kt * sp.timesteps, sp.input_rate, block_seed));
  }
  Loads l;
  l.input_spikes = spikes;
  l.input_bytes =
      static_cast<std::int64_t>(std::ceil(SpikeTensorBits(sp, c.mt * c.kt, spikes) / 8));
  // Event-driven: fetch only the weight rows of inputs that spiked at least once in the block
  // (expected distinct rows, never more than the spikes); none without spikes.
  const double p_row = 1 - std::pow(1 - sp.input_rate, static_cast<double>(c.mt * sp.timesteps));
  const auto rows =
      sp.trace ? sp.trace->ActiveInputs(row0, c.mt, col0, c.kt)
               : std::min<std::int64_t>(
                     {c.kt, static_cast<std::int64_t>(spikes),
                      static_cast<std::int64_t>(std::ceil(static_cast<double>(c.kt) * p_row))});
  l.weight_bytes = layer_.OperandBBytes(rows * c.nt);
  return l;
}

SpikeTraffic::Store SpikeTraffic::Output(const GemmChunk& c) const {
  const SpikingConfig& sp = layer_.spiking;
  const auto out_seed = ~sp.seed * 0xD1B54A32D192ED03ULL +
                        static_cast<std::uint64_t>((c.batch * blocks_m_ + c.bi) * blocks_n_ + c.bj);
  Store s;
  s.output_spikes =
      static_cast<double>(SampleSpikeCount(c.mt * c.nt * sp.timesteps, sp.output_rate, out_seed));
  s.bytes =
      static_cast<std::int64_t>(std::ceil(SpikeTensorBits(sp, c.mt * c.nt, s.output_spikes) / 8));
  return s;
}

}  // namespace pjsim
