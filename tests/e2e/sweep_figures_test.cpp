// The figure scripts (tools/figures) run headless on a small results store and write non-empty
// PNG and PDF files; on a malformed store they fail with one line and a non-zero status.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

// A Python 3 with matplotlib: the one on PATH, or Debian's (tools/bootstrap.sh installs
// python3-matplotlib for /usr/bin/python3). "" if there is none.
std::string PythonWithMatplotlib() {
  for (const char* python : {"python3", "/usr/bin/python3"}) {
    if (test::RunCommand(std::string(python) + " -c 'import matplotlib'").exit_code == 0)
      return python;
  }
  return "";
}

std::string Head(const fs::path& p, size_t n) {
  std::ifstream in(p, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  return s;
}

class SweepFigures : public ::testing::Test {
 protected:
  void SetUp() override {
    python_ = PythonWithMatplotlib();
    if (python_.empty())
      GTEST_SKIP() << "no python3 with matplotlib (apt-get install python3-matplotlib)";
  }
  test::CommandResult Script(const std::string& script, const std::string& args,
                             const std::string& out) {
    // MPLCONFIGDIR: a writable cache even where $HOME is not.
    return test::RunCommand("MPLCONFIGDIR=" + out + "/mplconfig " + python_ + " " +
                            test::SourceDir() + "/tools/figures/" + script + " " + args);
  }
  std::string python_;
};

TEST_F(SweepFigures, EveryScriptWritesPngAndPdfFromASmallStore) {
  const std::string store = test::FreshDir("figures_store");
  const std::string out = test::FreshDir("figures_out");
  const std::string spec = test::SourceDir() + "/configs/sweeps/tiny12.yaml";
  const test::CommandResult sweep =
      test::RunCommand(test::PjsimExecutable() + " sweep " + spec + " -j 2 --out " + store);
  ASSERT_EQ(sweep.exit_code, 0) << sweep.output;

  const std::vector<std::pair<std::string, std::string>> figures = {
      {"energy_breakdown.py", "--where arch.dram.type=ddr4"},
      {"energy_breakdown.py", "--detail --name energy_detail"},
      {"pareto.py", "--marker-by arch.tile.rows"},
      {"metric_lines.py", "--x arch.tile.rows --group arch.dram.type --metric tops_per_w"},
      {"roofline.py", "--where arch.dram.type=hbm2e"},
  };
  for (const auto& [script, args] : figures) {
    const test::CommandResult o =
        Script(script, spec + " --store " + store + " --out " + out + " " + args, out);
    ASSERT_EQ(o.exit_code, 0) << script << "\n" << o.output;
    const std::string name = args.find("--name energy_detail") != std::string::npos
                                 ? "energy_detail"
                                 : script.substr(0, script.size() - 3);
    const fs::path png = fs::path(out) / (name + ".png"), pdf = fs::path(out) / (name + ".pdf");
    ASSERT_TRUE(fs::exists(png)) << png;
    ASSERT_TRUE(fs::exists(pdf)) << pdf;
    EXPECT_GT(fs::file_size(png), 5000u) << png;
    EXPECT_GT(fs::file_size(pdf), 5000u) << pdf;
    EXPECT_EQ(Head(png, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << png;
    EXPECT_EQ(Head(pdf, 5), "%PDF-") << pdf;
  }
}

TEST_F(SweepFigures, MalformedStoresFailWithOneLine) {
  const std::string dir = test::FreshDir("figures_bad");
  const std::string out = dir + "/out";
  fs::create_directories(dir + "/not_a_store");
  fs::create_directories(dir + "/broken");
  std::ofstream(dir + "/broken/sweep.json") << "{\"format\": \"pjsim-sweep-store\", \"points\": 2, "
                                               "\"axes\": [{\"key\": \"arch.tile.rows\"}]}";
  std::ofstream(dir + "/broken/results.csv")
      << "point,config_hash,arch.tile.rows,status,error,total.energy_pj,total.seconds\n"
         "0000,abc,16,ok,,1e9,0.001\n"
         "0001,def,32,ok,\n";
  std::ofstream(dir + "/garbled.json") << "{";
  fs::create_directories(dir + "/garbled");
  fs::copy_file(dir + "/garbled.json", dir + "/garbled/sweep.json");

  struct Case {
    std::string script, store, expected;
  };
  const std::vector<Case> cases = {
      {"pareto.py", dir + "/not_a_store",
       "sweep.json: missing: " + dir + "/not_a_store is not a pjsim sweep results store"},
      {"energy_breakdown.py", dir + "/broken", "results.csv:3: 5 fields but the header has 7"},
      {"metric_lines.py", dir + "/garbled", "sweep.json: not valid JSON"},
      {"roofline.py", dir + "/missing", dir + "/missing: no such directory"},
  };
  for (const auto& c : cases) {
    const test::CommandResult o =
        Script(c.script, "--store " + c.store + " --out " + out + " --pjsim /bin/false", out);
    EXPECT_EQ(o.exit_code, 2) << c.script << "\n" << o.output;
    EXPECT_NE(o.output.find(c.expected), std::string::npos) << c.script << "\n" << o.output;
    EXPECT_NE(o.output.find(c.script + ": error: "), std::string::npos) << o.output;
    EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  }
  EXPECT_FALSE(fs::exists(out + "/pareto.png"));
}

}  // namespace
}  // namespace pjsim
