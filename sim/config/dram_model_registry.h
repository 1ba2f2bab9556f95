#pragma once
// DRAM channel models chosen by `dram.model` (default `simple`). An implementation is one file in
// models/memory/ that adds an entry from a static initialiser; the entry lives here, in plain
// C++, so that the config reader sees names and key readers without including SystemC.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/model_params.h"
#include "sim/config/registry.h"

namespace pjsim {

struct ArchConfig;
class ConfigMap;
class DramModel;         // models/memory/dram_model.h
struct PlatformContext;  // models/platform_context.h

struct DramModelEntry {
  std::string name;
  std::string summary;  // one line, for listings and the docs
  // Reads the model's own keys from the `dram:` section (the common keys are already read into
  // `arch.dram`); the section's Finish() rejects any other key. Empty: the model has no keys.
  std::function<std::shared_ptr<const ModelParams>(ConfigMap& section, const ArchConfig& arch)>
      read_params;
  // Builds one channel (`index` into arch.dram.channels); ctx.arch.dram.params holds what
  // read_params returned.
  std::function<std::unique_ptr<DramModel>(const std::string& name, int index,
                                           PlatformContext& ctx)>
      make;
  // Ledger categories the model's channels charge besides the platform's own
  // (RegisterPlatformActions), so that a name can be checked before anything runs.
  std::vector<std::string> categories;
};

Registry<DramModelEntry>& DramModelRegistry();

}  // namespace pjsim
