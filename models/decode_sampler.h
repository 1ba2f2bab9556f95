#pragma once
// Sampled decode (workload key `decode_sampling: S`, opt-in). A decode pass replays every layer
// whose plan repeats (models/layer_replay.h, exact) but must simulate the layers re-planned
// every pass as the KV cache grows (attention): they are most of a long decode's cost. Their
// cost grows smoothly with the KV length, so, in the manner of SMARTS (Wunderlich et al., ISCA
// 2003: detailed simulation of samples, the rest fast-forwarded, with a measured error), each
// such layer is simulated in detail in passes 0 and 1, every S-th pass and the last one, and
// in the passes between its run is extrapolated along the line through the first and the latest
// detailed run of its present tiling: duration, each tile's busy time, every ledger cell, the
// run statistics and the memory-system models' counts (their state is the latest detailed
// run's). A run whose tiling is of another kind than its line's (grid, tiles, loop order,
// resident operand, which blocks span their whole dimension; block sizes may follow the KV
// length) is simulated and starts a new line.
//
// The error is measured, not assumed: every detailed run after the first two of a line is
// first predicted from the line, and the relative error of that prediction (duration and
// energy) is a check. A run is never extrapolated farther than S passes from its line's last
// sample, which is the distance every check covers, so each layer's largest check error
// bounds its extrapolated runs' error; the sum over extrapolated runs of (run x its layer's
// largest check error) is the reported bound on the whole run's error. Layers that had
// extrapolated runs but no check take the largest check error of any layer.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/layer_replay.h"
#include "models/platform_context.h"
#include "models/replayable.h"
#include "sim/graph/layer.h"
#include "sim/report/simulation_result.h"
#include "sim/task/layer_plan.h"

namespace pjsim {

class DecodeSampler {
 public:
  // `interval`: S >= 2; `passes`: the decode's passes; `layers`: the workload's layer count;
  // `components`: the platform's memory-system models (each Replayable).
  DecodeSampler(PlatformContext& ctx, std::vector<Replayable*> components, std::int64_t interval,
                std::int64_t passes, size_t layers);

  // In `pass`, the layers re-planned every pass are simulated in detail.
  bool DetailedPass(std::int64_t pass) const;
  // A run of `layer` (the op `op` in this pass) under `tiling` can be extrapolated now: two
  // detailed runs of a tiling of the same kind are recorded and the platform is quiet.
  bool CanExtrapolate(int layer, const Tiling& tiling, const Layer& op, std::uint64_t now_ps) const;

  struct Run {
    std::uint64_t duration_ps = 0;
    std::vector<std::uint64_t> busy_ps;  // per tile of the layer's group
  };
  // Applies the extrapolated run of `layer` in `pass` to the ledger, statistics and models, as
  // a run starting now with `tasks` tile tasks; the caller adds the busy times and finishes the
  // layer after `duration_ps`.
  Run Apply(int layer, std::int64_t pass, std::int64_t tasks, std::uint64_t now_ps);
  // The record of a detailed run of `layer` in `pass` under `tiling` (null: not recorded, the
  // platform was busy): checked against the line's prediction, then kept as the line's latest.
  void Add(int layer, std::int64_t pass, const Tiling& tiling, const Layer& op,
           std::shared_ptr<const LayerReplay::Record> record);

  DecodeSamplingResult Result() const;

 private:
  // What makes detailed runs of a layer one line: the tiling's grid and tiles, loop order and
  // resident operand, and which blocks cover their whole dimension (sizes may differ).
  struct LineKey {
    std::array<bool, 3> whole{};
    std::array<std::int64_t, 4> grid{};
    std::string structure;
    bool operator==(const LineKey&) const = default;
  };
  static LineKey KeyOf(const Tiling& tiling, const Layer& op);
  // The detailed runs of one layer on one line: the first and the latest.
  struct Line {
    LineKey key;
    std::int64_t first_pass = 0, last_pass = 0;
    std::shared_ptr<const LayerReplay::Record> first, last;
  };
  struct LayerState {
    Line line;
    bool has_line = false;
    double max_error_time = 0, max_error_energy = 0;
    std::int64_t checks = 0;
    double extrapolated_ps = 0, extrapolated_pj = 0;  // what its extrapolated runs added
  };
  // The line's extrapolation parameter for `pass`: b + t (b - a) is its value there.
  static double Parameter(const Line& line, std::int64_t pass);
  double EnergyPj(const LayerReplay::Record& record) const;
  bool Quiet(std::uint64_t now_ps) const;

  PlatformContext& ctx_;
  std::vector<Replayable*> components_;
  std::int64_t interval_ = 0, passes_ = 0;
  std::vector<LayerState> layers_;
  std::int64_t detailed_runs_ = 0, extrapolated_runs_ = 0;
};

}  // namespace pjsim
