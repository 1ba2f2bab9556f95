#include "sim/config/tile_kind_registry.h"

namespace pjsim {

Registry<TileKindEntry>& TileKindRegistry() {
  static Registry<TileKindEntry> registry("tile kind");
  return registry;
}

}  // namespace pjsim
