#pragma once
// The DRAM channels and their trains through the NoC, request by request, for tiles that issue
// out of step with one another (experts running beside other experts). Every transfer is
// striped over the channels by the address interleave; each channel serves its pieces first
// come, first served, at its share of the sustained bandwidth, and sends each piece as one train
// in that order. On a NoC with one flit per cycle per port and buffers shallower than a train
// (`packet`), a train holds its XY route (for a multicast share, the tree of those routes: each
// link once) and its receivers' ejection ports while it passes, one train at a time each; a
// piece that waits for them fills the buffers on its way and holds its channel's injection port,
// so the channel's next train waits behind it (head-of-line blocking: M. J. Karol, M. G.
// Hluchyj, S. P. Morgan, "Input versus output queueing on a space-division packet switch", IEEE
// Trans. Commun. 35(12), 1987). The channels are not that switch's independent inputs with
// random destinations: they serve the same requests in the same order,
// so the pieces of one request meet at its receivers' ports, and trees from the four corners
// cross on the column links. Measured (docs/MAPPING.md, "Experts running beside other experts"):
// Mixtral's expert trees on the 8 x 8 HBM mesh wait as long on column links as at ejection
// ports, and hold the channels' injection ports 72-99% of the time. The DRAM does not see the
// back-pressure (it serves on; the NoC holds the data), so a train ends at the later of its
// route's schedule and its piece's service; a channel turning between a load's piece and a
// store's waits for its bus (ModelParams::BusTurnaroundCycles). Not modelled: the stores' trains
// (tile injection and channel ejection ports, the other direction of the links), row misses (each
// channel at the sustained rate), and a train's pipelining over its hops (it holds its whole route
// at once).
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/config/arch_config.h"

namespace pjsim {

class ChannelPortReplay {
 public:
  // The channels of `arch` and the ejection ports of `tiles` tiles, the mesh's from `first` on
  // (a tile index i here is mesh tile first + i). The trains only where a waiting train holds
  // its channel (ModelParams::HoldingTrainBytes finite: the `packet` NoC, whose ports take one
  // flit per cycle); elsewhere (`simple`: free ports, infinite buffers) the channels alone.
  ChannelPortReplay(const ArchConfig& arch, size_t tiles, std::int64_t first = 0);

  // Whether there are channels to replay (an architecture with DRAM channels and links).
  bool Enabled() const { return enabled_; }
  // Whether the trains are replayed too: only where a waiting train holds its channel
  // (ModelParams::HoldingTrainBytes finite). Elsewhere each channel serves its pieces and a
  // load is in when the last of its channels has served it (the NoC at the DRAM's pace).
  bool Trains() const { return trains_; }
  // Caps the channels' sustained rate at `bytes_per_cycle` over them all (a NoC link that
  // bounds the pass's DRAM traffic).
  void LimitDramRate(double bytes_per_cycle);

  // Bytes of the transfer [address, address + bytes) each channel serves (the interleave).
  std::vector<double> Pieces(std::uint64_t address, std::int64_t bytes) const;
  // The same into `pieces` (resized to the channels), for a caller replaying many loads.
  void Pieces(std::uint64_t address, std::int64_t bytes, std::vector<double>& pieces) const;

  // Back to an idle platform at cycle 0, keeping the calendars' storage.
  void Reset();

  // A load issued at `issue` whose channels serve `pieces` (Pieces) to `receivers` (tile
  // indices): the cycle its last train has passed its route and its receivers' ports. Loads and
  // stores must come in the order they are issued.
  double Load(double issue, const std::vector<double>& pieces,
              const std::vector<size_t>& receivers);
  // A store issued at `issue`: the cycle its channels have served it.
  double Store(double issue, const std::vector<double>& pieces);

 private:
  struct Busy {
    double from, until;
  };
  // The resources a train from channel `channel` to `receivers` holds: the links of the XY
  // routes (a multicast tree: each link once) and the receivers' ejection ports, into route_.
  void Route(size_t channel, const std::vector<size_t>& receivers);
  // When channel `channel`'s DRAM starts a piece issued at `issue`, a store's or a load's: after
  // its pieces before, and after its bus turns (ModelParams::BusTurnaroundCycles) if it served
  // the other direction last.
  double Serve(size_t channel, double issue, bool write);
  // The first cycle >= `from` at which every resource of route_ is free for `cycles` cycles.
  double FirstCommonGap(double from, double cycles) const;

  bool enabled_ = false;
  bool trains_ = false;
  double channel_bytes_per_cycle_ = 1;
  double link_bytes_ = 1;
  double interleave_ = 1;
  double holding_bytes_ = 0;     // a piece longer than this holds its channel while it waits
  std::vector<double> serving_;  // [channel]: its DRAM free from
  std::vector<char> writing_;    // [channel]: its last piece was a store's
  double turnaround_ = 0;
  std::vector<double> injection_;  // [channel]: its injection port free from (trains in order)
  // [tile]: when its ejection port is taken, then [tiles + link]: when each directed link is, in
  // order. Calendars, not free-from times: a channel's train that waited at its injection port
  // comes later than one booked after it (another channel's), which takes the gap before it, as
  // PacketSchedule's calendars do. A train holds its whole route at once (its flits pass the
  // hops a cycle or two apart, against trains of hundreds of cycles).
  std::vector<std::vector<Busy>> busy_;
  std::int64_t width_ = 1, tiles_ = 0, first_ = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> channel_at_;  // [channel]: (x, y)
  std::vector<size_t> route_;
  std::vector<char> on_route_;
};

}  // namespace pjsim
