// GDDR5's timing rules in the `jedec` controller (JESD212; DRAMsim3's configuration.cc, timing.cc
// and channel_state.cc): the data rate per clock (`transfers_per_clock`) sets a burst's clocks
// and the peak; a write waits tRCDWR after its ACT, a read tRCD; PREs to different banks of a
// rank are tPPD apart; at most 32 ACTs of a rank fall in t32AW. Each is checked by exact times,
// in the `ahead` mode and on the clocked command bus, and the fast paths against burst-by-burst
// scheduling (`exact: true`) where the constraints bind and where they cannot.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_fast_path_check.h"
#include "jedec_preset.h"
#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "sim/config/config_error.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// DDR4-3200 x8, one rank, no refresh or power-down (every time below follows from the timings).
JedecParams Ddr4(Sets extra, const std::string& bus = "ahead") {
  Sets sets = {{"power_down", "false"}, {"refresh", "false"}, {"command_bus", bus}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr4-3200-x8", sets);
}

std::uint64_t AddressOf(const JedecParams& p, std::uint32_t group, std::uint32_t bank,
                        std::uint64_t row) {
  const JedecAddressMap map(p);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  for (std::uint64_t a = 0;; a += burst) {
    const JedecAddress d = map.Decode(a);
    if (d.rank == 0 && d.bank_group == group && d.bank == bank && d.row == row && d.column == 0) {
      return a;
    }
  }
}

std::vector<JedecCompletion> Serve(const JedecParams& p, const std::vector<JedecRequest>& rs) {
  JedecController c(p);
  for (const JedecRequest& r : rs) c.Submit(r);
  std::vector<JedecCompletion> done;
  for (std::uint64_t id = 0; id < rs.size(); ++id) done.push_back(c.RunUntil(id));
  return done;
}

std::int64_t Clocks(const JedecParams& p, std::uint64_t ps) {
  return static_cast<std::int64_t>(static_cast<double>(ps) / (p.tCK * 1000) + 0.5);
}

const char* const kBuses[] = {"ahead", "one_per_clock", "row_column"};

// A burst of BL transfers takes BL / transfers_per_clock clocks of the data bus, and the peak is
// bus bytes x transfers_per_clock / tCK: a read's data ends CL + BL / transfers_per_clock after
// its RD.
TEST(JedecGddr, BurstClocksAndPeakFollowTransfersPerClock) {
  for (const std::int64_t transfers : {2, 4, 8}) {
    const JedecParams p = Ddr4({{"transfers_per_clock", std::to_string(transfers)}});
    EXPECT_EQ(p.BurstClocks(), 8 / transfers);
    EXPECT_DOUBLE_EQ(p.PeakBytesPerNs(), 8.0 * static_cast<double>(transfers) / p.tCK);
    const JedecCompletion c = Serve(p, {{AddressOf(p, 0, 0, 0), 64, false, 0}})[0];
    EXPECT_EQ(Clocks(p, c.done_ps - c.first_data_ps), 8 / transfers) << transfers;
  }
  EXPECT_THROW(Ddr4({{"transfers_per_clock", "3"}}), ConfigError);
  EXPECT_THROW(Ddr4({{"transfers_per_clock", "16"}}), ConfigError);  // > burst_length 8
}

// One read and one write to a closed bank, each alone: the write's data starts tRCDWR + CWL
// after its ACT, the read's tRCD + CL.
TEST(JedecGddr, WritesWaitTrcdwrAndReadsTrcd) {
  for (const char* bus : kBuses) {
    for (const std::int64_t rcd_wr : {22, 10}) {
      const JedecParams p = Ddr4({{"tRCD", "22"}, {"tRCDWR", std::to_string(rcd_wr)}}, bus);
      const std::uint64_t a = AddressOf(p, 0, 0, 0);
      const JedecCompletion rd = Serve(p, {{a, 64, false, 0}})[0];
      const JedecCompletion wr = Serve(p, {{a, 64, true, 0}})[0];
      EXPECT_EQ(Clocks(p, rd.first_data_ps) - Clocks(p, wr.first_data_ps),
                22 + p.CL - rcd_wr - p.CWL)
          << bus << " tRCDWR " << rcd_wr;
    }
  }
  EXPECT_EQ(Ddr4({}).tRCDWR, Ddr4({}).tRCD);  // one figure where the preset gives one
}

// Two open banks of different groups, then a miss to each: their PREs are due tRRD_S apart
// (their ACTs were); with tPPD = 40 the second waits 40 clocks after the first, and its data
// comes 40 clocks after the first miss's.
TEST(JedecGddr, PrechargesOfARankAreTppdApart) {
  for (const char* bus : kBuses) {
    for (const std::int64_t ppd : {0, 40}) {
      const JedecParams p = Ddr4({{"tPPD", std::to_string(ppd)}}, bus);
      const std::vector<JedecRequest> rs = {{AddressOf(p, 0, 0, 0), 64, false, 0},
                                            {AddressOf(p, 1, 0, 0), 64, false, 0},
                                            {AddressOf(p, 0, 0, 1), 64, false, 0},
                                            {AddressOf(p, 1, 0, 1), 64, false, 0}};
      const std::vector<JedecCompletion> c = Serve(p, rs);
      const std::int64_t apart = Clocks(p, c[3].first_data_ps) - Clocks(p, c[2].first_data_ps);
      const std::int64_t opened_apart =
          Clocks(p, c[1].first_data_ps) - Clocks(p, c[0].first_data_ps);
      if (ppd == 0) {
        EXPECT_EQ(apart, opened_apart) << bus;
        EXPECT_LT(apart, 40) << bus;
      } else {
        EXPECT_EQ(apart, ppd) << bus;
      }
    }
  }
}

// 33 reads, each to a new row (16 banks, two rounds and one more): the 33rd ACT waits t32AW
// after the first, so with a window of 2000 clocks its data comes exactly 2000 clocks after the
// first read's (both open a row and read it); without the window, far sooner.
TEST(JedecGddr, At32ActsOfARankFallInT32aw) {
  for (const char* bus : kBuses) {
    for (const std::int64_t window : {0, 2000}) {
      const JedecParams p = Ddr4({{"t32AW", std::to_string(window)}}, bus);
      std::vector<JedecRequest> rs;
      for (std::uint32_t i = 0; i < 33; ++i) {
        rs.push_back({AddressOf(p, i % 4, (i / 4) % 4, i / 16), 64, false, 0});
      }
      const std::vector<JedecCompletion> c = Serve(p, rs);
      const std::int64_t apart = Clocks(p, c[32].first_data_ps) - Clocks(p, c[0].first_data_ps);
      if (window > 0) {
        EXPECT_EQ(apart, window) << bus;
      } else {
        EXPECT_LT(apart, 1000) << bus;
      }
    }
  }
}

// The stream, row-run and rotation fast paths place PREs, ACTs and column commands by tRCD, tRRD
// and tFAW alone: with tPPD, a tRCDWR of its own or a 32-ACT window they are off, and every
// outcome is burst-by-burst scheduling's (with them on, the HBM2E streams below part from it).
TEST(JedecGddr, FastPathsMatchBurstByBurstSchedulingWithGddrConstraints) {
  const Sets rotation = {{"address_mapping", "rorabacobg"}};
  const std::vector<std::pair<std::string, Sets>> cases = {
      // Rotations over the bank groups (DDR4 x8).
      {"ddr4-3200-x8", {rotation[0], {"tPPD", "4"}}},
      {"ddr4-3200-x8", {rotation[0], {"tRCDWR", "12"}}},
      {"ddr4-3200-x8", {rotation[0], {"t32AW", "600"}}},
      // Row runs and the idle-controller stream (HBM2E: one bank keeps the data bus busy).
      {"hbm2e", {{"tPPD", "2"}}},
      {"hbm2e", {{"tRCDWR", "8"}}},
      {"hbm2e", {{"t32AW", "400"}}},
      {"hbm2e", {{"t32AW", "384"}}},  // 8 tFAW: binds only ACTs placed out of time order
  };
  unsigned seed = 300;
  for (const auto& [preset, sets] : cases) {
    JedecParams p = test::JedecPreset(preset, sets);
    std::string name = preset;
    for (const auto& [key, v] : sets) name += " " + key + "=" + v;
    for (int round = 0; round < 2; ++round) {
      const std::vector<JedecRequest> requests = test::RandomStream(p, ++seed);
      for (const auto drive : {test::OneAtATime, test::Incremental}) {
        const std::string how = name + " seed " + std::to_string(seed);
        p.exact = false;
        const test::Outcome fast = drive(p, requests, true);
        p.exact = true;
        const test::Outcome exact = drive(p, requests, true);
        test::ExpectSame(fast, exact, how);
        EXPECT_EQ(fast.rotated + fast.streamed, 0u) << how;
      }
    }
  }
}

TEST(JedecGddr, BadValuesAreConfigErrors) {
  EXPECT_THROW(Ddr4({{"t32AW", "10"}}), ConfigError);  // shorter than tFAW
  EXPECT_THROW(Ddr4({{"tPPD", "-1"}}), ConfigError);
  EXPECT_THROW(Ddr4({{"tRCDWR", "0"}}), ConfigError);
}

}  // namespace
}  // namespace pjsim
