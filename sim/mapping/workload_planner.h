#pragma once
// Places every tensor of a workload in DRAM and lowers its layers to tile tasks, pass by pass.
// Layers whose shape does not change between decode steps are planned once; attention and
// softmax layers, whose KV length grows by one token per step, are re-planned every step.
// The KV cache regions are sized for the last step, so addresses never move.
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/mapping/layer_mapper.h"
#include "sim/mapping/row_switch_delay.h"
#include "sim/workload/workload.h"

namespace pjsim {

class WorkloadPlanner {
 public:
  // `prices` let the mapping search estimate energy (mapping.objective) and `cycles` time tile
  // tasks as the tile kind does; defaults: no prices, the array formula.
  // `refiner`: simulates candidate mappings for `mapping.refine` (MappingSearch::Best).
  WorkloadPlanner(const ArchConfig& arch, const Workload& workload, MappingPrices prices = {},
                  TaskCycles cycles = {}, MappingRefiner refiner = {});

  // The layer as it runs in pass `pass` and its plan; valid until the next call for this layer.
  const LayerPlan& Plan(std::int64_t pass, int layer);
  // Cycles the row switches of `plan`'s placement add to its prediction (RowSwitchDelay; 0 for
  // a layer other than a GEMM): Plan's predictions have them, a bare walk's do not.
  double RowSwitchCycles(const Layer& op, const LayerPlan& plan) const;
  // Names the plan Plan(pass, layer) returned (call after it): equal ids are the same plan,
  // unchanged since; a new or re-planned plan gets a new id.
  std::uint64_t PlanId(std::int64_t pass, int layer) const;
  // Expert ops are routed here, pass by pass (the router keeps state), hence not const.
  Layer LayerAt(std::int64_t pass, int layer);
  bool GrowsWithPass(int layer) const;
  // Where the layer's tensors lie in DRAM (the same in every pass).
  const LayerRegions& RegionsOf(int layer) const { return regions_[static_cast<size_t>(layer)]; }
  // The DRAM address space the workload's tensors take (PlaceTensors).
  std::uint64_t dram_footprint_bytes() const { return dram_footprint_bytes_; }
  // Tiles the layer runs on: [first, first + count). Spread: all tiles; pipelined: its group.
  struct TileGroup {
    std::int64_t first = 0;
    std::int64_t count = 0;
    int index = 0;
  };
  const TileGroup& GroupOf(int layer) const { return groups_[static_cast<size_t>(layer)]; }
  int GroupCount() const;
  // The plan that (re)loads the layer's weights when `Plan` returns one that keeps them resident
  // in SRAM; null otherwise. Used when a tile lost its SRAM contents to power gating.
  const LayerPlan* PlanWithWeights(std::int64_t pass, int layer) const;
  // Whether linear weights stay in SRAM after the first pass (see MappingConfig).
  bool weights_resident() const { return resident_; }
  // The layer has run its last pass: its plans are not needed again (frees their tasks).
  void Release(int layer);
  // Plans every layer's first pass once, keeping none it would not keep anyway (so a whole
  // model's tasks are never all in memory at once): throws what a layer's mapping throws.
  // GEMM layers, routed experts too, are only checked (their mapping and task count), not walked.
  void Validate();
  // Plans made by moving another layer's plan (MovedPlan) instead of walking.
  std::int64_t moved_plans() const { return moved_plans_; }

 private:
  const ArchConfig& arch_;
  const Workload& workload_;
  MappingSearch search_;
  std::vector<TileGroup> groups_;  // per layer
  bool resident_ = false;
  std::int64_t tiling_sram_bytes_ = 0;
  std::map<int, LayerPlan> resident_plans_;  // linear layers' plans without weight loads
  void DecideWeightResidency();
  // Expert ops: the tokens each expert takes in `pass` (routed once per MoE block and pass).
  const std::vector<std::int64_t>& ExpertRows(std::int64_t pass, const Layer& base,
                                              std::int64_t* dropped);
  // Maps an expert op expert by expert onto the tiles each expert is placed on. `check_only`:
  // throws what the first mapping of its experts would throw, and returns no plan.
  LayerPlan MapExperts(int layer, const Layer& routed, bool check_only = false);
  struct RoutedPass {
    std::int64_t pass = -1;
    std::vector<std::int64_t> rows;
    std::int64_t dropped = 0;
  };
  std::unique_ptr<MoeRouter> router_;
  std::map<std::int64_t, RoutedPass> routed_;  // per MoE block: the latest pass
  std::vector<LayerRegions> regions_;
  std::uint64_t dram_footprint_bytes_ = 0;
  std::map<int, LayerPlan> plans_;  // current plan per layer
  std::map<int, std::int64_t> planned_pass_;
  std::map<int, std::uint64_t> plan_ids_, resident_ids_;  // PlanId of plans_, resident_plans_
  std::uint64_t next_plan_id_ = 0;
  // Plans made by walking, kept: a later layer of the same work (SameWork) on as many tiles,
  // with the same SRAM and tensors of the same sizes takes one of them moved to its tensors
  // (MovedPlan) instead of walking: a model's decoder blocks repeat one another. A growing
  // layer's walk is kept for the pass it was made in (the KV length moves on).
  struct Walked {
    int layer = 0;
    Layer op;
    std::int64_t tiles = 0, sram_bytes = 0;
    int at = 0;  // where its grid sits (MappingSearch::Placement): the prediction's NoC routes
    bool grows = false;
    LayerPlan plan;  // streamed queues share their source; held ones count in walked_tasks_
  };
  // The plan Map gives `op` (layer `layer`, planned with `sram_bytes` of each tile's SRAM):
  // walked, or a kept walk moved; a GEMM's prediction with the row switches of its tensors'
  // placement (RowSwitchDelay) and, on pipelined groups, the cycles the layers beside it add
  // (BesideOthers).
  LayerPlan Mapped(std::int64_t pass, int layer, const Layer& op, std::int64_t sram_bytes);
  // Pipelined groups: the cycles each layer of pass `pass` (mapped with `sram_bytes`) takes
  // beyond its prediction alone, the other groups' layers sharing the DRAM and the NoC while
  // it runs (PipelinedSchedule, replayed once per pass and tiling); 0 for layers not predicted
  // alone (vector layers, routed experts).
  const std::vector<double>& BesideOthers(std::int64_t pass, std::int64_t sram_bytes);
  struct Beside {
    std::int64_t pass = -1, sram_bytes = -1;
    std::vector<double> cycles;
  };
  Beside beside_;  // the latest pass's
  // The whole DRAM, on the tiles of the layer's group (where its grid sits).
  DramShare GroupShare(int layer);
  // Mapped, as the search predicts it (the kept walks hold that prediction).
  LayerPlan WalkedOrMoved(int layer, const Layer& op, std::int64_t sram_bytes);
  RowSwitchDelay row_switches_;
  std::vector<Walked> walked_;
  std::int64_t walked_pass_ = -1;  // of the growing layers' walks kept
  std::int64_t walked_tasks_ = 0;  // tasks the kept plans hold
  // Kept walks hold at most this many tasks (held plans: vector layers, K splits).
  static constexpr std::int64_t kWalkedTaskBudget = std::int64_t{1} << 17;
  std::uint64_t next_work_ = 0;
  std::int64_t moved_plans_ = 0;
};

}  // namespace pjsim
