#pragma once
// What every pjsim fuzz target checks: an input of any kind, handed to the pjsim CLI as a user
// would (in a file, or as a flag value), either is accepted (exit 0) or rejected as bad input
// (exit 2, one message). Any other exit code, an exception escaping the CLI, a crash, a hang or
// a sanitizer report is a finding: the target aborts, and libFuzzer keeps the input.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cli/command.h"

namespace pjsim::fuzz {

// The repository's source tree (for the shipped configs a target combines with its input).
inline std::string SourceDir() { return PJSIM_SOURCE_DIR; }

// A per-process scratch directory laid out like the repository's configs/ and workloads/ (links
// to the shipped ones), so that relative paths in an input (`../arch/default.yaml`,
// `bitnet_energy/prefill512.yaml`) resolve as they would next to the shipped files: inputs
// go to SCRATCH/configs/sweeps/.
inline std::string ScratchDir() {
  static const std::string kDir = [] {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("pjsim-fuzz-" + std::to_string(::getpid()));
    const fs::path source = SourceDir();
    fs::remove_all(dir);
    fs::create_directories(dir / "configs" / "sweeps");
    fs::create_directory_symlink(source / "workloads", dir / "workloads");
    for (const char* d : {"arch", "tech", "dram"})
      fs::create_directory_symlink(source / "configs" / d, dir / "configs" / d);
    for (const char* d : {"sweeps", "studies"}) {
      for (const auto& entry : fs::directory_iterator(source / "configs" / d)) {
        const fs::path link = dir / "configs" / "sweeps" / entry.path().filename();
        if (entry.is_directory() && !fs::exists(link)) fs::create_directory_symlink(entry, link);
      }
    }
    return dir.string();
  }();
  return kDir;
}

// A path in the scratch directory's configs/sweeps/ with `suffix`, rewritten for every input.
inline std::string ScratchPath(const std::string& suffix) {
  return ScratchDir() + "/configs/sweeps/input" + suffix;
}

inline std::string WriteScratch(const std::string& suffix, const std::uint8_t* data, size_t size) {
  const std::string path = ScratchPath(suffix);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

// Runs `pjsim ARGS...` in-process with its messages silenced; aborts unless it exits 0 or 2.
// Only the C++ streams the CLI prints to are silenced: libFuzzer and the sanitizers report on
// the C stderr.
inline void ExpectOkOrBadInput(std::vector<std::string> args) {
  static std::ostringstream sink;
  static const bool kQuiet = [] {
    ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    std::cout.rdbuf(sink.rdbuf());
    std::cerr.rdbuf(sink.rdbuf());
    return true;
  }();
  (void)kQuiet;
  sink.str("");
  args.insert(args.begin(), "pjsim");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int code = cli::Main(static_cast<int>(args.size()), argv.data());
  if (code != cli::kExitOk && code != cli::kExitBadInput) {
    std::fprintf(stderr, "pjsim exited %d:\n%s\n", code, sink.str().c_str());
    std::abort();
  }
}

}  // namespace pjsim::fuzz
