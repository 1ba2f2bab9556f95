#pragma once
// The largest layer the simulator represents exactly. Sizes are read as int64, but products of
// them (elements, MACs, spike-train lengths) would wrap for absurd inputs (m = n = 2^32 gives 0
// elements and a 0 pJ report), so a layer whose largest count exceeds numerics::kMaxExactCount
// (2^53) is an input error instead. All factors are >= 1, so the largest product bounds every
// tensor, weight matrix and MAC count of the layer.
#include <optional>
#include <string>

#include "sim/graph/layer.h"

namespace pjsim {

struct LayerSizeProblem {
  std::string key;      // the layer key of the largest factor (e.g. "m", "kv_len", "timesteps")
  std::string message;  // names the product and the limit
};

// Nothing when every count of `layer` is below 2^53, else the problem.
std::optional<LayerSizeProblem> CheckLayerSizes(const Layer& layer);

}  // namespace pjsim
