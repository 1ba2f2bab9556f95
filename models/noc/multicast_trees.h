#pragma once
// The route trees of multicasts, built once per (source, receivers) and reused: a layer sends
// many loads from each DRAM channel to the same sets of tiles, and walking every receiver's
// route (tens of links each, mostly shared) per transaction was most of a multicast's cost.
// A tree lists its links in the order a walk of the receivers' routes, in the receivers' order,
// first reaches them, each with the link before it (routes from one source under XY routing
// share their prefixes, so that link is the same on every route through it).
#include <algorithm>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace pjsim {

class MulticastTrees {
 public:
  struct Tree {
    std::vector<int> links;
    // Per link, 1 + the index of the link before it; 0: the source (numbered so that a walk
    // keeps the source's time at 0 and each link's at 1 + its index, with no branch).
    std::vector<std::uint32_t> parent;
    // Per receiver: 1 + the index of its route's last link (0: it is at the source's router)
    // and its route's length in links.
    std::vector<std::uint32_t> last;
    std::vector<std::uint32_t> hops;
  };

  // The tree from `source` to `receivers`; `route(i)` gives receiver i's route (a
  // std::span<const int> of link indices, each below `links`) the first time.
  template <class RouteOf>
  const Tree& Get(int source, std::span<const int> receivers, const RouteOf& route, size_t links) {
    std::uint64_t hash = static_cast<std::uint64_t>(source) * 0x9E3779B97F4A7C15ULL;
    for (const int r : receivers) hash = (hash ^ static_cast<std::uint64_t>(r)) * 0x100000001B3ULL;
    // Open addressing over a power-of-two table (a std::unordered_map's prime-modulo bucket,
    // a division per multicast, cost 2.6% of a Mixtral prefill).
    const size_t mask = slots_.size() - 1;
    const auto home = static_cast<size_t>(hash ^ (hash >> 29));  // the high bits mixed down
    size_t at = home & mask;
    for (; slots_[at] != 0; at = (at + 1) & mask) {
      const Entry& e = entries_[slots_[at] - 1];
      if (e.hash == hash && e.source == source &&
          std::equal(e.receivers.begin(), e.receivers.end(), receivers.begin(), receivers.end())) {
        return e.tree;
      }
    }
    if (entries_.size() == kMaxTrees) {  // bounded, whatever the run
      entries_.clear();
      std::fill(slots_.begin(), slots_.end(), 0);
      at = home & mask;
    }
    slots_[at] = static_cast<std::uint32_t>(entries_.size() + 1);
    Entry& e = entries_.emplace_back();
    e.hash = hash;
    e.source = source;
    e.receivers.assign(receivers.begin(), receivers.end());
    Build(receivers.size(), route, links, e.tree);
    return e.tree;
  }

 private:
  struct Entry {
    std::uint64_t hash = 0;
    int source = 0;
    std::vector<int> receivers;
    Tree tree;
  };
  template <class RouteOf>
  static void Build(size_t receivers, const RouteOf& route, size_t links, Tree& tree) {
    std::vector<std::uint32_t> at(links, 0);  // 1 + a link's index in the tree; 0: not in it
    for (size_t r = 0; r < receivers; ++r) {
      const std::span<const int> links_of = route(r);
      std::uint32_t before = 0;
      for (const int link : links_of) {
        auto& number = at[static_cast<size_t>(link)];
        if (number == 0) {
          tree.links.push_back(link);
          tree.parent.push_back(before);
          number = static_cast<std::uint32_t>(tree.links.size());
        }
        before = number;
      }
      tree.last.push_back(before);
      tree.hops.push_back(static_cast<std::uint32_t>(links_of.size()));
    }
  }

  static constexpr size_t kMaxTrees = 1 << 14;
  // 1 + an index into entries_ (0: empty), from the entry's hash on; at most half full.
  std::vector<std::uint32_t> slots_ = std::vector<std::uint32_t>(2 * kMaxTrees, 0);
  std::deque<Entry> entries_;  // a deque: a returned tree stays where it is as others are added
};

}  // namespace pjsim
