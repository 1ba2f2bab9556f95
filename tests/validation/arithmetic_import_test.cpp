// Arithmetics through the CLI as a user runs them: import-hf --weights picks each linear layer's
// arithmetic (and the activations it takes), BitNet imports ternary with an int8 LM head, every
// imported arithmetic runs on its accelerator, and mismatches and bad values exit 2 located.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

const std::string kBitnet = "/workloads/hf/bitnet-b1.58-2B-4T.config.json";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string Arch(const std::string& name) { return test::SourceDir() + "/configs/arch/" + name; }

// Imports one BitNet layer with `flags` into DIR/w.yaml and returns the YAML.
std::string Import(const std::string& dir, const std::string& flags) {
  const test::CommandResult r =
      test::RunPjsim("import-hf " + test::SourceDir() + kBitnet + " --layers 1 --seq 32 " + flags +
                     " -o " + dir + "/w.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return ReadFile(dir + "/w.yaml");
}

int Count(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return static_cast<int>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), {}));
}

TEST(ArithmeticImport, BitnetDefaultsToTernaryWithAnInt8Head) {
  const std::string dir = test::FreshDir("arith_import_default");
  const std::string yaml = Import(dir, "");
  EXPECT_EQ(Count(yaml, "arithmetic: ternary"), 7);  // q k v o gate up down
  EXPECT_EQ(Count(yaml, "name: lm_head, op: linear, [^}]*arithmetic: int8"), 1);
  const auto run = test::RunPjsim("run --arch " + Arch("mesh4x4-ternary.yaml") + " --workload " +
                                  dir + "/w.yaml --quiet");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  // The int8 MAC accelerator cannot run ternary layers: exit 2 naming the layer and its line.
  const auto bad =
      test::RunPjsim("run --arch " + Arch("default.yaml") + " --workload " + dir + "/w.yaml");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("w.yaml:"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find(
                "layer 'L0.q' has arithmetic ternary, which tile kind 'int8_mac' cannot execute"),
            std::string::npos)
      << bad.output;
}

TEST(ArithmeticImport, EveryWeightsChoiceRunsOnItsAccelerator) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"binary", "mesh4x4-binary.yaml"},  {"lmul-e4m3", "mesh4x4-lmul.yaml"},
      {"lmul-e5m2", "mesh4x4-lmul.yaml"}, {"lmul-fp16", "mesh4x4-lmul.yaml"},
      {"lmul-bf16", "mesh4x4-lmul.yaml"}, {"lmul-fp32", "mesh4x4-lmul.yaml"},
      {"fp16", "mesh4x4-fp16.yaml"},      {"int8", "default.yaml"}};
  for (const auto& [weights, arch] : cases) {
    const std::string dir = test::FreshDir("arith_import_" + weights);
    const std::string yaml = Import(dir, "--weights " + weights);
    EXPECT_EQ(Count(yaml, "arithmetic: " + weights), weights == "binary" ? 7 : 8) << weights;
    // --dtype defaults to the activations the arithmetic takes.
    const std::string dtype = weights == "lmul-fp32"                     ? "fp32"
                              : weights == "lmul-bf16"                   ? "bf16"
                              : weights == "binary" || weights == "int8" ? "int8"
                                                                         : "fp16";
    EXPECT_EQ(Count(yaml, "dtype: (?!" + dtype + ")"), 0) << weights;
    const auto run =
        test::RunPjsim("run --arch " + Arch(arch) + " --workload " + dir + "/w.yaml --quiet");
    EXPECT_EQ(run.exit_code, 0) << weights << ": " << run.output;
  }
}

TEST(ArithmeticImport, BadValuesExitTwoLocated) {
  const std::string dir = test::FreshDir("arith_import_bad");
  auto r = test::RunPjsim("import-hf " + test::SourceDir() + kBitnet +
                          " --weights ternary --dtype fp16 -o " + dir + "/w.yaml");
  // The importer loads what it built before writing it: it never writes what validate rejects.
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("arithmetic 'ternary' does not take fp16 activations"), std::string::npos)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir + "/w.yaml"));
  std::ofstream(dir + "/packing.yaml") << "name: p\nlayers:\n  - {name: fc, op: linear, m: 1, k: "
                                          "8, n: 8, dtype: int8, arithmetic: ternary,"
                                          " weight_packing: base4, inputs: []}\n";
  r = test::RunPjsim("validate " + dir + "/packing.yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("packing.yaml:3:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("base3"), std::string::npos) << r.output;  // did you mean
  r = test::RunPjsim("run --arch " + Arch("mesh4x4-ternary.yaml") + " --workload " + dir +
                     "/packing.yaml --set arch.tile.accumulator=int64");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("arch.tile.accumulator"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pjsim
