#include "test_paths.h"

#include <filesystem>

namespace pjsim::test {
std::string SourceDir() { return PJSIM_SOURCE_DIR; }
std::string BinaryDir() { return PJSIM_BINARY_DIR; }
std::string PjsimExecutable() { return PJSIM_EXECUTABLE; }
std::string FreshDir(const std::string& name) {
  const auto dir = std::filesystem::path(PJSIM_BINARY_DIR) / "test-output" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}
}  // namespace pjsim::test
