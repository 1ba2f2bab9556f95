#include "models/noc/packet_traffic.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <utility>

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

bool PowerOfTwo(int n) { return n > 0 && (n & (n - 1)) == 0; }

int Log2(int n) {
  int lg = 0;
  while ((1 << lg) < n) ++lg;
  return lg;
}

bool IsPermutation(TrafficPattern pattern) {
  return pattern != TrafficPattern::kUniform && pattern != TrafficPattern::kHotspot &&
         pattern != TrafficPattern::kBroadcast;
}

// The destinations of a packet from `source`, or empty if the pattern gives it none.
// `permutation`: TrafficPermutation's, for the permutation patterns.
std::vector<int> Destinations(TrafficPattern pattern, int nodes, int source, bool self_traffic,
                              const std::vector<int>& permutation, Random& random) {
  switch (pattern) {
    case TrafficPattern::kUniform: {
      if (self_traffic) return {random.Below(nodes)};
      int d = random.Below(nodes - 1);
      if (d >= source) ++d;  // any node but the source
      return {d};
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
    default: {
      // A permutation's fixed points (transpose's diagonal, bitrev's palindromes) send only
      // with self-traffic, through their router's injection and ejection ports.
      const int d = permutation[static_cast<size_t>(source)];
      if (d == source && !self_traffic) return {};
      return {d};
    }
  }
}

// The directed links of the XY route from `s` to `d` (x first, then y), each as
// from-node x 4 + direction (0 east, 1 west, 2 south, 3 north), appended to `links`.
void RouteLinks(int width, int s, int d, std::vector<int>& links) {
  int x = s % width, y = s / width;
  const int dx = d % width, dy = d / width;
  while (x != dx) {
    const int dir = dx > x ? 0 : 1;
    links.push_back((x + width * y) * 4 + dir);
    x += dx > x ? 1 : -1;
  }
  while (y != dy) {
    const int dir = dy > y ? 2 : 3;
    links.push_back((x + width * y) * 4 + dir);
    y += dy > y ? 1 : -1;
  }
}

}  // namespace

const std::vector<std::string>& TrafficPatternNames() {
  static const std::vector<std::string> names = {"uniform",  "transpose", "hotspot", "broadcast",
                                                 "bitcomp",  "bitrev",    "shuffle", "tornado",
                                                 "neighbor", "randperm"};
  return names;
}

std::string TrafficPatternUnfit(TrafficPattern pattern, int width, int height) {
  const std::string name = TrafficPatternNames()[static_cast<size_t>(pattern)];
  const int nodes = width * height;
  switch (pattern) {
    case TrafficPattern::kBitcomp:
    case TrafficPattern::kBitrev:
    case TrafficPattern::kShuffle:
      if (!PowerOfTwo(nodes)) {
        return name +
               " traffic needs a power-of-two node count (a mesh side of 2, 4, 8, ..), "
               "not " +
               std::to_string(nodes);
      }
      break;
    case TrafficPattern::kTranspose:
    case TrafficPattern::kTornado:
    case TrafficPattern::kNeighbor:
    case TrafficPattern::kRandperm:
      if (width != height) return name + " traffic needs a square mesh";
      break;
    default:
      break;
  }
  return "";
}

std::vector<int> TrafficPermutation(TrafficPattern pattern, int width, std::uint64_t seed) {
  if (!IsPermutation(pattern)) throw std::invalid_argument("not a permutation pattern");
  const std::string unfit = TrafficPatternUnfit(pattern, width, width);
  if (!unfit.empty()) throw std::invalid_argument(unfit);
  const int nodes = width * width;
  const int lg = Log2(nodes);
  std::vector<int> dest(static_cast<size_t>(nodes));
  for (int s = 0; s < nodes; ++s) {
    const int x = s % width, y = s / width;
    int d = 0;
    switch (pattern) {
      case TrafficPattern::kTranspose:
        d = y + width * x;
        break;
      case TrafficPattern::kBitcomp:
        d = ~s & (nodes - 1);
        break;
      case TrafficPattern::kBitrev:
        for (int b = 0; b < lg; ++b) d |= ((s >> b) & 1) << (lg - 1 - b);
        break;
      case TrafficPattern::kShuffle:  // rotate the id left by one bit
        d = ((s << 1) & (nodes - 1)) | ((s >> (lg - 1)) & 1);
        break;
      case TrafficPattern::kTornado: {  // every coordinate just under half-way round
        const int shift = (width + 1) / 2 - 1;
        d = (x + shift) % width + width * ((y + shift) % width);
        break;
      }
      case TrafficPattern::kNeighbor:
        d = (x + 1) % width + width * ((y + 1) % width);
        break;
      default:
        d = s;  // randperm: drawn below
        break;
    }
    dest[static_cast<size_t>(s)] = d;
  }
  if (pattern == TrafficPattern::kRandperm) {
    // Fisher-Yates with the traffic's own generator (BookSim draws its permutation from
    // perm_seed with its own generator, so the two permutations differ; their statistics agree).
    Random random(seed ^ 0x9e3779b97f4a7c15ULL);
    for (int i = nodes - 1; i > 0; --i)
      std::swap(dest[static_cast<size_t>(i)], dest[static_cast<size_t>(random.Below(i + 1))]);
  }
  return dest;
}

double ChannelLoadBound(const PacketMeshShape& shape, const TrafficRun& run) {
  const int width = shape.width, nodes = shape.width * shape.height;
  // Flits per cycle on every link and port for one flit per cycle injected per source.
  std::vector<double> link(static_cast<size_t>(nodes) * 4, 0), in(nodes, 0), out(nodes, 0);
  std::vector<int> links;
  const auto flow = [&](int s, int d, double p) {
    in[static_cast<size_t>(s)] += p;
    out[static_cast<size_t>(d)] += p;
    links.clear();
    RouteLinks(width, s, d, links);
    for (int l : links) link[static_cast<size_t>(l)] += p;
  };
  switch (run.pattern) {
    case TrafficPattern::kUniform:
      for (int s = 0; s < nodes; ++s) {
        const double p = 1.0 / (run.self_traffic ? nodes : nodes - 1);
        for (int d = 0; d < nodes; ++d)
          if (d != s || run.self_traffic) flow(s, d, p);
      }
      break;
    case TrafficPattern::kHotspot:
      for (int s = run.self_traffic ? 0 : 1; s < nodes; ++s) flow(s, 0, 1);
      break;
    case TrafficPattern::kBroadcast: {
      // One injection; the tree is the union of the XY routes, each link crossed once.
      in[0] = 1;
      std::vector<bool> on_tree(link.size(), false);
      for (int d = 1; d < nodes; ++d) {
        out[static_cast<size_t>(d)] = 1;
        links.clear();
        RouteLinks(width, 0, d, links);
        for (int l : links) on_tree[static_cast<size_t>(l)] = true;
      }
      for (size_t l = 0; l < link.size(); ++l) link[l] = on_tree[l] ? 1 : 0;
      break;
    }
    default: {
      const std::vector<int> dest = TrafficPermutation(run.pattern, width, run.seed);
      for (int s = 0; s < nodes; ++s) {
        const int d = dest[static_cast<size_t>(s)];
        if (d != s || run.self_traffic) flow(s, d, 1);
      }
      break;
    }
  }
  double busiest = 0;
  for (double l : link) busiest = std::max(busiest, l);
  for (double l : in) busiest = std::max(busiest, l);
  for (double l : out) busiest = std::max(busiest, l);
  return busiest > 0 ? std::min(1.0, 1.0 / busiest) : 1.0;
}

TrafficResult RunTraffic(const PacketMeshShape& shape, const TrafficRun& run) {
  const std::string unfit = TrafficPatternUnfit(run.pattern, shape.width, shape.height);
  if (!unfit.empty()) throw std::invalid_argument(unfit);
  if (shape.width * shape.height < 2) throw std::invalid_argument("the mesh needs two nodes");
  PacketMeshSim mesh(shape);
  const int nodes = mesh.nodes();
  Random random(run.seed);
  Random pattern_random(run.seed ^ 0x5eedULL);
  const std::vector<int> permutation = IsPermutation(run.pattern)
                                           ? TrafficPermutation(run.pattern, shape.width, run.seed)
                                           : std::vector<int>{};

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
      dests = Destinations(run.pattern, nodes, s, run.self_traffic, permutation, random);
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
  if (pairs == 0) {
    throw std::invalid_argument(TrafficPatternNames()[static_cast<size_t>(run.pattern)] +
                                " traffic sends every node to itself on this mesh; add "
                                "self-traffic or another seed");
  }
  result.zero_load_latency_cycles = zero_load_sum / static_cast<double>(pairs);
  result.channel_load_bound_flits_per_node_cycle = ChannelLoadBound(shape, run);
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
            Destinations(run.pattern, nodes, s, run.self_traffic, permutation, pattern_random);
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
