#pragma once
// Where a layer's tensors live in DRAM.
#include <vector>

#include "sim/mapping/dram_allocator.h"

namespace pjsim {

struct LayerRegions {
  std::vector<DramRegion> inputs;  // one per activation input (Layer::Arity())
  DramRegion operand_b;            // weights, KV cache, norm gain or embedding table
  DramRegion output;
};

}  // namespace pjsim
