// The prices issue #18 named as unsourced or mislabelled carry a `source:` now, and each derived
// one equals the arithmetic its source states, on numbers that are in the repository (the
// DRAM preset's currents, the area table) or quoted in docs/SOURCES.md (NanGate45, CACTI 6.5,
// Stillmaker & Baas). A price edited without its derivation, or relabelled an estimate, fails.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/energy/area_tech.h"
#include "sim/energy/tech_table.h"
#include "test_paths.h"

namespace pjsim {
namespace {

// NanGate45 Open Cell Library, typical corner (1.1 V, 25 C): AND2_X1 leakage and area, scaled to
// the table's 0.9 V by the first-order rule leakage ~ V (docs/SOURCES.md#leakage).
constexpr double kLogicNwPerUm2 = 25.066064 / 1.064 * 0.9 / 1.1;

// ASAP7 7 nm predictive PDK, typical corner (0.7 V, 25 C), scaled to the 7 nm table's 0.8 V by the
// same rule (docs/SOURCES.md#leakage-7nm): the RVT AND2x2 cell (the NanGate AND2_X1's counterpart;
// the 45 nm logic prices are AND2-equivalents times its leakage), and the SRAM-Vt INVx1's
// off-device leakage, PMOS (input high) and NMOS (input low).
constexpr double kAsap7And2Nw = 149.786e-3 * 0.8 / 0.7;
constexpr double kNangateAnd2Um2 = 1.064;
constexpr double kAsap7SramPmosOffNw = 9.90932e-3 * 0.8 / 0.7;
constexpr double kAsap7SramNmosOffNw = 10.6952e-3 * 0.8 / 0.7;

// Stillmaker & Baas 2017 energy polynomial a V^2 + b V + c at 0.9 V.
double StillmakerEnergy(double a, double b, double c) { return a * 0.81 + b * 0.9 + c; }

class TechSources : public ::testing::Test {
 protected:
  static std::string Path(const std::string& rel) { return test::SourceDir() + "/" + rel; }
  const TechTable t45_ = LoadTechTable(Path("configs/tech/45nm.yaml"));
  const TechTable t7_ = LoadTechTable(Path("configs/tech/7nm.yaml"));

  // A price rounded to the figures the YAML writes equals its derivation to 0.05%.
  static void ExpectDerived(double price, double derivation) {
    EXPECT_NEAR(price, derivation, 5e-4 * derivation);
  }
  bool Listed(const TechTable& t, const std::string& key) const {
    for (const TechEstimate& e : t.estimates)
      if (e.key == key) return true;
    return false;
  }
};

TEST_F(TechSources, TheNamedPricesCarryASourceNotAnEstimate) {
  const Priced* named[] = {&t45_.noc_router_pj_per_bit,       &t45_.noc_link_pj_per_bit_mm,
                           &t45_.Dram("hbm2e").background_mw, &t45_.Leakage("mac_pe"),
                           &t45_.Leakage("vector_lane"),      &t45_.Leakage("router"),
                           &t45_.sram_leakage_mw_per_kib};
  for (const Priced* p : named) {
    EXPECT_FALSE(p->source.empty());
    EXPECT_NE(p->source.rfind("estimate", 0), 0u) << p->source;
  }
  for (const char* key :
       {"noc.router.energy", "noc.link.energy", "dram.hbm2e.background", "leakage.mac_pe.power",
        "leakage.vector_lane.power", "leakage.router.power", "leakage.sram.power"}) {
    EXPECT_FALSE(Listed(t45_, key)) << key;
    EXPECT_FALSE(Listed(t7_, key)) << key;  // nor inherited as an estimate by the 7 nm table
  }
  // The 7 nm table scales the 45 nm leakage by factors that are sources too.
  EXPECT_FALSE(Listed(t7_, "scaling.leakage"));
  EXPECT_FALSE(Listed(t7_, "scaling.sram_leakage"));
  for (const Priced* p : {&t7_.Leakage("mac_pe"), &t7_.Leakage("vector_lane"),
                          &t7_.Leakage("router"), &t7_.sram_leakage_mw_per_kib}) {
    EXPECT_NE(p->source.rfind("estimate", 0), 0u) << p->source;
    EXPECT_NE(p->source.find("ASAP7"), std::string::npos) << p->source;
  }
}

TEST_F(TechSources, RouterEnergyIsIsaacsScaledFrom32To45nm) {
  const double e45 = StillmakerEnergy(1.103, -0.362, 0.2767);
  const double e32 = StillmakerEnergy(0.9559, -0.7823, 0.471);
  ExpectDerived(t45_.noc_router_pj_per_bit.value, 0.08 * e45 / e32);
  EXPECT_GT(t45_.noc_router_pj_per_bit.value, 0.08);  // 32 -> 45 nm costs more, never less
}

TEST_F(TechSources, LinkEnergyIsTheMeasured45nmFigure) {
  EXPECT_NEAR(t45_.noc_link_pj_per_bit_mm.value, 0.0404, 1e-12);  // 40.4 fJ/bit/mm
  EXPECT_NE(t45_.noc_link_pj_per_bit_mm.source.find("DATE 2013"), std::string::npos);
}

TEST_F(TechSources, HbmBackgroundIsVddTimesIdd3nOfItsPreset) {
  ConfigMap preset = ConfigMap::Root(ConfigDocument::Load(Path("configs/dram/hbm2e.yaml")));
  const double vdd = preset.Number("VDD", 0, 10);
  const double idd3n_ma = preset.Number("IDD3N", 0, 1e4);
  const double devices = preset.Number("devices_per_rank", 1, 64);
  EXPECT_DOUBLE_EQ(t45_.Dram("hbm2e").background_mw.value, vdd * idd3n_ma * devices);
}

TEST_F(TechSources, LogicLeakageIsNanGateDensityTimesTheAreaTable) {
  ASSERT_TRUE(t45_.area);
  const AreaTech& area = *t45_.area;
  ExpectDerived(t45_.Leakage("mac_pe").value * 1e3,  // mW -> uW
                area.Pe("int8_mac").value * kLogicNwPerUm2 * 1e-3);
  ExpectDerived(t45_.Leakage("vector_lane").value * 1e3,
                area.vector_lane_um2.value * kLogicNwPerUm2 * 1e-3);
  // Five ports of 256 bits (the default architecture's 32 B links).
  ExpectDerived(t45_.Leakage("router").value,
                5 * 256 * area.router_um2_per_port_bit.value * kLogicNwPerUm2 * 1e-6);
}

TEST_F(TechSources, SramLeakageIsCactiBitcellOffCurrent) {
  const double off_width_um = (1.31 + 2.08 + 1.23) * 0.045;  // access, pull-down, pull-up
  const double nw_per_bit = off_width_um * 4.03e-9 * 0.9 * 1e9;
  ExpectDerived(t45_.sram_leakage_mw_per_kib.value * 1e6, nw_per_bit * 8192);  // nW per KiB
}

// The same AND2-equivalent cells, each at the ASAP7 AND2's leakage instead of NanGate's: the 7 nm
// logic leakage does not depend on the 7 nm area table's (estimated) logic scaling.
TEST_F(TechSources, SevenNmLogicLeakageIsAsap7And2TimesTheAnd2Equivalents) {
  ASSERT_TRUE(t45_.area);
  const AreaTech& area = *t45_.area;
  const auto and2s = [](double um2) { return um2 / kNangateAnd2Um2; };
  ExpectDerived(t7_.Leakage("mac_pe").value * 1e6,  // mW -> nW
                and2s(area.Pe("int8_mac").value) * kAsap7And2Nw);
  ExpectDerived(t7_.Leakage("vector_lane").value * 1e6,
                and2s(area.vector_lane_um2.value) * kAsap7And2Nw);
  ExpectDerived(t7_.Leakage("router").value * 1e6,
                and2s(5 * 256 * area.router_um2_per_port_bit.value) * kAsap7And2Nw);
  EXPECT_EQ(t7_.router_leakage_port_bits, t45_.router_leakage_port_bits);
}

// A bitcell in retention has one pull-up, one pull-down and one access device off, each taken at
// an SRAM-Vt INVx1's (an upper bound: a bitcell's devices are no wider).
TEST_F(TechSources, SevenNmSramLeakageIsThreeAsap7SramVtOffDevicesPerBit) {
  const double nw_per_bit = kAsap7SramPmosOffNw + 2 * kAsap7SramNmosOffNw;
  ExpectDerived(t7_.sram_leakage_mw_per_kib.value * 1e6, nw_per_bit * 8192);
  EXPECT_LT(t7_.sram_leakage_mw_per_kib.value, t45_.sram_leakage_mw_per_kib.value / 10);
}

}  // namespace
}  // namespace pjsim
