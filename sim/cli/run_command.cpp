// `pjsim run`: simulate one workload on one architecture and write the report.
#include <fnmatch.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <system_error>

#include "sim/cli/args.h"
#include "sim/cli/common_flags.h"
#include "sim/cli/simulate_run.h"
#include "sim/cli/simulated_refiner.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/report/atomic_file.h"
#include "sim/report/run_progress.h"
#include "sim/report/trace_file.h"
#include "sim/run/dram_capacity_warning.h"
#include "sim/run/run_config.h"
#include "sim/run/run_report.h"
#include "sim/run/run_work.h"
#include "sim/sweep/child_process.h"
#include "sim/sweep/output_dir.h"

namespace pjsim::cli {
namespace {

const CommandSpec kRunSpec{
    .name = "run",
    .summary = "simulate a workload on an architecture; write report.json and the CSV tables",
    .usage = {"--arch FILE --workload FILE [--tech FILE] [--set KEY=VALUE]... [--out DIR] "
              "[--layers] [--quiet] [--only-layer NAME] [--carbon LOCATION] [--carbon-table FILE] "
              "[--pue X] "
              "[--trace FILE] [--trace-layers GLOB] [--trace-passes RANGES] [--trace-max-events N] "
              "[--trace-interval US]"},
    .description =
        "Simulates the workload's layers on the accelerator and reports time and "
        "energy.",
    .flags =
        {
            ArchFlag(),
            WorkloadFlag(),
            TechFlag(),
            {.name = "set",
             .value = "KEY=VALUE",
             .help = "override any config value before validation; KEY starts with arch., tech. "
                     "or workload., list elements are numbered and VALUE is YAML, e.g. --set "
                     "arch.tile.rows=64 --set \"tech.ops.int8_add.energy=0.05 pJ\" --set "
                     "workload.layers.0.m=1",
             .repeatable = true},
            {.name = "out",
             .value = "DIR",
             .help = "write DIR/report.json, DIR/layers.csv, DIR/ops.csv and DIR/config.yaml "
                     "(atomically); decode workloads also DIR/passes.csv, one row per token. DIR "
                     "must be new, empty or a previous run's output"},
            {.name = "trace",
             .value = "FILE",
             .help = "stream the timeline to FILE as trace-event JSON, renamed into place when the "
                     "run succeeds (ui.perfetto.dev, "
                     "chrome://tracing): one thread per tile, DRAM channel and NoC link, one "
                     "event per tile task, DRAM transaction and link crossing, and counters "
                     "(DRAM GB/s per channel, link utilisation, power per domain in mW); see "
                     "docs/TRACES.md"},
            // The --trace-* filters refine --trace and need it.
            {.name = "trace-layers",
             .value = "GLOB",
             .help =
                 "with --trace: trace only layers whose name matches the shell glob (e.g. 'L0.*')"},
            {.name = "trace-passes",
             .value = "RANGES",
             .help = "with --trace: trace only these passes (decode tokens), e.g. 0-3,5"},
            {.name = "trace-max-events",
             .value = "N",
             .help = "with --trace: stop recording after N events (spans and counter samples)"},
            {.name = "trace-interval",
             .value = "US",
             .help = "with --trace: counter sampling interval in microseconds (default 1)"},
            {.name = "carbon",
             .value = "LOCATION",
             .help = "the carbon footprint's location (Green Algorithms: energy x PUE x carbon "
                     "intensity; report.json 'carbon', docs/CARBON.md); default: the table's "
                     "default_location, 'world' (475 gCO2e/kWh)"},
            {.name = "carbon-table",
             .value = "FILE",
             .help = "locations, PUE and equivalents; default: the built-in copy of "
                     "configs/carbon/locations.yaml"},
            {.name = "pue",
             .value = "X",
             .help = "power usage effectiveness of the data centre; default: the table's (1.67)"},
            {.name = "layers",
             .help = "print every layer in the summary, not only the op-group rollup"},
            {.name = "only-layer",
             .value = "NAME",
             .help = "simulate layer NAME of the workload alone on the platform, its inputs read "
                     "from DRAM; of a decode workload one pass of it, for a layer the same in "
                     "every pass (not attention, its KV cache or routed experts); mapping.refine "
                     "runs its candidates this way"},
            {.name = "quiet", .help = "print neither the summary nor progress"},
        },
    .notes =
        "On a terminal, a run that takes more than a second shows its progress on stderr "
        "(pass, layer, share of the work done, elapsed time, ETA). PJSIM_PROGRESS=1 shows "
        "it whatever stderr is (one line per update); PJSIM_PROGRESS=0 never.",
};

const SourceLocation kCommandLine{"<command line>", 0, 0};

// The --trace-* filters, checked before simulating.
TraceOptions TraceOptionsFrom(const ParsedArgs& args, const Workload& w) {
  TraceOptions o;
  for (const char* flag : {"trace-layers", "trace-passes", "trace-max-events", "trace-interval"}) {
    if (args.Has(flag) && !args.Has("trace"))
      throw ConfigError(kCommandLine, std::string("--") + flag + " needs --trace FILE");
  }
  if (args.Has("trace-layers")) {
    o.layer_glob = args.Get("trace-layers");
    bool any = false;
    for (const Layer& l : w.graph->layers())
      any = any || ::fnmatch(o.layer_glob.c_str(), l.name.c_str(), 0) == 0;
    if (!any)
      throw ConfigError(kCommandLine, "--trace-layers '" + o.layer_glob + "' matches no layer");
  }
  if (args.Has("trace-passes")) {
    try {
      o.passes = ParsePassRanges(args.Get("trace-passes"));
    } catch (const std::invalid_argument& e) {
      throw ConfigError(kCommandLine, std::string("--trace-passes ") + e.what());
    }
  }
  if (args.Has("trace-max-events")) {
    const std::string v = args.Get("trace-max-events");
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), o.max_events);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size() || o.max_events == 0)
      throw ConfigError(kCommandLine,
                        "--trace-max-events expects a positive integer, got '" + v + "'");
  }
  if (args.Has("trace-interval")) {
    const std::string v = args.Get("trace-interval");
    double us = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), us);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !(us >= 1e-6) || us > 1e12)
      throw ConfigError(kCommandLine,
                        "--trace-interval expects microseconds in [1e-6, 1e12], got '" + v + "'");
    o.counter_interval_ps = static_cast<std::uint64_t>(std::llround(us * 1e6));
  }
  o.warnings = &std::cerr;
  return o;
}

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

// mapping.refine's candidate runs: this executable on the same inputs. A decode workload's layers
// that change from pass to pass (attention, routed experts) keep the cost model's picks: each
// pass would need its own refinement.
MappingRefiner RefinerFor(const RunConfig& config, const RunInputs& inputs) {
  if (config.arch.mapping.refine <= 1) return {};
  return SimulatedRefiner(inputs, sweep::SelfExecutable(), config.arch.mapping.double_buffering,
                          config.workload.phase);
}

int Run(const ParsedArgs& args) {
  // Checked before simulating: a refused directory costs no simulation and gets no file.
  if (args.Has("out")) {
    sweep::RequireOwnOrEmptyDirectory(
        args.Get("out"), "out", "report.json",
        {"config.yaml", "layers.csv", "ops.csv", "passes.csv", "report.json"});
  }
  RunInputs inputs{args.Get("arch"), args.Get("tech"), args.Get("workload"), args.All("set")};
  if (args.Has("only-layer") && args.Get("only-layer").empty())
    throw ConfigError(kCommandLine, "--only-layer: expects a layer name, got ''");
  RunConfig config = LoadRunConfig(inputs, args.Get("only-layer"));
  config.carbon = CarbonInputsFrom(args.Get("carbon"), args.Get("carbon-table"), args.Get("pue"));
  // The trace streams to a temporary file during the run and is renamed once complete.
  TraceOptions trace_options = TraceOptionsFrom(args, config.workload);
  std::optional<TraceFile> trace_file;
  std::optional<TraceRecorder> trace;
  if (args.Has("trace")) {
    std::vector<std::string> names;
    for (const Layer& l : config.workload.graph->layers()) names.push_back(l.name);
    trace_file.emplace(args.Get("trace"));
    trace.emplace(trace_file->stream(), std::move(names), config.workload.Passes(),
                  std::move(trace_options));
  }
  if (const std::string w = DramCapacityWarning(config); !w.empty()) {
    std::cerr << "pjsim run: warning: " << w << "\n";
  }
  std::optional<RunProgress> progress = MakeProgress(args, config.workload);
  SimulationResult result;
  try {
    result = SimulateRun(config, trace ? &*trace : nullptr, progress ? &*progress : nullptr,
                         RefinerFor(config, inputs));
  } catch (...) {
    if (progress) progress->Finish(false);  // the error message starts on a clean line
    throw;
  }
  if (progress) progress->Finish(true);
  if (args.Has("out")) {
    // Emitted only for the files that hold it (a whole model's resolved YAML costs ~2% of a run).
    const std::string resolved = ResolvedConfigYaml(config, inputs);
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
  if (trace) {
    trace->Finish();
    trace_file->Commit();
  }
  if (!args.Has("quiet")) std::cout << SummaryText(config, result, args.Has("layers"));
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterRun(10, {&kRunSpec, Run});

}  // namespace pjsim::cli
