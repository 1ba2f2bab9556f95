#include "models/noc/packet_mesh_sim.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace pjsim {

struct PacketMeshSim::Packet {
  std::int64_t id = 0;
  std::int64_t created = 0;
  std::int64_t injected = -1;
  int source = 0;
  int flits = 0;
  int deliveries_left = 0;
  std::shared_ptr<const std::vector<int>> destinations;
};

PacketMeshSim::PacketMeshSim(const PacketMeshShape& shape)
    : shape_(shape),
      inputs_(static_cast<size_t>(shape.width * shape.height * kPorts * shape.virtual_channels)),
      outputs_(inputs_.size()),
      sources_(static_cast<size_t>(shape.width * shape.height)),
      input_rr_(sources_.size(), 0),
      vc_rr_(sources_.size() * kPorts, 0),
      link_flits_(sources_.size() * 4, 0) {
  if (shape.width < 1 || shape.height < 1 || shape.virtual_channels < 1 || shape.buffer_flits < 1 ||
      shape.router_latency < 1 || shape.link_latency < 1) {
    throw std::invalid_argument("packet mesh: every dimension, buffer and latency must be >= 1");
  }
  if (shape.head_latency < 0 || shape.injection_latency < 0 || shape.credit_latency < 0) {
    throw std::invalid_argument("packet mesh: head, injection and credit latencies must be >= 0");
  }
  for (OutputVc& o : outputs_) o.credits = shape.buffer_flits;
}

std::int64_t PacketMeshSim::Send(int source, std::vector<int> destinations, int flits) {
  if (source < 0 || source >= nodes() || flits < 1 || destinations.empty()) {
    throw std::invalid_argument("packet mesh: bad source, destinations or packet size");
  }
  std::sort(destinations.begin(), destinations.end());
  destinations.erase(std::unique(destinations.begin(), destinations.end()), destinations.end());
  for (int d : destinations) {
    if (d < 0 || d >= nodes()) throw std::invalid_argument("packet mesh: bad destination");
  }
  auto p = std::make_shared<Packet>();
  p->id = next_id_++;
  p->created = cycle_;
  p->source = source;
  p->flits = flits;
  p->deliveries_left = static_cast<int>(destinations.size());
  p->destinations = std::make_shared<const std::vector<int>>(std::move(destinations));
  sources_[static_cast<size_t>(source)].queue.push_back(std::move(p));
  ++in_flight_;
  return next_id_ - 1;
}

int PacketMeshSim::Neighbour(int router, int port) const {
  const int x = router % shape_.width, y = router / shape_.width;
  switch (port) {
    case 0:
      return router + 1;  // east
    case 1:
      return router - 1;  // west
    case 2:
      return router - shape_.width;  // north (y - 1)
    default:
      return (y + 1) * shape_.width + x;
  }
}

int PacketMeshSim::RoutePort(int router, int destination) const {
  const int x = router % shape_.width, y = router / shape_.width;
  const int dx = destination % shape_.width, dy = destination / shape_.width;
  if (dx != x) return dx > x ? 0 : 1;
  if (dy != y) return dy > y ? 3 : 2;
  return kLocal;
}

// Route computation and VC allocation for the head at the front of `in`: every branch of the
// (multicast) route needs a free output VC, taken all at once so a blocked branch holds none.
bool PacketMeshSim::Route(int router, InputVc& in) {
  const Flit& head = in.buffer.front();
  std::vector<std::vector<int>> by_port(kPorts);
  for (int d : *head.destinations) by_port[static_cast<size_t>(RoutePort(router, d))].push_back(d);
  std::vector<int> ports, vcs;
  for (int port = 0; port < kPorts; ++port) {
    if (by_port[static_cast<size_t>(port)].empty()) continue;
    int best = 0;
    if (port != kLocal) {
      best = -1;
      for (int vc = 0; vc < shape_.virtual_channels; ++vc) {
        const OutputVc& o = Out(router, port, vc);
        if (!o.busy && (best < 0 || o.credits > Out(router, port, best).credits)) best = vc;
      }
      if (best < 0) return false;
    }
    ports.push_back(port);
    vcs.push_back(best);
  }
  in.out_ports = ports;
  in.out_vcs = vcs;
  in.branch_destinations.clear();
  for (size_t b = 0; b < ports.size(); ++b) {
    if (ports[b] != kLocal) Out(router, ports[b], vcs[b]).busy = true;
    in.branch_destinations.push_back(
        std::make_shared<const std::vector<int>>(by_port[static_cast<size_t>(ports[b])]));
  }
  in.routed = true;
  return true;
}

void PacketMeshSim::Inject() {
  for (int node = 0; node < nodes(); ++node) {
    Source& s = sources_[static_cast<size_t>(node)];
    if (s.queue.empty()) continue;
    if (s.vc < 0) {
      // A new packet takes the local VC with the most room (the first on a tie).
      size_t best_room = 0;
      for (int vc = 0; vc < shape_.virtual_channels; ++vc) {
        const size_t room =
            static_cast<size_t>(shape_.buffer_flits) - In(node, kLocal, vc).buffer.size();
        if (room > best_room) {
          best_room = room;
          s.vc = vc;
        }
      }
      if (s.vc < 0) continue;
    }
    InputVc& in = In(node, kLocal, s.vc);
    if (in.buffer.size() >= static_cast<size_t>(shape_.buffer_flits)) continue;
    const std::shared_ptr<Packet>& p = s.queue.front();
    Flit f;
    f.packet = p;
    f.destinations = p->destinations;
    f.head = s.flits_sent == 0;
    f.tail = s.flits_sent == p->flits - 1;
    // The flit holds its buffer slot from now on but reaches the router only after the
    // injection channel.
    f.ready = cycle_ + shape_.injection_latency + shape_.router_latency +
              (f.head ? shape_.head_latency : 0);
    if (f.head) p->injected = cycle_;
    in.buffer.push_back(std::move(f));
    if (++s.flits_sent == p->flits) {
      s.queue.pop_front();
      s.flits_sent = 0;
      s.vc = -1;
    }
  }
}

void PacketMeshSim::Traverse() {
  const int vcs = shape_.virtual_channels;
  for (int router = 0; router < nodes(); ++router) {
    bool out_used[kPorts] = {false, false, false, false, false};
    const int first_port = input_rr_[static_cast<size_t>(router)];
    input_rr_[static_cast<size_t>(router)] = (first_port + 1) % kPorts;
    for (int i = 0; i < kPorts; ++i) {
      const int port = (first_port + i) % kPorts;
      int& rr = vc_rr_[static_cast<size_t>(router * kPorts + port)];
      for (int j = 0; j < vcs; ++j) {
        const int vc = (rr + j) % vcs;
        InputVc& in = In(router, port, vc);
        if (in.buffer.empty() || in.buffer.front().ready > cycle_) continue;
        if (!in.routed && !Route(router, in)) continue;
        bool can_go = true;
        for (size_t b = 0; b < in.out_ports.size(); ++b) {
          const int out = in.out_ports[b];
          if (out_used[out] || (out != kLocal && Out(router, out, in.out_vcs[b]).credits == 0)) {
            can_go = false;
          }
        }
        if (!can_go) continue;
        Flit flit = std::move(in.buffer.front());
        in.buffer.pop_front();
        if (flit.tail && !in.buffer.empty()) {
          // A VC routes and allocates one packet at a time: the next head starts its head
          // stages when it reaches the front, not when it arrived behind this packet.
          Flit& next = in.buffer.front();
          next.ready = std::max(next.ready, cycle_ + 1 + shape_.head_latency);
        }
        for (size_t b = 0; b < in.out_ports.size(); ++b) {
          const int out = in.out_ports[b];
          out_used[out] = true;
          InFlight f;
          f.arrive = cycle_ + shape_.link_latency;
          f.vc = in.out_vcs[b];
          f.flit = flit;
          f.flit.destinations = in.branch_destinations[b];
          if (out == kLocal) {
            f.router = router;
            f.port = -1;
          } else {
            OutputVc& o = Out(router, out, in.out_vcs[b]);
            --o.credits;
            if (flit.tail) o.busy = false;
            f.router = Neighbour(router, out);
            f.port = out;
            ++link_flits_[static_cast<size_t>(router * 4 + out)];
          }
          flits_on_links_.push_back(std::move(f));
        }
        if (port != kLocal) {
          // The freed slot's credit goes back to the upstream router's output `port`.
          const int upstream = Neighbour(router, port ^ 1);
          const int credit_latency =
              shape_.credit_latency > 0 ? shape_.credit_latency : shape_.link_latency;
          credits_.push_back({cycle_ + credit_latency, upstream, port, vc});
        }
        if (flit.tail) {
          in.routed = false;
          in.out_ports.clear();
          in.out_vcs.clear();
          in.branch_destinations.clear();
        }
        rr = (vc + 1) % vcs;
        break;  // one flit per input port per cycle
      }
    }
  }
}

void PacketMeshSim::Step(std::vector<PacketDelivery>& delivered) {
  while (!credits_.empty() && credits_.front().arrive <= cycle_) {
    const CreditInFlight& c = credits_.front();
    ++Out(c.router, c.port, c.vc).credits;
    credits_.pop_front();
  }
  while (!flits_on_links_.empty() && flits_on_links_.front().arrive <= cycle_) {
    InFlight& f = flits_on_links_.front();
    if (f.port < 0) {
      if (f.flit.tail) {
        Packet& p = *f.flit.packet;
        delivered.push_back({p.id, f.router, p.created, p.injected, cycle_, p.flits});
        if (--p.deliveries_left == 0) --in_flight_;
      }
    } else {
      f.flit.ready = cycle_ + shape_.router_latency + (f.flit.head ? shape_.head_latency : 0);
      In(f.router, f.port, f.vc).buffer.push_back(std::move(f.flit));
    }
    flits_on_links_.pop_front();
  }
  Inject();
  Traverse();
  ++cycle_;
}

}  // namespace pjsim
