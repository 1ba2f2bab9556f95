#pragma once
// One point of a GEMM-family layer's mapping space (what the mapping search chooses among):
//   blocks      Mb x Kb x Nb: a tile task computes an Mb x Nb output block over a Kb chunk of K;
//               partial sums of the K chunks accumulate in the tile's SRAM (output-block
//               stationary at the tile level), whatever dataflow the array runs inside a task.
//   grid        grid_m x grid_n tiles: at each step, tile (i, j) of the grid takes output block
//               (a * grid_m + i, b * grid_n + j) of super-block (a, b). The tiles of a grid row
//               share their input chunk, those of a grid column their weight chunk: one DRAM read,
//               multicast over the NoC.
//   grid_k      K split across tiles: each output block's K chunks are cut into grid_k ranges on
//               grid_k tiles (grid_m x grid_n x grid_k tiles in all); the tiles of ranges > 0 send
//               their partial sums over the NoC to the range-0 tile, which adds them and stores
//               the block (an on-chip reduction; the walk runs every output block in one round).
//   order       which super-block index advances fastest: N (kNInner) or M (kMInner).
//   resident    which operand panel stays in SRAM while the inner index advances: none, the input
//               panel Mb x K (with kNInner: each input byte is read from DRAM once) or the weight
//               panel K x Nb (with kMInner: each weight byte is read once).
//   accumulate_in_array  an output-stationary array whose output block is one fold keeps the
//               block's sums in its PEs across the K chunks (TileTask::accumulate_in_array): the
//               SRAM holds the block's final outputs, not its partial sums.
//   grid_b      batch split: the layer's `batch` products (attention heads, a batched matmul's
//               matrices) cut into grid_b contiguous ranges of BatchPerGroup products, each
//               walked by its own grid_m x grid_n x grid_k grid; the grids lie group_stride tiles
//               apart (the layer's tiles / grid_b) and run side by side, sharing nothing. For
//               products too small to occupy every tile with one grid.
//   single_buffered  one buffer for each operand chunk and output block instead of two: a
//               task's loads wait for the task before it to finish computing and its compute
//               for the block before it to be stored (TileTask::single_buffered), but the
//               chunks and blocks can be twice as large in the same SRAM.
#include <cstdint>
#include <string>

#include "sim/config/arch_config.h"
#include "sim/graph/layer.h"
#include "sim/mapping/gemm_tiling.h"

namespace pjsim {

enum class LoopOrder { kNInner, kMInner };
enum class ResidentOperand { kNone, kInput, kWeights };
// "none", "input" or "weights", as mapping.constraints.resident names them.
const char* ResidentOperandName(ResidentOperand r);

struct GemmMapping {
  GemmBlocks blocks;
  std::int64_t grid_m = 1, grid_n = 1;
  LoopOrder order = LoopOrder::kNInner;
  ResidentOperand resident = ResidentOperand::kNone;
  std::int64_t grid_k = 1;
  bool accumulate_in_array = false;
  bool single_buffered = false;  // (an arch that cannot double-buffer has one buffer anyway)
  std::int64_t grid_b = 1, group_stride = 0;

  // E.g. "blocks 64x512x128 grid 8x8 n-inner resident=input".
  std::string Describe() const;
};

// Bytes of each tile's SRAM the mapping needs: the resident panel (if any, plus one chunk of the
// next panel, prefetched under the last task), operand chunks and partial sums times the buffer
// count (BufferCount; the outputs at their own width instead when the sums accumulate in the
// array), and with K split across tiles one block of partial sums received from another tile.
std::int64_t MappingSramBytes(const ArchConfig& arch, const Layer& layer, const GemmMapping& m);

// Buffers per operand chunk and output block: 2, unless the mapping or the arch has one.
std::int64_t BufferCount(const ArchConfig& arch, const GemmMapping& m);

// Bytes of one partial sum in SRAM: the accumulator's width, but integer partial sums are held
// at 32 bits whatever the adder width (the addition-only arrays keep int32 partial sums).
std::int64_t PartialSumBytes(NumberType accumulator);

// K ranges of a K split: `k_chunks` chunks cut into ranges of ChunksPerRange chunks (the last may
// be shorter), KRanges of them (at most the requested grid_k, never an empty range).
std::int64_t ChunksPerRange(std::int64_t k_chunks, std::int64_t grid_k);
std::int64_t KRanges(std::int64_t k_chunks, std::int64_t grid_k);

// Tasks the grid's busiest (first) tile runs: its output blocks, each over its K range's chunks.
std::int64_t TasksPerTile(const Layer& layer, const GemmMapping& m);

// Products of a batch split's busiest (first) group: ceil(batch / grid_b).
std::int64_t BatchPerGroup(const Layer& layer, const GemmMapping& m);

}  // namespace pjsim
