#pragma once
// Silicon area prices of one process node: the `area:` section of a technology table
// (configs/tech/*.yaml). Every entry keeps its source, as the energy prices do, so a report can
// say where a square micrometre came from. docs/AREA.md explains each price.
#include <map>
#include <string>
#include <vector>

#include "sim/energy/tech_table.h"

namespace pjsim {

class ConfigMap;

// Area per KiB of an SRAM macro at one capacity. A small macro spends a larger share of its area
// on decoders, sense amplifiers and I/O, so the area per KiB falls with capacity; between points
// it is interpolated linearly in log(capacity)-log(area), beyond them clamped to the end points
// (a macro's array efficiency cannot keep improving without bound).
struct SramAreaPoint {
  double capacity_bytes = 0;
  double um2_per_kib = 0;
  std::string source;
};

struct AreaTech {
  std::map<std::string, Priced> pe_um2;  // per PE (or LIF lane), by tile kind name
  Priced vector_lane_um2;                // one elementwise lane of a tile's vector unit
  std::vector<SramAreaPoint> sram;       // sorted by capacity
  Priced router_um2_per_port_bit;        // a mesh router, per port and per bit of port width
  Priced link_um2_per_bit_mm;            // a NoC link, per wire (bit) and mm of length
  Priced tile_other_um2;                 // per tile: control, sequencer, DMA and clocking
  // One more buffered (token, timestep) slot of a spiking lane: its input-current register
  // (tile.spike_batch). Optional in a table; empty source: absent.
  Priced spike_slot_um2;

  // The PE of a tile kind; throws std::out_of_range naming the kind if the table lacks it.
  const Priced& Pe(const std::string& kind) const;
  // The spike-slot register; throws std::out_of_range if the table lacks it.
  const Priced& SpikeSlot() const;
  double SramUm2PerKiB(double capacity_bytes) const;
};

// Reads an `area:` section. With a `base` (the area of the table a derived table names in
// `base:`) every entry is optional: a `scaling:` map (logic, sram and wire factors and their
// source) scales the base's entries, then explicit entries override them. Without one, every
// entry is required.
AreaTech ReadAreaTech(ConfigMap section, const AreaTech* base,
                      std::vector<TechEstimate>& estimates);

}  // namespace pjsim
