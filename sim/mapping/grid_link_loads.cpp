#include "sim/mapping/grid_link_loads.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "sim/mapping/xy_route.h"

namespace pjsim {

GridLinkLoads::GridLinkLoads(const ArchConfig& arch)
    : width_(arch.mesh_width), height_(arch.mesh_height), channels_(arch.dram.channels) {}

int GridLinkLoads::Placement(const std::vector<std::int64_t>& first_tiles) const {
  const auto it = std::find(placements_.begin(), placements_.end(), first_tiles);
  if (it != placements_.end()) return static_cast<int>(it - placements_.begin());
  placements_.push_back(first_tiles);
  return static_cast<int>(placements_.size() - 1);
}

void GridLinkLoads::AddRoute(std::int64_t from_x, std::int64_t from_y, std::int64_t to_x,
                             std::int64_t to_y, double weight, std::vector<double>& loads,
                             std::vector<std::uint32_t>& seen, std::uint32_t epoch) const {
  AddXyRoute(width_, from_x, from_y, to_x, to_y, weight, loads, seen, epoch);
}

GridLinkLoads::Loads GridLinkLoads::Compute(const Round& r) const {
  const auto links = static_cast<size_t>(width_ * height_ * 4);
  std::vector<double> a(links, 0), b(links, 0), out(links, 0);
  std::vector<std::uint32_t> seen(links, 0);
  std::uint32_t epoch = 0;
  const auto channels = static_cast<double>(channels_.size());
  std::int64_t first = 0;
  // A placement's other grids take this one's shape: a home shorter than it (the last, when the
  // homes wrap) keeps the cells that fit on the mesh.
  const std::int64_t tiles = width_ * height_;
  // Grid cell (i, j) of K range l: the mesh tile the mapper places it on.
  const auto tile_of = [&](std::int64_t l, std::int64_t i, std::int64_t j) {
    return first + (l * r.pm + i) * r.pn + j;
  };
  const auto ranges = static_cast<double>(r.pk);
  // One operand's loads from channel `ch` in K range l: `groups` groups (grid rows for A,
  // columns for B) of `members` tiles each take the same block, as one tree or one load per
  // tile; `cell(g, m)` is member m of group g.
  const auto add_loads = [&](const DramChannelPosition& ch, std::int64_t groups,
                             std::int64_t members, bool tree, auto cell,
                             std::vector<double>& loads) {
    const double weight = 1 / (channels * ranges * static_cast<double>(groups) *
                               (tree ? 1.0 : static_cast<double>(members)));
    for (std::int64_t g = 0; g < groups; ++g) {
      if (tree) ++epoch;
      for (std::int64_t m = 0; m < members; ++m) {
        if (!tree) ++epoch;
        const std::int64_t t = cell(g, m);
        if (t >= tiles) continue;
        AddRoute(ch.x, ch.y, t % width_, t / width_, weight, loads, seen, epoch);
      }
    }
  };
  // A load one tile needs is its own, not a share (GemmWalk::SharesAt).
  const bool tree_a = r.share_a && r.cols >= 2, tree_b = r.share_b && r.rows >= 2;
  for (const std::int64_t f : placements_.at(static_cast<size_t>(r.placement))) {
    first = f;
    for (const DramChannelPosition& ch : channels_) {
      for (std::int64_t l = 0; l < r.pk; ++l) {
        add_loads(
            ch, r.rows, r.cols, tree_a, [&](auto i, auto j) { return tile_of(l, i, j); }, a);
        add_loads(
            ch, r.cols, r.rows, tree_b, [&](auto j, auto i) { return tile_of(l, i, j); }, b);
      }
      // Outputs: each block's root (K range 0) stores it.
      const double weight = 1 / (channels * static_cast<double>(r.rows * r.cols));
      for (std::int64_t i = 0; i < r.rows; ++i) {
        for (std::int64_t j = 0; j < r.cols; ++j) {
          ++epoch;
          const std::int64_t t = tile_of(0, i, j);
          if (t >= tiles) continue;
          AddRoute(t % width_, t / width_, ch.x, ch.y, weight, out, seen, epoch);
        }
      }
    }
  }
  Loads result;
  for (size_t k = 0; k < links; ++k) {
    if (a[k] > 0 || b[k] > 0 || out[k] > 0) result.links.push_back({a[k], b[k], out[k]});
    result.out = std::max(result.out, out[k]);
  }
  // Of loads alone, the links no other link matches in both A and B: by A descending, each
  // that carries more B than every link before it.
  std::vector<PerByte> by_a = result.links;
  std::sort(by_a.begin(), by_a.end(),
            [](const PerByte& p, const PerByte& q) { return p.a != q.a ? p.a > q.a : p.b > q.b; });
  double most_b = -1;
  for (const PerByte& p : by_a) {
    if (p.b <= most_b || (p.a == 0 && p.b == 0)) continue;
    most_b = p.b;
    result.load_links.push_back({p.a, p.b, 0});
  }
  return result;
}

void GridLinkLoads::Unpackable(const Round& r) {
  throw std::logic_error("GridLinkLoads: a round of " + std::to_string(r.pm) + "x" +
                         std::to_string(r.pn) + "x" + std::to_string(r.pk) + " cells, " +
                         std::to_string(r.rows) + "x" + std::to_string(r.cols) + " active");
}

void GridLinkLoads::Place(const Key& key, const Loads* loads) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = Hash(key) & mask;
  while (slots_[i].loads != nullptr) i = (i + 1) & mask;
  slots_[i] = {key, loads};
}

const GridLinkLoads::Loads& GridLinkLoads::Add(const Key& key, const Round& r) const {
  // At most half full, so a probe ends: doubled and placed again first when it would be more.
  if (2 * (loads_.size() + 1) > slots_.size()) {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.loads != nullptr) Place(s.key, s.loads);
    }
  }
  loads_.push_back(Compute(r));
  Place(key, &loads_.back());
  return loads_.back();
}

double GridLinkLoads::Loads::LoadBytes(double a_bytes, double b_bytes) const {
  double busiest = 0;
  for (const PerByte& p : load_links) busiest = std::max(busiest, p.a * a_bytes + p.b * b_bytes);
  return busiest;
}

double GridLinkLoads::BusiestLinkBytes(const Round& r, double a, double b, double out) const {
  double busiest = 0;
  for (const PerByte& p : Of(r).links) {
    busiest = std::max(busiest, p.a * a + p.b * b + p.out * out);
  }
  return busiest;
}

}  // namespace pjsim
