#pragma once
// Reads a DRAMsim3 configuration file (github.com/umd-memsys/DRAMsim3, configs/*.ini) as a
// `jedec` preset, so that `pjsim dram-bench --dram FILE.ini` and an arch's `preset: FILE.ini`
// take the configurations users of DRAMsim3 already have. Keys are read as DRAMsim3 reads them
// (its defaults for missing keys, its derived values: ranks from channel_size, tRC = tRAS + tRP,
// HBM columns x 2); what pjsim cannot model is a located error. docs/DRAM.md lists the mapping.
#include <memory>
#include <string>

#include "sim/config/yaml_reader.h"

namespace pjsim {

// True for a file name ending in ".ini".
bool IsDramsim3Ini(const std::string& path);

// The preset document of a DRAMsim3 .ini: each key the file sets sits at the file's line (so
// errors point into the .ini); derived fields follow the last line. Throws ConfigError at the
// file:line of a bad key or value.
std::shared_ptr<ConfigDocument> LoadDramsim3Ini(const std::string& path);

}  // namespace pjsim
