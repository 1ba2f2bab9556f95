#pragma once
// A Ramulator 2 configuration as a `jedec` preset document for the commands that take one
// (dram-bench's --dram, import-ramulator2): the configuration read (sim/config/ramulator2_config.h)
// with the electrical fields of the shipped pjsim preset it names, found as FindShippedFile finds
// configs. Its notes (keys not read, where the currents come from) are for stderr once the preset
// has loaded: an error is one line.
#include <memory>
#include <string>
#include <vector>

#include "sim/config/yaml_reader.h"

namespace pjsim::cli {

struct Ramulator2Document {
  std::shared_ptr<ConfigDocument> document;  // fields on the lines of their Ramulator keys
  std::string preset_text;                   // the same as a commented preset file
  std::string summary;                       // "DDR4, DDR4_8Gb_x8, DDR4_3200AA"
  std::vector<std::string> notes;
};

Ramulator2Document LoadRamulator2Preset(const std::string& path);

// Each note as one printable "note: ..." line on stderr.
void PrintNotes(const std::vector<std::string>& notes);

}  // namespace pjsim::cli
