// Activity checks on the --coverage-toggle variants of the kernels: the zero-skip / operand
// isolation the RTL claims is visible as zero toggles, and the instrumentation the later
// activity-based energy model relies on actually reaches the datapath registers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "Vtoggle_int8_os_4x4.h"
#include "Vtoggle_ternary_w8.h"
#include "rtl/rtl_harness.h"
#include "tests/rtl/toggle_counts.h"

namespace pjsim::rtl {
namespace {

using test::ToggleCounts;

std::string Scratch(const char* name) {
  return ::testing::TempDir() + "pjsim_rtl_toggle_" + name + "_" + std::to_string(::getpid()) +
         ".dat";
}

std::string Lane(int l) { return "g_lane[" + std::to_string(l) + "].g_real.u_lane"; }
std::string Pe(int i, int j) {
  return "g_pe_row[" + std::to_string(i) + "].g_pe[" + std::to_string(j) + "].u_pe";
}

// Ternary unit, 8 lanes: lane 3 sees only zero weights (both zero codes), the others random
// nonzero weights. Lane 3's register and adder-tree input must not toggle at all.
TEST(ToggleActivity, TernaryZeroWeightLaneDoesNotToggle) {
  Dut<Vtoggle_ternary_w8> dut;
  constexpr int kW = 8, kK = 128, kRows = 4;
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> dx(-128, 127), dcode(0, 1);
  std::vector<std::int8_t> x(kK);
  dut->x_we = 1;
  for (int k = 0; k < kK; ++k) {
    x[static_cast<std::size_t>(k)] = static_cast<std::int8_t>(dx(rng));
    dut->x_k = AsPort<SData>(k);
    dut->x_wdata = Int8Bits(x[static_cast<std::size_t>(k)]);
    dut.Tick();
  }
  dut->x_we = 0;
  std::vector<std::int32_t> want(kRows, 0);
  dut->w_we = 1;
  for (int r = 0; r < kRows; ++r) {
    for (int beat = 0; beat < kK / kW; ++beat) {
      std::uint32_t word = 0;
      for (int l = 0; l < kW; ++l) {
        const bool neg = dcode(rng) != 0;
        const std::uint32_t code = l == 3 ? (neg ? 0b10u : 0b00u) : (neg ? 0b11u : 0b01u);
        word |= code << (2 * l);
        if (l != 3)
          want[static_cast<std::size_t>(r)] +=
              (neg ? -1 : 1) * x[static_cast<std::size_t>(beat * kW + l)];
      }
      dut->w_row = AsPort<SData>(r);
      dut->w_beat = AsPort<SData>(beat);
      dut->w_word = static_cast<SData>(word);
      dut.Tick();
    }
  }
  dut->w_we = 0;
  dut.context().coveragep()->zero();  // count the task only
  dut->cfg_k = kK;
  dut->cfg_rows = kRows;
  dut.StartAndWait();
  const ToggleCounts t = ToggleCounts::Read(dut.context(), Scratch("ternary"));
  for (int r = 0; r < kRows; ++r) {
    dut->y_rd_row = AsPort<SData>(r);
    dut.Eval();
    EXPECT_EQ(static_cast<std::int32_t>(dut->y_rdata), want[static_cast<std::size_t>(r)])
        << "row " << r;
  }
  EXPECT_EQ(dut->nz_lanes, static_cast<IData>(kRows * (kK / kW) * (kW - 1)));
  ASSERT_EQ(t.Bits(Lane(3), "lane_q"), 9u) << "lane register not instrumented";
  ASSERT_EQ(t.Bits(Lane(3), "y"), 9u) << "adder input not instrumented";
  EXPECT_GT(t.Sum(Lane(3), "x"), 0u) << "the activation operand does reach the gated lane";
  EXPECT_EQ(t.Sum(Lane(3), "lane_q"), 0u) << "zero-weight lane register toggled";
  EXPECT_EQ(t.Sum(Lane(3), "nz_q"), 0u);
  EXPECT_EQ(t.Sum(Lane(3), "y"), 0u) << "zero-weight lane toggled its adder input";
  for (int l : {0, 2, 4, 7}) {
    EXPECT_GT(t.Sum(Lane(l), "lane_q"), 0u) << "lane " << l;
    EXPECT_GT(t.Sum(Lane(l), "y"), 0u) << "lane " << l;
  }
  EXPECT_GT(t.Sum("g_level[1].g_add[0].u_add", "sum"), 0u) << "adder tree not instrumented";
  RecordProperty("toggle_points", std::to_string(t.points().size()));
}

// OS array 4x4, task M=2, N=3 (one partial fold): rows 2-3 and column 3 of the PE grid are out of
// range. Their operand registers and accumulators must stay quiet (operand isolation).
TEST(ToggleActivity, MacArrayIdlePesDoNotToggle) {
  Dut<Vtoggle_int8_os_4x4> dut;
  constexpr int kM = 2, kK = 16, kN = 3;
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> d(-128, 127);
  // Fill the whole buffers (as a previous task would), then run the small task.
  const auto random = [&](std::int64_t, std::int64_t) { return static_cast<std::int8_t>(d(rng)); };
  LoadMacA(dut, 40, 64, random);
  LoadMacB(dut, 64, 40, random);
  dut.context().coveragep()->zero();
  dut->cfg_m = kM;
  dut->cfg_k = kK;
  dut->cfg_n = kN;
  dut.StartAndWait();
  const ToggleCounts t = ToggleCounts::Read(dut.context(), Scratch("os"));
  ASSERT_GT(t.Bits(Pe(0, 0), "acc_q"), 0u) << "PE accumulator not instrumented";
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      const bool active = i < kM && j < kN;
      const std::uint64_t acc = t.Sum(Pe(i, j), "acc_q");
      if (active) {
        EXPECT_GT(acc, 0u) << "PE(" << i << "," << j << ")";
      } else {
        EXPECT_EQ(acc, 0u) << "idle PE(" << i << "," << j << ") accumulator toggled";
      }
      if (i >= kM) {
        EXPECT_EQ(t.Sum(Pe(i, j), "a_out"), 0u) << "idle row PE(" << i << "," << j << ")";
      }
      if (j >= kN) {
        EXPECT_EQ(t.Sum(Pe(i, j), "b_out"), 0u) << "idle column PE(" << i << "," << j << ")";
      }
    }
  }
  EXPECT_EQ(t.Sum("g_row_skew[3].g_delay.u_skew", "p_q"), 0u) << "idle row skew line toggled";
  EXPECT_GT(t.Sum("g_row_skew[1].g_delay.u_skew", "p_q"), 0u);
}

}  // namespace
}  // namespace pjsim::rtl
