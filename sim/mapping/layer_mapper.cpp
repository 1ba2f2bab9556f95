#include "sim/mapping/layer_mapper.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "sim/graph/elementwise_function.h"
#include "sim/mapping/gemm_walk.h"
#include "sim/mapping/kv_gather.h"
#include "sim/mapping/spike_traffic.h"

namespace pjsim {
namespace {

void CheckTaskCount(const Layer& layer, std::int64_t tasks) {
  if (tasks > kMaxTasksPerLayer) {
    throw ConfigError(layer.where, "layer '" + layer.name + "' would need " +
                                       std::to_string(tasks) + " tile tasks (limit " +
                                       std::to_string(kMaxTasksPerLayer) +
                                       "); use a larger accelerator or a smaller layer");
  }
}

// Every field of these is compared in SameWork or moved in MovedPlan: a field added to one
// must be handled there too, or layers that differ in it would share a plan.
static_assert(sizeof(Layer) == 600, "compare the new Layer field in SameWork (or exclude it)");
static_assert(sizeof(TileTask) == 192, "move the new TileTask field in MovedPlan");

// A transfer of a plan moved from `from` to `to`: the walks place each role's transfers in one
// tensor (input: the first input; second input: the second; weights and gathered rows: operand
// B, the embedding's table too; store: the output). Empty transfers stay empty.
Transfer Moved(const Transfer& t, const DramRegion& from, const DramRegion& to) {
  if (t.address == 0 && t.bytes == 0) return t;
  Transfer moved = t;
  moved.address = t.address - from.base + to.base;
  return moved;
}

// A streamed plan moved (MovedPlan): the tasks of `inner`, each moved as it is made. Its cursors
// share the move (a tile's queue starts a cursor at every reading: no copy of it each time).
class MovedTaskSource : public TaskSource {
 public:
  using Move = std::function<void(TileTask&)>;
  MovedTaskSource(std::shared_ptr<const TaskSource> inner, Move move)
      : inner_(std::move(inner)), move_(std::make_shared<const Move>(std::move(move))) {}
  std::unique_ptr<TaskCursor> Start(int tile) const override {
    return std::make_unique<Cursor>(inner_->Start(tile), move_);
  }
  std::size_t Window() const override { return inner_->Window(); }

 private:
  class Cursor : public TaskCursor {
   public:
    Cursor(std::unique_ptr<TaskCursor> inner, std::shared_ptr<const Move> move)
        : inner_(std::move(inner)), move_(std::move(move)) {}
    bool Next(TileTask& task) override {
      if (!inner_->Next(task)) return false;
      (*move_)(task);
      return true;
    }

   private:
    std::unique_ptr<TaskCursor> inner_;
    std::shared_ptr<const Move> move_;
  };
  std::shared_ptr<const TaskSource> inner_;
  std::shared_ptr<const Move> move_;
};

}  // namespace

bool SameWork(const Layer& a, const Layer& b) {
  if (a.expert.enabled() || b.expert.enabled() || a.spiking.enabled() || b.spiking.enabled())
    return false;
  const AttentionDims &x = a.attention, &y = b.attention;
  return a.kind == b.kind && a.batch == b.batch && a.m == b.m && a.k == b.k && a.n == b.n &&
         x.sequences == y.sequences && x.heads == y.heads && x.kv_heads == y.kv_heads &&
         x.head_dim == y.head_dim && x.q_len == y.q_len && x.kv_len == y.kv_len &&
         x.values_in_keys == y.values_in_keys && a.dtype == b.dtype &&
         a.arithmetic == b.arithmetic && a.weight_packing == b.weight_packing &&
         a.weight_sparsity == b.weight_sparsity && a.activation_bits == b.activation_bits &&
         a.activation_sparsity == b.activation_sparsity && a.kv_sequences == b.kv_sequences &&
         a.inner == b.inner && a.sparsity == b.sparsity && a.function == b.function;
}

bool SameSizes(const LayerRegions& from, const LayerRegions& to) {
  // Equal sizes, and at nonzero addresses (or both the empty region, {0, 0}).
  const auto same = [](const DramRegion& f, const DramRegion& t) {
    return f.bytes == t.bytes &&
           ((f.base != 0 && t.base != 0) || (f.base == 0 && t.base == 0 && f.bytes == 0));
  };
  if (from.inputs.size() != to.inputs.size()) return false;
  for (size_t i = 0; i < from.inputs.size(); ++i) {
    if (!same(from.inputs[i], to.inputs[i])) return false;
  }
  return same(from.operand_b, to.operand_b) && same(from.output, to.output);
}

LayerPlan MovedPlan(const LayerPlan& plan, int layer_index, const LayerRegions& from,
                    const LayerRegions& to) {
  // Every field but the queues copied (a field added to LayerPlan and not here does not compile
  // warning-free); the queues made below, a streamed one without first copying it.
  LayerPlan moved{{}, plan.shares, plan.reductions, plan.tiling, plan.work};
  moved.per_tile.reserve(plan.per_tile.size());
  const DramRegion none;
  const DramRegion in0_from = from.inputs.empty() ? none : from.inputs[0];
  const DramRegion in0_to = to.inputs.empty() ? none : to.inputs[0];
  const DramRegion in1_from = from.inputs.size() > 1 ? from.inputs[1] : none;
  const DramRegion in1_to = to.inputs.size() > 1 ? to.inputs[1] : none;
  // The regions captured, not the LayerRegions (whose input lists a copy would allocate).
  const DramRegion b_from = from.operand_b, b_to = to.operand_b;
  const DramRegion out_from = from.output, out_to = to.output;
  const auto move = [=](TileTask& t) {
    t.layer = layer_index;
    t.input = Moved(t.input, in0_from, in0_to);
    t.second_input = Moved(t.second_input, in1_from, in1_to);
    t.weights = Moved(t.weights, b_from, b_to);
    for (Transfer& g : t.weight_gather) g = Moved(g, b_from, b_to);
    t.store = Moved(t.store, out_from, out_to);
  };
  // Streamed queues stay streamed: their tasks are moved as they are made.
  std::map<const TaskSource*, std::shared_ptr<const TaskSource>> sources;
  for (const TaskQueue& queue : plan.per_tile) {
    if (queue.streamed()) {
      auto& source = sources[queue.source().get()];
      if (!source) source = std::make_shared<const MovedTaskSource>(queue.source(), move);
      moved.per_tile.emplace_back(source, queue.tile(), queue.size());
      continue;
    }
    moved.per_tile.push_back(queue);
    for (TileTask& t : moved.per_tile.back().Tasks()) move(t);
  }
  return moved;
}

LayerPlan LayerMapper::Map(int layer_index, const Layer& layer, const LayerRegions& regions) const {
  if (!layer.IsGemm()) return MapVector(layer_index, layer, regions);
  const RankedMapping& best = search_.Best(layer, tiles_, sram_bytes_, dram_);
  GemmMapping mapping = best.mapping;
  FitToGather(layer, mapping);
  LayerPlan plan = WalkGemm(layer_index, layer, regions, mapping);
  plan.tiling.predicted_cycles = best.estimate.cycles;
  plan.tiling.predicted_alone_cycles = best.estimate.cycles_alone;
  plan.tiling.estimate_rank = best.estimate_rank;
  plan.tiling.refined_candidates = best.refined_candidates;
  return plan;
}

void LayerMapper::Check(const Layer& layer) const {
  GemmMapping mapping = search_.Best(layer, tiles_, sram_bytes_, dram_).mapping;
  FitToGather(layer, mapping);
  const GemmBlocks& b = mapping.blocks;
  CheckTaskCount(
      layer, layer.batch * CeilDiv(layer.m, b.m) * CeilDiv(layer.n, b.n) * CeilDiv(layer.k, b.k));
}

LayerPlan LayerMapper::WalkGemm(int layer_index, const Layer& layer, const LayerRegions& regions,
                                const GemmMapping& mapping, bool hold) const {
  auto walk = std::make_shared<const GemmWalk>(arch_, layer_index, layer, regions, mapping);
  const GemmWalk& w = *walk;
  const GemmBlocks& blocks = mapping.blocks;
  const std::int64_t pm = w.pm, pn = w.pn, pk = w.pk, per_range = w.per_range;
  const std::int64_t k_chunks = w.k_chunks;
  const std::int64_t groups = CeilDiv(layer.batch, w.per_group);
  if ((groups - 1) * w.group_stride + pm * pn * pk > tiles_ ||
      (groups > 1 && w.group_stride < pm * pn * pk)) {
    throw std::logic_error("layer '" + layer.name + "': " + std::to_string(groups) + " x a " +
                           std::to_string(pm) + "x" + std::to_string(pn) + "x" +
                           std::to_string(pk) + " grid on " + std::to_string(tiles_) + " tiles");
  }
  if (pk > 1 && (mapping.resident != ResidentOperand::kNone || layer.spiking.enabled())) {
    throw std::logic_error("layer '" + layer.name +
                           "': a K split keeps no panel resident and maps no spiking layer");
  }
  CheckTaskCount(layer, layer.batch * w.blocks_m * w.blocks_n * k_chunks);
  // Without a K split or spikes, each tile's tasks are streamed when it runs (task_queue.h):
  // this walk only counts them and places the shares.
  const bool stream = !hold && GemmTaskSource::Streams(w);
  std::optional<SpikeTraffic> spikes;
  if (layer.spiking.enabled()) spikes.emplace(layer, blocks, arch_.tile.spike_batch);
  // Sparse attention: each kept run of the KV cache is read from its own address.
  std::optional<KvGather> gather;
  if (layer.GathersKv()) gather.emplace(layer);
  LayerPlan plan;
  plan.per_tile.resize(static_cast<size_t>(tiles_));
  std::vector<size_t> counts(static_cast<size_t>(tiles_), 0);
  // Every tile of the grid gets at most one task per step.
  const auto steps = static_cast<size_t>(w.per_group * w.super_m * w.super_n * per_range);
  if (!stream) {
    for (std::int64_t g = 0; g < groups; ++g) {
      for (std::int64_t t = 0; t < pm * pn * pk; ++t)
        plan.per_tile[static_cast<size_t>(g * w.group_stride + t)].reserve(steps);
    }
  }
  // A load the tiles `members` need at this step: one shared load when several do.
  const auto share = [&](const std::vector<int>& members) -> std::int32_t {
    if (members.size() < 2) return -1;
    plan.shares.push_back(members);
    return static_cast<std::int32_t>(plan.shares.size() - 1);
  };
  // Counts a load's DRAM bytes once: for its first receiver only.
  const auto count_load = [&](const Transfer& t, std::int64_t tile, bool operand_b) {
    if (t.bytes == 0) return;
    if (t.share >= 0 && plan.shares[static_cast<size_t>(t.share)].front() != tile) return;
    plan.tiling.planned_dram_read_bytes += static_cast<double>(t.bytes);
    if (operand_b) plan.tiling.planned_operand_b_bytes += static_cast<double>(t.bytes);
  };
  double write_bytes = 0;
  std::vector<int> members;
  // Per (grid row or column, K range): this step's shared load.
  std::vector<std::int32_t> a_share(static_cast<size_t>(pm * pk));
  std::vector<std::int32_t> b_share(static_cast<size_t>(pn * pk));
  std::vector<std::int32_t> reduction(static_cast<size_t>(pm * pn), -1);  // per grid cell
  for (std::int64_t batch = 0; batch < layer.batch; ++batch) {
    for (std::int64_t outer = 0; outer < (w.n_inner ? w.super_m : w.super_n); ++outer) {
      for (std::int64_t inner = 0; inner < (w.n_inner ? w.super_n : w.super_m); ++inner) {
        const std::int64_t sa = w.n_inner ? outer : inner, sb = w.n_inner ? inner : outer;
        const std::int64_t rows = w.Rows(sa);  // active grid rows
        const std::int64_t cols = w.Cols(sb);  // active grid columns
        // A resident panel was loaded at the first step of its outer index.
        const bool load_a = w.LoadA(sb);
        const bool load_b = w.LoadB(sa);
        if (pk > 1) {
          for (std::int64_t i = 0; i < rows; ++i) {
            for (std::int64_t j = 0; j < cols; ++j) {
              const std::int64_t mt = std::min(blocks.m, layer.m - (sa * pm + i) * blocks.m);
              const std::int64_t nt = std::min(blocks.n, layer.n - (sb * pn + j) * blocks.n);
              PartialSumReduction r;
              r.root = static_cast<int>(w.TileOf(batch, 0, i, j));
              for (std::int64_t l = 1; l < pk; ++l)
                r.contributors.push_back(static_cast<int>(w.TileOf(batch, l, i, j)));
              r.elements = mt * nt;
              r.partial_bytes = mt * nt * w.psum_bytes;
              plan.tiling.planned_reduction_bytes +=
                  static_cast<double>(r.partial_bytes * (pk - 1));
              plan.reductions.push_back(std::move(r));
              reduction[static_cast<size_t>(i * pn + j)] =
                  static_cast<std::int32_t>(plan.reductions.size() - 1);
            }
          }
        }
        for (std::int64_t step = 0; step < per_range; ++step) {
          std::fill(a_share.begin(), a_share.end(), -1);
          std::fill(b_share.begin(), b_share.end(), -1);
          for (std::int64_t l = 0; l < pk; ++l) {
            if (l * per_range + step >= k_chunks) continue;  // the last range is shorter
            if (w.multicast && load_a) {
              for (std::int64_t i = 0; i < rows; ++i) {
                members.clear();
                for (std::int64_t j = 0; j < cols; ++j)
                  members.push_back(static_cast<int>(w.TileOf(batch, l, i, j)));
                a_share[static_cast<size_t>(l * pm + i)] = share(members);
              }
            }
            if (w.share_b && load_b) {
              for (std::int64_t j = 0; j < cols; ++j) {
                members.clear();
                for (std::int64_t i = 0; i < rows; ++i)
                  members.push_back(static_cast<int>(w.TileOf(batch, l, i, j)));
                b_share[static_cast<size_t>(l * pn + j)] = share(members);
              }
            }
          }
          for (std::int64_t l = 0; l < pk; ++l) {
            if (l * per_range + step >= k_chunks) continue;
            for (std::int64_t i = 0; i < rows; ++i) {
              for (std::int64_t j = 0; j < cols; ++j) {
                const std::int64_t tile = w.TileOf(batch, l, i, j);
                const GemmStep at{batch,
                                  sa,
                                  sb,
                                  step,
                                  l,
                                  i,
                                  j,
                                  load_a,
                                  load_b,
                                  a_share[static_cast<size_t>(l * pm + i)],
                                  b_share[static_cast<size_t>(l * pn + j)],
                                  reduction[static_cast<size_t>(i * pn + j)]};
                TileTask t = w.Task(at, gather ? &*gather : nullptr, spikes ? &*spikes : nullptr);
                count_load(t.input, tile, false);
                if (t.weight_gather.empty()) count_load(t.weights, tile, true);
                for (const Transfer& g : t.weight_gather) count_load(g, tile, true);
                plan.tiling.input_spikes += t.input_spikes;
                write_bytes += static_cast<double>(t.store.bytes);
                ++counts[static_cast<size_t>(tile)];
                if (!stream) plan.per_tile[static_cast<size_t>(tile)].push_back(std::move(t));
                ++plan.tiling.tasks;
              }
            }
          }
        }
      }
    }
  }
  if (stream) {
    auto source = std::make_shared<const GemmTaskSource>(walk);
    for (size_t t = 0; t < counts.size(); ++t) {
      if (counts[t] > 0) plan.per_tile[t] = TaskQueue(source, static_cast<int>(t), counts[t]);
    }
  }
  plan.tiling.block_m = blocks.m;
  plan.tiling.block_k = blocks.k;
  plan.tiling.block_n = blocks.n;
  plan.tiling.grid_m = pm;
  plan.tiling.grid_n = pn;
  plan.tiling.grid_k = pk;
  plan.tiling.mapping = mapping.Describe();
  plan.tiling.grid_b = groups;
  plan.tiling.tiles_used = pm * pn * pk * groups;
  plan.tiling.planned_dram_write_bytes = write_bytes;
  plan.tiling.compulsory_bytes = CompulsoryBytes(layer);
  plan.tiling.lower_bound_bytes = LowerBoundBytes(
      layer, static_cast<double>(sram_bytes_) * static_cast<double>(pm * pn * pk * groups));
  return plan;
}

void AppendPlan(LayerPlan& into, const LayerPlan& part, std::int64_t first) {
  AppendPlan(into, LayerPlan(part), first);
}

void AppendPlan(LayerPlan& into, LayerPlan&& part, std::int64_t first) {
  const auto offset = static_cast<std::int32_t>(into.shares.size());
  for (std::vector<int>& members : part.shares) {
    for (int& t : members) t += static_cast<int>(first);
    into.shares.push_back(std::move(members));
  }
  const auto reduction_offset = static_cast<std::int32_t>(into.reductions.size());
  for (PartialSumReduction& r : part.reductions) {
    r.root += static_cast<int>(first);
    for (int& t : r.contributors) t += static_cast<int>(first);
    into.reductions.push_back(std::move(r));
  }
  for (size_t t = 0; t < part.per_tile.size(); ++t) {
    std::vector<TileTask>& tasks = part.per_tile[t].Tasks();
    if (offset > 0 || reduction_offset > 0) {
      for (TileTask& task : tasks) {
        for (Transfer* l : {&task.input, &task.second_input, &task.weights}) {
          if (l->share >= 0) l->share += offset;
        }
        if (task.reduction >= 0) task.reduction += reduction_offset;
      }
    }
    TaskQueue& into_queue = into.per_tile.at(static_cast<size_t>(first) + t);
    if (into_queue.empty()) {
      // An expert's tasks are many: moving the queue whole copies none of them.
      into_queue = TaskQueue(std::move(tasks));
      continue;
    }
    std::vector<TileTask>& queue = into_queue.Tasks();
    // Room for the part at once (growing by doubling moved each task about twice).
    const size_t needed = queue.size() + tasks.size();
    if (queue.capacity() < needed) queue.reserve(std::max(needed, 2 * queue.capacity()));
    std::move(tasks.begin(), tasks.end(), std::back_inserter(queue));
  }
  Tiling& to = into.tiling;
  const Tiling& from = part.tiling;
  to.block_m = from.block_m;
  to.block_k = from.block_k;
  to.block_n = from.block_n;
  to.grid_m = from.grid_m;
  to.grid_n = from.grid_n;
  to.grid_k = from.grid_k;
  to.grid_b = from.grid_b;
  to.mapping = from.mapping;
  to.tasks += from.tasks;
  to.planned_dram_read_bytes += from.planned_dram_read_bytes;
  to.planned_operand_b_bytes += from.planned_operand_b_bytes;
  to.planned_dram_write_bytes += from.planned_dram_write_bytes;
  to.planned_reduction_bytes += from.planned_reduction_bytes;
  to.input_spikes += from.input_spikes;
  to.predicted_cycles = std::max(to.predicted_cycles, from.predicted_cycles);
  to.predicted_alone_cycles = std::max(to.predicted_alone_cycles, from.predicted_alone_cycles);
  to.compulsory_bytes += from.compulsory_bytes;
  to.lower_bound_bytes += from.lower_bound_bytes;
}

LayerPlan LayerMapper::MapVector(int layer_index, const Layer& layer,
                                 const LayerRegions& regions) const {
  const std::int64_t e = DTypeBits(layer.dtype) / 8;
  const std::int64_t tiles = tiles_;
  const std::int64_t total = layer.OutputElements();
  const ElementwiseFunction& f = FindElementwiseFunction(layer.function);
  // An embedding gathers from its table; other ops stream their activation inputs.
  std::vector<DramRegion> sources = regions.inputs;
  if (layer.kind == OpKind::kEmbedding) sources = {regions.operand_b};
  const std::int64_t gain_bytes = f.has_gain ? layer.n * e : 0;
  if (sources.size() > 2) {
    throw std::logic_error("layer '" + layer.name + "': a tile task loads at most two inputs");
  }
  const auto streams = static_cast<std::int64_t>(sources.size()) + 1;
  const std::int64_t fit = (sram_bytes_ / Buffers() - gain_bytes) / (streams * e);
  if (fit < 1) {
    throw ConfigError(layer.where, "layer '" + layer.name +
                                       "': no chunk of its elements fits the " +
                                       std::to_string(sram_bytes_) + "-byte tile SRAM");
  }
  // Enough chunks to keep every tile busy, none larger than the SRAM allows, and none shorter
  // than kMinVectorCycles of vector work: spreading a 2560-element norm over 64 tiles would make
  // every tile pay a DRAM round trip (and fetch the gain) for a few cycles of arithmetic.
  constexpr std::int64_t kMinVectorCycles = 64;
  const std::int64_t min_chunk = arch_.tile.vector_lanes * kMinVectorCycles;
  const std::int64_t chunk =
      std::max<std::int64_t>(1, std::min(fit, std::max(min_chunk, CeilDiv(total, tiles))));
  CheckTaskCount(layer, CeilDiv(total, chunk));
  LayerPlan plan;
  plan.per_tile.resize(static_cast<size_t>(tiles));
  std::int64_t index = 0;
  for (std::int64_t start = 0; start < total; start += chunk, ++index) {
    const std::int64_t count = std::min(chunk, total - start);
    TileTask t;
    t.layer = layer_index;
    t.kind = TaskKind::kElementwise;
    t.elements = count;
    const auto off = static_cast<std::uint64_t>(start * e);
    const auto chunk_of = [&](const DramRegion& r) -> Transfer {
      return {r.base + off % std::max<std::uint64_t>(r.bytes, 1), count * e};
    };
    if (layer.kind == OpKind::kEmbedding) {
      t.weights = chunk_of(regions.operand_b);  // the table rows this chunk gathers
      plan.tiling.planned_operand_b_bytes += static_cast<double>(count * e);
    } else {
      if (!sources.empty()) t.input = chunk_of(sources[0]);
      if (sources.size() > 1) t.second_input = chunk_of(sources[1]);
      if (gain_bytes > 0) {
        t.weights = {regions.operand_b.base, gain_bytes};
        plan.tiling.planned_operand_b_bytes += static_cast<double>(gain_bytes);
      }
    }
    for (const auto& l : t.Loads()) {
      plan.tiling.planned_dram_read_bytes += static_cast<double>(l.bytes);
    }
    t.store = {regions.output.base + off, count * e};
    plan.per_tile[static_cast<size_t>(index % tiles)].push_back(std::move(t));
  }
  plan.tiling.block_m = 1;
  plan.tiling.block_n = chunk;
  plan.tiling.tasks = index;
  plan.tiling.tiles_used = std::min(index, tiles);
  plan.tiling.planned_dram_write_bytes = static_cast<double>(total * e);
  return plan;
}

}  // namespace pjsim
