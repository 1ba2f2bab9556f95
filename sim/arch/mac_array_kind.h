#pragma once
// Dense MAC arrays (int8 x int8 -> int32, fp16 x fp16 -> fp16/fp32): a systolic R x C array with
// the dataflow of array_timing.h. One MAC = one multiply of the operand type plus one add of the
// accumulator type, each priced from the tech table (BitNet's convention for its energy ratios).
//
// Quantized-ANN activations (Layer::activation_bits b < 8) on the int8 array: operands move
// packed at b bits and each product is a b x 8-bit multiply (b x b for attention, whose both
// operands are activations), priced as int8_mult x (a_bits x w_bits) / 64: the energy of an
// array multiplier is proportional to its partial-product bits, the product of the operand
// widths (Horowitz ISSCC 2014: int8 mult 0.2 pJ, int32 mult 3.1 pJ = 15.5x ~ (32/8)^2 = 16x).
// The accumulate stays an add of the accumulator type.
#include "sim/arch/tile_kind.h"

namespace pjsim {

// The int8 array's multiply of a_bits x w_bits operands (both <= 8): int8_mult x a x w / 64,
// registered in `ledger` on first use (Register returns the existing id afterwards). Any tile
// with an int8 MAC path prices quantized activations with it.
ActionId NarrowInt8Mult(EnergyLedger& ledger, double int8_mult_pj, std::int64_t a_bits,
                        std::int64_t w_bits);

class MacArrayKind : public TileKind {
 public:
  // `operand_type`: "int8", "fp16" or "fp32" (a NumberType name).
  MacArrayKind(const TileConfig& tile, const std::string& operand_type);
  void RegisterActions(EnergyLedger& ledger, const TechTable& tech) override;
  bool Supports(const Layer& layer) const override;
  GemmCost RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                   const TileTask& task) const override;

 private:
  TileConfig tile_;
  NumberType operand_type_;
  ActionId mult_ = -1;
  ActionId add_ = -1;
  ActionId gate_ = -1;  // zero_gating: zero detect and operand isolation per PE and MAC
  double int8_mult_pj_ = 0;
};

}  // namespace pjsim
