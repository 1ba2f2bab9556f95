#include "sim/cli/simulated_refiner.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "sim/config/json_reader.h"
#include "sim/sweep/child_process.h"

namespace pjsim::cli {
namespace {

// A directory of its own for one child's output, removed when done.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    // mkdtemp replaces the trailing XXXXXX with a unique suffix.
    std::string pattern = (std::filesystem::temp_directory_path() / "pjsim-refine-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mapping.refine: cannot create a temporary directory in " +
                               std::filesystem::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string FirstLine(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line.empty() ? "(no message)" : line;
}

// Runs `args` of `executable` and waits; returns the wait status.
int RunChild(const std::string& executable, std::vector<std::string> args,
             const std::filesystem::path& log) {
  sweep::ChildCommand command{executable, std::move(args), "", log.string()};
  sigset_t none;
  sigemptyset(&none);
  const pid_t pid = sweep::StartChild(command, none);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("mapping.refine: lost a child process");
  }
  return status;
}

}  // namespace

std::vector<std::string> PinnedMappingOverrides(const GemmMapping& m, bool double_buffering) {
  const std::string c = "arch.mapping.constraints.";
  std::vector<std::string> o = {c + "block_m=" + std::to_string(m.blocks.m),
                                c + "block_k=" + std::to_string(m.blocks.k),
                                c + "block_n=" + std::to_string(m.blocks.n),
                                c + "grid_m=" + std::to_string(m.grid_m),
                                c + "grid_n=" + std::to_string(m.grid_n),
                                c + "grid_k=" + std::to_string(m.grid_k),
                                c + "grid_b=" + std::to_string(m.grid_b),
                                c + "resident=" + ResidentOperandName(m.resident)};
  // The loop order follows the resident operand, and in-array accumulation the blocks: these
  // keys leave the search one mapping.
  if (double_buffering) o.push_back(c + "buffers=" + (m.single_buffered ? "1" : "2"));
  return o;
}

MappingRefiner SimulatedRefiner(const RunInputs& inputs, std::string executable,
                                bool double_buffering, Phase phase) {
  return [inputs, executable = std::move(executable), double_buffering, phase](
             const Layer& layer, const std::vector<RankedMapping>& candidates) {
    std::vector<std::optional<SimulatedMapping>> out;
    // One pass alone would not stand for the others (`--only-layer` refuses it).
    if (!SameInEveryPass(phase, layer)) return decltype(out)(candidates.size());
    for (const RankedMapping& candidate : candidates) {
      TemporaryDirectory dir;
      std::vector<std::string> args = {"run", "--arch", inputs.arch_path, "--workload",
                                       inputs.workload_path};
      if (!inputs.tech_path.empty()) args.insert(args.end(), {"--tech", inputs.tech_path});
      std::vector<std::string> overrides = inputs.overrides;
      overrides.push_back("arch.mapping.refine=0");  // the child simulates, it does not refine
      for (std::string& o : PinnedMappingOverrides(candidate.mapping, double_buffering))
        overrides.push_back(std::move(o));
      for (const std::string& o : overrides) args.insert(args.end(), {"--set", o});
      args.insert(args.end(),
                  {"--only-layer", layer.name, "--out", (dir.path() / "out").string(), "--quiet"});
      const int status = RunChild(executable, std::move(args), dir.path() / "log");
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::cerr << "pjsim run: warning: mapping.refine: layer '" << layer.name << "', "
                  << candidate.mapping.Describe() << ": " << sweep::DescribeWaitStatus(status)
                  << ": " << FirstLine(dir.path() / "log") << "\n";
        out.emplace_back();
        continue;
      }
      std::ifstream in(dir.path() / "out" / "report.json");
      std::stringstream text;
      text << in.rdbuf();
      const YAML::Node report = LoadJson(text.str(), (dir.path() / "out/report.json").string());
      SimulatedMapping s;
      s.cycles = report["layers"][0]["cycles"].as<double>();
      s.energy_pj = report["total"]["energy_pj"].as<double>();
      out.push_back(s);
    }
    return out;
  };
}

}  // namespace pjsim::cli
