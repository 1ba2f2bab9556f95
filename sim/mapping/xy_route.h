#pragma once
// The links of the `simple` NoC's XY route between two mesh positions (models/noc/
// simple_mesh_noc.cpp: X first, then Y), as the mapping's NoC models load them: link
// (y * width + x) * 4 + direction leaves router (x, y).
#include <cstdint>
#include <vector>

namespace pjsim {

enum XyDirection { kXyEast = 0, kXyWest = 1, kXyNorth = 2, kXySouth = 3 };

// Adds `weight` to every link of the route, once per link in `seen`'s epoch: a multicast tree
// crosses a link once however many of its routes take it.
inline void AddXyRoute(std::int64_t width, std::int64_t from_x, std::int64_t from_y,
                       std::int64_t to_x, std::int64_t to_y, double weight,
                       std::vector<double>& loads, std::vector<std::uint32_t>& seen,
                       std::uint32_t epoch) {
  const auto add = [&](std::int64_t x, std::int64_t y, int dir) {
    const auto link = static_cast<size_t>((y * width + x) * 4 + dir);
    if (seen[link] == epoch) return;
    seen[link] = epoch;
    loads[link] += weight;
  };
  std::int64_t x = from_x, y = from_y;
  while (x != to_x) {
    add(x, y, to_x > x ? kXyEast : kXyWest);
    x += to_x > x ? 1 : -1;
  }
  while (y != to_y) {
    add(x, y, to_y > y ? kXySouth : kXyNorth);
    y += to_y > y ? 1 : -1;
  }
}

}  // namespace pjsim
