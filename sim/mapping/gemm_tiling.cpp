#include "sim/mapping/gemm_tiling.h"

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/task/array_timing.h"

namespace pjsim {
namespace {

// Bytes of one partial sum in SRAM: the accumulator's width, but integer partial sums are held
// at 32 bits whatever the adder width (the addition-only arrays keep int32 partial sums).
std::int64_t PartialSumBytes(NumberType accumulator) {
  const int bits = NumberTypeBits(accumulator);
  return (IsFloat(accumulator) ? bits : std::max(bits, 32)) / 8;
}

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

}  // namespace

std::int64_t GemmSramBytes(const ArchConfig& arch, const Layer& layer, const GemmBlocks& blocks) {
  const std::int64_t buffers = arch.mapping.double_buffering ? 2 : 1;
  const auto [mb, kb, nb] = blocks;
  return buffers * (layer.ActivationBytes(mb * kb) + layer.OperandBBytes(kb * nb) +
                    mb * nb * PartialSumBytes(arch.tile.accumulator));
}

GemmBlocks ChooseGemmBlocks(const ArchConfig& arch, const Layer& layer, std::int64_t tiles,
                            std::int64_t sram_bytes) {
  // Activations (inputs and outputs) are packed at the layer's activation width.
  const auto act = [&layer](std::int64_t count) { return layer.ActivationBytes(count); };
  const ArrayShape array{arch.tile.rows, arch.tile.cols};
  const double dram_bytes_per_cycle = arch.dram.channel_bandwidth_bytes_per_s / arch.clock_hz *
                                      static_cast<double>(arch.dram.channels.size());

  // Bytes per cycle the NoC can carry out of the DRAM channels' routers (one link per mesh
  // neighbour, plus the local port), so the choice does not starve the array behind the NoC.
  double noc_bytes_per_cycle = 0;
  for (const auto& ch : arch.dram.channels) {
    const int links =
        (ch.x > 0) + (ch.x + 1 < arch.mesh_width) + (ch.y > 0) + (ch.y + 1 < arch.mesh_height) + 1;
    noc_bytes_per_cycle += links * arch.noc.link_bytes_per_cycle;
  }
  GemmBlocks best;
  double best_estimate = std::numeric_limits<double>::infinity();
  double best_dram_bytes = 0;
  for (std::int64_t mb : BlockCandidates(layer.m, array.rows)) {
    for (std::int64_t nb : BlockCandidates(layer.n, array.cols)) {
      for (std::int64_t kb : KChunkCandidates(layer.k, array.rows)) {
        if (GemmSramBytes(arch, layer, {mb, kb, nb}) > sram_bytes) continue;
        const std::int64_t blocks = layer.batch * CeilDiv(layer.m, mb) * CeilDiv(layer.n, nb);
        const double compute =
            static_cast<double>(CeilDiv(blocks, tiles) * CeilDiv(layer.k, kb) *
                                ArrayCycles(arch.tile.dataflow, array, {mb, kb, nb}));
        const double dram_bytes =
            static_cast<double>(layer.batch) *
            (static_cast<double>(act(layer.m * layer.k) * CeilDiv(layer.n, nb)) +
             static_cast<double>(layer.OperandBBytes(layer.k * layer.n) * CeilDiv(layer.m, mb)) +
             static_cast<double>(act(layer.m * layer.n)));
        const double estimate = std::max(
            {compute, dram_bytes / dram_bytes_per_cycle, dram_bytes / noc_bytes_per_cycle});
        // Within 2% of the best time, fewer DRAM bytes win (they cost energy).
        if (estimate < best_estimate * 0.98 ||
            (estimate <= best_estimate * 1.02 && dram_bytes < best_dram_bytes)) {
          best = {mb, kb, nb};
          best_estimate = estimate;
          best_dram_bytes = dram_bytes;
        }
      }
    }
  }
  if (best.m == 0) {
    throw std::runtime_error("layer '" + layer.name + "': no tiling fits the " +
                             std::to_string(sram_bytes) + "-byte tile SRAM (needs at least " +
                             std::to_string(GemmSramBytes(arch, layer, {1, 1, 1})) + " bytes)");
  }
  return best;
}

}  // namespace pjsim
