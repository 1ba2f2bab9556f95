// README.md's CLI reference is what the binary prints for `pjsim help --markdown` (made from the
// subcommands' flag declarations), and the binary's help and flag errors come from the same
// declarations.
#include <gtest/gtest.h>

#include <string>

#include "run_command.h"
#include "sim/config/file_text.h"
#include "test_paths.h"

namespace pjsim {
namespace {

constexpr const char* kBegin =
    "<!-- cli-reference:begin (tools/update_cli_reference.sh writes this block) -->\n";
constexpr const char* kEnd = "<!-- cli-reference:end -->\n";

TEST(CliReference, ReadmeMatchesTheBinary) {
  const std::string readme = ReadInputFile(test::SourceDir() + "/README.md");
  const size_t begin = readme.find(kBegin);
  ASSERT_NE(begin, std::string::npos) << "README.md lacks the line " << kBegin;
  const size_t start = begin + std::string(kBegin).size();
  const size_t end = readme.find(kEnd, start);
  ASSERT_NE(end, std::string::npos) << "README.md lacks the line " << kEnd;
  const test::CommandResult md = test::RunPjsim("help --markdown");
  ASSERT_EQ(md.exit_code, 0) << md.output;
  // Not EXPECT_EQ on the whole text: the message would be the whole README section twice.
  const std::string block = readme.substr(start, end - start);
  if (block != md.output) {
    size_t at = 0;
    while (at < block.size() && at < md.output.size() && block[at] == md.output[at]) ++at;
    const size_t line_start = block.rfind('\n', at == 0 ? 0 : at - 1);
    const size_t from = line_start == std::string::npos ? 0 : line_start + 1;
    ADD_FAILURE() << "README.md's CLI reference differs from `pjsim help --markdown`: run "
                     "tools/update_cli_reference.sh (--build DIR) and commit README.md.\n"
                     "first difference:\n  README: "
                  << block.substr(from, block.find('\n', from) - from)
                  << "\n  binary: " << md.output.substr(from, md.output.find('\n', from) - from);
  }
}

TEST(CliReference, EveryCommandsHelpIsTheReferenceSection) {
  const test::CommandResult list = test::RunPjsim("--help");
  ASSERT_EQ(list.exit_code, 0);
  const test::CommandResult md = test::RunPjsim("help --markdown");
  for (const char* command : {"run", "import-hf", "sweep", "reprice", "claims", "noc-bench"}) {
    EXPECT_NE(list.output.find(std::string("  ") + command + " "), std::string::npos) << command;
    const test::CommandResult help = test::RunPjsim(std::string(command) + " --help");
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_EQ(test::RunPjsim(std::string("help ") + command).output, help.output) << command;
    // Its usage lines are the reference's, verbatim.
    const std::string usage = help.output.substr(0, help.output.find("\n\n") + 1);
    EXPECT_NE(md.output.find("```text\n" + usage + "```"), std::string::npos) << usage;
  }
  // import-hf --name, which a study script passes, is documented (it once was not).
  EXPECT_NE(md.output.find("| `--name NAME` |"), std::string::npos);
}

TEST(CliReference, FlagErrorsNameTheFlagAndSuggestOnlyCloseOnes) {
  const test::CommandResult typo = test::RunPjsim("run --workloda w.yaml --arch a.yaml");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(typo.output,
            "pjsim run: error: <command line>: unknown option '--workloda' for pjsim run (did you "
            "mean '--workload'?)\n");
  const test::CommandResult far = test::RunPjsim("sweep s.yaml --frobnicate");
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_EQ(far.output.find("did you mean"), std::string::npos) << far.output;
  EXPECT_NE(far.output.find("unknown option '--frobnicate' for pjsim sweep"), std::string::npos);
  const test::CommandResult command = test::RunPjsim("sweeep x.yaml");
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_NE(command.output.find("unknown command 'sweeep' (did you mean 'sweep'?)"),
            std::string::npos)
      << command.output;
  // -o and --out are one flag of import-hf.
  const test::CommandResult twice = test::RunPjsim("import-hf c.json -o a.yaml --out b.yaml");
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.output.find("'--out' given twice (-o is the same flag)"), std::string::npos)
      << twice.output;
  EXPECT_EQ(test::RunPjsim("help --bogus").exit_code, 2);
  EXPECT_EQ(test::RunPjsim("help nosuchcommand").exit_code, 2);
}

}  // namespace
}  // namespace pjsim
