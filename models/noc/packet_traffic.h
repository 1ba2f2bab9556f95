#pragma once
// Synthetic traffic on the flit-level mesh (PacketMeshSim), the experiment `pjsim noc-bench`
// runs: Bernoulli packet injection at every source, a warm-up, a measurement window, then a drain
// of the packets created in the window, as in BookSim's (Jiang et al., ISPASS 2013) methodology.
#include <cstdint>
#include <string>
#include <vector>

#include "models/noc/packet_mesh_sim.h"

namespace pjsim {

// uniform, transpose, hotspot and broadcast as issue #14 names them; the rest are BookSim's
// permutations (src/traffic.cpp: bitcomp, bitrev, shuffle on node ids; tornado, neighbor on each
// coordinate; randperm a random permutation fixed by the seed).
enum class TrafficPattern {
  kUniform,
  kTranspose,
  kHotspot,
  kBroadcast,
  kBitcomp,
  kBitrev,
  kShuffle,
  kTornado,
  kNeighbor,
  kRandperm
};

// Names as the command line spells them, in enum order.
const std::vector<std::string>& TrafficPatternNames();

// Why `pattern` cannot run on a `width` x `height` mesh ("" if it can): the bit permutations
// need a power-of-two node count, transpose and the coordinate permutations a square mesh.
std::string TrafficPatternUnfit(TrafficPattern pattern, int width, int height);

// The destination of every source of a permutation pattern (transpose and BookSim's
// permutations) on a square `width` x `width` mesh, nodes numbered x + width y (BookSim's
// digit order); `seed` draws randperm's permutation. Throws for the other patterns.
std::vector<int> TrafficPermutation(TrafficPattern pattern, int width, std::uint64_t seed);

struct TrafficRun {
  TrafficPattern pattern = TrafficPattern::kUniform;
  double injection_rate = 0.1;  // offered flits per source node per cycle
  int packet_flits = 4;
  std::int64_t warmup_cycles = 2000;
  std::int64_t measure_cycles = 10000;
  std::int64_t max_drain_cycles = 20000;  // beyond this the measured packets count as lost
  std::uint64_t seed = 1;
  // BookSim's convention (src/traffic.cpp): destinations may be the source itself (uniform draws
  // over all nodes, transpose's diagonal and the hotspot send to themselves, through their
  // router's injection and ejection ports) and throughput is averaged over all nodes.
  bool self_traffic = false;
};

struct TrafficResult {
  // Per source node and cycle, counting a multicast packet once per destination set (its
  // delivered copies are divided by the destinations it had).
  double offered_flits_per_node_cycle = 0;
  double accepted_flits_per_node_cycle = 0;
  double avg_packet_latency_cycles = 0;   // creation (source queueing included) to tail delivery
  double avg_network_latency_cycles = 0;  // head injection to tail delivery
  double zero_load_latency_cycles = 0;    // PacketMeshSim::ZeroLoadLatency averaged over pairs
  // The ideal throughput (Dally & Towles 2004, section 3.3.1: one over the maximum channel
  // load): the injection rate at which the busiest link, injection or ejection port of the XY
  // routes carries one flit per cycle. No router reaches it; it bounds accepted throughput.
  double channel_load_bound_flits_per_node_cycle = 0;
  std::int64_t measured_packets = 0;  // deliveries averaged into the latencies
  bool drained = true;                // every packet created in the window was delivered
};

TrafficResult RunTraffic(const PacketMeshShape& shape, const TrafficRun& run);

// TrafficResult::channel_load_bound_flits_per_node_cycle of `run`'s pattern on `shape`.
double ChannelLoadBound(const PacketMeshShape& shape, const TrafficRun& run);

}  // namespace pjsim
