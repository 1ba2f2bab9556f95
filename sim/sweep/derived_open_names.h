#pragma once
// Derived columns may name report keys of open sets: ledger categories
// (energy_by_category.dram.read) and the resolved configuration (config.arch.tile.rows), which a
// spec check alone cannot close, so a typo (energy_by_category.dram.reed) would leave its column
// empty. Before any point runs, every such name must be one some point of the sweep has: each
// distinct point's configuration is loaded, and its chargeable categories
// (run/chargeable_categories.h) and resolved configuration collected; otherwise a ConfigError at
// the name's column. (run.* and power_gating.* are closed: report_metrics.h checks them with the
// spec; area.* and carbon.* are checked once the points have run.)
#include <vector>

#include "sim/sweep/design_points.h"
#include "sim/sweep/sweep_spec.h"

namespace pjsim::sweep {

void CheckOpenDerivedNames(const SweepSpec& spec, const std::vector<DesignPoint>& points);

}  // namespace pjsim::sweep
