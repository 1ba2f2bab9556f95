#pragma once
// Paths of the source tree, build tree and pjsim executable, fixed at configure time.
#include <string>

namespace pjsim::test {
std::string SourceDir();
std::string BinaryDir();
std::string PjsimExecutable();
// A shipped Hugging Face config: workloads/hf/MODEL.config.json.
std::string HfConfigFile(const std::string& model);
// Returns a fresh, empty directory under the build tree for one test's outputs, scoped by the
// running test's name so that tests run in parallel never share one.
std::string FreshDir(const std::string& name);
}  // namespace pjsim::test
