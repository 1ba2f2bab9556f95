// `pjsim import-hf` of Mamba-2 and Jamba configs written outside the repository, prefill and
// decode, then `pjsim run` of the models on the shipped 8x8 architecture; bad keys are one-line
// errors naming the file and key.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

TEST(Mamba2JambaImport, ImportWithExactCountsAndRun) {
  const std::string dir = test::FreshDir("mamba2_jamba_import");
  const std::string mamba2 = dir + "/mamba2-130m.config.json";
  std::ofstream(mamba2) << R"json({"model_type": "mamba2", "hidden_size": 768,
    "num_hidden_layers": 24, "state_size": 128, "expand": 2, "head_dim": 64, "num_heads": 24,
    "n_groups": 1, "conv_kernel": 4, "vocab_size": 50288, "chunk_size": 256,
    "tie_word_embeddings": true})json";
  // Jamba's layer pattern and MoE at a small width: attention at layer 2, MoE at odd layers.
  const std::string jamba = dir + "/jamba-small.config.json";
  std::ofstream(jamba) << R"json({"model_type": "jamba", "hidden_size": 256,
    "intermediate_size": 512, "num_hidden_layers": 4, "num_attention_heads": 4,
    "num_key_value_heads": 2, "vocab_size": 1000, "num_experts": 4, "num_experts_per_tok": 2,
    "attn_layer_period": 4, "attn_layer_offset": 2, "mamba_d_state": 16})json";
  const struct {
    std::string config;
    std::string count;
  } models[] = {
      {mamba2, "mamba2: 128989632 parameters"},
      // Per Mamba layer 256 x 1024 + (512 x 4 + 512) + 512 x 48 + (16 x 512 + 512) + 512 x 16 +
      // 512 + 512 x 256 + 48 = 437,808; attention 2 x 256^2 + 2 x 256 x 128 = 196,608; MLP
      // 3 x 256 x 512 = 393,216; MoE 4 MLPs + router 1,024; norms 2 x 256 per layer + 256;
      // embedding and LM head 2 x 1000 x 256.
      {jamba, "jamba: " +
                  std::to_string(3 * 437808 + 196608 + 2 * 393216 + 2 * (4 * 393216 + 1024) +
                                 4 * 512 + 256 + 2 * 1000 * 256) +
                  " parameters"},
  };
  for (const auto& m : models) {
    for (const std::string phase : {"prefill", "decode"}) {
      const std::string w = dir + "/" + phase + ".yaml";
      const auto [code, out] = test::RunPjsim("import-hf " + m.config + " --phase " + phase +
                                              " --seq 512 --decode-tokens 2 -o " + w);
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

TEST(Mamba2JambaImport, BadKeysAreOneLineErrors) {
  const std::string dir = test::FreshDir("mamba2_jamba_errors");
  const std::string bad = dir + "/bad.config.json";
  std::ofstream(bad) << "{\"model_type\": \"mamba2\", \"hidden_size\": 64,\n"
                        "  \"num_heads\": 3, \"head_dim\": 64}\n";
  auto [code, out] = test::RunPjsim("import-hf " + bad + " -o " + dir + "/w.yaml");
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find(bad + ":2:16: 'num_heads' (3) x 'head_dim' (64) must equal 'expand' x "
                           "'hidden_size' (128)"),
            std::string::npos)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  std::ofstream(bad) << "{\"model_type\": \"jamba\", \"hidden_size\": 64,\n"
                        "  \"intermediate_size\": 96, \"num_hidden_layers\": 8,\n"
                        "  \"num_attention_heads\": 4, \"vocab_size\": 100,\n"
                        "  \"expert_layer_period\": 2, \"expert_layer_offset\": 2}\n";
  std::tie(code, out) = test::RunPjsimPair("import-hf " + bad + " -o " + dir + "/w.yaml");
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find(bad + ":4:52: 'expert_layer_offset' (2) must be smaller than "
                           "'expert_layer_period' (2)"),
            std::string::npos)
      << out;
  // A jamba config places its own attention layers.
  std::ofstream(bad) << "{\"model_type\": \"jamba\", \"hidden_size\": 64,\n"
                        "  \"intermediate_size\": 96, \"num_hidden_layers\": 8,\n"
                        "  \"num_attention_heads\": 4, \"vocab_size\": 100}\n";
  std::tie(code, out) =
      test::RunPjsimPair("import-hf " + bad + " --attention-every 2 -o " + dir + "/w.yaml");
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("places its attention layers itself"), std::string::npos) << out;
}

}  // namespace
}  // namespace pjsim
