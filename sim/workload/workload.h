#pragma once
// A workload file (workloads/*.yaml): a named DAG of layers, plus how it is run: once (a block or
// a prefill pass) or once per generated token (decode, with the KV cache growing every step).
#include <cstdint>
#include <memory>
#include <string>

#include "sim/graph/layer_graph.h"
#include "sim/workload/moe_routing.h"

namespace pjsim {

class ConfigMap;

enum class Phase { kSinglePass, kPrefill, kDecode };

struct Workload {
  std::string file;
  std::string name;
  Phase phase = Phase::kSinglePass;
  std::int64_t decode_tokens = 1;  // decode: passes (generated tokens per sequence)
  // Decode: simulate the layers re-planned every pass (attention) in detail every this many
  // passes and extrapolate them in between (models/decode_sampler.h); 1: every pass in detail.
  std::int64_t decode_sampling = 1;
  std::int64_t tokens_per_pass = 0;  // tokens one pass processes (0 = not a token workload)
  std::int64_t total_params = 0;     // as recorded by the importer (0 = unknown)
  std::int64_t active_params = 0;
  std::shared_ptr<const LayerGraph> graph;
  // Routing of MoE expert ops (layers with `experts:`); its experts/top_k are the layers'.
  RoutingConfig routing;

  std::int64_t Passes() const { return phase == Phase::kDecode ? decode_tokens : 1; }
};

// Reads `name` and `layers` (and the optional run keys). A layer's `inputs` defaults to the layer
// before it; `inputs: []` (or fewer inputs than the op takes) reads the rest from DRAM.
Workload ReadWorkload(ConfigMap root);

}  // namespace pjsim
