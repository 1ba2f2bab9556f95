#pragma once
// How long the DRAM channels take to deliver one step of a grid's loads through a NoC whose
// waiting trains hold their source (`packet`), replayed train by train (ChannelPortReplay). The
// tiles of a layer that has the mesh to itself issue a step's loads together: each tile when its
// previous task starts computing, a shared load when its last receiver is ready, in tile order.
// Every load is striped over the channels, each channel serves the loads in that same order, so
// the C pieces of one load leave their channels at once for the same receivers and pass their
// ejection ports one after another while the other channels' next trains wait behind them
// (head-of-line blocking). That lockstep is not an input-queued switch of independent inputs
// with random destinations (M. J. Karol, M. G. Hluchyj, S. P. Morgan, IEEE Trans. Commun. 1987,
// the estimate's model until 2026-12-05), whose saturation throughput it falls below when the
// step has few destinations per channel: a 512x3584x14336 layer on the 8 x 8 HBM mesh on a
// 16 x 4 grid, four weight trees a step, was predicted 15% short with the switch.
// The replay takes the step's own loads, receivers and address interleave.
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/mapping/grid_link_loads.h"

namespace pjsim {

class ChannelPortReplay;

// One step of a round: every grid at the placement loads, in each K range, one piece of A per
// grid row (shared by its tiles, or one per tile) and one of B per grid column (likewise).
struct GridStep {
  GridLinkLoads::Round round;
  double a_bytes = 0, b_bytes = 0;  // one load of each (0: not loaded this step)
  // DRAM offsets of the loads (the walk's blocked layouts): A by grid row, K range and batch
  // group; B by K range and batch group (a grid column's blocks are adjacent, b_bytes apart).
  double a_row_stride = 0, a_range_stride = 0, a_group_stride = 0;
  double b_range_stride = 0, b_group_stride = 0;
  bool operator==(const GridStep&) const = default;
};

class StepTrains {
 public:
  explicit StepTrains(const ArchConfig& arch);
  ~StepTrains();

  // Whether a waiting train holds its channel here (a `packet` NoC, several channels); else the
  // step's time is its DRAM and link limits and Cycles is 0.
  bool Enabled() const { return enabled_; }

  // Cycles from the step's issue until its last train has reached its receivers; `first_tiles`
  // are the first tiles of the grids at the step's placement (GridLinkLoads::FirstTiles: the
  // placement's id is part of the memo's key).
  double Cycles(const GridStep& step, const std::vector<std::int64_t>& first_tiles) const;

 private:
  double Memoised(const GridStep& step, const std::vector<std::int64_t>& first_tiles) const;
  double Replay(const GridStep& step, const std::vector<std::int64_t>& first_tiles) const;

  const ArchConfig& arch_;
  bool enabled_ = false;
  double interleave_ = 1, period_ = 1;  // bytes: the DRAM interleave, and once round the channels
  double canonical_ = 1;                // bytes: loads above it are replayed at this size, scaled
  struct Hash {
    std::size_t operator()(const GridStep& s) const;
  };
  mutable std::unordered_map<GridStep, double, Hash> known_;
  // The replay's platform and buffers, reused from replay to replay.
  std::unique_ptr<ChannelPortReplay> replay_;
  struct StepLoad {
    double offset = 0, bytes = 0;
    std::vector<size_t> receivers;
  };
  mutable std::vector<StepLoad> loads_;
  mutable std::vector<double> pieces_;
};

}  // namespace pjsim
