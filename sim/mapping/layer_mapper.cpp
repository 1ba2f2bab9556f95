#include "sim/mapping/layer_mapper.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <stdexcept>

#include "sim/graph/elementwise_function.h"
#include "sim/workload/spike_trace.h"

namespace pjsim {
namespace {

std::int64_t AccumulatorBytes(const std::string& acc) { return acc == "fp16" ? 2 : 4; }

// min(full, unit * 2^i) for i = 0, 1, ... plus `full` itself.
std::vector<std::int64_t> BlockCandidates(std::int64_t full, std::int64_t unit) {
  std::vector<std::int64_t> out;
  for (std::int64_t b = unit; b < full; b *= 2) out.push_back(b);
  out.push_back(full);
  return out;
}

// ceil(K / 2^i) chunk lengths down to about one array height.
std::vector<std::int64_t> KChunkCandidates(std::int64_t k, std::int64_t min_chunk) {
  std::vector<std::int64_t> out;
  for (std::int64_t parts = 1;; parts *= 2) {
    const std::int64_t kb = CeilDiv(k, parts);
    out.push_back(kb);
    if (kb <= min_chunk || kb == 1) break;
  }
  return out;
}

// A layer that would need more tile tasks than this is refused instead of simulated for hours:
// at ~300 k tasks/s it would take over a minute per pass.
constexpr std::int64_t kMaxTasksPerLayer = 20'000'000;

void CheckTaskCount(const Layer& layer, std::int64_t tasks) {
  if (tasks > kMaxTasksPerLayer) {
    throw ConfigError(layer.where, "layer '" + layer.name + "' would need " + std::to_string(tasks) +
                                       " tile tasks (limit " + std::to_string(kMaxTasksPerLayer) +
                                       "); use a larger accelerator or a smaller layer");
  }
}

}  // namespace

std::int64_t LayerMapper::SramBytesNeeded(const Layer& layer, std::int64_t mb, std::int64_t kb,
                                          std::int64_t nb) const {
  const std::int64_t acc = AccumulatorBytes(arch_.tile.accumulator);
  return Buffers() *
         (layer.ActivationBytes(mb * kb) + layer.OperandBBytes(kb * nb) + mb * nb * acc);
}

LayerPlan LayerMapper::Map(int layer_index, const Layer& layer, const LayerRegions& regions) const {
  return layer.IsGemm() ? MapGemm(layer_index, layer, regions) : MapVector(layer_index, layer, regions);
}

LayerPlan LayerMapper::MapGemm(int layer_index, const Layer& layer, const LayerRegions& regions) const {
  const DramRegion& input = regions.inputs.at(0);
  const DramRegion& weights = regions.operand_b;
  const DramRegion& output = regions.output;
  // Activations (inputs and outputs) are packed at the layer's activation width.
  const auto act = [&layer](std::int64_t count) { return layer.ActivationBytes(count); };
  const std::int64_t tiles = tiles_;
  const ArrayShape array{arch_.tile.rows, arch_.tile.cols};
  const double dram_bytes_per_cycle = arch_.dram.channel_bandwidth_bytes_per_s / arch_.clock_hz *
                                      static_cast<double>(arch_.dram.channels.size());

  // Bytes per cycle the NoC can carry out of the DRAM channels' routers (one link per mesh
  // neighbour, plus the local port), so the choice does not starve the array behind the NoC.
  double noc_bytes_per_cycle = 0;
  for (const auto& ch : arch_.dram.channels) {
    const int links = (ch.x > 0) + (ch.x + 1 < arch_.mesh_width) + (ch.y > 0) + (ch.y + 1 < arch_.mesh_height) + 1;
    noc_bytes_per_cycle += links * arch_.noc.link_bytes_per_cycle;
  }
  struct Choice {
    std::int64_t mb = 0, kb = 0, nb = 0;
    double estimate = std::numeric_limits<double>::infinity();
    double dram_bytes = 0;
  } best;
  for (std::int64_t mb : BlockCandidates(layer.m, array.rows)) {
    for (std::int64_t nb : BlockCandidates(layer.n, array.cols)) {
      for (std::int64_t kb : KChunkCandidates(layer.k, array.rows)) {
        if (SramBytesNeeded(layer, mb, kb, nb) > sram_bytes_) {
          continue;
        }
        const std::int64_t blocks = layer.batch * CeilDiv(layer.m, mb) * CeilDiv(layer.n, nb);
        const double compute = static_cast<double>(CeilDiv(blocks, tiles) * CeilDiv(layer.k, kb) *
                                                   ArrayCycles(arch_.tile.dataflow, array, {mb, kb, nb}));
        const double dram_bytes =
            static_cast<double>(layer.batch) *
            (static_cast<double>(act(layer.m * layer.k) * CeilDiv(layer.n, nb)) +
             static_cast<double>(layer.OperandBBytes(layer.k * layer.n) * CeilDiv(layer.m, mb)) +
             static_cast<double>(act(layer.m * layer.n)));
        const double estimate = std::max({compute, dram_bytes / dram_bytes_per_cycle,
                                          dram_bytes / noc_bytes_per_cycle});
        // Within 2% of the best time, fewer DRAM bytes win (they cost energy).
        if (estimate < best.estimate * 0.98 ||
            (estimate <= best.estimate * 1.02 && dram_bytes < best.dram_bytes)) {
          best = {mb, kb, nb, estimate, dram_bytes};
        }
      }
    }
  }
  if (best.mb == 0) {
    throw std::runtime_error("layer '" + layer.name + "': no tiling fits the " +
                             std::to_string(sram_bytes_) +
                             "-byte tile SRAM (needs at least " +
                             std::to_string(SramBytesNeeded(layer, 1, 1, 1)) + " bytes)");
  }

  const std::int64_t blocks_m = CeilDiv(layer.m, best.mb);
  CheckTaskCount(layer, layer.batch * blocks_m * CeilDiv(layer.n, best.nb) * CeilDiv(layer.k, best.kb));
  LayerPlan plan;
  plan.per_tile.resize(static_cast<size_t>(tiles));
  const std::int64_t blocks_n = CeilDiv(layer.n, best.nb);
  const std::int64_t k_chunks = CeilDiv(layer.k, best.kb);
  double write_bytes = 0;
  const auto a_slice = static_cast<std::uint64_t>(act(layer.m * layer.k));
  const auto b_slice = static_cast<std::uint64_t>(layer.OperandBBytes(layer.k * layer.n));
  const auto o_slice = static_cast<std::uint64_t>(act(layer.m * layer.n));
  // Spike counts per input block (batch, row block, K chunk), drawn once: every column block
  // reads the same spikes (sampling once per block instead of once per task is what keeps
  // dense, long spike trains fast).
  std::vector<double> block_spikes;
  if (layer.spiking.enabled())
    block_spikes.assign(static_cast<size_t>(layer.batch * blocks_m * k_chunks), -1);
  std::int64_t block = 0;
  for (std::int64_t batch = 0; batch < layer.batch; ++batch) {
  const std::uint64_t a_base = input.base + static_cast<std::uint64_t>(batch) * a_slice;
  const std::uint64_t b_base = weights.base + static_cast<std::uint64_t>(batch) * b_slice;
  const std::uint64_t o_base = output.base + static_cast<std::uint64_t>(batch) * o_slice;
  for (std::int64_t bi = 0; bi < blocks_m; ++bi) {
    const std::int64_t mt = std::min(best.mb, layer.m - bi * best.mb);
    for (std::int64_t bj = 0; bj < blocks_n; ++bj, ++block) {
      const std::int64_t nt = std::min(best.nb, layer.n - bj * best.nb);
      auto& queue = plan.per_tile[static_cast<size_t>(block % tiles)];
      for (std::int64_t kc = 0; kc < k_chunks; ++kc) {
        const std::int64_t kt = std::min(best.kb, layer.k - kc * best.kb);
        TileTask t;
        t.layer = layer_index;
        t.kind = TaskKind::kGemm;
        t.gemm = {mt, kt, nt};
        t.first_k = kc == 0;
        t.last_k = kc == k_chunks - 1;
        // Blocked layouts: earlier block rows, then earlier chunks within this block row.
        const auto a_off =
            static_cast<std::uint64_t>(act(bi * best.mb * layer.k + mt * kc * best.kb));
        const auto w_off = static_cast<std::uint64_t>(layer.OperandBBytes(kc * best.kb * layer.n) +
                                                      layer.OperandBBytes(kt * bj * best.nb));
        std::int64_t a_bytes = act(mt * kt);
        if (layer.spiking.enabled()) {
          // The input block is a spike train; the same block gets the same spikes in every
          // column block that reads it (seeded by block position).
          const SpikingConfig& sp = layer.spiking;
          const std::int64_t input_block = (batch * blocks_m + bi) * k_chunks + kc;
          double& spikes = block_spikes[static_cast<size_t>(input_block)];
          if (spikes < 0) {
            const auto block_seed =
                sp.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(input_block);
            const std::int64_t row0 = batch * layer.m + bi * best.mb, col0 = kc * best.kb;
            spikes = static_cast<double>(
                sp.trace ? sp.trace->SpikesIn(row0, mt, col0, kt)
                         : SampleSpikeCount(mt * kt * sp.timesteps, sp.input_rate, block_seed));
          }
          t.input_spikes = spikes;
          a_bytes = static_cast<std::int64_t>(std::ceil(SpikeTensorBits(sp, mt * kt, t.input_spikes) / 8));
        }
        std::int64_t b_bytes = layer.OperandBBytes(kt * nt);
        if (layer.spiking.enabled()) {
          // Event-driven: fetch only the weight rows of inputs that spiked at least once in
          // the block (expected distinct rows, never more than the spikes); none without spikes.
          const double p_row = 1 - std::pow(1 - layer.spiking.input_rate,
                                            static_cast<double>(mt * layer.spiking.timesteps));
          const auto rows =
              layer.spiking.trace
                  ? layer.spiking.trace->ActiveInputs(batch * layer.m + bi * best.mb, mt, kc * best.kb, kt)
                  : std::min<std::int64_t>(
                        {kt, static_cast<std::int64_t>(t.input_spikes),
                         static_cast<std::int64_t>(std::ceil(static_cast<double>(kt) * p_row))});
          b_bytes = layer.OperandBBytes(rows * nt);
        }
        t.loads.push_back({a_base + a_off, a_bytes});
        t.loads.push_back({b_base + w_off, b_bytes});
        plan.tiling.planned_dram_read_bytes += static_cast<double>(a_bytes + b_bytes);
        plan.tiling.planned_operand_b_bytes += static_cast<double>(b_bytes);
        plan.tiling.input_spikes += t.input_spikes;
        if (t.last_k) {
          const auto o_off =
              static_cast<std::uint64_t>(act(bi * best.mb * layer.n + mt * bj * best.nb));
          std::int64_t out_bytes = act(mt * nt);
          if (layer.spiking.enabled()) {
            const SpikingConfig& sp = layer.spiking;
            const auto out_seed = ~sp.seed * 0xD1B54A32D192ED03ULL +
                                  static_cast<std::uint64_t>((batch * blocks_m + bi) * blocks_n + bj);
            t.output_spikes = static_cast<double>(SampleSpikeCount(mt * nt * sp.timesteps, sp.output_rate, out_seed));
            out_bytes = static_cast<std::int64_t>(std::ceil(SpikeTensorBits(sp, mt * nt, t.output_spikes) / 8));
          }
          write_bytes += static_cast<double>(out_bytes);
          t.store = {o_base + o_off, out_bytes};
        }
        queue.push_back(std::move(t));
        ++plan.tiling.tasks;
      }
    }
  }
  }
  plan.tiling.block_m = best.mb;
  plan.tiling.block_k = best.kb;
  plan.tiling.block_n = best.nb;
  plan.tiling.tiles_used = std::min(block, tiles);
  plan.tiling.planned_dram_write_bytes = write_bytes;
  return plan;
}

LayerPlan LayerMapper::MapVector(int layer_index, const Layer& layer,
                                 const LayerRegions& regions) const {
  const std::int64_t e = DTypeBits(layer.dtype) / 8;
  const std::int64_t tiles = tiles_;
  const std::int64_t total = layer.OutputElements();
  const ElementwiseFunction& f = FindElementwiseFunction(layer.function);
  // An embedding gathers from its table; other ops stream their activation inputs.
  std::vector<DramRegion> sources = regions.inputs;
  if (layer.kind == OpKind::kEmbedding) sources = {regions.operand_b};
  const std::int64_t gain_bytes = f.has_gain ? layer.n * e : 0;
  const auto streams = static_cast<std::int64_t>(sources.size()) + 1;
  const std::int64_t fit =
      (sram_bytes_ / Buffers() - gain_bytes) / (streams * e);
  if (fit < 1) throw std::runtime_error("layer '" + layer.name + "': tile SRAM too small");
  // Enough chunks to keep every tile busy, none larger than the SRAM allows, and none shorter
  // than kMinVectorCycles of vector work: spreading a 2560-element norm over 64 tiles would make
  // every tile pay a DRAM round trip (and fetch the gain) for a few cycles of arithmetic.
  constexpr std::int64_t kMinVectorCycles = 64;
  const std::int64_t min_chunk = arch_.tile.vector_lanes * kMinVectorCycles;
  const std::int64_t chunk =
      std::max<std::int64_t>(1, std::min(fit, std::max(min_chunk, CeilDiv(total, tiles))));
  CheckTaskCount(layer, CeilDiv(total, chunk));
  LayerPlan plan;
  plan.per_tile.resize(static_cast<size_t>(tiles));
  std::int64_t index = 0;
  for (std::int64_t start = 0; start < total; start += chunk, ++index) {
    const std::int64_t count = std::min(chunk, total - start);
    TileTask t;
    t.layer = layer_index;
    t.kind = TaskKind::kElementwise;
    t.elements = count;
    const auto off = static_cast<std::uint64_t>(start * e);
    for (const auto& in : sources) {
      t.loads.push_back({in.base + off % std::max<std::uint64_t>(in.bytes, 1), count * e});
    }
    if (gain_bytes > 0) {
      t.loads.push_back({regions.operand_b.base, gain_bytes});
      plan.tiling.planned_operand_b_bytes += static_cast<double>(gain_bytes);
    }
    if (layer.kind == OpKind::kEmbedding) plan.tiling.planned_operand_b_bytes += static_cast<double>(count * e);
    for (const auto& l : t.loads) plan.tiling.planned_dram_read_bytes += static_cast<double>(l.bytes);
    t.store = {regions.output.base + off, count * e};
    plan.per_tile[static_cast<size_t>(index % tiles)].push_back(std::move(t));
  }
  plan.tiling.block_m = 1;
  plan.tiling.block_n = chunk;
  plan.tiling.tasks = index;
  plan.tiling.tiles_used = std::min(index, tiles);
  plan.tiling.planned_dram_write_bytes = static_cast<double>(total * e);
  return plan;
}

}  // namespace pjsim
