// `pjsim reprice`: a run priced with table A and re-priced with table B equals a fresh run with
// table B in every field (numbers to 1e-12 relative), on the int8, narrow-int8, ternary,
// spiking, L-Mul and jedec-DRAM accelerators and on an MoE decode with power gating; a clock
// change, a missing price or a table that changes the mapping is a one-line error (exit 2).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Src(const std::string& relative) { return test::SourceDir() + "/" + relative; }

// Table B: the 45 nm table with other compute, vector, SRAM-leakage and PE-leakage prices
// (prices that leave the mapping search's choices alone on every accelerator here).
const char* kOtherPrices =
    " --set 'tech.ops.int8_add.energy=0.05 pJ' --set 'tech.ops.fp16_exp.energy=3 pJ'"
    " --set 'tech.ops.fp16_mult.energy=1.3 pJ' --set 'tech.ops.fp32_add.energy=1.1 pJ'"
    " --set 'tech.leakage.mac_pe.power=3 uW' --set 'tech.leakage.sram.power=12 uW/KiB'";

// Every scalar of `got` equals `want`'s (numbers to 1e-12 relative); `path` names the field.
void ExpectSameTree(const YAML::Node& want, const YAML::Node& got, const std::string& path,
                    int* numbers) {
  ASSERT_EQ(want.Type(), got.Type()) << path;
  if (want.IsMap()) {
    ASSERT_EQ(want.size(), got.size()) << path;
    for (auto it = want.begin(); it != want.end(); ++it) {
      const std::string key = it->first.Scalar();
      ASSERT_TRUE(got[key]) << path << "." << key;
      ExpectSameTree(it->second, got[key], path + "." + key, numbers);
    }
  } else if (want.IsSequence()) {
    ASSERT_EQ(want.size(), got.size()) << path;
    for (size_t i = 0; i < want.size(); ++i) {
      ExpectSameTree(want[i], got[i], path + "." + std::to_string(i), numbers);
    }
  } else if (want.IsScalar()) {
    double a = 0, b = 0;
    if (want.Tag() != "!" && YAML::convert<double>::decode(want, a) &&
        YAML::convert<double>::decode(got, b)) {
      ++*numbers;
      EXPECT_LE(std::abs(a - b), 1e-12 * std::max(std::abs(a), std::abs(b))) << path;
    } else {
      EXPECT_EQ(want.Scalar(), got.Scalar()) << path;
    }
  }
}

struct Case {
  std::string name, arch, workload, sets;
  std::string tech_b;  // the new table's file and --set flags
};

// Returns the fresh run's report.
YAML::Node ExpectRepriceEqualsFreshRun(const Case& c) {
  SCOPED_TRACE(c.name);
  const std::string dir = test::FreshDir("reprice_" + c.name);
  const std::string run =
      "run --quiet --arch " + Src(c.arch) + " --workload " + Src(c.workload) + c.sets;
  const auto a =
      test::RunPjsim(run + " --tech " + Src("configs/tech/45nm.yaml") + " --out " + dir + "/a");
  EXPECT_EQ(a.exit_code, 0) << a.output;
  const auto b = test::RunPjsim(run + " --tech " + c.tech_b + " --out " + dir + "/b");
  EXPECT_EQ(b.exit_code, 0) << b.output;
  const auto r = test::RunPjsim("reprice " + dir + "/a/report.json --tech " + c.tech_b + " -o " +
                                dir + "/ab.json");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  if (a.exit_code != 0 || b.exit_code != 0 || r.exit_code != 0) return {};

  const YAML::Node fresh = YAML::Load(Read(dir + "/b/report.json"));
  const YAML::Node repriced = YAML::Load(Read(dir + "/ab.json"));
  const YAML::Node before = YAML::Load(Read(dir + "/a/report.json"));
  int numbers = 0;
  ExpectSameTree(fresh, repriced, "report", &numbers);
  EXPECT_GT(numbers, 100);
  // Not vacuous: the two tables price the run differently.
  EXPECT_NE(before["total"]["energy_pj"].as<double>(), fresh["total"]["energy_pj"].as<double>());
  EXPECT_EQ(before["total"]["cycles"].as<std::int64_t>(),
            fresh["total"]["cycles"].as<std::int64_t>());
  return fresh;
}

TEST(Reprice, Int8MacTo7nm) {
  ExpectRepriceEqualsFreshRun({"int8", "configs/arch/default.yaml",
                               "workloads/ffn_bitnet_prefill128.yaml", "",
                               Src("configs/tech/7nm.yaml")});
}

TEST(Reprice, NarrowInt8ProductsTo7nm) {
  // 4-bit activations: the int4x8 products are registered by the tile kind on first use.
  ExpectRepriceEqualsFreshRun({"narrow", "configs/arch/default.yaml",
                               "workloads/ffn_bitnet_prefill128.yaml",
                               " --set workload.activation_bits=4", Src("configs/tech/7nm.yaml")});
}

TEST(Reprice, JedecDramTo7nm) {
  // The jedec model prices DRAM from its preset: those actions keep their prices.
  ExpectRepriceEqualsFreshRun({"jedec", "configs/arch/default-jedec-packet.yaml",
                               "workloads/ffn_bitnet_prefill128.yaml", "",
                               Src("configs/tech/7nm.yaml")});
}

TEST(Reprice, TernaryWithOtherPrices) {
  ExpectRepriceEqualsFreshRun(
      {"ternary", "configs/arch/mesh4x4-ternary.yaml", "workloads/ffn_bitnet_prefill128.yaml",
       " --set workload.arithmetic=ternary", Src("configs/tech/45nm.yaml") + kOtherPrices});
}

TEST(Reprice, LmulWithOtherPrices) {
  ExpectRepriceEqualsFreshRun(
      {"lmul", "configs/arch/mesh4x4-lmul.yaml", "workloads/ffn_bitnet_prefill128.yaml",
       " --set workload.dtype=fp16 --set workload.arithmetic=lmul-fp16" +
           std::string(" --set workload.layers.0.dtype=fp16 --set workload.layers.1.dtype=fp16"
                       " --set workload.layers.2.dtype=fp16 --set workload.layers.3.dtype=fp16"
                       " --set workload.layers.4.dtype=fp16"),
       Src("configs/tech/45nm.yaml") + kOtherPrices});
}

TEST(Reprice, SpikingWithOtherPrices) {
  ExpectRepriceEqualsFreshRun({"spiking", "configs/arch/spiking-mesh4x4.yaml",
                               "workloads/spiking_ffn_prefill128.yaml", "",
                               Src("configs/tech/45nm.yaml") + kOtherPrices});
}

TEST(Reprice, MoeDecodeWithPowerGating) {
  // Leakage by power state and wake-ups, charged per tile domain, re-priced from the new
  // table's leakage; the report's per-domain leakage follows it.
  const YAML::Node fresh = ExpectRepriceEqualsFreshRun(
      {"moe", "configs/arch/mesh8x8-int8-hbm.yaml",
       "configs/studies/moe_gating_workloads/OLMoE.decode.b1.yaml",
       " --set arch.power_gating.policy=oracle --set arch.power_gating.gated_state=retention"
       " --set workload.routing.source=zipf --set workload.routing.zipf_exponent=1.2",
       Src("configs/tech/45nm.yaml") + kOtherPrices});
  ASSERT_TRUE(fresh["power_gating"]);
  EXPECT_GT(fresh["energy_by_category"]["leakage.retention"].as<double>(), 0);
  EXPECT_GT(fresh["energy_by_category"]["gating.wakeup"].as<double>(), 0);
}

class RepriceErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::FreshDir("reprice_errors");
    const auto a =
        test::RunPjsim("run --quiet --arch " + Src("configs/arch/default.yaml") + " --workload " +
                       Src("workloads/ffn_bitnet_prefill128.yaml") + " --out " + dir_ + "/a");
    ASSERT_EQ(a.exit_code, 0) << a.output;
  }
  test::CommandResult Reprice(const std::string& tech) {
    return test::RunPjsim("reprice " + dir_ + "/a/report.json --tech " + tech + " -o " + dir_ +
                          "/out.json");
  }
  std::string dir_;
};

TEST_F(RepriceErrors, ClockChangeIsRefused) {
  const auto r = Reprice(Src("configs/tech/45nm.yaml") + " --set 'tech.clock=2 GHz'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("report.json: the run's clock is 1 GHz"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("2 GHz"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ + "/out.json"));
}

TEST_F(RepriceErrors, MissingPriceIsNamed) {
  std::string table = Read(Src("configs/tech/45nm.yaml"));
  const size_t at = table.find("  fp16_exp:");
  ASSERT_NE(at, std::string::npos);
  table.erase(at, table.find('\n', at) + 1 - at);
  std::ofstream(dir_ + "/no_exp.yaml") << table;
  // ffn_bitnet has no exp: the price it lacks is not needed...
  EXPECT_EQ(Reprice(dir_ + "/no_exp.yaml").exit_code, 0);
  // ...but the MAC products are.
  table = Read(Src("configs/tech/45nm.yaml"));
  const size_t mult = table.find("  int8_mult:");
  table.erase(mult, table.find('\n', mult) + 1 - mult);
  std::ofstream(dir_ + "/no_mult.yaml") << table;
  const auto r = Reprice(dir_ + "/no_mult.yaml");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no energy for op 'int8_mult'"), std::string::npos) << r.output;
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST_F(RepriceErrors, OtherMappingOrNonTechOverrideIsRefused) {
  const auto other =
      test::RunPjsim("run --quiet --arch " + Src("configs/arch/mesh4x4-ternary.yaml") +
                     " --workload " + Src("workloads/ffn_bitnet_prefill128.yaml") +
                     " --set workload.arithmetic=ternary --set arch.mapping.objective=energy" +
                     " --out " + dir_ + "/t");
  ASSERT_EQ(other.exit_code, 0) << other.output;
  // Ranked by energy, the search weighs the tech's prices: at 7 nm (arithmetic and SRAM far
  // cheaper against DRAM) it tiles some layer differently.
  const auto r = test::RunPjsim("reprice " + dir_ + "/t/report.json --tech " +
                                Src("configs/tech/7nm.yaml") + " -o " + dir_ + "/t.json");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("the mapping search plans layer '"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("differently"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/t.json"));

  const auto arch = Reprice(Src("configs/tech/7nm.yaml") + " --set arch.tile.rows=8");
  EXPECT_EQ(arch.exit_code, 2) << arch.output;
  EXPECT_NE(arch.output.find("reprice takes tech.KEY=VALUE only"), std::string::npos)
      << arch.output;
}

}  // namespace
}  // namespace pjsim
