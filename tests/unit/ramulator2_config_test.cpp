// A Ramulator 2 configuration read as Ramulator 2 reads it: its presets' values, the timings it
// derives (JESD79-4/5 tables by rate, DQ width and density, JEDEC_rounding of ns), the file's own
// timings in clocks or ns, its controller's buffers and watermarks as the same request counts,
// its linear mappers' field orders; what pjsim cannot simulate so is an error at its line, and
// keys that are not read are notes.
#include "sim/config/ramulator2_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>

#include "config_error_text.h"
#include "sim/config/ramulator2_presets.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using ramulator2::Standard;

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = test::FreshDir("ramulator2_config") + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// A configuration of Ramulator's example layout; `dram` and `controller` replace its parts.
std::string Config(const std::string& dram,
                   const std::string& controller =
                       "  Controller:\n    impl: Generic\n"
                       "    Scheduler: {impl: FRFCFS}\n"
                       "    RefreshManager: {impl: AllBank}\n",
                   const std::string& mapper = "RoBaRaCoCh") {
  return "MemorySystem:\n  impl: GenericDRAM\n  clock_ratio: 3\n" + dram + controller +
         "  AddrMapper: {impl: " + mapper + "}\n";
}

std::string Dram(const std::string& standard, const std::string& org, const std::string& timing) {
  return "  DRAM:\n    impl: " + standard + "\n    org: {" + org + "}\n    timing: {" + timing +
         "}\n";
}

std::map<std::string, std::string> Fields(const Ramulator2Preset& p) {
  std::map<std::string, std::string> f;
  for (const Ramulator2Field& field : p.fields) f[field.key] = field.value;
  return f;
}

Ramulator2Preset Read(const std::string& text) {
  return ReadRamulator2Config(Write("c.yaml", text));
}

TEST(Ramulator2Presets, RoundsNanosecondsAsRamulatorDoes) {
  // DDR4: (ps x 1000 / tCK + 974) / 1000; DDR5: (ps x 997 / tCK + 1000) / 1000.
  EXPECT_EQ(ramulator2::JedecRounding(Standard::kDdr4, 360.f, 625), 576);  // 8 Gb tRFC1
  EXPECT_EQ(ramulator2::JedecRounding(Standard::kDdr4, 7800.f, 625), 12480);
  EXPECT_EQ(ramulator2::JedecRounding(Standard::kDdr4, 13.75f, 625), 22);  // 22.0 + 0.974
  EXPECT_EQ(ramulator2::JedecRounding(Standard::kDdr4, 13.5f, 625), 22);   // 21.6 + 0.974
  EXPECT_EQ(ramulator2::JedecRounding(Standard::kDdr4, 13.0f, 625), 21);   // 20.8 + 0.974
  EXPECT_EQ(ramulator2::JedecRounding(Standard::kDdr5, 295.f, 625), 471);
  EXPECT_EQ(ramulator2::JedecRounding(Standard::kDdr5, 3900.f, 625), 6222);
  // The rate is halved as an integer first.
  EXPECT_EQ(ramulator2::ClockPeriodPs(3200), 625);
  EXPECT_EQ(ramulator2::ClockPeriodPs(2933), 682);
  EXPECT_EQ(ramulator2::ClockPeriodPs(2133), 938);
}

TEST(Ramulator2Config, Ddr4PresetsGiveTheComparisonsTypedInValues) {
  const Ramulator2Preset p =
      Read(Config(Dram("DDR4", "preset: DDR4_8Gb_x8, channel: 1, rank: 2", "preset: DDR4_3200AA")));
  auto f = Fields(p);
  EXPECT_EQ(p.base_preset, "ddr4-3200-x8");
  const std::map<std::string, std::string> expected = {{"ranks", "2"},
                                                       {"bank_groups", "4"},
                                                       {"banks_per_group", "4"},
                                                       {"rows", "65536"},
                                                       {"columns", "1024"},
                                                       {"device_width", "8"},
                                                       {"bus_width_bits", "64"},
                                                       {"devices_per_rank", "8"},
                                                       {"burst_length", "8"},
                                                       {"tCK", "0.625"},
                                                       {"CL", "22"},
                                                       {"CWL", "16"},
                                                       {"tRCD", "22"},
                                                       {"tRP", "22"},
                                                       {"tRAS", "52"},
                                                       {"tRC", "74"},
                                                       {"tWR", "24"},
                                                       {"tRTP", "12"},
                                                       {"tRRD_S", "4"},
                                                       {"tRRD_L", "8"},
                                                       {"tFAW", "34"},
                                                       {"tCCD_S", "4"},
                                                       {"tCCD_L", "8"},
                                                       {"tWTR_S", "4"},
                                                       {"tWTR_L", "12"},
                                                       {"tRFC", "576"},
                                                       {"tREFI", "12480"},
                                                       {"tRTRS", "2"},
                                                       {"tRTRS_WR", "14"},
                                                       {"tRTRS_RW", "0"},
                                                       {"tRTRS_WW", "0"},
                                                       {"read_to_write_gap", "2"},
                                                       {"read_queue", "33"},
                                                       {"write_queue", "33"},
                                                       {"active_buffer", "33"},
                                                       {"command_bus", "one_per_clock"},
                                                       {"scheduler", "fr-fcfs"},
                                                       {"refresh", "true"},
                                                       {"refresh_stagger", "false"},
                                                       {"power_down", "false"},
                                                       {"page_policy", "open"},
                                                       {"address_mapping", "robabgracoch"}};
  for (const auto& [key, value] : expected) EXPECT_EQ(f[key], value) << key;
  EXPECT_EQ(f.count("two_cycle_commands"), 0u);
}

TEST(Ramulator2Config, Ddr5DerivesItsTablesAndWriteToReadGaps) {
  const Ramulator2Preset p =
      Read(Config(Dram("DDR5", "preset: DDR5_16Gb_x8, channel: 1, rank: 1", "preset: DDR5_3200AN"),
                  "  Controller: {impl: Generic, Scheduler: {impl: FRFCFS}, RefreshManager: {impl: "
                  "AllBank}}\n",
                  "ChRaBaRoCo"));
  auto f = Fields(p);
  EXPECT_EQ(p.base_preset, "ddr5-4800");
  // docs/RAMULATOR.md's --set list for DDR5_3200AN, and the two-clock commands.
  const std::map<std::string, std::string> expected = {{"burst_length", "16"},
                                                       {"bus_width_bits", "32"},
                                                       {"devices_per_rank", "4"},
                                                       {"CL", "24"},
                                                       {"CWL", "22"},
                                                       {"tRC", "75"},
                                                       {"tRRD_S", "8"},
                                                       {"tRRD_L", "8"},
                                                       {"tFAW", "32"},
                                                       {"tCCD_S", "8"},
                                                       {"tCCD_L", "8"},
                                                       {"tCCD_L_WR", "16"},
                                                       {"tWTR_S", "4"},
                                                       {"tWTR_L", "16"},
                                                       {"tWR", "48"},
                                                       {"tRFC", "471"},
                                                       {"tREFI", "6222"},
                                                       {"two_cycle_commands", "true"},
                                                       {"read_to_write_gap", "4"},
                                                       {"address_mapping", "chrabgbaroco"}};
  for (const auto& [key, value] : expected) EXPECT_EQ(f[key], value) << key;
  // x4 devices: the 1 KB page's tFAW and the read-modify-write tCCD_L_WR.
  f = Fields(Read(Config(Dram("DDR5", "preset: DDR5_16Gb_x4", "preset: DDR5_3200AN"))));
  EXPECT_EQ(f["tFAW"], "40");
  EXPECT_EQ(f["tCCD_L_WR"], "32");
  EXPECT_EQ(f["devices_per_rank"], "8");
}

TEST(Ramulator2Config, TablesFollowRateWidthAndDensity) {
  // x16 at 2400: tRRD_S 7, tRRD_L 8, tFAW 36 (JESD79-4 Tables 169-170); 16 Gb: tRFC1 550 ns.
  auto f = Fields(Read(Config(Dram("DDR4", "preset: DDR4_16Gb_x16", "preset: DDR4_2400R"))));
  EXPECT_EQ(f["tRRD_S"], "7");
  EXPECT_EQ(f["tRRD_L"], "8");
  EXPECT_EQ(f["tFAW"], "36");
  EXPECT_EQ(f["tRFC"], std::to_string(ramulator2::JedecRounding(Standard::kDdr4, 550.f, 833)));
  EXPECT_EQ(f["tCK"], "0.833");
  EXPECT_EQ(Read(Config(Dram("DDR4", "preset: DDR4_16Gb_x16", "preset: DDR4_2400R"))).base_preset,
            "ddr4-3200-x16");
  // The file's own timings win: clocks as given, ns rounded; a rate and every level instead of
  // presets.
  f = Fields(
      Read(Config(Dram("DDR4",
                       "density: 8192, dq: 8, channel: 1, rank: 1, bankgroup: 4, bank: 4, "
                       "row: 65536, column: 1024",
                       "rate: 2400, nBL: 4, nCL: 16, nRCD: 17, tRP: 13.75, nRAS: 39, nRC: "
                       "55, nWR: 18, nRTP: 9, nCWL: 12, nCCDS: 4, nCCDL: 6, nWTRS: 3, nWTRL: "
                       "9, nCS: 2"))));
  EXPECT_EQ(f["tRCD"], "17");
  EXPECT_EQ(f["tRP"], std::to_string(ramulator2::JedecRounding(Standard::kDdr4, 13.75f, 833)));
  EXPECT_EQ(f["tFAW"], "26");  // derived for x8 at 2400
}

TEST(Ramulator2Config, WatermarksStartAndEndDrainsAtRamulatorsCounts) {
  // Ramulator: a drain starts with more than high x 32 writes and ends with fewer than low x
  // 32; pjsim: starts at >= high' x 33 and ends at <= low' x 33. Same counts for every mark.
  for (const double high : {0.5, 0.8, 0.8125, 0.9, 1.0}) {
    for (const double low : {0.05, 0.2, 0.25, 0.5}) {
      const std::string controller =
          "  Controller: {impl: Generic, wr_high_watermark: " + std::to_string(high) +
          ", wr_low_watermark: " + std::to_string(low) +
          ", Scheduler: {impl: FRFCFS}, RefreshManager: {impl: AllBank}}\n";
      auto f = Fields(
          Read(Config(Dram("DDR4", "preset: DDR4_8Gb_x8", "preset: DDR4_3200AA"), controller)));
      const double h = std::stod(f["write_high_watermark"]),
                   l = std::stod(f["write_low_watermark"]);
      for (int n = 0; n <= 33; ++n) {
        const float hf = static_cast<float>(high), lf = static_cast<float>(low);
        EXPECT_EQ(static_cast<float>(n) > hf * 32.f, n >= h * 33) << high << " " << n;
        EXPECT_EQ(static_cast<float>(n) < lf * 32.f, n <= l * 33) << low << " " << n;
      }
    }
  }
}

TEST(Ramulator2Config, WhatPjsimCannotSimulateIsAnErrorAtItsLine) {
  const std::string good_dram = Dram("DDR4", "preset: DDR4_8Gb_x8", "preset: DDR4_3200AA");
  const auto error = [](const std::string& text) {
    const std::string path = Write("e.yaml", text);
    std::string e = test::ErrorOf([&] { ReadRamulator2Config(path); });
    return e.substr(e.find("e.yaml"));
  };
  EXPECT_EQ(
      error(Config(Dram("HBM2", "preset: HBM2_8Gb", "preset: HBM2_2Gbps"))),
      "e.yaml:5:11: 'MemorySystem.DRAM.impl': HBM2: pjsim simulates the DRAM as Ramulator 2 does "
      "for DDR4, DDR5 only");
  EXPECT_EQ(error(Config(Dram("DDR4", "preset: DDR4_8Gb_x9", "preset: DDR4_3200AA"))),
            "e.yaml:6:19: 'MemorySystem.DRAM.org.preset': unknown DDR4 organisation preset "
            "'DDR4_8Gb_x9' (did you mean "
            "'DDR4_8Gb_x4'?)");
  EXPECT_EQ(error(Config(Dram("DDR4", "preset: DDR4_8Gb_x8, row: 1024", "preset: DDR4_3200AA"))),
            "e.yaml:6:10: 'MemorySystem.DRAM.org': bankgroup x bank x row x column x dq = 128 Mb, "
            "not the density "
            "8192 Mb (Ramulator 2 refuses it too)");
  EXPECT_EQ(error(Config(Dram("DDR4", "preset: DDR4_8Gb_x8", "preset: DDR4_3200AA, rate: 2400"))),
            "e.yaml:7:41: 'MemorySystem.DRAM.timing.rate': a speed preset fixes the rate "
            "(Ramulator 2 refuses both)");
  // DDR4-2000 is no speed bin: nRRDS, nRRDL, nFAW have no table to come from.
  EXPECT_NE(error(Config(Dram("DDR4", "preset: DDR4_8Gb_x8",
                              "rate: 2000, nBL: 4, nCL: 14, nRCD: 14, nRP: 14, nRAS: 33, nRC: 47, "
                              "nWR: 15, nRTP: 8, nCWL: 11, nCCDS: 4, nCCDL: 6, nWTRS: 3, "
                              "nWTRL: 8, nCS: 2")))
                .find("'MemorySystem.DRAM.timing': nRRDS is not specified (no Ramulator 2 table "
                      "covers DDR4-2000, x8, 8192 Mb; give it in clocks or as tRRDS in ns)"),
            std::string::npos);
  EXPECT_EQ(
      error(Config(good_dram,
                   "  Controller:\n    impl: Generic\n    Scheduler: {impl: FRFCFS}\n"
                   "    RefreshManager: {impl: AllBank}\n"
                   "    RowPolicy: {impl: TimeoutRowPolicy}\n")),
      "e.yaml:12:23: 'MemorySystem.Controller.RowPolicy.impl': TimeoutRowPolicy: pjsim simulates "
      "the row policy as Ramulator 2 does for OpenRowPolicy, ClosedRowPolicy only");
  EXPECT_EQ(error(Config(good_dram,
                         "  Controller:\n    impl: Generic\n    Scheduler: {impl: FRFCFS}\n"
                         "    RefreshManager: {impl: AllBank}\n    plugins:\n"
                         "      - ControllerPlugin: {impl: PARA}\n")),
            "e.yaml:13:34: 'MemorySystem.Controller.plugins.0.ControllerPlugin.impl': plugin PARA "
            "changes the commands the controller issues; pjsim does "
            "not simulate it (CommandCounter and TraceRecorder only observe)");
  EXPECT_NE(error(Config(good_dram,
                         "  Controller: {impl: Generic, Scheduler: {impl: FRFCFS}, "
                         "RefreshManager: {impl: AllBank}}\n",
                         "MOP4CLXOR"))
                .find("address mapping as Ramulator 2 does for RoBaRaCoCh, ChRaBaRoCo only"),
            std::string::npos);
}

std::string RowPolicy(const std::string& policy) {
  return Config(Dram("DDR4", "preset: DDR4_8Gb_x8", "preset: DDR4_3200AA"),
                "  Controller:\n    impl: Generic\n    Scheduler: {impl: FRFCFS}\n"
                "    RefreshManager: {impl: AllBank}\n"
                "    RowPolicy: {" +
                    policy + "}\n");
}

// ClosedRowPolicy (Ramulator 2 after 525d045f, its example_config.yaml) closes a bank's row
// after `cap` column accesses (10,000,000 by default): close_after_accesses, on the line of
// `cap`; OpenRowPolicy and no policy keep rows open and set none.
TEST(Ramulator2Config, ClosedRowPolicyClosesAfterItsCap) {
  const Ramulator2Preset closed = Read(RowPolicy("impl: ClosedRowPolicy, cap: 4"));
  auto f = Fields(closed);
  EXPECT_EQ(f["close_after_accesses"], "4");
  EXPECT_EQ(f["page_policy"], "open");
  for (const Ramulator2Field& field : closed.fields) {
    if (field.key == "close_after_accesses") {
      EXPECT_EQ(field.line, 12);
    }
  }
  EXPECT_EQ(Fields(Read(RowPolicy("impl: ClosedRowPolicy")))["close_after_accesses"], "10000000");
  const Ramulator2Preset open = Read(RowPolicy("impl: OpenRowPolicy, cap: 4"));
  EXPECT_EQ(Fields(open).count("close_after_accesses"), 0u);
  std::string notes;
  for (const std::string& n : open.notes) notes += n + "\n";
  EXPECT_NE(notes.find("MemorySystem.Controller.RowPolicy.cap is not read"), std::string::npos)
      << notes;
  EXPECT_EQ(Fields(Read(Config(Dram("DDR4", "preset: DDR4_8Gb_x8", "preset: DDR4_3200AA"))))
                .count("close_after_accesses"),
            0u);
  // Ramulator's own example configuration, as it ships (tests/data/ramulator2/).
  const Ramulator2Preset example = ReadRamulator2Config(
      test::SourceDir() + "/tests/data/ramulator2/ddr4_8gb_x8_2400r_closedrow.yaml");
  EXPECT_EQ(Fields(example)["close_after_accesses"], "4");
  EXPECT_EQ(example.timing, "DDR4_2400R");
}

// A cap that is no positive int is one located line (Ramulator would close after every access
// at 0 or below, and refuse the others).
TEST(Ramulator2Config, AMalformedCapIsAnErrorAtItsLine) {
  const auto error = [](const std::string& cap) {
    const std::string path = Write("e.yaml", RowPolicy("impl: ClosedRowPolicy, cap: " + cap));
    std::string e = test::ErrorOf([&] { ReadRamulator2Config(path); });
    return e.substr(e.find("e.yaml"));
  };
  const std::string at = "e.yaml:12:45: 'MemorySystem.Controller.RowPolicy.cap': ";
  EXPECT_EQ(error("0"), at + "must be within 1..2147483647, got 0");
  EXPECT_EQ(error("-4"), at + "must be within 1..2147483647, got -4");
  EXPECT_EQ(error("4.5"), at + "expected a whole number, got '4.5'");
  EXPECT_EQ(error("four"), at + "expected a whole number, got 'four'");
  EXPECT_EQ(error("2147483648"), at + "must be within 1..2147483647, got 2147483648");
}

TEST(Ramulator2Config, KeysNotReadAreNotesWithASuggestion) {
  const Ramulator2Preset p = Read(
      Config(Dram("DDR4", "preset: DDR4_8Gb_x8", "preset: DDR4_3200AA, nCLL: 20"),
             "  Controller: {impl: Generic, Scheduler: {impl: FRFCFS}, RefreshManager: {impl: "
             "AllBank}, plugins: [{ControllerPlugin: {impl: CommandCounter, path: c.txt}}]}\n"));
  std::string notes;
  for (const std::string& n : p.notes) notes += n + "\n";
  EXPECT_NE(notes.find("c.yaml:7:41: MemorySystem.DRAM.timing.nCLL is not read (Ramulator 2 does "
                       "not read it either); did you mean 'nCL'?"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("plugin CommandCounter only observes"), std::string::npos) << notes;
  EXPECT_NE(notes.find("the IDD currents and the I/O energy are pjsim's ddr4-3200-x8 preset's"),
            std::string::npos)
      << notes;
}

TEST(Ramulator2Config, OnlyAMemorySystemMakesARamulatorConfiguration) {
  EXPECT_TRUE(IsRamulator2Config(Write("r.yaml", Config(Dram("DDR4", "", "")))));
  EXPECT_FALSE(IsRamulator2Config(test::SourceDir() + "/configs/dram/ddr4-3200-x8.yaml"));
  EXPECT_FALSE(IsRamulator2Config(Write("bad.yaml", "MemorySystem: [\n")));
  EXPECT_FALSE(IsRamulator2Config(Write("list.yaml", "- MemorySystem\n")));
  EXPECT_FALSE(IsRamulator2Config("/nonexistent/ramulator.yaml"));
}

}  // namespace
}  // namespace pjsim
