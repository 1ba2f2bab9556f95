// `pjsim map`: the mapping search's view of a workload's GEMM layers, in the manner of Timeloop's
// mapper output: for each layer (or the one named), the best K mappings with their predicted
// cycles, data-movement energy, DRAM bytes and the ratio to the layer's data-movement lower
// bound. These are the cost model's numbers (`pjsim run` reports the chosen mapping's
// prediction next to the simulated cycles); with --simulate each mapping shown is also simulated
// alone, as `mapping.refine` does, and its simulated cycles and the prediction's error printed.
#include <charconv>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "sim/arch/tile_kind.h"
#include "sim/cli/args.h"
#include "sim/cli/common_flags.h"
#include "sim/cli/simulated_refiner.h"
#include "sim/cli/subcommands.h"
#include "sim/config/yaml_reader.h"
#include "sim/mapping/mapping_search.h"
#include "sim/run/run_config.h"
#include "sim/sweep/child_process.h"

namespace pjsim::cli {
namespace {

const CommandSpec kMapSpec{
    .name = "map",
    .summary =
        "rank the mappings of a workload's GEMM layers (mapping search; --simulate checks "
        "them)",
    .usage = {"--arch FILE --workload FILE [--tech FILE] [--set KEY=VALUE]... [--layer NAME] "
              "[--top K] [--simulate]"},
    .description =
        "Ranks the mappings of every GEMM-family layer (or of --layer NAME) with the mapping "
        "search that `pjsim run` uses (arch key mapping.objective: latency | energy | edp | "
        "dram_bytes; constraints under mapping.constraints) and prints the best K, Timeloop-mapper "
        "style: the mapping (blocks M x K x N, tile grid, loop order, resident operand, buffers), "
        "predicted "
        "cycles, data-movement energy (DRAM, NoC, SRAM fills and leakage over the predicted time; "
        "not the arithmetic), DRAM bytes, their ratio to the compulsory bytes and to the lower "
        "bound (Hong & Kung's for the on-chip SRAM of the grid; a spiking layer's: its expected "
        "spike trains and the weight rows its spikes need), and the SRAM the mapping needs "
        "(docs/MAPPING.md). An expert layer is shown for one expert with the mean routed tokens "
        "on its share of the tiles. Nothing is simulated unless --simulate.",
    .flags =
        {
            ArchFlag(),
            WorkloadFlag(),
            TechFlag(),
            {.name = "set",
             .value = "KEY=VALUE",
             .help = "override a config value, as for pjsim run",
             .repeatable = true},
            {.name = "layer", .value = "NAME", .help = "rank only this layer's mappings"},
            {.name = "top", .value = "K", .help = "mappings shown per layer, 1..1000 (default 5)"},
            {.name = "simulate",
             .help = "also simulate each mapping shown alone on the platform (`pjsim run "
                     "--only-layer` with the mapping pinned, one child run each; not expert "
                     "layers, nor a decode workload's attention) and print its simulated cycles "
                     "and the prediction's error"},
        },
};

std::string Fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

int Map(const ParsedArgs& args) {
  size_t top = 5;
  if (args.Has("top")) {
    const std::string v = args.Get("top");
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), top);
    if (ec != std::errc() || ptr != v.data() + v.size() || top < 1 || top > 1000) {
      throw ConfigError({"<command line>", 0, 0},
                        "--top expects an integer in [1, 1000], got '" + v + "'");
    }
  }
  const RunInputs inputs{args.Get("arch"), args.Get("tech"), args.Get("workload"), args.All("set")};
  const RunConfig config = LoadRunConfig(inputs);
  // Ranked only where the run could execute them, as `pjsim run` checks before it plans.
  RequireKindRunsLayers(config.arch.tile, *MakeTileKind(config.arch.tile),
                        config.workload.graph->layers());
  const bool simulate = args.Has("simulate");
  const MappingRefiner simulator =
      simulate ? SimulatedRefiner(inputs, sweep::SelfExecutable(),
                                  config.arch.mapping.double_buffering, config.workload.phase)
               : MappingRefiner{};
  std::map<std::string, std::vector<std::optional<SimulatedMapping>>> simulated_by_shape;
  const ArchConfig& arch = config.arch;
  const MappingSearch search(arch, PricesFor(arch, config.tech), KindTaskCycles(arch, config.tech));
  const auto sram = static_cast<std::int64_t>(arch.tile.sram.capacity_bytes);
  bool found = false;
  const auto started = std::chrono::steady_clock::now();
  size_t mapped = 0;
  std::map<std::string, std::vector<RankedMapping>> ranked_by_shape;
  for (const Layer& base : config.workload.graph->layers()) {
    if (!base.IsGemm()) continue;
    if (args.Has("layer") && base.name != args.Get("layer")) continue;
    found = true;
    Layer layer = base;
    std::int64_t tiles = arch.TileCount();
    if (layer.expert.enabled()) {
      layer.m = CeilDiv(layer.m, layer.expert.experts);
      tiles = std::max<std::int64_t>(1, tiles / layer.expert.experts);
    }
    // Layers of one shape and arithmetic map alike (a model repeats its blocks): rank once.
    const std::string shape = MappingShapeKey(layer, tiles, sram);
    auto known = ranked_by_shape.find(shape);
    if (known == ranked_by_shape.end()) {
      known = ranked_by_shape.emplace(shape, search.Rank(layer, tiles, sram, top)).first;
    }
    const std::vector<RankedMapping>& ranked = known->second;
    ++mapped;
    const double compulsory = CompulsoryBytes(layer);
    std::cout << layer.name << ": " << layer.batch << " x " << layer.m << "x" << layer.k << "x"
              << layer.n << " on " << tiles << " tiles, compulsory " << Fixed(compulsory / 1e6, 3)
              << " MB\n";
    // Simulated alone: layers on all the tiles (an expert shares the DRAM with the others); the
    // simulator leaves out a decode layer that changes from pass to pass.
    const std::vector<std::optional<SimulatedMapping>>* simulated = nullptr;
    if (simulate && !layer.expert.enabled()) {
      auto s = simulated_by_shape.find(shape);
      if (s == simulated_by_shape.end())
        s = simulated_by_shape.emplace(shape, simulator(layer, ranked)).first;
      simulated = &s->second;
    }
    std::cout << "  #  mapping                                              cycles     energy uJ"
                 "   DRAM MB  /compulsory  /bound  SRAM KiB"
              << (simulate ? "   simulated   error" : "") << "\n";
    for (size_t i = 0; i < ranked.size(); ++i) {
      const RankedMapping& r = ranked[i];
      const double bound =
          LowerBoundBytes(layer, static_cast<double>(sram) *
                                     static_cast<double>(r.mapping.grid_m * r.mapping.grid_n *
                                                         r.mapping.grid_k * r.mapping.grid_b));
      const double bytes = r.estimate.DramBytes();
      std::cout << "  " << std::left << std::setw(3) << i + 1 << std::setw(52)
                << r.mapping.Describe() << std::right << std::setw(12)
                << Fixed(r.estimate.cycles, 0) << std::setw(13)
                << Fixed(r.estimate.energy_pj / 1e6, 3) << std::setw(10) << Fixed(bytes / 1e6, 3)
                << std::setw(13) << Fixed(bytes / compulsory, 3) << std::setw(8)
                << Fixed(bytes / bound, 3) << std::setw(10)
                << Fixed(static_cast<double>(r.estimate.sram_bytes) / 1024, 1);
      if (simulate) {
        const std::optional<SimulatedMapping>* s =
            simulated && i < simulated->size() ? &(*simulated)[i] : nullptr;
        if (s && *s) {
          std::cout << std::setw(12) << Fixed((*s)->cycles, 0) << std::setw(7)
                    << Fixed(100 * (r.estimate.cycles / (*s)->cycles - 1), 1) << "%";
        } else {
          std::cout << std::setw(12) << "-" << std::setw(8) << "-";
        }
      }
      std::cout << "\n";
    }
  }
  if (!found) {
    throw ConfigError({"<command line>", 0, 0},
                      args.Has("layer") ? "no GEMM-family layer named '" + args.Get("layer") + "'"
                                        : std::string("the workload has no GEMM-family layer"));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "mapped " << mapped << " layers in " << Fixed(seconds, 3) << " s\n";
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterMap(35, {&kMapSpec, Map});

}  // namespace pjsim::cli
