// `pjsim sweep`: run a design-space sweep described in YAML into a results store.
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <thread>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/run/run_config.h"
#include "sim/sweep/child_process.h"
#include "sim/sweep/design_points.h"
#include "sim/sweep/slurm_jobs.h"
#include "sim/sweep/sweep_driver.h"
#include "sim/sweep/sweep_spec.h"

namespace pjsim::cli {
namespace {

const CommandSpec kSweepSpec{
    .name = "sweep",
    .summary = "run a design-space sweep from YAML into a results store",
    .usage = {"SPEC.yaml [-j N] [--out DIR] [--resume [--retry-failed]] [--dry-run] "
              "[--timeout SECONDS] [--carbon LOCATION] [--carbon-table FILE] [--pue X] "
              "[--cpu NAME] [--backend local|slurm] [--partition P] [--points-per-task N] "
              "[--slurm-args \"...\"] [--submit-only]"},
    .description =
        "Runs every design point of a sweep spec (configs/sweeps/*.yaml; see docs/SWEEPS.md), "
        "each as its own `pjsim run` process, N at a time, and collects the results in a store:\n"
        "\n"
        "  DIR/results.csv     one row per point: id, config hash, axis values, status, error,\n"
        "                      metrics, energy per category, derived columns\n"
        "  DIR/results.jsonl   one JSON record per point: axes, resolved config, status, report\n"
        "  DIR/points/ID.json  each point's record, written atomically as it finishes\n"
        "  DIR/run_log.txt     wall-clock times\n"
        "  DIR/carbon.json     the sweep's own carbon: CPU time x power per core x PUE x carbon\n"
        "                      intensity (Green Algorithms; docs/CARBON.md), one entry per\n"
        "                      invocation (first run and each --resume) and their totals",
    .positionals = {{.name = "SPEC.yaml",
                     .noun = "the sweep spec",
                     .help = "the sweep spec",
                     .required = true}},
    .flags =
        {
            {.name = "j",
             .alias = "jobs",
             .value = "N",
             .help = "points run at once (default: the number of cores; with --backend slurm, "
                     "the points each array task runs at once, default 1)"},
            {.name = "out",
             .value = "DIR",
             .help = "results store (default: out/sweeps/SPEC_NAME); refuses a directory that is "
                     "neither empty nor a sweep store"},
            {.name = "resume",
             .help = "continue a store: run only the points it lacks (after a crash or kill) and "
                     "those another pjsim build made (each point records its build, `pjsim "
                     "--version`: a rebuilt pjsim runs them again rather than mix two models' "
                     "numbers)"},
            {.name = "retry-failed",
             .help = "with --resume: also re-run the points recorded as failed or timed out"},
            {.name = "dry-run",
             .help = "check the spec and every point's config, print the point count and the "
                     "first points, run nothing"},
            {.name = "timeout",
             .value = "SECONDS",
             .help = "kill a point that runs longer and record it as timed out"},
            {.name = "carbon",
             .value = "LOCATION",
             .help = "location of the carbon figures, every point's report.json 'carbon' and the "
                     "sweep's own (default: the table's, 'world')"},
            {.name = "carbon-table",
             .value = "FILE",
             .help = "locations, PUE, equivalents and CPU presets (default: built-in "
                     "configs/carbon/locations.yaml)"},
            {.name = "pue",
             .value = "X",
             .help = "data-centre power usage effectiveness (default: the table's, 1.67)"},
            {.name = "cpu",
             .value = "NAME",
             .help = "CPU preset for the sweep's own carbon (default: the table's, 'any')"},
            {.name = "backend",
             .value = "local|slurm",
             .help = "local (default): run the points here; slurm: run them as one Slurm job array "
                     "(sbatch --array) instead of "
                     "here; each array task runs a batch of points into the same store, -j N at "
                     "once (the task asks for --cpus-per-task=N). The store, the pjsim binary and "
                     "the configs must be on a filesystem every node shares. This side waits for "
                     "the array, then writes the results files as a local run would; points of a "
                     "task that was killed stay missing (exit 1): --resume (either backend) runs "
                     "exactly those"},
            {.name = "partition",
             .value = "P",
             .help = "with --backend slurm: the Slurm partition (default: the cluster's)"},
            {.name = "points-per-task",
             .value = "N",
             .help = "with --backend slurm: points per array task (default 10, or more to keep "
                     "within 1000 tasks)"},
            {.name = "slurm-args",
             .value = "\"...\"",
             .help = "with --backend slurm: more sbatch options, e.g. \"--time=01:00:00 "
                     "--account=arch\""},
            {.name = "submit-only",
             .help = "with --backend slurm: print the job id and return; collect the results "
                     "with --resume once the job has ended"},
            // What each Slurm array task runs (sim/sweep/array_task.h).
            {.name = "array-task", .value = "INDEX", .hidden = true},
        },
    .notes =
        "The same spec gives byte-identical results files whatever -j and however often it "
        "was resumed.",
    .exit_codes =
        "0 every point ok (or skipped by a filter); 1 some points failed or timed out "
        "(recorded with their error); 2 bad spec or flags (file:line:col: message); 130 "
        "interrupted.",
};

double ParseSeconds(const std::string& text) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !(v > 0) ||
      !std::isfinite(v)) {
    throw ConfigError({"<command line>", 0, 0},
                      "--timeout needs a positive number of seconds, got '" + text + "'");
  }
  return v;
}

// --dry-run also loads every point's configuration as `pjsim run` would (without simulating), so
// an axis value no run accepts is found before the sweep, at its point.
void CheckPointConfigs(const std::string& spec_path) {
  namespace fs = std::filesystem;
  const sweep::SweepSpec spec = sweep::LoadSweepSpec(spec_path);
  const fs::path dir = spec.dir.empty() ? fs::path(".") : fs::path(spec.dir);
  const auto at = [&](const std::string& file) {
    return file.empty() || fs::path(file).is_absolute() ? file : (dir / file).string();
  };
  for (const sweep::DesignPoint& p : sweep::ExpandDesignPoints(spec)) {
    if (!p.skip_reason.empty()) continue;
    try {
      LoadRunConfig({at(p.arch), at(p.tech), at(p.workload), p.overrides});
    } catch (const ConfigError& e) {
      throw ConfigError(e.where(), "point " + p.id + " (" + p.Label(spec) + "): " + e.message());
    }
  }
}

// --backend and the Slurm flags; --array-task (what each array task runs, see
// sim/sweep/array_task.h) is internal and not in --help.
void ReadBackend(const ParsedArgs& args, sweep::SweepOptions& o) {
  const auto fail = [](const std::string& message) {
    throw ConfigError({"<command line>", 0, 0}, message);
  };
  const std::string backend = args.Get("backend", "local");
  if (backend != "local" && backend != "slurm") {
    fail("--backend must be 'local' or 'slurm', got '" + backend + "'");
  }
  o.slurm = backend == "slurm";
  if (!o.slurm) {
    for (const char* flag : {"partition", "slurm-args", "submit-only"}) {
      if (args.Has(flag)) fail(std::string("--") + flag + " needs --backend slurm");
    }
    if (args.Has("points-per-task") && !args.Has("array-task")) {
      fail("--points-per-task needs --backend slurm");
    }
  }
  o.partition = args.Get("partition");
  if (args.Has("points-per-task")) {
    o.points_per_task =
        static_cast<size_t>(ParsePositiveInt("points-per-task", args.Get("points-per-task")));
  }
  if (args.Has("slurm-args")) o.slurm_args = sweep::SplitSlurmArgs(args.Get("slurm-args"));
  o.submit_only = args.Has("submit-only");
  if (args.Has("array-task")) {
    if (o.slurm || args.Has("dry-run")) fail("--array-task is what a Slurm array task runs");
    if (o.out_dir.empty() || o.points_per_task == 0) {
      fail("--array-task needs --out and --points-per-task");
    }
    const std::string text = args.Get("array-task");
    long task = -1;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), task);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || task < 0) {
      fail("--array-task needs a task index (0, 1, ...), got '" + text + "'");
    }
    o.array_task = task;
  }
}

int Sweep(const ParsedArgs& args) {
  sweep::SweepOptions o;
  o.spec_path = args.positional[0];
  o.out_dir = args.Get("out");
  const unsigned cores = std::thread::hardware_concurrency();
  // On Slurm -j is the points each array task runs at once (its --cpus-per-task).
  const bool slurm_side = args.Get("backend") == "slurm" || args.Has("array-task");
  o.jobs = args.Has("j") ? ParsePositiveInt("j", args.Get("j"))
           : slurm_side  ? 1
                         : static_cast<int>(cores ? cores : 1);
  o.resume = args.Has("resume");
  o.retry_failed = args.Has("retry-failed");
  ReadBackend(args, o);
  if (o.retry_failed && !o.resume && o.array_task < 0) {
    throw ConfigError({"<command line>", 0, 0},
                      "--retry-failed continues a store: give --resume too");
  }
  o.dry_run = args.Has("dry-run");
  if (o.dry_run) CheckPointConfigs(o.spec_path);
  if (args.Has("timeout")) o.timeout_seconds = ParseSeconds(args.Get("timeout"));
  o.carbon_location = args.Get("carbon");
  o.carbon_table = args.Get("carbon-table");
  o.cpu = args.Get("cpu");
  if (args.Has("pue")) o.pue = args.Get("pue");
  o.executable = sweep::SelfExecutable();
  o.terminal = ::isatty(STDERR_FILENO) != 0;
  return sweep::RunSweep(o, std::cout, std::cerr);
}

}  // namespace

const SubcommandRegistrar kRegisterSweep(30, {&kSweepSpec, Sweep});

}  // namespace pjsim::cli
