#include "sim/cli/ramulator2_preset.h"

#include <filesystem>
#include <iostream>

#include "sim/cli/shipped_file.h"
#include "sim/config/config_error.h"
#include "sim/config/printable.h"
#include "sim/config/ramulator2_config.h"

namespace pjsim::cli {

Ramulator2Document LoadRamulator2Preset(const std::string& path) {
  const Ramulator2Preset preset = ReadRamulator2Config(path);
  const auto base_path =
      FindShippedFile(std::filesystem::path("configs/dram") / (preset.base_preset + ".yaml"));
  if (!base_path) {
    throw ConfigError({path, 0, 0}, "no configs/dram/" + preset.base_preset +
                                        ".yaml for the electrical fields Ramulator 2 has no "
                                        "model for (looked in the current directory and above "
                                        "the pjsim executable)");
  }
  const std::shared_ptr<const ConfigDocument> base = ConfigDocument::Load(*base_path);
  Ramulator2Document out;
  out.document = ConfigDocument::Parse(Ramulator2PresetYaml(preset, base, true), path);
  out.preset_text = Ramulator2PresetYaml(preset, base, false);
  out.summary = preset.standard + (preset.organization.empty() ? "" : ", " + preset.organization) +
                (preset.timing.empty() ? "" : ", " + preset.timing);
  out.notes = preset.notes;
  return out;
}

void PrintNotes(const std::vector<std::string>& notes) {
  // A note echoes keys of the file: one printable line each, whatever bytes they hold.
  for (const std::string& note : notes) std::cerr << "note: " << PrintableLine(note, 1024) << "\n";
}

}  // namespace pjsim::cli
