#pragma once
// The whole accelerator, built from an ArchConfig: W x H compute tiles, a NoC and DRAM channels
// (the models the architecture names), bound through TLM-2.0 sockets; plus a scheduler thread that
// runs the workload's passes (one, or one per decode step; a pass starts when the previous one has
// finished). Within a pass it runs the layer DAG as a dataflow: a layer starts when its producers
// have finished and its tile group is free (spread strategy: one group of all tiles, so one layer
// at a time).
#include <memory>
#include <systemc>
#include <vector>

#include "models/decode_sampler.h"
#include "models/layer_replay.h"
#include "models/memory/dram_model.h"
#include "models/noc/noc_model.h"
#include "models/platform_context.h"
#include "models/simulate.h"
#include "models/tile/compute_tile.h"
#include "sim/arch/tile_power.h"
#include "sim/mapping/workload_planner.h"

namespace pjsim {

class Platform : public sc_core::sc_module {
 public:
  Platform(sc_core::sc_module_name name, PlatformContext& ctx, const TileKind& kind,
           const Workload& workload, WorkloadPlanner& planner);

  const std::vector<LayerResult>& layer_results() const { return layer_results_; }
  std::vector<ChannelResult> channel_results() const;
  const NocModel& noc() const { return *noc_; }
  // Closes the power domains at the end of the run (call after sc_start returns).
  void FinishPower();
  // Brings the DRAM channels to the end of the run (call after sc_start returns, before
  // channel_results): what they owe to it is charged to the layer that finished last.
  void FinishChannels();
  const TilePower& power() const { return power_; }
  double gating_reload_bytes() const { return reload_bytes_; }
  // Layer runs replayed from a record instead of simulated (models/layer_replay.h).
  std::int64_t replayed_layer_runs() const { return replay_ ? replay_->replayed() : 0; }
  std::int64_t replay_skipped_runs() const { return replay_ ? replay_->skipped() : 0; }
  std::int64_t replay_shapes_by_walk() const { return replay_ ? replay_->shapes_by_walk() : 0; }
  // What a sampled decode did (models/decode_sampler.h); `interval` 0 when none was asked for.
  DecodeSamplingResult decode_sampling() const;

 private:
  void SchedulerThread();
  void RunPasses();
  void TileDone(int tile);
  void Launch(std::int64_t pass, int layer);
  void Finish(int layer);
  // A run applied from a record or extrapolated instead of simulated: its tiles' busy times
  // grow by `busy_ps` and the layer finishes after `duration_ps`.
  void FinishWithoutSimulating(int layer, const std::vector<std::uint64_t>& busy_ps,
                               std::uint64_t duration_ps);
  // Replay may stand in for runs of the layer: its plan can repeat and each run is alone.
  bool MayReplay(int layer) const;
  double NowCycles() const;
  // Splits the time since the last change among the layers running, for leakage attribution.
  void ShareElapsedTime();

  PlatformContext& ctx_;
  const Workload& workload_;
  WorkloadPlanner& planner_;
  std::vector<Layer> current_;  // each layer as it runs in the current pass
  SharedLoads shared_loads_;
  PartialSums partial_sums_;
  std::vector<std::unique_ptr<ComputeTile>> tiles_;
  std::unique_ptr<NocModel> noc_;
  std::vector<std::unique_ptr<DramModel>> channels_;
  std::vector<LayerResult> layer_results_;
  std::vector<int> tile_layer_;     // layer each tile runs, -1 if idle
  std::vector<bool> tile_powered_;  // the tile's power domains were woken for its layer
  // Per tile, per layer: resident weights lost to an SRAM that was off, not yet reloaded.
  std::vector<std::vector<bool>> weights_lost_;
  std::vector<TaskQueue> reload_tasks_;  // per tile: its tasks when it reloads them
  std::vector<int> tiles_running_;       // per layer
  std::vector<int> finished_;            // layers finished since the scheduler last looked
  std::vector<std::uint64_t> launched_ps_;
  std::vector<std::vector<std::uint64_t>> busy_before_;
  std::vector<bool> sampled_run_;  // per layer: its running run is a sampled decode's detailed one
  std::vector<int> running_;       // layers in flight
  int last_finished_ = 0;
  std::uint64_t last_share_ps_ = 0;
  TilePower power_;
  double reload_bytes_ = 0;
  sc_core::sc_event layer_done_;
  std::unique_ptr<LayerReplay> replay_;     // null when runs are never replayed
  std::unique_ptr<DecodeSampler> sampler_;  // null unless a sampled decode can run
  std::string sampling_not_applied_;        // why not, when the workload asked for one
  std::int64_t pass_ = 0;                   // the pass running
};

}  // namespace pjsim
