// SCALE-Sim's configuration and topology files read as SCALE-Sim reads them (scale_config.py
// with configparser; topology_utils.py): the values that decide a single array's cycles, the
// GEMM of each convolution row, and a located error for what SCALE-Sim would reject.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config_error_text.h"
#include "sim/config/scalesim_config.h"
#include "sim/workload/scalesim_topology.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::ErrorOf;

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = test::FreshDir("scalesim_inputs_" + name) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

const char* kBase =
    "[general]\nrun_name = r\n\n[architecture_presets]\nArrayHeight:    16\nArrayWidth: 64\n"
    "IfmapSramSzkB:   6144\nFilterSramSzkB:  512\nOfmapSramSzkB: 256\nIfmapOffset:    0\n"
    "FilterOffset:   10000000\nOfmapOffset:    20000000\nDataflow : is\nBandwidth : 10\n"
    "MemoryBanks: 1\n\n[run_presets]\nInterfaceBandwidth: CALC\n";

TEST(ScaleSimConfig, ReadsTheArrayBuffersDataflowAndCalcRate) {
  const ScaleSimConfig c = ReadScaleSimConfig(Write("calc.cfg", kBase));
  EXPECT_EQ(c.run_name, "r");
  EXPECT_EQ(c.array_rows, 16);
  EXPECT_EQ(c.array_cols, 64);
  EXPECT_EQ(c.ifmap_kib, 6144);
  EXPECT_EQ(c.filter_kib, 512);
  EXPECT_EQ(c.ofmap_kib, 256);
  EXPECT_EQ(c.dataflow, "is");
  EXPECT_FALSE(c.user_bandwidth);
  // CALC: the ifmap buffer C (input-stationary) and the filter buffer R words per cycle.
  EXPECT_EQ(c.DramReadWordsPerCycle(), 16 + 64);
  EXPECT_TRUE(c.notes.empty()) << c.notes.front();
}

TEST(ScaleSimConfig, UserModeGivesEachBufferTheFirstBandwidth) {
  std::string text = kBase;
  text.replace(text.find("CALC"), 4, "USER");
  text.replace(text.find("Bandwidth : 10"), 14, "Bandwidth : 7, 9");
  const ScaleSimConfig c = ReadScaleSimConfig(Write("user.cfg", text));
  EXPECT_TRUE(c.user_bandwidth);
  EXPECT_EQ(c.bandwidth_words, 7);
  EXPECT_EQ(c.DramReadWordsPerCycle(), 14);
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("first (7 words/cycle)"), std::string::npos) << c.notes[0];
}

TEST(ScaleSimConfig, KeysAreCaseInsensitiveAndUnreadKeysBecomeNotes) {
  std::string text = kBase;
  text.replace(text.find("ArrayHeight"), 11, "arrayheight");
  text +=
      "# a comment\n  ; an indented comment\nUseRamulatorTrace: True\n[layout]\n"
      "IfmapCustomLayout: True\nIfmapSRAMBankNum: 10\n[sparsity]\nSparsitySupport : false\n";
  const ScaleSimConfig c = ReadScaleSimConfig(Write("case.cfg", text));
  EXPECT_EQ(c.array_rows, 16);
  ASSERT_EQ(c.notes.size(), 2u);
  EXPECT_NE(c.notes[0].find("IfmapCustomLayout (line 23)"), std::string::npos) << c.notes[0];
  EXPECT_NE(c.notes[1].find("'UseRamulatorTrace' in [run_presets] (line 21)"), std::string::npos)
      << c.notes[1];
}

TEST(ScaleSimConfig, WhatSCALESimRejectsIsALocatedError) {
  const auto error = [](const std::string& name, const std::string& from, const std::string& to) {
    std::string text = kBase;
    text.replace(text.find(from), from.size(), to);
    return ErrorOf([&] { ReadScaleSimConfig(Write(name, text)); });
  };
  EXPECT_NE(error("df.cfg", "Dataflow : is", "Dataflow : rs")
                .find("df.cfg:13:1: Dataflow: must be os, ws or is, got 'rs'"),
            std::string::npos);
  EXPECT_NE(error("rows.cfg", "ArrayHeight:    16", "ArrayHeight: 16.5")
                .find("rows.cfg:5:1: ArrayHeight: expected a whole number, got '16.5'"),
            std::string::npos);
  EXPECT_NE(error("zero.cfg", "OfmapSramSzkB: 256", "OfmapSramSzkB: 0")
                .find("zero.cfg:9:1: OfmapSramSzkB: must be in [1, "),
            std::string::npos);
  EXPECT_NE(error("mode.cfg", "CALC", "FAST")
                .find("mode.cfg:18:1: InterfaceBandwidth: must be "
                      "USER or CALC, got 'FAST'"),
            std::string::npos);
  EXPECT_NE(error("miss.cfg", "Dataflow : is\n", "")
                .find("miss.cfg:4: missing 'Dataflow' in "
                      "[architecture_presets]"),
            std::string::npos);
  std::string user_without_bandwidth = kBase;
  user_without_bandwidth.replace(user_without_bandwidth.find("CALC"), 4, "USER");
  user_without_bandwidth.replace(user_without_bandwidth.find("Bandwidth : 10\n"), 15, "");
  EXPECT_NE(ErrorOf([&] {
              ReadScaleSimConfig(Write("nobw.cfg", user_without_bandwidth));
            }).find("missing 'Bandwidth' in [architecture_presets]"),
            std::string::npos);
  EXPECT_NE(error("twice.cfg", "Dataflow : is", "Dataflow : is\ndataflow: os")
                .find("twice.cfg:14:1: 'dataflow' is set twice in [architecture_presets] (line "
                      "13)"),
            std::string::npos);
  EXPECT_NE(error("cont.cfg", "Dataflow : is", "Dataflow : is\n   ws")
                .find("cont.cfg:14:4: an indented line continues the value above it"),
            std::string::npos);
  EXPECT_NE(
      error("sparse.cfg", "MemoryBanks: 1", "MemoryBanks: 1\n[sparsity]\nSparsitySupport: True")
          .find("sparse.cfg:17:1: SparsitySupport: SCALE-Sim's sparse mode"),
      std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              ReadScaleSimConfig(Write("outside.cfg", "ArrayHeight: 4\n"));
            }).find("outside.cfg:1:1: key outside a [section]"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { ReadScaleSimConfig("/nonexistent/x.cfg"); }).find("/nonexistent/x.cfg"),
            std::string::npos);
}

TEST(ScaleSimTopology, AConvolutionRowIsItsIm2colGemm) {
  const auto gemms = ReadScaleSimTopology(
      Write("conv.csv",
            "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num "
            "Filter, Strides,\n"
            "Conv1, 224, 224, 7, 7, 3, 64, 2,\n\n"
            "\tConv2, 16, 12, 3, 5, 8, 32, 2, 3,#dw\n"
            "FC, 1, 1, 1, 1, 2048, 1000, 1\n"),
      ScaleSimTopologyFormat::kAuto);
  ASSERT_EQ(gemms.size(), 3u);
  // SCALE-Sim's output size: ceil((224 - 7 + 2) / 2) = 110 (a floor convolution gives 109).
  EXPECT_EQ(ScaleSimOutputSize(224, 7, 2), 110);
  EXPECT_EQ(gemms[0].name, "Conv1");
  EXPECT_EQ(gemms[0].m, 110 * 110);
  EXPECT_EQ(gemms[0].k, 7 * 7 * 3);
  EXPECT_EQ(gemms[0].n, 64);
  EXPECT_EQ(gemms[0].line, 2);
  // Separate strides per dimension: ceil((16-3+2)/2) = 8 rows, ceil((12-5+3)/3) = 4 columns.
  EXPECT_EQ(gemms[1].m, 8 * 4);
  EXPECT_EQ(gemms[1].k, 3 * 5 * 8);
  EXPECT_EQ(gemms[1].line, 4);
  EXPECT_EQ(gemms[2].m, 1);
  EXPECT_EQ(gemms[2].k, 2048);
  EXPECT_EQ(gemms[2].n, 1000);
}

TEST(ScaleSimTopology, DepthwiseRowsSplitPerChannelAndGemmRowsReadMNK) {
  const auto dw = ReadScaleSimTopology(
      Write("dw.csv", "Layer name, h, w, fh, fw, c, f, s,\nCB2_DP, 8, 8, 3, 3, 3, 1, 1,\n"),
      ScaleSimTopologyFormat::kConv);
  ASSERT_EQ(dw.size(), 3u);
  EXPECT_EQ(dw[2].name, "CB2_DPChannel_2");
  EXPECT_EQ(dw[2].m, 36);
  EXPECT_EQ(dw[2].k, 9);
  EXPECT_EQ(dw[2].n, 1);
  const auto gemm = ReadScaleSimTopology(Write("gemm.csv", "Layer, M, N, K,\nq, 128, 256, 512,\n"),
                                         ScaleSimTopologyFormat::kAuto);
  ASSERT_EQ(gemm.size(), 1u);
  EXPECT_EQ(gemm[0].m, 128);
  EXPECT_EQ(gemm[0].n, 256);
  EXPECT_EQ(gemm[0].k, 512);
  EXPECT_NE(ErrorOf([&] {
              ReadScaleSimTopology(Write("sparse.csv",
                                         "Layer Name, M, N, K, Sparsity,\n"
                                         "g, 3, 5, 16, 3:4,\n"),
                                   ScaleSimTopologyFormat::kAuto);
            })
                .find("sparse.csv:2:14: a GEMM row has 4 fields (Layer, M, N, K), this one 5 "
                      "(SCALE-Sim's N:M sparsity column is not modelled"),
            std::string::npos);
  // The same rows forced as GEMMs whatever the header says.
  const auto forced = ReadScaleSimTopology(Write("forced.csv", "a,b,c,d\nq, 1, 2, 3\n"),
                                           ScaleSimTopologyFormat::kGemm);
  EXPECT_EQ(forced[0].k, 3);
}

TEST(ScaleSimTopology, BadRowsAreLocatedErrors) {
  const std::string header =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
      "Width, Channels, Num Filter, Strides,\n";
  const auto error = [&](const std::string& name, const std::string& row) {
    return ErrorOf(
        [&] { ReadScaleSimTopology(Write(name, header + row), ScaleSimTopologyFormat::kAuto); });
  };
  EXPECT_NE(error("big.csv", "c, 3, 3, 5, 1, 1, 1, 1,\n")
                .find("big.csv:2:10: Filter Height cannot be larger than IFMAP Height"),
            std::string::npos);
  EXPECT_NE(error("neg.csv", "c, 3, -3, 1, 1, 1, 1, 1,\n")
                .find("neg.csv:2:7: IFMAP Width must be in [1, "),
            std::string::npos);
  EXPECT_NE(error("text.csv", "c, 3, 3, 1, 1, x, 1, 1,\n")
                .find("text.csv:2:16: Channels: expected a whole number, got 'x'"),
            std::string::npos);
  EXPECT_NE(error("short.csv", "c, 3, 3, 1, 1,\n").find("short.csv:2:"), std::string::npos);
  EXPECT_NE(error("long.csv", "c, 3, 3, 1, 1, 1, 1, 1, 1, 4:8,\n")
                .find("long.csv:2:28: a convolution row has at most 9 fields"),
            std::string::npos);
  EXPECT_NE(error("none.csv", "\n\n").find("none.csv:3: no layer rows after the header"),
            std::string::npos);
  EXPECT_NE(error("dp.csv", "x_DP, 3, 3, 1, 1, 100000, 1, 1,\n")
                .find("dp.csv:2:19: a depthwise row makes one layer per channel"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] {
              ReadScaleSimTopology(Write("empty.csv", ""), ScaleSimTopologyFormat::kAuto);
            }).find("empty.csv: empty topology file"),
            std::string::npos);
}

}  // namespace
}  // namespace pjsim
