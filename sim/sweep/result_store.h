#pragma once
// A sweep's results store, one directory:
//   sweep.json      what the store holds: name, point count, axes (with units), metric units
//   spec.yaml       a copy of the spec that made it
//   points/<id>.json  one record per finished point, each written atomically (temp + rename):
//                   the ground truth; a point is done exactly when its file exists
//   results.csv, results.jsonl  regenerated atomically from the point files, in point order
//   run_log.txt     wall-clock times of each run (the only file with times in it)
//   scratch/        per-point `pjsim run` output while a point runs
// Only this process writes into the store while it holds the lock (DIR/.lock, flock). A Slurm
// array task (sim/sweep/array_task.h) holds it shared, as does the sweep that submitted and waits
// for the array: tasks write only their own points' files, and no other sweep (a local --resume)
// can take the store while any of them runs.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sim/sweep/build_fingerprint.h"
#include "sim/sweep/point_record.h"

namespace pjsim::sweep {

class ResultStore {
 public:
  // Opens `dir` for the spec's points, creating it if needed. Without `resume`, `dir` must not
  // hold a store yet. With it, every point file must match the spec (same point count and config
  // hashes); a point another pjsim build made (its record's `pjsim_build` is not `build`) is
  // stale: not loaded, so it runs again (StalePoints). Stale scratch and temporary files are
  // removed; skipped points are recorded. Throws ConfigError on misuse, std::runtime_error on I/O
  // failure or when another sweep holds `dir`.
  static std::unique_ptr<ResultStore> Open(const std::string& dir, const SweepSpec& spec,
                                           const std::vector<DesignPoint>& points, bool resume,
                                           const std::string& build = ThisBuildFingerprint());
  // Opens an existing store for one array task's points [batch.first, batch.end), sharing the
  // lock with the other tasks: nothing is cleaned or rewritten, only those points' files are read.
  static std::unique_ptr<ResultStore> OpenForTask(const std::string& dir, const SweepSpec& spec,
                                                  const std::vector<DesignPoint>& points,
                                                  size_t first, size_t end);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  const PointResult* Find(size_t index) const { return results_[index].get(); }
  // Points found made by another build when the store was opened (they run again).
  size_t StalePoints() const { return stale_; }
  size_t FinishedCount() const;

  // Writes points/<id>.json atomically and keeps its result. `report` is required for kOk.
  const PointResult& Record(const DesignPoint& point, PointStatus status, const std::string& error,
                            const YAML::Node* report);
  // Regenerates results.csv and results.jsonl from the recorded points.
  void WriteResults() const;
  // Reads points/<id>.json again if it exists (an array task may have written it since).
  const PointResult* Reload(const DesignPoint& point);

  // Turns the exclusive lock into a shared one, so that array tasks can take it too.
  void ShareLock();
  // Takes the lock back exclusively; false while an array task still holds it.
  bool TryExclusiveLock();
  // Removes what killed point runs leave behind (scratch/, interrupted atomic writes). Only with
  // the lock held exclusively.
  void RemoveLeftovers() const;

  // points/<id>.json (absolute).
  std::string PointFile(const DesignPoint& point) const;
  // Where `pjsim run` writes this point's output (absolute).
  std::string ScratchDir(const DesignPoint& point) const;
  // Appends a line to run_log.txt.
  void Log(const std::string& line) const;
  const std::string& dir() const { return dir_; }

 private:
  ResultStore(std::string dir, const SweepSpec& spec, const std::vector<DesignPoint>& points,
              std::string build);
  void LoadPoints();
  const PointResult* LoadPoint(const std::filesystem::path& file, size_t index);
  void Lock(const std::string& dir, int how);
  void WriteManifest() const;

  std::string dir_;    // absolute
  std::string build_;  // the build recording points (build_fingerprint.h)
  size_t stale_ = 0;
  const SweepSpec& spec_;
  const std::vector<DesignPoint>& points_;
  std::vector<std::unique_ptr<PointResult>> results_;
  int lock_fd_ = -1;
};

// sweep.json: the facts a reader of the store needs besides the CSV (units for labels).
std::string ManifestJson(const SweepSpec& spec, size_t point_count);

}  // namespace pjsim::sweep
