#pragma once
// Everything one run needs, read and cross-validated from the three input files plus --set
// overrides ("arch.tile.rows=64", "tech.ops.int8_add.energy=0.03 pJ", "workload.layers.0.m=64").
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/carbon_footprint.h"
#include "sim/energy/tech_table.h"
#include "sim/workload/workload.h"

namespace pjsim {

struct RunInputs {
  std::string arch_path;
  std::string tech_path;  // empty: the file named by the architecture's `tech:` key
  std::string workload_path;
  std::vector<std::string> overrides;  // "arch.x.y=value" etc.
};

struct RunConfig {
  ArchConfig arch;
  TechTable tech;
  Workload workload;
  // The documents after overrides, for writing the resolved configuration next to results.
  std::shared_ptr<const ConfigDocument> arch_doc, tech_doc, workload_doc;
  // `pjsim run --only-layer NAME`: the workload was reduced to this layer alone, its inputs read
  // from DRAM (empty: every layer).
  std::string only_layer;
  // Where the run's energy is drawn (`pjsim run --carbon`); unset: no carbon section.
  std::optional<CarbonInputs> carbon;
};

// `only_layer`: keep this layer of the workload alone (`pjsim run --only-layer`; a ConfigError
// for a name the workload lacks or a decode layer that changes from pass to pass).
RunConfig LoadRunConfig(const RunInputs& inputs, const std::string& only_layer = "");

// Reduces `w` to its layer `name` alone: no producers (its inputs come from DRAM), nothing to
// wait for (`pjsim run --only-layer`). A decode workload's layer becomes a single pass of it,
// which it is in every pass. ConfigError for a name it lacks or a decode layer that is not the
// same in every pass.
void KeepOnlyLayer(const std::string& name, Workload& w);

// Whether `layer` of a workload run in `phase` is the same in every pass, so that one pass of it
// alone stands for all: in decode not attention and what grows with its KV cache (re-planned
// every pass) nor routed experts (their tokens change every pass); in one pass, every layer.
bool SameInEveryPass(Phase phase, const Layer& layer);

// The resolved configuration as YAML text: the three documents after overrides, with the tech
// table's file and every override recorded.
std::string ResolvedConfigYaml(const RunConfig& config, const RunInputs& inputs);

}  // namespace pjsim
