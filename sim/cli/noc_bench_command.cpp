// `pjsim noc-bench`: latency and accepted throughput of a K x K mesh of wormhole routers under
// synthetic traffic, from the cycle-level flit model the `packet` NoC model is checked against
// (models/noc/packet_mesh_sim.h). A micro-benchmark in the manner of BookSim's.
#include <charconv>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/noc/booksim_config.h"
#include "models/noc/packet_traffic.h"
#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/yaml_reader.h"

namespace pjsim::cli {
namespace {

const CommandSpec kNocBenchSpec{
    .name = "noc-bench",
    .summary = "flit-level mesh NoC micro-benchmark (latency and throughput under traffic)",
    .usage = {"--mesh K --pattern P --injection-rate R "
              "--packet-flits F [--booksim FILE] [--virtual-channels V] [--buffer-flits B] "
              "[--router-latency C] "
              "[--link-latency C] [--head-latency C] [--injection-latency C] [--credit-latency C] "
              "[--self-traffic] [--cycles N] [--seed S] [--json]"},
    .description =
        "Simulates a K x K mesh of input-queued wormhole routers flit by flit (dimension-order XY "
        "routing, V virtual channels of B flits per input port, credit flow control, one flit per "
        "cycle per port) under Bernoulli injection of F-flit packets at R flits per source node "
        "per cycle, and prints the average packet latency (from creation, source queueing "
        "included), the network latency (from injection) and the accepted throughput, measured "
        "over N cycles after a warm-up of N/5 cycles (docs/NOC.md). Deterministic for a seed.",
    .flags =
        {
            {.name = "mesh",
             .value = "K",
             .help = "mesh side, 2..64 (required, or from --booksim)"},
            {.name = "pattern",
             .value = "P",
             .help = "uniform, transpose, hotspot (every node sends to node 0, a memory "
                     "controller in the corner), broadcast (node 0 multicasts each packet to "
                     "every other node), or one of BookSim's permutations: bitcomp, bitrev, "
                     "shuffle (node-id bits complemented, reversed, rotated left; K a power of "
                     "two), tornado (each coordinate + ceil(K/2) - 1 mod K), neighbor (+1 mod K), "
                     "randperm (a random permutation drawn from the seed); required, or from "
                     "--booksim"},
            {.name = "injection-rate",
             .value = "R",
             .help = "flits per source node per cycle, 0..1 (required, or from --booksim)"},
            {.name = "packet-flits",
             .value = "F",
             .help = "flits per packet (required, or from --booksim)"},
            {.name = "booksim",
             .value = "FILE",
             .help = "a BookSim 2 configuration file (`key = value;`): its mesh, traffic, "
                     "packet size, injection rate, VCs, buffers, router delays and seed become "
                     "the flags above, mapped as docs/NOC.md explains (with --self-traffic and "
                     "BookSim's 2-cycle channels); flags given as well take precedence; keys "
                     "noc-bench cannot honour are an error at their line"},
            {.name = "virtual-channels", .value = "V", .help = "default 2"},
            {.name = "buffer-flits", .value = "B", .help = "default 8"},
            {.name = "router-latency", .value = "C", .help = "default 1"},
            {.name = "link-latency", .value = "C", .help = "default 1"},
            {.name = "head-latency",
             .value = "C",
             .help = "default 0: extra cycles a head flit spends in each router (route "
                     "computation, VC allocation) before switch allocation"},
            {.name = "injection-latency",
             .value = "C",
             .help = "default 0: cycles on the channel from a source to its router"},
            {.name = "credit-latency", .value = "C", .help = "default: the link latency"},
            {.name = "self-traffic",
             .help = "BookSim's destinations: uniform draws over all nodes, a permutation's "
                     "fixed points (transpose's diagonal, bitrev's palindromes) and the hotspot "
                     "send to themselves (see docs/NOC.md)"},
            {.name = "cycles", .value = "N", .help = "measured cycles (default 10000)"},
            {.name = "seed", .value = "S", .help = "random seed (default 1)"},
            {.name = "json",
             .help = "one JSON object: offered_flits_per_node_cycle, "
                     "accepted_flits_per_node_cycle, avg_packet_latency_cycles, "
                     "avg_network_latency_cycles, zero_load_latency_cycles, "
                     "channel_load_bound_flits_per_node_cycle (the ideal throughput: one over "
                     "the busiest link or port's load under XY routing)"},
        },
};

[[noreturn]] void Bad(const std::string& message) {
  throw ConfigError({"<command line>", 0, 0}, message);
}

std::int64_t IntFlag(const ParsedArgs& args, const std::string& flag, std::int64_t fallback,
                     std::int64_t min, std::int64_t max) {
  if (!args.Has(flag)) {
    if (fallback < min) Bad("--" + flag + " is required");
    return fallback;
  }
  const std::string v = args.Get(flag);
  std::int64_t x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || x < min || x > max) {
    Bad("--" + flag + " expects an integer in [" + std::to_string(min) + ", " +
        std::to_string(max) + "], got '" + v + "'");
  }
  return x;
}

double RateFlag(const ParsedArgs& args) {
  const std::string v = args.Get("injection-rate");
  std::istringstream in(v);
  double x = std::numeric_limits<double>::quiet_NaN();
  in >> x;
  if (!in || !in.eof() || !std::isfinite(x) || x < 0 || x > 1) {
    Bad("--injection-rate expects flits per node per cycle in [0, 1], got '" + v + "'");
  }
  return x;
}

// The command line, with the flags a --booksim file implies wherever the line has none.
ParsedArgs WithBookSimFlags(const ParsedArgs& given) {
  ParsedArgs args = given;
  if (args.Has("booksim")) {
    for (const auto& [flag, value] : ReadBookSimConfig(args.Get("booksim"))) {
      args.flags.emplace(flag, std::vector<std::string>{value});  // keeps a flag already given
    }
  }
  for (const FlagSpec& f : kNocBenchSpec.flags) {
    const bool required = f.name == "mesh" || f.name == "pattern" || f.name == "injection-rate" ||
                          f.name == "packet-flits";
    if (required && !args.Has(f.name)) {
      Bad("missing --" + f.name + " (pjsim noc-bench needs --" + f.name + " " + f.value +
          " or a --booksim FILE; see pjsim noc-bench --help)");
    }
  }
  return args;
}

int NocBench(const ParsedArgs& given) {
  const ParsedArgs args = WithBookSimFlags(given);
  PacketMeshShape shape;
  shape.width = shape.height = static_cast<int>(IntFlag(args, "mesh", 0, 2, 64));
  shape.virtual_channels = static_cast<int>(IntFlag(args, "virtual-channels", 2, 1, 64));
  shape.buffer_flits = static_cast<int>(IntFlag(args, "buffer-flits", 8, 1, 1024));
  shape.router_latency = static_cast<int>(IntFlag(args, "router-latency", 1, 1, 1000));
  shape.link_latency = static_cast<int>(IntFlag(args, "link-latency", 1, 1, 1000));
  shape.head_latency = static_cast<int>(IntFlag(args, "head-latency", 0, 0, 1000));
  shape.injection_latency = static_cast<int>(IntFlag(args, "injection-latency", 0, 0, 1000));
  shape.credit_latency =
      static_cast<int>(IntFlag(args, "credit-latency", shape.link_latency, 1, 1000));

  TrafficRun run;
  const std::string pattern = args.Get("pattern");
  const std::vector<std::string>& names = TrafficPatternNames();
  size_t index = 0;
  while (index < names.size() && names[index] != pattern) ++index;
  if (index == names.size()) {
    std::string known;
    for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
    const std::string guess = DidYouMean(pattern, names);
    Bad("unknown --pattern '" + pattern + "'" +
        (guess.empty() ? "" : " (did you mean '" + guess + "'?)") + "; known: " + known);
  }
  run.pattern = static_cast<TrafficPattern>(index);
  const std::string unfit = TrafficPatternUnfit(run.pattern, shape.width, shape.height);
  if (!unfit.empty()) Bad("--pattern " + unfit + " (--mesh " + std::to_string(shape.width) + ")");
  run.injection_rate = RateFlag(args);
  run.packet_flits = static_cast<int>(IntFlag(args, "packet-flits", 0, 1, 1024));
  run.measure_cycles = IntFlag(args, "cycles", 10000, 100, 100000000);
  run.warmup_cycles = run.measure_cycles / 5;
  run.max_drain_cycles = 2 * run.measure_cycles;
  run.seed = static_cast<std::uint64_t>(IntFlag(args, "seed", 1, 0, ConfigMap::kMaxInt));
  run.self_traffic = args.Has("self-traffic");

  TrafficResult r;
  try {
    r = RunTraffic(shape, run);
  } catch (const std::invalid_argument& e) {
    Bad(e.what());  // a pattern with no source to send (randperm drew the identity)
  }
  std::ostringstream out;
  out << std::setprecision(8);
  if (args.Has("json")) {
    out << "{\"offered_flits_per_node_cycle\": " << r.offered_flits_per_node_cycle
        << ", \"accepted_flits_per_node_cycle\": " << r.accepted_flits_per_node_cycle
        << ", \"avg_packet_latency_cycles\": " << r.avg_packet_latency_cycles
        << ", \"avg_network_latency_cycles\": " << r.avg_network_latency_cycles
        << ", \"zero_load_latency_cycles\": " << r.zero_load_latency_cycles
        << ", \"channel_load_bound_flits_per_node_cycle\": "
        << r.channel_load_bound_flits_per_node_cycle << "}\n";
  } else {
    out << shape.width << "x" << shape.height << " mesh, " << pattern << ", " << run.packet_flits
        << "-flit packets, " << shape.virtual_channels << " VCs x " << shape.buffer_flits
        << " flits, router " << shape.router_latency << " + link " << shape.link_latency
        << " cycles";
    if (shape.head_latency > 0 || shape.injection_latency > 0 ||
        shape.credit_latency != shape.link_latency) {
      out << " (head +" << shape.head_latency << ", injection " << shape.injection_latency
          << ", credit " << shape.credit_latency << ")";
    }
    if (run.self_traffic) out << ", self-traffic";
    out << "\n"
        << "  offered throughput     " << r.offered_flits_per_node_cycle << " flits/node/cycle\n"
        << "  accepted throughput    " << r.accepted_flits_per_node_cycle << " flits/node/cycle\n"
        << "  avg packet latency     " << r.avg_packet_latency_cycles
        << " cycles (source queueing included)\n"
        << "  avg network latency    " << r.avg_network_latency_cycles << " cycles\n"
        << "  zero-load latency      " << r.zero_load_latency_cycles << " cycles\n"
        << "  channel-load bound     " << r.channel_load_bound_flits_per_node_cycle
        << " flits/node/cycle (ideal throughput of the XY routes)\n";
    if (!r.drained) {
      out << "  saturated: packets of the measurement window were still queued "
          << run.max_drain_cycles << " cycles after it (latencies cover those delivered)\n";
    }
  }
  std::cout << out.str();
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterNocBench(55, {&kNocBenchSpec, NocBench});

}  // namespace pjsim::cli
