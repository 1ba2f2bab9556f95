#include "sim/mapping/gemm_walk.h"

#include <algorithm>
#include <utility>

namespace pjsim {

GemmWalk::GemmWalk(const ArchConfig& arch, int layer_index, const Layer& layer,
                   const LayerRegions& regions, const GemmMapping& mapping)
    : layer_index_(layer_index), layer_(layer), regions_(regions), mapping_(mapping) {
  const GemmBlocks& blocks = mapping.blocks;
  blocks_m = CeilDiv(layer.m, blocks.m);
  blocks_n = CeilDiv(layer.n, blocks.n);
  k_chunks = CeilDiv(layer.k, blocks.k);
  pm = std::min(mapping.grid_m, blocks_m);
  pn = std::min(mapping.grid_n, blocks_n);
  // K split: ranges of `per_range` chunks on `pk` tiles per output block.
  per_range = ChunksPerRange(k_chunks, mapping.grid_k);
  pk = KRanges(k_chunks, mapping.grid_k);
  super_m = CeilDiv(blocks_m, pm);
  super_n = CeilDiv(blocks_n, pn);
  per_group = BatchPerGroup(layer, mapping);
  group_stride = mapping.grid_b > 1 ? mapping.group_stride : 0;
  n_inner = mapping.order == LoopOrder::kNInner;
  multicast = arch.mapping.multicast;
  // Spiking layers fetch only the weight rows their own input block needs: not shareable.
  share_b = multicast && !layer.spiking.enabled();
  resident_a = mapping.resident == ResidentOperand::kInput;
  resident_b = mapping.resident == ResidentOperand::kWeights;
  psum_bytes = PartialSumBytes(arch.tile.accumulator);
  // Scattered weight rows are fetched in whole DRAM bursts.
  burst = arch.dram.params ? arch.dram.params->BurstBytes() : 1;
  // Activations (inputs and outputs) are packed at the layer's activation width.
  a_slice_ = static_cast<std::uint64_t>(layer.ActivationBytes(layer.m * layer.k));
  b_slice_ = static_cast<std::uint64_t>(layer.OperandBBytes(layer.k * layer.n));
  o_slice_ = static_cast<std::uint64_t>(layer.ActivationBytes(layer.m * layer.n));
  // Once per walk, not per tile's cursor (a loop over the super-blocks).
  if (mapping.grid_b > 1) shares_per_product_ = CountSharesPerProduct();
}

std::int64_t GemmWalk::CountSharesPerProduct() const {
  std::int64_t shares = 0;
  for (std::int64_t sa = 0; sa < super_m; ++sa) {
    for (std::int64_t sb = 0; sb < super_n; ++sb) {
      const StepShares s = SharesAt(sa, sb);
      shares += (s.a + s.b) * per_range;
    }
  }
  return shares;
}

GemmWalk::StepShares GemmWalk::SharesAt(std::int64_t sa, std::int64_t sb) const {
  const std::int64_t rows = Rows(sa), cols = Cols(sb);
  // A load only one tile needs is its own, not a share.
  return {multicast && LoadA(sb) && cols >= 2 ? rows : 0,
          share_b && LoadB(sa) && rows >= 2 ? cols : 0};
}

std::int64_t GemmWalk::StoredBefore(std::int64_t sa, std::int64_t sb, std::int64_t i,
                                    std::int64_t j) const {
  const Layer& layer = layer_;
  const GemmBlocks& b = mapping_.blocks;
  // The output rows and columns super-block (sa, sb) covers (the last ones are ragged).
  const std::int64_t span_m = std::min(layer.m, (sa + 1) * pm * b.m) - sa * pm * b.m;
  const std::int64_t span_n = std::min(layer.n, (sb + 1) * pn * b.n) - sb * pn * b.n;
  // Earlier rounds: whole super-rows (n-inner) or super-columns (m-inner), then the earlier
  // super-blocks of this one's super-row or column.
  const std::int64_t rounds = n_inner ? sa * pm * b.m * layer.n + span_m * sb * pn * b.n
                                      : layer.m * sb * pn * b.n + sa * pm * b.m * span_n;
  // This round's blocks go grid row by grid row; only a round's last row or column is ragged.
  const std::int64_t mt = std::min(b.m, layer.m - (sa * pm + i) * b.m);
  return rounds + i * b.m * span_n + mt * j * b.n;
}

TileTask GemmWalk::Task(const GemmStep& at, KvGather* gather, SpikeTraffic* spikes) const {
  const Layer& layer = layer_;
  const GemmBlocks& blocks = mapping_.blocks;
  const auto act = [&layer](std::int64_t count) { return layer.ActivationBytes(count); };
  const std::uint64_t a_base =
      regions_.inputs.at(0).base + static_cast<std::uint64_t>(at.batch) * a_slice_;
  const std::uint64_t b_base =
      regions_.operand_b.base + (gather ? 0 : static_cast<std::uint64_t>(at.batch) * b_slice_);
  const std::uint64_t o_base =
      regions_.output.base + static_cast<std::uint64_t>(at.batch) * o_slice_;
  const std::int64_t kc = at.l * per_range + at.step;
  const std::int64_t range_end = std::min((at.l + 1) * per_range, k_chunks);
  const std::int64_t kt = std::min(blocks.k, layer.k - kc * blocks.k);
  const std::int64_t bi = at.sa * pm + at.i;
  const std::int64_t mt = std::min(blocks.m, layer.m - bi * blocks.m);
  const std::int64_t bj = at.sb * pn + at.j;
  const std::int64_t nt = std::min(blocks.n, layer.n - bj * blocks.n);
  const GemmChunk chunk{at.batch, bi, bj, kc, mt, kt, nt};
  TileTask t;
  t.layer = layer_index_;
  t.kind = TaskKind::kGemm;
  t.gemm = {mt, kt, nt};
  t.first_k = at.step == 0;
  t.last_k = kc == range_end - 1;
  t.accumulate_in_array = mapping_.accumulate_in_array;
  t.single_buffered = mapping_.single_buffered;
  // Blocked layouts: earlier block rows, then earlier chunks within this block row.
  const auto a_off = static_cast<std::uint64_t>(act(bi * blocks.m * layer.k + mt * kc * blocks.k));
  const auto w_off = gather
                         ? gather->Offset(at.batch, kc, kt, bj, blocks)
                         : static_cast<std::uint64_t>(layer.OperandBBytes(kc * blocks.k * layer.n) +
                                                      layer.OperandBBytes(kt * bj * blocks.n));
  t.input = {a_base + a_off, act(mt * kt), at.a_share};
  t.weights = {b_base + w_off, layer.OperandBBytes(kt * nt), at.b_share};
  if (spikes) {
    const SpikeTraffic::Loads loads = spikes->Load(chunk);
    t.input_spikes = loads.input_spikes;
    t.weight_row_reads = loads.weight_row_reads;
    t.input.bytes = loads.input_bytes;
    t.weights.bytes = loads.weight_bytes;
    if (at.load_b) {
      t.weight_gather = GatherRows(layer, t.weights.address, nt, kt, *loads.active_rows, burst);
    }
  }
  if (!at.load_a) t.input = {};
  if (!at.load_b) t.weights = {};
  if (t.last_k && pk > 1) t.reduction = at.reduction;
  if (t.last_k && at.l == 0) {  // the block's root stores it
    t.store = {o_base + static_cast<std::uint64_t>(act(StoredBefore(at.sa, at.sb, at.i, at.j))),
               act(mt * nt)};
    if (spikes) {
      const SpikeTraffic::Store out = spikes->Output(chunk);
      t.output_spikes = out.output_spikes;
      t.store.bytes = out.bytes;
    }
  }
  return t;
}

namespace {

// One grid cell's tasks: the walk's loops with the cell fixed, the shares of the other cells
// counted (a share's index is its place in the walk).
class GemmCursor : public TaskCursor {
 public:
  // A batch split's tile walks its group's products, its cell's share indices after every
  // earlier product's shares (a product's walk makes as many as any other's).
  GemmCursor(std::shared_ptr<const GemmWalk> walk, int tile) : walk_(std::move(walk)) {
    const GemmWalk& w = *walk_;
    const std::int64_t group = w.group_stride > 0 ? tile / w.group_stride : 0;
    const std::int64_t cell = tile - group * w.group_stride;
    i_ = cell / w.pn;
    j_ = cell % w.pn;
    batch_ = group * w.per_group;
    end_ = std::min(w.layer().batch, batch_ + w.per_group);
    if (batch_ > 0) next_share_ = batch_ * w.SharesPerProduct();
  }

  bool Next(TileTask& task) override {
    const GemmWalk& w = *walk_;
    const std::int64_t outers = w.n_inner ? w.super_m : w.super_n;
    const std::int64_t inners = w.n_inner ? w.super_n : w.super_m;
    while (batch_ < end_) {
      const std::int64_t sa = w.n_inner ? outer_ : inner_, sb = w.n_inner ? inner_ : outer_;
      const GemmWalk::StepShares shares = w.SharesAt(sa, sb);
      const bool active = i_ < w.Rows(sa) && j_ < w.Cols(sb);
      if (active && step_ < w.per_range) {
        const auto a_share = shares.a > 0 ? static_cast<std::int32_t>(next_share_ + i_) : -1;
        const auto b_share =
            shares.b > 0 ? static_cast<std::int32_t>(next_share_ + shares.a + j_) : -1;
        const GemmStep at{batch_, sa,          sb,          step_,   0,       i_,
                          j_,     w.LoadA(sb), w.LoadB(sa), a_share, b_share, -1};
        next_share_ += shares.a + shares.b;
        ++step_;
        task = w.Task(at, nullptr, nullptr);
        return true;
      }
      if (!active) next_share_ += (shares.a + shares.b) * w.per_range;
      step_ = 0;
      if (++inner_ == inners) {
        inner_ = 0;
        if (++outer_ == outers) {
          outer_ = 0;
          ++batch_;
        }
      }
    }
    return false;
  }

 private:
  std::shared_ptr<const GemmWalk> walk_;
  std::int64_t i_ = 0, j_ = 0;
  std::int64_t batch_ = 0, end_ = 0, outer_ = 0, inner_ = 0, step_ = 0;
  std::int64_t next_share_ = 0;
};

}  // namespace

bool GemmTaskSource::Streams(const GemmWalk& walk) {
  // A gathered KV cache is selected per product: every tile's cursor would select again (and a
  // sparse attention's tasks grow only with the kept tokens).
  return walk.pk == 1 && !walk.layer().spiking.enabled() && !walk.layer().GathersKv();
}

std::unique_ptr<TaskCursor> GemmTaskSource::Start(int tile) const {
  return std::make_unique<GemmCursor>(walk_, tile);
}

std::size_t GemmTaskSource::Window() const {
  // The loader runs at most a buffer ahead of the array, which runs at most a buffer of output
  // blocks (each up to per_range K chunks) ahead of the storer; twice that, for margin.
  return static_cast<std::size_t>(4 * (walk_->per_range + 2) + 64);
}

}  // namespace pjsim
