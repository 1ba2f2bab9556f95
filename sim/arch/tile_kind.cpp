#include "sim/arch/tile_kind.h"

#include "sim/config/tile_kind_registry.h"

namespace pjsim {

std::unique_ptr<TileKind> MakeTileKind(const TileConfig& tile) {
  return TileKindRegistry().Get(tile.kind).factory(tile);
}

}  // namespace pjsim
