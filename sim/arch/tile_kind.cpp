#include "sim/arch/tile_kind.h"

#include <algorithm>
#include <cmath>

#include "sim/config/config_error.h"
#include "sim/config/tile_kind_registry.h"

namespace pjsim {

std::int64_t PortBoundCycles(std::int64_t cycles, double sram_read_bits, double sram_write_bits,
                             double port_bytes_per_cycle) {
  const auto port_cycles = static_cast<std::int64_t>(
      std::ceil((sram_read_bits + sram_write_bits) / 8 / port_bytes_per_cycle));
  return std::max(cycles, port_cycles);
}

std::unique_ptr<TileKind> MakeTileKind(const TileConfig& tile) {
  return TileKindRegistry().Get(tile.kind).factory(tile);
}

void RequireKindRunsLayers(const TileConfig& tile, const TileKind& kind,
                           const std::vector<Layer>& layers) {
  for (const Layer& layer : layers) {
    if (layer.IsGemm() && !kind.Supports(layer)) {
      throw ConfigError(layer.where, "layer '" + layer.name + "' has arithmetic " +
                                         layer.arithmetic.name() +
                                         (layer.spiking.enabled() ? " on spikes" : "") +
                                         ", which tile kind '" + tile.kind + "' cannot execute");
    }
  }
}

}  // namespace pjsim
