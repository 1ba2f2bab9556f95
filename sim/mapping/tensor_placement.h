#pragma once
// Where a workload's tensors lie in DRAM, row-aligned. Layer outputs at the bottom: by liveness
// (mapping.activation_placement: reuse, the spread strategy), outputs never live at the same
// time may share rows (PlanLifetimeOffsets); else each its own region in layer order. Above them,
// one after another in layer order, what lives for the whole run: the workload inputs a layer
// reads and its weights (KV cache, norm gain, embedding table). Decode workloads take each tensor
// at its last pass's size, so no address moves between passes.
#include <cstdint>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/mapping/layer_regions.h"
#include "sim/workload/workload.h"

namespace pjsim {

struct TensorPlacement {
  std::vector<LayerRegions> layers;  // indexed like the workload's layers
  std::uint64_t bytes = 0;           // the address space the placement takes: its peak footprint
};

TensorPlacement PlaceTensors(const ArchConfig& arch, const Workload& workload);

}  // namespace pjsim
