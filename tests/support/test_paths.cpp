#include "test_paths.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace pjsim::test {
namespace {
// CTest runs every test as its own process, two at a time: two tests asking for the same
// directory name would empty each other's files. Scoping by the running test's name keeps them
// apart (parameterised names carry '/', spaces and '<': only [A-Za-z0-9.-] are kept).
std::string RunningTestScope() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "outside-a-test";
  std::string scope = std::string(info->test_suite_name()) + "." + info->name();
  std::replace_if(
      scope.begin(), scope.end(),
      [](unsigned char c) { return std::isalnum(c) == 0 && c != '.' && c != '-'; }, '_');
  return scope;
}
}  // namespace

std::string SourceDir() { return PJSIM_SOURCE_DIR; }
std::string BinaryDir() { return PJSIM_BINARY_DIR; }
std::string PjsimExecutable() { return PJSIM_EXECUTABLE; }
std::string HfConfigFile(const std::string& model) {
  return SourceDir() + "/workloads/hf/" + model + ".config.json";
}
std::string FreshDir(const std::string& name) {
  const auto dir =
      std::filesystem::path(PJSIM_BINARY_DIR) / "test-output" / RunningTestScope() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}
}  // namespace pjsim::test
