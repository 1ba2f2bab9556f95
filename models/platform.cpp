#include "models/platform.h"

#include <algorithm>
#include <string>

#include "sim/config/dram_model_registry.h"
#include "sim/config/noc_model_registry.h"

namespace pjsim {

Platform::Platform(sc_core::sc_module_name name, PlatformContext& ctx, const TileKind& kind,
                   const Workload& workload, WorkloadPlanner& planner)
    : sc_core::sc_module(name),
      ctx_(ctx),
      workload_(workload),
      planner_(planner),
      current_(workload.graph->layers()),
      shared_loads_(workload.graph->layers().size()),
      partial_sums_(workload.graph->layers().size()),
      layer_results_(workload.graph->layers().size()),
      tile_layer_(static_cast<size_t>(ctx.arch.TileCount()), -1),
      tile_powered_(static_cast<size_t>(ctx.arch.TileCount()), false),
      weights_lost_(static_cast<size_t>(ctx.arch.TileCount())),
      reload_tasks_(static_cast<size_t>(ctx.arch.TileCount())),
      tiles_running_(workload.graph->layers().size(), 0),
      launched_ps_(workload.graph->layers().size(), 0),
      busy_before_(workload.graph->layers().size()),
      sampled_run_(workload.graph->layers().size(), false),
      power_(ctx.arch, ctx.tech, ctx.ledger) {
  noc_ = NocModelRegistry().Get(ctx.arch.noc.model).make("noc", ctx);
  const DramModelEntry& dram = DramModelRegistry().Get(ctx.arch.dram.model);
  for (size_t c = 0; c < ctx.arch.dram.channels.size(); ++c) {
    channels_.push_back(dram.make("dram" + std::to_string(c), static_cast<int>(c), ctx));
    noc_->channel_socket.bind(channels_.back()->socket);
  }
  for (std::int64_t t = 0; t < ctx.arch.TileCount(); ++t) {
    const int tile = static_cast<int>(t);
    tiles_.push_back(std::make_unique<ComputeTile>(("tile" + std::to_string(t)).c_str(), tile, ctx,
                                                   kind, current_, shared_loads_, partial_sums_,
                                                   [this, tile] { TileDone(tile); }));
    tiles_.back()->socket.bind(noc_->tile_socket);
  }
  // Replay needs runs that are alone on the platform (one tile group), nothing watching each
  // event (trace) and nothing that changes with absolute time (power gating).
  bool extrapolates = true;
  if (ctx.replay && !ctx.trace && !power_.enabled() && planner.GroupCount() == 1) {
    std::vector<Replayable*> components{noc_->replay()};
    for (const auto& c : channels_) components.push_back(c->replay());
    // Tiles split transfers at channel-interleave boundaries, taken round-robin.
    const auto split = static_cast<std::uint64_t>(ctx.arch.dram.interleave_bytes) *
                       static_cast<std::uint64_t>(ctx.arch.dram.channels.size());
    if (std::all_of(components.begin(), components.end(), [](Replayable* c) { return c; })) {
      extrapolates = std::all_of(components.begin(), components.end(),
                                 [](Replayable* c) { return c->Extrapolates(); });
      if (workload.decode_sampling > 1 && workload.Passes() > 2 && extrapolates) {
        sampler_ = std::make_unique<DecodeSampler>(ctx, components, workload.decode_sampling,
                                                   workload.Passes(), current_.size());
      }
      replay_ = std::make_unique<LayerReplay>(ctx, std::move(components), current_,
                                              workload.graph->topological_order(), planner, split);
    }
  }
  if (workload.decode_sampling > 1 && !sampler_) {
    sampling_not_applied_ =
        workload.Passes() <= 2      ? "fewer than 3 passes"
        : !ctx.replay               ? "replay is off"
        : ctx.trace                 ? "a trace is recorded (every run is simulated)"
        : power_.enabled()          ? "power gating changes with absolute time"
        : planner.GroupCount() != 1 ? "layers run side by side (pipelined tile groups)"
        : !extrapolates             ? "the DRAM model (" + ctx.arch.dram.model +
                              ") does not extrapolate runs (refresh phases "
                              "vary between passes)"
                        : "the DRAM or NoC model (" + ctx.arch.dram.model + ", " +
                              ctx.arch.noc.model + ") cannot replay runs";
  }
  SC_HAS_PROCESS(Platform);
  SC_THREAD(SchedulerThread);
  // The scheduler thread plans layers (the mapping search, with deep frames) on its coroutine
  // stack; SystemC's default (64-128 KiB) is too small for that under AddressSanitizer, whose
  // redzones grow every frame (an intermittent overflow in the sanitized tests).
  set_stack_size(std::size_t{8} << 20);
}

double Platform::NowCycles() const {
  return static_cast<double>(Now()) / static_cast<double>(ctx_.clock_period_ps);
}

void Platform::FinishPower() {
  if (power_.enabled()) power_.Finish(NowCycles());
}

void Platform::FinishChannels() {
  for (const auto& c : channels_) c->FinishRun(Now(), last_finished_);
}

void Platform::TileDone(int tile) {
  const int layer = tile_layer_[static_cast<size_t>(tile)];
  if (tile_powered_[static_cast<size_t>(tile)]) power_.End(tile, NowCycles());
  tile_layer_[static_cast<size_t>(tile)] = -1;
  if (--tiles_running_[static_cast<size_t>(layer)] == 0) {
    finished_.push_back(layer);
    layer_done_.notify(sc_core::SC_ZERO_TIME);
  }
}

void Platform::ShareElapsedTime() {
  const std::uint64_t now = Now();
  if (!running_.empty()) {
    const std::uint64_t share = (now - last_share_ps_) / running_.size();
    std::uint64_t rest = (now - last_share_ps_) - share * running_.size();
    for (int l : running_) {  // the remainder goes to the first, so shares sum exactly
      layer_results_[static_cast<size_t>(l)].leakage_share_ps += share + rest;
      rest = 0;
    }
  }
  last_share_ps_ = now;
}

bool Platform::MayReplay(int layer) const {
  // Routed experts' work depends on the routing of each pass.
  return replay_ && !current_[static_cast<size_t>(layer)].expert.enabled();
}

void Platform::Launch(std::int64_t pass, int layer) {
  const auto l = static_cast<size_t>(layer);
  // current_ starts as the workload's layers: only those that change between passes (growing
  // with the KV cache, routed) are set again, the others not copied at every launch.
  if (planner_.GrowsWithPass(layer) || current_[l].expert.enabled())
    current_[l] = planner_.LayerAt(pass, layer);
  const LayerPlan& plan = planner_.Plan(pass, layer);
  const WorkloadPlanner::TileGroup& group = planner_.GroupOf(layer);
  LayerResult& result = layer_results_[l];
  ShareElapsedTime();
  running_.push_back(layer);
  launched_ps_[l] = Now();
  if (pass == 0) result.start_ps = Now();
  result.tiling = plan.tiling;
  result.tile_tasks += plan.tiling.tasks;
  result.predicted_cycles += plan.tiling.predicted_cycles;
  result.compulsory_bytes += plan.tiling.compulsory_bytes;
  result.lower_bound_bytes += plan.tiling.lower_bound_bytes;
  result.reduction_bytes += plan.tiling.planned_reduction_bytes;
  result.macs += static_cast<double>(current_[l].Macs());
  result.operand_b_bytes += plan.tiling.planned_operand_b_bytes;
  result.input_spikes += plan.tiling.input_spikes;
  if (const ExpertOp& x = current_[l].expert; x.enabled()) {
    result.expert_rows.resize(x.rows.size(), 0.0);
    for (size_t e = 0; e < x.rows.size(); ++e)
      result.expert_rows[e] += static_cast<double>(x.rows[e]);
    result.expert_dropped += static_cast<double>(x.dropped);
  }
  busy_before_[l].clear();
  if (MayReplay(layer)) {
    const LayerReplay::Run run{layer, &current_[l], &plan, &planner_.RegionsOf(layer),
                               planner_.PlanId(pass, layer)};
    if (const LayerReplay::Match match = replay_->Find(run, Now()); match.record) {
      replay_->Apply(match, layer, Now());
      FinishWithoutSimulating(layer, match.record->busy_ps, match.record->duration_ps);
      return;
    }
    const bool grows = planner_.GrowsWithPass(layer);
    if (sampler_ && grows && !sampler_->DetailedPass(pass) &&
        sampler_->CanExtrapolate(layer, plan.tiling, current_[l], Now())) {
      const DecodeSampler::Run x = sampler_->Apply(layer, pass, plan.tiling.tasks, Now());
      FinishWithoutSimulating(layer, x.busy_ps, x.duration_ps);
      return;
    }
    // A layer re-planned every pass never repeats its own plan; other layers may repeat it.
    sampled_run_[l] = sampler_ && grows;
    replay_->Begin(run, pass + 1 < workload_.Passes() && !grows, Now(), sampled_run_[l]);
  }
  // A tile the plan gives no task would only wake its threads to finish at once (its storer
  // reports it done a delta cycle after the start), while a tile with tasks finishes deltas
  // later: so while one tile has tasks, the others need not be started at all, and the layer
  // finishes when the last tile with tasks does, as before. (Wholly idle layers start every
  // tile, so that they finish in the same delta cycle as before.)
  const auto working = static_cast<int>(std::count_if(
      plan.per_tile.begin(), plan.per_tile.end(), [](const TaskQueue& q) { return !q.empty(); }));
  const bool skip_idle = working > 0;
  tiles_running_[l] = skip_idle ? working : static_cast<int>(group.count);
  shared_loads_.Begin(layer, plan.shares, group.first);
  partial_sums_.Begin(layer, plan.reductions, group.first);
  for (std::int64_t t = 0; t < group.count; ++t) {
    const auto tile = static_cast<size_t>(group.first + t);
    busy_before_[l].push_back(tiles_[tile]->busy_ps());
    const TaskQueue* tasks = &plan.per_tile[static_cast<size_t>(t)];
    if (skip_idle && tasks->empty()) continue;
    tile_layer_[tile] = layer;
    std::uint64_t delay_ps = 0;
    // A tile the layer gives no work stays asleep (or idle) through it.
    tile_powered_[tile] = power_.enabled() && !tasks->empty();
    if (tile_powered_[tile]) {
      const TilePower::Wake wake = power_.Begin(static_cast<int>(tile), layer, NowCycles());
      const std::uint64_t start_ps = ctx_.CyclesToPs(wake.start_cycle);
      delay_ps = start_ps > Now() ? start_ps - Now() : 0;
      // An SRAM that was off lost every layer's weights kept resident in it: each such layer
      // reloads its share with its next tasks on this tile.
      auto& lost = weights_lost_[tile];
      if (wake.contents_lost) lost.assign(current_.size(), true);
      if (const LayerPlan* full = planner_.PlanWithWeights(pass, layer);
          full && !lost.empty() && lost[l]) {
        lost[l] = false;
        // This tile alone reloads: its weight loads are its own, not shared with tiles whose
        // SRAM kept theirs.
        auto& reload = reload_tasks_[tile];
        reload = full->per_tile[static_cast<size_t>(t)];
        for (TileTask& task : reload.Tasks()) task.weights.share = -1;
        tasks = &reload;
        for (const TileTask& task : *tasks) {
          const auto bytes = static_cast<double>(task.weights.bytes);
          reload_bytes_ += bytes;
          result.operand_b_bytes += bytes;
        }
      }
    }
    tiles_[tile]->Start(tasks, delay_ps);
  }
}

void Platform::FinishWithoutSimulating(int layer, const std::vector<std::uint64_t>& busy_ps,
                                       std::uint64_t duration_ps) {
  const auto l = static_cast<size_t>(layer);
  const WorkloadPlanner::TileGroup& group = planner_.GroupOf(layer);
  for (std::int64_t t = 0; t < group.count; ++t) {
    ComputeTile& tile = *tiles_[static_cast<size_t>(group.first + t)];
    busy_before_[l].push_back(tile.busy_ps());
    tile.AddBusy(busy_ps[static_cast<size_t>(t)]);
  }
  tiles_running_[l] = 0;
  finished_.push_back(layer);
  layer_done_.notify(sc_core::sc_time::from_value(duration_ps));
}

DecodeSamplingResult Platform::decode_sampling() const {
  DecodeSamplingResult r;
  if (sampler_) r = sampler_->Result();
  r.interval = workload_.decode_sampling > 1 ? workload_.decode_sampling : 0;
  r.not_applied = sampling_not_applied_;
  return r;
}

void Platform::Finish(int layer) {
  const auto l = static_cast<size_t>(layer);
  ShareElapsedTime();
  running_.erase(std::find(running_.begin(), running_.end(), layer));
  last_finished_ = layer;
  LayerResult& result = layer_results_[l];
  result.span_ps += Now() - launched_ps_[l];
  const WorkloadPlanner::TileGroup& group = planner_.GroupOf(layer);
  std::vector<std::uint64_t> busy(static_cast<size_t>(group.count));
  for (std::int64_t t = 0; t < group.count; ++t) {
    busy[static_cast<size_t>(t)] = tiles_[static_cast<size_t>(group.first + t)]->busy_ps() -
                                   busy_before_[l][static_cast<size_t>(t)];
    result.tile_busy_ps += busy[static_cast<size_t>(t)];
  }
  if (replay_ && replay_->Recording(layer)) replay_->End(Now(), std::move(busy));
  if (sampled_run_[l]) {
    sampled_run_[l] = false;
    sampler_->Add(layer, pass_, result.tiling, current_[l], replay_->TakeSample());
  }
}

void Platform::SchedulerThread() {
  ctx_.Guard([this] { RunPasses(); });
}

void Platform::RunPasses() {
  const LayerGraph& graph = *workload_.graph;
  const size_t n = graph.layers().size();
  std::vector<std::vector<int>> consumers(n);
  for (size_t l = 0; l < n; ++l) {
    for (int p : graph.predecessors(static_cast<int>(l)))
      consumers[static_cast<size_t>(p)].push_back(static_cast<int>(l));
  }
  std::vector<bool> group_busy(static_cast<size_t>(planner_.GroupCount()), false);
  for (std::int64_t pass = 0; pass < workload_.Passes(); ++pass) {
    pass_ = pass;
    if (ctx_.trace) ctx_.trace->BeginPass(pass);
    if (replay_) replay_->BeginPass(pass);
    std::vector<int> waiting(n);
    for (size_t l = 0; l < n; ++l)
      waiting[l] = static_cast<int>(graph.predecessors(static_cast<int>(l)).size());
    std::vector<bool> started(n, false);
    size_t done = 0;
    size_t first = 0;  // in topological order: every layer before it has started
    const std::vector<int>& order = graph.topological_order();
    while (done < n) {
      ++ctx_.stats.waits;  // the wait below; counted first, outside a replay's record
      // Start every ready layer whose group is free, in topological order (none once every
      // group is busy: a pass of a whole model has hundreds of layers).
      while (first < n && started[static_cast<size_t>(order[first])]) ++first;
      size_t busy = static_cast<size_t>(std::count(group_busy.begin(), group_busy.end(), true));
      for (size_t i = first; i < n && busy < group_busy.size(); ++i) {
        const int layer = order[i];
        const auto l = static_cast<size_t>(layer);
        const auto g = static_cast<size_t>(planner_.GroupOf(layer).index);
        if (started[l] || waiting[l] > 0 || group_busy[g]) continue;
        started[l] = true;
        group_busy[g] = true;
        ++busy;
        Launch(pass, layer);
      }
      wait(layer_done_);
      for (int layer : finished_) {
        Finish(layer);
        if (ctx_.observer)
          ctx_.observer->LayerFinished(pass, layer, launched_ps_[static_cast<size_t>(layer)],
                                       Now());
        if (pass == workload_.Passes() - 1) {
          planner_.Release(layer);
          if (replay_) replay_->Forget(layer);
        }
        group_busy[static_cast<size_t>(planner_.GroupOf(layer).index)] = false;
        for (int c : consumers[static_cast<size_t>(layer)]) --waiting[static_cast<size_t>(c)];
        ++done;
      }
      finished_.clear();
    }
    if (ctx_.observer) ctx_.observer->PassFinished(pass, Now());
  }
}

std::vector<ChannelResult> Platform::channel_results() const {
  std::vector<ChannelResult> out;
  for (const auto& c : channels_) out.push_back(c->result());
  return out;
}

}  // namespace pjsim
