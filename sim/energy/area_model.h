#pragma once
// Silicon area of an accelerator (ArchConfig) from a node's area prices (AreaTech), component by
// component: the PE arrays, the tiles' SRAM, the vector units, the mesh's routers and links and
// the per-tile rest (control, DMA). Off-chip DRAM and its PHYs are not counted. The components
// sum to the total. docs/AREA.md gives the formulas and the prices' sources.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/energy/area_tech.h"

namespace pjsim {

struct AreaComponent {
  std::string name;     // "pe_array.<kind>", "sram", "vector_units", "noc.routers", ...
  double mm2 = 0;       // all instances on the chip
  double count = 0;     // instances priced: PEs, KiB, lanes, router port-bits, link bit-mm, tiles
  double um2_each = 0;  // the price of one instance
};

struct AreaBreakdown {
  std::vector<AreaComponent> components;  // in report order
  double total_mm2 = 0;                   // the sum of the components
};

// Throws std::out_of_range if the prices lack the tile's kind.
AreaBreakdown ComputeArea(const ArchConfig& arch, const AreaTech& prices);

// Peak arithmetic throughput, ops/s: every PE (or spike lane) does one product and one add per
// cycle (2 ops, as MAC-array TOPS figures count), whatever its kind.
double PeakOpsPerSecond(const ArchConfig& arch);

// Iso-area sizing: the largest design of a one-parameter family whose area does not exceed
// `target_mm2`. The family steps either the PE array (rows = cols = n, n a multiple of `step`) or
// each tile's SRAM capacity (a multiple of `step` bytes); everything else stays as in `arch`.
enum class IsoAreaKnob { kArray, kSram };

struct IsoAreaResult {
  ArchConfig arch;           // the sized design
  std::int64_t value = 0;    // rows (= cols), or SRAM bytes per tile
  double area_mm2 = 0;       // its area, <= the target
  double next_area_mm2 = 0;  // the area one step larger, > the target
};

// Throws std::invalid_argument when even the smallest step exceeds the target.
IsoAreaResult SizeToArea(const ArchConfig& arch, const AreaTech& prices, double target_mm2,
                         IsoAreaKnob knob, std::int64_t step);

}  // namespace pjsim
