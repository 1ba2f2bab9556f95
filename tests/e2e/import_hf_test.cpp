// `pjsim import-hf` as a user runs it: the shipped reference configs import, record their
// parameter counts, and run; bad configs and flags exit 2 with the key named.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TEST(ImportHf, RecordsPublishedParameterCountsAndRuns) {
  const std::string dir = test::FreshDir("import_hf");
  const auto [code, out] = test::RunPjsim("import-hf " + test::HfConfigFile("Mixtral-8x7B-v0.1") +
                                          " --seq 64 --layers 1 -o " + dir + "/mixtral.yaml");
  ASSERT_EQ(code, 0) << out;
  std::ifstream in(dir + "/mixtral.yaml");
  const std::string yaml((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(yaml.find("total_params: 46702792704"), std::string::npos);
  EXPECT_NE(yaml.find("active_params: 12879925248"), std::string::npos);
  const auto [run_code, run_out] =
      test::RunPjsim("run --arch " + test::SourceDir() + "/configs/arch/default.yaml --workload " +
                     dir + "/mixtral.yaml --quiet --out " + dir + "/out");
  EXPECT_EQ(run_code, 0) << run_out;
  EXPECT_TRUE(std::filesystem::exists(dir + "/out/report.json"));
}

TEST(ImportHf, MoreLayersThanTheModelHasIsAnError) {
  const std::string dir = test::FreshDir("import_hf_layers");
  const auto [code, out] = test::RunPjsim("import-hf " + test::HfConfigFile("Meta-Llama-3-8B") +
                                          " --layers 100 -o " + dir + "/w.yaml");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("--layers 100: the model has only 32 decoder layers"), std::string::npos)
      << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/w.yaml"));
  const auto [all, all_out] = test::RunPjsim("import-hf " + test::HfConfigFile("Meta-Llama-3-8B") +
                                             " --layers 32 -o " + dir + "/w.yaml");
  EXPECT_EQ(all, 0) << all_out;
}

TEST(ImportHf, MissingKeyAndBadFlagsExitTwo) {
  const std::string dir = test::FreshDir("import_hf_bad");
  std::ofstream(dir + "/bad.json") << "{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 64\n}\n";
  auto [code, out] = test::RunPjsim("import-hf " + dir + "/bad.json -o " + dir + "/w.yaml");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("intermediate_size"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/w.yaml"));
  std::tie(code, out) = test::RunPjsimPair("import-hf " + test::HfConfigFile("Meta-Llama-3-8B") +
                                           " --phase sideways -o " + dir + "/w.yaml");
  EXPECT_EQ(code, 2) << out;
  std::tie(code, out) = test::RunPjsimPair("import-hf " + test::HfConfigFile("Meta-Llama-3-8B") +
                                           " --weights int3 -o " + dir + "/w.yaml");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("unknown arithmetic 'int3'"), std::string::npos) << out;
}

TEST(ImportHf, ShippedWorkloadsValidate) {
  std::string files;
  for (const auto& e : std::filesystem::directory_iterator(test::SourceDir() + "/workloads")) {
    if (e.path().extension() == ".yaml") files += " " + e.path().string();
  }
  const auto [code, out] = test::RunPjsim("validate" + files);
  EXPECT_EQ(code, 0) << out;
}

}  // namespace
}  // namespace pjsim
