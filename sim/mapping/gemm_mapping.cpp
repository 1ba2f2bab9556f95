#include "sim/mapping/gemm_mapping.h"

#include <algorithm>

namespace pjsim {

const char* ResidentOperandName(ResidentOperand r) {
  switch (r) {
    case ResidentOperand::kNone:
      return "none";
    case ResidentOperand::kInput:
      return "input";
    case ResidentOperand::kWeights:
      return "weights";
  }
  return "";
}

std::string GemmMapping::Describe() const {
  std::string s = "blocks " + std::to_string(blocks.m) + "x" + std::to_string(blocks.k) + "x" +
                  std::to_string(blocks.n) + " grid " + std::to_string(grid_m) + "x" +
                  std::to_string(grid_n) + (grid_k > 1 ? "x" + std::to_string(grid_k) : "") +
                  (order == LoopOrder::kNInner ? " n-inner" : " m-inner") +
                  (accumulate_in_array ? " accumulate=array" : "") +
                  (single_buffered ? " single-buffered" : "") +
                  (grid_b > 1 ? " batch-groups " + std::to_string(grid_b) : "");
  return resident == ResidentOperand::kNone ? s : s + " resident=" + ResidentOperandName(resident);
}

std::int64_t PartialSumBytes(NumberType accumulator) {
  const int bits = NumberTypeBits(accumulator);
  return (IsFloat(accumulator) ? bits : std::max(bits, 32)) / 8;
}

std::int64_t BufferCount(const ArchConfig& arch, const GemmMapping& m) {
  return arch.mapping.double_buffering && !m.single_buffered ? 2 : 1;
}

std::int64_t MappingSramBytes(const ArchConfig& arch, const Layer& layer, const GemmMapping& m) {
  const std::int64_t buffers = BufferCount(arch, m);
  const auto [mb, kb, nb] = m.blocks;
  const std::int64_t a_chunk = layer.ActivationBytes(mb * kb);
  const std::int64_t b_chunk = layer.OperandBBytes(kb * nb);
  const std::int64_t sums = mb * nb * PartialSumBytes(arch.tile.accumulator);
  const std::int64_t received = m.grid_k > 1 ? sums : 0;
  // The block's buffer: its partial sums, or only its outputs when the sums stay in the array
  // (a K split's contributor then still drains its range's sums into it).
  const std::int64_t psums =
      m.accumulate_in_array && m.grid_k <= 1 ? layer.ActivationBytes(mb * nb) : sums;
  switch (m.resident) {
    case ResidentOperand::kNone:
      return buffers * (a_chunk + b_chunk + psums) + received;
    case ResidentOperand::kInput:
      return layer.ActivationBytes(mb * layer.k) + (buffers - 1) * a_chunk +
             buffers * (b_chunk + psums) + received;
    case ResidentOperand::kWeights:
      return layer.OperandBBytes(layer.k * nb) + (buffers - 1) * b_chunk +
             buffers * (a_chunk + psums) + received;
  }
  return 0;
}

std::int64_t ChunksPerRange(std::int64_t k_chunks, std::int64_t grid_k) {
  return CeilDiv(k_chunks, std::max<std::int64_t>(grid_k, 1));
}

std::int64_t KRanges(std::int64_t k_chunks, std::int64_t grid_k) {
  return CeilDiv(k_chunks, ChunksPerRange(k_chunks, grid_k));
}

std::int64_t BatchPerGroup(const Layer& layer, const GemmMapping& m) {
  return CeilDiv(layer.batch, std::max<std::int64_t>(1, m.grid_b));
}

std::int64_t TasksPerTile(const Layer& layer, const GemmMapping& m) {
  return BatchPerGroup(layer, m) * CeilDiv(CeilDiv(layer.m, m.blocks.m), m.grid_m) *
         CeilDiv(CeilDiv(layer.n, m.blocks.n), m.grid_n) *
         ChunksPerRange(CeilDiv(layer.k, m.blocks.k), m.grid_k);
}

}  // namespace pjsim
