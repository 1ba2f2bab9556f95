// The study scripts' --memory option (docs/STUDIES_MEMORY.md): `jedec-packet` runs the studies'
// *_jedec_packet specs, `simple` (the default) the shipped ones, anything else is one line and
// exit status 2. A stand-in pjsim records the commands the scripts run, so nothing is simulated.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

namespace fs = std::filesystem;

class PacketStudyScripts : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::FreshDir(std::string("packet_study_scripts_") +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "bin");
    const fs::path fake = dir_ / "bin/pjsim";
    std::ofstream(fake) << "#!/bin/sh\necho \"$@\" >> " << (dir_ / "calls.txt").string()
                        << "\nexit 0\n";
    fs::permissions(fake, fs::perms::owner_all, fs::perm_options::add);
  }
  std::string Calls() const {
    return fs::exists(dir_ / "calls.txt") ? ReadInputFile((dir_ / "calls.txt").string()) : "";
  }
  std::string Tool(const std::string& name) const { return test::SourceDir() + "/tools/" + name; }
  std::string Spec(const std::string& name) const {
    return test::SourceDir() + "/configs/studies/" + name + ".yaml";
  }
  fs::path dir_;
};

TEST_F(PacketStudyScripts, SnnVsQannRunsTheSpecsOfItsMemorySystem) {
  for (const std::string suffix : {"", "_jedec_packet"}) {
    const std::string memory = suffix.empty() ? "simple" : "jedec-packet";
    const fs::path out = dir_ / ("out" + suffix);
    const test::CommandResult r = test::RunCommand(
        "python3 " + Tool("snn_vs_qann.py") + " --memory " + memory + " --pjsim " +
        (dir_ / "bin/pjsim").string() + " --out " + out.string() + " --no-figures -j 1");
    // The stand-in writes no results store: both sweeps ran, then the analysis stops.
    EXPECT_EQ(r.exit_code, 2) << r.output;
    const std::string calls = Calls();
    for (const std::string side : {"snn", "qann"}) {
      EXPECT_NE(calls.find("sweep " + Spec("snn_vs_qann_" + side + suffix) + " --out " +
                           (out / side).string() + " -j 1"),
                std::string::npos)
          << calls;
    }
  }
}

TEST_F(PacketStudyScripts, BitnetRunsBothJedecPacketSpecs) {
  test::RunCommand("bash " + Tool("study_bitnet_energy.sh") + " " + (dir_ / "bin").string() +
                   " --memory jedec-packet -j 1");
  const std::string calls = Calls();
  for (const std::string study :
       {"bitnet_energy_jedec_packet", "bitnet_energy_jedec_packet_decode"}) {
    EXPECT_NE(calls.find("sweep " + Spec(study) + " --out " + test::SourceDir() + "/out/studies/" +
                         study + " -j 1"),
              std::string::npos)
        << calls;
  }
  EXPECT_EQ(calls.find("sweep " + Spec("bitnet_energy") + " "), std::string::npos) << calls;
}

TEST_F(PacketStudyScripts, AnUnknownMemorySystemIsOneLineAndStatusTwo) {
  for (const std::string& command :
       {"bash " + Tool("study_bitnet_energy.sh") + " " + (dir_ / "bin").string() + " --memory x",
        "PJSIM=" + (dir_ / "bin/pjsim").string() + " bash " + Tool("study_moe_gating.sh") +
            " --memory x"}) {
    const test::CommandResult r = test::RunCommand(command);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.output.find("--memory takes simple or jedec-packet"), std::string::npos)
        << r.output;
  }
  EXPECT_EQ(Calls(), "");  // nothing ran
}

}  // namespace
}  // namespace pjsim
