#pragma once
// One design point's outcome as stored: the JSON object written to points/<id>.json when the point
// finishes, and (compacted) one line of results.jsonl:
//   {"point": "0007", "index": 7, "config_hash": "...", "status": "ok", "error": "",
//    "axes": {"arch.tile.rows": 32, ...}, "files": {"arch": ..., "tech": ..., "workload": ...},
//    "overrides": ["arch.tile.rows=32", ...], "config": {resolved config} or null,
//    "report": {report.json without its config} or null}
// It holds no wall-clock time, so the same point always gives the same bytes.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "sim/sweep/design_points.h"
#include "sim/sweep/report_metrics.h"

namespace pjsim::sweep {

enum class PointStatus { kOk, kFailed, kTimeout, kSkipped };

std::string_view StatusName(PointStatus s);  // "ok", "failed", "timeout", "skipped"
std::optional<PointStatus> ParseStatus(std::string_view name);

// The point file's text. `report` (parsed report.json) is required for kOk and ignored otherwise;
// `error` is the child's one-line error, the timeout, or the filter's reason; `build` the pjsim
// build that made the point (build_fingerprint.h).
std::string PointRecordJson(const SweepSpec& spec, const DesignPoint& point, PointStatus status,
                            const std::string& error, const YAML::Node* report,
                            const std::string& build);

// What the store keeps of a point file.
struct PointResult {
  size_t index = 0;
  std::string id;
  std::string config_hash;
  std::string build;  // the pjsim build that made it (empty: a record from before builds were kept)
  PointStatus status = PointStatus::kFailed;
  std::string error;
  FlatMetrics metrics;    // report metrics (ok points only)
  std::string json_line;  // the record on one line, without the newline
};

// Reads a point file. Throws ConfigError naming `file` when it is not a valid point record.
PointResult ReadPointRecord(const std::string& text, const std::string& file);

}  // namespace pjsim::sweep
