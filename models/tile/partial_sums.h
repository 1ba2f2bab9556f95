#pragma once
// Reductions of partial sums across tiles (LayerPlan::reductions, a K split): each contributor
// sends its partial sums of an output block to the block's root over the NoC and reports when
// they arrived; the root waits until every contributor's partial sums are in. Contributors never
// wait for the root, so the root's waiting cannot deadlock.
#include <cstdint>
#include <memory>
#include <systemc>
#include <vector>

#include "sim/task/layer_plan.h"

namespace pjsim {

class PartialSums {
 public:
  explicit PartialSums(size_t layers) : layers_(layers) {}

  // Before a layer runs: its plan's reductions, the plan's tile 0 being platform tile
  // `first_tile`.
  void Begin(int layer, const std::vector<PartialSumReduction>& reductions,
             std::int64_t first_tile);
  // The reduction `index` of `layer`, and its root as a platform tile index.
  const PartialSumReduction& Get(int layer, std::int32_t index) const;
  int RootTile(int layer, std::int32_t index) const;
  // A contributor's partial sums reached the root at `arrival_ps` (absolute).
  void Arrived(int layer, std::int32_t index, std::uint64_t arrival_ps);
  // From the root's SystemC thread: returns when every contributor's partial sums are in.
  void WaitAll(int layer, std::int32_t index);

 private:
  struct Entry {
    size_t arrived = 0;
    std::uint64_t last_ps = 0;
    sc_core::sc_event complete;
  };
  struct LayerReductions {
    const std::vector<PartialSumReduction>* reductions = nullptr;
    std::int64_t first_tile = 0;
    std::vector<std::unique_ptr<Entry>> entries;  // created on first use, freed when awaited
  };
  Entry& EntryOf(int layer, std::int32_t index);
  std::vector<LayerReductions> layers_;
};

}  // namespace pjsim
