#pragma once
// Dense MAC arrays (int8 x int8 -> int32, fp16 x fp16 -> fp16/fp32): a systolic R x C array with
// the dataflow of array_timing.h. One MAC = one multiply of the operand type plus one add of the
// accumulator type, each priced from the tech table (BitNet's convention for its energy ratios).
#include "models/tile/tile_kind.h"

namespace pjsim {

class MacArrayKind : public TileKind {
 public:
  MacArrayKind(const TileConfig& tile, std::string operand_type);
  void RegisterActions(EnergyLedger& ledger, const TechTable& tech) override;
  bool Supports(const Layer& layer) const override;
  GemmCost RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                   const TileTask& task) const override;

 private:
  TileConfig tile_;
  std::string operand_type_;  // "int8" or "fp16"
  ActionId mult_ = -1;
  ActionId add_ = -1;
};

}  // namespace pjsim
