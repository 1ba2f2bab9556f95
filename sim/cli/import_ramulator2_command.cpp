// `pjsim import-ramulator2`: a `jedec` DRAM preset from a Ramulator 2 configuration, so that an
// architecture simulates the device and controller a Ramulator study describes.
#include <iostream>

#include "models/memory/jedec_params.h"
#include "sim/cli/args.h"
#include "sim/cli/ramulator2_preset.h"
#include "sim/cli/subcommands.h"
#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"
#include "sim/report/atomic_file.h"

namespace pjsim::cli {
namespace {

const CommandSpec kImportRamulator2Spec{
    .name = "import-ramulator2",
    .summary = "build a jedec DRAM preset from a Ramulator 2 configuration",
    .usage = {"CONFIG.yaml -o PRESET.yaml"},
    .description =
        "Reads a Ramulator 2 configuration (a MemorySystem of a GenericDRAM with a DDR4 or DDR5 "
        "DRAM, a Generic Controller and an AddrMapper) and writes a `jedec` preset that an "
        "arch names (`dram: {model: jedec, preset: PRESET.yaml}`) and `dram-bench --dram` "
        "takes: Ramulator's organisation and speed-bin presets, the timings it derives from "
        "rate, DQ width and density, the file's own timings (nX in clocks, tX in ns rounded as "
        "Ramulator rounds them), its controller (buffers of 32 that take a 33rd request, the "
        "active buffer, its write watermarks, one command per clock, FR-FCFS, all-bank or no "
        "refresh, open rows or ClosedRowPolicy's precharge after `cap` accesses) and its "
        "RoBaRaCoCh or ChRaBaRoCo mapping. Each field's comment "
        "names the Ramulator key and line it comes from. Ramulator 2 prices no energy: VDD, "
        "the IDD currents and the I/O energy are a shipped preset's of the same standard and "
        "DQ width (a note says which). What pjsim cannot simulate as Ramulator does (other "
        "standards, schedulers, other row policies, XOR mappings, plugins that issue commands) is "
        "an "
        "error at its line; keys that are not read are notes (docs/RAMULATOR.md, \"Ramulator 2 "
        "configurations\"). Nothing is written unless the preset loads.",
    .positionals = {{.name = "CONFIG.yaml",
                     .noun = "the Ramulator 2 configuration",
                     .help = "a Ramulator 2 configuration (YAML with a MemorySystem)",
                     .required = true}},
    .flags =
        {
            {.name = "out",
             .alias = "o",
             .value = "PRESET.yaml",
             .help = "the preset file to write (atomically)",
             .required = true},
        },
};

int ImportRamulator2(const ParsedArgs& args) {
  const std::string& path = args.positional[0];
  const Ramulator2Document d = LoadRamulator2Preset(path);
  // Never write what an arch or dram-bench would reject; the error points into CONFIG.yaml.
  ConfigMap root = ConfigMap::Root(d.document);
  const std::shared_ptr<JedecParams> p = ReadJedecParams(root);
  root.Finish();
  PrintNotes(d.notes);
  const std::string out = args.Get("out");
  WriteFileAtomically(out, d.preset_text);
  std::cout << "wrote " << out << " (" << d.summary << ": " << p->ranks << " rank"
            << (p->ranks == 1 ? "" : "s") << ", " << p->bus_width_bits << "-bit channel, "
            << p->BurstBytes() << " B bursts, tCK " << p->tCK << " ns, mapping "
            << p->address_mapping << ")\n"
            << "try: pjsim dram-bench --dram " << out << " --pattern seq-read --requests 20000\n";
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterImportRamulator2(17, {&kImportRamulator2Spec, ImportRamulator2});

}  // namespace pjsim::cli
