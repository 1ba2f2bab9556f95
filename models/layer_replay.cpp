#include "models/layer_replay.h"

#include <utility>

namespace pjsim {
namespace {

RunStats Difference(const RunStats& after, const RunStats& before) {
  return {after.tile_tasks - before.tile_tasks, after.waits - before.waits,
          after.transactions - before.transactions,
          after.multicast_copy_bytes - before.multicast_copy_bytes,
          after.reduction_bytes - before.reduction_bytes};
}

}  // namespace

LayerReplay::LayerReplay(PlatformContext& ctx, std::vector<Replayable*> components, size_t layers)
    : ctx_(ctx), components_(std::move(components)), records_(layers) {}

bool LayerReplay::Quiet(std::uint64_t now_ps) const {
  for (const Replayable* c : components_) {
    if (!c->Quiet(now_ps)) return false;
  }
  return true;
}

const LayerReplay::Record* LayerReplay::Find(int layer, std::uint64_t plan_id,
                                             std::uint64_t now_ps) const {
  const Record* r = records_[static_cast<size_t>(layer)].get();
  if (!r || r->plan_id != plan_id || !Quiet(now_ps)) return nullptr;
  for (size_t c = 0; c < components_.size(); ++c) {
    if (!components_[c]->Matches(*r->parts[c])) return nullptr;
  }
  return r;
}

void LayerReplay::Begin(int layer, std::uint64_t plan_id, std::uint64_t now_ps) {
  records_[static_cast<size_t>(layer)].reset();
  if (!Quiet(now_ps)) return;
  recording_ = layer;
  current_ = std::make_unique<Record>();
  current_->plan_id = plan_id;
  start_ps_ = now_ps;
  stats_before_ = ctx_.stats;
  for (Replayable* c : components_) c->BeginRecord();
  ctx_.ledger.Tap(&current_->charges);
}

void LayerReplay::End(std::uint64_t now_ps, std::vector<std::uint64_t> busy_ps) {
  ctx_.ledger.Tap(nullptr);
  for (Replayable* c : components_) current_->parts.push_back(c->EndRecord(start_ps_));
  current_->duration_ps = now_ps - start_ps_;
  current_->stats = Difference(ctx_.stats, stats_before_);
  current_->busy_ps = std::move(busy_ps);
  records_[static_cast<size_t>(recording_)] = std::move(current_);
  recording_ = -1;
}

void LayerReplay::Apply(const Record& record, std::uint64_t now_ps) {
  for (const EnergyLedger::Entry& e : record.charges) ctx_.ledger.Add(e.layer, e.action, e.count);
  for (size_t c = 0; c < components_.size(); ++c) components_[c]->Apply(*record.parts[c], now_ps);
  RunStats& s = ctx_.stats;
  s.tile_tasks += record.stats.tile_tasks;
  s.waits += record.stats.waits;
  s.transactions += record.stats.transactions;
  s.multicast_copy_bytes += record.stats.multicast_copy_bytes;
  s.reduction_bytes += record.stats.reduction_bytes;
  ++replayed_;
}

}  // namespace pjsim
