#pragma once
// Expansion of a sweep spec into its design points: zip groups advance their axes together, the
// groups (in order of first appearance) form a cartesian product with the last varying fastest,
// and filters mark the points they reject. Point i is always the same configuration for the same
// spec, so ids and config hashes are stable across runs and machines.
#include <cstddef>
#include <string>
#include <vector>

#include "sim/sweep/sweep_spec.h"

namespace pjsim::sweep {

struct DesignPoint {
  size_t index = 0;
  std::string id;                      // zero-padded index, e.g. "0007"
  std::vector<AxisValue> values;       // one per spec axis, in axis order
  std::string arch, tech, workload;    // files for this point, as written (tech may be "")
  std::vector<std::string> overrides;  // KEY=VALUE for `pjsim run --set`: set, then axes
  std::string canonical;               // the text the hash is taken of
  std::string config_hash;             // FNV-1a 64 of `canonical`, 16 hex digits
  std::string skip_reason;             // non-empty: a filter rejected this point

  // "arch.tile.rows=32 arch.dram.type=hbm2e" (axis values only), for progress and tables.
  std::string Label(const SweepSpec& spec) const;
};

// The largest sweep expanded; beyond it the spec is rejected (likely a mistake).
inline constexpr size_t kMaxPoints = 1000000;

// Throws ConfigError for a filter or derived expression that fails on some point's values
// (e.g. a string where a number is needed), naming the expression's location.
std::vector<DesignPoint> ExpandDesignPoints(const SweepSpec& spec);

}  // namespace pjsim::sweep
