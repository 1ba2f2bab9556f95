// Every study script (tools/study_*.sh, tools/snn_vs_qann.py, tools/claims_docs.sh) takes the
// same options in any order (--build DIR, -j N, --memory where the study has both memory
// systems, --help; tools/study_options.sh) and refuses anything else in one line with exit
// status 2. A stand-in pjsim records the commands the scripts run, so nothing is simulated.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

struct Script {
  std::string command;  // how a user runs it, without arguments
  bool memory;          // takes --memory
};

// Every study script of tools/ (a new one is found by its name, and must follow the convention).
std::vector<Script> Scripts() {
  const fs::path tools = fs::path(test::SourceDir()) / "tools";
  std::vector<Script> scripts;
  for (const auto& e : fs::directory_iterator(tools)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("study_") && name.ends_with(".sh") && name != "study_options.sh") {
      // Both shell studies have memory variants; one without would be listed here with false.
      scripts.push_back({"bash " + e.path().string(), true});
    }
  }
  std::sort(scripts.begin(), scripts.end(),
            [](const Script& a, const Script& b) { return a.command < b.command; });
  scripts.push_back({"python3 " + (tools / "snn_vs_qann.py").string(), true});
  scripts.push_back({"bash " + (tools / "claims_docs.sh").string(), false});
  return scripts;
}

class StudyScriptsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::FreshDir(std::string("study_scripts_cli_") +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "bin");
    std::ofstream(dir_ / "bin/pjsim")
        << "#!/bin/sh\necho \"$@\" >> " << (dir_ / "calls.txt").string() << "\nexit 0\n";
    fs::permissions(dir_ / "bin/pjsim", fs::perms::owner_all, fs::perm_options::add);
  }
  std::string Calls() const {
    return fs::exists(dir_ / "calls.txt") ? ReadInputFile((dir_ / "calls.txt").string()) : "";
  }
  std::string Build() const { return " --build " + (dir_ / "bin").string(); }
  fs::path dir_;
};

size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(StudyScriptsCli, EveryScriptPrintsItsOptionsForHelp) {
  const std::vector<Script> scripts = Scripts();
  ASSERT_GE(scripts.size(), 4u);
  for (const Script& s : scripts) {
    for (const char* flag : {" --help", " -h"}) {
      const test::CommandResult r = test::RunCommand(s.command + flag);
      EXPECT_EQ(r.exit_code, 0) << s.command << flag << "\n" << r.output;
      EXPECT_NE(r.output.find("--build DIR"), std::string::npos) << s.command << "\n" << r.output;
      EXPECT_NE(r.output.find("-j N"), std::string::npos) << s.command << "\n" << r.output;
      EXPECT_EQ(r.output.find("--memory") != std::string::npos, s.memory) << s.command;
    }
  }
  EXPECT_EQ(Calls(), "");  // nothing ran
}

TEST_F(StudyScriptsCli, AnUnknownOrMisplacedArgumentIsOneLineAndStatusTwo) {
  for (const Script& s : Scripts()) {
    // Wherever it stands: first, after -j (where --memory was once silently dropped), last.
    for (const std::string& args :
         {std::string(" --bogus"), " -j 1 --bogus" + Build(), Build() + " -j 1 stray",
          " -j 0" + Build(), " -j" + Build() + " --memory"}) {
      const test::CommandResult r = test::RunCommand(s.command + args);
      EXPECT_EQ(r.exit_code, 2) << s.command << args << "\n" << r.output;
      EXPECT_EQ(Lines(r.output), 1u) << s.command << args << "\n" << r.output;
    }
    const test::CommandResult bogus = test::RunCommand(s.command + " -j 1 --bogus");
    EXPECT_NE(bogus.output.find("--bogus"), std::string::npos) << bogus.output;
    const test::CommandResult memory = test::RunCommand(s.command + " -j 1 --memory x");
    EXPECT_EQ(memory.exit_code, 2) << s.command;
    EXPECT_NE(memory.output.find("--memory"), std::string::npos) << memory.output;
  }
  EXPECT_EQ(Calls(), "");  // nothing ran
}

TEST_F(StudyScriptsCli, MemoryAfterJobsIsHonoured) {
  const std::string spec = test::SourceDir() + "/configs/studies/moe_gating_jedec_packet.yaml";
  for (const std::string& args :
       {" -j 1 --memory jedec-packet" + Build(), Build() + " --memory=jedec-packet --jobs 1"}) {
    fs::remove(dir_ / "calls.txt");
    // Stores in the test's directory: a complete store in the checkout's out/sweeps (a study
    // run there) would let the figure script skip the sweep.
    test::RunCommand("PJSIM_SWEEPS_DIR=" + (dir_ / "sweeps").string() + " bash " +
                     test::SourceDir() + "/tools/study_moe_gating.sh" + args);
    EXPECT_NE(Calls().find("sweep " + spec + " "), std::string::npos) << args << "\n" << Calls();
    EXPECT_NE(Calls().find(" -j 1"), std::string::npos) << Calls();
  }
  // study_bitnet_energy.sh: options in any order, and the old positional build directory first.
  const std::string bitnet = test::SourceDir() + "/configs/studies/bitnet_energy_jedec_packet.yaml";
  for (const std::string& args : {" -j 1 --memory jedec-packet" + Build(),
                                  " " + (dir_ / "bin").string() + " -j 1 --memory jedec-packet"}) {
    fs::remove(dir_ / "calls.txt");
    test::RunCommand("bash " + test::SourceDir() + "/tools/study_bitnet_energy.sh" + args);
    EXPECT_NE(Calls().find("sweep " + bitnet + " "), std::string::npos) << args << "\n" << Calls();
  }
}

}  // namespace
}  // namespace pjsim
