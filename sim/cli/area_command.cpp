// `pjsim area`: the silicon area of an architecture at a technology node, component by component
// (sim/energy/area_model.h), and the iso-area helper: the largest PE array or SRAM per tile that
// keeps the chip within a given area, printed as the --set flags that select it.
#include <charconv>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/cli/args.h"
#include "sim/cli/common_flags.h"
#include "sim/cli/subcommands.h"
#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/area_model.h"
#include "sim/energy/area_tech.h"
#include "sim/energy/tech_table.h"
#include "sim/report/json_writer.h"

namespace pjsim::cli {
namespace {

const CommandSpec kAreaSpec{
    .name = "area",
    .summary = "silicon area of an architecture by component; iso-area sizing",
    .usage = {"--arch FILE [--tech FILE] [--set KEY=VALUE]... [--iso-area MM2 [--knob array|sram] "
              "[--step N]] [--json]"},
    .description =
        "Prints the chip's silicon area at the technology table's node (the table's `area:` "
        "section): PE arrays, SRAM, vector units, NoC routers and links, and the per-tile rest, "
        "which sum to the total, with peak TOPS/mm2 (docs/AREA.md). Nothing is simulated; "
        "`pjsim run` writes the same breakdown into report.json.\n"
        "\n"
        "--iso-area MM2 sizes one knob of the design to the largest value whose total area is at "
        "most MM2 and prints it with the area one step larger (which exceeds MM2) and the --set "
        "flags that select it.",
    .flags =
        {
            ArchFlag(),
            TechFlag(" with an `area:` section"),
            {.name = "set",
             .value = "KEY=VALUE",
             .help = "override an arch. or tech. value (a workload has no area)",
             .repeatable = true},
            {.name = "iso-area",
             .value = "MM2",
             .help = "size --knob to the largest value within MM2 of total area"},
            {.name = "knob",
             .value = "array|sram",
             .help = "with --iso-area: array (the default): tile.rows = tile.cols = a multiple of "
                     "--step; sram: "
                     "tile.sram.capacity = a multiple of --step KiB"},
            {.name = "step",
             .value = "N",
             .help = "with --iso-area: granularity of the knob (default 1)"},
            {.name = "json", .help = "print one JSON object instead of the table"},
        },
};

[[noreturn]] void Bad(const std::string& message) {
  throw ConfigError({"<command line>", 0, 0}, message);
}

// --set arch.* and tech.* (a workload has no area).
void ApplyOverrides(const std::vector<std::string>& overrides, const std::string& scope,
                    ConfigDocument& doc) {
  for (const std::string& o : overrides) {
    const auto eq = o.find('=');
    const auto dot = o.find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot > eq) {
      Bad("--set " + o + ": expected arch.KEY=VALUE or tech.KEY=VALUE");
    }
    const std::string prefix = o.substr(0, dot);
    if (prefix != "arch" && prefix != "tech") {
      Bad("--set " + o + ": pjsim area takes arch. and tech. keys only");
    }
    if (prefix == scope)
      doc.Override(o.substr(dot + 1, eq - dot - 1), o.substr(eq + 1), "--set " + o);
  }
}

double PositiveNumber(const ParsedArgs& args, const std::string& flag) {
  const std::string v = args.Get(flag);
  double x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || !(x > 0) || x > 1e9) {
    Bad("--" + flag + " expects a positive number, got '" + v + "'");
  }
  return x;
}

std::int64_t Step(const ParsedArgs& args) {
  if (!args.Has("step")) return 1;
  const std::string v = args.Get("step");
  std::int64_t x = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || ptr != v.data() + v.size() || x < 1 || x > (1 << 20)) {
    Bad("--step expects an integer in [1, 1048576], got '" + v + "'");
  }
  return x;
}

void PrintTable(const AreaBreakdown& a, const ArchConfig& arch, const TechTable& tech) {
  std::cout << std::fixed << "area of '" << arch.name << "' at " << tech.node << " (" << tech.file
            << ")\n";
  std::cout << "  component                mm2    share         count     um2 each\n";
  for (const AreaComponent& c : a.components) {
    std::cout << "  " << std::left << std::setw(20) << c.name << std::right << std::setw(10)
              << std::setprecision(3) << c.mm2 << std::setw(8) << std::setprecision(1)
              << 100 * c.mm2 / a.total_mm2 << " %" << std::setw(14) << std::setprecision(0)
              << c.count << std::setw(13) << std::setprecision(1) << c.um2_each << "\n";
  }
  std::cout << "  " << std::left << std::setw(20) << "total" << std::right << std::setw(10)
            << std::setprecision(3) << a.total_mm2 << "\n";
  std::cout << "  peak " << std::setprecision(3) << PeakOpsPerSecond(arch) / 1e12
            << " TOPS = " << PeakOpsPerSecond(arch) / 1e12 / a.total_mm2 << " TOPS/mm2\n";
}

int Area(const ParsedArgs& args) {
  const std::vector<std::string>& overrides = args.All("set");
  auto arch_doc = ConfigDocument::Load(args.Get("arch"));
  ApplyOverrides(overrides, "arch", *arch_doc);
  ConfigMap arch_root = ConfigMap::Root(arch_doc);
  std::string tech_path = args.Get("tech");
  if (tech_path.empty()) {
    tech_path =
        (std::filesystem::path(args.Get("arch")).parent_path() / arch_root.String("tech")).string();
  } else {
    arch_root.Has("tech");  // named in the file but overridden on the command line
  }
  auto tech_doc = ConfigDocument::Load(tech_path);
  ApplyOverrides(overrides, "tech", *tech_doc);
  const TechTable tech = LoadTechTable(ConfigMap::Root(tech_doc), tech_path);
  ArchConfig arch = ReadArchConfig(arch_root, tech.clock_hz);
  if (!tech.area) Bad("technology table " + tech_path + " has no 'area:' section");
  if (!tech.area->pe_um2.count(arch.tile.kind)) {
    Bad("technology table " + tech_path + " has no PE area for tile kind '" + arch.tile.kind +
        "' (add it under 'area: pe:')");
  }

  for (const char* flag : {"knob", "step"}) {
    // Without --iso-area they would be ignored: an error instead.
    if (args.Has(flag) && !args.Has("iso-area"))
      Bad(std::string("--") + flag + " needs --iso-area MM2");
  }
  if (args.Has("iso-area")) {
    const double target = PositiveNumber(args, "iso-area");
    const std::string knob_name = args.Get("knob", "array");
    if (knob_name != "array" && knob_name != "sram") {
      Bad("--knob expects array or sram, got '" + knob_name + "'");
    }
    const IsoAreaKnob knob = knob_name == "array" ? IsoAreaKnob::kArray : IsoAreaKnob::kSram;
    const std::int64_t step = Step(args) * (knob == IsoAreaKnob::kSram ? 1024 : 1);
    IsoAreaResult r;
    try {
      r = SizeToArea(arch, *tech.area, target, knob, step);
    } catch (const std::invalid_argument& e) {
      Bad(std::string("--iso-area: ") + e.what());
    }
    std::vector<std::string> sets;
    if (knob == IsoAreaKnob::kArray) {
      sets = {"arch.tile.rows=" + std::to_string(r.value),
              "arch.tile.cols=" + std::to_string(r.value)};
    } else {
      sets = {"arch.tile.sram.capacity=" + std::to_string(r.value / 1024) + " KiB"};
    }
    if (args.Has("json")) {
      JsonWriter j;
      j.BeginObject();
      j.Field("target_mm2", target).Field("knob", knob_name).Field("value", r.value);
      j.Field("area_mm2", r.area_mm2).Field("next_area_mm2", r.next_area_mm2);
      j.Field("peak_tops_per_mm2", PeakOpsPerSecond(r.arch) / 1e12 / r.area_mm2);
      j.Key("set").BeginArray();
      for (const std::string& s : sets) j.String(s);
      j.EndArray();
      j.EndObject();
      std::cout << j.str() << "\n";
      return kExitOk;
    }
    PrintTable(ComputeArea(r.arch, *tech.area), r.arch, tech);
    std::cout << std::setprecision(3) << "iso-area " << target << " mm2, knob " << knob_name << ": "
              << (knob == IsoAreaKnob::kArray ? "rows = cols = " : "SRAM KiB = ")
              << (knob == IsoAreaKnob::kArray ? r.value : r.value / 1024) << " -> " << r.area_mm2
              << " mm2 (one step more: " << r.next_area_mm2 << " mm2)\n";
    for (const std::string& s : sets) std::cout << "  --set '" << s << "'\n";
    return kExitOk;
  }

  const AreaBreakdown a = ComputeArea(arch, *tech.area);
  if (args.Has("json")) {
    JsonWriter j;
    j.BeginObject();
    j.Field("total_mm2", a.total_mm2);
    j.Key("breakdown_mm2").BeginObject();
    for (const AreaComponent& c : a.components) j.Field(c.name, c.mm2);
    j.EndObject();
    j.Field("peak_tops_per_mm2", PeakOpsPerSecond(arch) / 1e12 / a.total_mm2);
    j.EndObject();
    std::cout << j.str() << "\n";
    return kExitOk;
  }
  PrintTable(a, arch, tech);
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterArea(37, {&kAreaSpec, Area});

}  // namespace pjsim::cli
