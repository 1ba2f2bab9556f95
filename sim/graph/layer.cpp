#include "sim/graph/layer.h"

#include "sim/graph/arithmetic.h"

namespace pjsim {

std::int64_t Layer::WeightBytes(std::int64_t count) const {
  return FindArithmetic(arithmetic).weight_bytes(count, weight_packing);
}

}  // namespace pjsim
