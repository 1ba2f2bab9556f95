// `pjsim import-hf` of DeepSeek-V2-Lite with either MLA execution, then `pjsim run` on the
// shipped 8x8 architectures; a bad --mla exits 2 naming the flag or the config file.
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

TEST(MlaImport, BothExecutionsImportAndRunOnThe8x8Meshes) {
  const std::string dir = test::FreshDir("mla_import");
  for (const std::string execution : {"absorbed", "naive"}) {
    const std::string w = dir + "/" + execution + ".yaml";
    const auto [code, out] = test::RunPjsim(
        "import-hf " + test::HfConfigFile("DeepSeek-V2-Lite") +
        " --phase decode --seq 512 --decode-tokens 2 --layers 2 --mla " + execution + " -o " + w);
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find("deepseek_v2: 15706484224 parameters"), std::string::npos) << out;
    const std::string yaml = ReadText(w);
    EXPECT_EQ(yaml.find("kv_sequences") != std::string::npos, execution == "naive") << execution;
    EXPECT_EQ(yaml.find("values_in_keys: true") != std::string::npos, execution == "absorbed");
    for (const std::string arch : {"mesh8x8-int8-hbm.yaml", "mesh8x8-int8-hbm-jedec.yaml"}) {
      const std::string out_dir = dir + "/out-" + execution + "-" + arch;
      const auto [run_code, run_out] =
          test::RunPjsim("run --arch " + test::SourceDir() + "/configs/arch/" + arch +
                         " --workload " + w + " --quiet --out " + out_dir);
      EXPECT_EQ(run_code, 0) << execution << " on " << arch << ": " << run_out;
      EXPECT_TRUE(std::filesystem::exists(out_dir + "/report.json")) << execution << " " << arch;
    }
  }
}

TEST(MlaImport, DefaultIsAbsorbed) {
  const std::string dir = test::FreshDir("mla_import_default");
  const auto [code, out] =
      test::RunPjsim("import-hf " + test::HfConfigFile("DeepSeek-V2-Lite") +
                     " --phase decode --seq 64 --layers 1 -o " + dir + "/w.yaml");
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(ReadText(dir + "/w.yaml").find("L0.q_absorb"), std::string::npos);
}

TEST(MlaImport, BadExecutionOrNonMlaModelExitsTwo) {
  const std::string dir = test::FreshDir("mla_import_bad");
  auto [code, out] = test::RunPjsim("import-hf " + test::HfConfigFile("DeepSeek-V2-Lite") +
                                    " --mla fused -o " + dir + "/w.yaml");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("--mla must be absorbed or naive, got 'fused'"), std::string::npos) << out;
  std::tie(code, out) = test::RunPjsimPair("import-hf " + test::HfConfigFile("Meta-Llama-3-8B") +
                                           " --mla naive -o " + dir + "/w.yaml");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("Meta-Llama-3-8B.config.json"), std::string::npos) << out;
  EXPECT_NE(out.find("model_type 'llama' has no multi-head latent attention"), std::string::npos)
      << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/w.yaml"));
}

}  // namespace
}  // namespace pjsim
