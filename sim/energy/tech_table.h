#pragma once
// Technology table: what each action costs at one process node. Loaded from configs/tech/*.yaml.
// Every entry keeps its source so a report can say where a picojoule figure came from.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pjsim {

class ConfigMap;

class ConfigMap;
struct AreaTech;

struct Priced {
  double value = 0;    // in the unit the field's name gives
  std::string source;  // citation, "derived: ...", or "estimate: ..."
};

// A price no primary source gives: where the YAML states it and the reasoning behind it
// (`pjsim validate --sources` lists them).
struct TechEstimate {
  std::string file;
  int line = 0;     // 1-based
  std::string key;  // dotted path of the priced value, e.g. "leakage.sram.power"
  std::string reasoning;
};

// Exactly one of `<prefix>source:` and `<prefix>estimate:` in `m`. An estimate is recorded in
// `estimates` under `key` (replacing a base table's for the same key) and comes back as
// "estimate: <reasoning>", the form reports print; a source comes back as written.
std::string ReadProvenance(ConfigMap& m, const std::string& prefix, const std::string& key,
                           std::vector<TechEstimate>& estimates);
// A field's own provenance (`<field>_source:` / `<field>_estimate:`) if it has one, else
// `entry_provenance`.
std::string FieldProvenance(ConfigMap& m, const std::string& field, const std::string& entry_key,
                            const std::string& entry_provenance,
                            std::vector<TechEstimate>& estimates);

// SRAM access energy measured at a few capacities; energy per bit at other capacities is
// interpolated linearly in log(capacity)-log(energy) between points and extrapolated with the
// nearest segment's slope (Accelergy/CACTI-style power law, docs/SOURCES.md#accelergy).
struct SramPoint {
  double capacity_bytes = 0;
  double read_pj_per_bit = 0;
  double write_pj_per_bit = 0;
  std::string source;
};

struct DramTech {
  Priced read_pj_per_bit;
  Priced write_pj_per_bit;
  Priced activate_pj;    // per row activation (ACT+PRE); 0 where per-bit figures include it
  Priced background_mw;  // per channel, charged for the whole run
};

struct TechTable {
  std::string file;  // where it was loaded from
  std::string node;  // e.g. "45nm"
  double voltage_v = 0;
  double clock_hz = 0;
  std::string source;

  std::map<std::string, Priced> op_pj;       // "int8_add", "fp16_mult", "fp16_exp", ...
  std::vector<SramPoint> sram;               // sorted by capacity
  std::map<std::string, DramTech> dram;      // by DRAM type: "ddr4", "hbm2e", ...
  Priced noc_router_pj_per_bit;              // per bit per router traversal
  Priced noc_link_pj_per_bit_mm;             // per bit per mm of link
  std::map<std::string, Priced> leakage_mw;  // "mac_pe", "vector_lane", "router", "tile_control"
  Priced sram_leakage_mw_per_kib;
  // leakage.router.port_bits: the port width the router's leakage is for; a mesh with wider or
  // narrower links leaks in proportion (buffers and crossbar scale with the port). 0: per router.
  double router_leakage_port_bits = 0;
  std::shared_ptr<const AreaTech> area;  // the `area:` section (sim/energy/area_tech.h); null: none
  // Every `estimate:` of this table and of its `base:` tables, in file order.
  std::vector<TechEstimate> estimates;

  // Energy of one op; throws std::out_of_range naming the op if the table lacks it.
  const Priced& Op(const std::string& name) const;
  double SramReadPjPerBit(double capacity_bytes) const;
  double SramWritePjPerBit(double capacity_bytes) const;
  const DramTech& Dram(const std::string& type) const;
  const Priced& Leakage(const std::string& component) const;
};

// Loads a tech table. A table may name a `base:` table and a `scaling:` rule; entries it does not
// give are the base's, scaled by the rule (see README "Technology tables"). Every price states
// where it comes from, exactly one of `source:` (a primary source, or "derived: ..." arithmetic on
// sourced numbers) and `estimate:` (no primary source: the reasoning); a field of an entry may
// override the entry's with `FIELD_source:` / `FIELD_estimate:` (e.g. a DRAM's `background`).
TechTable LoadTechTable(const std::string& path);
TechTable LoadTechTable(ConfigMap root, const std::string& path);

}  // namespace pjsim
