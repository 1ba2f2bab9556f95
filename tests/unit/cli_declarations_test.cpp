// Every subcommand's flag declaration (sim/cli/command_spec.h) against what is made from it: the
// parser accepts each declared flag under its name and alias, the usage and --help name every
// flag and nothing undeclared, and an unknown flag gets the closest declared one suggested only
// when it is close.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/cli/args.h"
#include "sim/cli/command.h"
#include "sim/cli/help_text.h"
#include "sim/config/config_error.h"

namespace pjsim::cli {
namespace {

const CommandSpec& Spec(const std::string& name) {
  for (const Subcommand& c : Subcommands()) {
    if (c.spec->name == name) return *c.spec;
  }
  throw std::logic_error("no subcommand " + name);
}

std::string ErrorOf(const CommandSpec& spec, const std::vector<std::string>& args) {
  try {
    CheckRequired(spec, ParseArgs(spec, args));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// The flags a usage line names: "--name" and "-x" tokens, without dashes.
std::set<std::string> UsageFlags(const CommandSpec& spec) {
  std::set<std::string> names;
  const std::regex flag(R"((^|[\s\[|])--?([a-z][a-z0-9-]*))");
  for (const std::string& u : spec.usage) {
    for (std::sregex_iterator it(u.begin(), u.end(), flag), end; it != end; ++it) {
      names.insert((*it)[2]);
    }
  }
  return names;
}

TEST(CliDeclarations, EveryCommandIsDeclaredWithUsageAndSummary) {
  std::set<std::string> names;
  for (const Subcommand& c : Subcommands()) {
    EXPECT_TRUE(names.insert(c.spec->name).second) << c.spec->name << " registered twice";
    EXPECT_FALSE(c.spec->summary.empty()) << c.spec->name;
    EXPECT_FALSE(c.spec->usage.empty()) << c.spec->name;
    EXPECT_FALSE(c.spec->description.empty()) << c.spec->name;
    std::set<std::string> flag_names;
    for (const FlagSpec& f : c.spec->flags) {
      EXPECT_TRUE(flag_names.insert(f.name).second) << c.spec->name << " " << f.name;
      if (!f.alias.empty()) {
        EXPECT_TRUE(flag_names.insert(f.alias).second) << f.alias;
      }
      EXPECT_TRUE(f.hidden || !f.help.empty()) << c.spec->name << " --" << f.name << " has no help";
      EXPECT_NE(f.name, "help");
      EXPECT_NE(f.name, "h");
    }
  }
  for (const char* expected :
       {"run", "import-hf", "validate", "sweep", "report", "reprice", "claims", "area", "map",
        "numerics", "list", "dram-bench", "noc-bench"}) {
    EXPECT_EQ(names.count(expected), 1u) << expected;
  }
}

TEST(CliDeclarations, UsageNamesEveryVisibleFlagAndNoUndeclaredOne) {
  for (const Subcommand& c : Subcommands()) {
    const CommandSpec& spec = *c.spec;
    const std::set<std::string> in_usage = UsageFlags(spec);
    for (const std::string& name : in_usage) {
      EXPECT_NE(spec.FindFlag(name), nullptr)
          << "pjsim " << spec.name << " usage names undeclared " << Dashed(name);
    }
    for (const FlagSpec& f : spec.flags) {
      const bool named = in_usage.count(f.name) || (!f.alias.empty() && in_usage.count(f.alias));
      EXPECT_EQ(named, !f.hidden) << "pjsim " << spec.name << " usage and " << Dashed(f.name);
    }
  }
}

TEST(CliDeclarations, HelpListsEveryVisibleFlagAndPositionalWithItsHelp) {
  for (const Subcommand& c : Subcommands()) {
    const CommandSpec& spec = *c.spec;
    const std::string help = HelpText(spec);
    const std::string markdown = MarkdownHelp(spec);
    EXPECT_TRUE(help.starts_with("usage: pjsim " + spec.name + " ")) << help;
    EXPECT_NE(markdown.find("#### `pjsim " + spec.name + "`"), std::string::npos);
    for (const FlagSpec& f : spec.flags) {
      const std::string line = "  " + FlagLabel(f);
      if (f.hidden) {
        EXPECT_EQ(help.find(Dashed(f.name)), std::string::npos) << spec.name << " " << f.name;
        EXPECT_EQ(markdown.find(Dashed(f.name)), std::string::npos) << spec.name << " " << f.name;
        continue;
      }
      ASSERT_NE(help.find("\n" + line), std::string::npos) << spec.name << ": " << line << "\n"
                                                           << help;
      // The first words of its help follow the label in the text and in the Markdown table.
      const std::string first = Reflow(f.help, 1000)[0].substr(0, 20);
      EXPECT_NE(help.find(first, help.find("\n" + line)), std::string::npos) << first;
      // Its row of the Markdown table (a | in the label is escaped there).
      const std::string label = FlagLabel(f);
      EXPECT_NE(markdown.find("| `" + label.substr(0, label.find('|'))), std::string::npos)
          << spec.name << " " << f.name;
      if (f.repeatable) {
        EXPECT_NE(help.find("(repeatable)", help.find("\n" + line)), std::string::npos)
            << spec.name;
      }
    }
    for (const PositionalSpec& p : spec.positionals) {
      EXPECT_NE(help.find("\n  " + p.name), std::string::npos) << spec.name << " " << p.name;
    }
    std::istringstream lines(help);
    for (std::string l; std::getline(lines, l);) {
      EXPECT_LE(l.size(), kHelpWidth) << spec.name << ": " << l;
    }
  }
}

TEST(CliDeclarations, EveryDeclaredFlagParsesUnderItsNameAndAlias) {
  for (const Subcommand& c : Subcommands()) {
    const CommandSpec& spec = *c.spec;
    for (const FlagSpec& f : spec.flags) {
      for (const std::string& spelling : {f.name, f.alias}) {
        if (spelling.empty()) continue;
        std::vector<std::string> args = {Dashed(spelling)};
        if (!f.value.empty()) args.push_back("v1");
        const ParsedArgs parsed = ParseArgs(spec, args);
        ASSERT_EQ(parsed.flags.count(f.name), 1u) << spec.name << " " << spelling;
        EXPECT_EQ(parsed.Get(f.name), f.value.empty() ? "" : "v1") << spec.name << " " << spelling;
        EXPECT_TRUE(parsed.Has(spelling));
        EXPECT_TRUE(parsed.positional.empty());
        if (!f.value.empty()) {
          // --name=value too, and the value's absence is an error naming the flag.
          EXPECT_EQ(ParseArgs(spec, {Dashed(spelling) + "=v2"}).Get(f.name), "v2");
          EXPECT_NE(
              ErrorOf(spec, {Dashed(spelling)}).find("'" + Dashed(f.name) + "' needs a value"),
              std::string::npos)
              << spec.name << " " << spelling;
        } else {
          EXPECT_NE(ErrorOf(spec, {Dashed(spelling) + "=x"}).find("takes no value"),
                    std::string::npos);
        }
      }
    }
  }
}

TEST(CliDeclarations, RepeatsAliasesAndRequiredFlagsFollowTheDeclaration) {
  const CommandSpec& run = Spec("run");
  const ParsedArgs sets = ParseArgs(run, {"--set", "a=1", "--set=b=2"});
  EXPECT_EQ(sets.All("set"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_NE(ErrorOf(run, {"--out", "a", "--out", "b"}).find("'--out' given twice"),
            std::string::npos);
  // -o and --out are one flag: both at once is a repeat.
  EXPECT_NE(ErrorOf(Spec("import-hf"), {"x.json", "-o", "a", "--out", "b"}).find("given twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Spec("sweep"), {"s.yaml", "-j", "1", "--jobs", "2"}).find("given twice"),
            std::string::npos);
  EXPECT_NE(ErrorOf(run, {"--arch", "a.yaml"}).find("missing --workload"), std::string::npos);
  EXPECT_NE(ErrorOf(Spec("dram-bench"), {"--pattern", "stride"}).find("needs --dram"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(run, {"--arch", "a.yaml", "--workload", "w.yaml"}), "");
  EXPECT_NE(
      ErrorOf(run, {"--arch", "a", "--workload", "w", "stray"}).find("unexpected argument 'stray'"),
      std::string::npos);
  EXPECT_NE(ErrorOf(Spec("sweep"), {}).find("missing the sweep spec SPEC.yaml"), std::string::npos);
  EXPECT_EQ(ErrorOf(Spec("validate"), {"a", "b", "c"}), "");  // FILE... repeats
  EXPECT_NE(ErrorOf(Spec("report"), {"a", "b"}).find("unexpected argument 'b'"), std::string::npos);
  // --help is every command's, and is not refused for missing required flags.
  EXPECT_TRUE(ParseArgs(run, {"--help"}).help);
  EXPECT_TRUE(ParseArgs(run, {"-h"}).help);
  // A command reading a flag it did not declare is a programming error, not an empty value.
  EXPECT_THROW(sets.Has("sett"), std::logic_error);
  EXPECT_THROW(sets.Get("jobs"), std::logic_error);
}

TEST(CliDeclarations, AnUnknownFlagSuggestsTheClosestOnlyWhenClose) {
  const CommandSpec& run = Spec("run");
  EXPECT_EQ(ErrorOf(run, {"--workloda", "w.yaml"}),
            "<command line>: unknown option '--workloda' for pjsim run (did you mean "
            "'--workload'?)");
  EXPECT_EQ(SuggestFlag(run, "trace-layer"), "--trace-layers");
  EXPECT_EQ(SuggestFlag(run, "quite"), "--quiet");
  EXPECT_EQ(SuggestFlag(run, "carbon-tab"), "--carbon-table");  // a unique prefix
  EXPECT_EQ(SuggestFlag(Spec("sweep"), "jbos"), "--jobs");
  EXPECT_EQ(SuggestFlag(Spec("sweep"), "dryrun"), "--dry-run");
  // Far from every flag, or too short to be close to one: no suggestion.
  EXPECT_EQ(SuggestFlag(run, "frobnicate"), "");
  EXPECT_EQ(SuggestFlag(run, "x"), "");
  EXPECT_EQ(SuggestFlag(Spec("noc-bench"), "injection-"), "");  // a prefix of two flags
  EXPECT_EQ(SuggestFlag(Spec("noc-bench"), "injection-r"), "--injection-rate");
  EXPECT_EQ(SuggestFlag(Spec("sweep"), "array-task"), "");  // hidden flags are not suggested
  const std::string far = ErrorOf(run, {"--frobnicate"});
  EXPECT_NE(far.find("unknown option '--frobnicate' for pjsim run (see pjsim run --help)"),
            std::string::npos)
      << far;
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
}

TEST(CliDeclarations, MarkdownReferenceHasEveryCommandOnceInOrder) {
  const std::string md = MarkdownReference();
  size_t at = 0;
  for (const Subcommand& c : Subcommands()) {
    const std::string heading = "\n#### `pjsim " + c.spec->name + "`\n";
    const size_t found = md.find(heading);
    ASSERT_NE(found, std::string::npos) << c.spec->name;
    EXPECT_GT(found, at) << c.spec->name << " out of order";
    EXPECT_EQ(md.find(heading, found + 1), std::string::npos) << c.spec->name;
    at = found;
    EXPECT_NE(md.find("| [`" + c.spec->name + "`](#pjsim-" + c.spec->name + ") |"),
              std::string::npos);
  }
  // Markdown would read a bare * or < as markup: the reference escapes them outside code.
  EXPECT_NE(md.find("configs/arch/\\*.yaml"), std::string::npos);
  EXPECT_EQ(md.find(" configs/arch/*.yaml"), std::string::npos);
}

}  // namespace
}  // namespace pjsim::cli
