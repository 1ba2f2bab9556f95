#pragma once
// How fast the DRAM channels can push a step's loads into a wormhole NoC whose buffers are
// shallower than the trains. Every tile's load is striped over the channels and each channel
// sends its piece as one train, whole, in the order the requests reached it; the tiles of a step
// issue together, so the channels serve the same few tiles at once. A train whose destination's
// ejection port (or tree) is taken by another channel's train waits; filling the buffers on its
// way, it holds its channel's injection port and first links: the channel's next train, to a
// free tile, waits behind it (head-of-line blocking). The channels are then the
// inputs of an input-queued switch with first-in first-out queues and the destinations its
// outputs: M. J. Karol, M. G. Hluchyj and S. P. Morgan, "Input versus output queueing on a
// space-division packet switch", IEEE Trans. Commun. 35(12), 1987, whose saturation throughput
// per input for N inputs and N outputs is 0.75 (N = 2), 0.655 (4), 0.618 (8), 2 - sqrt 2 (large
// N). With C channels serving one train each at a time, at most min(C, trains) destinations are
// in play at once. A piece of fewer packets than the routers have virtual channels leaves them
// free and holds nothing (PacketSchedule's rule); on a NoC without back-pressure (`simple`)
// nothing waiting holds its source: no limit here. Not modelled: deeper buffers shorten a hold
// (a waiting train parks more of itself), so this is the limit of buffers shallower than a
// piece, which the shipped architectures have (2 x 8 flits against pieces of kilobytes).
#include <vector>

#include "sim/config/arch_config.h"

namespace pjsim {

// Saturation throughput per input of an input-queued switch of `inputs` first-in first-out
// queues and `outputs` outputs, each head cell addressed uniformly at random and each output
// serving one head cell per slot (Karol et al. 1987), measured on the switch itself: 20,000 slots
// from a fixed seed (deterministic; within 0.01 of the paper's values).
double HolSaturationThroughput(int inputs, int outputs);

class ChannelInjection {
 public:
  explicit ChannelInjection(const ArchConfig& arch);

  // Cycles per byte, over all channels together, at which the channels push a step's loads into
  // the NoC when `trains` distinct destinations (tiles, or multicast trees) receive
  // `train_bytes` each: 0 where their injection does not limit (one channel, a NoC whose waiting
  // trains hold nothing, pieces too short to hold their channel).
  double CyclesPerByte(double trains, double train_bytes) const;

 private:
  double channels_ = 1;
  double link_bytes_ = 1;
  double interleave_ = 1;
  double holding_bytes_ = 0;        // a piece longer than this holds its channel while it waits
  std::vector<double> throughput_;  // [M - 1]: HolSaturationThroughput(channels, M)
};

}  // namespace pjsim
