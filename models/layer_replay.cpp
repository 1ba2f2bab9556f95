#include "models/layer_replay.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "models/replay_cells.h"

namespace pjsim {
namespace {

// Every field of these is compared below (SameTask, SamePlan; a Layer's in SameWork): a field
// added to one must be compared there too, or runs that differ in it would be taken for repeats.
static_assert(sizeof(TileTask) == 192, "compare the new TileTask field in SameTask");
static_assert(sizeof(PartialSumReduction) == 48, "compare the new field in SamePlan");

// The byte counts are whole numbers far below 2^53: their differences, added again, are exact.
RunStats Difference(const RunStats& after, const RunStats& before) {
  return {after.tile_tasks - before.tile_tasks,
          after.waits - before.waits,
          after.transactions - before.transactions,
          after.multicast_copy_bytes - before.multicast_copy_bytes,
          after.reduction_bytes - before.reduction_bytes,
          after.gather_overfetch_bytes - before.gather_overfetch_bytes};
}

// A layer's tensors: its inputs, operand B, its output.
std::vector<DramRegion> Tensors(const LayerRegions& r) {
  std::vector<DramRegion> t = r.inputs;
  t.push_back(r.operand_b);
  t.push_back(r.output);
  return t;
}

// Where a transfer lies: the first tensor that holds it whole and its offset there, or -1 and
// its address.
std::pair<int, std::uint64_t> Place(const Transfer& t, const std::vector<DramRegion>& tensors) {
  const auto bytes = static_cast<std::uint64_t>(t.bytes);
  for (size_t i = 0; i < tensors.size(); ++i) {
    const DramRegion& r = tensors[i];
    if (r.bytes > 0 && t.address >= r.base && t.address - r.base <= r.bytes &&
        bytes <= r.bytes - (t.address - r.base))
      return {static_cast<int>(i), t.address - r.base};
  }
  return {-1, t.address};
}

bool SameTransfer(const Transfer& a, const std::vector<DramRegion>& ta, const Transfer& b,
                  const std::vector<DramRegion>& tb) {
  return a.bytes == b.bytes && a.share == b.share && Place(a, ta) == Place(b, tb);
}

// The same work at the same offsets in the same tensors (the layer index aside).
bool SameTask(const TileTask& a, const std::vector<DramRegion>& ta, const TileTask& b,
              const std::vector<DramRegion>& tb) {
  if (a.kind != b.kind || a.gemm.m != b.gemm.m || a.gemm.k != b.gemm.k || a.gemm.n != b.gemm.n ||
      a.elements != b.elements || a.first_k != b.first_k || a.last_k != b.last_k ||
      a.reduction != b.reduction || a.input_spikes != b.input_spikes ||
      a.output_spikes != b.output_spikes || a.weight_row_reads != b.weight_row_reads ||
      a.accumulate_in_array != b.accumulate_in_array || a.single_buffered != b.single_buffered ||
      !SameTransfer(a.input, ta, b.input, tb) ||
      !SameTransfer(a.second_input, ta, b.second_input, tb) ||
      !SameTransfer(a.weights, ta, b.weights, tb) || !SameTransfer(a.store, ta, b.store, tb) ||
      a.weight_gather.size() != b.weight_gather.size())
    return false;
  for (size_t i = 0; i < a.weight_gather.size(); ++i) {
    if (!SameTransfer(a.weight_gather[i], ta, b.weight_gather[i], tb)) return false;
  }
  return true;
}

bool SamePlan(const LayerPlan& a, const std::vector<DramRegion>& ta, const LayerPlan& b,
              const std::vector<DramRegion>& tb) {
  if (a.per_tile.size() != b.per_tile.size()) return false;
  for (size_t t = 0; t < a.per_tile.size(); ++t) {
    if (a.per_tile[t].size() != b.per_tile[t].size()) return false;
  }
  if (a.shares != b.shares || a.reductions.size() != b.reductions.size()) return false;
  for (size_t i = 0; i < a.reductions.size(); ++i) {
    const PartialSumReduction &x = a.reductions[i], &y = b.reductions[i];
    if (x.root != y.root || x.contributors != y.contributors || x.elements != y.elements ||
        x.partial_bytes != y.partial_bytes)
      return false;
  }
  // Task by task, last: a streamed queue is walked to compare it (its own cursor, no window).
  for (size_t t = 0; t < a.per_tile.size(); ++t) {
    const auto &qa = a.per_tile[t], &qb = b.per_tile[t];
    auto ia = qa.begin(), ib = qb.begin();
    for (size_t i = 0; i < qa.size(); ++i, ++ia, ++ib) {
      if (!SameTask(*ia, ta, *ib, tb)) return false;
    }
  }
  return true;
}

// No two of the tensors share a byte (empty ones aside).
bool Disjoint(const std::vector<DramRegion>& tensors) {
  for (size_t i = 0; i < tensors.size(); ++i) {
    for (size_t j = i + 1; j < tensors.size(); ++j) {
      const DramRegion &a = tensors[i], &b = tensors[j];
      if (a.bytes > 0 && b.bytes > 0 && a.base < b.base + b.bytes && b.base < a.base + a.bytes)
        return false;
    }
  }
  return true;
}

// Every transfer of `plan` is empty ({0, 0}) or lies whole in the tensor of its role (Tensors
// order: the input first, the second input, operand B for weights and gathered rows, the output
// for the store), the first of `tensors` to hold it: where MovedPlan moves it.
bool RolePlaced(const LayerPlan& plan, const std::vector<DramRegion>& tensors) {
  const int inputs = static_cast<int>(tensors.size()) - 2;
  const auto placed = [&](const Transfer& t, int role) {
    if (t.address == 0 && t.bytes == 0) return true;
    if (t.bytes == 0 || role < 0) return false;
    const auto [tensor, offset] = Place(t, tensors);
    return tensor == role;
  };
  for (const TaskQueue& q : plan.per_tile) {
    for (const TileTask& t : q) {
      if (!placed(t.input, inputs > 0 ? 0 : -1) || !placed(t.second_input, inputs > 1 ? 1 : -1) ||
          !placed(t.weights, inputs) || !placed(t.store, inputs + 1))
        return false;
      for (const Transfer& g : t.weight_gather) {
        if (!placed(g, inputs)) return false;
      }
    }
  }
  return true;
}

// The same op but for its name, inputs, ordering and where it was written: the tiles compute,
// time and charge it alike (the planner's SameWork). Routed experts and spiking layers never
// compare equal.
bool SameOp(const Layer& a, const Layer& b) { return SameWork(a, b); }

}  // namespace

LayerReplay::LayerReplay(PlatformContext& ctx, std::vector<Replayable*> components,
                         const std::vector<Layer>& layers, const std::vector<int>& order,
                         const WorkloadPlanner& planner, std::uint64_t move_quantum)
    : ctx_(ctx),
      components_(std::move(components)),
      quantum_(move_quantum),
      own_(layers.size()),
      backoff_(layers.size()) {
  for (const Replayable* c : components_) {
    const std::uint64_t q = c->MoveQuantum();
    quantum_ = q == 0 || quantum_ == 0 ? 0 : std::lcm(quantum_, q);
  }
  FindPartners(layers, order, planner);
}

void LayerReplay::FindPartners(const std::vector<Layer>& layers, const std::vector<int>& order,
                               const WorkloadPlanner& planner) {
  partner_before_.assign(layers.size(), false);
  partner_after_.assign(layers.size(), false);
  // Layers of one shape and placement, in running order; SameOp decides within.
  std::map<std::pair<std::vector<std::int64_t>, std::vector<std::uint64_t>>, std::vector<int>>
      alike;
  for (int l : order) {
    const Layer& op = layers[static_cast<size_t>(l)];
    if (op.expert.enabled() || op.spiking.enabled()) continue;
    std::vector<std::int64_t> shape{static_cast<std::int64_t>(op.kind), op.batch, op.m, op.k, op.n};
    alike[{std::move(shape), Placement(Tensors(planner.RegionsOf(l)))}].push_back(l);
  }
  for (const auto& [key, group] : alike) {
    for (size_t i = 0; i < group.size(); ++i) {
      for (size_t j = i + 1; j < group.size(); ++j) {
        const auto a = static_cast<size_t>(group[i]), b = static_cast<size_t>(group[j]);
        if (!SameOp(layers[a], layers[b])) continue;
        partner_after_[a] = true;
        partner_before_[b] = true;
      }
    }
  }
}

void LayerReplay::BeginPass(std::int64_t pass) {
  pass_ = pass;
  std::erase_if(shapes_, [&](const auto& s) {
    const bool forget = s->last_pass + 1 < pass;
    if (forget) held_tasks_ -= s->held;
    return forget;
  });
}

bool LayerReplay::Quiet(std::uint64_t now_ps) const {
  for (const Replayable* c : components_) {
    if (!c->Quiet(now_ps)) return false;
  }
  return true;
}

std::vector<std::uint64_t> LayerReplay::Placement(const std::vector<DramRegion>& tensors) const {
  std::vector<std::uint64_t> key;
  for (const DramRegion& t : tensors) key.push_back(quantum_ ? t.base % quantum_ : t.base);
  return key;
}

LayerReplay::Shape* LayerReplay::ShapeOf(const Run& run) const {
  const std::vector<DramRegion> tensors = Tensors(*run.regions);
  for (const auto& s : shapes_) {
    if (!SameOp(s->op, *run.op)) continue;
    if (MovedWalk(*s, *run.plan, tensors)) {
      ++shapes_by_walk_;
      return s.get();
    }
    if (SamePlan(s->plan, s->tensors, *run.plan, tensors)) return s.get();
  }
  return nullptr;
}

bool LayerReplay::MovedWalk(Shape& shape, const LayerPlan& plan,
                            const std::vector<DramRegion>& tensors) const {
  // Plans of one walk (LayerPlan::work) make the same tasks, each transfer at the same offset
  // in the tensor of its role, on tensors of the same sizes. Where the shape's transfers each
  // lie in their role's tensor and the run's tensors share no byte, each of the run's lies in
  // its role's tensor too and in no other: SamePlan would find every transfer at the same place.
  if (shape.plan.work == 0 || shape.plan.work != plan.work || !Disjoint(tensors)) return false;
  if (shape.role_placed < 0) shape.role_placed = RolePlaced(shape.plan, shape.tensors) ? 1 : 0;
  return shape.role_placed == 1;
}

bool LayerReplay::Usable(const Record& record, int layer, const AddressMap& to) const {
  if (!record.own_charges && record.layer != layer) return false;
  for (size_t c = 0; c < components_.size(); ++c) {
    if (!components_[c]->Matches(*record.parts[c], to)) return false;
  }
  for (const Cell& c : record.cells) {
    if (!Exact(c, c.layer == record.layer ? layer : c.layer)) return false;
  }
  return true;
}

LayerReplay::Match LayerReplay::Find(const Run& run, std::uint64_t now_ps) {
  Match m;
  lookup_.layer = -1;
  if (run.op->expert.enabled() || run.op->spiking.enabled() || !Quiet(now_ps)) return m;
  // The same layer under the same plan: nothing moved.
  if (const Record* r = own_[static_cast<size_t>(run.layer)].get();
      r && r->plan_id == run.plan_id) {
    if (Usable(*r, run.layer, m.to)) {
      m.record = r;
      return m;
    }
    backoff_[static_cast<size_t>(run.layer)].Failed();
  }
  if (!partner_before_[static_cast<size_t>(run.layer)]) return m;
  Shape* shape = ShapeOf(run);
  lookup_ = {run.layer, shape};  // for Begin, if the run is simulated
  if (!shape) return m;
  shape->last_pass = pass_;
  const std::vector<DramRegion> tensors = Tensors(*run.regions);
  auto it = shape->records.find(Placement(tensors));
  if (it == shape->records.end()) return m;
  for (const Record* r : {it->second.latest.get(), it->second.earlier.get()}) {
    if (!r) continue;
    AddressMap to;
    for (size_t i = 0; i < tensors.size(); ++i)
      to.Move(r->tensors[i].base, r->tensors[i].bytes, tensors[i].base);
    if (Usable(*r, run.layer, to)) {
      m.record = r;
      m.to = std::move(to);
      return m;
    }
  }
  shape->backoff.Failed();
  return m;
}

bool LayerReplay::Exact(const Cell& cell, int layer) const {
  if (!cell.charges.empty() || cell.magnitude == 0) return true;  // one by one, or nothing
  return SumAddsExactly(cell, ctx_.ledger.Count(layer, cell.action));
}

void LayerReplay::Begin(const Run& run, bool again, std::uint64_t now_ps, bool sample) {
  sample_.reset();
  const auto l = static_cast<size_t>(run.layer);
  if (run.op->expert.enabled() || run.op->spiking.enabled() || !Quiet(now_ps)) {
    own_[l].reset();
    return;
  }
  const bool repeated = again || partner_after_[l];
  if (!repeated && !sample) {  // nobody repeats it
    own_[l].reset();
    return;
  }
  shape_ = !repeated ? nullptr : lookup_.layer == run.layer ? lookup_.shape : ShapeOf(run);
  lookup_.layer = -1;
  // A sample is always recorded (the sampler needs it); others as the backoff allows.
  ReplayBackoff& backoff = again || !shape_ ? backoff_[l] : shape_->backoff;
  if (!sample && !backoff.Record()) {
    if (!again) own_[l].reset();
    if (shape_) shape_->last_pass = pass_;
    shape_ = nullptr;
    ++skipped_;
    return;
  }
  own_[l].reset();
  if (repeated && !shape_) {
    auto s = std::make_unique<Shape>();
    s->op = *run.op;
    s->plan = *run.plan;
    std::int64_t streamed = 0;
    for (const TaskQueue& q : s->plan.per_tile)
      streamed += q.streamed() ? static_cast<std::int64_t>(q.size()) : 0;
    if (held_tasks_ + streamed <= kHeldTaskBudget) {
      for (TaskQueue& q : s->plan.per_tile) q.Tasks();  // walked once, read from memory after
      s->held = streamed;
      held_tasks_ += streamed;
    }
    s->tensors = Tensors(*run.regions);
    shapes_.push_back(std::move(s));
    shape_ = shapes_.back().get();
  }
  if (shape_) shape_->last_pass = pass_;
  recording_ = run.layer;
  again_ = again;
  sample_wanted_ = sample;
  current_ = std::make_unique<Record>();
  current_->layer = run.layer;
  current_->plan_id = run.plan_id;
  current_->tensors = Tensors(*run.regions);
  start_ps_ = now_ps;
  stats_before_ = ctx_.stats;
  for (Replayable* c : components_) c->BeginRecord();
  charges_.clear();
  ctx_.ledger.Tap(&charges_);
}

void LayerReplay::End(std::uint64_t now_ps, std::vector<std::uint64_t> busy_ps) {
  ctx_.ledger.Tap(nullptr);
  for (Replayable* c : components_) current_->parts.push_back(c->EndRecord(start_ps_));
  current_->duration_ps = now_ps - start_ps_;
  current_->stats = Difference(ctx_.stats, stats_before_);
  current_->busy_ps = std::move(busy_ps);
  current_->own_charges =
      std::all_of(charges_.begin(), charges_.end(),
                  [&](const EnergyLedger::Entry& e) { return e.layer == recording_; });
  current_->cells = ReplayCells(charges_, recording_, ctx_.ledger.actions().size());
  std::shared_ptr<const Record> record = std::move(current_);
  if (sample_wanted_) sample_ = record;
  if (shape_) {
    Slot& slot = shape_->records[Placement(record->tensors)];
    if (slot.latest && slot.latest->layer != record->layer) slot.earlier = std::move(slot.latest);
    slot.latest = record;
  }
  if (again_) own_[static_cast<size_t>(recording_)] = std::move(record);
  recording_ = -1;
  shape_ = nullptr;
}

void LayerReplay::Apply(const Match& match, int layer, std::uint64_t now_ps) {
  const Record& record = *match.record;
  for (const Cell& c : record.cells) {
    const int to = c.layer == record.layer ? layer : c.layer;
    if (c.charges.empty()) {
      if (c.sum != 0) ctx_.ledger.Add(to, c.action, c.sum);
    } else {
      for (double x : c.charges) ctx_.ledger.Add(to, c.action, x);
    }
  }
  for (size_t c = 0; c < components_.size(); ++c)
    components_[c]->Apply(*record.parts[c], now_ps, match.to);
  RunStats& s = ctx_.stats;
  s.tile_tasks += record.stats.tile_tasks;
  s.waits += record.stats.waits;
  s.transactions += record.stats.transactions;
  s.multicast_copy_bytes += record.stats.multicast_copy_bytes;
  s.reduction_bytes += record.stats.reduction_bytes;
  s.gather_overfetch_bytes += record.stats.gather_overfetch_bytes;
  // The record paid off: its layer's (and, found by shape, the shape's) recording goes on.
  backoff_[static_cast<size_t>(record.layer)].Used();
  if (lookup_.layer == layer && lookup_.shape) lookup_.shape->backoff.Used();
  ++replayed_;
}

}  // namespace pjsim
