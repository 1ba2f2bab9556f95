#include "sim/mapping/layer_mapper.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "sim/graph/elementwise_function.h"
#include "sim/mapping/kv_gather.h"
#include "sim/mapping/spike_traffic.h"

namespace pjsim {
namespace {

// A layer that would need more tile tasks than this is refused instead of simulated for hours:
// at ~300 k tasks/s it would take over a minute per pass.
constexpr std::int64_t kMaxTasksPerLayer = 20'000'000;

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
  LayerPlan moved = plan;
  const DramRegion none;
  const DramRegion& in0_from = from.inputs.empty() ? none : from.inputs[0];
  const DramRegion& in0_to = to.inputs.empty() ? none : to.inputs[0];
  const DramRegion& in1_from = from.inputs.size() > 1 ? from.inputs[1] : none;
  const DramRegion& in1_to = to.inputs.size() > 1 ? to.inputs[1] : none;
  for (auto& queue : moved.per_tile) {
    for (TileTask& t : queue) {
      t.layer = layer_index;
      t.input = Moved(t.input, in0_from, in0_to);
      t.second_input = Moved(t.second_input, in1_from, in1_to);
      t.weights = Moved(t.weights, from.operand_b, to.operand_b);
      for (Transfer& g : t.weight_gather) g = Moved(g, from.operand_b, to.operand_b);
      t.store = Moved(t.store, from.output, to.output);
    }
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
                                const GemmMapping& mapping) const {
  const GemmBlocks& blocks = mapping.blocks;
  const std::int64_t blocks_m = CeilDiv(layer.m, blocks.m);
  const std::int64_t blocks_n = CeilDiv(layer.n, blocks.n);
  const std::int64_t k_chunks = CeilDiv(layer.k, blocks.k);
  const std::int64_t pm = std::min(mapping.grid_m, blocks_m);
  const std::int64_t pn = std::min(mapping.grid_n, blocks_n);
  // K split: ranges of `per_range` chunks on `pk` tiles per output block.
  const std::int64_t per_range = ChunksPerRange(k_chunks, mapping.grid_k);
  const std::int64_t pk = KRanges(k_chunks, mapping.grid_k);
  if (pm * pn * pk > tiles_) {
    throw std::logic_error("layer '" + layer.name + "': a " + std::to_string(pm) + "x" +
                           std::to_string(pn) + "x" + std::to_string(pk) + " grid on " +
                           std::to_string(tiles_) + " tiles");
  }
  if (pk > 1 && (mapping.resident != ResidentOperand::kNone || layer.spiking.enabled())) {
    throw std::logic_error("layer '" + layer.name +
                           "': a K split keeps no panel resident and maps no spiking layer");
  }
  const std::int64_t super_m = CeilDiv(blocks_m, pm), super_n = CeilDiv(blocks_n, pn);
  CheckTaskCount(layer, layer.batch * blocks_m * blocks_n * k_chunks);
  const bool n_inner = mapping.order == LoopOrder::kNInner;
  const bool multicast = arch_.mapping.multicast;
  // Spiking layers fetch only the weight rows their own input block needs: not shareable.
  const bool share_b = multicast && !layer.spiking.enabled();
  const bool resident_a = mapping.resident == ResidentOperand::kInput;
  const bool resident_b = mapping.resident == ResidentOperand::kWeights;
  const std::int64_t psum_bytes = PartialSumBytes(arch_.tile.accumulator);
  // Activations (inputs and outputs) are packed at the layer's activation width.
  const auto act = [&layer](std::int64_t count) { return layer.ActivationBytes(count); };
  const auto a_slice = static_cast<std::uint64_t>(act(layer.m * layer.k));
  const auto b_slice = static_cast<std::uint64_t>(layer.OperandBBytes(layer.k * layer.n));
  const auto o_slice = static_cast<std::uint64_t>(act(layer.m * layer.n));
  std::optional<SpikeTraffic> spikes;
  if (layer.spiking.enabled()) spikes.emplace(layer, blocks, arch_.tile.spike_batch);
  // Scattered weight rows are fetched in whole DRAM bursts.
  const std::int64_t burst = arch_.dram.params ? arch_.dram.params->BurstBytes() : 1;
  // Sparse attention: each kept run of the KV cache is read from its own address.
  std::optional<KvGather> gather;
  if (layer.GathersKv()) gather.emplace(layer);
  LayerPlan plan;
  plan.per_tile.resize(static_cast<size_t>(tiles_));
  // Every tile of the grid gets at most one task per step.
  const auto steps = static_cast<size_t>(layer.batch * super_m * super_n * per_range);
  for (std::int64_t t = 0; t < pm * pn * pk; ++t)
    plan.per_tile[static_cast<size_t>(t)].reserve(steps);
  const auto tile_of = [pm, pn](std::int64_t i, std::int64_t j, std::int64_t l) {
    return (l * pm + i) * pn + j;
  };
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
    const std::uint64_t a_base =
        regions.inputs.at(0).base + static_cast<std::uint64_t>(batch) * a_slice;
    const std::uint64_t b_base =
        regions.operand_b.base + (gather ? 0 : static_cast<std::uint64_t>(batch) * b_slice);
    const std::uint64_t o_base = regions.output.base + static_cast<std::uint64_t>(batch) * o_slice;
    // Output blocks in the order the walk stores them: the blocks a round stores together are
    // one contiguous range, spread over every channel and bank like a stream.
    std::uint64_t o_walk = 0;
    for (std::int64_t outer = 0; outer < (n_inner ? super_m : super_n); ++outer) {
      for (std::int64_t inner = 0; inner < (n_inner ? super_n : super_m); ++inner) {
        const std::int64_t sa = n_inner ? outer : inner, sb = n_inner ? inner : outer;
        const std::int64_t rows = std::min(pm, blocks_m - sa * pm);  // active grid rows
        const std::int64_t cols = std::min(pn, blocks_n - sb * pn);  // active grid columns
        // A resident panel was loaded at the first step of its outer index.
        const bool load_a = !(resident_a && sb > 0);
        const bool load_b = !(resident_b && sa > 0);
        if (pk > 1) {
          for (std::int64_t i = 0; i < rows; ++i) {
            for (std::int64_t j = 0; j < cols; ++j) {
              const std::int64_t mt = std::min(blocks.m, layer.m - (sa * pm + i) * blocks.m);
              const std::int64_t nt = std::min(blocks.n, layer.n - (sb * pn + j) * blocks.n);
              PartialSumReduction r;
              r.root = static_cast<int>(tile_of(i, j, 0));
              for (std::int64_t l = 1; l < pk; ++l)
                r.contributors.push_back(static_cast<int>(tile_of(i, j, l)));
              r.elements = mt * nt;
              r.partial_bytes = mt * nt * psum_bytes;
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
            if (multicast && load_a) {
              for (std::int64_t i = 0; i < rows; ++i) {
                members.clear();
                for (std::int64_t j = 0; j < cols; ++j)
                  members.push_back(static_cast<int>(tile_of(i, j, l)));
                a_share[static_cast<size_t>(l * pm + i)] = share(members);
              }
            }
            if (share_b && load_b) {
              for (std::int64_t j = 0; j < cols; ++j) {
                members.clear();
                for (std::int64_t i = 0; i < rows; ++i)
                  members.push_back(static_cast<int>(tile_of(i, j, l)));
                b_share[static_cast<size_t>(l * pn + j)] = share(members);
              }
            }
          }
          for (std::int64_t l = 0; l < pk; ++l) {
            const std::int64_t kc = l * per_range + step;
            if (kc >= k_chunks) continue;
            const std::int64_t range_end = std::min((l + 1) * per_range, k_chunks);
            const std::int64_t kt = std::min(blocks.k, layer.k - kc * blocks.k);
            for (std::int64_t i = 0; i < rows; ++i) {
              const std::int64_t bi = sa * pm + i;
              const std::int64_t mt = std::min(blocks.m, layer.m - bi * blocks.m);
              for (std::int64_t j = 0; j < cols; ++j) {
                const std::int64_t bj = sb * pn + j;
                const std::int64_t nt = std::min(blocks.n, layer.n - bj * blocks.n);
                const std::int64_t tile = tile_of(i, j, l);
                const GemmChunk chunk{batch, bi, bj, kc, mt, kt, nt};
                TileTask t;
                t.layer = layer_index;
                t.kind = TaskKind::kGemm;
                t.gemm = {mt, kt, nt};
                t.first_k = step == 0;
                t.last_k = kc == range_end - 1;
                t.accumulate_in_array = mapping.accumulate_in_array;
                // Blocked layouts: earlier block rows, then earlier chunks within this block row.
                const auto a_off =
                    static_cast<std::uint64_t>(act(bi * blocks.m * layer.k + mt * kc * blocks.k));
                const auto w_off =
                    gather
                        ? gather->Offset(batch, kc, kt, bj, blocks)
                        : static_cast<std::uint64_t>(layer.OperandBBytes(kc * blocks.k * layer.n) +
                                                     layer.OperandBBytes(kt * bj * blocks.n));
                t.input = {a_base + a_off, act(mt * kt), a_share[static_cast<size_t>(l * pm + i)]};
                t.weights = {b_base + w_off, layer.OperandBBytes(kt * nt),
                             b_share[static_cast<size_t>(l * pn + j)]};
                if (spikes) {
                  const SpikeTraffic::Loads loads = spikes->Load(chunk);
                  t.input_spikes = loads.input_spikes;
                  t.weight_row_reads = loads.weight_row_reads;
                  t.input.bytes = loads.input_bytes;
                  t.weights.bytes = loads.weight_bytes;
                  if (load_b) {
                    t.weight_gather =
                        GatherRows(layer, t.weights.address, nt, kt, *loads.active_rows, burst);
                  }
                }
                if (!load_a) t.input = {};
                if (!load_b) t.weights = {};
                count_load(t.input, tile, false);
                if (t.weight_gather.empty()) count_load(t.weights, tile, true);
                for (const Transfer& g : t.weight_gather) count_load(g, tile, true);
                plan.tiling.input_spikes += t.input_spikes;
                if (t.last_k && pk > 1) t.reduction = reduction[static_cast<size_t>(i * pn + j)];
                if (t.last_k && l == 0) {  // the block's root stores it
                  t.store = {o_base + o_walk, act(mt * nt)};
                  o_walk += static_cast<std::uint64_t>(act(mt * nt));
                  if (spikes) {
                    const SpikeTraffic::Store out = spikes->Output(chunk);
                    t.output_spikes = out.output_spikes;
                    t.store.bytes = out.bytes;
                  }
                  write_bytes += static_cast<double>(t.store.bytes);
                }
                plan.per_tile[static_cast<size_t>(tile)].push_back(std::move(t));
                ++plan.tiling.tasks;
              }
            }
          }
        }
      }
    }
  }
  plan.tiling.block_m = blocks.m;
  plan.tiling.block_k = blocks.k;
  plan.tiling.block_n = blocks.n;
  plan.tiling.grid_m = pm;
  plan.tiling.grid_n = pn;
  plan.tiling.grid_k = pk;
  plan.tiling.mapping = mapping.Describe();
  plan.tiling.tiles_used = pm * pn * pk;
  plan.tiling.planned_dram_write_bytes = write_bytes;
  plan.tiling.compulsory_bytes = CompulsoryBytes(layer);
  plan.tiling.lower_bound_bytes =
      LowerBoundBytes(layer, static_cast<double>(sram_bytes_) * static_cast<double>(pm * pn * pk));
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
    std::vector<TileTask>& tasks = part.per_tile[t];
    if (offset > 0 || reduction_offset > 0) {
      for (TileTask& task : tasks) {
        for (Transfer* l : {&task.input, &task.second_input, &task.weights}) {
          if (l->share >= 0) l->share += offset;
        }
        if (task.reduction >= 0) task.reduction += reduction_offset;
      }
    }
    auto& queue = into.per_tile.at(static_cast<size_t>(first) + t);
    if (queue.empty()) {
      // An expert's tasks are many: moving the queue whole copies none of them.
      queue = std::move(tasks);
      continue;
    }
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
  to.mapping = from.mapping;
  to.tasks += from.tasks;
  to.planned_dram_read_bytes += from.planned_dram_read_bytes;
  to.planned_operand_b_bytes += from.planned_operand_b_bytes;
  to.planned_dram_write_bytes += from.planned_dram_write_bytes;
  to.planned_reduction_bytes += from.planned_reduction_bytes;
  to.input_spikes += from.input_spikes;
  to.predicted_cycles = std::max(to.predicted_cycles, from.predicted_cycles);
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
