#pragma once
// Cycle-by-cycle flit-level model of a W x H mesh of input-queued wormhole routers: virtual
// channels with finite buffers and credit flow control, dimension-order (XY) routing, a router
// pipeline of `router_latency` cycles and links of `link_latency` cycles, one flit per cycle per
// port (injection and ejection included), multicast replicated at the routers where the XY routes
// part (synchronous replication: a flit leaves only when every branch can take it). Plain C++:
// the reference `pjsim noc-bench` runs and the platform's packet model is checked against.
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

namespace pjsim {

struct PacketMeshShape {
  int width = 1;
  int height = 1;
  int virtual_channels = 2;
  int buffer_flits = 8;    // per virtual channel of every input port
  int router_latency = 1;  // cycles from a flit's arrival in a router to its switch traversal
  int link_latency = 1;    // cycles on a link (inter-router or ejection); credits take as long
  // Extra cycles a head flit spends in every router before switch allocation (route computation
  // and VC allocation, stages body flits skip), as in a VC router's pipeline (Dally & Towles
  // ch. 16). A VC runs these stages for one packet at a time: a head queued behind another
  // packet starts them when it reaches the front. 0: heads move as fast as body flits.
  int head_latency = 0;
  // Cycles on the channel from a source to its router (0: flits enter the router at once).
  int injection_latency = 0;
  // Cycles a credit takes back to the upstream router; 0: link_latency.
  int credit_latency = 0;
};

// A packet as the mesh delivered it to one destination.
struct PacketDelivery {
  std::int64_t id = 0;
  int destination = 0;
  std::int64_t created = 0;    // cycle the packet entered its source queue
  std::int64_t injected = 0;   // cycle its head entered the source router
  std::int64_t delivered = 0;  // cycle its tail reached the destination
  int flits = 0;
};

class PacketMeshSim {
 public:
  explicit PacketMeshSim(const PacketMeshShape& shape);

  // Queues a packet of `flits` flits at node `source` for every node of `destinations` (one
  // injection; the mesh replicates it). Returns its id. Nodes are numbered y * width + x.
  std::int64_t Send(int source, std::vector<int> destinations, int flits);
  // Advances one cycle; deliveries completed in it are appended to `delivered`.
  void Step(std::vector<PacketDelivery>& delivered);

  std::int64_t cycle() const { return cycle_; }
  int nodes() const { return shape_.width * shape_.height; }
  // Packets still in a source queue or in the network.
  std::int64_t in_flight() const { return in_flight_; }
  // Flits that crossed each directed link so far, indexed node * 4 + direction (E, W, N, S).
  const std::vector<std::int64_t>& link_flits() const { return link_flits_; }

  // Zero-load latency of a `flits`-flit packet over `hops` links: the head crosses the injection
  // channel and hops + 1 routers, each followed by a link (the last is the ejection link), and
  // the tail follows flits - 1 cycles behind it.
  static std::int64_t ZeroLoadLatency(const PacketMeshShape& shape, int hops, int flits) {
    return shape.injection_latency +
           static_cast<std::int64_t>(hops + 1) *
               (shape.router_latency + shape.head_latency + shape.link_latency) +
           flits - 1;
  }

 private:
  struct Packet;
  struct Flit {
    std::shared_ptr<Packet> packet;
    std::shared_ptr<const std::vector<int>> destinations;  // those this copy still serves
    bool head = false;
    bool tail = false;
    std::int64_t ready = 0;  // first cycle it may cross this router's switch
  };
  struct InputVc {
    std::deque<Flit> buffer;
    bool routed = false;         // the front packet has its outputs and output VCs
    std::vector<int> out_ports;  // with out_vcs: one entry per branch
    std::vector<int> out_vcs;
    std::vector<std::shared_ptr<const std::vector<int>>> branch_destinations;
  };
  struct OutputVc {
    bool busy = false;  // held by a packet until its tail is sent
    int credits = 0;
  };
  struct InFlight {
    std::int64_t arrive = 0;
    int router = 0;  // receiving router, or the destination node for an ejected flit
    int port = 0;    // input port at the receiving router; -1: ejected
    int vc = 0;
    Flit flit;
  };
  struct CreditInFlight {
    std::int64_t arrive = 0;
    int router = 0;
    int port = 0;  // output port at the router receiving the credit
    int vc = 0;
  };
  struct Source {
    std::deque<std::shared_ptr<Packet>> queue;
    int flits_sent = 0;  // of the front packet
    int vc = -1;         // local input VC the front packet is injected into
  };

  static constexpr int kPorts = 5;  // E, W, N, S (the direction a flit travels), local
  static constexpr int kLocal = 4;

  InputVc& In(int router, int port, int vc) {
    return inputs_[static_cast<size_t>((router * kPorts + port) * shape_.virtual_channels + vc)];
  }
  OutputVc& Out(int router, int port, int vc) {
    return outputs_[static_cast<size_t>((router * kPorts + port) * shape_.virtual_channels + vc)];
  }
  int Neighbour(int router, int port) const;
  int RoutePort(int router, int destination) const;
  bool Route(int router, InputVc& in);
  void Inject();
  void Traverse();

  PacketMeshShape shape_;
  std::int64_t cycle_ = 0;
  std::int64_t next_id_ = 0;
  std::int64_t in_flight_ = 0;
  std::vector<InputVc> inputs_;
  std::vector<OutputVc> outputs_;
  std::vector<Source> sources_;
  std::deque<InFlight> flits_on_links_;  // in arrival order (all links share one latency)
  std::deque<CreditInFlight> credits_;   // likewise
  std::vector<int> input_rr_;            // per router: input port served first
  std::vector<int> vc_rr_;               // per router and input port: VC served first
  std::vector<std::int64_t> link_flits_;
};

}  // namespace pjsim
