// `pjsim validate`: check config files without simulating.
#include <filesystem>
#include <iostream>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/tech_table.h"
#include "sim/workload/workload.h"

namespace pjsim::cli {
namespace {

constexpr const char* kValidateHelp =
    R"(usage: pjsim validate FILE...

Checks each file strictly (unknown keys, types, units, sizes, graph shape) and prints
"FILE: ok" or the first error as FILE:LINE:COL: message. The kind of file is taken from its
top-level keys: 'layers' = workload, 'mesh' = architecture, 'ops'/'base' = technology table.
An architecture is checked against the technology table its 'tech' key names.
Exit code 0 if every file is valid, 2 otherwise.
)";

void ValidateOne(const std::string& path) {
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
    LoadTechTable(ConfigMap::Root(doc), path);
  } else {
    throw ConfigError({path, 1, 1},
                      "cannot tell what this file is: expected a workload ('layers'), an "
                      "architecture ('mesh') or a technology table ('ops' or 'base')");
  }
}

int Validate(const std::vector<std::string>& raw) {
  const ParsedArgs args = ParseArgs("validate", raw, {{"help", false}, {"h", false}});
  if (args.Has("help") || args.Has("h")) {
    std::cout << kValidateHelp;
    return kExitOk;
  }
  if (args.positional.empty()) {
    throw ConfigError({"<command line>", 0, 0}, "no files given (see pjsim validate --help)");
  }
  int status = kExitOk;
  for (const auto& path : args.positional) {
    try {
      ValidateOne(path);
      std::cout << path << ": ok\n";
    } catch (const ConfigError& e) {
      std::cerr << e.what() << "\n";
      status = kExitBadInput;
    }
  }
  return status;
}

}  // namespace

const SubcommandRegistrar kRegisterValidate(20, {"validate", "check configuration files strictly",
                                                 Validate});

}  // namespace pjsim::cli
