#pragma once
// L-Mul array (tile kind "lmul", Luo & Sun arXiv 2410.00907): an R x C systolic array
// (array_timing.h) whose PEs multiply with one integer adder over the (exponent||mantissa)
// fields (sim/numerics/lmul.h) and accumulate in tile.accumulator (fp32 or fp16). One product
// is priced as the smallest tabulated integer adder of at least e + m bits (int8/int16/int32
// add: e4m3/e5m2 -> int8, fp16/bf16 -> int16, fp32 -> int32; the paper's derivation of the 95%
// saving prices fp16's L-Mul as an int16 add) plus one accumulator add. It runs linear layers
// of an lmul-* arithmetic and attention products in the activation format (fp16, bf16, fp32),
// which L-Mul was proposed for. Weights are dense at the format's width: no unpacking.
#include "sim/arch/tile_kind.h"

namespace pjsim {

class LmulKind : public TileKind {
 public:
  explicit LmulKind(const TileConfig& tile);
  void RegisterActions(EnergyLedger& ledger, const TechTable& tech) override;
  bool Supports(const Layer& layer) const override;
  GemmCost RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                   const TileTask& task) const override;

  // The tech-table adder op that prices one L-Mul of the layer's format ("int16_add", ...).
  static std::string AdderOp(const Layer& layer);

 private:
  TileConfig tile_;
  std::vector<std::pair<std::string, ActionId>> adders_;  // adder op -> action
  ActionId accumulate_ = -1;
};

}  // namespace pjsim
