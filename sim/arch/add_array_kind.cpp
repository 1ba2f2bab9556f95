#include "sim/arch/add_array_kind.h"

#include <algorithm>
#include <stdexcept>

#include "sim/arch/mac_array_kind.h"
#include "sim/config/tile_kind_registry.h"
#include "sim/graph/arithmetic.h"
#include "sim/task/dot_array_timing.h"

namespace pjsim {
namespace {

// Arithmetic families of the linear layers each kind executes on its add lanes.
std::vector<ArithmeticFamily> LinearFamilies(ArithmeticFamily weights) {
  return weights == ArithmeticFamily::kTernary
             ? std::vector<ArithmeticFamily>{ArithmeticFamily::kTernary, ArithmeticFamily::kBinary}
             : std::vector<ArithmeticFamily>{ArithmeticFamily::kBinary};
}

ActionId RegisterOp(EnergyLedger& ledger, const TechTable& tech, const std::string& category,
                    const std::string& op) {
  return ledger.Register({category, op, "op", tech.Op(op).value, tech.Op(op).source});
}

}  // namespace

AddArrayKind::AddArrayKind(const TileConfig& tile, const std::string& weights)
    : tile_(tile), weights_(ArithmeticRef::Named(weights)) {}

void AddArrayKind::RegisterActions(EnergyLedger& ledger, const TechTable& tech) {
  const std::string category = "compute." + weights_.name() + "_add";
  add_ = RegisterOp(ledger, tech, category, NumberTypeName(tile_.accumulator) + "_add");
  if (weights_.family() == ArithmeticFamily::kTernary) {
    gate_ = RegisterOp(ledger, tech, category, "zero_skip_gate");
  }
  mac_mult_ = RegisterOp(ledger, tech, "compute.int8_mac", "int8_mult");
  int8_mult_pj_ = tech.Op("int8_mult").value;
  mac_add_ = RegisterOp(ledger, tech, "compute.int8_mac", "int32_add");
  for (const ArithmeticFamily family : LinearFamilies(weights_.family())) {
    for (const Arithmetic& arithmetic : Arithmetics()) {
      if (arithmetic.family != family) continue;
      for (const std::string& packing : arithmetic.packings) {
        unpack_.emplace_back(packing,
                             RegisterOp(ledger, tech, "compute.unpack", UnpackOpName(packing)));
      }
    }
  }
}

ActionId AddArrayKind::Unpack(const std::string& packing) const {
  for (const auto& [name, id] : unpack_) {
    if (name == packing) return id;
  }
  throw std::logic_error("no unpack action for packing '" + packing + "'");
}

bool AddArrayKind::Supports(const Layer& layer) const {
  if (layer.spiking.enabled()) return false;
  const ArithmeticFamily family = layer.arithmetic.family();
  // Attention and int8 linear layers: the MAC path.
  if (family == ArithmeticFamily::kInt8) return true;
  const auto accepted = LinearFamilies(weights_.family());
  return std::find(accepted.begin(), accepted.end(), family) != accepted.end();
}

GemmCost AddArrayKind::RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                               const TileTask& task) const {
  const GemmTask& g = task.gemm;
  const auto m = static_cast<double>(g.m), k = static_cast<double>(g.k),
             n = static_cast<double>(g.n);
  const double products = m * k * n;
  const bool mac_path = layer.arithmetic.family() == ArithmeticFamily::kInt8;
  if (!mac_path) {
    // Zero weights are gated: no add, only the gating overhead (binary weights have no zeros).
    const double zeros =
        layer.arithmetic.family() == ArithmeticFamily::kTernary ? layer.weight_sparsity : 0.0;
    ledger.Add(layer_index, add_, products * (1 - zeros));
    if (gate_ >= 0) ledger.Add(layer_index, gate_, products * zeros);
    ledger.Add(layer_index, Unpack(layer.weight_packing), k * n);  // each weight decoded once
  }
  // Activations at their packed width (activation_bits < 8 in quantized-activation workloads).
  const auto act_bits = static_cast<double>(layer.ActivationBits());
  if (mac_path) {
    // The int8 MAC path: b x 8-bit products for linear layers, b x b for attention.
    const auto a = static_cast<std::int64_t>(act_bits);
    const std::int64_t w = layer.kind == OpKind::kLinear ? 8 : a;
    ledger.Add(layer_index,
               a < 8 || w < 8 ? NarrowInt8Mult(ledger, int8_mult_pj_, a, w) : mac_mult_, products);
    ledger.Add(layer_index, mac_add_, products);
  }
  const double acc_bits = 32;  // partial sums are int32 whatever the lane adder width
  const auto col_groups = static_cast<double>(CeilDiv(g.n, tile_.cols));
  GemmCost cost;
  cost.array_cycles = DotArrayCycles({tile_.rows, tile_.cols}, g);
  cost.sram_read_bits =
      static_cast<double>(layer.OperandBBytes(g.k * g.n)) * 8 + m * k * col_groups * act_bits;
  if (!task.first_k) cost.sram_read_bits += m * n * acc_bits;  // resume partial sums
  cost.sram_write_bits = m * n * (task.last_k ? act_bits : acc_bits);
  return cost;
}

namespace {

// The width each weight's add is priced at (int8: BitNet's convention of one int8 add per weight).
TileKindEntry AddEntry(std::string name, std::string summary, std::string weights) {
  return {.name = std::move(name),
          .summary = std::move(summary),
          .accumulators = {"int8", "int16", "int32"},
          .factory = [weights](const TileConfig& tile) -> std::unique_ptr<TileKind> {
            return std::make_unique<AddArrayKind>(tile, weights);
          }};
}

[[maybe_unused]] const bool kRegistered =
    TileKindRegistry().Add(AddEntry(
        "ternary_add", "addition-only array for ternary weights (zero lanes gated)", "ternary")) &&
    TileKindRegistry().Add(
        AddEntry("binary", "addition-only array for 1-bit weights (add or subtract)", "binary"));

}  // namespace

}  // namespace pjsim
