#pragma once
// Reads a SCALE-Sim configuration file (github.com/scalesim-project/scale-sim-v2, configs/*.cfg)
// as SCALE-Sim's scale_config.py reads it with Python's configparser: `[section]` headers, `KEY =
// VALUE` or `KEY : VALUE`, keys case-insensitive, whole-line `#` / `;` comments. What it keeps is
// what decides a single array's cycles and traffic: the array, the dataflow, the three SRAM
// buffers and the DRAM interface's rate. docs/MAPPING.md, "SCALE-Sim inputs".
#include <cstdint>
#include <string>
#include <vector>

namespace pjsim {

struct ScaleSimConfig {
  std::string file;
  std::string run_name = "scale_run";  // [general] run_name
  std::int64_t array_rows = 0;         // ArrayHeight
  std::int64_t array_cols = 0;         // ArrayWidth
  std::int64_t ifmap_kib = 0;          // IfmapSramSzkB (SCALE-Sim's kB are KiB: × 1024)
  std::int64_t filter_kib = 0;         // FilterSramSzkB
  std::int64_t ofmap_kib = 0;          // OfmapSramSzkB
  std::string dataflow;                // Dataflow: os, ws or is
  bool user_bandwidth = false;         // [run_presets] InterfaceBandwidth: USER (or CALC)
  std::int64_t bandwidth_words = 0;    // Bandwidth's first value (USER), words per cycle
  std::string topology;                // [network_presets] TopologyCsvLoc, unquoted, if any
  std::vector<std::string> notes;      // keys read but not modelled, one line each

  // Words per cycle the ifmap and filter buffers read from DRAM together, as SCALE-Sim's
  // single_layer_sim.py sets them: USER gives each buffer Bandwidth; CALC gives the ifmap
  // buffer R (input-stationary: C) and the filter buffer C (R).
  std::int64_t DramReadWordsPerCycle() const;
};

// Throws ConfigError at the file:line:column of a malformed line, a missing required key or a
// bad value; keys SCALE-Sim does not read (or that do not change a single array's timing) are
// listed in `notes` rather than refused, so configurations of later releases still load.
ScaleSimConfig ReadScaleSimConfig(const std::string& path);

}  // namespace pjsim
