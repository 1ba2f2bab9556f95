#include "sim/arch/lmul_kind.h"

#include <stdexcept>

#include "sim/arch/systolic_traffic.h"
#include "sim/config/tile_kind_registry.h"
#include "sim/graph/arithmetic.h"

namespace pjsim {
namespace {

// The float format a GEMM multiplies in: its lmul-* arithmetic, or for attention (arithmetic =
// activation dtype) the activation format. nullopt: not an L-Mul product.
std::optional<numerics::FloatFormat> LmulFormat(const Layer& layer) {
  if (layer.kind == OpKind::kLinear) return layer.arithmetic->lmul_format;
  switch (layer.dtype) {
    case DType::kFp16:
      return numerics::kFp16;
    case DType::kBf16:
      return numerics::kBf16;
    case DType::kFp32:
      return numerics::kFp32;
    default:
      return std::nullopt;
  }
}

std::string AdderFor(int field_bits) {
  return field_bits <= 8 ? "int8_add" : field_bits <= 16 ? "int16_add" : "int32_add";
}

}  // namespace

LmulKind::LmulKind(const TileConfig& tile) : tile_(tile) {}

std::string LmulKind::AdderOp(const Layer& layer) {
  const auto f = LmulFormat(layer);
  if (!f) throw std::logic_error("layer '" + layer.name + "' is not an L-Mul product");
  return AdderFor(f->exponent_bits + f->mantissa_bits);
}

void LmulKind::RegisterActions(EnergyLedger& ledger, const TechTable& tech) {
  for (const std::string op : {"int8_add", "int16_add", "int32_add"}) {
    adders_.emplace_back(
        op, ledger.Register({"compute.lmul", op, "op", tech.Op(op).value, tech.Op(op).source}));
  }
  const std::string acc = NumberTypeName(tile_.accumulator) + "_add";
  accumulate_ =
      ledger.Register({"compute.lmul", acc, "op", tech.Op(acc).value, tech.Op(acc).source});
}

bool LmulKind::Supports(const Layer& layer) const {
  return !layer.spiking.enabled() && LmulFormat(layer).has_value();
}

GemmCost LmulKind::RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                           const TileTask& task) const {
  const GemmTask& g = task.gemm;
  const double products =
      static_cast<double>(g.m) * static_cast<double>(g.k) * static_cast<double>(g.n);
  const std::string adder = AdderOp(layer);
  for (const auto& [op, id] : adders_) {
    if (op == adder) ledger.Add(layer_index, id, products);
  }
  ledger.Add(layer_index, accumulate_, products);
  const auto act_bits = static_cast<double>(layer.ActivationBits());
  OperandWidths w;
  w.input_bits = act_bits;
  w.operand_b_total_bits = static_cast<double>(layer.OperandBBytes(g.k * g.n)) * 8;
  w.accumulator_bits = NumberTypeBits(tile_.accumulator);
  w.output_bits = act_bits;
  return SystolicTraffic(tile_, task, w);
}

namespace {

[[maybe_unused]] const bool kRegistered = TileKindRegistry().Add(
    {.name = "lmul",
     .summary = "L-Mul array: float products as one integer add (arXiv 2410.00907)",
     .accumulators = {"fp32", "fp16"},
     .factory = [](const TileConfig& tile) -> std::unique_ptr<TileKind> {
       return std::make_unique<LmulKind>(tile);
     },
     .accumulates_in_array = true});

}  // namespace

}  // namespace pjsim
