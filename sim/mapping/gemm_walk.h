#pragma once
// The walk of a GEMM-family layer under a mapping (layer_mapper.h describes it): what each of its
// tile tasks is, made one at a time. LayerMapper::WalkGemm walks every task once for the plan's
// shares and totals; a plan without a K split or spikes then streams each tile's tasks from a
// GemmTaskSource (task_queue.h) instead of holding them, walking the tile's part again.
#include <cstdint>
#include <memory>

#include "sim/config/arch_config.h"
#include "sim/graph/layer.h"
#include "sim/mapping/gemm_mapping.h"
#include "sim/mapping/kv_gather.h"
#include "sim/mapping/layer_regions.h"
#include "sim/mapping/spike_traffic.h"
#include "sim/task/task_source.h"
#include "sim/task/tile_task.h"

namespace pjsim {

// Where a task lies in the walk: product `batch`, super-block (sa, sb), K step `step` of range
// `l`, grid cell (i, j); and what the walk decided for it (which loads it makes, shares, joins).
struct GemmStep {
  std::int64_t batch = 0, sa = 0, sb = 0, step = 0, l = 0, i = 0, j = 0;
  bool load_a = true, load_b = true;
  std::int32_t a_share = -1, b_share = -1, reduction = -1;
};

class GemmWalk {
 public:
  GemmWalk(const ArchConfig& arch, int layer_index, const Layer& layer, const LayerRegions& regions,
           const GemmMapping& mapping);

  // The task at `at`. `gather`: the layer's KvGather when it gathers its KV cache; `spikes`:
  // its SpikeTraffic when it spikes.
  TileTask Task(const GemmStep& at, KvGather* gather, SpikeTraffic* spikes) const;
  // Output elements the walk stores before block (i, j) of super-block (sa, sb) of a product:
  // the block's offset in the output, which lies in the order the walk stores it, so the blocks a
  // round stores together are one contiguous range that the channels and banks spread like a
  // stream (docs/MAPPING.md, "Where a layer's outputs are stored").
  std::int64_t StoredBefore(std::int64_t sa, std::int64_t sb, std::int64_t i, std::int64_t j) const;
  // Batch split: the group walking product `batch`, the tile of its grid cell (i, j) in K range
  // l (relative to the layer's first tile), and the shares one product's walk makes.
  std::int64_t GroupOf(std::int64_t batch) const { return batch / per_group; }
  std::int64_t TileOf(std::int64_t batch, std::int64_t l, std::int64_t i, std::int64_t j) const {
    return GroupOf(batch) * group_stride + (l * pm + i) * pn + j;
  }
  // (Counted for batch splits, whose later groups' cursors start after earlier products'
  // shares; 0 otherwise.)
  std::int64_t SharesPerProduct() const { return shares_per_product_; }
  // Shares a tile's loads join at one K step of super-block (sa, sb) (grid rows first, then
  // columns): `a` per grid row when its input chunk is multicast, `b` per grid column when its
  // weight chunk is.
  struct StepShares {
    std::int64_t a = 0, b = 0;
  };
  StepShares SharesAt(std::int64_t sa, std::int64_t sb) const;
  // The grid rows and columns active in super-block (sa, sb), and whether its input / weight
  // chunks are loaded (not a resident panel's).
  std::int64_t Rows(std::int64_t sa) const { return std::min(pm, blocks_m - sa * pm); }
  std::int64_t Cols(std::int64_t sb) const { return std::min(pn, blocks_n - sb * pn); }
  bool LoadA(std::int64_t sb) const { return !(resident_a && sb > 0); }
  bool LoadB(std::int64_t sa) const { return !(resident_b && sa > 0); }

  const Layer& layer() const { return layer_; }
  const GemmMapping& mapping() const { return mapping_; }
  int layer_index() const { return layer_index_; }

  // The walk's dimensions: blocks per M, N and K, the grid used, K chunks per range and ranges,
  // super-blocks along M and N, and the loop order.
  std::int64_t blocks_m = 0, blocks_n = 0, k_chunks = 0, pm = 1, pn = 1, per_range = 1, pk = 1;
  std::int64_t super_m = 1, super_n = 1;
  std::int64_t per_group = 1, group_stride = 0;  // products per group (all: no split), tiles apart
  bool n_inner = true, multicast = false, share_b = false;
  bool resident_a = false, resident_b = false;
  std::int64_t psum_bytes = 0, burst = 1;

 private:
  int layer_index_;
  Layer layer_;
  LayerRegions regions_;
  GemmMapping mapping_;
  std::uint64_t a_slice_ = 0, b_slice_ = 0, o_slice_ = 0;
  std::int64_t CountSharesPerProduct() const;
  std::int64_t shares_per_product_ = 0;
};

// Streams each tile's tasks of a walk without a K split, spikes or a gathered KV cache, in the
// walk's order.
class GemmTaskSource : public TaskSource {
 public:
  explicit GemmTaskSource(std::shared_ptr<const GemmWalk> walk) : walk_(std::move(walk)) {}
  std::unique_ptr<TaskCursor> Start(int tile) const override;
  std::size_t Window() const override;
  // Whether a walk's tasks can be streamed from this source.
  static bool Streams(const GemmWalk& walk);

 private:
  std::shared_ptr<const GemmWalk> walk_;
};

}  // namespace pjsim
