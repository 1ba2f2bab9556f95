#pragma once
// One point of a GEMM-family layer's mapping space (what the mapping search chooses among):
//   blocks      Mb x Kb x Nb: a tile task computes an Mb x Nb output block over a Kb chunk of K;
//               partial sums of the K chunks accumulate in the tile's SRAM (output-block
//               stationary at the tile level), whatever dataflow the array runs inside a task.
//   grid        grid_m x grid_n tiles: at each step, tile (i, j) of the grid takes output block
//               (a * grid_m + i, b * grid_n + j) of super-block (a, b). The tiles of a grid row
//               share their input chunk, those of a grid column their weight chunk: one DRAM read,
//               multicast over the NoC.
//   order       which super-block index advances fastest: N (kNInner) or M (kMInner).
//   resident    which operand panel stays in SRAM while the inner index advances: none, the input
//               panel Mb x K (with kNInner: each input byte is read from DRAM once) or the weight
//               panel K x Nb (with kMInner: each weight byte is read once).
#include <cstdint>
#include <string>

#include "sim/config/arch_config.h"
#include "sim/graph/layer.h"
#include "sim/mapping/gemm_tiling.h"

namespace pjsim {

enum class LoopOrder { kNInner, kMInner };
enum class ResidentOperand { kNone, kInput, kWeights };

struct GemmMapping {
  GemmBlocks blocks;
  std::int64_t grid_m = 1, grid_n = 1;
  LoopOrder order = LoopOrder::kNInner;
  ResidentOperand resident = ResidentOperand::kNone;

  // E.g. "blocks 64x512x128 grid 8x8 n-inner resident=input".
  std::string Describe() const;
};

// Bytes of each tile's SRAM the mapping needs: the resident panel (if any, plus one chunk of the
// next panel, prefetched under the last task), operand chunks and partial sums times the buffer
// count.
std::int64_t MappingSramBytes(const ArchConfig& arch, const Layer& layer, const GemmMapping& m);

// Bytes of one partial sum in SRAM: the accumulator's width, but integer partial sums are held
// at 32 bits whatever the adder width (the addition-only arrays keep int32 partial sums).
std::int64_t PartialSumBytes(NumberType accumulator);

}  // namespace pjsim
