// `pjsim import-scalesim`: an architecture and a workload from a SCALE-Sim configuration and
// topology, so that a SCALE-Sim study runs on pjsim as SCALE-Sim's files describe it.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "sim/cli/args.h"
#include "sim/cli/shipped_file.h"
#include "sim/cli/subcommands.h"
#include "sim/config/arch_config.h"
#include "sim/config/config_error.h"
#include "sim/config/printable.h"
#include "sim/config/scalesim_config.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/tech_table.h"
#include "sim/report/atomic_file.h"
#include "sim/workload/scalesim_topology.h"
#include "sim/workload/workload.h"

namespace pjsim::cli {
namespace {

const CommandSpec kImportScaleSimSpec{
    .name = "import-scalesim",
    .summary = "build an architecture and a workload from a SCALE-Sim config and topology",
    .usage = {"CONFIG.cfg TOPOLOGY.csv -o DIR [--topology-format auto|conv|gemm] [--tech FILE] "
              "[--no-stall] [--name NAME]"},
    .description =
        "Reads a SCALE-Sim v2 configuration (.cfg) and topology (.csv) as SCALE-Sim reads them "
        "and writes DIR/arch.yaml and DIR/workload.yaml, which `pjsim run --arch DIR/arch.yaml "
        "--workload DIR/workload.yaml` simulates: one tile with the R x C int8 array and "
        "dataflow (os, ws, is) of the config, one scratchpad of the three buffers' capacity, "
        "SRAM ports and a NoC that never limit the array, one DRAM channel without latency at "
        "the interface's read rate (CALC: R + C words per cycle; USER: twice Bandwidth, the "
        "ifmap and filter buffers' together; one word = 1 byte), and output-stationary sums "
        "kept in the array across K chunks, as SCALE-Sim's folds keep them. Each topology row "
        "is a linear layer: a convolution its im2col GEMM (M = output pixels, K = filter window "
        "x channels, N = filters; SCALE-Sim's output size ceil((in - filter + stride) / "
        "stride); depthwise rows, 'DP' in the name, one layer per channel), a GEMM row its M, "
        "N, K. Layers run one after another, each reading its input from DRAM. Keys pjsim does "
        "not read are listed as notes (docs/MAPPING.md, \"SCALE-Sim inputs\", has the mapping "
        "and what differs). Nothing is written unless both files load.",
    .positionals = {{.name = "CONFIG.cfg",
                     .noun = "the SCALE-Sim configuration",
                     .help = "a SCALE-Sim configuration ([general], [architecture_presets], "
                             "[run_presets])",
                     .required = true},
                    {.name = "TOPOLOGY.csv",
                     .noun = "the SCALE-Sim topology",
                     .help = "a SCALE-Sim topology: convolution rows or GEMM rows (Layer, M, N, K)",
                     .required = true}},
    .flags =
        {
            {.name = "out",
             .alias = "o",
             .value = "DIR",
             .help = "directory for arch.yaml and workload.yaml (created; each written "
                     "atomically)",
             .required = true},
            {.name = "topology-format",
             .value = "F",
             .help = "auto (default: GEMM when the header reads Layer, M, N, K; SCALE-Sim's "
                     "-i), conv or gemm"},
            {.name = "tech",
             .value = "FILE",
             .help = "technology table the architecture names (its clock turns words per cycle "
                     "into GB/s); default: the shipped configs/tech/45nm.yaml"},
            {.name = "no-stall",
             .help = "a DRAM that never stalls the array instead of the interface's rate: the "
                     "compute cycles alone, SCALE-Sim's fold schedule"},
            {.name = "name",
             .value = "NAME",
             .help = "the workload's name (default: the topology file's name without .csv)"},
        },
};

std::string YamlScalar(const std::string& text) {
  YAML::Emitter e;
  e << text;
  return e.c_str();
}

std::string Number(double x) {
  std::ostringstream s;
  s << std::setprecision(15) << x;
  return s.str();
}

const char* DataflowName(const std::string& scalesim) {
  if (scalesim == "os") return "output_stationary";
  if (scalesim == "ws") return "weight_stationary";
  return "input_stationary";
}

std::string ArchYaml(const ScaleSimConfig& c, const std::string& tech_ref, double clock_hz,
                     bool no_stall) {
  // A DRAM that never stalls: far more bytes per cycle than any array reads.
  constexpr double kNoStallWordsPerCycle = 1e7;
  const double words =
      no_stall ? kNoStallWordsPerCycle : static_cast<double>(c.DramReadWordsPerCycle());
  std::ostringstream y;
  y << "# Imported from the SCALE-Sim configuration " << PrintableLine(c.file, 1024)
    << " by pjsim import-scalesim\n"
    << "# (docs/MAPPING.md, \"SCALE-Sim inputs\"): one " << c.array_rows << "x" << c.array_cols
    << " array, SCALE-Sim's three buffers as one\n"
    << "# scratchpad, SRAM ports and a NoC that never limit the array, DRAM without latency.\n"

    << "name: " << YamlScalar("scalesim-" + c.run_name) << "\n"
    << "tech: " << YamlScalar(tech_ref) << "\n"
    << "mesh: {width: 1, height: 1}\n"
    << "tile:\n"
    << "  kind: int8_mac\n"
    << "  rows: " << c.array_rows << "\n"
    << "  cols: " << c.array_cols << "\n"
    << "  dataflow: " << DataflowName(c.dataflow) << "  # Dataflow: " << c.dataflow << "\n"
    << "  accumulator: int32\n"
    << "  # IfmapSramSzkB + FilterSramSzkB + OfmapSramSzkB = " << c.ifmap_kib << " + "
    << c.filter_kib << " + " << c.ofmap_kib << " KiB\n"
    << "  sram: {capacity: " << c.ifmap_kib + c.filter_kib + c.ofmap_kib
    << " KiB, port_width: 1048576 B/cycle}\n"
    << "  vector_lanes: 16\n"
    << "noc: {link_width: 1048576 B/cycle, hop_latency: 2 cycles, link_length: 1 mm}\n"
    << "dram:\n"
    << "  type: ddr4\n";
  if (no_stall) {
    y << "  # --no-stall: a DRAM that never stalls the array\n";
  } else if (c.user_bandwidth) {
    y << "  # InterfaceBandwidth USER: 2 x Bandwidth = " << words
      << " words (bytes) per cycle, ifmap and filter buffers together\n";
  } else {
    y << "  # InterfaceBandwidth CALC: ArrayHeight + ArrayWidth = " << words
      << " words (bytes) per cycle\n";
  }
  y << "  channel_bandwidth: " << Number(words * clock_hz / 1e9) << " GB/s\n"
    << "  access_latency: 0 ns\n"
    << "  row_miss_penalty: 0 ns\n"
    << "  banks: 16\n"
    << "  row_size: 2 KiB\n"
    << "  interleave: 2 KiB\n"
    << "  channels: [{x: 0, y: 0}]\n"
    << "mapping:\n"
    << "  double_buffering: true\n"
    << "  # SCALE-Sim's output-stationary folds keep their sums in the PEs for all of K\n"
    << "  accumulate_in_array: true\n";
  return y.str();
}

std::string WorkloadYaml(const std::vector<ScaleSimGemm>& gemms, const std::string& name,
                         const std::string& topology) {
  std::ostringstream y;
  y << "# Imported from the SCALE-Sim topology " << PrintableLine(topology, 1024)
    << " by pjsim import-scalesim:\n"
    << "# each row's GEMM (M x K inputs, K x N weights), one layer after another.\n"
    << "name: " << YamlScalar(name) << "\n"
    << "layers:\n";
  std::set<std::string> taken;
  std::string previous;
  for (const ScaleSimGemm& g : gemms) {
    // Layer names must be unique in pjsim; SCALE-Sim allows repeats.
    std::string unique = g.name;
    for (int i = 2; !taken.insert(unique).second; ++i) unique = g.name + "_" + std::to_string(i);
    y << "  - {name: " << YamlScalar(unique) << ", op: linear, m: " << g.m << ", k: " << g.k
      << ", n: " << g.n << ", dtype: int8, inputs: []";
    if (!previous.empty()) y << ", after: [" << YamlScalar(previous) << "]";
    y << "}  # line " << g.line << "\n";
    previous = unique;
  }
  return y.str();
}

ScaleSimTopologyFormat TopologyFormat(const ParsedArgs& args) {
  const std::string f = args.Get("topology-format", "auto");
  if (f == "auto") return ScaleSimTopologyFormat::kAuto;
  if (f == "conv") return ScaleSimTopologyFormat::kConv;
  if (f == "gemm") return ScaleSimTopologyFormat::kGemm;
  throw ConfigError({"<command line>", 0, 0},
                    "--topology-format must be auto, conv or gemm, got '" + f + "'");
}

int ImportScaleSim(const ParsedArgs& args) {
  namespace fs = std::filesystem;
  const ScaleSimConfig config = ReadScaleSimConfig(args.positional[0]);
  const std::string& topology = args.positional[1];
  const std::vector<ScaleSimGemm> gemms = ReadScaleSimTopology(topology, TopologyFormat(args));

  std::string tech = args.Get("tech");
  if (tech.empty()) {
    const auto shipped = FindShippedFile("configs/tech/45nm.yaml");
    if (!shipped) {
      throw ConfigError({"<command line>", 0, 0},
                        "no configs/tech/45nm.yaml found (looked in the current directory and "
                        "above the pjsim executable); give --tech FILE");
    }
    tech = *shipped;
  }
  const TechTable table = LoadTechTable(tech);
  const fs::path dir = args.Get("out");
  // Absolute, so that the two files keep working wherever DIR is moved.
  const std::string tech_ref = fs::absolute(tech).lexically_normal().string();
  const std::string arch_path = (dir / "arch.yaml").string();
  const std::string workload_path = (dir / "workload.yaml").string();
  const std::string arch = ArchYaml(config, tech_ref, table.clock_hz, args.Has("no-stall"));
  const std::string workload =
      WorkloadYaml(gemms, args.Get("name", fs::path(topology).stem().string()), topology);
  // Never write what `pjsim run` would reject; the error names the input, not a generated line.
  try {
    ConfigMap root = ConfigMap::Root(ConfigDocument::Parse(arch, arch_path));
    root.String("tech");  // LoadRunConfig's to read
    ReadArchConfig(root, table.clock_hz);
  } catch (const ConfigError& e) {
    throw ConfigError({args.positional[0], 0, 0},
                      "the imported architecture would not load (nothing written): " + e.message());
  }
  try {
    ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(workload, workload_path)));
  } catch (const ConfigError& e) {
    throw ConfigError({topology, 0, 0},
                      "the imported workload would not load (nothing written): " + e.message());
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw ConfigError({"<command line>", 0, 0},
                      "-o " + dir.string() + ": cannot create the directory: " + ec.message());
  }
  WriteFileAtomically(arch_path, arch);
  WriteFileAtomically(workload_path, workload);
  // A note echoes keys of the file: one printable line each, whatever bytes they hold.
  for (const std::string& note : config.notes) {
    std::cerr << "note: " << PrintableLine(note, 1024) << "\n";
  }
  std::cout << "wrote " << arch_path << " (" << config.array_rows << "x" << config.array_cols << " "
            << DataflowName(config.dataflow) << ", "
            << config.ifmap_kib + config.filter_kib + config.ofmap_kib << " KiB SRAM, DRAM "
            << (args.Has("no-stall") ? std::string("that never stalls")
                                     : std::to_string(config.DramReadWordsPerCycle()) + " B/cycle")
            << ")\nwrote " << workload_path << " (" << gemms.size() << " layer"
            << (gemms.size() == 1 ? "" : "s") << ")\n"
            << "run: pjsim run --arch " << arch_path << " --workload " << workload_path << "\n";
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterImportScaleSim(16, {&kImportScaleSimSpec, ImportScaleSim});

}  // namespace pjsim::cli
