#include "sim/mapping/workload_planner.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "sim/mapping/fcfs_request_replay.h"
#include "sim/mapping/pass_link_loads.h"
#include "sim/mapping/pipeline_shares.h"
#include "sim/mapping/tensor_placement.h"
#include "sim/task/array_timing.h"

namespace pjsim {
namespace {

// An expert whose loads are this many times smaller than the other experts' mean is starved by
// the DRAM's first-come-first-served queue badly enough to be mapped again for the queue; closer
// to the mean, remapping found no larger loads that fit (the SRAM binds) and ran slower.
constexpr double kStarvedLoadRatio = 4;

// Tile `tile`'s tasks of `part` (an expert's mapping, its tiles from `first` on) as the request
// replay sees them: compute, DRAM bytes loaded and stored. `compute` gives a task's cycles.
// Without `ports`, a task's loads are one request of its bytes (a shared load's divided among
// its receivers); with them, each transfer is a request of its own, cut into the channels'
// pieces, a shared one made once (`share_request`: the part's shares' requests, -1 until made)
// for all its receivers.
template <class Compute>
void AddQueuedTasks(const LayerPlan& part, size_t tile, size_t first, const Compute& compute,
                    const ChannelPortReplay* ports, std::vector<QueuedTask>& out,
                    std::vector<QueuedRequest>& requests, std::vector<std::int64_t>& share_request,
                    PassLinkLoads& links, std::int64_t mesh_first,
                    std::vector<bool>& share_routed) {
  const std::int64_t mesh_tile = mesh_first + static_cast<std::int64_t>(tile);
  for (const TileTask& task : part.per_tile[tile]) {
    QueuedTask q;
    q.compute_cycles = compute(task);
    std::int64_t own = -1;  // the request of the task's own transfers
    for (const Transfer& t : task.Loads()) {
      if (t.bytes == 0) continue;
      const auto bytes = static_cast<double>(t.bytes);
      if (t.share < 0) {
        links.AddLoad({mesh_tile}, bytes);
      } else if (!share_routed[static_cast<size_t>(t.share)]) {
        share_routed[static_cast<size_t>(t.share)] = true;
        std::vector<std::int64_t> receivers;
        for (int r : part.shares[static_cast<size_t>(t.share)]) receivers.push_back(mesh_first + r);
        links.AddLoad(receivers, bytes);
      }
      if (ports == nullptr) {
        q.load_bytes +=
            t.share >= 0
                ? bytes / static_cast<double>(part.shares[static_cast<size_t>(t.share)].size())
                : bytes;
        continue;
      }
      if (t.share < 0) {
        // A channel sends its pieces of the task's own transfers one after another, to the same
        // port: one train.
        const std::vector<double> pieces = ports->Pieces(t.address, t.bytes);
        if (own < 0) {
          own = static_cast<std::int64_t>(requests.size());
          q.requests.push_back(requests.size());
          requests.push_back({pieces, {first + tile}});
        } else {
          auto& sum = requests[static_cast<size_t>(own)].pieces;
          for (size_t c = 0; c < sum.size(); ++c) sum[c] += pieces[c];
        }
        continue;
      }
      std::int64_t& made = share_request[static_cast<size_t>(t.share)];
      if (made < 0) {
        made = static_cast<std::int64_t>(requests.size());
        QueuedRequest shared{ports->Pieces(t.address, t.bytes), {}};
        for (int r : part.shares[static_cast<size_t>(t.share)])
          shared.receivers.push_back(first + static_cast<size_t>(r));
        requests.push_back(std::move(shared));
      }
      q.requests.push_back(static_cast<size_t>(made));
    }
    q.store_bytes = static_cast<double>(task.store.bytes);
    if (task.store.bytes > 0) links.AddStore(mesh_tile, q.store_bytes);
    if (ports != nullptr && task.store.bytes > 0)
      q.store_pieces = ports->Pieces(task.store.address, task.store.bytes);
    q.single_buffered = task.single_buffered;
    out.push_back(std::move(q));
  }
}

// Tasks a plan holds in memory (its streamed queues hold none).
std::int64_t HeldTasks(const LayerPlan& plan) {
  std::int64_t held = 0;
  for (const TaskQueue& q : plan.per_tile)
    held += q.streamed() ? 0 : static_cast<std::int64_t>(q.size());
  return held;
}

}  // namespace

WorkloadPlanner::WorkloadPlanner(const ArchConfig& arch, const Workload& workload,
                                 MappingPrices prices, TaskCycles cycles, MappingRefiner refiner)
    : arch_(arch),
      workload_(workload),
      search_(arch, prices, std::move(cycles)),
      row_switches_(arch) {
  search_.SetRefiner(std::move(refiner));
  const auto& layers = workload.graph->layers();
  // Tile groups: contiguous tile ranges, taken by layers round-robin in topological order.
  const std::int64_t tiles = arch.TileCount();
  const std::int64_t group_count = GroupCount();
  groups_.resize(layers.size());
  int position = 0;
  for (int l : workload.graph->topological_order()) {
    const auto g = static_cast<std::int64_t>(position++ % group_count);
    const std::int64_t first = g * tiles / group_count;
    groups_[static_cast<size_t>(l)] = {first, (g + 1) * tiles / group_count - first,
                                       static_cast<int>(g)};
  }
  TensorPlacement placement = PlaceTensors(arch, workload);
  regions_ = std::move(placement.layers);
  dram_footprint_bytes_ = placement.bytes;
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
  bool over = false;  // a tile's resident weights exceed the budget: they will not be resident
  for (size_t l = 0; l < layers.size(); ++l) {
    // Expert weights are streamed: which expert a pass needs is decided by the router.
    if (layers[l].kind != OpKind::kLinear || layers[l].expert.enabled()) continue;
    if (GrowsWithPass(static_cast<int>(l))) continue;  // its plan changes every pass
    const TileGroup& g = groups_[l];
    // Once over the budget, the other layers' plans are not needed, only what planning them
    // would throw: none fits the tiling (MostFittingTasks throws it), or the best mapping has
    // too many tasks (planned then, to throw it or not). The decision and every error stay as
    // they were, without ranking every later layer's mappings (4% of a BitNet-2B decode).
    if (over && !layers[l].GathersKv() &&
        search_.MostFittingTasks(layers[l], g.count, tiling) <= kMaxTasksPerLayer)
      continue;
    LayerPlan plan = Mapped(0, static_cast<int>(l), layers[l], tiling);
    for (size_t t = 0; t < plan.per_tile.size(); ++t) {
      double& bytes = resident_bytes[static_cast<size_t>(g.first) + t];
      for (const TileTask& task : plan.per_tile[t])
        bytes += static_cast<double>(task.weights.bytes);
      over = over || bytes > resident_budget;
    }
    plans.emplace(static_cast<int>(l), std::move(plan));
  }
  // Walks kept for a tiling the layers will not use.
  const auto forget_walks = [&](std::int64_t sram_bytes) {
    std::erase_if(walked_, [&](const Walked& w) {
      if (w.sram_bytes != sram_bytes) return false;
      walked_tasks_ -= HeldTasks(w.plan);
      return true;
    });
  };
  for (double b : resident_bytes) {
    if (b > resident_budget) {  // does not fit: fetch weights every pass
      forget_walks(tiling);
      return;
    }
  }
  forget_walks(tiling_sram_bytes_);
  resident_ = true;
  tiling_sram_bytes_ = tiling;
  for (auto& [l, plan] : plans) {
    LayerPlan without = plan;
    for (auto& queue : without.per_tile) {
      for (TileTask& task : queue.Tasks()) task.weights = {};
    }
    without.tiling.planned_dram_read_bytes -= without.tiling.planned_operand_b_bytes;
    without.tiling.planned_operand_b_bytes = 0;
    without.work = 0;  // not the walk's tasks
    resident_plans_.emplace(l, std::move(without));
    resident_ids_[l] = ++next_plan_id_;
    plans_[l] = std::move(plan);
    plan_ids_[l] = ++next_plan_id_;
    planned_pass_[l] = 0;
  }
}

int WorkloadPlanner::GroupCount() const {
  return arch_.mapping.strategy == MappingStrategy::kPipelined
             ? static_cast<int>(arch_.mapping.groups)
             : 1;
}

bool WorkloadPlanner::GrowsWithPass(int layer) const {
  return workload_.phase == Phase::kDecode &&
         workload_.graph->layers()[static_cast<size_t>(layer)].GrowsPerDecodeStep();
}

Layer WorkloadPlanner::LayerAt(std::int64_t pass, int layer) {
  const Layer& base = workload_.graph->layers()[static_cast<size_t>(layer)];
  if (base.expert.enabled()) {
    Layer routed = base;
    routed.expert.rows = ExpertRows(pass, base, &routed.expert.dropped);
    routed.m = 0;
    for (std::int64_t r : routed.expert.rows) routed.m += r;
    return routed;
  }
  return GrowsWithPass(layer) ? base.AtDecodeStep(pass) : base;
}

const std::vector<std::int64_t>& WorkloadPlanner::ExpertRows(std::int64_t pass, const Layer& base,
                                                             std::int64_t* dropped) {
  RoutedPass& r = routed_[base.expert.block];
  if (r.pass != pass) {
    if (pass < r.pass) throw std::logic_error("MoE routing must advance pass by pass");
    if (!router_) router_ = std::make_unique<MoeRouter>(workload_.routing);
    const ExpertOp& x = base.expert;
    const std::int64_t tokens = base.m / x.top_k;
    // Capacity per expert, as in GShard/Switch: tokens beyond it are dropped (in token order).
    const auto capacity = x.capacity_factor > 0
                              ? static_cast<std::int64_t>(std::ceil(
                                    x.capacity_factor * static_cast<double>(tokens * x.top_k) /
                                    static_cast<double>(x.experts)))
                              : tokens;
    // Earlier passes not yet routed (a block first met later) are routed in order, so temporal
    // reuse sees every token.
    for (std::int64_t p = r.pass + 1; p <= pass; ++p) {
      r.rows.assign(static_cast<size_t>(x.experts), 0);
      r.dropped = 0;
      for (const auto& experts : router_->Route(static_cast<int>(x.block), p * tokens, tokens)) {
        for (int e : experts) {
          auto& rows = r.rows[static_cast<size_t>(e)];
          if (rows < capacity) {
            ++rows;
          } else {
            ++r.dropped;
          }
        }
      }
    }
    r.pass = pass;
  }
  *dropped = r.dropped;
  return r.rows;
}

LayerPlan WorkloadPlanner::MapExperts(int layer, const Layer& routed, bool check_only) {
  const TileGroup& group = GroupOf(layer);
  const LayerRegions& regions = regions_[static_cast<size_t>(layer)];
  const ExpertOp& x = routed.expert;
  const std::int64_t bytes_per = DTypeBits(routed.dtype) / 8;
  // Placement: each expert's home is `width` consecutive tiles of the group. By default every
  // expert gets its own slice when there are enough tiles, else consecutive experts share one.
  const std::int64_t asked = arch_.mapping.tiles_per_expert;
  const std::int64_t width =
      std::min(group.count, asked > 0 ? asked : std::max<std::int64_t>(1, group.count / x.experts));
  const auto home = [&](std::int64_t e) {
    if (asked > 0) return (e * width) % group.count;
    return group.count >= x.experts ? e * width : e * group.count / x.experts;
  };
  const auto rows_of = [&](std::int64_t e) { return x.rows[static_cast<size_t>(e)]; };
  // Replicas: the busiest experts (ties: lower index) split their tokens with a replica on the
  // home tiles of the idlest ones.
  std::vector<std::int64_t> order(static_cast<size_t>(x.experts));
  for (std::int64_t e = 0; e < x.experts; ++e) order[static_cast<size_t>(e)] = e;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::int64_t a, std::int64_t b) { return rows_of(a) > rows_of(b); });
  std::map<std::int64_t, std::int64_t> replica_home;  // hot expert -> first tile of its replica
  const auto replicas = std::min<std::int64_t>(arch_.mapping.replicate_hot_experts, x.experts / 2);
  for (std::int64_t i = 0; i < replicas && rows_of(order[static_cast<size_t>(i)]) > 1; ++i) {
    replica_home[order[static_cast<size_t>(i)]] =
        home(order[static_cast<size_t>(x.experts - 1 - i)]);
  }

  // The tiles this pass's experts (those routed any token, and their replicas) run on: they share
  // the DRAM bandwidth.
  std::vector<bool> busy(static_cast<size_t>(group.count), false);
  const auto mark = [&](std::int64_t first) {
    for (std::int64_t t = first; t < std::min(group.count, first + width); ++t)
      busy[static_cast<size_t>(t)] = true;
  };
  for (std::int64_t e = 0; e < x.experts; ++e) {
    if (rows_of(e) == 0) continue;
    mark(home(e));
    if (auto it = replica_home.find(e); it != replica_home.end()) mark(it->second);
  }
  const auto busy_tiles =
      static_cast<double>(std::max<std::ptrdiff_t>(1, std::count(busy.begin(), busy.end(), true)));

  // The parts of this pass: `rows` tokens of expert `e`, from dispatch-buffer row `row`, on the
  // tiles [first, first + width).
  struct Part {
    std::int64_t expert, row, rows, first;
    std::int64_t Tiles(std::int64_t width, std::int64_t group) const {
      return std::min(width, group - first);
    }
  };
  std::vector<Part> parts;
  std::int64_t row = 0;
  for (std::int64_t e = 0; e < x.experts; ++e) {
    const std::int64_t rows = rows_of(e);
    if (rows == 0) continue;
    if (auto it = replica_home.find(e); it != replica_home.end()) {
      const std::int64_t at_home = (rows + 1) / 2;
      parts.push_back({e, row, at_home, home(e)});
      parts.push_back({e, row + at_home, rows - at_home, it->second});
    } else {
      parts.push_back({e, row, rows, home(e)});
    }
    row += rows;
  }
  std::int64_t all_rows = 0;
  for (const Part& p : parts) all_rows += p.rows;
  const auto layer_of = [&](const Part& p) {
    Layer one = routed;
    one.expert = ExpertOp{};
    one.m = p.rows;
    return one;
  };
  // The other experts of this pass run beside each one: its tiles get their share of the DRAM,
  // and the mapping search estimates each expert for that share. But each tile keeps one load in
  // flight and the channels serve whole requests first come, first served, so a tile gets
  // bandwidth in proportion to its request size, not an equal share: an
  // expert whose loads are smaller than its neighbours' is starved while they run, one with
  // larger loads finishes early. An OLMoE prefill expert with 2 KiB loads beside 40 KiB ones
  // finished 36% after the others, so the experts are mapped for their shares first, and those
  // whose loads came out more than kStarvedLoadRatio times smaller than the mean are mapped again
  // with each load costed as waiting behind one load, of the mean size, from every tile the other
  // experts use. Only those: remapping every expert that way made all of them chase larger loads
  // and wider grids (Mixtral's layers ran 1% slower on the `simple` models and up to 16% slower on
  // `jedec` + `packet`, whose ejection ports the cost model does not see); remapping every expert
  // the queue would make the critical path found no larger loads that fit for the OLMoE `down`
  // experts (12 KiB beside 16-18 KiB) and ran 3% slower. Every busy tile's prediction is then
  // its finish under the queue, replayed request by request (FcfsReplayFinishCycles), each
  // tile no faster than its experts' mappings run with the whole DRAM: a tile whose experts run
  // one after another, or that is left alone when the others are done, takes the freed
  // bandwidth, which each expert's estimate at a fixed share does not see (OLMoE decode on the
  // 4 x 4 mesh, two routed experts at home on one tile, was predicted 17-24% long; skewed OLMoE
  // prefill up to 58% long; the `down` layers were predicted 10-18% short before the queue was
  // modelled at all), and a small load waits behind a large one however idle the DRAM is on
  // average (a fluid model of mean rates, used until 2026-12-04, predicted OLMoE's `gate`
  // experts on the `default` mesh 10-14% short: their 5.6 KB loads queued behind other experts'
  // 150 KB ones, longer than a task).
  const auto share_of = [&](const Part& p) {
    return std::min(1.0, static_cast<double>(p.Tiles(width, group.count)) / busy_tiles);
  };
  const bool shared = routed.IsGemm() && busy_tiles > static_cast<double>(width);
  // Where each part's grid sits (its home's first tile), and the homes of the whole pass: the
  // search prices an expert's NoC routes with every other busy home's beside them.
  std::vector<std::int64_t> homes;
  for (const Part& p : parts) homes.push_back(group.first + p.first);
  std::sort(homes.begin(), homes.end());
  homes.erase(std::unique(homes.begin(), homes.end()), homes.end());
  const int among = search_.Placement(homes);
  const double dram_bytes_per_cycle = arch_.dram.SustainedBytesPerCycle(arch_.clock_hz);
  // A load's round trip on an idle system, as the mapping estimate charges it.
  const double round_trip =
      (arch_.dram.params ? arch_.dram.params->IdleReadLatencyCycles(arch_.clock_hz) : 0) +
      static_cast<double>(arch_.mesh_width + arch_.mesh_height) * arch_.noc.hop_latency_cycles;
  // A task's cycles on the tile, memoised by its shape (and, spiking, its expected spikes): the
  // tile kind's (the search's), or the array's.
  std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t, bool, double, double>, double>
      compute_memo;
  const auto task_compute = [&](const Layer& part_layer) {
    return [&, part_layer](const TileTask& task) {
      const bool keeps = task.accumulate_in_array && !task.last_k;
      const auto key = std::make_tuple(task.gemm.m, task.gemm.k, task.gemm.n, keeps,
                                       task.input_spikes, task.weight_row_reads);
      if (auto it = compute_memo.find(key); it != compute_memo.end()) return it->second;
      const double cycles =
          search_.task_cycles()
              ? search_.task_cycles()(part_layer, task)
              : static_cast<double>(ArrayCycles(
                    arch_.tile.dataflow, {arch_.tile.rows, arch_.tile.cols}, task.gemm, keeps));
      compute_memo.emplace(key, cycles);
      return cycles;
    };
  };
  // On a NoC whose waiting trains hold their channel, the channels' trains through the ports.
  const ChannelPortReplay ports(arch_, static_cast<size_t>(group.count), group.first);
  std::vector<bool> starved(parts.size(), false);
  double load_bytes = 0;  // the mean load over all parts (after the first round)
  std::int64_t all_tiles_used = 0;
  std::vector<std::int64_t> tiles_used(parts.size(), 0);  // by each part's mapping
  std::vector<double> part_load(parts.size(), 0);         // its mean load, as first mapped
  LayerPlan plan;
  // Experts that share tiles run one after another there: the layer takes the busiest tile's.
  std::vector<double> tile_predicted;
  for (int round = 0; round < (shared ? 2 : 1); ++round) {
    plan = LayerPlan{};
    plan.per_tile.resize(static_cast<size_t>(group.count));
    tile_predicted.assign(static_cast<size_t>(group.count), 0.0);
    std::vector<std::vector<QueuedTask>> queued_tasks(static_cast<size_t>(group.count));
    std::vector<QueuedRequest> queued_requests;
    std::vector<double> busy_alone(static_cast<size_t>(group.count), 0);
    PassLinkLoads pass_links(arch_);
    double read_bytes = 0, tasks = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      const Part& p = parts[i];
      // The dispatch buffer holds the tokens expert by expert: these rows are contiguous.
      LayerRegions r;
      for (int a = 0; a < routed.Arity(); ++a) {
        const auto cols = static_cast<std::uint64_t>(routed.InputShape(a).cols * bytes_per);
        const DramRegion& in = regions.inputs.at(static_cast<size_t>(a));
        r.inputs.push_back({in.base + static_cast<std::uint64_t>(p.row) * cols,
                            static_cast<std::uint64_t>(p.rows) * cols});
      }
      const auto out_cols = static_cast<std::uint64_t>(routed.n * bytes_per);
      r.output = {regions.output.base + static_cast<std::uint64_t>(p.row) * out_cols,
                  static_cast<std::uint64_t>(p.rows) * out_cols};
      if (routed.kind == OpKind::kLinear) {
        const auto expert_bytes =
            static_cast<std::uint64_t>(routed.OperandBBytes(routed.k * routed.n));
        r.operand_b = {regions.operand_b.base + static_cast<std::uint64_t>(p.expert) * expert_bytes,
                       expert_bytes};
      }
      const std::int64_t tiles = p.Tiles(width, group.count);
      const auto others =
          static_cast<double>(std::max<std::int64_t>(0, all_tiles_used - tiles_used[i]));
      DramShare dram{share_of(p), starved[i] ? others * load_bytes : 0,
                     search_.Placement({group.first + p.first}), shared ? among : -1};
      // The others run beside it for as long as their mean tokens take (as its own would).
      if (parts.size() > 1) {
        const double others_rows =
            static_cast<double>(all_rows - p.rows) / static_cast<double>(parts.size() - 1);
        dram.beside =
            std::min(1.0, others_rows / static_cast<double>(std::max<std::int64_t>(1, p.rows)));
      }
      const Layer part_layer = layer_of(p);
      const LayerMapper mapper(arch_, tiles, tiling_sram_bytes_, search_, dram);
      if (check_only && part_layer.IsGemm()) {
        mapper.Check(part_layer);  // what Map would throw, without walking
        continue;
      }
      LayerPlan part = mapper.Map(layer, part_layer, r);
      if (check_only) continue;
      tiles_used[i] = std::count_if(part.per_tile.begin(), part.per_tile.end(),
                                    [](const auto& queue) { return !queue.empty(); });
      for (std::int64_t t = p.first; t < p.first + tiles; ++t)
        tile_predicted[static_cast<size_t>(t)] += part.tiling.predicted_cycles;
      if (shared) {
        std::vector<std::int64_t> share_request(part.shares.size(), -1);
        std::vector<bool> share_routed(part.shares.size(), false);
        for (size_t t = 0; t < part.per_tile.size(); ++t) {
          if (part.per_tile[t].empty()) continue;
          const auto at = static_cast<size_t>(p.first) + t;
          AddQueuedTasks(part, t, static_cast<size_t>(p.first), task_compute(part_layer),
                         ports.Enabled() ? &ports : nullptr, queued_tasks[at], queued_requests,
                         share_request, pass_links, group.first + p.first, share_routed);
          // Alone, the expert's tiles run at the pace its mapping allows with the whole DRAM.
          busy_alone[at] += part.tiling.predicted_alone_cycles;
        }
      }
      read_bytes += part.tiling.planned_dram_read_bytes;
      tasks += static_cast<double>(part.tiling.tasks);
      if (round == 0) {
        part_load[i] = part.tiling.planned_dram_read_bytes /
                       std::max(1.0, static_cast<double>(part.tiling.tasks));
      }
      AppendPlan(plan, std::move(part), p.first);
    }
    if (check_only) return {};
    if (!shared) break;
    if (round == 0) {
      load_bytes = read_bytes / std::max(1.0, tasks);
      all_tiles_used = std::count_if(plan.per_tile.begin(), plan.per_tile.end(),
                                     [](const auto& queue) { return !queue.empty(); });
      for (size_t i = 0; i < parts.size(); ++i)
        starved[i] = part_load[i] * kStarvedLoadRatio < load_bytes;
      // An expert starved: map again, for the queue (the second round).
      if (std::any_of(starved.begin(), starved.end(), [](bool s) { return s; })) continue;
    }
    // Each busy tile's finish under the queue, its requests replayed with every other tile's
    // (the starved experts' remapped ones too), and no sooner than its experts run alone.
    ChannelPortReplay trains(arch_, queued_tasks.size(), group.first);
    // On the `simple` NoC (no trains replayed) the pass's busiest link bounds the DRAM's rate:
    // the whole pass's bytes take no less than that link's bytes over its width.
    double rate = dram_bytes_per_cycle;
    if (!trains.Trains() && pass_links.BusiestLinkBytes() > 0) {
      rate = std::min(rate, pass_links.DramBytes() * arch_.noc.link_bytes_per_cycle /
                                pass_links.BusiestLinkBytes());
      trains.LimitDramRate(rate);
    }
    const std::vector<double> replayed = FcfsReplayFinishCycles(
        queued_tasks, rate, round_trip, queued_requests, trains.Enabled() ? &trains : nullptr);
    for (size_t t = 0; t < tile_predicted.size(); ++t) {
      if (!queued_tasks[t].empty()) tile_predicted[t] = std::max(replayed[t], busy_alone[t]);
    }
    break;
  }
  for (const auto& queue : plan.per_tile) plan.tiling.tiles_used += queue.empty() ? 0 : 1;
  plan.tiling.predicted_cycles = *std::max_element(tile_predicted.begin(), tile_predicted.end());
  return plan;
}

void WorkloadPlanner::Validate() {
  for (int layer : workload_.graph->topological_order()) {
    const Layer& base = workload_.graph->layers()[static_cast<size_t>(layer)];
    if (base.expert.enabled()) {
      // Each expert's mapping alone tells, as for a layer: the launch walks them (mapping a
      // whole model's experts here too cost as much again).
      MapExperts(layer, LayerAt(0, layer), true);
      continue;
    }
    if (base.IsGemm() && !base.expert.enabled()) {
      // The mapping alone tells: no walk (a prefill layer has millions of tasks).
      LayerMapper(arch_, GroupOf(layer).count, tiling_sram_bytes_, search_, GroupShare(layer))
          .Check(LayerAt(0, layer));
      continue;
    }
    const bool kept = plans_.contains(layer);  // resident weights: planned at construction
    Plan(0, layer);
    if (!kept) {
      plans_.erase(layer);
      planned_pass_.erase(layer);
    }
  }
}

void WorkloadPlanner::Release(int layer) {
  plans_.erase(layer);
  resident_plans_.erase(layer);
  planned_pass_.erase(layer);
  plan_ids_.erase(layer);
  resident_ids_.erase(layer);
}

std::uint64_t WorkloadPlanner::PlanId(std::int64_t pass, int layer) const {
  if (pass > 0 && resident_) {
    if (auto r = resident_ids_.find(layer); r != resident_ids_.end()) return r->second;
  }
  return plan_ids_.at(layer);
}

const LayerPlan* WorkloadPlanner::PlanWithWeights(std::int64_t pass, int layer) const {
  if (pass == 0 || !resident_ || !resident_plans_.contains(layer)) return nullptr;
  return &plans_.at(layer);
}

const LayerPlan& WorkloadPlanner::Plan(std::int64_t pass, int layer) {
  if (pass > 0 && resident_) {
    if (auto r = resident_plans_.find(layer); r != resident_plans_.end()) return r->second;
  }
  if (workload_.graph->layers()[static_cast<size_t>(layer)].expert.enabled()) {
    // Routing changes every pass.
    if (planned_pass_.contains(layer) && planned_pass_[layer] == pass) return plans_[layer];
    plans_[layer] = MapExperts(layer, LayerAt(pass, layer));
    plan_ids_[layer] = ++next_plan_id_;
    planned_pass_[layer] = pass;
    return plans_[layer];
  }
  auto it = plans_.find(layer);
  if (it != plans_.end() && (!GrowsWithPass(layer) || planned_pass_[layer] == pass))
    return it->second;
  plan_ids_[layer] = ++next_plan_id_;
  planned_pass_[layer] = pass;
  // Every decoder block re-plans its attention layers each pass, for the same KV length: the
  // first of each op walks, the others take its plan moved to their tensors.
  if (GrowsWithPass(layer) && walked_pass_ != pass) {
    std::erase_if(walked_, [&](const Walked& w) {
      if (!w.grows) return false;
      walked_tasks_ -= HeldTasks(w.plan);
      return true;
    });
    walked_pass_ = pass;
  }
  return plans_[layer] = Mapped(pass, layer, LayerAt(pass, layer), tiling_sram_bytes_);
}

DramShare WorkloadPlanner::GroupShare(int layer) {
  // A pipelined group's grid starts at the group's first tile, and takes the routes from there.
  return DramShare{.at = search_.Placement({GroupOf(layer).first})};
}

LayerPlan WorkloadPlanner::Mapped(std::int64_t pass, int layer, const Layer& op,
                                  std::int64_t sram_bytes) {
  LayerPlan plan = WalkedOrMoved(layer, op, sram_bytes);
  plan.tiling.predicted_cycles += RowSwitchCycles(op, plan);
  if (GroupCount() > 1)
    plan.tiling.predicted_cycles += BesideOthers(pass, sram_bytes)[static_cast<size_t>(layer)];
  return plan;
}

const std::vector<double>& WorkloadPlanner::BesideOthers(std::int64_t pass,
                                                         std::int64_t sram_bytes) {
  if (beside_.pass == pass && beside_.sram_bytes == sram_bytes) return beside_.cycles;
  const LayerGraph& graph = *workload_.graph;
  const size_t n = graph.layers().size();
  const double rate = arch_.dram.SustainedBytesPerCycle(arch_.clock_hz);
  std::vector<PipelinedLayer> layers(n);
  std::vector<double> alone(n, 0);
  std::vector<bool> predicted(n, false);
  double queued_sum = 0, queued_layers = 0;
  std::vector<std::int64_t> group_first(static_cast<size_t>(GroupCount()), 0);
  for (const TileGroup& g : groups_) group_first[static_cast<size_t>(g.index)] = g.first;
  for (size_t l = 0; l < n; ++l) {
    const Layer& base = graph.layers()[l];
    PipelinedLayer& p = layers[l];
    p.group = groups_[l].index;
    p.predecessors = graph.predecessors(static_cast<int>(l));
    if (base.IsGemm() && !base.expert.enabled()) {
      const Layer op = LayerAt(pass, static_cast<int>(l));
      const DramShare at = GroupShare(static_cast<int>(l));
      const RankedMapping best = search_.Best(op, groups_[l].count, sram_bytes, at);
      const double cycles = best.estimate.cycles;
      alone[l] = cycles;
      predicted[l] = true;
      p.dram_busy = cycles > 0 ? best.estimate.DramBytes() / rate / cycles : 0;
      // A request per busy tile: the grid's tiles (clamped to the blocks, as the walk does)
      // times the bytes a tile's task loads and stores.
      const GemmMapping& mp = best.mapping;
      const double grid =
          static_cast<double>(std::min(mp.grid_m, CeilDiv(op.m, mp.blocks.m)) *
                              std::min(mp.grid_n, CeilDiv(op.n, mp.blocks.n)) * mp.grid_k);
      p.queued_bytes =
          std::max(1.0, grid * best.estimate.DramBytes() / std::max(1.0, best.estimate.tile_tasks));
      queued_sum += p.queued_bytes;
      ++queued_layers;
      // At a share the layer keeps its grid's own routes (`among` its own placement): its
      // DRAM time is what the other groups' loads take from it. No faster than alone (a packet
      // NoC's injection term is priced for a grid alone on the mesh only).
      p.cycles = [this, op, mapping = best.mapping, at, cycles, &group_first, l](
                     double share, const std::vector<int>& beside) {
        if (share >= 1) return cycles;
        DramShare shared = at;
        shared.fraction = share;
        std::vector<std::int64_t> firsts = {groups_[l].first};
        for (int g : beside) firsts.push_back(group_first[static_cast<size_t>(g)]);
        std::sort(firsts.begin(), firsts.end());
        firsts.erase(std::unique(firsts.begin(), firsts.end()), firsts.end());
        shared.among = search_.Placement(firsts);
        return std::max(cycles, search_.EstimateAt(op, mapping, shared).cycles);
      };
      continue;
    }
    // Not predicted alone (vector layers; routed experts, predicted by their replay): their
    // tensors' bytes at the DRAM's rate, which they keep busy (an expert op's every expert).
    const Layer op = base.expert.enabled() ? base : LayerAt(pass, static_cast<int>(l));
    double bytes = static_cast<double>(op.ActivationBytes(op.m * op.n));
    for (int a = 0; a < op.Arity(); ++a) {
      const TensorShape in = op.InputShape(a);
      bytes += static_cast<double>(op.ActivationBytes(in.rows * in.cols));
    }
    if (op.kind == OpKind::kLinear)
      bytes += static_cast<double>(std::max<std::int64_t>(1, op.expert.experts) *
                                   op.OperandBBytes(op.k * op.n));
    const double cycles = static_cast<double>(op.batch) * bytes / rate;
    p.dram_busy = 1;
    // Its loads queued: as the predicted layers' (their mean, below).
    p.cycles = [cycles](double share, const std::vector<int>&) { return cycles / share; };
  }
  for (size_t l = 0; l < n; ++l) {
    if (!predicted[l]) layers[l].queued_bytes = queued_layers > 0 ? queued_sum / queued_layers : 1;
  }
  const std::vector<PipelinedSpan> spans = PipelinedSchedule(layers, graph.topological_order());
  beside_ = {pass, sram_bytes, std::vector<double>(n, 0)};
  for (size_t l = 0; l < n; ++l) {
    if (predicted[l]) beside_.cycles[l] = spans[l].end - spans[l].start - alone[l];
  }
  return beside_.cycles;
}

double WorkloadPlanner::RowSwitchCycles(const Layer& op, const LayerPlan& plan) const {
  if (!op.IsGemm() || !row_switches_.Enabled()) return 0;
  const auto compute = [&](const TileTask& task) {
    return search_.task_cycles() ? search_.task_cycles()(op, task)
                                 : static_cast<double>(ArrayCycles(
                                       arch_.tile.dataflow, {arch_.tile.rows, arch_.tile.cols},
                                       task.gemm, task.accumulate_in_array && !task.last_k));
  };
  return row_switches_.Cycles(plan, compute);
}

LayerPlan WorkloadPlanner::WalkedOrMoved(int layer, const Layer& op, std::int64_t sram_bytes) {
  const std::int64_t tiles = GroupOf(layer).count;
  const DramShare at = GroupShare(layer);
  const LayerRegions& regions = regions_[static_cast<size_t>(layer)];
  for (const Walked& w : walked_) {
    if (w.tiles != tiles || w.sram_bytes != sram_bytes || w.at != at.at || !SameWork(w.op, op))
      continue;
    if (w.layer == layer) return w.plan;  // planned again (Validate, then the launch)
    const LayerRegions& from = regions_[static_cast<size_t>(w.layer)];
    if (!SameSizes(from, regions)) continue;
    ++moved_plans_;
    return MovedPlan(w.plan, layer, from, regions);
  }
  LayerPlan plan = LayerMapper(arch_, tiles, sram_bytes, search_, at).Map(layer, op, regions);
  plan.work = ++next_work_;
  const std::int64_t held = HeldTasks(plan);
  if (walked_tasks_ + held <= kWalkedTaskBudget) {
    walked_tasks_ += held;
    walked_.push_back({layer, op, tiles, sram_bytes, at.at, GrowsWithPass(layer), plan});
  }
  return plan;
}

}  // namespace pjsim
