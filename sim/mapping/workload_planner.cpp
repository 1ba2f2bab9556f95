#include "sim/mapping/workload_planner.h"

namespace pjsim {

WorkloadPlanner::WorkloadPlanner(const ArchConfig& arch, const Workload& workload)
    : arch_(arch), workload_(workload) {
  const auto& layers = workload.graph->layers();
  // Tile groups: contiguous tile ranges, taken by layers round-robin in topological order.
  const std::int64_t tiles = arch.TileCount();
  const std::int64_t group_count = GroupCount();
  groups_.resize(layers.size());
  int position = 0;
  for (int l : workload.graph->topological_order()) {
    const auto g = static_cast<std::int64_t>(position++ % group_count);
    const std::int64_t first = g * tiles / group_count;
    groups_[static_cast<size_t>(l)] = {first, (g + 1) * tiles / group_count - first, static_cast<int>(g)};
  }
  DramAllocator dram(static_cast<std::uint64_t>(arch.dram.row_bytes));
  const std::int64_t last_pass = workload.Passes() - 1;
  std::vector<DramRegion> outputs(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer last = layers[i].AtDecodeStep(last_pass);
    outputs[i] = dram.Allocate(static_cast<std::uint64_t>(last.OutputElements() * DTypeBits(last.dtype) / 8));
  }
  regions_.resize(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    const Layer last = layers[i].AtDecodeStep(last_pass);
    const auto bytes_per = static_cast<std::uint64_t>(DTypeBits(last.dtype) / 8);
    LayerRegions& r = regions_[i];
    for (int p : workload.graph->producers(static_cast<int>(i))) r.inputs.push_back(outputs[static_cast<size_t>(p)]);
    for (int in = static_cast<int>(r.inputs.size()); in < last.Arity(); ++in) {
      const TensorShape s = last.InputShape(in);  // a workload input, read from DRAM
      r.inputs.push_back(dram.Allocate(static_cast<std::uint64_t>(s.rows * s.cols) * bytes_per));
    }
    switch (last.kind) {
      case OpKind::kLinear:
      case OpKind::kAttentionScores:
      case OpKind::kAttentionContext:
        // Weights, or the KV cache at its final length.
        r.operand_b = dram.Allocate(static_cast<std::uint64_t>(last.batch * last.OperandBBytes(last.k * last.n)));
        break;
      case OpKind::kNorm: r.operand_b = dram.Allocate(static_cast<std::uint64_t>(last.n) * bytes_per); break;
      case OpKind::kEmbedding:
        r.operand_b = dram.Allocate(static_cast<std::uint64_t>(last.k * last.n) * bytes_per);
        break;
      default: break;
    }
    r.output = outputs[i];
  }
}

int WorkloadPlanner::GroupCount() const {
  return arch_.mapping.strategy == MappingStrategy::kPipelined ? static_cast<int>(arch_.mapping.groups) : 1;
}

bool WorkloadPlanner::GrowsWithPass(int layer) const {
  const OpKind k = workload_.graph->layers()[static_cast<size_t>(layer)].kind;
  return workload_.phase == Phase::kDecode &&
         (k == OpKind::kAttentionScores || k == OpKind::kAttentionContext || k == OpKind::kSoftmax);
}

Layer WorkloadPlanner::LayerAt(std::int64_t pass, int layer) const {
  const Layer& base = workload_.graph->layers()[static_cast<size_t>(layer)];
  return GrowsWithPass(layer) ? base.AtDecodeStep(pass) : base;
}

const LayerPlan& WorkloadPlanner::Plan(std::int64_t pass, int layer) {
  auto it = plans_.find(layer);
  if (it != plans_.end() && (!GrowsWithPass(layer) || planned_pass_[layer] == pass)) return it->second;
  const LayerMapper mapper(arch_, GroupOf(layer).count);
  plans_[layer] = mapper.Map(layer, LayerAt(pass, layer), regions_[static_cast<size_t>(layer)]);
  planned_pass_[layer] = pass;
  return plans_[layer];
}

}  // namespace pjsim
