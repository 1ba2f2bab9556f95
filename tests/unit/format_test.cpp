// Every C++ file of the repository is formatted by the root .clang-format (tools/check_format.sh,
// clang-format 14 as Debian 12 ships it), so diffs show changes, not whitespace.
#include <gtest/gtest.h>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim::test {
namespace {

TEST(Format, EveryCppFileFollowsClangFormat) {
  const CommandResult r = RunCommand("bash " + SourceDir() + "/tools/check_format.sh");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace pjsim::test
