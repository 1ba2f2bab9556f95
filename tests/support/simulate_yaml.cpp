#include "simulate_yaml.h"

#include <fstream>
#include <utility>

#include "test_paths.h"

namespace pjsim::test {

std::string ArchFile(const std::string& file) { return SourceDir() + "/configs/arch/" + file; }

std::string TechFile(const std::string& file) { return SourceDir() + "/configs/tech/" + file; }

std::string WriteWorkloadYaml(const std::string& dir_name, const std::string& yaml) {
  const std::string path = FreshDir(dir_name) + "/w.yaml";
  std::ofstream(path) << yaml;
  return path;
}

std::vector<std::string> OneTile() {
  return {"arch.mesh.width=1", "arch.mesh.height=1", "arch.dram.channels=[{x: 0, y: 0}]"};
}

RunConfig LoadYaml(const std::string& arch_path, const std::string& workload_path,
                   std::vector<std::string> overrides, const std::string& tech_path) {
  return LoadRunConfig({arch_path, tech_path, workload_path, std::move(overrides)});
}

RunConfig LoadSourceYaml(const std::string& arch, const std::string& workload,
                         std::vector<std::string> overrides) {
  const std::string dir = SourceDir() + "/";
  return LoadYaml(dir + arch, dir + workload, std::move(overrides));
}

double ChannelReadBytes(const SimulationResult& result) {
  double bytes = 0;
  for (const auto& c : result.channels) bytes += c.bytes_read;
  return bytes;
}

SimRun SimulateYaml(const std::string& arch_path, const std::string& workload_path,
                    std::vector<std::string> overrides, const std::string& tech_path,
                    TraceRecorder* trace) {
  SimRun r{LoadYaml(arch_path, workload_path, std::move(overrides), tech_path), {}};
  r.result = Simulate(r.config.arch, r.config.tech, r.config.workload, trace);
  return r;
}

}  // namespace pjsim::test
