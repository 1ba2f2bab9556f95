#include "models/tile/tile_kind.h"

#include <stdexcept>

#include "models/tile/mac_array_kind.h"
#include "models/tile/spiking_kind.h"

namespace pjsim {

// The registry of tile kinds: one line per kind (names must match KnownTileKinds()).
std::unique_ptr<TileKind> MakeTileKind(const TileConfig& tile) {
  if (tile.kind == "int8_mac") return std::make_unique<MacArrayKind>(tile, "int8");
  if (tile.kind == "fp16_mac") return std::make_unique<MacArrayKind>(tile, "fp16");
  if (tile.kind == "spiking_lif") return std::make_unique<SpikingKind>(tile);
  throw std::invalid_argument("unknown tile kind '" + tile.kind + "'");
}

}  // namespace pjsim
