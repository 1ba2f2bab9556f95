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
// Replayed as the tiles issue their loads (models/tile/compute_tile.cpp): a tile issues its
// next task's loads (own ones at once, a share when its last receiver does) once the loads
// before have all come and a buffer slot is free (double-buffered: the task two before has
// computed; single-buffered: the one before), each transfer cut into the channels' pieces by
// the interleave; loads issued at one time reach the channels in the order the kernel runs the
// tiles (last tile first on `simple`, ModelParams::ServedAsIssued; in tile order through the
// `jedec` model's port threads). Each channel serves its pieces whole in that order, at its share
// of the sustained rate, none sooner than an idle round trip after its issue; each bank keeps
// its open row, when its first data came and when its last transfer there ended (a piece longer
// than a row goes on to other banks, which are not followed); a piece to another row starts no
// sooner than that end plus the switch, nor than a row cycle after the row's first data. The
// delay is how much later the tiles' last compute ends than in the same replay without the
// switches: a switch that falls while its channel is idle (loads spread out by compute, or a
// tile waiting for another channel) costs nothing, one behind queued pieces delays them and
// every load after them. Queuing a step's loads at once instead over-charged a compute-bound
// prefill layer on the `simple` DRAM (Llama-3-8B's `gate` on `mesh8x8-int8-hbm`: +18%).
// The tiles' stores go through the same channels (each tile's storer writes its finished blocks
// one after another from their compute's end), and a channel that turns from a load's piece to
// a store's or back waits for its bus (ModelParams::BusTurnaroundCycles, `jedec`: tWTR and CL
// after writes, the read-to-write gap after reads); the delay counts those turns as it counts
// the switches (the replay without them serves the stores too).
#include <cstdint>
#include <functional>

#include "sim/config/arch_config.h"
#include "sim/task/layer_plan.h"

namespace pjsim {

class RowSwitchDelay {
 public:
  explicit RowSwitchDelay(const ArchConfig& arch);
  // False where the DRAM model has no row switches or bus turns to price (ModelParams::RowSwitch
  // zeros, BusTurnaroundCycles 0).
  bool Enabled() const { return enabled_; }
  // Cycles the row switches add to `plan`'s predicted time; `compute` gives a task's cycles.
  // Walks at most kMaxSteps steps; a longer plan's delay is theirs plus, for each step after,
  // the growth per step over their second half (a start's switches are paid once).
  double Cycles(const LayerPlan& plan, const std::function<double(const TileTask&)>& compute) const;

  static constexpr std::int64_t kMaxSteps = 64;

 private:
  // When the tiles' last compute of their first `steps` tasks ends, with the row switches or
  // without.
  double Finish(const LayerPlan& plan, const std::function<double(const TileTask&)>& compute,
                std::int64_t steps, bool switches) const;

  const ArchConfig& arch_;
  bool enabled_ = false;
  std::uint64_t interleave_ = 1, channels_ = 1;
  double channel_bytes_per_cycle_ = 1;
  double row_bytes_ = 1;   // a piece's run in its first bank and row, at most
  double round_trip_ = 0;  // a load's round trip on an idle system, as the estimate's
  DramRowSwitch switch_;
  double turnaround_ = 0;  // ModelParams::BusTurnaroundCycles
};

}  // namespace pjsim
