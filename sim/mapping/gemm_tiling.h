#pragma once
// The tiling choice of a GEMM-family layer: the block sizes Mb x Kb x Nb of the
// output-block-stationary walk (layer_mapper.h). Candidates are power-of-two multiples of the
// array's rows/columns (and the full dimension); K is halved down to about one array height.
// Those that fit the SRAM (times the buffer count) are ranked by the larger of the array's
// compute time and the layer's DRAM and NoC transfer times, estimated from the array formula and
// the bandwidths; within 2% of the best time, fewer DRAM bytes win (they cost energy).
// A search over a mapping space replaces ChooseGemmBlocks, not the walk.
#include <cstdint>

#include "sim/config/arch_config.h"
#include "sim/graph/layer.h"

namespace pjsim {

struct GemmBlocks {
  std::int64_t m = 0, k = 0, n = 0;
};

// One task's place in the walk: product `batch`, output block (bi, bj), K chunk kc, and its
// sizes (the last block of a dimension may be short).
struct GemmChunk {
  std::int64_t batch = 0, bi = 0, bj = 0, kc = 0;
  std::int64_t mt = 0, kt = 0, nt = 0;
};

// Blocks for `layer` on `tiles` tiles with `sram_bytes` of each tile's SRAM for the tiling.
// Throws std::runtime_error when not even 1 x 1 x 1 blocks fit.
GemmBlocks ChooseGemmBlocks(const ArchConfig& arch, const Layer& layer, std::int64_t tiles,
                            std::int64_t sram_bytes);

// Bytes of SRAM the blocks need: operands and partial sums, times the buffer count.
std::int64_t GemmSramBytes(const ArchConfig& arch, const Layer& layer, const GemmBlocks& blocks);

}  // namespace pjsim
