#include "models/noc/packet_traffic.h"

#include <cstdlib>
#include <stdexcept>

namespace pjsim {
namespace {

// splitmix64: a fixed generator, so a seed gives the same traffic on every standard library.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }

 private:
  std::uint64_t state_;
};

int Hops(int width, int a, int b) {
  return std::abs(a % width - b % width) + std::abs(a / width - b / width);
}

// The destinations of a packet from `source`, or empty if the pattern gives it none.
std::vector<int> Destinations(TrafficPattern pattern, int width, int nodes, int source,
                              bool self_traffic, Random& random) {
  switch (pattern) {
    case TrafficPattern::kUniform: {
      if (self_traffic) return {random.Below(nodes)};
      int d = random.Below(nodes - 1);
      if (d >= source) ++d;  // any node but the source
      return {d};
    }
    case TrafficPattern::kTranspose: {
      const int x = source % width, y = source / width;
      if (x == y && !self_traffic) return {};
      return {x * width + y};
    }
    case TrafficPattern::kHotspot:
      if (source == 0 && !self_traffic) return {};
      return {0};
    case TrafficPattern::kBroadcast: {
      if (source != 0) return {};
      std::vector<int> all;
      for (int d = 1; d < nodes; ++d) all.push_back(d);
      return all;
    }
  }
  return {};
}

}  // namespace

const std::vector<std::string>& TrafficPatternNames() {
  static const std::vector<std::string> names = {"uniform", "transpose", "hotspot", "broadcast"};
  return names;
}

TrafficResult RunTraffic(const PacketMeshShape& shape, const TrafficRun& run) {
  if (shape.width != shape.height && run.pattern == TrafficPattern::kTranspose) {
    throw std::invalid_argument("transpose traffic needs a square mesh");
  }
  if (shape.width * shape.height < 2) throw std::invalid_argument("the mesh needs two nodes");
  PacketMeshSim mesh(shape);
  const int nodes = mesh.nodes();
  Random random(run.seed);
  Random pattern_random(run.seed ^ 0x5eedULL);

  // Sources and the zero-load latency over the pattern's (source, destination) pairs.
  int sources = 0;
  double zero_load_sum = 0;
  std::int64_t pairs = 0;
  for (int s = 0; s < nodes; ++s) {
    std::vector<int> dests;
    if (run.pattern == TrafficPattern::kUniform) {
      for (int d = 0; d < nodes; ++d)
        if (d != s || run.self_traffic) dests.push_back(d);
    } else {
      // Only uniform traffic draws from the generator, so this consumes nothing.
      dests = Destinations(run.pattern, shape.width, nodes, s, run.self_traffic, random);
    }
    if (dests.empty()) continue;
    ++sources;
    for (int d : dests) {
      zero_load_sum += static_cast<double>(
          PacketMeshSim::ZeroLoadLatency(shape, Hops(shape.width, s, d), run.packet_flits));
      ++pairs;
    }
  }
  // A multicast packet counts once however many copies reach their destinations.
  const int copies = run.pattern == TrafficPattern::kBroadcast ? nodes - 1 : 1;

  TrafficResult result;
  result.zero_load_latency_cycles = zero_load_sum / static_cast<double>(pairs);
  const double packet_probability = run.injection_rate / run.packet_flits;
  const std::int64_t window_begin = run.warmup_cycles;
  const std::int64_t window_end = run.warmup_cycles + run.measure_cycles;
  std::int64_t offered_flits = 0;
  double accepted_flits = 0;
  std::int64_t measured_open = 0;  // deliveries of packets created in the window still to come
  double latency_sum = 0, network_latency_sum = 0;
  std::vector<PacketDelivery> delivered;
  while (mesh.cycle() < window_end ||
         (measured_open > 0 && mesh.cycle() < window_end + run.max_drain_cycles)) {
    const std::int64_t now = mesh.cycle();
    if (now < window_end) {
      for (int s = 0; s < nodes; ++s) {
        if (random.Uniform() >= packet_probability) continue;
        std::vector<int> dests =
            Destinations(run.pattern, shape.width, nodes, s, run.self_traffic, pattern_random);
        if (dests.empty()) continue;
        if (now >= window_begin) {
          offered_flits += run.packet_flits;
          measured_open += static_cast<std::int64_t>(dests.size());
        }
        mesh.Send(s, std::move(dests), run.packet_flits);
      }
    }
    delivered.clear();
    mesh.Step(delivered);
    for (const PacketDelivery& d : delivered) {
      if (now >= window_begin && now < window_end) {
        accepted_flits += static_cast<double>(d.flits) / copies;
      }
      if (d.created >= window_begin && d.created < window_end) {
        --measured_open;
        ++result.measured_packets;
        latency_sum += static_cast<double>(d.delivered - d.created);
        network_latency_sum += static_cast<double>(d.delivered - d.injected);
      }
    }
  }
  const double node_cycles = static_cast<double>(sources) * static_cast<double>(run.measure_cycles);
  result.offered_flits_per_node_cycle = static_cast<double>(offered_flits) / node_cycles;
  result.accepted_flits_per_node_cycle = accepted_flits / node_cycles;
  if (result.measured_packets > 0) {
    result.avg_packet_latency_cycles = latency_sum / static_cast<double>(result.measured_packets);
    result.avg_network_latency_cycles =
        network_latency_sum / static_cast<double>(result.measured_packets);
  }
  result.drained = measured_open == 0;
  return result;
}

}  // namespace pjsim
