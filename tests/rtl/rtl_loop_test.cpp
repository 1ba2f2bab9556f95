// RTL in the loop: tile kind int8_mac_rtl (sim/arch/rtl_mac_array_kind.h) runs every GEMM tile
// task through the verilated int8 array. Checked here: (1) task by task, the RTL kind returns
// exactly the abstract int8_mac kind's cost (cycles, SRAM traffic, energy charges) and its RTL
// outputs equal an independent reference GEMM, including tasks cut into chunks; (2) a whole
// `pjsim run` with tile.kind int8_mac_rtl reports the same times and energies as with int8_mac.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "run_command.h"
#include "sim/arch/mac_array_kind.h"
#include "sim/arch/rtl_mac_array_kind.h"
#include "sim/energy/tech_table.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TileConfig Tile(std::int64_t rows, std::int64_t cols, Dataflow flow) {
  TileConfig t;
  t.kind = "int8_mac_rtl";
  t.rows = rows;
  t.cols = cols;
  t.dataflow = flow;
  t.accumulator = NumberType::kInt32;
  return t;
}

struct LoopCase {
  std::int64_t rows, cols;
  Dataflow flow;
};

class RtlLoopKind : public ::testing::TestWithParam<LoopCase> {};

TEST_P(RtlLoopKind, TasksMatchAbstractKindAndReferenceGemm) {
  ASSERT_TRUE(HaveRtlMacArray()) << "the Verilator side (rtl/loop) is not linked in";
  const LoopCase& p = GetParam();
  const TileConfig tile = Tile(p.rows, p.cols, p.flow);
  const TechTable tech = LoadTechTable(test::SourceDir() + "/configs/tech/45nm.yaml");
  RtlMacArrayKind rtl(tile);
  MacArrayKind abstract(tile, "int8");
  EnergyLedger rtl_ledger({"l"}), abstract_ledger({"l"});
  rtl.RegisterActions(rtl_ledger, tech);
  abstract.RegisterActions(abstract_ledger, tech);
  Layer layer;
  layer.name = "l";
  // Shapes: ragged edges, one fold, and tasks larger than the kernel's buffers (OS: M, N up to
  // 2.5x the 40-row capacity; WS: K up to 150 > 64), which the kind cuts into chunks.
  const std::vector<GemmTask> shapes = {{1, 1, 1},     {3, 7, 5},     {16, 64, 16},
                                        {100, 33, 90}, {37, 150, 41}, {40, 64, 40}};
  std::int64_t expected_cycles = 0, tasks = 0, outputs = 0;
  for (const GemmTask& g : shapes) {
    const bool fits = p.flow == Dataflow::kOutputStationary ? g.k <= 64 : g.m <= 40;
    TileTask task;
    task.gemm = g;
    task.first_k = (g.k % 2) == 0;
    if (!fits) {
      EXPECT_THROW(rtl.RunGemm(rtl_ledger, 0, layer, task), std::runtime_error)
          << g.m << "x" << g.k << "x" << g.n;
      continue;
    }
    const GemmCost want = abstract.RunGemm(abstract_ledger, 0, layer, task);
    const GemmCost got = rtl.RunGemm(rtl_ledger, 0, layer, task);
    EXPECT_EQ(got.array_cycles, want.array_cycles) << g.m << "x" << g.k << "x" << g.n;
    EXPECT_EQ(got.array_cycles, ArrayCycles(p.flow, {p.rows, p.cols}, g));
    EXPECT_EQ(got.sram_read_bits, want.sram_read_bits);
    EXPECT_EQ(got.sram_write_bits, want.sram_write_bits);
    expected_cycles += want.array_cycles;
    ++tasks;
    outputs += g.m * g.n;
  }
  EXPECT_EQ(rtl.tasks_run(), tasks);
  EXPECT_EQ(rtl.rtl_cycles(), expected_cycles);
  EXPECT_EQ(rtl.outputs_checked(), outputs);
  EXPECT_DOUBLE_EQ(rtl_ledger.TotalEnergyPj(), abstract_ledger.TotalEnergyPj());

  // The chunked RTL path against an independent reference, on operands chosen here.
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int> d(-128, 127);
  const std::int64_t m = p.flow == Dataflow::kOutputStationary ? 90 : 40,
                     k = p.flow == Dataflow::kOutputStationary ? 64 : 130, n = 85;
  std::vector<std::int8_t> a(static_cast<std::size_t>(m * k)), b(static_cast<std::size_t>(k * n));
  for (auto& x : a) x = static_cast<std::int8_t>(d(rng));
  for (auto& x : b) x = static_cast<std::int8_t>(d(rng));
  // Extremes in the first row and column: -128 * -128 accumulated K times.
  for (std::int64_t kk = 0; kk < k; ++kk) {
    a[static_cast<std::size_t>(kk)] = -128;
    b[static_cast<std::size_t>(kk * n)] = -128;
  }
  std::vector<std::int32_t> c(static_cast<std::size_t>(m * n));
  const std::int64_t cycles = rtl.RunOnRtl(m, k, n, a, b, c);
  EXPECT_EQ(cycles, ArrayCycles(p.flow, {p.rows, p.cols}, {m, k, n}));
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      std::int64_t want = 0;
      for (std::int64_t kk = 0; kk < k; ++kk) {
        want += std::int64_t{a[static_cast<std::size_t>(i * k + kk)]} *
                b[static_cast<std::size_t>(kk * n + j)];
      }
      ASSERT_EQ(c[static_cast<std::size_t>(i * n + j)], want) << "C[" << i << "][" << j << "]";
    }
  }
  EXPECT_EQ(c[0], 128 * 128 * k);
}

INSTANTIATE_TEST_SUITE_P(Shapes, RtlLoopKind,
                         ::testing::Values(LoopCase{4, 4, Dataflow::kOutputStationary},
                                           LoopCase{4, 4, Dataflow::kWeightStationary},
                                           LoopCase{8, 4, Dataflow::kOutputStationary},
                                           LoopCase{3, 5, Dataflow::kWeightStationary}));

TEST(RtlLoopKindErrors, UnverilatedShapeIsRejected) {
  EXPECT_THROW(RtlMacArrayKind(Tile(16, 16, Dataflow::kOutputStationary)), std::invalid_argument);
}

// The loop drives OS and WS kernels only; an input-stationary tile must not silently run on WS.
TEST(RtlLoopKindErrors, InputStationaryIsRejected) {
  EXPECT_THROW(RtlMacArrayKind(Tile(4, 4, Dataflow::kInputStationary)), std::invalid_argument);
}

// A layer too large for the kernel is refused before the simulation starts.
TEST(RtlLoopKindErrors, OversizedLayerIsRejectedUpFront) {
  const RtlMacArrayKind os(Tile(4, 4, Dataflow::kOutputStationary));
  const RtlMacArrayKind ws(Tile(4, 4, Dataflow::kWeightStationary));
  Layer layer;
  layer.name = "big";
  layer.m = 40;
  layer.k = 64;
  layer.n = 1000;
  EXPECT_TRUE(os.Supports(layer));
  EXPECT_TRUE(ws.Supports(layer));
  layer.k = 65;
  EXPECT_THROW(os.Supports(layer), std::invalid_argument);
  EXPECT_TRUE(ws.Supports(layer));
  layer.m = 41;
  EXPECT_THROW(ws.Supports(layer), std::invalid_argument);
  layer.arithmetic = ArithmeticRef::Named("fp16");
  EXPECT_FALSE(os.Supports(layer));
}

// A whole `pjsim run`: the same small workload on int8_mac and int8_mac_rtl tiles gives the same
// report (every time and energy figure), and the RTL run really went through the kernel.
std::string Arch(const std::string& kind, const std::string& dataflow) {
  return "name: rtl-loop-2x2\ntech: " + test::SourceDir() +
         "/configs/tech/45nm.yaml\n"
         "mesh: {width: 2, height: 2}\n"
         "tile:\n  kind: " +
         kind + "\n  rows: 4\n  cols: 4\n  dataflow: " + dataflow +
         "\n  accumulator: int32\n"
         "  sram: {capacity: 16 KiB, port_width: 64 B/cycle}\n  vector_lanes: 4\n"
         "noc: {link_width: 32 B/cycle, hop_latency: 2 cycles, link_length: 1 mm}\n"
         "dram:\n  type: ddr4\n  channel_bandwidth: 25.6 GB/s\n  access_latency: 30 ns\n"
         "  row_miss_penalty: 28 ns\n  banks: 16\n  row_size: 2 KiB\n  interleave: 2 KiB\n"
         "  channels:\n    - {x: 0, y: 0}\n";
}

// Shapes within the kernels' capacities (OS: K <= 64, WS: M <= 40) whatever blocks the mapper
// picks.
constexpr const char* kWorkload =
    "name: rtl-loop-small\n"
    "layers:\n"
    "  - {name: proj, op: linear, m: 40, k: 48, n: 64, dtype: int8, inputs: []}\n"
    "  - {name: act, op: elementwise, function: relu, m: 40, n: 64, dtype: int8, inputs: [proj]}\n"
    "  - {name: out, op: linear, m: 40, k: 64, n: 36, dtype: int8, inputs: [act]}\n";

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class RtlLoopRun : public ::testing::TestWithParam<std::string> {};

TEST_P(RtlLoopRun, PjsimRunEqualsAbstractModel) {
  const std::string dataflow = GetParam();
  const std::string dir = test::FreshDir("rtl_loop_" + dataflow);
  Write(dir + "/rtl.yaml", Arch("int8_mac_rtl", dataflow));
  Write(dir + "/abstract.yaml", Arch("int8_mac", dataflow));
  Write(dir + "/workload.yaml", kWorkload);
  const test::CommandResult check = test::RunPjsim("validate " + dir + "/rtl.yaml");
  if (check.exit_code != 0 && check.output.find("int8_mac_rtl") != std::string::npos) {
    GTEST_SKIP()
        << "tile kind int8_mac_rtl is not registered in this build (sim/arch/tile_kind.cpp and "
           "sim/config/arch_config.cpp; see docs/RTL.md): "
        << check.output;
  }
  const test::CommandResult rtl =
      test::RunPjsim("run --quiet --arch " + dir + "/rtl.yaml --workload " + dir +
                     "/workload.yaml --out " + dir + "/rtl");
  ASSERT_EQ(rtl.exit_code, 0) << rtl.output;
  const test::CommandResult abstract =
      test::RunPjsim("run --quiet --arch " + dir + "/abstract.yaml --workload " + dir +
                     "/workload.yaml --out " + dir + "/abstract");
  ASSERT_EQ(abstract.exit_code, 0) << abstract.output;
  // layers.csv: per-layer time, cycles, energy by category; identical apart from nothing.
  const std::string rtl_layers = Slurp(dir + "/rtl/layers.csv");
  ASSERT_FALSE(rtl_layers.empty());
  EXPECT_EQ(rtl_layers, Slurp(dir + "/abstract/layers.csv"));
  std::string rtl_report = Slurp(dir + "/rtl/report.json"),
              abstract_report = Slurp(dir + "/abstract/report.json");
  ASSERT_FALSE(rtl_report.empty());
  // The reports differ only where the configuration is echoed (the tile kind and file names).
  for (std::string* r : {&rtl_report, &abstract_report}) {
    for (const std::string& s :
         {std::string("int8_mac_rtl"), std::string("int8_mac"), dir + "/rtl.yaml",
          dir + "/abstract.yaml", dir + "/rtl", dir + "/abstract"}) {
      for (std::size_t pos = r->find(s); pos != std::string::npos; pos = r->find(s, pos))
        r->replace(pos, s.size(), "@");
    }
  }
  EXPECT_EQ(rtl_report, abstract_report);
}

INSTANTIATE_TEST_SUITE_P(Dataflows, RtlLoopRun,
                         ::testing::Values("output_stationary", "weight_stationary"));

}  // namespace
}  // namespace pjsim
