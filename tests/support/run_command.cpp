#include "run_command.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>

#include "test_paths.h"

namespace pjsim::test {

CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  while (size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.output.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

CommandResult RunPjsim(const std::string& args) {
  return RunCommand(PjsimExecutable() + " " + args);
}

std::pair<int, std::string> RunPjsimPair(const std::string& args) {
  CommandResult r = RunPjsim(args);
  return {r.exit_code, std::move(r.output)};
}

void ExpectOneLineExitTwo(const CommandResult& r, const std::string& prefix,
                          const std::string& what) {
  EXPECT_EQ(r.exit_code, 2) << what;
  std::istringstream lines(r.output);
  std::string first, second;
  std::getline(lines, first);
  EXPECT_FALSE(std::getline(lines, second)) << what << ": " << r.output;
  EXPECT_EQ(first.rfind(prefix, 0), 0u) << what << ": " << r.output;
}

}  // namespace pjsim::test
