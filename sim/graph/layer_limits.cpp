#include "sim/graph/layer_limits.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "sim/numerics/checked.h"

namespace pjsim {
namespace {

using Factor = std::pair<const char*, std::int64_t>;

// The largest count of the layer as named factors: MACs (times timesteps when spiking) for the
// GEMM family, the tensor (and embedding table) for the vector family.
std::vector<Factor> LargestProduct(const Layer& l) {
  std::vector<Factor> f;
  switch (l.kind) {
    case OpKind::kLinear:
      f = {{"batch", l.batch}, {"m", l.m}, {"k", l.k}, {"n", l.n}};
      break;
    case OpKind::kAttentionScores:
    case OpKind::kAttentionContext: {
      const AttentionDims& a = l.attention;
      f = {{"sequences", a.sequences},
           {"heads", a.heads},
           {"q_len", a.q_len},
           {"head_dim", a.head_dim},
           {"kv_len", a.kv_len}};
      break;
    }
    case OpKind::kEmbedding:
      f = {{"m", std::max(l.m, l.k)}, {"n", l.n}};
      if (l.k > l.m) f[0].first = "vocab";
      break;
    default:
      f = {{"m", l.m}, {"n", l.n}};
      break;
  }
  if (l.spiking.enabled()) f.emplace_back("timesteps", l.spiking.timesteps);
  return f;
}

}  // namespace

std::optional<LayerSizeProblem> CheckLayerSizes(const Layer& layer) {
  const std::vector<Factor> factors = LargestProduct(layer);
  std::int64_t product = 1;
  bool overflow = false;
  for (const auto& [key, value] : factors) {
    const std::optional<std::int64_t> next = numerics::CheckedMul(product, value);
    if (!next || *next > numerics::kMaxExactCount) {
      overflow = true;
      break;
    }
    product = *next;
  }
  if (!overflow) return std::nullopt;
  std::string names;
  const Factor* largest = &factors.front();
  for (const Factor& f : factors) {
    names += (names.empty() ? "" : " x ") + std::string(f.first) + " " + std::to_string(f.second);
    if (f.second > largest->second) largest = &f;
  }
  return LayerSizeProblem{largest->first, "layer '" + layer.name + "' is too large: " + names +
                                              " exceeds 2^53 (" +
                                              std::to_string(numerics::kMaxExactCount) +
                                              "), the largest count pjsim represents exactly"};
}

}  // namespace pjsim
