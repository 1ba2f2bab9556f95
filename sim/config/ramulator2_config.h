#pragma once
// Reads a Ramulator 2 configuration (github.com/CMU-SAFARI/ramulator2: a YAML file with a
// `MemorySystem` of a GenericDRAM with a DDR4 or DDR5 `DRAM`, a Generic `Controller` and an
// `AddrMapper`) as a `jedec` DRAM preset, with the numbers Ramulator itself would use: its
// organisation and speed-bin presets, the timings it derives from rate, DQ width and density,
// the configuration's own timings (clocks `nX` or nanoseconds `tX`, rounded as Ramulator rounds
// them), its controller (buffers of 32 that take a 33rd request, its active buffer, write
// watermarks, one command per clock, FR-FCFS, all-bank refresh, open rows or ClosedRowPolicy's
// close after `cap` accesses) and its linear address mappers. What pjsim cannot simulate as
// Ramulator does is an error at its line; keys Ramulator reads but that change nothing here, and
// keys it does not read, are notes. Ramulator 2 prices no energy: the electrical fields come from a
// shipped pjsim preset of the same standard and DQ width. docs/RAMULATOR.md, "Ramulator 2
// configurations".
#include <memory>
#include <string>
#include <vector>

#include "sim/config/yaml_reader.h"

namespace pjsim {

// One field of the preset, with the line of the Ramulator key it comes from (0: derived, e.g.
// the controller Ramulator's code fixes).
struct Ramulator2Field {
  std::string key;    // the jedec preset's field name
  std::string value;  // its YAML value
  int line = 0;
  std::string from;  // what it is, in Ramulator's terms (a comment in the written preset)
};

struct Ramulator2Preset {
  std::string file;
  std::string standard;      // DDR4 or DDR5
  std::string organization;  // the org preset's name, or "" if the file gives every level
  std::string timing;        // the speed bin's name, or "" if the file gives a rate
  std::string base_preset;   // the shipped preset the electrical fields come from
  std::vector<Ramulator2Field> fields;
  std::vector<std::string> notes;  // one line each, the file's keys and values printable
};

// True for a YAML file whose top level is a mapping with a `MemorySystem` key (a Ramulator 2
// configuration; pjsim's own presets have none). Any read or parse failure: false.
bool IsRamulator2Config(const std::string& path);

// Throws ConfigError at file:line:column of what Ramulator would reject or pjsim cannot model.
Ramulator2Preset ReadRamulator2Config(const std::string& path);

// The preset as YAML. The electrical fields Ramulator has no model for (VDD, IDD currents, I/O
// energy) are taken from `base` (the shipped preset named by base_preset), tXP converted to this
// clock. `placed`: each field on the line of its Ramulator key, the others after the file's last
// line, so that an error found while loading the preset points into the Ramulator file;
// otherwise a self-contained, commented preset file.
std::string Ramulator2PresetYaml(const Ramulator2Preset& preset,
                                 const std::shared_ptr<const ConfigDocument>& base, bool placed);

}  // namespace pjsim
