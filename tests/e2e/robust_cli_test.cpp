// Hostile and absurd inputs to the pjsim executable (issue 19): each is refused with exit code 2
// and one printable line naming the file (line and column where there is one) and the key,
// within seconds, without a signal and without writing a report.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

std::string Src(const std::string& path) { return test::SourceDir() + "/" + path; }
std::string Arch() { return Src("configs/arch/default.yaml"); }
std::string Linear() { return Src("workloads/linear_2048x2560x2560.yaml"); }

std::string WriteFile(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `timeout` turns a hang into exit 124 and a crash into a signal (-1 from RunCommand).
test::CommandResult Pjsim(const std::string& args, const std::string& env = "") {
  return test::RunCommand(env + " timeout 10 " + test::PjsimExecutable() + " " + args);
}

// Exit 2, exactly one line of printable ASCII that says "error:" and contains `expected`
// (`after_progress`: the last of the lines, after a sweep's progress output).
void ExpectRejected(const test::CommandResult& r, const std::string& expected,
                    bool after_progress = false) {
  EXPECT_EQ(r.exit_code, 2) << r.output;
  if (after_progress) {
    const size_t last = r.output.rfind('\n', r.output.size() - 2);
    ExpectRejected({r.exit_code, r.output.substr(last == std::string::npos ? 0 : last + 1)},
                   expected);
    return;
  }
  EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  EXPECT_NE(r.output.find("error: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(expected), std::string::npos) << r.output;
  EXPECT_LT(r.output.size(), 1000u);
  EXPECT_TRUE(std::all_of(r.output.begin(), r.output.end(), [](char c) {
    return c == '\n' || (c >= 0x20 && c < 0x7f);
  })) << r.output;
}

std::string RunArgs(const std::string& arch, const std::string& workload, const std::string& sets,
                    const std::string& out) {
  return "run --arch " + arch + " --workload " + workload + " " + sets + " --quiet --out " + out;
}

TEST(RobustCli, OverflowingLayerSizesAreRefusedNotWrapped) {
  const std::string dir = test::FreshDir("robust_sizes");
  const std::string out = dir + "/out";
  // m = k = n = 2^40 used to overflow the task count check and run out of memory.
  const std::string big = "1099511627776";
  ExpectRejected(Pjsim(RunArgs(Arch(), Linear(),
                               "--set workload.layers.0.m=" + big + " --set workload.layers.0.k=" +
                                   big + " --set workload.layers.0.n=" + big,
                               out)),
                 "too large");
  // 2^32 x 2^32 elements wrapped to 0 (a 0 pJ report); 2^31 x (2^33 + 1) to a plausible size.
  for (const std::string& layer :
       {std::string("{name: a, op: elementwise, function: relu, m: 4294967296, n: 4294967296, "
                    "dtype: int8}"),
        std::string("{name: a, op: softmax, m: 2147483648, n: 8589934593, dtype: int8}"),
        std::string("{name: a, op: embedding, m: 4294967296, n: 4294967296, vocab: 8, "
                    "dtype: int8}"),
        std::string("{name: a, op: attention_scores, heads: 65536, head_dim: 65536, q_len: "
                    "65536, kv_len: 65536, dtype: int8}")}) {
    const std::string w = WriteFile(dir, "w.yaml", "name: w\nlayers:\n  - " + layer + "\n");
    const test::CommandResult r = Pjsim(RunArgs(Arch(), w, "", out));
    ExpectRejected(r, w + ":3:");
    EXPECT_NE(r.output.find("exceeds 2^53"), std::string::npos) << r.output;
  }
  EXPECT_FALSE(fs::exists(out + "/report.json"));
}

TEST(RobustCli, SpikingTimestepsAreCappedAndLargeCountsAreFast) {
  const std::string out = test::FreshDir("robust_spiking") + "/out";
  const std::string snn = Src("workloads/spiking_ffn_prefill128.yaml");
  const std::string spiking_arch = Src("configs/arch/spiking-mesh4x4.yaml");
  ExpectRejected(Pjsim(RunArgs(spiking_arch, snn,
                               "--set workload.layers.0.spiking.timesteps=1099511627776", out)),
                 "timesteps': must be <= 65535");
  // m x k x n x T is checked before any spike count is formed from it (m x k x n alone fits).
  ExpectRejected(Pjsim(RunArgs(spiking_arch, snn,
                               "--set workload.layers.0.m=1048576 --set "
                               "workload.layers.0.k=1048576",
                               out)),
                 "x timesteps 4 exceeds 2^53");
  // The largest accepted T runs in seconds: spike counts are sampled in O(1) per block.
  const test::CommandResult r =
      Pjsim(RunArgs(spiking_arch, snn,
                    "--set workload.layers.0.spiking.timesteps=65535 --set "
                    "workload.layers.1.spiking.timesteps=65535",
                    out));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  // A spiking layer on an int8 MAC array is an arithmetic mismatch, not an int8 run.
  ExpectRejected(Pjsim(RunArgs(Arch(), snn, "", test::FreshDir("robust_spiking2") + "/out")),
                 "cannot execute");
}

TEST(RobustCli, QuantitiesOutsideTheRepresentableRangeAreRefused) {
  const std::string out = test::FreshDir("robust_ranges") + "/out";
  struct Case {
    std::string set;
    std::string expected;
  };
  for (const Case& c : {
           Case{"arch.dram.channel_bandwidth=1 B/s", "'dram.channel_bandwidth': '1 B/s' is out"},
           Case{"arch.dram.access_latency=1e20 s", "'dram.access_latency'"},
           Case{"arch.clock=1e-300 GHz", "'clock': '1e-300 GHz' is out of range"},
           Case{"arch.tile.sram.capacity=1e30 KiB", "'tile.sram.capacity': '1e30 KiB' is out"},
           Case{"arch.noc.hop_latency=1e12 cycles", "'noc.hop_latency'"},
       }) {
    const test::CommandResult r = Pjsim(RunArgs(Arch(), Linear(), "--set '" + c.set + "'", out));
    ExpectRejected(r, c.expected);
    EXPECT_NE(r.output.find("--set " + c.set), std::string::npos) << r.output;
  }
  EXPECT_FALSE(fs::exists(out + "/report.json"));
}

TEST(RobustCli, BadOverridePathsNameTheFlag) {
  const std::string out = test::FreshDir("robust_set") + "/out";
  ExpectRejected(
      Pjsim(RunArgs(Arch(), Linear(), "--set workload.layers.99999999999999999999999.m=1", out)),
      "--set workload.layers.99999999999999999999999.m=1");
  ExpectRejected(Pjsim(RunArgs(Arch(), Linear(), "--set arch.tile.rows.x=1", out)),
                 "--set arch.tile.rows.x=1");
  ExpectRejected(Pjsim("numerics lmul-error --samples 1000000000000000"), "--samples");
}

TEST(RobustCli, ImportHfRefusesAbsurdModelsAndWritesNothing) {
  const std::string dir = test::FreshDir("robust_hf");
  const std::string llama = ReadFile(Src("workloads/hf/Meta-Llama-3-8B.config.json"));
  const std::string out = dir + "/w.yaml";
  const auto with = [&](const std::string& key, const std::string& value) {
    const size_t at = llama.find("\"" + key + "\"");
    const size_t colon = llama.find(':', at);
    const size_t end = llama.find_first_of(",}", colon);
    return llama.substr(0, colon + 1) + " " + value + llama.substr(end);
  };
  for (const char* layers : {"100000", "16777216"}) {
    const std::string cfg = WriteFile(dir, "deep.json", with("num_hidden_layers", layers));
    ExpectRejected(Pjsim("import-hf " + cfg + " -o " + out), "'num_hidden_layers' = ");
  }
  ExpectRejected(Pjsim("import-hf " + Src("workloads/hf/Meta-Llama-3-8B.config.json") +
                       " --layers 100 -o " + out),
                 "only 32 decoder layers");
  // Sizes at the reader's maximum (2^24): Mixtral's expert weights overflow int64.
  std::string huge = ReadFile(Src("workloads/hf/Mixtral-8x7B-v0.1.config.json"));
  for (const char* key : {"hidden_size", "intermediate_size", "num_local_experts"}) {
    const size_t at = huge.find("\"" + std::string(key) + "\"");
    ASSERT_NE(at, std::string::npos) << key;
    const size_t colon = huge.find(':', at);
    const size_t end = huge.find_first_of(",}", colon);
    huge = huge.substr(0, colon + 1) + " 16777216" + huge.substr(end);
  }
  const std::string cfg = WriteFile(dir, "huge.json", huge);
  ExpectRejected(Pjsim("import-hf " + cfg + " -o " + out), cfg + ":1:1: parameter count overflows");
  // Valid sizes whose product is beyond a layer's limit: import-hf never writes what validate
  // would reject.
  ExpectRejected(Pjsim("import-hf " + Src("workloads/hf/Meta-Llama-3-8B.config.json") +
                       " --seq 1048576 --batch 1048576 -o " + out),
                 "would not load (nothing written)");
  EXPECT_FALSE(fs::exists(out));
}

TEST(RobustCli, RoutingTracesHoldExactlyTheRunsDecisions) {
  const std::string dir = test::FreshDir("robust_trace");
  const std::string workload = WriteFile(
      dir, "moe.yaml",
      "name: moe\nrouting: {source: trace, trace: trace.txt}\nlayers:\n"
      "  - {name: e, op: linear, m: 4, k: 16, n: 16, dtype: int8, experts: {count: 4, top_k: 2}, "
      "inputs: []}\n");
  const std::string out = dir + "/out";
  const std::string good = "0 0 0 1\n0 1 1 2\n";
  WriteFile(dir, "trace.txt", good);
  ASSERT_EQ(Pjsim(RunArgs(Arch(), workload, "", out)).exit_code, 0);
  fs::remove_all(out);
  struct Case {
    std::string trace;
    std::string expected;
  };
  for (const Case& c : {
           Case{good + "0 2 0 1\n", "trace.txt:3: routing trace: token 2 is beyond the 2 tokens"},
           Case{good + "1 0 0 1\n", "trace.txt:3: routing trace: the workload has no MoE layer"},
           Case{"0 0 0 4294967296\n0 1 1 2\n", "trace.txt:1: routing trace: expert 4294967296"},
           Case{"0 0 0 1\n", "no decision for layer 0 token 1"},
           Case{"0 0 0 " + std::string(5 << 20, '7') + "x\n", "...(5242881 bytes)"},
           Case{"0 0 0 \x01\xff\x80\n", "'\\x01\\xff\\x80' is not"},
       }) {
    WriteFile(dir, "trace.txt", c.trace);
    ExpectRejected(Pjsim(RunArgs(Arch(), workload, "", out)), c.expected);
    EXPECT_FALSE(fs::exists(out + "/report.json"));
  }
  // A block number beyond what decisions are keyed by is refused where it is written, not
  // wrapped into another block's decisions.
  const std::string far =
      WriteFile(dir, "far.yaml",
                "name: moe\nrouting: {source: trace, trace: trace.txt}\nlayers:\n"
                "  - {name: e, op: linear, m: 4, k: 16, n: 16, dtype: int8,\n"
                "     experts: {count: 4, top_k: 2, block: 4294967296}, inputs: []}\n");
  WriteFile(dir, "trace.txt", "4294967296 0 0 1\n4294967296 1 1 2\n");
  ExpectRejected(Pjsim(RunArgs(Arch(), far, "", out)), "far.yaml:5:");
  EXPECT_FALSE(fs::exists(out + "/report.json"));
}

TEST(RobustCli, DeeplyNestedDocumentsAreSyntaxErrorsWithTheirPosition) {
  // yaml-cpp stops at its depth limit and calls it "bad file"; the message says what is wrong.
  const std::string dir = test::FreshDir("robust_nesting");
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string workload = WriteFile(dir, "deep.yaml", "name: x\nlayers: " + deep + "\n");
  const test::CommandResult r = Pjsim(RunArgs(Arch(), workload, "", dir + "/out"));
  ExpectRejected(r, "deep.yaml:2:");
  ExpectRejected(r, "YAML syntax error: collections nest ");
  EXPECT_FALSE(fs::exists(dir + "/out/report.json"));
  const std::string config = WriteFile(dir, "config.json", "{\"a\": " + deep + "}\n");
  ExpectRejected(Pjsim("import-hf " + config + " -o " + dir + "/w.yaml"),
                 "JSON syntax error: collections nest ");
  EXPECT_FALSE(fs::exists(dir + "/w.yaml"));
}

// A sweep over one 16x16 point of the tiny FFN, with extra spec text.
std::string SweepSpec(const std::string& dir, const std::string& extra) {
  return WriteFile(dir, "spec.yaml",
                   "name: one\nbase:\n  arch: " + Arch() +
                       "\n  workload: " + Src("workloads/ffn_bitnet_prefill128.yaml") +
                       "\naxes:\n  - key: arch.tile.rows\n    values: [16]\n" + extra);
}

TEST(RobustCli, SweepRefusesDeepFiltersAndMisspelledDerivedNames) {
  const std::string dir = test::FreshDir("robust_sweep_names");
  const std::string deep = std::string(10000, '(') + "1" + std::string(10000, ')');
  ExpectRejected(
      Pjsim("sweep " + SweepSpec(dir, "filters:\n  - {require: \"" + deep + "\", reason: x}\n") +
            " --dry-run"),
      "nests deeper than 256");
  // A ledger category no point can charge is refused before anything runs.
  const std::string spec =
      SweepSpec(dir, "derived:\n  - {name: reads, expr: \"energy_by_category.dram.reed * 2\"}\n");
  const test::CommandResult r = Pjsim("sweep " + spec + " -j 1 --out " + dir + "/store");
  ExpectRejected(r, "spec.yaml:9:");
  EXPECT_NE(r.output.find("(did you mean 'energy_by_category.dram.read'?)"), std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir + "/store"));
  // So is a key of the resolved configuration that no point has.
  const test::CommandResult c =
      Pjsim("sweep " +
            SweepSpec(dir, "derived:\n  - {name: rows, expr: \"config.arch.tile.rowz * 1\"}\n") +
            " --dry-run");
  ExpectRejected(c, "spec.yaml:9:");
  EXPECT_NE(c.output.find("(did you mean 'config.arch.tile.rows'?)"), std::string::npos)
      << c.output;
}

TEST(RobustCli, SweepAcceptsACategoryOnlyALaterPointCharges) {
  // The first point (int8 MAC array) has no compute.fp16_mac; the second (fp16) does.
  const std::string dir = test::FreshDir("robust_sweep_categories");
  const std::string spec = WriteFile(
      dir, "spec.yaml",
      "name: two\nbase:\n  arch: " + Arch() + "\n  workload: " + Linear() +
          "\naxes:\n  - key: arch\n    values: [" + Arch() + ", " +
          Src("configs/arch/mesh4x4-fp16.yaml") +
          "]\nderived:\n  - {name: fp16, expr: \"energy_by_category.compute.fp16_mac / 1e6\"}\n");
  const test::CommandResult ok = Pjsim("sweep " + spec + " --dry-run");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  // With only the int8 design, the same column names a category no point charges.
  const std::string one = WriteFile(
      dir, "one.yaml",
      "name: one\nbase:\n  arch: " + Arch() + "\n  workload: " + Linear() +
          "\naxes:\n  - key: arch.tile.rows\n    values: [16]\nderived:\n  - {name: fp16, "
          "expr: \"energy_by_category.compute.fp16_mac / 1e6\"}\n");
  ExpectRejected(Pjsim("sweep " + one + " --dry-run"),
                 "no point of the sweep has 'energy_by_category.compute.fp16_mac'");
}

TEST(RobustCli, SweepDryRunChecksEveryPointsValues) {
  const std::string dir = test::FreshDir("robust_dry_run");
  const std::string spec =
      SweepSpec(dir, "  - key: arch.dram.channel_bandwidth\n    values: ['25.6 GB/s', '1 B/s']\n");
  const test::CommandResult r = Pjsim("sweep " + spec + " --dry-run");
  ExpectRejected(r, "point 0001 (arch.tile.rows=16 arch.dram.channel_bandwidth=1 B/s): ");
  EXPECT_NE(r.output.find("'1 B/s' is out of range"), std::string::npos) << r.output;
}

TEST(RobustCli, SweepAndRunNeverWriteIntoAForeignDirectory) {
  const std::string dir = test::FreshDir("robust_out");
  const std::string spec = SweepSpec(dir, "");
  const std::string foreign = dir + "/thesis";
  fs::create_directories(foreign + "/scratch/thesis");
  const std::string chapter = "\\chapter{One}\n";
  WriteFile(foreign + "/scratch/thesis", "chapter1.tex", chapter);
  WriteFile(foreign, "results.csv", "mine\n");
  WriteFile(foreign, "notes.tmp.123", "mine too\n");
  const auto listing = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::recursive_directory_iterator(foreign))
      names.push_back(e.path().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  const std::vector<std::string> before = listing();
  for (const char* flags : {"", " --resume"}) {
    ExpectRejected(Pjsim("sweep " + spec + " -j 1 --out " + foreign + flags), "which pjsim did");
  }
  ExpectRejected(Pjsim(RunArgs(Arch(), Linear(), "", foreign)), "which pjsim did not write");
  EXPECT_EQ(listing(), before);
  EXPECT_EQ(ReadFile(foreign + "/scratch/thesis/chapter1.tex"), chapter);
  EXPECT_EQ(ReadFile(foreign + "/results.csv"), "mine\n");
  EXPECT_EQ(ReadFile(foreign + "/notes.tmp.123"), "mine too\n");
  // The root and the home directory are never a store.
  ExpectRejected(Pjsim("sweep " + spec + " -j 1 --out /"), "is the root directory");
  const std::string home = dir + "/home";
  fs::create_directories(home);
  ExpectRejected(Pjsim("sweep " + spec + " -j 1 --out " + home, "HOME=" + home),
                 "is the home directory");
  ExpectRejected(Pjsim(RunArgs(Arch(), Linear(), "", home), "HOME=" + home),
                 "is the home directory");
  EXPECT_TRUE(fs::is_empty(home));
  // A fake manifest does not make a directory a store.
  const std::string fake = dir + "/fake";
  fs::create_directories(fake);
  WriteFile(fake, "sweep.json", "{\"points\": 1}");
  ExpectRejected(Pjsim("sweep " + spec + " -j 1 --resume --out " + fake),
                 "is not a pjsim sweep store");
  EXPECT_FALSE(fs::exists(fake + "/.lock"));
}

TEST(RobustCli, ASecondWriterOfAStoreExitsTwo) {
  const std::string dir = test::FreshDir("robust_lock");
  const std::string spec = SweepSpec(dir, "");
  const std::string store = dir + "/store";
  ASSERT_EQ(Pjsim("sweep " + spec + " -j 1 --out " + store).exit_code, 0);
  const int fd = ::open((store + "/.lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ExpectRejected(Pjsim("sweep " + spec + " -j 1 --resume --out " + store),
                 "another pjsim sweep is writing");
  ::close(fd);
  EXPECT_EQ(Pjsim("sweep " + spec + " -j 1 --resume --out " + store).exit_code, 0);
}

}  // namespace
}  // namespace pjsim
