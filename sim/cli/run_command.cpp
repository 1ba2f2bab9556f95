// `pjsim run`: simulate one workload on one architecture and write the report.
#include <filesystem>
#include <iostream>

#include "models/simulate.h"
#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/report/atomic_file.h"
#include "sim/run/run_config.h"
#include "sim/run/run_report.h"
#include "sim/sweep/output_dir.h"

namespace pjsim::cli {
namespace {

constexpr const char* kRunHelp =
    R"(usage: pjsim run --arch ARCH.yaml --workload WORKLOAD.yaml [--tech TECH.yaml]
                 [--set KEY=VALUE]... [--out DIR] [--trace FILE] [--quiet]

Simulates the workload's layers on the accelerator and reports time and energy.

  --arch FILE       architecture (configs/arch/*.yaml)
  --workload FILE   layer graph (workloads/*.yaml)
  --tech FILE       technology table; default: the file named by the architecture's 'tech' key
  --set KEY=VALUE   override any config value; KEY starts with arch., tech. or workload.
                    e.g. --set arch.tile.rows=64 --set "tech.ops.int8_add.energy=0.05 pJ"
                    --set workload.layers.0.m=1   (repeatable)
  --out DIR         write DIR/report.json, DIR/layers.csv and DIR/config.yaml (atomically)
  --trace FILE      write the timeline as Chrome trace-event JSON (chrome://tracing, Perfetto):
                    one track per tile, DRAM channel and NoC link
  --quiet           do not print the summary

Exit codes: 0 ok; 1 simulation or output failure; 2 bad input (file:line:col: message).
)";

constexpr std::uint64_t kMaxRunPs = std::uint64_t{1} << 63;

int Run(const std::vector<std::string>& raw) {
  const ParsedArgs args = ParseArgs("run", raw,
                                    {{"arch"},
                                     {"workload"},
                                     {"tech"},
                                     {"set", true, true},
                                     {"out"},
                                     {"trace"},
                                     {"quiet", false},
                                     {"help", false},
                                     {"h", false}});
  if (args.Has("help") || args.Has("h")) {
    std::cout << kRunHelp;
    return kExitOk;
  }
  RequireFlagsOnly(args, "run", {"arch", "workload"});
  // Checked before simulating: a refused directory costs no simulation and gets no file.
  if (args.Has("out")) {
    sweep::RequireOwnOrEmptyDirectory(args.Get("out"), "out", "report.json",
                                      {"config.yaml", "layers.csv", "report.json"});
  }
  RunInputs inputs{args.Get("arch"), args.Get("tech"), args.Get("workload"), args.All("set")};
  const RunConfig config = LoadRunConfig(inputs);
  TraceRecorder trace;
  const SimulationResult result =
      Simulate(config.arch, config.tech, config.workload, args.Has("trace") ? &trace : nullptr);
  // SystemC time is a uint64 count of picoseconds; a run that reaches 2^63 ps (107 days) is
  // too close to wrapping for its report to be trusted (slowest clock, bandwidth and largest
  // layers together can get there), so it is refused like any other out-of-range input.
  if (result.total_ps >= kMaxRunPs) {
    throw ConfigError({config.arch.file, 0, 0},
                      "the simulated time reaches " + std::to_string(result.seconds()) +
                          " s, beyond the 2^63 ps pjsim represents (docs/LIMITS.md); use a faster "
                          "architecture or a smaller workload");
  }
  const std::string resolved = ResolvedConfigYaml(config, inputs);
  if (args.Has("out")) {
    const std::filesystem::path dir = args.Get("out");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
      throw std::runtime_error("cannot create output directory " + dir.string() + ": " +
                               ec.message());
    WriteFileAtomically((dir / "config.yaml").string(), resolved);
    WriteFileAtomically((dir / "layers.csv").string(), LayersCsv(config, result));
    // report.json last: its presence marks a complete result directory.
    WriteFileAtomically((dir / "report.json").string(), ReportJson(config, resolved, result));
  }
  if (args.Has("trace")) {
    WriteFileAtomically(args.Get("trace"), trace.ToJson(result.ledger.layer_names()));
  }
  if (!args.Has("quiet")) std::cout << SummaryText(config, result);
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterRun(
    10, {"run", "simulate a workload on an architecture; write report.json and layers.csv", Run});

}  // namespace pjsim::cli
