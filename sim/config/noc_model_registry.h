#pragma once
// Network-on-chip models chosen by `noc.model` (default `simple`). An implementation is one file
// in models/noc/ that adds an entry from a static initialiser; the entry lives here, in plain C++,
// so that the config reader sees names and key readers without including SystemC.
#include <functional>
#include <memory>
#include <string>

#include "sim/config/model_params.h"
#include "sim/config/registry.h"

namespace pjsim {

struct ArchConfig;
class ConfigMap;
class NocModel;          // models/noc/noc_model.h
struct PlatformContext;  // models/platform_context.h

struct NocModelEntry {
  std::string name;
  std::string summary;  // one line, for listings and the docs
  // Reads the model's own keys from the `noc:` section (the common keys are already read into
  // `arch.noc`); the section's Finish() rejects any other key. Empty: the model has no keys.
  std::function<std::shared_ptr<const ModelParams>(ConfigMap& section, const ArchConfig& arch)>
      read_params;
  // Builds the NoC; ctx.arch.noc.params holds what read_params returned.
  std::function<std::unique_ptr<NocModel>(const std::string& name, PlatformContext& ctx)> make;
};

Registry<NocModelEntry>& NocModelRegistry();

}  // namespace pjsim
