#include "sim/energy/platform_actions.h"

#include <sstream>

namespace pjsim {
namespace {

// Price of one cycle of leakage at `mw` milliwatts: P x T_clk, in pJ.
double LeakPjPerCycle(double mw, double clock_hz) { return mw * 1e-3 / clock_hz * 1e12; }

std::string Kib(double bytes) {
  std::ostringstream s;
  s << bytes / 1024 << " KiB";
  return s.str();
}

}  // namespace

PlatformActions RegisterPlatformActions(EnergyLedger& ledger, const ArchConfig& arch,
                                        const TechTable& tech) {
  PlatformActions a;
  const double cap = arch.tile.sram.capacity_bytes;
  const std::string sram_src =
      "interpolated at " + Kib(cap) + " from " + tech.file + " sram points";
  a.sram_read =
      ledger.Register({"sram.read", "sram_read", "bit", tech.SramReadPjPerBit(cap), sram_src});
  a.sram_write =
      ledger.Register({"sram.write", "sram_write", "bit", tech.SramWritePjPerBit(cap), sram_src});
  a.sram_fill =
      ledger.Register({"sram.write", "sram_fill", "bit", tech.SramWritePjPerBit(cap), sram_src});

  const DramTech& d = tech.Dram(arch.dram.type);
  a.dram_read = ledger.Register({"dram.read", arch.dram.type + "_read", "bit",
                                 d.read_pj_per_bit.value, d.read_pj_per_bit.source});
  a.dram_write = ledger.Register({"dram.write", arch.dram.type + "_write", "bit",
                                  d.write_pj_per_bit.value, d.write_pj_per_bit.source});
  a.dram_activate = ledger.Register({"dram.activate", arch.dram.type + "_activate", "activation",
                                     d.activate_pj.value, d.activate_pj.source});

  a.noc_router =
      ledger.Register({"noc.router", "router_traversal", "bit-router",
                       tech.noc_router_pj_per_bit.value, tech.noc_router_pj_per_bit.source});
  a.noc_link =
      ledger.Register({"noc.link", "link_traversal", "bit-mm", tech.noc_link_pj_per_bit_mm.value,
                       tech.noc_link_pj_per_bit_mm.source});

  const double f = arch.clock_hz;
  const double tiles = static_cast<double>(arch.TileCount());
  const auto leak = [&](const std::string& category, const std::string& name, double mw,
                        const std::string& source) {
    return ledger.Register({category, name, "instance-cycle", LeakPjPerCycle(mw, f), source});
  };
  const Priced& pe = tech.Leakage("mac_pe");
  a.leak_pe = leak("leakage.tile", "mac_pe", pe.value, pe.source);
  a.pe_instances = tiles * static_cast<double>(arch.tile.rows * arch.tile.cols);
  const Priced& lane = tech.Leakage("vector_lane");
  a.leak_vector = leak("leakage.tile", "vector_lane", lane.value, lane.source);
  a.vector_instances = tiles * static_cast<double>(arch.tile.vector_lanes);
  a.leak_sram =
      leak("leakage.sram", "sram_" + Kib(cap), tech.sram_leakage_mw_per_kib.value * cap / 1024,
           tech.sram_leakage_mw_per_kib.source);
  a.sram_instances = tiles;
  const Priced& router = tech.Leakage("router");
  if (tech.router_leakage_port_bits > 0) {
    const double port_bits = arch.noc.link_bytes_per_cycle * 8;
    const double ratio = port_bits / tech.router_leakage_port_bits;
    std::ostringstream source;
    source << router.source << "; x " << port_bits << "/" << tech.router_leakage_port_bits
           << " port bits";
    a.leak_router = leak("leakage.noc", "router", router.value * ratio, source.str());
  } else {
    a.leak_router = leak("leakage.noc", "router", router.value, router.source);
  }
  a.router_instances = arch.HasRouters() ? tiles : 0;
  a.leak_dram = leak("leakage.dram", arch.dram.type + "_background", d.background_mw.value,
                     d.background_mw.source);
  a.dram_instances = static_cast<double>(arch.dram.channels.size());
  return a;
}

ActionId VectorOpAction(EnergyLedger& ledger, PlatformActions& actions, const TechTable& tech,
                        const std::string& op_name) {
  auto it = actions.vector_ops.find(op_name);
  if (it != actions.vector_ops.end()) return it->second;
  const Priced& p = tech.Op(op_name);
  const ActionId id = ledger.Register({"compute.vector", op_name, "op", p.value, p.source});
  actions.vector_ops.emplace(op_name, id);
  return id;
}

}  // namespace pjsim
