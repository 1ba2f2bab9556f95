#pragma once
// `pjsim sweep` end to end: load and expand the spec, open the results store, run the missing
// points as `pjsim run` children, record each as it finishes, and regenerate the summary files.
#include <iosfwd>
#include <string>
#include <vector>

namespace pjsim::sweep {

struct SweepOptions {
  std::string spec_path;
  std::string out_dir;  // "" = out/sweeps/<spec name>
  int jobs = 1;
  bool resume = false;
  bool retry_failed = false;  // with resume: also re-run points recorded as failed or timeout
  bool dry_run = false;
  double timeout_seconds = 0;  // per point; 0 = none
  std::string executable;      // pjsim to run each point with
  bool terminal = false;       // draw a progress bar instead of lines
  size_t dry_run_shown = 10;   // points listed by --dry-run
  // The carbon figures' inputs (docs/CARBON.md); "" = the table's defaults. Each point's run gets
  // the same location, table and PUE.
  std::string carbon_location, carbon_table, pue, cpu;
  // --backend slurm (sim/sweep/slurm_sweep.h): the points run as one Slurm job array, `jobs` at
  // once in each task.
  bool slurm = false;
  std::string partition;                // "" = the cluster's default
  size_t points_per_task = 0;           // 0 = DefaultPointsPerTask
  std::vector<std::string> slurm_args;  // passed on to sbatch
  bool submit_only = false;             // print the job id and return instead of waiting
  long array_task = -1;                 // >= 0: run only this array task's points (array_task.h)
};

// Returns the exit status: 0 all points ok (or skipped), 1 some failed or timed out, 130 if
// interrupted. Bad specs and store misuse throw ConfigError (exit 2).
int RunSweep(const SweepOptions& options, std::ostream& out, std::ostream& progress);

}  // namespace pjsim::sweep
