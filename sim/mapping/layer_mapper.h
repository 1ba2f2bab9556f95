#pragma once
// Lowers a layer to tile tasks on one group of tiles (all tiles, or a pipelined group).
// GEMM-family layers (a batch of products) follow the mapping the search picks (gemm_mapping.h,
// mapping_search.h): the output M x N is cut into Mb x Nb blocks, taken a grid of tiles at a time;
// each block walks K in Kb chunks that accumulate in the tile's SRAM. A task loads the operand
// chunks it needs (Mb x Kb of the input, Kb x Nb of the weights) unless its resident panel holds
// them already; a chunk several tiles of the grid need at the same step is one shared load
// (LayerPlan::shares), read once and multicast. Spiking layers' traffic per chunk comes from
// SpikeTraffic (spike_traffic.h). Vector-family layers are cut into equal element chunks,
// round-robin over the tiles.
#include "sim/config/arch_config.h"
#include "sim/graph/layer.h"
#include "sim/mapping/dram_allocator.h"
#include "sim/mapping/gemm_mapping.h"
#include "sim/mapping/layer_regions.h"
#include "sim/mapping/mapping_search.h"
#include "sim/task/layer_plan.h"

namespace pjsim {

// A layer that would need more tile tasks than this is refused instead of simulated for hours:
// at ~300 k tasks/s it would take over a minute per pass.
inline constexpr std::int64_t kMaxTasksPerLayer = 20'000'000;

class LayerMapper {
 public:
  // Maps onto `tiles` tiles (a tile group); plans' per_tile lists are indexed within the group.
  // `sram_bytes` is the part of each tile's SRAM the tiling may use. `search` (kept by the
  // caller, so its memo outlives this mapper) picks GEMM mappings.
  // `dram`: how these tiles share the DRAM (MappingSearch::Rank).
  LayerMapper(const ArchConfig& arch, std::int64_t tiles, std::int64_t sram_bytes,
              MappingSearch& search, const DramShare& dram = {})
      : arch_(arch), tiles_(tiles), sram_bytes_(sram_bytes), search_(search), dram_(dram) {}

  // GEMM layers with the mapping the search ranks best.
  LayerPlan Map(int layer_index, const Layer& layer, const LayerRegions& regions) const;
  // What Map of a GEMM-family layer would throw (nothing fits, too many tasks), without walking.
  void Check(const Layer& layer) const;
  // The walk of a GEMM-family layer under `mapping`: the tasks of each tile, streamed when the
  // walk can be (GemmTaskSource::Streams) unless `hold`.
  LayerPlan WalkGemm(int layer_index, const Layer& layer, const LayerRegions& regions,
                     const GemmMapping& mapping, bool hold = false) const;

 private:
  LayerPlan MapVector(int layer_index, const Layer& layer, const LayerRegions& regions) const;
  int Buffers() const { return arch_.mapping.double_buffering ? 2 : 1; }

  const ArchConfig& arch_;
  std::int64_t tiles_;
  std::int64_t sram_bytes_;
  MappingSearch& search_;
  DramShare dram_;
};

// The same work: every field of the two layers but their names, inputs, ordering and where
// they were written is equal (never for routed experts or spiking layers, whose plans depend on
// more than their shape). Map gives such layers the same plan but for their tensors' addresses.
bool SameWork(const Layer& a, const Layer& b);
// The plan `plan` of a layer whose tensors lie at `from`, for layer `layer_index` of the same
// work (SameWork) whose tensors lie at `to` (regions of the same sizes): each transfer moved
// from its tensor in `from` to the same offset in that tensor in `to`, as Map would place it.
LayerPlan MovedPlan(const LayerPlan& plan, int layer_index, const LayerRegions& from,
                    const LayerRegions& to);
// `from` and `to` hold tensors of the same sizes, none at address 0 but empty ones (so an empty
// transfer, {0, 0}, is never one of a tensor's).
bool SameSizes(const LayerRegions& from, const LayerRegions& to);

// Appends `part` (a plan on tiles [first, first + part.per_tile.size()) of `into`'s group) to
// `into`: tasks, shares (renumbered) and the tiling's counts.
void AppendPlan(LayerPlan& into, const LayerPlan& part, std::int64_t first);
// The same, taking `part`'s tasks instead of copying them (a tile queue of `into` still empty
// takes the part's queue whole); `part` keeps its tiling, its task lists are left unspecified.
void AppendPlan(LayerPlan& into, LayerPlan&& part, std::int64_t first);

}  // namespace pjsim
