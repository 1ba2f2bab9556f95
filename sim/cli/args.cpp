#include "sim/cli/args.h"

#include <charconv>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"

namespace pjsim::cli {

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  auto it = flags.find(name);
  return it == flags.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& ParsedArgs::All(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = flags.find(name);
  return it == flags.end() ? none : it->second;
}

ParsedArgs ParseArgs(const std::string& command, const std::vector<std::string>& args,
                     const std::vector<FlagSpec>& specs) {
  ParsedArgs out;
  const auto fail = [&](const std::string& message) -> void {
    throw ConfigError({"<command line>", 0, 0}, message + " (see pjsim " + command + " --help)");
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-' || a == "-") {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(a[1] == '-' ? 2 : 1);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    const FlagSpec* spec = nullptr;
    std::vector<std::string> names;
    for (const auto& s : specs) {
      names.push_back(s.name);
      if (s.name == name) spec = &s;
    }
    if (!spec) {
      const std::string guess = DidYouMean(name, names);
      fail("unknown option '" + a + "'" +
           (guess.empty() ? "" : " (did you mean '--" + guess + "'?)"));
    }
    if (spec->takes_value && !inline_value) {
      if (i + 1 >= args.size()) fail("option '--" + name + "' needs a value");
      value = args[++i];
    } else if (!spec->takes_value && inline_value) {
      fail("option '--" + name + "' takes no value");
    }
    if (!spec->repeatable && out.flags.count(name)) fail("option '--" + name + "' given twice");
    out.flags[name].push_back(value);
  }
  return out;
}

void RequireFlagsOnly(const ParsedArgs& args, const std::string& command,
                      std::initializer_list<const char*> required) {
  if (!args.positional.empty()) {
    throw ConfigError({"<command line>", 0, 0}, "unexpected argument '" + args.positional[0] + "'");
  }
  for (const char* flag : required) {
    if (!args.Has(flag)) {
      throw ConfigError({"<command line>", 0, 0},
                        std::string("missing --") + flag + " (see pjsim " + command + " --help)");
    }
  }
}

int ParsePositiveInt(const std::string& flag, const std::string& text) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || v < 1) {
    throw ConfigError({"<command line>", 0, 0},
                      "--" + flag + " needs a positive integer, got '" + text + "'");
  }
  return v;
}

}  // namespace pjsim::cli
