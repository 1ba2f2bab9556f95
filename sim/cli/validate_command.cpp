// `pjsim validate`: check config files without simulating.
#include <filesystem>
#include <iostream>
#include <set>
#include <utility>
#include <vector>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/tech_table.h"
#include "sim/workload/workload.h"

namespace pjsim::cli {
namespace {

const CommandSpec kValidateSpec{
    .name = "validate",
    .summary = "check configuration files strictly",
    .usage = {"[--sources] FILE..."},
    .description =
        "Checks each file strictly (unknown keys, types, units, sizes, graph shape) and prints "
        "\"FILE: ok\" or the first error as FILE:LINE:COL: message. The kind of file is taken "
        "from its top-level keys: 'layers' = workload, 'mesh' = architecture, 'ops'/'base' = "
        "technology table. An architecture is checked against the technology table its 'tech' "
        "key names. Every price of a technology table names its primary source ('source:') or "
        "is an explicit estimate ('estimate:' with its reasoning); a price with neither is an "
        "error.",
    .positionals = {{.name = "FILE",
                     .noun = "the files to check,",
                     .help = "a workload, architecture or technology table",
                     .required = true,
                     .repeatable = true}},
    .flags = {{.name = "sources",
               .help = "also list every estimate of the technology tables given (and of their "
                       "'base:' tables), one line each: FILE:LINE KEY: reasoning "
                       "(docs/SOURCES.md)"}},
    .exit_codes = "0 if every file is valid, 2 otherwise.",
};

// The estimates of a technology table (empty for other files).
std::vector<TechEstimate> ValidateOne(const std::string& path) {
  auto doc = ConfigDocument::Load(path);
  const YAML::Node& root = doc->root();
  if (root["layers"]) {
    ReadWorkload(ConfigMap::Root(doc));
  } else if (root["mesh"]) {
    ConfigMap arch = ConfigMap::Root(doc);
    const std::string tech_path =
        (std::filesystem::path(path).parent_path() / arch.String("tech")).string();
    const TechTable tech = LoadTechTable(tech_path);
    ReadArchConfig(arch, tech.clock_hz);
  } else if (root["ops"] || root["base"]) {
    return LoadTechTable(ConfigMap::Root(doc), path).estimates;
  } else {
    throw ConfigError({path, 1, 1},
                      "cannot tell what this file is: expected a workload ('layers'), an "
                      "architecture ('mesh') or a technology table ('ops' or 'base')");
  }
  return {};
}

int Validate(const ParsedArgs& args) {
  int status = kExitOk;
  std::vector<TechEstimate> estimates;
  for (const auto& path : args.positional) {
    try {
      for (TechEstimate& e : ValidateOne(path)) estimates.push_back(std::move(e));
      std::cout << path << ": ok\n";
    } catch (const ConfigError& e) {
      std::cerr << e.what() << "\n";
      status = kExitBadInput;
    }
  }
  if (args.Has("sources")) {
    // A base table shared by several files given is listed once.
    std::set<std::pair<std::string, int>> listed;
    size_t n = 0;
    for (const TechEstimate& e : estimates) {
      if (!listed.insert({e.file, e.line}).second) continue;
      std::cout << e.file << ":" << e.line << " " << e.key << ": " << e.reasoning << "\n";
      ++n;
    }
    std::cout << n << " estimate" << (n == 1 ? "" : "s") << " (no primary source)\n";
  }
  return status;
}

}  // namespace

const SubcommandRegistrar kRegisterValidate(20, {&kValidateSpec, Validate});

}  // namespace pjsim::cli
