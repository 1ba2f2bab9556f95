#include "sim/energy/area_model.h"

#include <sstream>
#include <stdexcept>
#include <utility>

namespace pjsim {
namespace {

constexpr double kUm2PerMm2 = 1e6;

AreaComponent Component(std::string name, double count, double um2_each) {
  return {std::move(name), count * um2_each / kUm2PerMm2, count, um2_each};
}

// Ports of all mesh routers: each router has a local port plus one per neighbour (none in a
// one-tile design).
double RouterPorts(const ArchConfig& arch) {
  if (!arch.HasRouters()) return 0;
  const auto w = static_cast<double>(arch.mesh_width);
  const auto h = static_cast<double>(arch.mesh_height);
  const double neighbour_ports = 2 * ((w - 1) * h + w * (h - 1));
  return w * h + neighbour_ports;
}

// One-way links between neighbouring routers (each direction is its own set of wires).
double Links(const ArchConfig& arch) {
  const auto w = static_cast<double>(arch.mesh_width);
  const auto h = static_cast<double>(arch.mesh_height);
  return 2 * ((w - 1) * h + w * (h - 1));
}

}  // namespace

AreaBreakdown ComputeArea(const ArchConfig& arch, const AreaTech& prices) {
  const auto tiles = static_cast<double>(arch.TileCount());
  const TileConfig& t = arch.tile;
  const double port_bits = arch.noc.link_bytes_per_cycle * 8;
  AreaBreakdown b;
  b.components = {
      Component("pe_array." + t.kind, tiles * static_cast<double>(t.rows * t.cols),
                prices.Pe(t.kind).value),
      Component("sram", tiles * t.sram.capacity_bytes / 1024,
                prices.SramUm2PerKiB(t.sram.capacity_bytes)),
      Component("vector_units", tiles * static_cast<double>(t.vector_lanes),
                prices.vector_lane_um2.value),
      Component("noc.routers", RouterPorts(arch) * port_bits, prices.router_um2_per_port_bit.value),
      Component("noc.links", Links(arch) * port_bits * arch.noc.link_length_mm,
                prices.link_um2_per_bit_mm.value),
      Component("other", tiles, prices.tile_other_um2.value),
  };
  // A spiking lane serving B buffered slots keeps B input currents; pe.spiking_lif has one.
  if (t.kind == "spiking_lif" && t.spike_batch > 1) {
    b.components.push_back(Component(
        "spike_slots",
        tiles * static_cast<double>(t.rows * t.cols) * static_cast<double>(t.spike_batch - 1),
        prices.SpikeSlot().value));
  }
  for (const AreaComponent& c : b.components) b.total_mm2 += c.mm2;
  return b;
}

double PeakOpsPerSecond(const ArchConfig& arch) {
  return 2.0 * static_cast<double>(arch.TileCount() * arch.tile.rows * arch.tile.cols) *
         arch.clock_hz;
}

IsoAreaResult SizeToArea(const ArchConfig& arch, const AreaTech& prices, double target_mm2,
                         IsoAreaKnob knob, std::int64_t step) {
  if (step < 1) throw std::invalid_argument("the iso-area step must be at least 1");
  const auto sized = [&](std::int64_t units) {
    ArchConfig a = arch;
    if (knob == IsoAreaKnob::kArray) {
      a.tile.rows = a.tile.cols = units * step;
    } else {
      a.tile.sram.capacity_bytes = static_cast<double>(units * step);
    }
    return a;
  };
  const auto area = [&](std::int64_t units) { return ComputeArea(sized(units), prices).total_mm2; };
  if (area(1) > target_mm2) {
    std::ostringstream m;
    m << "no design fits " << target_mm2 << " mm2: the smallest step already takes " << area(1)
      << " mm2";
    throw std::invalid_argument(m.str());
  }
  // Area grows with either knob (more PEs; more SRAM, never smaller as a whole): double the
  // upper bound until it exceeds the target, then bisect for the last step that fits.
  std::int64_t lo = 1, hi = 2;
  constexpr std::int64_t kMaxUnits = std::int64_t{1} << 40;
  while (area(hi) <= target_mm2) {
    lo = hi;
    if (hi >= kMaxUnits) throw std::invalid_argument("the iso-area target is unreachably large");
    hi *= 2;
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (area(mid) <= target_mm2 ? lo : hi) = mid;
  }
  return {sized(lo), lo * step, area(lo), area(lo + 1)};
}

}  // namespace pjsim
