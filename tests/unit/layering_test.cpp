// The build's layering check (tools/check_layers.py over the table CMake writes from the
// pjsim_layer() calls): the real tree is clean, and an include that runs back up, a dependency on
// an unknown layer or a cycle in the table is caught with the offending file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::BinaryDir;
using test::CommandResult;
using test::FreshDir;
using test::RunCommand;
using test::SourceDir;

std::string Checker() { return "python3 " + SourceDir() + "/tools/check_layers.py "; }

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(Layering, TheSourceTreeHasNoBackEdges) {
  const CommandResult r = RunCommand(Checker() + BinaryDir() + "/layers.txt --root " + SourceDir());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "");
}

TEST(Layering, TheTableNamesEveryFolderOfTheSimulator) {
  std::ifstream table(BinaryDir() + "/layers.txt");
  std::string all((std::istreambuf_iterator<char>(table)), std::istreambuf_iterator<char>());
  for (const char* folder :
       {"sim/numerics", "sim/task", "sim/config", "sim/graph", "sim/energy", "sim/arch",
        "sim/workload", "sim/mapping", "sim/report", "sim/run", "sim/sweep", "sim/cli", "models"}) {
    EXPECT_NE(all.find(std::string(" ") + folder + " "), std::string::npos) << folder;
  }
}

class LayeringFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test: ctest runs them in parallel.
    root_ = FreshDir(std::string("layering-") +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    // low <- mid <- high; each file includes what its layer may see.
    WriteFile(root_ / "src/low/a.h", "#pragma once\n#include <vector>\n");
    WriteFile(root_ / "src/mid/b.h", "#pragma once\n#include \"src/low/a.h\"\n");
    WriteFile(root_ / "src/high/c.cpp", "#include \"src/mid/b.h\"\n#include \"src/low/a.h\"\n");
    WriteFile(root_ / "src/high/deep/d.h", "#include \"gen/Vmodel.h\"\n");
  }
  CommandResult Check(const std::string& table) {
    WriteFile(root_ / "layers.txt", table);
    return RunCommand(Checker() + (root_ / "layers.txt").string() + " --root " + root_.string());
  }
  std::filesystem::path root_;
};

constexpr const char* kTable = "low src/low 0\nmid src/mid 0 low\nhigh src/high 1 mid\n";

TEST_F(LayeringFixture, IncludesDownTheLayersPass) {
  const CommandResult r = Check(kTable);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(LayeringFixture, AnIncludeUpTheLayersFailsNamingFileAndLine) {
  WriteFile(root_ / "src/low/a.h", "#pragma once\n#include <vector>\n#include \"src/high/c.h\"\n");
  const CommandResult r = Check(kTable);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("src/low/a.h:3: includes \"src/high/c.h\" (layer 'high'), but layer "
                          "'low' does not depend on it"),
            std::string::npos)
      << r.output;
}

TEST_F(LayeringFixture, ASiblingWithoutADeclaredDependencyFails) {
  WriteFile(root_ / "src/side/e.cpp", "#include \"src/mid/b.h\"\n");
  const CommandResult r = Check(std::string(kTable) + "side src/side 0 low\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("src/side/e.cpp:1:"), std::string::npos) << r.output;
}

TEST_F(LayeringFixture, ANonRecursiveLayerDoesNotOwnSubfolders) {
  // src/high is recursive, so src/high/deep/d.h belongs to it; a generated header is free.
  const CommandResult r = Check(kTable);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(LayeringFixture, ACycleOrAnUnknownDependencyInTheTableIsRejected) {
  EXPECT_NE(Check("low src/low 0 mid\nmid src/mid 0 low\n").exit_code, 0);
  const CommandResult r = Check("low src/low 0 nowhere\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("unknown layer 'nowhere'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace pjsim
