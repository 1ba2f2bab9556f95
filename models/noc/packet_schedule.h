#pragma once
// The platform-mode timing of the `packet` NoC model: a train of packets (one DMA transfer) is
// booked on the ports and links of its route in closed form instead of flit by flit. Each
// resource (an injection port, a directed link or an ejection port, all one flit per cycle)
// keeps a calendar of the intervals trains hold it. A train's head crosses resource k at the
// first cycle s_k >= s_{k-1} + (latency between them) where the resource is free long enough
// for its flits; this is exactly what the flit-level routers (PacketMeshSim) do for an
// uncontended train when the buffers cover the credit round trip. Calendars rather than a single
// "free from" time, because the platform books transfers in the order it issues them, not in
// the order they reach a link (a read waits for its DRAM channel first): a train that comes
// earlier in time takes a gap before one booked before it. Where the head waits (contention) the
// wormhole back-pressure is carried upstream: a train of at least V packets fills the V virtual
// channels of every buffer on its way, so a resource holds it until the resource downstream has
// sent all but the B * V flits those buffers keep (plus the credit's return), and other traffic
// that shares the held links waits. Plain C++, in cycles.
#include <algorithm>
#include <cstdint>
#include <vector>

namespace pjsim {

struct PacketTiming {
  int router_latency = 1;  // cycles, arrival in a router to its switch traversal
  int link_latency = 1;    // cycles per link (and per credit return)
  int buffer_flits = 8;
  int virtual_channels = 2;
};

// One resource's booking by a train (for traces).
struct PacketBooking {
  int resource = 0;
  std::int64_t begin = 0;  // the head crosses
  std::int64_t end = 0;    // the resource is free again (the tail crossed, or back-pressure ended)
};

// `first`, the directed links (router * 4 + direction E, W, N, S; router = y * width + x) of the
// XY route from (from_x, from_y) to (to_x, to_y), then `last`, into `path`: a path for
// PacketSchedule.
void XyPath(std::int64_t width, std::int64_t from_x, std::int64_t from_y, std::int64_t to_x,
            std::int64_t to_y, int first, int last, std::vector<int>& path);

class PacketSchedule {
 public:
  PacketSchedule(int resources, const PacketTiming& timing);

  // Books a train of `flits` flits, in packets of `packet_flits`, over `path`: the source's
  // injection port, then the output each router on the route sends it through (links, and the
  // destination's ejection port last). The head may enter at `start`; the source has produced its
  // last flit by `source_done` (the tail cannot leave earlier). Returns the cycle the tail
  // reaches the destination; bookings() then lists what it booked.
  std::int64_t Send(const std::vector<int>& path, std::int64_t start, std::int64_t flits,
                    std::int64_t packet_flits, std::int64_t source_done);
  // A multicast train: `paths` all start at the same injection port and form a tree (XY routes
  // from one source do); each resource of the tree is booked once, the flits replicated where
  // the paths part. Returns the tail's arrival per path.
  std::vector<std::int64_t> SendTree(const std::vector<std::vector<int>>& paths, std::int64_t start,
                                     std::int64_t flits, std::int64_t packet_flits,
                                     std::int64_t source_done);
  // One entry per resource the last Send or SendTree booked.
  const std::vector<PacketBooking>& bookings() const { return bookings_; }

  // Forgets bookings that end before `cycle`: no later train may start before it.
  void Forget(std::int64_t cycle) { horizon_ = std::max(horizon_, cycle); }
  // Cycles `resource` is booked from `from` on (tests).
  std::int64_t BusyFrom(int resource, std::int64_t from) const;

 private:
  struct Interval {
    std::int64_t begin, end;
  };
  using Calendar = std::vector<Interval>;  // sorted, disjoint, not touching; a few trains long
  struct Hop {
    int parent;  // index into hops_, -1 for the injection port
    int depth;   // position on the path
  };
  // The first cycle >= `from` where `resource` is free for `cycles` cycles; `slot`: the index
  // of the calendar's first interval after that gap (its size if none). The train's booking of
  // the resource lies in the gap (it ends no later than that interval's begin), so the slot
  // locates it for Commit without another search: the calendar does not change in between
  // (a train books each resource once).
  std::int64_t FirstGap(int resource, std::int64_t from, std::int64_t cycles, size_t& slot);
  // Books [begin, end] into the gap before interval `slot` of `resource`'s calendar, merging
  // with the intervals it touches.
  void Book(int resource, size_t slot, std::int64_t begin, std::int64_t end);
  // The end of the free run before interval `slot` (its begin, or "never").
  std::int64_t FreeUntil(int resource, size_t slot) const;
  // Forward pass of one path of a tree; returns the tail's arrival.
  std::int64_t AddPath(const std::vector<int>& path, std::int64_t start, std::int64_t flits,
                       std::int64_t source_done);
  // Back-pressure and booking of the hops of the current train.
  void Commit(std::int64_t flits, std::int64_t packet_flits);

  PacketTiming timing_;
  std::vector<Calendar> calendars_;
  std::int64_t horizon_ = 0;
  // The train being booked: hops_[i] and bookings_[i] describe one resource; hop_of_ maps a
  // resource to its hop (-1 outside a call).
  std::vector<Hop> hops_;
  std::vector<PacketBooking> bookings_;
  std::vector<size_t> slots_;  // [hop]: FirstGap's slot for its resource
  std::vector<int> hop_of_;
};

}  // namespace pjsim
