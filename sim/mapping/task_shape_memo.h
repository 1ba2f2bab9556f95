#pragma once
// A value per tile-task shape (its M, K, N and place in its K walk), memoised while one layer's
// mappings are ranked: every candidate's estimate looks up a few tasks, and the mappings share
// most of them (a search sees a few thousand shapes and looks them up ten times as often). Open
// addressing over a power-of-two table of keys and values: a lookup is a hash and a compare or
// two, where std::unordered_map's prime-modulo buckets and chains were
// 2.6% of a Mixtral prefill (one search per routed expert), and the table stays small enough
// that growing it costs little.
#include <cstdint>
#include <vector>

#include "sim/task/tile_task.h"

namespace pjsim {

class TaskShapeMemo {
 public:
  TaskShapeMemo() : slots_(64) {}

  // The value of `task`'s shape, computed by `compute(task)` the first time it is asked for.
  // Inlined where the estimate asks (a search makes millions of look-ups: a call's prologue and
  // epilogue cost a fifth of one), the rare miss out of line; the table stays at most half full,
  // so a probe ends.
  template <class Compute>
  [[gnu::always_inline]] double Get(const TileTask& task, Compute&& compute) {
    const Key key{
        task.gemm.m, task.gemm.k, task.gemm.n,
        (task.first_k ? 1 : 0) | (task.last_k ? 2 : 0) | (task.accumulate_in_array ? 4 : 0)};
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.value;
      if (s.key.ends < 0) return Miss(key, task, compute);
    }
  }

 private:
  struct Key {
    std::int64_t m = 0, k = 0, n = 0;
    int ends = -1;  // 1: first K chunk, 2: last, 4: accumulates in the array; -1: an empty slot
    bool operator==(const Key&) const = default;
  };
  // Keys and values in the table itself: a hit reads one slot.
  struct Slot {
    Key key;
    double value = 0;
  };

  static std::size_t Hash(const Key& t) {
    std::uint64_t h = static_cast<std::uint64_t>(t.m) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ static_cast<std::uint64_t>(t.k)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ static_cast<std::uint64_t>(t.n)) * 0x94D049BB133111EBULL;
    // Shapes are multiples of the array's size: fold the high bits into the low ones indexed.
    h = (h ^ static_cast<std::uint64_t>(t.ends)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
  // A new shape: its value computed and kept, the table doubled first if it would be over half
  // full.
  template <class Compute>
  [[gnu::noinline]] double Miss(const Key& key, const TileTask& task, Compute& compute) {
    const double value = compute(task);
    if (2 * (used_ + 1) > slots_.size()) Grow();
    Place({key, value});
    ++used_;
    return value;
  }
  void Place(const Slot& slot) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = Hash(slot.key) & mask;
    while (slots_[i].key.ends >= 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
  // Doubles the table and places the entries again.
  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.key.ends >= 0) Place(s);
    }
  }

  std::vector<Slot> slots_;  // a power of two of them
  std::size_t used_ = 0;
};

// A task value by shape for the mapping estimate: `compute(layer, task)` memoised in a
// TaskShapeMemo, called directly. A search makes millions of these lookups, and a std::function
// around each one cost as much as the lookup itself. Empty (`present` false): there is no value
// to estimate.
template <class Compute>
struct MemoisedTaskValue {
  TaskShapeMemo* known;
  Compute compute;
  bool present = true;

  explicit operator bool() const { return present; }
  template <class Layer>
  double operator()(const Layer& layer, const TileTask& task) const {
    return known->Get(task, [&](const TileTask& t) { return compute(layer, t); });
  }
};

}  // namespace pjsim
