// `pjsim list`: every plug-in family from its registry, and the README's list of plug-ins is
// exactly `pjsim list --markdown` (so it stays true when a plug-in is added).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "run_command.h"
#include "test_paths.h"

namespace pjsim {
namespace {

constexpr const char* kBegin = "<!-- pjsim list --markdown begin -->\n";
constexpr const char* kEnd = "<!-- pjsim list --markdown end -->";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text between the markers of `path`; false if the file has no markers.
bool MarkedBlock(const std::string& path, std::string* block) {
  const std::string text = ReadText(path);
  const auto begin = text.find(kBegin);
  const auto end = text.find(kEnd);
  if (begin == std::string::npos || end == std::string::npos || end < begin) return false;
  *block =
      text.substr(begin + std::string(kBegin).size(), end - begin - std::string(kBegin).size());
  return true;
}

TEST(PluginList, ReadmeListIsTheMarkdownListing) {
  const test::CommandResult o = test::RunPjsim("list --markdown");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  std::string block;
  ASSERT_TRUE(MarkedBlock(test::SourceDir() + "/README.md", &block))
      << "README.md has no '" << kBegin << "' ... '" << kEnd << "' block";
  EXPECT_EQ(block, o.output) << "paste the output of `pjsim list --markdown` between the markers";
}

TEST(PluginList, ListsEveryFamilyAndFiltersByFamily) {
  const test::CommandResult all = test::RunPjsim("list");
  ASSERT_EQ(all.exit_code, 0) << all.output;
  for (const char* s : {"Tile kinds (tile.kind):", "  int8_mac ", "  spiking_lif ",
                        "Gating policies (power_gating.policy):", "[keys: timeout]",
                        "MoE routing sources (routing.source):", "[file: trace]"}) {
    EXPECT_NE(all.output.find(s), std::string::npos) << s << "\n" << all.output;
  }
  const test::CommandResult policies = test::RunPjsim("list gating-policies");
  ASSERT_EQ(policies.exit_code, 0) << policies.output;
  EXPECT_NE(policies.output.find("oracle"), std::string::npos);
  EXPECT_EQ(policies.output.find("int8_mac"), std::string::npos);
  const test::CommandResult bad = test::RunPjsim("list tile-kind");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("unknown plug-in family 'tile-kind' (did you mean 'tile-kinds'?)"),
            std::string::npos)
      << bad.output;
  EXPECT_NE(test::RunPjsim("--help").output.find("  list "), std::string::npos);
}

}  // namespace
}  // namespace pjsim
