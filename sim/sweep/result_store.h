#pragma once
// A sweep's results store, one directory:
//   sweep.json      what the store holds: name, point count, axes (with units), metric units
//   spec.yaml       a copy of the spec that made it
//   points/<id>.json  one record per finished point, each written atomically (temp + rename):
//                   the ground truth; a point is done exactly when its file exists
//   results.csv, results.jsonl  regenerated atomically from the point files, in point order
//   run_log.txt     wall-clock times of each run (the only file with times in it)
//   scratch/        per-point `pjsim run` output while a point runs
// Only this process writes into the store while it holds the lock (DIR/.lock, flock).
#include <memory>
#include <string>
#include <vector>

#include "sim/sweep/point_record.h"

namespace pjsim::sweep {

class ResultStore {
 public:
  // Opens `dir` for the spec's points, creating it if needed. Without `resume`, `dir` must not
  // hold a store yet. With it, every point file must match the spec (same point count and config
  // hashes). Stale scratch and temporary files are removed; skipped points are recorded. Throws
  // ConfigError on misuse, std::runtime_error on I/O failure or when another sweep holds `dir`.
  static std::unique_ptr<ResultStore> Open(const std::string& dir, const SweepSpec& spec,
                                           const std::vector<DesignPoint>& points, bool resume);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  const PointResult* Find(size_t index) const { return results_[index].get(); }
  size_t FinishedCount() const;

  // Writes points/<id>.json atomically and keeps its result. `report` is required for kOk.
  const PointResult& Record(const DesignPoint& point, PointStatus status, const std::string& error,
                            const YAML::Node* report);
  // Regenerates results.csv and results.jsonl from the recorded points.
  void WriteResults() const;

  // Where `pjsim run` writes this point's output (absolute).
  std::string ScratchDir(const DesignPoint& point) const;
  // Appends a line to run_log.txt.
  void Log(const std::string& line) const;
  const std::string& dir() const { return dir_; }

 private:
  ResultStore(std::string dir, const SweepSpec& spec, const std::vector<DesignPoint>& points);
  void LoadPoints();
  void WriteManifest() const;

  std::string dir_;  // absolute
  const SweepSpec& spec_;
  const std::vector<DesignPoint>& points_;
  std::vector<std::unique_ptr<PointResult>> results_;
  int lock_fd_ = -1;
};

// sweep.json: the facts a reader of the store needs besides the CSV (units for labels).
std::string ManifestJson(const SweepSpec& spec, size_t point_count);

}  // namespace pjsim::sweep
