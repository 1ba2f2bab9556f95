// `pjsim run`: simulate one workload on one architecture and write the report.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "models/simulate.h"
#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/report/atomic_file.h"
#include "sim/report/run_progress.h"
#include "sim/run/run_config.h"
#include "sim/run/run_report.h"
#include "sim/run/run_work.h"
#include "sim/sweep/output_dir.h"

namespace pjsim::cli {
namespace {

constexpr const char* kRunHelp =
    R"(usage: pjsim run --arch ARCH.yaml --workload WORKLOAD.yaml [--tech TECH.yaml]
                 [--set KEY=VALUE]... [--out DIR] [--trace FILE] [--layers] [--quiet]

Simulates the workload's layers on the accelerator and reports time and energy.

  --arch FILE       architecture (configs/arch/*.yaml)
  --workload FILE   layer graph (workloads/*.yaml)
  --tech FILE       technology table; default: the file named by the architecture's 'tech' key
  --set KEY=VALUE   override any config value; KEY starts with arch., tech. or workload.
                    e.g. --set arch.tile.rows=64 --set "tech.ops.int8_add.energy=0.05 pJ"
                    --set workload.layers.0.m=1   (repeatable)
  --out DIR         write DIR/report.json, DIR/layers.csv, DIR/ops.csv and DIR/config.yaml
                    (atomically); decode workloads also DIR/passes.csv, one row per token
  --trace FILE      write the timeline as Chrome trace-event JSON (chrome://tracing, Perfetto):
                    one track per tile, DRAM channel and NoC link
  --layers          print every layer in the summary, not only the op-group rollup
  --quiet           print neither the summary nor progress

On a terminal, a run that takes more than a second shows its progress on stderr (pass, layer,
share of the work done, elapsed time, ETA). PJSIM_PROGRESS=1 shows it whatever stderr is (one
line per update); PJSIM_PROGRESS=0 never.

Exit codes: 0 ok; 1 simulation or output failure; 2 bad input (file:line:col: message).
)";

constexpr std::uint64_t kMaxRunPs = std::uint64_t{1} << 63;

// Progress on stderr: on a terminal unless --quiet; PJSIM_PROGRESS=1 forces it on any stream
// (tests, logs), PJSIM_PROGRESS=0 turns it off.
std::optional<RunProgress> MakeProgress(const ParsedArgs& args, const Workload& w) {
  const char* env = std::getenv("PJSIM_PROGRESS");
  const std::string forced = env ? env : "";
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  if (args.Has("quiet") || forced == "0" || (!terminal && forced != "1")) return std::nullopt;
  RunProgress::Options o;
  o.terminal = terminal;
  o.first_after_s = forced == "1" ? 0 : 1;  // a run that ends within a second needs none
  std::vector<double> weights;
  std::vector<std::string> names;
  for (const Layer& l : w.graph->layers()) {
    weights.push_back(LayerWork(l));
    names.push_back(l.name);
  }
  std::optional<RunProgress> p;
  p.emplace(std::cerr, o, w.Passes(), std::move(weights), std::move(names));
  return p;
}

int Run(const std::vector<std::string>& raw) {
  const ParsedArgs args = ParseArgs("run", raw,
                                    {{"arch"},
                                     {"workload"},
                                     {"tech"},
                                     {"set", true, true},
                                     {"out"},
                                     {"trace"},
                                     {"layers", false},
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
    sweep::RequireOwnOrEmptyDirectory(
        args.Get("out"), "out", "report.json",
        {"config.yaml", "layers.csv", "ops.csv", "passes.csv", "report.json"});
  }
  RunInputs inputs{args.Get("arch"), args.Get("tech"), args.Get("workload"), args.All("set")};
  const RunConfig config = LoadRunConfig(inputs);
  TraceRecorder trace;
  std::optional<RunProgress> progress = MakeProgress(args, config.workload);
  SimulationResult result;
  try {
    result = Simulate(config.arch, config.tech, config.workload,
                      args.Has("trace") ? &trace : nullptr, progress ? &*progress : nullptr);
  } catch (...) {
    if (progress) progress->Finish(false);  // the error message starts on a clean line
    throw;
  }
  if (progress) progress->Finish(true);
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
    WriteFileAtomically((dir / "ops.csv").string(), OpsCsv(config, result));
    if (config.workload.phase == Phase::kDecode) {
      WriteFileAtomically((dir / "passes.csv").string(), PassesCsv(config, result));
    } else {
      std::filesystem::remove(dir / "passes.csv", ec);  // a previous decode run's
    }
    // report.json last: its presence marks a complete result directory.
    WriteFileAtomically((dir / "report.json").string(), ReportJson(config, resolved, result));
  }
  if (args.Has("trace")) {
    WriteFileAtomically(args.Get("trace"), trace.ToJson(result.ledger.layer_names()));
  }
  if (!args.Has("quiet")) std::cout << SummaryText(config, result, args.Has("layers"));
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterRun(
    10,
    {"run", "simulate a workload on an architecture; write report.json and the CSV tables", Run});

}  // namespace pjsim::cli
