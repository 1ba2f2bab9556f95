// `pjsim import-hf` of Mamba configs (the shipped mamba-130m and a 370m-sized one written outside
// the repository), prefill and decode, then `pjsim run` of the whole models on the shipped 8x8
// architecture; a hybrid stack and the flag errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(MambaImport, TwoSizesImportWithExactCountsAndRun) {
  const std::string dir = test::FreshDir("mamba_import");
  const std::string m370 = dir + "/mamba-370m.config.json";
  std::ofstream(m370) << R"json({"model_type": "mamba", "hidden_size": 1024,
    "num_hidden_layers": 48, "vocab_size": 50280, "state_size": 16, "expand": 2,
    "conv_kernel": 4, "time_step_rank": "auto", "use_bias": false, "use_conv_bias": true})json";
  const struct {
    std::string config;
    std::string count;
  } models[] = {
      {test::SourceDir() + "/workloads/hf/mamba-130m-hf.config.json",
       "mamba: 129135360 parameters"},
      {m370, "mamba: 371516416 parameters"},
  };
  for (const auto& m : models) {
    for (const std::string phase : {"prefill", "decode"}) {
      const std::string w = dir + "/" + phase + ".yaml";
      const auto [code, out] = test::RunPjsim("import-hf " + m.config + " --phase " + phase +
                                              " --seq 128 --decode-tokens 2 -o " + w);
      ASSERT_EQ(code, 0) << out;
      EXPECT_NE(out.find(m.count), std::string::npos) << out;
      const std::string out_dir = dir + "/out-" + phase;
      const auto [run_code, run_out] = test::RunPjsim(
          "run --arch " + test::SourceDir() + "/configs/arch/mesh8x8-int8-hbm.yaml --workload " +
          w + " --quiet --out " + out_dir);
      EXPECT_EQ(run_code, 0) << m.config << " " << phase << ": " << run_out;
      EXPECT_TRUE(std::filesystem::exists(out_dir + "/report.json"));
    }
  }
}

TEST(MambaImport, HybridStackAndFlagErrors) {
  const std::string dir = test::FreshDir("mamba_hybrid");
  const std::string config = test::SourceDir() + "/workloads/hf/mamba-130m-hf.config.json";
  auto [code, out] = test::RunPjsim(
      "import-hf " + config + " --attention-every 2 --layers 2 --seq 64 -o " + dir + "/w.yaml");
  ASSERT_EQ(code, 0) << out;
  const std::string yaml = ReadText(dir + "/w.yaml");
  EXPECT_NE(yaml.find("L0.scan"), std::string::npos);
  EXPECT_NE(yaml.find("L1.scores"), std::string::npos);
  std::tie(code, out) = test::RunPjsimPair(
      "import-hf " + test::SourceDir() +
      "/workloads/hf/Meta-Llama-3-8B.config.json --attention-every 2 -o " + dir + "/x.yaml");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("needs a state-space model"), std::string::npos) << out;
  std::tie(code, out) =
      test::RunPjsimPair("import-hf " + config + " --attention-heads 5 -o " + dir + "/x.yaml");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("--attention-heads needs --attention-every"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/x.yaml"));
}

}  // namespace
}  // namespace pjsim
