#include "sim/arch/mac_array_kind.h"

#include <stdexcept>

#include "sim/arch/systolic_traffic.h"
#include "sim/config/tile_kind_registry.h"
#include "sim/graph/arithmetic.h"

namespace pjsim {

MacArrayKind::MacArrayKind(const TileConfig& tile, const std::string& operand_type)
    : tile_(tile), operand_type_(ParseNumberType(operand_type)) {}

void MacArrayKind::RegisterActions(EnergyLedger& ledger, const TechTable& tech) {
  const std::string& operand = NumberTypeName(operand_type_);
  const std::string category = "compute." + operand + "_mac";
  const std::string mult = operand + "_mult";
  const std::string add = NumberTypeName(tile_.accumulator) + "_add";
  mult_ = ledger.Register({category, mult, "op", tech.Op(mult).value, tech.Op(mult).source});
  add_ = ledger.Register({category, add, "op", tech.Op(add).value, tech.Op(add).source});
  if (operand_type_ == NumberType::kInt8) int8_mult_pj_ = tech.Op("int8_mult").value;
  if (tile_.zero_gating) {
    gate_ = ledger.Register({category, "zero_skip_gate", "op", tech.Op("zero_skip_gate").value,
                             tech.Op("zero_skip_gate").source});
  }
}

ActionId NarrowInt8Mult(EnergyLedger& ledger, double int8_mult_pj, std::int64_t a_bits,
                        std::int64_t w_bits) {
  const std::string width = std::to_string(a_bits) + "x" + std::to_string(w_bits);
  const double pj = int8_mult_pj * static_cast<double>(a_bits * w_bits) / 64;
  return ledger.Register(
      {"compute.int8_mac", "int" + width + "_mult", "op", pj,
       "derived: int8_mult x " + width +
           "/64 (multiplier energy proportional to the product of "
           "operand widths; Horowitz ISSCC 2014: int32 mult / int8 mult = 3.1 / 0.2 ~ (32/8)^2)"});
}

bool MacArrayKind::Supports(const Layer& layer) const {
  if (layer.spiking.enabled()) return false;  // spike trains need a spiking tile
  const Arithmetic& a = *layer.arithmetic;
  switch (operand_type_) {
    case NumberType::kInt8:
      return a.family == ArithmeticFamily::kInt8;
    case NumberType::kFp16:  // bf16 products run on the fp16 array
      return a.family == ArithmeticFamily::kFloat &&
             (a.operand == DType::kFp16 || a.operand == DType::kBf16);
    case NumberType::kFp32:
      return a.family == ArithmeticFamily::kFloat && a.operand == DType::kFp32;
    default:
      return false;
  }
}

GemmCost MacArrayKind::RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                               const TileTask& task) const {
  const GemmTask& g = task.gemm;
  const double macs =
      static_cast<double>(g.m) * static_cast<double>(g.k) * static_cast<double>(g.n);
  // Operand widths: activations (A, and the output) at the layer's activation width; the second
  // operand is weights (the dtype's width on these arrays) or, for attention, activations.
  const auto a_bits = static_cast<double>(layer.ActivationBits());
  const double b_bits = layer.kind == OpKind::kLinear ? DTypeBits(layer.dtype) : a_bits;
  const bool narrow = operand_type_ == NumberType::kInt8 && (a_bits < 8 || b_bits < 8);
  // Zero gating: every PE checks its activation; a zero one's product and add do not switch.
  const double products = tile_.zero_gating ? macs * (1 - layer.activation_sparsity) : macs;
  if (tile_.zero_gating) ledger.Add(layer_index, gate_, macs);
  ledger.Add(layer_index,
             narrow ? NarrowInt8Mult(ledger, int8_mult_pj_, static_cast<std::int64_t>(a_bits),
                                     static_cast<std::int64_t>(b_bits))
                    : mult_,
             products);
  ledger.Add(layer_index, add_, products);

  // Operand traffic by the dataflow's counting conventions (README "SRAM operand traffic").
  OperandWidths widths;
  widths.input_bits = a_bits;
  widths.operand_b_total_bits = static_cast<double>(g.k) * static_cast<double>(g.n) * b_bits;
  widths.accumulator_bits = NumberTypeBits(tile_.accumulator);
  widths.output_bits = a_bits;  // the block's sums leave requantized to the output type
  return SystolicTraffic(tile_, task, widths);
}

namespace {

TileKindEntry MacEntry(std::string name, std::string summary, std::string operand_type,
                       std::vector<std::string> accumulators) {
  return {.name = std::move(name),
          .summary = std::move(summary),
          .accumulators = std::move(accumulators),
          .zero_gating = true,
          .factory = [operand_type](const TileConfig& tile) -> std::unique_ptr<TileKind> {
            return std::make_unique<MacArrayKind>(tile, operand_type);
          },
          .accumulates_in_array = true};
}

// One class, three operand types: each is its own kind name.
[[maybe_unused]] const bool kRegistered =
    TileKindRegistry().Add(MacEntry("int8_mac", "systolic int8 x int8 MAC array, int32 accumulate",
                                    "int8", {"int32"})) &&
    TileKindRegistry().Add(
        MacEntry("fp16_mac", "systolic fp16 x fp16 MAC array", "fp16", {"fp32", "fp16"})) &&
    TileKindRegistry().Add(
        MacEntry("fp32_mac", "systolic fp32 x fp32 MAC array", "fp32", {"fp32"}));

}  // namespace

}  // namespace pjsim
