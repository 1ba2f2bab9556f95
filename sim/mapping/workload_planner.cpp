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
  tiling_sram_bytes_ = static_cast<std::int64_t>(arch.tile.sram.capacity_bytes);
  DecideWeightResidency();
}

void WorkloadPlanner::DecideWeightResidency() {
  if (workload_.Passes() < 2 || !arch_.mapping.weight_residency) return;
  const double capacity = arch_.tile.sram.capacity_bytes;
  const auto tiling = static_cast<std::int64_t>(capacity * (1 - arch_.mapping.resident_fraction));
  const double resident_budget = capacity - static_cast<double>(tiling);
  std::vector<double> resident_bytes(static_cast<size_t>(arch_.TileCount()), 0.0);
  std::map<int, LayerPlan> plans;
  const auto& layers = workload_.graph->layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    if (layers[l].kind != OpKind::kLinear) continue;
    const TileGroup& g = groups_[l];
    LayerPlan plan = LayerMapper(arch_, g.count, tiling).Map(static_cast<int>(l), layers[l], regions_[l]);
    for (size_t t = 0; t < plan.per_tile.size(); ++t) {
      for (const TileTask& task : plan.per_tile[t]) {
        resident_bytes[static_cast<size_t>(g.first) + t] += static_cast<double>(task.loads.at(1).bytes);
      }
    }
    plans.emplace(static_cast<int>(l), std::move(plan));
  }
  for (double b : resident_bytes) {
    if (b > resident_budget) return;  // does not fit: fetch weights every pass
  }
  resident_ = true;
  tiling_sram_bytes_ = tiling;
  for (auto& [l, plan] : plans) {
    LayerPlan without = plan;
    for (auto& queue : without.per_tile) {
      for (TileTask& task : queue) {
        without.tiling.planned_dram_read_bytes -= static_cast<double>(task.loads[1].bytes);
        without.tiling.planned_operand_b_bytes -= static_cast<double>(task.loads[1].bytes);
        task.loads.erase(task.loads.begin() + 1);
      }
    }
    resident_plans_.emplace(l, std::move(without));
    plans_[l] = std::move(plan);
    planned_pass_[l] = 0;
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
  if (pass > 0 && resident_) {
    if (auto r = resident_plans_.find(layer); r != resident_plans_.end()) return r->second;
  }
  auto it = plans_.find(layer);
  if (it != plans_.end() && (!GrowsWithPass(layer) || planned_pass_[layer] == pass)) return it->second;
  const LayerMapper mapper(arch_, GroupOf(layer).count, tiling_sram_bytes_);
  plans_[layer] = mapper.Map(layer, LayerAt(pass, layer), regions_[static_cast<size_t>(layer)]);
  planned_pass_[layer] = pass;
  return plans_[layer];
}

}  // namespace pjsim
