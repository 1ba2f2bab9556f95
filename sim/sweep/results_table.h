#pragma once
// The store's two summary files, generated from the finished points in point order (never in
// completion order, so any -j gives the same bytes):
//   results.csv   point, config_hash, one column per axis, status, error, the standard metrics
//                 (total.*, simulation.tile_tasks), energy_by_category.* (every category any
//                 point has, sorted; 0 for an ok point without it), then the derived columns
//   results.jsonl one point record per line
#include <string>
#include <vector>

#include "sim/sweep/point_record.h"

namespace pjsim::sweep {

// `finished` holds the finished points' results in index order.
std::string ResultsCsv(const SweepSpec& spec, const std::vector<DesignPoint>& points,
                       const std::vector<const PointResult*>& finished);
std::string ResultsJsonl(const std::vector<const PointResult*>& finished);

// The derived columns of one point; nullopt where a value is unknown or not finite.
std::vector<std::optional<double>> DerivedValues(const SweepSpec& spec, const DesignPoint& point,
                                                 const PointResult& result);

}  // namespace pjsim::sweep
