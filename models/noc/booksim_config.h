#pragma once
// A BookSim 2 configuration file (`key = value;` lines, `//` comments) read as `pjsim noc-bench`
// flags, so that a network someone simulated in BookSim can be typed in as it is. What each key
// becomes follows BookSim's own cycle accounting (docs/NOC.md, "How a BookSim configuration maps
// to noc-bench"). Keys noc-bench cannot honour (another topology, routing, allocator, traffic
// class or injection process) are a ConfigError at their line, not silently dropped; keys that
// only steer BookSim's measurement (sample periods, convergence thresholds, output files) are
// read and ignored: noc-bench measures --cycles after a warm-up of a fifth of them.
#include <map>
#include <string>

namespace pjsim {

// noc-bench flag (without "--") -> value, e.g. {"mesh", "8"}, {"self-traffic", ""}.
using NocBenchFlags = std::map<std::string, std::string>;

// Reads `path`; every error names the file, the line and the key.
NocBenchFlags ReadBookSimConfig(const std::string& path);
// The same from text in memory; `name` labels errors.
NocBenchFlags ParseBookSimConfig(const std::string& text, const std::string& name);

}  // namespace pjsim
