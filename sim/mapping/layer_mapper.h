#pragma once
// Lowers a layer to tile tasks ("spread" strategy: every layer is spread over all tiles).
// GEMM-family layers (a batch of products) are tiled output-block-stationary: the output M x N is cut into Mb x Nb blocks
// assigned round-robin to tiles; each block walks K in Kb chunks that accumulate in the tile's
// SRAM. Operand chunks (Mb x Kb of the input, Kb x Nb of the weights) are fetched from DRAM per
// task, so weight bytes are read once per output-row block, exactly as this schedule implies.
// Block sizes are chosen to fit the SRAM (twice, with double buffering) and to minimise the larger
// of compute time and DRAM time, estimated from the array formula and DRAM bandwidth.
#include "sim/config/arch_config.h"
#include "sim/graph/layer.h"
#include "sim/mapping/dram_allocator.h"
#include "sim/task/tile_task.h"

namespace pjsim {

// Where a layer's tensors live in DRAM.
struct LayerRegions {
  std::vector<DramRegion> inputs;  // one per activation input (Layer::Arity())
  DramRegion operand_b;            // weights, KV cache, norm gain or embedding table
  DramRegion output;
};

class LayerMapper {
 public:
  // Maps onto `tiles` tiles (a tile group); plans' per_tile lists are indexed within the group.
  // `sram_bytes` is the part of each tile's SRAM the tiling may use.
  LayerMapper(const ArchConfig& arch, std::int64_t tiles, std::int64_t sram_bytes)
      : arch_(arch), tiles_(tiles), sram_bytes_(sram_bytes) {}

  LayerPlan Map(int layer_index, const Layer& layer, const LayerRegions& regions) const;

  // Bytes of the SRAM a GEMM tiling needs (operands and accumulators, times the buffer count).
  std::int64_t SramBytesNeeded(const Layer& layer, std::int64_t mb, std::int64_t kb,
                               std::int64_t nb) const;

 private:
  LayerPlan MapGemm(int layer_index, const Layer& layer, const LayerRegions& regions) const;
  LayerPlan MapVector(int layer_index, const Layer& layer, const LayerRegions& regions) const;
  int Buffers() const { return arch_.mapping.double_buffering ? 2 : 1; }

  const ArchConfig& arch_;
  std::int64_t tiles_;
  std::int64_t sram_bytes_;
};

}  // namespace pjsim
