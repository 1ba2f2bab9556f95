// `pjsim dram-bench`: the `jedec` DRAM controller of one channel under a synthetic request
// pattern (models/memory/jedec_bench.h), for checking a preset against datasheet arithmetic or
// another simulator's figures.
#include <charconv>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <vector>

#include "models/memory/dramsim3_ini.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_params.h"
#include "models/memory/jedec_trace_requests.h"
#include "sim/cli/args.h"
#include "sim/cli/ramulator2_preset.h"
#include "sim/cli/shipped_file.h"
#include "sim/cli/subcommands.h"
#include "sim/config/dram_trace.h"
#include "sim/config/ramulator2_config.h"
#include "sim/config/yaml_reader.h"
#include "sim/report/json_writer.h"

namespace pjsim::cli {
namespace {

const CommandSpec kDramBenchSpec{
    .name = "dram-bench",
    .summary = "one DRAM channel of the jedec model under a synthetic pattern or a trace",
    .usage = {"--dram PRESET_OR_FILE [--set FIELD=VALUE]... --pattern PATTERN [--requests N] "
              "[--stride BYTES] [--read-fraction F] [--range BYTES] [--issue-interval CYCLES] "
              "[--seed S] [--json]",
              "--dram PRESET_OR_FILE [--set FIELD=VALUE]... --trace FILE "
              "[--trace-format auto|dramsim3|ramulator] [--json]"},
    .description =
        "Drives one channel of the `jedec` DRAM model (docs/DRAM.md) with 64 B requests (one "
        "burst where a burst is larger: GDDR5/5X) and "
        "prints bandwidth (GB/s and fraction of peak), average and p99 read latency (from "
        "acceptance into the controller's queue to the last data), row-buffer hit rate per "
        "column access, command counts and energy per component (pJ) and per bit. Deterministic "
        "for a seed. With --trace the requests are a trace's, in the format DRAMsim3 or "
        "Ramulator 2 reads, so that the same requests run on pjsim and on the reference "
        "simulator (docs/DRAM.md, \"Traces\").",
    .flags =
        {
            {.name = "dram",
             .value = "PRESET_OR_FILE",
             .help = "a preset name (configs/dram/P.yaml, looked up from the current directory "
                     "and from the source tree), a preset file, a DRAMsim3 configuration "
                     "(FILE.ini, read as DRAMsim3 reads it; docs/DRAM.md) or a Ramulator 2 "
                     "configuration (YAML with a MemorySystem: its DDR4/DDR5 device, timings and "
                     "controller as Ramulator simulates them; docs/RAMULATOR.md)",
             .required = true},
            {.name = "set",
             .value = "FIELD=VALUE",
             .help = "override a preset field, e.g. --set tRFC=1120 --set scheduler=fcfs",
             .repeatable = true},
            {.name = "pattern",
             .value = "PATTERN",
             .help = "seq-read, seq-write: consecutive addresses; random-read, random-mix: "
                     "uniform over --range (mix: --read-fraction reads, default 0.5); row-stride: "
                     "the next row of the same bank every request; stride: --stride"},
            {.name = "trace",
             .value = "FILE",
             .help = "requests from a trace instead of --pattern: DRAMsim3's `ADDRESS OP CYCLE` "
                     "lines (hex address, READ/WRITE, the memory clock it is due at) or Ramulator "
                     "2's `LD ADDRESS` / `ST ADDRESS`; one burst per line, the address within "
                     "the channel"},
            {.name = "trace-format",
             .value = "F",
             .help = "auto (default: ramulator when the first line starts with LD or ST), "
                     "dramsim3 or ramulator"},
            {.name = "requests", .value = "N", .help = "requests (default 10000)"},
            {.name = "stride", .value = "BYTES", .help = "address step of `stride` (default 64)"},
            {.name = "read-fraction",
             .value = "F",
             .help = "fraction of reads, 0..1 (default: 1, seq-write 0, random-mix 0.5)"},
            {.name = "range",
             .value = "BYTES",
             .help = "address range of the random patterns (default: the channel's capacity)"},
            {.name = "issue-interval",
             .value = "CYCLES",
             .help = "clocks of tCK between requests (default 0: as fast as the queue accepts)"},
            {.name = "seed", .value = "S", .help = "random seed (default 1)"},
            {.name = "json", .help = "print one JSON object instead of the table"},
        },
};

const SourceLocation kCommandLine{"<command line>", 0, 0};

std::uint64_t ParseUnsigned(const ParsedArgs& args, const std::string& flag, std::uint64_t fallback,
                            std::uint64_t min) {
  if (!args.Has(flag)) return fallback;
  const std::string v = args.Get(flag);
  std::uint64_t x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || x < min) {
    throw ConfigError(kCommandLine, "--" + flag + " expects an integer >= " + std::to_string(min) +
                                        ", got '" + v + "'");
  }
  return x;
}

double ParseFraction(const ParsedArgs& args, const std::string& flag) {
  if (!args.Has(flag)) return -1;
  const std::string v = args.Get(flag);
  double x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || !(x >= 0 && x <= 1)) {
    throw ConfigError(kCommandLine, "--" + flag + " expects a number in [0, 1], got '" + v + "'");
  }
  return x;
}

// A preset file, or the file of a preset name.
std::string PresetPath(const std::string& name) {
  if (std::filesystem::is_regular_file(name)) return name;
  if (auto path = FindShippedFile(std::filesystem::path("configs/dram") / (name + ".yaml"))) {
    return *path;
  }
  throw ConfigError(kCommandLine, "--dram: no preset file or configs/dram/" + name +
                                      ".yaml (looked in the current directory and above the "
                                      "pjsim executable)");
}

// `what`: the pattern or the trace.
void PrintTable(const JedecParams& p, const std::string& what, size_t requests,
                std::uint64_t request_bytes, const JedecBenchResult& r) {
  const double bits = r.bytes * 8;
  std::cout << "dram-bench " << (p.name.empty() ? "jedec" : p.name) << ", " << what << ", "
            << requests << " requests of " << request_bytes << " B\n"
            << "  bandwidth      " << r.bandwidth_GBps << " GB/s ("
            << 100 * r.bandwidth_GBps / r.peak_bandwidth_GBps << "% of peak "
            << r.peak_bandwidth_GBps << " GB/s)\n"
            << "  read latency   avg " << r.avg_read_latency_ns << " ns, p99 "
            << r.p99_read_latency_ns << " ns\n"
            << "  row-hit rate   " << r.row_hit_rate << " (per column access)\n"
            << "  commands       ACT " << r.act << "  PRE " << r.pre << "  RD " << r.rd << "  WR "
            << r.wr << "  REF " << r.ref << "\n"
            << "  simulated      " << r.simulated_ns << " ns\n"
            << "  energy (pJ)    pJ/bit\n";
  const auto row = [&](const char* name, double pj) {
    std::cout << "    " << name << "  " << pj << "  " << (bits > 0 ? pj / bits : 0) << "\n";
  };
  row("act       ", r.act_pj);
  row("read      ", r.read_pj);
  row("write     ", r.write_pj);
  row("refresh   ", r.refresh_pj);
  row("background", r.background_pj);
  row("io        ", r.io_pj);
  row("total     ", r.total_pj);
}

void PrintJson(const JedecBenchResult& r) {
  JsonWriter j;
  j.BeginObject();
  j.Field("bandwidth_GBps", r.bandwidth_GBps);
  j.Field("peak_bandwidth_GBps", r.peak_bandwidth_GBps);
  j.Field("avg_read_latency_ns", r.avg_read_latency_ns);
  j.Field("p99_read_latency_ns", r.p99_read_latency_ns);
  j.Field("row_hit_rate", r.row_hit_rate);
  j.Key("commands").BeginObject();
  j.Field("ACT", r.act).Field("PRE", r.pre).Field("RD", r.rd).Field("WR", r.wr);
  j.Field("REF", r.ref);
  j.EndObject();
  j.Key("energy_pJ").BeginObject();
  j.Field("act", r.act_pj).Field("read", r.read_pj).Field("write", r.write_pj);
  j.Field("refresh", r.refresh_pj).Field("background", r.background_pj).Field("io", r.io_pj);
  j.Field("total", r.total_pj);
  j.EndObject();
  j.Field("energy_pJ_per_bit", r.pj_per_bit);
  j.Field("simulated_ns", r.simulated_ns);
  j.EndObject();
  std::cout << j.str() << "\n";
}

DramTraceFormat TraceFormat(const ParsedArgs& args) {
  const std::string f = args.Get("trace-format", "auto");
  if (f == "auto") return DramTraceFormat::kAuto;
  if (f == "dramsim3") return DramTraceFormat::kDramsim3;
  if (f == "ramulator") return DramTraceFormat::kRamulator;
  throw ConfigError(kCommandLine,
                    "--trace-format must be auto, dramsim3 or ramulator, got '" + f + "'");
}

JedecBenchOptions PatternOptions(const ParsedArgs& args) {
  JedecBenchOptions o;
  o.pattern = args.Get("pattern");
  const auto& patterns = JedecBenchPatterns();
  if (std::find(patterns.begin(), patterns.end(), o.pattern) == patterns.end()) {
    std::string list;
    for (const std::string& p : patterns) list += (list.empty() ? "" : ", ") + p;
    throw ConfigError(kCommandLine,
                      "--pattern: unknown pattern '" + o.pattern + "' (available: " + list + ")");
  }
  o.requests = static_cast<std::int64_t>(ParseUnsigned(args, "requests", 10000, 1));
  if (o.requests > (std::int64_t{1} << 28)) {
    throw ConfigError(kCommandLine, "--requests: at most 268435456");
  }
  // Only the `stride` pattern steps by --stride: elsewhere the flag would be silently ignored.
  if (args.Has("stride") && o.pattern != "stride") {
    throw ConfigError(kCommandLine, "--stride: applies to --pattern stride only (got --pattern " +
                                        o.pattern + ")");
  }
  o.stride = ParseUnsigned(args, "stride", 64, 1);
  o.read_fraction = ParseFraction(args, "read-fraction");
  o.range = ParseUnsigned(args, "range", 0, 64);
  o.issue_interval =
      static_cast<std::int64_t>(ParseUnsigned(args, "issue-interval", 0, 0) & 0xffffffffu);
  if (args.Has("issue-interval") && ParseUnsigned(args, "issue-interval", 0, 0) > 0xffffffffu) {
    throw ConfigError(kCommandLine, "--issue-interval: at most 4294967295");
  }
  o.seed = ParseUnsigned(args, "seed", 1, 0);
  return o;
}

int DramBench(const ParsedArgs& args) {
  const bool traced = args.Has("trace");
  if (traced == args.Has("pattern")) {
    throw ConfigError(kCommandLine, "give --pattern PATTERN or --trace FILE (one of them)");
  }
  // A trace gives its requests: a pattern's flags would be silently ignored.
  for (const char* flag :
       {"requests", "stride", "read-fraction", "range", "issue-interval", "seed"}) {
    if (traced && args.Has(flag)) {
      throw ConfigError(kCommandLine, std::string("--") + flag +
                                          ": applies to --pattern only (the trace gives the "
                                          "requests)");
    }
  }
  if (!traced && args.Has("trace-format")) {
    throw ConfigError(kCommandLine, "--trace-format: applies to --trace only");
  }
  const JedecBenchOptions o = traced ? JedecBenchOptions{} : PatternOptions(args);
  // Read before the preset, so that a bad trace fails fast; its requests need the preset.
  const std::vector<DramTraceEntry> trace =
      traced ? ReadDramTrace(args.Get("trace"), TraceFormat(args)) : std::vector<DramTraceEntry>{};

  const std::string preset = PresetPath(args.Get("dram"));
  std::vector<std::string> notes;
  std::shared_ptr<ConfigDocument> doc;
  if (IsDramsim3Ini(preset)) {
    doc = LoadDramsim3Ini(preset);
  } else if (IsRamulator2Config(preset)) {
    Ramulator2Document r = LoadRamulator2Preset(preset);
    doc = r.document;
    notes = r.notes;
  } else {
    doc = ConfigDocument::Load(preset);
  }
  for (const std::string& s : args.All("set")) {
    const size_t eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw ConfigError(kCommandLine, "--set expects FIELD=VALUE, got '" + s + "'");
    }
    doc->Override(s.substr(0, eq), s.substr(eq + 1), "--set " + s);
  }
  ConfigMap root = ConfigMap::Root(doc);
  const std::shared_ptr<JedecParams> p = ReadJedecParams(root);
  root.Finish();
  PrintNotes(notes);
  const std::vector<JedecRequest> requests =
      traced ? JedecTraceRequests(*p, trace) : JedecBenchRequests(*p, o);
  const JedecBenchResult r = RunJedecRequests(*p, requests);
  if (args.Has("json")) {
    PrintJson(r);
  } else {
    PrintTable(*p, traced ? "trace " + args.Get("trace") : o.pattern, requests.size(),
               JedecBenchRequestBytes(*p, o), r);
  }
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterDramBench(60, {&kDramBenchSpec, DramBench});

}  // namespace pjsim::cli
