#include "sim/mapping/spike_traffic.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <random>

#include "sim/numerics/portable_random.h"
#include "sim/task/array_timing.h"
#include "sim/workload/spike_trace.h"

namespace pjsim {

SpikeTraffic::SpikeTraffic(const Layer& layer, const GemmBlocks& blocks, std::int64_t spike_batch)
    : layer_(layer),
      blocks_(blocks),
      spike_batch_(spike_batch),
      blocks_m_(CeilDiv(layer.m, blocks.m)),
      blocks_n_(CeilDiv(layer.n, blocks.n)),
      k_chunks_(CeilDiv(layer.k, blocks.k)),
      input_blocks_(static_cast<size_t>(layer.batch * blocks_m_ * k_chunks_)) {}

SpikeTraffic::Loads SpikeTraffic::Load(const GemmChunk& c) {
  const SpikingConfig& sp = layer_.spiking;
  const std::int64_t row0 = c.batch * layer_.m + c.bi * blocks_.m, col0 = c.kc * blocks_.k;
  const std::int64_t input_block = (c.batch * blocks_m_ + c.bi) * k_chunks_ + c.kc;
  InputBlock& block = input_blocks_[static_cast<size_t>(input_block)];
  const auto block_seed = sp.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(input_block);
  const bool drawn = block.spikes >= 0;
  if (!drawn) {
    block.spikes = static_cast<double>(
        sp.trace ? sp.trace->SpikesIn(row0, c.mt, col0, c.kt)
                 : SampleSpikeCount(c.mt * c.kt * sp.timesteps, sp.input_rate, block_seed));
    block.row_reads = RowReads(c, block.spikes);
  }
  const double spikes = block.spikes;
  Loads l;
  l.input_spikes = spikes;
  l.weight_row_reads = block.row_reads;
  l.input_bytes =
      static_cast<std::int64_t>(std::ceil(SpikeTensorBits(sp, c.mt * c.kt, spikes) / 8));
  // Event-driven: fetch only the weight rows of inputs that spiked at least once in the block
  // (expected distinct rows, never more than the spikes); none without spikes.
  const double p_row = SpikeActiveProbability(sp.input_rate, sp.correlation, c.mt * sp.timesteps);
  const auto rows =
      sp.trace ? sp.trace->ActiveInputs(row0, c.mt, col0, c.kt)
               : std::min<std::int64_t>(
                     {c.kt, static_cast<std::int64_t>(spikes),
                      static_cast<std::int64_t>(std::ceil(static_cast<double>(c.kt) * p_row))});
  if (!drawn) block.active_rows = ActiveRows(c, rows, ~block_seed);
  l.weight_bytes = layer_.OperandBBytes(rows * c.nt);
  l.active_rows = &block.active_rows;
  return l;
}

double SpikeTraffic::RowReads(const GemmChunk& c, double spikes) const {
  const SpikingConfig& sp = layer_.spiking;
  const std::int64_t slots = c.mt * sp.timesteps;
  if (spike_batch_ <= 1 || spikes <= 0) return spikes;
  if (sp.trace && spike_batch_ % sp.timesteps == 0) {
    const std::int64_t rows = spike_batch_ / sp.timesteps;  // whole rows per batch
    const std::int64_t row0 = c.batch * layer_.m + c.bi * blocks_.m, col0 = c.kc * blocks_.k;
    std::int64_t reads = 0;
    for (std::int64_t r = 0; r < c.mt; r += rows)
      reads += sp.trace->ActiveInputs(row0 + r, std::min(rows, c.mt - r), col0, c.kt);
    return static_cast<double>(reads);
  }
  // A trace keeps each neuron's count per row, not its timesteps: within a row, spikes are
  // taken as independent at the block's measured rate.
  const double rate = sp.trace ? spikes / static_cast<double>(slots * c.kt) : sp.input_rate;
  return SpikeWeightRowReads(spikes, rate, slots, spike_batch_, sp.trace ? 0 : sp.correlation);
}

std::vector<SpikeTraffic::RowRun> SpikeTraffic::ActiveRows(const GemmChunk& c, std::int64_t rows,
                                                           std::uint64_t seed) const {
  std::vector<RowRun> runs;
  const auto add = [&runs](std::int64_t row) {
    if (!runs.empty() && runs.back().first + runs.back().count == row) {
      ++runs.back().count;
    } else {
      runs.push_back({row, 1});
    }
  };
  const SpikingConfig& sp = layer_.spiking;
  if (rows >= c.kt) {
    runs.push_back({0, c.kt});
  } else if (sp.trace) {
    const std::int64_t row0 = c.batch * layer_.m + c.bi * blocks_.m, col0 = c.kc * blocks_.k;
    for (std::int64_t k = 0; k < c.kt; ++k) {
      if (sp.trace->SpikesIn(row0, c.mt, col0 + k, 1) > 0) add(k);
    }
  } else if (rows > 0) {
    // Selection sampling (Knuth, TAOCP vol. 2, 3.4.2, Algorithm S): every `rows`-subset of the
    // kt inputs equally likely, drawn in order in one pass.
    std::mt19937_64 rng(seed);
    std::int64_t needed = rows;
    for (std::int64_t k = 0; k < c.kt && needed > 0; ++k) {
      if (static_cast<double>(c.kt - k) * numerics::UniformUnit(rng) <
          static_cast<double>(needed)) {
        add(k);
        --needed;
      }
    }
  }
  return runs;
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

std::vector<Transfer> GatherRows(const Layer& layer, std::uint64_t address, std::int64_t nt,
                                 std::int64_t kt, const std::vector<SpikeTraffic::RowRun>& rows,
                                 std::int64_t burst) {
  std::vector<Transfer> out;
  if (rows.empty() || (rows.size() == 1 && rows[0].first == 0 && rows[0].count == kt)) return out;
  const auto b = static_cast<std::uint64_t>(std::max<std::int64_t>(burst, 1));
  for (const SpikeTraffic::RowRun& r : rows) {
    const std::uint64_t lo =
        (address + static_cast<std::uint64_t>(layer.OperandBBytes(r.first * nt))) / b * b;
    const std::uint64_t end =
        address + static_cast<std::uint64_t>(layer.OperandBBytes((r.first + r.count) * nt));
    const std::uint64_t hi = (end + b - 1) / b * b;
    if (!out.empty() && lo <= out.back().address + static_cast<std::uint64_t>(out.back().bytes)) {
      out.back().bytes = static_cast<std::int64_t>(hi - out.back().address);
    } else {
      out.push_back({lo, static_cast<std::int64_t>(hi - lo), -1});
    }
  }
  return out;
}

double ExpectedGatherBytes(const Layer& layer, std::int64_t mt, std::int64_t kt, std::int64_t nt,
                           std::int64_t burst) {
  const SpikingConfig& sp = layer.spiking;
  const double p = SpikeActiveProbability(sp.input_rate, sp.correlation, mt * sp.timesteps);
  const auto row = static_cast<double>(layer.OperandBBytes(nt));
  const auto rows = static_cast<double>(kt);
  const auto g = static_cast<double>(std::max<std::int64_t>(burst, 1));
  if (p <= 0) return 0;
  if (row < g) return rows * row * (1 - std::pow(1 - p, g / row));
  const double padded = std::ceil(row / g) * g;
  return rows * p * (row + (1 - p) * (padded - row));
}

}  // namespace pjsim
