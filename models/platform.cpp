#include "models/platform.h"

#include <string>

namespace pjsim {

Platform::Platform(sc_core::sc_module_name name, PlatformContext& ctx, const TileKind& kind,
                   const Workload& workload, WorkloadPlanner& planner)
    : sc_core::sc_module(name),
      ctx_(ctx),
      workload_(workload),
      planner_(planner),
      current_(workload.graph->layers()),
      layer_results_(workload.graph->layers().size()) {
  noc_ = std::make_unique<MeshNoc>("noc", ctx);
  for (size_t c = 0; c < ctx.arch.dram.channels.size(); ++c) {
    channels_.push_back(std::make_unique<DramChannel>(("dram" + std::to_string(c)).c_str(), ctx));
    noc_->channel_socket.bind(channels_.back()->socket);
  }
  for (std::int64_t t = 0; t < ctx.arch.TileCount(); ++t) {
    tiles_.push_back(std::make_unique<ComputeTile>(("tile" + std::to_string(t)).c_str(), ctx, kind,
                                                   current_, [this] { TileDone(); }));
    tiles_.back()->socket.bind(noc_->tile_socket);
  }
  SC_HAS_PROCESS(Platform);
  SC_THREAD(SchedulerThread);
}

void Platform::TileDone() {
  if (--tiles_running_ == 0) all_tiles_done_.notify(sc_core::SC_ZERO_TIME);
}

void Platform::SchedulerThread() {
  for (std::int64_t pass = 0; pass < workload_.Passes(); ++pass) {
    for (int layer : workload_.graph->topological_order()) {
      const auto l = static_cast<size_t>(layer);
      current_[l] = planner_.LayerAt(pass, layer);
      const LayerPlan& plan = planner_.Plan(pass, layer);
      LayerResult& result = layer_results_[l];
      const std::uint64_t start = Now();
      if (pass == 0) result.start_ps = start;
      result.tiling = plan.tiling;
      result.tile_tasks += plan.tiling.tasks;
      result.macs += static_cast<double>(current_[l].Macs());
      result.operand_b_bytes += plan.tiling.planned_operand_b_bytes;
      std::vector<std::uint64_t> busy_before;
      for (const auto& tile : tiles_) busy_before.push_back(tile->busy_ps());
      tiles_running_ = static_cast<int>(tiles_.size());
      for (size_t t = 0; t < tiles_.size(); ++t) tiles_[t]->Start(&plan.per_tile[t]);
      ++ctx_.stats.waits;
      wait(all_tiles_done_);
      result.span_ps += Now() - start;
      for (size_t t = 0; t < tiles_.size(); ++t) {
        result.tile_busy_ps += tiles_[t]->busy_ps() - busy_before[t];
      }
    }
  }
}

std::vector<ChannelResult> Platform::channel_results() const {
  std::vector<ChannelResult> out;
  for (const auto& c : channels_) {
    out.push_back({c->bytes_read(), c->bytes_written(), c->row_hits(), c->row_misses(), c->busy_ps()});
  }
  return out;
}

}  // namespace pjsim
