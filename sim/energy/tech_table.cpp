#include "sim/energy/tech_table.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/config/yaml_reader.h"
#include "sim/energy/area_tech.h"

namespace pjsim {
namespace {

// Multiplicative factors a scaling rule applies to each class of base entry.
struct ScaleFactors {
  // sram_leakage: SRAM cells' static power (default: the logic leakage factor).
  double logic = 1, sram = 1, router = 1, wire = 1, leakage = 1, sram_leakage = 1, dram = 1;
  std::string description;
};

Priced Scaled(const Priced& p, double f, const ScaleFactors& s) {
  if (f == 1.0) return p;
  std::ostringstream src;
  src << "scaled x" << f << " (" << s.description << ") from: " << p.source;
  return Priced{p.value * f, src.str()};
}

}  // namespace

std::string ReadProvenance(ConfigMap& m, const std::string& prefix, const std::string& key,
                           std::vector<TechEstimate>& estimates) {
  // An entry a derived table gives replaces its base's, and with it the base's estimate.
  std::erase_if(estimates, [&key](const TechEstimate& e) { return e.key == key; });
  const std::string source_key = prefix + "source", estimate_key = prefix + "estimate";
  const bool has_source = m.Has(source_key), has_estimate = m.Has(estimate_key);
  if (has_source && has_estimate) {
    m.Fail(estimate_key, "give '" + source_key + ":' or '" + estimate_key + ":', not both");
  }
  if (!has_source && !has_estimate) {
    m.FailHere("the price '" + key + "' needs '" + source_key + ":' (its primary source) or '" +
               estimate_key + ":' (the reasoning, when no primary source gives it)");
  }
  if (has_source) {
    std::string source = m.String(source_key);
    if (source.rfind("estimate", 0) == 0) {
      m.Fail(source_key, "an estimate goes under '" + estimate_key + ":' (the reasoning), not '" +
                             source_key + ":'");
    }
    if (source.empty()) m.Fail(source_key, "empty source");
    return source;
  }
  std::string reasoning = m.String(estimate_key);
  if (reasoning.empty()) m.Fail(estimate_key, "an estimate needs its reasoning");
  const SourceLocation where = m.WhereKey(estimate_key);
  estimates.push_back({where.file, where.line, key, reasoning});
  return "estimate: " + reasoning;
}

std::string FieldProvenance(ConfigMap& m, const std::string& field, const std::string& entry_key,
                            const std::string& entry_provenance,
                            std::vector<TechEstimate>& estimates) {
  if (!m.Has(field + "_source") && !m.Has(field + "_estimate")) return entry_provenance;
  return ReadProvenance(m, field + "_", entry_key + "." + field, estimates);
}

namespace {

Priced ReadPriced(ConfigMap entry, const std::string& field, Dimension d, bool allow_zero,
                  TechTable& t) {
  const double value = entry.Quantity(field, d, allow_zero);
  Priced p{value, ReadProvenance(entry, "", entry.path() + "." + field, t.estimates)};
  entry.Finish();
  return p;
}

ScaleFactors ReadScaling(ConfigMap s, TechTable& base, double voltage_v) {
  ScaleFactors f;
  const std::string rule = s.Choice("rule", {"factors", "voltage"});
  if (rule == "factors") {
    f.logic = s.Number("logic", 1e-6, 1e6);
    f.sram = s.NumberOr("sram", f.logic, 1e-6, 1e6);
    f.router = s.NumberOr("router", f.logic, 1e-6, 1e6);
    f.wire = s.Number("wire", 1e-6, 1e6);
    f.leakage = s.Number("leakage", 1e-6, 1e6);
    f.sram_leakage = s.NumberOr("sram_leakage", f.leakage, 1e-6, 1e6);
    f.dram = s.NumberOr("dram", 1.0, 1e-6, 1e6);
    const std::string source = ReadProvenance(s, "", s.path(), base.estimates);
    // A factor may carry its own provenance (e.g. `wire_estimate:`).
    for (const char* factor :
         {"logic", "sram", "router", "wire", "leakage", "sram_leakage", "dram"})
      FieldProvenance(s, factor, s.path(), source, base.estimates);
    f.description = "rule 'factors', " + source;
  } else {
    // Same node at another supply: dynamic energy ~ V^2, leakage power ~ V (first order).
    const double r = voltage_v / base.voltage_v;
    f.logic = f.sram = f.router = f.wire = r * r;
    f.leakage = f.sram_leakage = r;
    f.dram = 1.0;
    std::ostringstream d;
    d << "rule 'voltage', " << base.voltage_v << " V -> " << voltage_v << " V";
    f.description = d.str();
  }
  s.Finish();
  return f;
}

void ApplyScaling(TechTable& t, const ScaleFactors& f) {
  for (auto& [name, p] : t.op_pj) p = Scaled(p, f.logic, f);
  for (auto& pt : t.sram) {
    pt.read_pj_per_bit *= f.sram;
    pt.write_pj_per_bit *= f.sram;
    if (f.sram != 1.0) pt.source = "scaled (" + f.description + ") from: " + pt.source;
  }
  for (auto& [name, d] : t.dram) {
    d.read_pj_per_bit = Scaled(d.read_pj_per_bit, f.dram, f);
    d.write_pj_per_bit = Scaled(d.write_pj_per_bit, f.dram, f);
    d.activate_pj = Scaled(d.activate_pj, f.dram, f);
  }
  t.noc_router_pj_per_bit = Scaled(t.noc_router_pj_per_bit, f.router, f);
  t.noc_link_pj_per_bit_mm = Scaled(t.noc_link_pj_per_bit_mm, f.wire, f);
  for (auto& [name, p] : t.leakage_mw) p = Scaled(p, f.leakage, f);
  t.sram_leakage_mw_per_kib = Scaled(t.sram_leakage_mw_per_kib, f.sram_leakage, f);
}

double InterpolateLogLog(const std::vector<SramPoint>& pts, double capacity,
                         double SramPoint::*field) {
  if (pts.size() == 1) return pts[0].*field;
  size_t hi = 1;
  while (hi + 1 < pts.size() && capacity > pts[hi].capacity_bytes) ++hi;
  const SramPoint& a = pts[hi - 1];
  const SramPoint& b = pts[hi];
  if (capacity == a.capacity_bytes) return a.*field;
  if (capacity == b.capacity_bytes) return b.*field;
  const double slope =
      std::log(b.*field / a.*field) / std::log(b.capacity_bytes / a.capacity_bytes);
  return a.*field * std::pow(capacity / a.capacity_bytes, slope);
}

}  // namespace

const Priced& TechTable::Op(const std::string& name) const {
  auto it = op_pj.find(name);
  if (it == op_pj.end()) {
    throw std::out_of_range("technology table " + file + " has no energy for op '" + name +
                            "' (add it under 'ops:')");
  }
  return it->second;
}

double TechTable::SramReadPjPerBit(double capacity_bytes) const {
  return InterpolateLogLog(sram, capacity_bytes, &SramPoint::read_pj_per_bit);
}

double TechTable::SramWritePjPerBit(double capacity_bytes) const {
  return InterpolateLogLog(sram, capacity_bytes, &SramPoint::write_pj_per_bit);
}

const DramTech& TechTable::Dram(const std::string& type) const {
  auto it = dram.find(type);
  if (it == dram.end()) {
    throw std::out_of_range("technology table " + file + " has no DRAM type '" + type + "'");
  }
  return it->second;
}

const Priced& TechTable::Leakage(const std::string& component) const {
  auto it = leakage_mw.find(component);
  if (it == leakage_mw.end()) {
    throw std::out_of_range("technology table " + file + " has no leakage for '" + component + "'");
  }
  return it->second;
}

namespace {

// The tables a `base:` chain has visited so far (canonical paths), so that a loop (a.yaml's base
// is b.yaml, whose base is a.yaml) is an error at the `base` key that closes it instead of an
// unbounded recursion.
using BaseChain = std::vector<std::filesystem::path>;
constexpr size_t kMaxBaseChain = 32;

TechTable LoadChained(ConfigMap root, const std::string& path, BaseChain& chain);

TechTable LoadTechTableFile(const std::string& path, BaseChain& chain) {
  return LoadChained(ConfigMap::Root(ConfigDocument::LoadShared(path)), path, chain);
}

std::filesystem::path Canonical(const std::filesystem::path& p) {
  std::error_code ec;
  const std::filesystem::path c = std::filesystem::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

TechTable LoadChained(ConfigMap root, const std::string& path, BaseChain& chain) {
  TechTable t;
  const bool derived = root.Has("base");
  chain.push_back(Canonical(path));
  if (derived) {
    const std::filesystem::path base_path =
        std::filesystem::path(path).parent_path() / root.String("base");
    const std::filesystem::path base = Canonical(base_path);
    if (base == chain.back()) root.Fail("base", "a table cannot be its own base");
    if (std::find(chain.begin(), chain.end(), base) != chain.end()) {
      std::string loop;
      for (const auto& p : chain) loop += p.filename().string() + " -> ";
      root.Fail("base", "the 'base:' chain loops: " + loop + base.filename().string());
    }
    if (chain.size() >= kMaxBaseChain) {
      root.Fail("base",
                "the 'base:' chain is longer than " + std::to_string(kMaxBaseChain) + " tables");
    }
    t = LoadTechTableFile(base_path.string(), chain);
  }
  t.file = path;
  t.node = root.String("node");
  t.source = root.String("source");
  const double voltage = root.Quantity("voltage", Dimension::kVoltage);
  if (derived) {
    ApplyScaling(t, ReadScaling(root.Map("scaling"), t, voltage));
  }
  t.voltage_v = voltage;
  t.clock_hz = root.Quantity("clock", Dimension::kFrequency);

  // Explicit entries; in a derived table each section is optional and overrides the scaled base.
  if (auto ops = derived ? root.MapIf("ops") : std::optional<ConfigMap>(root.Map("ops"))) {
    for (const auto& name : ops->Keys()) {
      t.op_pj[name] = ReadPriced(ops->Map(name), "energy", Dimension::kEnergy, false, t);
    }
    ops->Finish();
  }
  if (auto sram = derived ? root.MapIf("sram") : std::optional<ConfigMap>(root.Map("sram"))) {
    const double access_bits = sram->Quantity("access_width", Dimension::kBytes) * 8;
    t.sram.clear();
    for (ConfigMap p : sram->MapList("points")) {
      SramPoint pt;
      pt.capacity_bytes = p.Quantity("capacity", Dimension::kBytes);
      pt.read_pj_per_bit = p.Quantity("read", Dimension::kEnergy) / access_bits;
      pt.write_pj_per_bit = p.Quantity("write", Dimension::kEnergy) / access_bits;
      pt.source = ReadProvenance(p, "", p.path(), t.estimates);
      p.Finish();
      t.sram.push_back(pt);
    }
    if (t.sram.empty()) sram->Fail("points", "needs at least one point");
    std::sort(t.sram.begin(), t.sram.end(), [](const SramPoint& a, const SramPoint& b) {
      return a.capacity_bytes < b.capacity_bytes;
    });
    for (size_t i = 1; i < t.sram.size(); ++i) {
      if (t.sram[i].capacity_bytes == t.sram[i - 1].capacity_bytes) {
        sram->Fail("points", "two points with the same capacity");
      }
    }
    sram->Finish();
  }
  if (auto dram = derived ? root.MapIf("dram") : std::optional<ConfigMap>(root.Map("dram"))) {
    for (const auto& name : dram->Keys()) {
      ConfigMap d = dram->Map(name);
      DramTech dt;
      const std::string key = d.path();
      const std::string source = ReadProvenance(d, "", key, t.estimates);
      dt.read_pj_per_bit = {d.Quantity("read", Dimension::kEnergyPerBit),
                            FieldProvenance(d, "read", key, source, t.estimates)};
      dt.write_pj_per_bit = {d.Quantity("write", Dimension::kEnergyPerBit),
                             FieldProvenance(d, "write", key, source, t.estimates)};
      dt.activate_pj = {d.QuantityOr("activate", 0, Dimension::kEnergy, true),
                        FieldProvenance(d, "activate", key, source, t.estimates)};
      dt.background_mw = {d.QuantityOr("background", 0, Dimension::kPower, true),
                          FieldProvenance(d, "background", key, source, t.estimates)};
      d.Finish();
      t.dram[name] = dt;
    }
    dram->Finish();
  }
  if (auto noc = derived ? root.MapIf("noc") : std::optional<ConfigMap>(root.Map("noc"))) {
    if (!derived || noc->Has("router")) {
      t.noc_router_pj_per_bit =
          ReadPriced(noc->Map("router"), "energy", Dimension::kEnergyPerBit, false, t);
    }
    if (!derived || noc->Has("link")) {
      t.noc_link_pj_per_bit_mm =
          ReadPriced(noc->Map("link"), "energy", Dimension::kEnergyPerBitMm, false, t);
    }
    noc->Finish();
  }
  if (auto leak = derived ? root.MapIf("leakage") : std::optional<ConfigMap>(root.Map("leakage"))) {
    for (const auto& name : leak->Keys()) {
      if (name == "sram") {
        t.sram_leakage_mw_per_kib =
            ReadPriced(leak->Map(name), "power", Dimension::kPowerPerKiB, true, t);
      } else {
        ConfigMap entry = leak->Map(name);
        if (name == "router" && entry.Has("port_bits")) {
          t.router_leakage_port_bits = entry.Number("port_bits", 1, 1e6);
        }
        t.leakage_mw[name] = ReadPriced(entry, "power", Dimension::kPower, true, t);
      }
    }
    if (!derived && !leak->Has("sram")) leak->FailHere("missing required key 'sram'");
    leak->Finish();
  }
  // Area does not carry over from a base table unscaled: a derived table without `area:` has none.
  if (auto area = root.MapIf("area")) {
    t.area = std::make_shared<const AreaTech>(
        ReadAreaTech(*area, derived ? t.area.get() : nullptr, t.estimates));
  } else {
    t.area = nullptr;
    std::erase_if(t.estimates, [](const TechEstimate& e) { return e.key.rfind("area.", 0) == 0; });
  }
  root.Finish();
  return t;
}

}  // namespace

TechTable LoadTechTable(const std::string& path) {
  BaseChain chain;
  return LoadTechTableFile(path, chain);
}

TechTable LoadTechTable(ConfigMap root, const std::string& path) {
  BaseChain chain;
  return LoadChained(root, path, chain);
}

}  // namespace pjsim
