#pragma once
// The tile kinds `tile.kind` can name. Declared here, below sim/arch, so that the arch reader can
// validate `tile.kind` and `tile.accumulator` without knowing any kind; each kind's file in
// sim/arch adds its entry from a static initialiser (sim/config/registry.h).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/registry.h"

namespace pjsim {

class TileKind;  // sim/arch/tile_kind.h
struct TileConfig;

struct TileKindEntry {
  std::string name;
  std::string summary;
  // The `tile.accumulator` values the kind accepts; the first is the default.
  std::vector<std::string> accumulators;
  // Whether the kind takes `tile.zero_gating` (skips the products of zero activations).
  bool zero_gating = false;
  std::function<std::unique_ptr<TileKind>(const TileConfig&)> factory;
  // Whether the kind's output-stationary array can keep a one-fold block's sums in its PEs
  // across K chunks (TileTask::accumulate_in_array); the mapping search proposes it only then.
  bool accumulates_in_array = false;
};

Registry<TileKindEntry>& TileKindRegistry();

}  // namespace pjsim
