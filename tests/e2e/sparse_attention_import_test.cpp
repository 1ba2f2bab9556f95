// `pjsim import-hf --sparse-attention` writes the workload-wide sparsity key, whose router ops
// the workload reader emits for every attention layer; the import runs on the shipped 8x8 mesh
// and reads less KV cache than the dense import; bad flag fields exit 2 naming the flag.
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

TEST(SparseAttentionImport, EveryAttentionLayerGetsARouterAndTheRunSucceeds) {
  const std::string dir = test::FreshDir("sparse_import");
  const std::string common = "import-hf " + test::HfConfigFile("Meta-Llama-3-8B") +
                             " --phase decode --seq 8191 --decode-tokens 1 --layers 2 --no-lm-head";
  auto [code, out] = test::RunPjsimPair(
      common + " --sparse-attention kind=topk_blocks,block=64,keep=32 -o " + dir + "/sparse.yaml");
  ASSERT_EQ(code, 0) << out;
  const std::string yaml = ReadText(dir + "/sparse.yaml");
  EXPECT_NE(yaml.find("sparsity: {kind: topk_blocks, block: 64, keep: 32}"), std::string::npos)
      << yaml;
  std::tie(code, out) = test::RunPjsimPair(common + " -o " + dir + "/dense.yaml");
  ASSERT_EQ(code, 0) << out;
  for (const std::string w : {"sparse", "dense"}) {
    std::tie(code, out) = test::RunPjsimPair(
        "run --arch " + test::SourceDir() + "/configs/arch/mesh8x8-int8-hbm.yaml --workload " +
        dir + "/" + w + ".yaml --quiet --out " + dir + "/out-" + w);
    ASSERT_EQ(code, 0) << w << ": " << out;
  }
  const std::string layers = ReadText(dir + "/out-sparse/layers.csv");
  for (const std::string op :
       {"L0.scores.summary", "L0.scores.router", "L0.scores.select", "L1.scores.router"}) {
    EXPECT_NE(layers.find(op + ","), std::string::npos) << op;
  }
  EXPECT_EQ(ReadText(dir + "/out-dense/layers.csv").find("scores.router"), std::string::npos);
}

TEST(SparseAttentionImport, BadFieldsExitTwo) {
  const std::string dir = test::FreshDir("sparse_import_bad");
  const std::string common = "import-hf " + test::HfConfigFile("Meta-Llama-3-8B") +
                             " --layers 1 -o " + dir + "/w.yaml --sparse-attention ";
  auto [code, out] = test::RunPjsimPair(common + "kind=topk_blocks,blocks=64,keep=2");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("--sparse-attention: expected KEY=VALUE"), std::string::npos) << out;
  std::tie(code, out) = test::RunPjsimPair(common + "kind=topk_pages,block=64,keep=2");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("topk_pages"), std::string::npos) << out;
  std::tie(code, out) = test::RunPjsimPair(common + "kind=sliding_window,keep=2");
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("window"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/w.yaml"));
}

}  // namespace
}  // namespace pjsim
