#pragma once
// Lowers a layer to tile tasks on one group of tiles (all tiles, or a pipelined group).
// GEMM-family layers (a batch of products) are tiled output-block-stationary: the output M x N
// is cut into Mb x Nb blocks assigned round-robin to the tiles; each block walks K in Kb chunks
// that accumulate in the tile's SRAM. Operand chunks (Mb x Kb of the input, Kb x Nb of the
// weights) are fetched from DRAM per task, so weight bytes are read once per output-row block,
// exactly as this schedule implies. The block sizes come from ChooseGemmBlocks
// (gemm_tiling.h); spiking layers' traffic per chunk from SpikeTraffic (spike_traffic.h).
// Vector-family layers are cut into equal element chunks, round-robin over the tiles.
#include "sim/config/arch_config.h"
#include "sim/graph/layer.h"
#include "sim/mapping/dram_allocator.h"
#include "sim/mapping/gemm_tiling.h"
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

  // GEMM layers with the blocks ChooseGemmBlocks picks.
  LayerPlan Map(int layer_index, const Layer& layer, const LayerRegions& regions) const;
  // The block walk of a GEMM-family layer with the given blocks: the tasks of each tile.
  LayerPlan WalkGemm(int layer_index, const Layer& layer, const LayerRegions& regions,
                     const GemmBlocks& blocks) const;

 private:
  LayerPlan MapVector(int layer_index, const Layer& layer, const LayerRegions& regions) const;
  int Buffers() const { return arch_.mapping.double_buffering ? 2 : 1; }

  const ArchConfig& arch_;
  std::int64_t tiles_;
  std::int64_t sram_bytes_;
};

}  // namespace pjsim
