#pragma once
// Addition-only arrays for ternary and 1-bit weights (tile kinds "ternary_add" and "binary"):
// C dot-product units of R lanes (dot_array_timing.h). A lane adds or subtracts its int8
// activation according to the weight: a ternary lane whose weight is 0 is gated (no add, a
// `zero_skip_gate` op of overhead instead); a binary lane always adds or subtracts. Each add is
// priced at the accumulator width (tile.accumulator: int8 is BitNet's convention of one int8 add
// per weight; int16/int32 price wider adder-tree and accumulator adds). Weights arrive in SRAM
// packed (1.6-2 bits) and are decoded at the lane input: one `unpack_<packing>` op per weight
// read. Int8 GEMMs -- attention products (activation x activation, no weights) and int8 linear
// layers such as BitNet's higher-precision LM head -- run on the same lanes as int8
// multiply-accumulates (int8_mult + int32_add): the array keeps int8 multipliers for them.
//
// SRAM traffic per task: a beat's R weights per unit are latched once and the task's M rows
// stream past them, so operand B is read once per task (packed), activations once per column
// group (ceil(N/C)); the M partial sums per unit stay in its accumulators for the task and go
// through SRAM between K chunks (int32), results leave at the activation width.
#include "sim/arch/tile_kind.h"
#include "sim/graph/arithmetic.h"

namespace pjsim {

class AddArrayKind : public TileKind {
 public:
  // `weights`: "ternary" (zero skipping; also runs binary layers) or "binary".
  AddArrayKind(const TileConfig& tile, const std::string& weights);
  void RegisterActions(EnergyLedger& ledger, const TechTable& tech) override;
  bool Supports(const Layer& layer) const override;
  GemmCost RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                   const TileTask& task) const override;

 private:
  TileConfig tile_;
  ArithmeticRef weights_;
  ActionId add_ = -1;        // one add/subtract per nonzero weight-product
  ActionId gate_ = -1;       // zero-skip overhead per gated lane-op (ternary)
  ActionId mac_mult_ = -1;   // attention products: int8 multiply
  double int8_mult_pj_ = 0;  // for narrower (quantized-activation) products
  ActionId mac_add_ = -1;    // ... and int32 accumulate
  std::vector<std::pair<std::string, ActionId>> unpack_;  // per packing
  ActionId Unpack(const std::string& packing) const;
};

}  // namespace pjsim
