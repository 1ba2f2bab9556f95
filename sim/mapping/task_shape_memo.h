#pragma once
// A value per tile-task shape (its M, K, N and place in its K walk), memoised while one layer's
// mappings are ranked: every candidate's estimate looks up a few tasks, and the mappings share
// most of them (a search sees a few thousand shapes and looks them up ten times as often). Open
// addressing over a power-of-two table of 4-byte indices into the entries: a lookup is a
// multiply and a compare or two, where std::unordered_map's prime-modulo buckets and chains were
// 2.6% of a Mixtral prefill (one search per routed expert), and the table stays small enough
// that growing it costs little.
#include <cstdint>
#include <vector>

#include "sim/task/tile_task.h"

namespace pjsim {

class TaskShapeMemo {
 public:
  TaskShapeMemo() : slots_(64, 0) {}

  // The value of `task`'s shape, computed by `compute(task)` the first time it is asked for.
  // Small, to be inlined where the estimate asks (a hit is all but a few lookups); the table
  // stays at most half full, so a probe ends.
  template <class Compute>
  double Get(const TileTask& task, Compute&& compute) {
    const Key key{
        task.gemm.m, task.gemm.k, task.gemm.n,
        (task.first_k ? 1 : 0) | (task.last_k ? 2 : 0) | (task.accumulate_in_array ? 4 : 0)};
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = Hash(key) & mask; slots_[i] != 0; i = (i + 1) & mask) {
      const Entry& e = entries_[slots_[i] - 1];
      if (e.key == key) return e.value;
    }
    return Add(key, compute(task));
  }

 private:
  struct Key {
    std::int64_t m, k, n;
    int ends;  // 1: first K chunk, 2: last, 4: accumulates in the array
    bool operator==(const Key&) const = default;
  };
  struct Entry {
    Key key;
    double value;
  };

  static std::size_t Hash(const Key& t) {
    std::uint64_t h = static_cast<std::uint64_t>(t.m) * 0x9E3779B97F4A7C15ULL;
    h = (h ^ static_cast<std::uint64_t>(t.k)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ static_cast<std::uint64_t>(t.n)) * 0x94D049BB133111EBULL;
    // Shapes are multiples of the array's size: fold the high bits into the low ones indexed.
    h = (h ^ static_cast<std::uint64_t>(t.ends)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h ^ (h >> 32));
  }
  // A new shape's value: kept, the table doubled first if it would be over half full.
  double Add(const Key& key, double value) {
    if (2 * (entries_.size() + 1) > slots_.size()) Grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = Hash(key) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    entries_.push_back({key, value});
    slots_[i] = static_cast<std::uint32_t>(entries_.size());
    return value;
  }
  // Doubles the table and re-indexes the entries.
  void Grow() {
    slots_.assign(slots_.size() * 2, 0);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t e = 0; e < entries_.size(); ++e) {
      std::size_t i = Hash(entries_[e].key) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = static_cast<std::uint32_t>(e + 1);
    }
  }

  std::vector<std::uint32_t> slots_;  // 0: empty, else an index into entries_ plus one
  std::vector<Entry> entries_;
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
