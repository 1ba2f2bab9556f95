#pragma once
// Replay of repeated layer runs. A decode pass runs every layer again, most of them (all but
// those whose shape grows with the KV length) with the very same plan; and a model's decoder
// blocks repeat one another, so within a pass (a prefill too) a layer often does what a layer
// of an earlier block did, on tensors elsewhere in DRAM. Run alone on the platform from the
// same state, such a layer does exactly what the earlier one did, shifted in time: the platform
// is deterministic and no model reads absolute time, only differences. So a simulated run is
// recorded (every ledger charge in order, the run statistics, each tile's busy time, what each
// memory-system model's state was where the run touched it and what it became, and the run's
// duration), and a later run that provably repeats it applies the record instead of simulating:
// the ledger gets the same additions in the same order, so its sums are the same to the bit, and
// reports are byte-identical.
//
// A later run repeats a record when
// - it is the same op (every field but its name and inputs) with the same plan, task by task,
//   but for where its tensors lie: each transfer at the same offset in the same tensor;
// - each tensor moved by a multiple of every model's Replayable::MoveQuantum (the same channels,
//   banks and NoC routes; DRAM rows renamed one to one), which for the same layer holds trivially;
// - the platform is in a matching state: every resource free at the start (Replayable::Quiet),
//   and every DRAM bank the run touches has its first access hit or miss its open row as in the
//   record (the rest of the run depends only on the run itself).
// Only one layer runs at a time (the spread strategy), without power gating or a trace, only
// with models that implement Replayable, and never for routed experts or spiking layers (whose
// work depends on more than their shape).
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "models/platform_context.h"
#include "models/replay_backoff.h"
#include "models/replayable.h"
#include "sim/graph/layer.h"
#include "sim/mapping/layer_mapper.h"
#include "sim/mapping/workload_planner.h"

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
    int layer = 0;  // the layer that ran
    std::uint64_t plan_id = 0;
    std::vector<DramRegion> tensors;  // where its tensors lay (Tensors order)
    bool own_charges = true;          // every charge went to `layer`
    std::uint64_t duration_ps = 0;
    std::vector<std::unique_ptr<ReplayPart>> parts;  // one per component, in order
    std::vector<Cell> cells;
    RunStats stats;                      // what the run added
    std::vector<std::uint64_t> busy_ps;  // per tile of the layer's group
  };
  // A layer run about to start: the op, its plan and where its tensors lie.
  struct Run {
    int layer = 0;
    const Layer* op = nullptr;
    const LayerPlan* plan = nullptr;
    const LayerRegions* regions = nullptr;
    std::uint64_t plan_id = 0;
  };
  // What Find found: the record that stands in for the run (null: none), and where the record's
  // addresses are in the run.
  struct Match {
    const Record* record = nullptr;
    AddressMap to;
  };

  // `components`: every memory-system model of the platform (each must be Replayable).
  // `move_quantum`: what the platform itself needs tensors to move by (its tiles split transfers
  // by channel interleave).
  // `layers`, `order` (topological) and `planner`: the workload's layers, the order they run in
  // a pass and where their tensors lie.
  LayerReplay(PlatformContext& ctx, std::vector<Replayable*> components,
              const std::vector<Layer>& layers, const std::vector<int>& order,
              const WorkloadPlanner& planner, std::uint64_t move_quantum);
  ~LayerReplay() { ctx_.ledger.Tap(nullptr); }  // a run that failed while recording
  LayerReplay(const LayerReplay&) = delete;
  LayerReplay& operator=(const LayerReplay&) = delete;

  // A pass begins: run shapes not seen in the pass before are forgotten (attention re-planned
  // every decode pass would otherwise pile up).
  void BeginPass(std::int64_t pass);
  // The record that can stand in for `run` starting now, if any.
  Match Find(const Run& run, std::uint64_t now_ps);
  // Records `run` starting now (if the platform is quiet and its ReplayBackoff allows: a run
  // not recorded keeps its layer's latest record). `again`: the same layer runs again
  // in a later pass (its record is kept for it). `sample`: a sampled decode's detailed run
  // (models/decode_sampler.h), recorded whoever repeats it and handed out by TakeSample.
  void Begin(const Run& run, bool again, std::uint64_t now_ps, bool sample = false);
  bool Recording(int layer) const { return recording_ == layer; }
  // The recorded run ended now; `busy_ps`: what it added to each tile's busy time.
  void End(std::uint64_t now_ps, std::vector<std::uint64_t> busy_ps);
  // The record of the last run begun with `sample` and ended (null: it was not recorded, the
  // platform was busy when it began); taking it clears it.
  std::shared_ptr<const Record> TakeSample() { return std::move(sample_); }
  // Applies `match` to the ledger (charging `layer`), statistics and models as a run starting
  // now (the caller adds the tiles' busy time and finishes the layer after `duration_ps`).
  void Apply(const Match& match, int layer, std::uint64_t now_ps);
  // The layer will not run again.
  void Forget(int layer) { own_[static_cast<size_t>(layer)].reset(); }
  std::int64_t replayed() const { return replayed_; }
  // Runs not recorded because their layer's (or shape's) records kept failing to match.
  std::int64_t skipped() const { return skipped_; }
  // Runs found to be of a shape by the walk their plan came from (MovedWalk), not compared.
  std::int64_t shapes_by_walk() const { return shapes_by_walk_; }

 private:
  // A tensor placement's records: the latest, and the one before it of another layer. Layers of
  // one op may start from states that differ by the runs before them, every block alike (a
  // decoder block's gate and up projections: what the norm and what the gate projection leave
  // in the banks); with one record they replaced each other's at every failed lookup and never
  // matched (docs/DRAM.md, "Replay of layer runs").
  struct Slot {
    std::shared_ptr<const Record> latest, earlier;
  };
  // Runs of one op and plan, up to where their tensors lie: the first run's op and plan, and
  // the latest records per tensor placement (bases modulo the move quantum).
  struct Shape {
    Layer op;
    LayerPlan plan;         // its tasks held, not streamed, while held_tasks_ stays in its budget
    std::int64_t held = 0;  // tasks of `plan` held
    std::vector<DramRegion> tensors;
    std::int64_t last_pass = 0;
    std::map<std::vector<std::uint64_t>, Slot> records;
    // Every transfer of `plan` lies in the tensor of its role (input, second input, operand B,
    // output; ShapeOf): -1 not yet known.
    int role_placed = -1;
    ReplayBackoff backoff;  // its records' lookups by other layers (runs recorded without `again`)
  };

  bool Quiet(std::uint64_t now_ps) const;
  // The record can stand in for a run of `layer` from the present state, moved by `to`.
  bool Usable(const Record& record, int layer, const AddressMap& to) const;
  // Adding `cell`'s sum to `layer`'s value gives what adding its charges one by one would.
  bool Exact(const Cell& cell, int layer) const;
  // The shape `run` belongs to, null if none yet.
  Shape* ShapeOf(const Run& run) const;
  // `plan` (on `tensors`) is `shape`'s plan moved, known without comparing them task by task.
  bool MovedWalk(Shape& shape, const LayerPlan& plan, const std::vector<DramRegion>& tensors) const;
  std::vector<std::uint64_t> Placement(const std::vector<DramRegion>& tensors) const;

  // Which layers have a partner: another layer of the same op whose tensors lie alike (modulo
  // the move quantum), running before it or after it in a pass. A run can repeat only a
  // partner's (or its own layer's) and be repeated only by one: other runs are neither looked
  // up nor recorded.
  void FindPartners(const std::vector<Layer>& layers, const std::vector<int>& order,
                    const WorkloadPlanner& planner);

  PlatformContext& ctx_;
  std::vector<Replayable*> components_;
  std::uint64_t quantum_ = 0;                         // 0: tensors may not move
  std::vector<bool> partner_before_, partner_after_;  // per layer
  std::int64_t pass_ = 0;
  std::vector<std::unique_ptr<Shape>> shapes_;
  // Tasks the shapes' plans hold: a run compared with a shape walks its own plan and reads the
  // shape's from memory, instead of walking both. Bounded, as a streamed plan's memory is.
  std::int64_t held_tasks_ = 0;
  static constexpr std::int64_t kHeldTaskBudget = std::int64_t{1} << 17;
  std::vector<std::shared_ptr<const Record>> own_;  // per layer: its latest, while it runs again
  std::vector<ReplayBackoff> backoff_;              // per layer: its own records' lookups
  std::int64_t skipped_ = 0;                        // runs not recorded by a backoff
  int recording_ = -1;
  bool again_ = false;
  bool sample_wanted_ = false;
  std::shared_ptr<const Record> sample_;
  Shape* shape_ = nullptr;  // of the run being recorded (null: recorded only as a sample)
  struct Lookup {
    int layer = -1;  // -1: none
    Shape* shape = nullptr;
  };
  Lookup lookup_;  // Find's last shape lookup
  std::unique_ptr<Record> current_;
  std::vector<EnergyLedger::Entry> charges_;  // of the run being recorded (kept for its capacity)
  std::uint64_t start_ps_ = 0;
  RunStats stats_before_;
  std::int64_t replayed_ = 0;
  mutable std::int64_t shapes_by_walk_ = 0;
};

}  // namespace pjsim
