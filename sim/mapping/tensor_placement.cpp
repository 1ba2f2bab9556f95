#include "sim/mapping/tensor_placement.h"

namespace pjsim {

TensorPlacement PlaceTensors(const ArchConfig& arch, const Workload& workload) {
  const auto& layers = workload.graph->layers();
  DramAllocator dram(static_cast<std::uint64_t>(arch.dram.row_bytes));
  const std::int64_t last_pass = workload.Passes() - 1;
  std::vector<DramRegion> outputs(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer last = layers[i].AtDecodeStep(last_pass);
    outputs[i] = dram.Allocate(
        static_cast<std::uint64_t>(last.OutputElements() * DTypeBits(last.dtype) / 8));
  }
  TensorPlacement placement;
  placement.layers.resize(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer last = layers[i].AtDecodeStep(last_pass);
    const auto bytes_per = static_cast<std::uint64_t>(DTypeBits(last.dtype) / 8);
    LayerRegions& r = placement.layers[i];
    for (int p : workload.graph->producers(static_cast<int>(i)))
      r.inputs.push_back(outputs[static_cast<size_t>(p)]);
    for (int in = static_cast<int>(r.inputs.size()); in < last.Arity(); ++in) {
      const TensorShape s = last.InputShape(in);  // a workload input, read from DRAM
      r.inputs.push_back(dram.Allocate(static_cast<std::uint64_t>(s.rows * s.cols) * bytes_per));
    }
    switch (last.kind) {
      case OpKind::kLinear:
      case OpKind::kAttentionScores:
      case OpKind::kAttentionContext:
        // Weights (an expert op holds every expert's), or the KV cache at its final length.
        r.operand_b = dram.Allocate(static_cast<std::uint64_t>(
            last.expert.enabled() ? last.expert.experts * last.OperandBBytes(last.k * last.n)
                                  : last.OperandBStoredBytes()));
        break;
      case OpKind::kNorm:
        r.operand_b = dram.Allocate(static_cast<std::uint64_t>(last.n) * bytes_per);
        break;
      case OpKind::kEmbedding:
        r.operand_b = dram.Allocate(static_cast<std::uint64_t>(last.k * last.n) * bytes_per);
        break;
      default:
        break;
    }
    r.output = outputs[i];
  }
  placement.bytes = dram.used();
  return placement;
}

}  // namespace pjsim
