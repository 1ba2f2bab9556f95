// Energy per operation from the RTL, compared with the technology table's ratios.
//
// Measure: dynamic energy ~ activity x switched capacitance. For each unit instance i that takes
// part in an operation, activity a_i = (toggles of its instrumented signal bits during the run) /
// (its instrumented bits), from the --coverage-toggle models, and size c_i = its yosys cell count
// (rtl/cells/<unit>.json, built by rtl/CMakeLists.txt). Relative energy per op = sum_i a_i c_i /
// ops: the number of cell-equivalents switched per operation. Only ratios of this number mean
// anything.
//
// Ratios (kernel / baseline), each against the 45 nm table's prices (configs/tech/45nm.yaml):
//   L-Mul vs conventional multiplier, fp8 e4m3fn: model int8_add / int8_mult (the table has no fp8
//     multiply; an L-Mul of an 8-bit format is priced as one int8 add, as sim/arch/lmul_kind
//     does);
//   L-Mul vs conventional multiplier, bf16: int16_add / fp16_mult (the L-Mul paper's convention);
//   ternary lane vs int8 MAC: int8_add / (int8_mult + int32_add), one weight of a ternary dot
//   product
//     (lane + its share of the adder tree) against one PE MAC of the output-stationary array;
//   spike accumulate vs MAC: int16_add / (int8_mult + int32_add), one synaptic event of the LIF
//   unit
//     (16-bit current read-modify-write datapath) against one PE MAC.
// The tests assert the direction of every ratio (the RTL agrees the kernel is cheaper) and flag a
// divergence beyond kTolerance (RTL ratio / model ratio outside [1/kTolerance, kTolerance]) in the
// table; the table is written to <build>/rtl/energy_table.md.
#include <gtest/gtest.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vtoggle_fp_mul_suite.h"
#include "Vtoggle_int8_os_4x4.h"
#include "Vtoggle_lif_u1.h"
#include "Vtoggle_ternary_w8.h"
#include "rtl/rtl_harness.h"
#include "tests/rtl/toggle_counts.h"

namespace pjsim::rtl {
namespace {

using test::ToggleCounts;
using test::TogglePoint;

constexpr double kTolerance = 3.0;  // flag RTL/model divergence beyond a factor of 3 either way

std::string Scratch(const std::string& name) {
  return ::testing::TempDir() + "pjsim_rtl_energy_" + name + "_" + std::to_string(::getpid()) +
         ".dat";
}

// Cell count of a unit from yosys' `stat -json` output: the "num_cells" of the "design" section.
// Returns -1 when the file is missing (yosys was not found at configure time).
std::int64_t Cells(const std::string& unit) {
  std::ifstream in(std::string(PJSIM_RTL_CELLS_DIR) + "/" + unit + ".json");
  if (!in) return -1;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::size_t design = text.find("\"design\"");
  const std::size_t key = text.find("\"num_cells\"", design == std::string::npos ? 0 : design);
  if (design == std::string::npos || key == std::string::npos) {
    throw std::runtime_error("no design num_cells in yosys output for " + unit);
  }
  const std::size_t colon = text.find(':', key);
  return std::stoll(text.substr(colon + 1));
}

// One instance taking part in an operation: its hierarchy suffix in the toggle counts and the
// yosys unit whose cell count sizes it.
struct Instance {
  std::string hier;
  std::string unit;
};

struct Activity {
  double ops = 0;
  double switched_cells = 0;  // sum_i a_i * c_i over the run
  double toggles = 0;
  double bits = 0;
  double PerOp() const { return switched_cells / ops; }
};

Activity Measure(const ToggleCounts& t, const std::vector<Instance>& instances, double ops) {
  Activity a;
  a.ops = ops;
  for (const Instance& inst : instances) {
    std::uint64_t toggles = 0;
    std::size_t bits = 0;
    for (const TogglePoint& p : t.points()) {
      // The instance itself or an instance inside it (e.g. fp_unpack inside lmul).
      const bool own =
          p.hier.size() >= inst.hier.size() &&
          p.hier.compare(p.hier.size() - inst.hier.size(), inst.hier.size(), inst.hier) == 0;
      if (!own && p.hier.find(inst.hier + ".") == std::string::npos) continue;
      toggles += p.count;
      ++bits;
    }
    if (bits == 0) throw std::runtime_error("instance " + inst.hier + " has no toggle points");
    const std::int64_t cells = Cells(inst.unit);
    if (cells <= 0) throw std::runtime_error("no cell count for " + inst.unit);
    a.switched_cells +=
        static_cast<double>(cells) * static_cast<double>(toggles) / static_cast<double>(bits);
    a.toggles += static_cast<double>(toggles);
    a.bits += static_cast<double>(bits);
  }
  return a;
}

// Random operands in the normal range whose products stay normal (a multiplier's typical work).
std::uint32_t RandomNormal(std::mt19937_64& rng, int e_bits, int m_bits, int bias, int spread) {
  std::uniform_int_distribution<std::uint32_t> sign(0, 1), mant(0, (1u << m_bits) - 1);
  std::uniform_int_distribution<int> exp(bias - spread, bias + spread);
  return (sign(rng) << (e_bits + m_bits)) | (static_cast<std::uint32_t>(exp(rng)) << m_bits) |
         mant(rng);
}

// Activity of the L-Mul and conventional instance of one format in the suite, on the same
// operand stream.
std::pair<Activity, Activity> MeasureMultipliers(const std::string& format) {
  VerilatedContext ctx;
  Vtoggle_fp_mul_suite top(&ctx, "top");
  const bool bf16 = format == "bf16";
  std::mt19937_64 rng(0xe17e);
  constexpr int kOps = 20'000;
  top.eval();
  ctx.coveragep()->zero();
  for (int i = 0; i < kOps; ++i) {
    if (bf16) {
      top.a16 = static_cast<SData>(RandomNormal(rng, 8, 7, 127, 20));
      top.b16 = static_cast<SData>(RandomNormal(rng, 8, 7, 127, 20));
    } else if (format == "e5m2") {
      top.a8 = static_cast<CData>(RandomNormal(rng, 5, 2, 15, 6));
      top.b8 = static_cast<CData>(RandomNormal(rng, 5, 2, 15, 6));
    } else {
      top.a8 = static_cast<CData>(RandomNormal(rng, 4, 3, 7, 3));
      top.b8 = static_cast<CData>(RandomNormal(rng, 4, 3, 7, 3));
    }
    top.eval();
  }
  const ToggleCounts t = ToggleCounts::Read(ctx, Scratch("fp_" + format));
  top.final();
  return {Measure(t, {{"u_lmul_" + format, "lmul_" + format}}, kOps),
          Measure(t, {{"u_mul_" + format, "fp_mul_" + format}}, kOps)};
}

// One weight of the ternary unit (8 lanes + 7 tree adders), a third of the weights zero.
Activity MeasureTernary() {
  Dut<Vtoggle_ternary_w8> dut;
  constexpr int kW = 8, kK = 128, kRows = 16;
  std::mt19937_64 rng(0x7e5);
  std::uniform_int_distribution<int> dx(-128, 127), dcode(0, 2);
  dut->x_we = 1;
  for (int k = 0; k < kK; ++k) {
    dut->x_k = AsPort<SData>(k);
    dut->x_wdata = Int8Bits(static_cast<std::int8_t>(dx(rng)));
    dut.Tick();
  }
  dut->x_we = 0;
  dut->w_we = 1;
  for (int r = 0; r < kRows; ++r) {
    for (int beat = 0; beat < kK / kW; ++beat) {
      std::uint32_t word = 0;
      for (int l = 0; l < kW; ++l) {
        const int c = dcode(rng);
        word |= (c == 0 ? 0b00u : c == 1 ? 0b01u : 0b11u) << (2 * l);
      }
      dut->w_row = AsPort<SData>(r);
      dut->w_beat = AsPort<SData>(beat);
      dut->w_word = static_cast<SData>(word);
      dut.Tick();
    }
  }
  dut->w_we = 0;
  dut.context().coveragep()->zero();
  dut->cfg_k = kK;
  dut->cfg_rows = kRows;
  dut.StartAndWait();
  const ToggleCounts t = ToggleCounts::Read(dut.context(), Scratch("ternary"));
  std::vector<Instance> inst;
  for (int l = 0; l < kW; ++l)
    inst.push_back({"g_lane[" + std::to_string(l) + "].g_real.u_lane", "ternary_lane"});
  for (int lv = 1, nodes = kW / 2; nodes >= 1; ++lv, nodes /= 2) {
    for (int p = 0; p < nodes; ++p) {
      inst.push_back({"g_level[" + std::to_string(lv) + "].g_add[" + std::to_string(p) + "].u_add",
                      "ternary_add_w8"});
    }
  }
  return Measure(t, inst, static_cast<double>(kK) * kRows);
}

// One MAC of the 4x4 output-stationary array on full folds (every PE busy).
Activity MeasureMac() {
  Dut<Vtoggle_int8_os_4x4> dut;
  constexpr int kM = 8, kK = 64, kN = 8;
  std::mt19937_64 rng(0x3ac);
  std::uniform_int_distribution<int> d(-128, 127);
  const auto random = [&](std::int64_t, std::int64_t) { return static_cast<std::int8_t>(d(rng)); };
  LoadMacA(dut, kM, kK, random);
  LoadMacB(dut, kK, kN, random);
  dut.context().coveragep()->zero();
  dut->cfg_m = kM;
  dut->cfg_k = kK;
  dut->cfg_n = kN;
  dut.StartAndWait();
  const ToggleCounts t = ToggleCounts::Read(dut.context(), Scratch("mac"));
  std::vector<Instance> inst;
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      inst.push_back({"g_pe_row[" + std::to_string(i) + "].g_pe[" + std::to_string(j) + "].u_pe",
                      "int8_mac_pe"});
    }
  }
  return Measure(t, inst, static_cast<double>(kM) * kK * kN);
}

// One synaptic event of the LIF unit (random neurons and 8-bit weights into 16-bit currents).
Activity MeasureSpikeAccumulate() {
  Dut<Vtoggle_lif_u1> dut;
  std::mt19937_64 rng(0x5b1);
  const int n = static_cast<int>(dut->cap_n);
  const int q = static_cast<int>(dut->cap_q);
  std::uniform_int_distribution<int> target(0, n - 1), w(-128, 127);
  dut->cfg_n = AsPort<SData>(n);
  dut->cfg_leak = 1;
  dut->cfg_leak_shift = 4;
  dut->cfg_theta = 1000;
  dut->cfg_soft_reset = 1;
  dut->cfg_max_level = 1;
  double events = 0;
  dut.context().coveragep()->zero();
  for (int t = 0; t < 8; ++t) {
    for (int e = 0; e < q; ++e) {
      dut->ev_push = 1;
      dut->ev_neuron = AsPort<SData>(target(rng));
      dut->ev_weight =
          static_cast<CData>(static_cast<std::uint8_t>(static_cast<std::int8_t>(w(rng))));
      dut.Tick();
    }
    dut->ev_push = 0;
    dut.StartAndWait();
    dut.EndPulse();
    events += static_cast<double>(dut->event_count);
  }
  const ToggleCounts t = ToggleCounts::Read(dut.context(), Scratch("lif"));
  return Measure(t, {{"u_acc", "lif_accumulate"}}, events);
}

std::map<std::string, double> TechOps() {
  const YAML::Node root = YAML::LoadFile(std::string(PJSIM_SOURCE_DIR) + "/configs/tech/45nm.yaml");
  std::map<std::string, double> ops;
  for (const auto& entry : root["ops"]) {
    const std::string energy = entry.second["energy"].as<std::string>();
    const double value = std::stod(energy);
    if (energy.find("pJ") == std::string::npos)
      throw std::runtime_error("op energy not in pJ: " + energy);
    ops[entry.first.as<std::string>()] = value;
  }
  return ops;
}

struct RatioRow {
  std::string name;
  std::string model_formula;
  double model = 0;
  Activity kernel, baseline;
  double Rtl() const { return kernel.PerOp() / baseline.PerOp(); }
  double Divergence() const { return Rtl() / model; }
  bool Flagged() const { return Divergence() > kTolerance || Divergence() < 1.0 / kTolerance; }
};

bool HaveCells() { return Cells("int8_mac_pe") > 0; }

#define PJSIM_REQUIRE_CELLS()                                                                 \
  if (!HaveCells())                                                                           \
  GTEST_SKIP() << "yosys cell counts not built (" PJSIM_RTL_CELLS_DIR                         \
                  "): yosys was not found when CMake configured; install the Debian package " \
                  "yosys and re-run cmake"

RatioRow LmulRow(const std::string& format, const std::map<std::string, double>& ops) {
  const auto [lmul, mul] = MeasureMultipliers(format);
  if (format == "bf16") {
    return {"L-Mul / conventional multiplier, bf16", "int16_add / fp16_mult",
            ops.at("int16_add") / ops.at("fp16_mult"), lmul, mul};
  }
  return {"L-Mul / conventional multiplier, fp8 " + format, "int8_add / int8_mult",
          ops.at("int8_add") / ops.at("int8_mult"), lmul, mul};
}

RatioRow TernaryRow(const std::map<std::string, double>& ops) {
  return {"ternary weight (lane + tree) / int8 MAC PE", "int8_add / (int8_mult + int32_add)",
          ops.at("int8_add") / (ops.at("int8_mult") + ops.at("int32_add")), MeasureTernary(),
          MeasureMac()};
}

RatioRow SpikeRow(const std::map<std::string, double>& ops) {
  return {"spike accumulate (16-bit event RMW) / int8 MAC PE",
          "int16_add / (int8_mult + int32_add)",
          ops.at("int16_add") / (ops.at("int8_mult") + ops.at("int32_add")),
          MeasureSpikeAccumulate(), MeasureMac()};
}

void ExpectCheaper(const RatioRow& r) {
  EXPECT_GT(r.kernel.ops, 0);
  EXPECT_GT(r.kernel.toggles, 0) << r.name << ": kernel did not toggle";
  EXPECT_LT(r.Rtl(), 1.0) << r.name << ": RTL says the kernel costs " << r.Rtl()
                          << "x its baseline (model " << r.model << ")";
  EXPECT_LT(r.model, 1.0) << r.name;
  if (r.Flagged()) {
    std::cout << "[ DIVERGES ] " << r.name << ": RTL ratio " << r.Rtl() << ", model " << r.model
              << " (factor " << r.Divergence() << ", tolerance " << kTolerance << ")\n";
  }
}

TEST(RtlEnergy, LmulCheaperThanConventionalMultiplierFp8) {
  PJSIM_REQUIRE_CELLS();
  ExpectCheaper(LmulRow("e4m3fn", TechOps()));
}

TEST(RtlEnergy, LmulCheaperThanConventionalMultiplierBf16) {
  PJSIM_REQUIRE_CELLS();
  ExpectCheaper(LmulRow("bf16", TechOps()));
}

TEST(RtlEnergy, TernaryWeightCheaperThanInt8Mac) {
  PJSIM_REQUIRE_CELLS();
  ExpectCheaper(TernaryRow(TechOps()));
}

TEST(RtlEnergy, SpikeAccumulateCheaperThanInt8Mac) {
  PJSIM_REQUIRE_CELLS();
  ExpectCheaper(SpikeRow(TechOps()));
}

// The size measure alone must already rank the units the way the arithmetic says.
TEST(RtlEnergy, CellCountsRankTheUnits) {
  PJSIM_REQUIRE_CELLS();
  for (const char* f : {"e4m3fn", "e5m2", "bf16"}) {
    EXPECT_LT(Cells(std::string("lmul_") + f), Cells(std::string("fp_mul_") + f)) << f;
  }
  EXPECT_LT(Cells("fp_mul_e4m3fn"), Cells("fp_mul_bf16"));
  EXPECT_LT(Cells("ternary_lane") + Cells("ternary_add_w8"), Cells("int8_mac_pe"));
  EXPECT_LT(Cells("lif_accumulate"), Cells("int8_mac_pe"));
}

// Writes the whole table (Markdown) to the build tree and prints it.
TEST(RtlEnergy, WriteTable) {
  PJSIM_REQUIRE_CELLS();
  const std::map<std::string, double> ops = TechOps();
  const std::vector<RatioRow> rows = {LmulRow("e4m3fn", ops), LmulRow("e5m2", ops),
                                      LmulRow("bf16", ops), TernaryRow(ops), SpikeRow(ops)};
  std::ostringstream os;
  os << std::setprecision(3);
  os << "| ratio (kernel / baseline) | model (45 nm table) | model ratio | RTL kernel | RTL "
        "baseline | RTL ratio | "
        "RTL / model |\n|---|---|---|---|---|---|---|\n";
  for (const RatioRow& r : rows) {
    os << "| " << r.name << " | " << r.model_formula << " | " << r.model << " | "
       << r.kernel.PerOp() << " | " << r.baseline.PerOp() << " | " << r.Rtl() << " | "
       << r.Divergence() << (r.Flagged() ? " **diverges**" : "") << " |\n";
    ExpectCheaper(r);
  }
  os << "\nRTL columns: switched cell-equivalents per operation (sum over the unit's instances of "
        "yosys cells x "
        "toggles per instrumented bit, divided by operations). Divergence flagged beyond a factor "
        "of "
     << kTolerance << ".\n";
  const std::string path = std::string(PJSIM_RTL_REPORT_DIR) + "/energy_table.md";
  std::ofstream out(path);
  ASSERT_TRUE(out) << "cannot write " << path;
  out << os.str();
  std::cout << os.str();
  RecordProperty("energy_table", path);
}

}  // namespace
}  // namespace pjsim::rtl
