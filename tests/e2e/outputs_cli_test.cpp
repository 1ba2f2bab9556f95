// The CSV tables of `pjsim run --out` as a paper's scripts read them: layers.csv, ops.csv and
// passes.csv parse with Python's csv module whatever the layer names hold (commas, quotes, line
// breaks, non-ASCII), and their energies add up to report.json's; passes.csv has one row per
// decode token. Progress goes to stderr only when asked for (stderr is not a terminal here) and
// never with --quiet.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Arch() { return test::SourceDir() + "/configs/arch/default.yaml"; }

std::string Write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// One decoder block and an LM head, decoding `tokens` tokens, its layers named to trip a naive
// CSV writer.
std::string WeirdDecodeWorkload(const std::string& dir, int tokens) {
  const std::string attention =
      "sequences: 1, heads: 4, kv_heads: 2, head_dim: 16, q_len: 1, kv_len: 40, dtype: int8";
  return Write(
      dir, "weird.yaml",
      "name: weird\nphase: decode\ndecode_tokens: " + std::to_string(tokens) +
          "\ntokens_per_pass: 1\nlayers:\n"
          "  - {name: embed, op: embedding, m: 1, n: 64, vocab: 512, dtype: int8, inputs: []}\n"
          "  - {name: \"norm, attn\", op: norm, function: rmsnorm, m: 1, n: 64, dtype: int8, "
          "inputs: [embed]}\n"
          "  - {name: 'q \"proj\"', op: linear, m: 1, k: 64, n: 64, dtype: int8, "
          "inputs: [\"norm, attn\"]}\n"
          "  - {name: \"k\\nproj\", op: linear, m: 1, k: 64, n: 32, dtype: int8, "
          "inputs: [\"norm, attn\"]}\n"
          "  - {name: \"v\\r\\nproj\", op: linear, m: 1, k: 64, n: 32, dtype: int8, "
          "inputs: [\"norm, attn\"]}\n"
          "  - {name: \"scores \\u00e9\\u540d\", op: attention_scores, " +
          attention +
          ", inputs: ['q \"proj\"', \"k\\nproj\"]}\n"
          "  - {name: softmax, op: softmax, m: 4, n: 40, dtype: int8, "
          "inputs: [\"scores \\u00e9\\u540d\"]}\n"
          "  - {name: context, op: attention_context, " +
          attention +
          ", inputs: [softmax, \"v\\r\\nproj\"]}\n"
          "  - {name: '\"o\"', op: linear, m: 1, k: 64, n: 64, dtype: int8, inputs: [context]}\n"
          "  - {name: \"res,,\", op: elementwise, function: add, m: 1, n: 64, dtype: int8, "
          "inputs: ['\"o\"', embed]}\n"
          "  - {name: lm_head, op: linear, m: 1, k: 64, n: 512, dtype: int8, inputs: "
          "[\"res,,\"]}\n");
}

// Checks the tables of a result directory with Python's csv module; prints "ok" when all hold.
constexpr const char* kCheckScript = R"(import csv, json, sys
out, tokens = sys.argv[1], int(sys.argv[2])
report = json.load(open(out + "/report.json", encoding="utf-8"))
total = report["total"]["energy_pj"]
categories = report["energy_by_category"]
def table(name):
    with open(out + "/" + name, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert all(len(r) == len(header) for r in rows), (name, [len(r) for r in rows])
    return [dict(zip(header, r)) for r in rows[1:]]
def close(a, b):
    return abs(a - b) <= 1e-9 * abs(b)
layers, ops, passes = table("layers.csv"), table("ops.csv"), table("passes.csv")
names = [l["layer"] for l in layers]
expected = [l["name"] for l in report["layers"]]
assert names == expected, (names, expected)
assert "k\nproj" in names and "v\r\nproj" in names and 'q "proj"' in names, names
assert "scores \u00e9\u540d" in names, names
assert len(passes) == tokens, len(passes)
assert [int(p["pass"]) for p in passes] == list(range(tokens))
assert [int(p["kv_len"]) for p in passes] == [40 + i for i in range(tokens)]
for name, rows in (("layers", layers), ("ops", ops), ("passes", passes)):
    assert close(sum(float(r["energy_pj"]) for r in rows), total), name
    for c, pj in categories.items():
        s = sum(float(r["energy_by_category." + c]) for r in rows)
        assert close(s, pj) or abs(s - pj) <= 1e-9 * total, (name, c, s, pj)
    for r in rows:
        assert close(sum(float(r["energy_by_category." + c]) for c in categories),
                     float(r["energy_pj"])) or float(r["energy_pj"]) == 0, (name, r)
# Whole cycles: one layer at a time, so layer cycles and pass cycles both add up to the run's.
cycles = report["total"]["cycles"]
assert sum(int(l["cycles"]) for l in layers) == cycles
assert sum(int(p["cycles"]) for p in passes) == cycles
assert sum(int(o["cycles"]) for o in ops) == cycles
assert int(passes[0]["start_cycle"]) == 0
for a, b in zip(passes, passes[1:]):
    assert int(b["start_cycle"]) == int(a["start_cycle"]) + int(a["cycles"])
# The first pass also loads the weights, which stay in SRAM; after it the KV cache grows by one
# token each pass, so each pass reads more of it.
assert float(passes[0]["dram_read_bytes"]) > float(passes[1]["dram_read_bytes"])
for a, b in zip(passes[1:], passes[2:]):
    assert float(b["dram_read_bytes"]) > float(a["dram_read_bytes"])
assert close(sum(float(p["dram_read_bytes"]) for p in passes), report["total"]["dram_read_bytes"])
assert sum(int(o["layers"]) for o in ops) == len(layers)
groups = {o["op_group"] for o in ops}
assert {"q_proj", "k_proj", "v_proj", "o_proj", "lm_head", "attention_scores"} <= groups, groups
print("ok")
)";

TEST(OutputsCli, TablesParseWithPythonCsvAndAddUpToTheReport) {
  const std::string dir = test::FreshDir("outputs_tables");
  const int tokens = 5;
  const std::string workload = WeirdDecodeWorkload(dir, tokens);
  const std::string out = dir + "/out";
  const test::CommandResult run =
      test::RunPjsim("run --arch " + Arch() + " --workload " + workload + " --out " + out);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string script = Write(dir, "check.py", kCheckScript);
  const test::CommandResult check =
      test::RunCommand("python3 " + script + " " + out + " " + std::to_string(tokens));
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "ok\n");
  // The summary rolls layers up by op group; --layers adds every layer.
  EXPECT_NE(run.output.find("op group"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("layer             cycles"), std::string::npos) << run.output;
  const test::CommandResult with_layers =
      test::RunPjsim("run --arch " + Arch() + " --workload " + workload + " --layers");
  EXPECT_NE(with_layers.output.find("layer             cycles"), std::string::npos);
}

TEST(OutputsCli, PassesCsvOnlyForDecodeAndAStaleOneIsRemoved) {
  const std::string dir = test::FreshDir("outputs_passes");
  const std::string out = dir + "/out";
  ASSERT_EQ(test::RunPjsim("run --arch " + Arch() + " --workload " + WeirdDecodeWorkload(dir, 2) +
                           " --out " + out + " --quiet")
                .exit_code,
            0);
  EXPECT_TRUE(std::filesystem::exists(out + "/passes.csv"));
  const std::string prefill = test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml";
  ASSERT_EQ(test::RunPjsim("run --arch " + Arch() + " --workload " + prefill + " --out " + out +
                           " --quiet")
                .exit_code,
            0);
  EXPECT_TRUE(std::filesystem::exists(out + "/ops.csv"));
  EXPECT_FALSE(std::filesystem::exists(out + "/passes.csv"));
}

TEST(OutputsCli, ProgressOnlyWhenAskedAndNeverWithQuiet) {
  const std::string dir = test::FreshDir("outputs_progress");
  const std::string workload = WeirdDecodeWorkload(dir, 3);
  const std::string run = "run --arch " + Arch() + " --workload " + workload;
  // stderr is a pipe here, not a terminal: no progress unless forced.
  const test::CommandResult plain = test::RunPjsim(run + " --out " + dir + "/a");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_EQ(plain.output.find("progress:"), std::string::npos) << plain.output;
  const test::CommandResult forced =
      test::RunCommand("{ PJSIM_PROGRESS=1 " + test::PjsimExecutable() + " " + run + " --out " +
                       dir + "/b 2>" + dir + "/err; }");
  ASSERT_EQ(forced.exit_code, 0) << forced.output;
  EXPECT_EQ(forced.output.find("progress:"), std::string::npos) << "progress on stdout";
  std::ifstream in(dir + "/err");
  const std::string err((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(err.find("progress: pass 1/3  layer embed"), std::string::npos) << err;
  EXPECT_NE(err.find("progress: pass 3/3  100.0%"), std::string::npos) << err;
  // Machine-readable outputs are the same with and without progress.
  for (const char* f : {"report.json", "layers.csv", "ops.csv", "passes.csv"}) {
    std::ifstream a(dir + "/a/" + f), b(dir + "/b/" + f);
    const std::string ta((std::istreambuf_iterator<char>(a)), {});
    const std::string tb((std::istreambuf_iterator<char>(b)), {});
    EXPECT_FALSE(ta.empty()) << f;
    EXPECT_EQ(ta, tb) << f;
  }
  const test::CommandResult quiet =
      test::RunCommand("PJSIM_PROGRESS=1 " + test::PjsimExecutable() + " " + run + " --quiet");
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.output, "");
}

}  // namespace
}  // namespace pjsim
