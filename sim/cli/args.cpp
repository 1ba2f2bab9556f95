#include "sim/cli/args.h"

#include <charconv>
#include <stdexcept>

#include "sim/config/config_error.h"
#include "sim/config/printable.h"
#include "sim/config/yaml_reader.h"

namespace pjsim::cli {

namespace {

const SourceLocation kCommandLine{"<command line>", 0, 0};

[[noreturn]] void Fail(const CommandSpec& spec, const std::string& message) {
  throw ConfigError(kCommandLine, message + " (see pjsim " + spec.name + " --help)");
}

}  // namespace

const std::string& ParsedArgs::Declared(const std::string& name) const {
  const FlagSpec* flag = spec_->FindFlag(name);
  if (!flag) throw std::logic_error("pjsim " + spec_->name + " declares no flag " + Dashed(name));
  return flag->name;
}

bool ParsedArgs::Has(const std::string& name) const { return flags.count(Declared(name)) > 0; }

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  auto it = flags.find(Declared(name));
  return it == flags.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& ParsedArgs::All(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = flags.find(Declared(name));
  return it == flags.end() ? none : it->second;
}

std::string SuggestFlag(const CommandSpec& spec, const std::string& word) {
  std::vector<std::string> names = {"help"};
  for (const FlagSpec& f : spec.flags) {
    if (f.hidden) continue;
    names.push_back(f.name);
    if (!f.alias.empty()) names.push_back(f.alias);
  }
  if (word.size() < 3) return "";  // every one- or two-letter name is "close" to any other
  std::string guess = DidYouMean(word, names);
  if (guess.empty()) {
    for (const std::string& n : names) {
      if (n.starts_with(word)) {
        if (!guess.empty()) return "";  // ambiguous
        guess = n;
      }
    }
  }
  return guess.empty() ? "" : Dashed(guess);
}

ParsedArgs ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args) {
  ParsedArgs out(spec);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-' || a == "-") {
      out.positional.push_back(a);
      continue;
    }
    // One dash or two, whatever the name's length (-out and --j are accepted as they were).
    std::string name = a.substr(a[1] == '-' ? 2 : 1);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if ((name == "help" || name == "h") && !spec.FindFlag(name)) {
      if (inline_value) Fail(spec, "option '" + Dashed(name) + "' takes no value");
      out.help = true;
      continue;
    }
    const FlagSpec* flag = spec.FindFlag(name);
    if (!flag) {
      const std::string guess = SuggestFlag(spec, name);
      const std::string unknown =
          "unknown option '" + PrintableToken(a) + "' for pjsim " + spec.name;
      if (!guess.empty())
        throw ConfigError(kCommandLine, unknown + " (did you mean '" + guess + "'?)");
      Fail(spec, unknown);
    }
    const std::string written = Dashed(flag->name);
    if (!flag->value.empty() && !inline_value) {
      if (i + 1 >= args.size()) Fail(spec, "option '" + written + "' needs a value " + flag->value);
      value = args[++i];
    } else if (flag->value.empty() && inline_value) {
      Fail(spec, "option '" + written + "' takes no value");
    }
    if (!flag->repeatable && out.flags.count(flag->name)) {
      Fail(spec,
           "option '" + written + "' given twice" +
               (flag->alias.empty() ? "" : " (" + Dashed(flag->alias) + " is the same flag)"));
    }
    out.flags[flag->name].push_back(value);
  }
  return out;
}

void CheckRequired(const CommandSpec& spec, const ParsedArgs& args) {
  size_t max = 0;
  bool unbounded = false;
  for (const PositionalSpec& p : spec.positionals) {
    ++max;
    unbounded = unbounded || p.repeatable;
  }
  if (!unbounded && args.positional.size() > max) {
    throw ConfigError(kCommandLine,
                      "unexpected argument '" + PrintableToken(args.positional[max]) + "'");
  }
  for (size_t i = 0; i < spec.positionals.size(); ++i) {
    const PositionalSpec& p = spec.positionals[i];
    if (p.required && args.positional.size() <= i) {
      Fail(spec, "missing " + (p.noun.empty() ? "" : p.noun + " ") + p.name);
    }
  }
  for (const FlagSpec& f : spec.flags) {
    if (f.required && !args.flags.count(f.name)) {
      // Both words, so that "missing --workload" and "run needs --workload" are each found.
      throw ConfigError(kCommandLine, "missing " + Dashed(f.name) + " (pjsim " + spec.name +
                                          " needs " + Dashed(f.name) + " " + f.value +
                                          "; see pjsim " + spec.name + " --help)");
    }
  }
}

int ParsePositiveInt(const std::string& flag, const std::string& text) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v < 1) {
    throw ConfigError(kCommandLine, Dashed(flag) + " needs a positive integer, got '" + text + "'");
  }
  return v;
}

}  // namespace pjsim::cli
