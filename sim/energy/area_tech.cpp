#include "sim/energy/area_tech.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

// Areas are positive and below a square metre.
constexpr double kMinUm2 = 1e-6;
constexpr double kMaxUm2 = 1e12;

// Every area price carries `source:` or `estimate:` like the energy prices (an estimate is listed
// by `pjsim validate --sources`).
Priced ReadUm2(ConfigMap entry, const std::string& field, std::vector<TechEstimate>& estimates) {
  Priced p{entry.Number(field, kMinUm2, kMaxUm2),
           ReadProvenance(entry, "", entry.path() + "." + field, estimates)};
  entry.Finish();
  return p;
}

// Factors a derived table applies to its base's areas: logic (PEs, lanes, routers, tile
// control), SRAM (bitcells scale unlike logic) and wires (metal pitch).
struct AreaScaling {
  double logic = 1, sram = 1, wire = 1;
  std::string source;
};

Priced Scaled(const Priced& p, double f, const std::string& source) {
  std::ostringstream s;
  s << "scaled x" << f << " (" << source << ") from: " << p.source;
  return Priced{p.value * f, s.str()};
}

void Scale(AreaTech& a, const AreaScaling& f) {
  for (auto& [kind, p] : a.pe_um2) p = Scaled(p, f.logic, f.source);
  a.vector_lane_um2 = Scaled(a.vector_lane_um2, f.logic, f.source);
  a.router_um2_per_port_bit = Scaled(a.router_um2_per_port_bit, f.logic, f.source);
  a.tile_other_um2 = Scaled(a.tile_other_um2, f.logic, f.source);
  if (!a.spike_slot_um2.source.empty())
    a.spike_slot_um2 = Scaled(a.spike_slot_um2, f.logic, f.source);
  a.link_um2_per_bit_mm = Scaled(a.link_um2_per_bit_mm, f.wire, f.source);
  for (SramAreaPoint& pt : a.sram) {
    pt.um2_per_kib *= f.sram;
    std::ostringstream s;
    s << "scaled x" << f.sram << " (" << f.source << ") from: " << pt.source;
    pt.source = s.str();
  }
}

std::vector<SramAreaPoint> ReadSramPoints(ConfigMap sram, std::vector<TechEstimate>& estimates) {
  std::vector<SramAreaPoint> points;
  for (ConfigMap p : sram.MapList("points")) {
    SramAreaPoint pt;
    pt.capacity_bytes = p.Quantity("capacity", Dimension::kBytes);
    pt.um2_per_kib = p.Number("um2_per_kib", kMinUm2, kMaxUm2);
    pt.source = ReadProvenance(p, "", p.path() + ".um2_per_kib", estimates);
    p.Finish();
    points.push_back(pt);
  }
  if (points.empty()) sram.Fail("points", "needs at least one point");
  std::sort(points.begin(), points.end(), [](const SramAreaPoint& a, const SramAreaPoint& b) {
    return a.capacity_bytes < b.capacity_bytes;
  });
  for (size_t i = 1; i < points.size(); ++i) {
    if (points[i].capacity_bytes == points[i - 1].capacity_bytes) {
      sram.Fail("points", "two points with the same capacity");
    }
    // A larger macro never costs more per KiB: its periphery is shared by more bits.
    if (points[i].um2_per_kib > points[i - 1].um2_per_kib) {
      sram.Fail("points", "area per KiB must not grow with capacity");
    }
    // ... but a larger macro is never smaller as a whole.
    if (points[i].um2_per_kib * points[i].capacity_bytes <
        points[i - 1].um2_per_kib * points[i - 1].capacity_bytes) {
      sram.Fail("points", "a larger capacity must not give a smaller macro");
    }
  }
  sram.Finish();
  return points;
}

}  // namespace

const Priced& AreaTech::Pe(const std::string& kind) const {
  auto it = pe_um2.find(kind);
  if (it == pe_um2.end()) {
    throw std::out_of_range("the technology table's area section has no PE area for tile kind '" +
                            kind + "' (add it under 'area: pe:')");
  }
  return it->second;
}

const Priced& AreaTech::SpikeSlot() const {
  if (spike_slot_um2.source.empty()) {
    throw std::out_of_range(
        "the technology table's area section has no spike_slot price, which tile.spike_batch > 1 "
        "needs (add 'area: spike_slot: {um2: ...}')");
  }
  return spike_slot_um2;
}

double AreaTech::SramUm2PerKiB(double capacity_bytes) const {
  if (sram.empty()) return 0;
  if (capacity_bytes <= sram.front().capacity_bytes) return sram.front().um2_per_kib;
  if (capacity_bytes >= sram.back().capacity_bytes) return sram.back().um2_per_kib;
  size_t hi = 1;
  while (capacity_bytes > sram[hi].capacity_bytes) ++hi;
  const SramAreaPoint& a = sram[hi - 1];
  const SramAreaPoint& b = sram[hi];
  const double slope =
      std::log(b.um2_per_kib / a.um2_per_kib) / std::log(b.capacity_bytes / a.capacity_bytes);
  return a.um2_per_kib * std::pow(capacity_bytes / a.capacity_bytes, slope);
}

AreaTech ReadAreaTech(ConfigMap section, const AreaTech* base,
                      std::vector<TechEstimate>& estimates) {
  AreaTech a;
  if (base) {
    a = *base;
    if (auto s = section.MapIf("scaling")) {
      AreaScaling f;
      f.logic = s->Number("logic", 1e-6, 1e6);
      f.sram = s->Number("sram", 1e-6, 1e6);
      f.wire = s->Number("wire", 1e-6, 1e6);
      f.source = ReadProvenance(*s, "", s->path(), estimates);
      for (const char* factor : {"logic", "sram", "wire"})
        FieldProvenance(*s, factor, s->path(), f.source, estimates);
      s->Finish();
      Scale(a, f);
    }
  }
  // In a table without a base every section is required; with one, each overrides the base's.
  const auto section_if = [&](const std::string& key) -> std::optional<ConfigMap> {
    if (base) return section.MapIf(key);
    return section.Map(key);
  };
  if (auto pe = section_if("pe")) {
    for (const std::string& kind : pe->Keys())
      a.pe_um2[kind] = ReadUm2(pe->Map(kind), "um2", estimates);
    if (a.pe_um2.empty()) pe->FailHere("needs at least one tile kind");
    pe->Finish();
  }
  if (auto lane = section_if("vector_lane")) a.vector_lane_um2 = ReadUm2(*lane, "um2", estimates);
  if (auto sram = section_if("sram")) a.sram = ReadSramPoints(*sram, estimates);
  if (auto router = section_if("router")) {
    a.router_um2_per_port_bit = ReadUm2(*router, "um2_per_port_bit", estimates);
  }
  if (auto link = section_if("link"))
    a.link_um2_per_bit_mm = ReadUm2(*link, "um2_per_bit_mm", estimates);
  if (auto other = section_if("tile_other")) a.tile_other_um2 = ReadUm2(*other, "um2", estimates);
  // Optional: only spiking tiles with tile.spike_batch > 1 use it.
  if (auto slot = section.MapIf("spike_slot")) a.spike_slot_um2 = ReadUm2(*slot, "um2", estimates);
  section.Finish();
  return a;
}

}  // namespace pjsim
