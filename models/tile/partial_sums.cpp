#include "models/tile/partial_sums.h"

#include <algorithm>

#include "models/platform_context.h"

namespace pjsim {

void PartialSums::Begin(int layer, const std::vector<PartialSumReduction>& reductions,
                        std::int64_t first_tile) {
  LayerReductions& l = layers_.at(static_cast<size_t>(layer));
  l.reductions = &reductions;
  l.first_tile = first_tile;
  l.entries.clear();
  l.entries.resize(reductions.size());
}

const PartialSumReduction& PartialSums::Get(int layer, std::int32_t index) const {
  return layers_.at(static_cast<size_t>(layer)).reductions->at(static_cast<size_t>(index));
}

int PartialSums::RootTile(int layer, std::int32_t index) const {
  return static_cast<int>(layers_.at(static_cast<size_t>(layer)).first_tile) +
         Get(layer, index).root;
}

PartialSums::Entry& PartialSums::EntryOf(int layer, std::int32_t index) {
  auto& slot = layers_.at(static_cast<size_t>(layer)).entries.at(static_cast<size_t>(index));
  if (!slot) slot = std::make_unique<Entry>();
  return *slot;
}

void PartialSums::Arrived(int layer, std::int32_t index, std::uint64_t arrival_ps) {
  Entry& e = EntryOf(layer, index);
  e.last_ps = std::max(e.last_ps, arrival_ps);
  if (++e.arrived == Get(layer, index).contributors.size()) e.complete.notify();
}

void PartialSums::WaitAll(int layer, std::int32_t index) {
  Entry& e = EntryOf(layer, index);
  if (e.arrived < Get(layer, index).contributors.size()) sc_core::wait(e.complete);
  const std::uint64_t last = e.last_ps;
  layers_.at(static_cast<size_t>(layer)).entries.at(static_cast<size_t>(index)).reset();
  if (last > Now()) sc_core::wait(sc_core::sc_time::from_value(last - Now()));
}

}  // namespace pjsim
