#pragma once
// The ledger categories a run of this configuration can charge (report.json's
// energy_by_category keys), known before it runs: every action the platform, the tile kind, power
// gating and the layers' vector ops register, and the DRAM model's own categories. A sweep checks
// the energy_by_category names of its derived columns against them before any point runs.
#include <set>
#include <string>

#include "sim/run/run_config.h"

namespace pjsim {

std::set<std::string> ChargeableCategories(const RunConfig& config);

}  // namespace pjsim
