#pragma once
// The whole accelerator, built from an ArchConfig: W x H compute tiles, a mesh NoC and DRAM
// channels, bound through TLM-2.0 sockets; plus a scheduler thread that runs the workload's
// passes (one, or one per decode step) and in each the layers in topological order (each layer
// spread over all tiles, a barrier between layers).
#include <systemc>

#include <memory>
#include <vector>

#include "models/memory/dram_channel.h"
#include "models/noc/mesh_noc.h"
#include "models/platform_context.h"
#include "models/simulate.h"
#include "models/tile/compute_tile.h"
#include "sim/mapping/workload_planner.h"

namespace pjsim {

class Platform : public sc_core::sc_module {
 public:
  Platform(sc_core::sc_module_name name, PlatformContext& ctx, const TileKind& kind,
           const Workload& workload, WorkloadPlanner& planner);

  const std::vector<LayerResult>& layer_results() const { return layer_results_; }
  std::vector<ChannelResult> channel_results() const;
  const MeshNoc& noc() const { return *noc_; }

 private:
  void SchedulerThread();
  void TileDone();

  PlatformContext& ctx_;
  const Workload& workload_;
  WorkloadPlanner& planner_;
  std::vector<Layer> current_;  // each layer as it runs in the current pass
  std::vector<std::unique_ptr<ComputeTile>> tiles_;
  std::unique_ptr<MeshNoc> noc_;
  std::vector<std::unique_ptr<DramChannel>> channels_;
  std::vector<LayerResult> layer_results_;
  int tiles_running_ = 0;
  sc_core::sc_event all_tiles_done_;
};

}  // namespace pjsim
