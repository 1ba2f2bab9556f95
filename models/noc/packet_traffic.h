#pragma once
// Synthetic traffic on the flit-level mesh (PacketMeshSim), the experiment `pjsim noc-bench`
// runs: Bernoulli packet injection at every source, a warm-up, a measurement window, then a drain
// of the packets created in the window, as in BookSim's (Jiang et al., ISPASS 2013) methodology.
#include <cstdint>
#include <string>
#include <vector>

#include "models/noc/packet_mesh_sim.h"

namespace pjsim {

enum class TrafficPattern { kUniform, kTranspose, kHotspot, kBroadcast };

// Names as the command line spells them, in enum order.
const std::vector<std::string>& TrafficPatternNames();

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
  std::int64_t measured_packets = 0;      // deliveries averaged into the latencies
  bool drained = true;                    // every packet created in the window was delivered
};

TrafficResult RunTraffic(const PacketMeshShape& shape, const TrafficRun& run);

}  // namespace pjsim
