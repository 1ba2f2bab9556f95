// DRAM traces as DRAMsim3's trace CPU and Ramulator 2's LoadStoreTrace read them: the operations
// each names, hex and decimal addresses, due cycles; comments and blank lines skipped; anything
// else an error at its line and column. Their requests on a channel: one burst each, the address
// within the channel, never due before the line above.
#include "sim/config/dram_trace.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config_error_text.h"
#include "jedec_preset.h"
#include "models/memory/jedec_trace_requests.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Write(const std::string& text) {
  const std::string path = test::FreshDir("dram_trace") + "/t.trc";
  std::ofstream(path) << text;
  return path;
}

std::vector<DramTraceEntry> Read(const std::string& text,
                                 DramTraceFormat format = DramTraceFormat::kAuto) {
  return ReadDramTrace(Write(text), format);
}

std::string Error(const std::string& text, DramTraceFormat format = DramTraceFormat::kAuto) {
  const std::string e = test::ErrorOf([&] { Read(text, format); });
  return e.substr(e.find("t.trc"));
}

TEST(DramTrace, ReadsDramsim3Transactions) {
  const auto t = Read(
      "# a comment\n0x1f40 READ 0\n\n1f80 WRITE 12\n0X40 P_MEM_WR 12\n"
      "0x80 P_FETCH 30\n0xc0 write 31\n0x100\tread  40\r\n");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].address, 0x1f40u);
  EXPECT_FALSE(t[0].write);
  EXPECT_EQ(t[1].address, 0x1f80u);  // DRAMsim3 reads the address with std::hex
  EXPECT_TRUE(t[1].write);
  EXPECT_EQ(t[1].cycle, 12u);
  EXPECT_TRUE(t[2].write);
  EXPECT_FALSE(t[3].write);
  EXPECT_TRUE(t[4].write);
  EXPECT_EQ(t[5].address, 0x100u);
  EXPECT_EQ(t[5].cycle, 40u);
}

TEST(DramTrace, ReadsRamulatorLoadsAndStores) {
  const auto t = Read("LD 0x40\nST 128\nLD 0XFF\n");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].address, 0x40u);
  EXPECT_FALSE(t[0].write);
  EXPECT_EQ(t[1].address, 128u);  // decimal without 0x, as Ramulator's stoll
  EXPECT_TRUE(t[1].write);
  EXPECT_EQ(t[2].address, 0xffu);
  EXPECT_EQ(t[0].cycle, 0u);
}

TEST(DramTrace, WhatTheSimulatorsWouldMisreadIsAnErrorAtItsColumn) {
  EXPECT_EQ(Error("0x40 READ 1\n0x80 WIRTE 2\n"),
            "t.trc:2:6: unknown operation 'WIRTE' (reads: READ, read, P_MEM_RD, P_FETCH; "
            "writes: WRITE, write, P_MEM_WR, BOFF)");
  EXPECT_EQ(Error("0x40 READ\n"), "t.trc:1:10: expected ADDRESS OP CYCLE (a DRAMsim3 trace line)");
  EXPECT_EQ(Error("0x40 READ 1 extra\n"),
            "t.trc:1:13: expected ADDRESS OP CYCLE (a DRAMsim3 trace line)");
  EXPECT_EQ(Error("0xZZ READ 1\n"), "t.trc:1:1: expected an address (hex), got '0xZZ'");
  EXPECT_EQ(Error("0x40 READ -1\n"),
            "t.trc:1:11: expected a cycle (a whole number up to 2^32), got '-1'");
  EXPECT_EQ(Error("LD 0x40\nLD -64\n"),
            "t.trc:2:4: expected an address (0x hex or decimal), got '-64'");
  EXPECT_EQ(Error("LD 0x40\nRD 0x80\n"), "t.trc:2:1: unknown operation 'RD' (LD or ST)");
  EXPECT_EQ(Error("LD 0x40 7\n", DramTraceFormat::kRamulator),
            "t.trc:1:9: expected LD ADDRESS or ST ADDRESS (a Ramulator 2 load/store trace line)");
  EXPECT_EQ(Error("# nothing\n\n"), "t.trc:2: the DRAM trace has no requests");
  EXPECT_NE(test::ErrorOf([] {
              ReadDramTrace("/nonexistent.trc", DramTraceFormat::kAuto);
            }).find("cannot read the DRAM trace"),
            std::string::npos);
}

TEST(JedecTraceRequests, OneBurstEachWithinTheChannelInOrder) {
  const JedecParams p = test::JedecPreset("ddr4-3200-x8", {});
  const std::uint64_t capacity = p.CapacityBytes();
  const auto r =
      JedecTraceRequests(p, {{0x47, false, 10}, {capacity + 0x80, true, 4}, {0x100, false, 20}});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].address, 0x40u);  // the bits below a 64 B burst dropped
  EXPECT_EQ(r[1].address, 0x80u);  // the bits above the channel dropped
  EXPECT_TRUE(r[1].write);
  EXPECT_EQ(r[0].bytes, 64u);
  EXPECT_EQ(r[0].arrival_ps, p.ClocksToPs(10));
  EXPECT_EQ(r[1].arrival_ps, p.ClocksToPs(10));  // not before the line above
  EXPECT_EQ(r[2].arrival_ps, p.ClocksToPs(20));
}

}  // namespace
}  // namespace pjsim
