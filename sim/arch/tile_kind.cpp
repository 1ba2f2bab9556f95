#include "sim/arch/tile_kind.h"

#include <stdexcept>

#include "sim/arch/add_array_kind.h"
#include "sim/arch/lmul_kind.h"
#include "sim/arch/mac_array_kind.h"
#include "sim/arch/rtl_mac_array_kind.h"
#include "sim/arch/spiking_kind.h"

namespace pjsim {

// The registry of tile kinds: one line per kind (names must match KnownTileKinds()).
std::unique_ptr<TileKind> MakeTileKind(const TileConfig& tile) {
  if (tile.kind == "int8_mac_rtl") return MakeRtlMacArrayKind(tile);
  if (tile.kind == "int8_mac") return std::make_unique<MacArrayKind>(tile, "int8");
  if (tile.kind == "fp16_mac") return std::make_unique<MacArrayKind>(tile, "fp16");
  if (tile.kind == "fp32_mac") return std::make_unique<MacArrayKind>(tile, "fp32");
  if (tile.kind == "ternary_add") return std::make_unique<AddArrayKind>(tile, "ternary");
  if (tile.kind == "binary") return std::make_unique<AddArrayKind>(tile, "binary");
  if (tile.kind == "lmul") return std::make_unique<LmulKind>(tile);
  if (tile.kind == "spiking_lif") return std::make_unique<SpikingKind>(tile);
  throw std::invalid_argument("unknown tile kind '" + tile.kind + "'");
}

}  // namespace pjsim
