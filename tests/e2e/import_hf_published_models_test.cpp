// `pjsim import-hf` of published models' configs the repository does not ship as workloads
// (tests/data/hf/): each imports with its pinned parameter count and a cut of it runs, prefill
// on the default architecture and decode on the 8x8 int8 HBM mesh; a sliding window shows in the
// workload; malformed configs exit 2 with one line naming file:line:col and key, writing nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string DataFile(const std::string& name) {
  return test::SourceDir() + "/tests/data/hf/" + name + ".config.json";
}

std::string Arch(const std::string& name) {
  return test::SourceDir() + "/configs/arch/" + name + ".yaml";
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(ImportHfPublishedModels, ImportWithTheirCountsAndRun) {
  const struct {
    const char* model;
    const char* printed;  // what import-hf prints first
  } models[] = {
      {"Mistral-7B-v0.1", "mistral: 7241732096 parameters"},
      {"Qwen2.5-0.5B", "qwen2: 494032768 parameters"},
      {"Qwen2-57B-A14B", "qwen2_moe: 57408658944 parameters"},
      {"Qwen3-8B", "qwen3: 8190735360 parameters"},
      {"Qwen3-30B-A3B", "qwen3_moe: 30532122624 parameters"},
      {"Llama-3.2-1B", "llama: 1235814400 parameters"},
      {"Phi-3-mini-4k-instruct", "phi3: 3821079552 parameters"},
      {"gemma-7b", "gemma: 8537680896 parameters"},
      {"DeepSeek-V2", "deepseek_v2: 235741434880 parameters"},
      {"falcon-mamba-7b", "falcon_mamba: 7272665088 parameters"},
      {"Mamba-Codestral-7B-v0.1", "mamba2: 7285403648 parameters"},
      {"Jamba-v0.1", "jamba: 51570323328 parameters"},
      {"nulls-and-missing", "mistral: 132654080 parameters"},
  };
  const std::string dir = test::FreshDir("import_hf_published");
  for (const auto& m : models) {
    SCOPED_TRACE(m.model);
    const std::string base = dir + "/" + m.model;
    // Jamba's first attention layer is layer 4: five layers hold every kind it has.
    const std::string layers = std::string(m.model) == "Jamba-v0.1" ? "5" : "2";
    auto [code, out] = test::RunPjsimPair("import-hf " + DataFile(m.model) + " --seq 32 --layers " +
                                          layers + " -o " + base + ".prefill.yaml");
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find(m.printed), std::string::npos) << out;
    std::tie(code, out) = test::RunPjsimPair("run --arch " + Arch("default") + " --workload " +
                                             base + ".prefill.yaml --quiet --out " + base + ".p");
    EXPECT_EQ(code, 0) << out;
    std::tie(code, out) =
        test::RunPjsimPair("import-hf " + DataFile(m.model) + " --seq 32 --layers 1 --phase " +
                           "decode --decode-tokens 4 -o " + base + ".decode.yaml");
    ASSERT_EQ(code, 0) << out;
    std::tie(code, out) =
        test::RunPjsimPair("run --arch " + Arch("mesh8x8-int8-hbm") + " --workload " + base +
                           ".decode.yaml --quiet --out " + base + ".d");
    EXPECT_EQ(code, 0) << out;
    EXPECT_TRUE(std::filesystem::exists(base + ".d/report.json"));
  }
}

TEST(ImportHfPublishedModels, SlidingWindowPastTheWindowRuns) {
  const std::string dir = test::FreshDir("import_hf_sliding");
  // 4094 cached tokens + 4 generated pass Mistral's window of 4096.
  auto [code, out] = test::RunPjsimPair("import-hf " + DataFile("Mistral-7B-v0.1") +
                                        " --seq 4094 --phase decode --decode-tokens 4 --layers 1 "
                                        "-o " +
                                        dir + "/w.yaml");
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find("sliding window: attention keeps the last 4096 tokens"), std::string::npos)
      << out;
  EXPECT_NE(ReadText(dir + "/w.yaml").find("sparsity: {kind: sliding_window, window: 4096}"),
            std::string::npos);
  std::tie(code, out) =
      test::RunPjsimPair("run --arch " + Arch("mesh8x8-int8-hbm") + " --workload " + dir +
                         "/w.yaml --quiet --out " + dir + "/out");
  EXPECT_EQ(code, 0) << out;
}

TEST(ImportHfPublishedModels, MalformedConfigsExitTwoOnOneLineWritingNothing) {
  const struct {
    const char* file;
    const char* where;  // file:line:col
    const char* what;
  } bad[] = {
      {"truncated", "truncated.config.json:8:20: JSON syntax error", "is it truncated?"},
      {"duplicate-key", "duplicate-key.config.json:7:3:", "duplicate key 'num_hidden_layers'"},
      {"negative-size", "negative-size.config.json:4:24:",
       "'intermediate_size' must be a positive integer, got -14336"},
      {"heads-not-dividing-hidden", "heads-not-dividing-hidden.config.json:6:26:",
       "'hidden_size' (4000) is not a multiple of 'num_attention_heads' (48)"},
      {"kv-heads-not-dividing", "kv-heads-not-dividing.config.json:7:26:",
       "'num_key_value_heads' (6) must divide 'num_attention_heads' (32)"},
      {"wrong-type", "wrong-type.config.json:8:18:",
       "'num_experts' must be a positive integer, got the string \"60\""},
  };
  const std::string dir = test::FreshDir("import_hf_malformed");
  for (const auto& b : bad) {
    SCOPED_TRACE(b.file);
    const auto [code, out] = test::RunPjsimPair(
        "import-hf " + DataFile(std::string("malformed/") + b.file) + " -o " + dir + "/w.yaml");
    EXPECT_EQ(code, 2) << out;
    EXPECT_NE(out.find(b.where), std::string::npos) << out;
    EXPECT_NE(out.find(b.what), std::string::npos) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_FALSE(std::filesystem::exists(dir + "/w.yaml"));
  }
  const auto [code, out] = test::RunPjsimPair(
      "import-hf " + DataFile("malformed/Phi-3.5-MoE-instruct") + " -o " + dir + "/w.yaml");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(
      out.find("Phi-3.5-MoE-instruct.config.json:17:17: model_type 'phimoe' is not supported"),
      std::string::npos)
      << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/w.yaml"));
}

}  // namespace
}  // namespace pjsim
