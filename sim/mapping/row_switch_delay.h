#pragma once
// The time a layer loses to DRAM row switches that come from where its tensors lie, which the
// cost model's sustained rate (one stream) does not have. Tensors are placed one after another
// (dram_allocator.h), so a layer's input and its weights may sit in the same bank of a channel in
// different rows; the tiles' loads of a step reach the channel interleaved (a tile's input piece,
// then its weights, then the next tile's), and the channel, serving each transaction whole in
// arrival order, precharges and activates the bank at every alternation, after the previous
// transaction's reads (ModelParams::RowSwitch). Traced on Mixtral-8x7B's decode router
// (1 x 4096 x 8, a K split over the 16 tiles of `default-jedec-packet`, 128 B input and 1 KB
// weight pieces): where the input and the weights share a bank the run made 41 activations a
// pass against 4 and took 48% longer; where they do not, the prediction was within 10%.
//
// Replayed per channel, step by step (a step: every tile's loads of its next task, in tile
// order, each transfer cut into the channels' pieces by the interleave): each bank keeps its
// open row, when its first data came and when its last transfer there ended (a piece longer
// than a row goes on to other banks, which are not followed); a piece to another row
// starts no sooner than that end plus the switch, nor than a row cycle after the row's first
// data, and the channel's pieces follow one another at its share of the
// sustained rate. A channel's delay in a step is how much later it finishes than without the
// switches, less the compute that hides it (the step's longest task beyond its loads' round trip
// and transfer time). Double-buffered tiles queue a task's loads while the task before it is
// loaded, so each channel serves its own queue from step to step and the layer waits for the
// channel whose delays add up to most; summing each step's busiest channel instead over-charged
// OLMoE's decode routers on the 8x8 HBM2E meshes (two steps, their switches on one channel in
// the first and another in the second: predicted 128 cycles a pass where the busiest simulated
// channel lost 69). Single-buffered tiles wait for every channel before they load again: there
// the busiest channel's delay holds every channel back.
#include <cstdint>
#include <functional>

#include "sim/config/arch_config.h"
#include "sim/task/layer_plan.h"

namespace pjsim {

class RowSwitchDelay {
 public:
  explicit RowSwitchDelay(const ArchConfig& arch);
  // False where the DRAM model has no row switches to price (ModelParams::RowSwitch zeros).
  bool Enabled() const { return enabled_; }
  // Cycles the row switches add to `plan`'s predicted time; `compute` gives a task's cycles.
  // Walks at most kMaxSteps steps and scales their delay to the plan's.
  double Cycles(const LayerPlan& plan, const std::function<double(const TileTask&)>& compute) const;

  static constexpr std::int64_t kMaxSteps = 64;

 private:
  const ArchConfig& arch_;
  bool enabled_ = false;
  std::uint64_t interleave_ = 1, channels_ = 1;
  double channel_bytes_per_cycle_ = 1;
  double row_bytes_ = 1;   // a piece's run in its first bank and row, at most
  double round_trip_ = 0;  // a load's round trip on an idle system, as the estimate's
  DramRowSwitch switch_;
};

}  // namespace pjsim
