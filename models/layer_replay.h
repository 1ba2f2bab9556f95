#pragma once
// Replay of repeated layer runs: a decode pass runs every layer again, and most of them (all but
// those whose shape grows with the KV length) with the very same plan. Run alone on the platform
// from the same state, a layer does exactly what it did before, shifted in time: the platform
// is deterministic and no model reads absolute time, only differences. So the first run of a
// plan is recorded (every ledger charge in order, the run statistics, each tile's busy time, what
// each memory-system model's state was where the run touched it and what it became, and the
// run's duration), and a later run of the same plan from a matching state applies the record
// instead of simulating: the ledger gets the same additions in the same order, so its sums are
// the same to the bit, and reports are byte-identical.
//
// A state matches when every resource is free at the start (Replayable::Quiet) and every DRAM
// bank the run touches has its first access hit or miss its open row as in the record (the rest
// of the run depends only on the run itself). Only one layer runs at a time (the spread
// strategy), without power gating or a trace, and only with models that implement Replayable.
#include <cstdint>
#include <memory>
#include <vector>

#include "models/platform_context.h"
#include "models/replayable.h"

namespace pjsim {

class LayerReplay {
 public:
  // The charges of one ledger cell (layer, action) in a run. Whole-number-like counts (bits,
  // ops: multiples of a power of two, far below 2^53 of it) add up exactly in any order, so the
  // cell keeps their sum and adds it at once when the ledger's value allows it to stay exact;
  // other cells keep every charge, added again one by one.
  struct Cell {
    int layer = 0;
    ActionId action = 0;
    double sum = 0;               // exact when `charges` is empty
    double magnitude = 0;         // sum of |charge|
    int exponent = 0;             // every charge is a multiple of 2^exponent
    std::vector<double> charges;  // in order; empty when `sum` is exact
  };
  struct Record {
    std::uint64_t plan_id = 0;
    std::uint64_t duration_ps = 0;
    std::vector<std::unique_ptr<ReplayPart>> parts;  // one per component, in order
    std::vector<Cell> cells;
    RunStats stats;                      // what the run added
    std::vector<std::uint64_t> busy_ps;  // per tile of the layer's group
  };

  // `components`: every memory-system model of the platform (each must be Replayable).
  LayerReplay(PlatformContext& ctx, std::vector<Replayable*> components, size_t layers);
  ~LayerReplay() { ctx_.ledger.Tap(nullptr); }  // a run that failed while recording
  LayerReplay(const LayerReplay&) = delete;
  LayerReplay& operator=(const LayerReplay&) = delete;

  // The record of `layer` under plan `plan_id` if it can stand in for a run starting now; null
  // otherwise.
  const Record* Find(int layer, std::uint64_t plan_id, std::uint64_t now_ps) const;
  // Records the run of `layer` starting now (if the platform is quiet), replacing its record.
  void Begin(int layer, std::uint64_t plan_id, std::uint64_t now_ps);
  bool Recording(int layer) const { return recording_ == layer; }
  // The recorded run ended now; `busy_ps`: what it added to each tile's busy time.
  void End(std::uint64_t now_ps, std::vector<std::uint64_t> busy_ps);
  // Applies `record` to the ledger, statistics and models as a run starting now (the caller
  // adds the tiles' busy time and finishes the layer after `duration_ps`).
  void Apply(const Record& record, std::uint64_t now_ps);
  // The layer will not run again.
  void Forget(int layer) { records_[static_cast<size_t>(layer)].reset(); }
  std::int64_t replayed() const { return replayed_; }

 private:
  bool Quiet(std::uint64_t now_ps) const;
  // Adding `cell`'s sum to the ledger's value gives what adding its charges one by one would.
  bool Exact(const Cell& cell) const;

  PlatformContext& ctx_;
  std::vector<Replayable*> components_;
  std::vector<std::unique_ptr<Record>> records_;  // per layer: its latest
  int recording_ = -1;
  std::unique_ptr<Record> current_;
  std::vector<EnergyLedger::Entry> charges_;  // of the run being recorded (kept for its capacity)
  std::uint64_t start_ps_ = 0;
  RunStats stats_before_;
  std::int64_t replayed_ = 0;
};

}  // namespace pjsim
