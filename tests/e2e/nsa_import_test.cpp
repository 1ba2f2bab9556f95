// `pjsim import-hf --sparse-attention kind=nsa` makes every attention layer Native Sparse
// Attention with the paper's defaults: the run succeeds, each layer has the three branches, the
// gate and the gated sum, and the output projection reads the mixed output; a bad NSA field exits
// 2 naming the key, with nothing written.
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

TEST(NsaImport, EveryAttentionLayerGetsTheBranchesAndTheRunSucceeds) {
  const std::string dir = test::FreshDir("nsa_import");
  auto [code, out] =
      test::RunPjsimPair("import-hf " + test::HfConfigFile("Meta-Llama-3-8B") +
                         " --phase decode --seq 4095 --decode-tokens 2 --layers 2 --no-lm-head "
                         "--sparse-attention kind=nsa,window=256 -o " +
                         dir + "/nsa.yaml");
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(ReadText(dir + "/nsa.yaml").find("sparsity: {kind: nsa, window: 256}"),
            std::string::npos);
  std::tie(code, out) = test::RunPjsimPair("run --arch " + test::SourceDir() +
                                           "/configs/arch/mesh8x8-int8-hbm.yaml --workload " + dir +
                                           "/nsa.yaml --quiet --out " + dir + "/out");
  ASSERT_EQ(code, 0) << out;
  const std::string layers = ReadText(dir + "/out/layers.csv");
  for (const std::string layer : {"L0", "L1"}) {
    for (const std::string op :
         {".scores.compress,", ".scores.cmp_scores,", ".scores.cmp_context,",
          ".scores.select_score,", ".scores.select,", ".scores.win_scores,", ".scores.win_context,",
          ".scores.gate,", ".scores.mix,", ".scores.combine,"}) {
      EXPECT_NE(layers.find("\n" + layer + op), std::string::npos) << layer << op;
    }
  }
  // The window's scores: 256 tokens in both passes.
  EXPECT_NE(layers.find("\nL0.scores.win_scores,attention_scores,int8,4,128,256,"),
            std::string::npos)
      << layers;
}

TEST(NsaImport, BadNsaFieldsExitTwoNamingTheKey) {
  const std::string dir = test::FreshDir("nsa_import_bad");
  auto [code, out] =
      test::RunPjsimPair("import-hf " + test::HfConfigFile("Meta-Llama-3-8B") + " --layers 1 -o " +
                         dir + "/w.yaml --sparse-attention kind=nsa,keep=2");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("'sparsity.keep': keeps 2 blocks but always keeps 1 initial + 2 local"),
            std::string::npos)
      << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/w.yaml"));
}

}  // namespace
}  // namespace pjsim
