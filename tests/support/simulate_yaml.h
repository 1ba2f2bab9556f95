#pragma once
// The simulate-from-YAML setup the platform tests share: write a workload from YAML text, load it
// with a shipped architecture (and optionally a tech table) and `--set`-style overrides exactly as
// `pjsim run` does, then simulate it.
#include <string>
#include <vector>

#include "models/simulate.h"
#include "sim/run/run_config.h"

namespace pjsim::test {

// A simulated run together with the configuration it ran.
struct SimRun {
  RunConfig config;
  SimulationResult result;
};

// SOURCE/configs/arch/<file> and SOURCE/configs/tech/<file>.
std::string ArchFile(const std::string& file);
std::string TechFile(const std::string& file);

// Writes `yaml` to w.yaml in a fresh directory named `dir_name` and returns the file's path.
std::string WriteWorkloadYaml(const std::string& dir_name, const std::string& yaml);

// Overrides that shrink a shipped mesh to one tile with its DRAM channel beside it.
std::vector<std::string> OneTile();

// Loads the three inputs as `pjsim run --arch --workload [--tech] --set ...` does; an empty
// `tech_path` takes the table the architecture names.
RunConfig LoadYaml(const std::string& arch_path, const std::string& workload_path,
                   std::vector<std::string> overrides = {}, const std::string& tech_path = "");

// LoadYaml with the architecture and workload given relative to the source tree
// (e.g. "configs/arch/default.yaml").
RunConfig LoadSourceYaml(const std::string& arch, const std::string& workload,
                         std::vector<std::string> overrides = {});

// Bytes the run's DRAM channels delivered (every read counted once, multicast or not).
double ChannelReadBytes(const SimulationResult& result);

// LoadYaml, then Simulate (recording the timeline into `trace` if given).
SimRun SimulateYaml(const std::string& arch_path, const std::string& workload_path,
                    std::vector<std::string> overrides = {}, const std::string& tech_path = "",
                    TraceRecorder* trace = nullptr);

}  // namespace pjsim::test
