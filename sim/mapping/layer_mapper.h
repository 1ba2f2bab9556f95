#pragma once
// Lowers a layer to tile tasks ("spread" strategy: every layer is spread over all tiles).
// Linear layers are tiled output-block-stationary: the output M x N is cut into Mb x Nb blocks
// assigned round-robin to tiles; each block walks K in Kb chunks that accumulate in the tile's
// SRAM. Operand chunks (Mb x Kb of the input, Kb x Nb of the weights) are fetched from DRAM per
// task, so weight bytes are read once per output-row block, exactly as this schedule implies.
// Block sizes are chosen to fit the SRAM (twice, with double buffering) and to minimise the larger
// of compute time and DRAM time, estimated from the array formula and DRAM bandwidth.
#include "sim/config/arch_config.h"
#include "sim/graph/layer.h"
#include "sim/mapping/dram_allocator.h"
#include "sim/mapping/tile_task.h"

namespace pjsim {

class LayerMapper {
 public:
  explicit LayerMapper(const ArchConfig& arch) : arch_(arch) {}

  // `input_regions[i]` holds the producer tensor for layer.inputs[i] (or a workload input).
  LayerPlan Map(int layer_index, const Layer& layer, const std::vector<DramRegion>& input_regions,
                const DramRegion& weight_region, const DramRegion& output_region) const;

  // Bytes of the SRAM a linear tiling needs (operands and accumulators, times the buffer count).
  std::int64_t SramBytesNeeded(const Layer& layer, std::int64_t mb, std::int64_t kb,
                               std::int64_t nb) const;

 private:
  LayerPlan MapLinear(int layer_index, const Layer& layer, const DramRegion& input,
                      const DramRegion& weights, const DramRegion& output) const;
  LayerPlan MapElementwise(int layer_index, const Layer& layer,
                           const std::vector<DramRegion>& inputs, const DramRegion& output) const;
  int Buffers() const { return arch_.mapping.double_buffering ? 2 : 1; }

  const ArchConfig& arch_;
};

}  // namespace pjsim
