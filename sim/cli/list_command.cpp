// `pjsim list [FAMILY] [--markdown]`: every registered plug-in family and its names with their
// summaries, from the registries themselves (the README's list is this command's markdown).
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/args.h"
#include "sim/cli/subcommands.h"
#include "sim/config/dram_model_registry.h"
#include "sim/config/gating_policy_registry.h"
#include "sim/config/noc_model_registry.h"
#include "sim/config/tile_kind_registry.h"
#include "sim/config/yaml_reader.h"
#include "sim/workload/routing_source.h"

namespace pjsim::cli {
namespace {

const CommandSpec kListSpec{
    .name = "list",
    .summary = "list the registered plug-ins (tile kinds, gating policies, ...)",
    .usage = {"[FAMILY] [--markdown]"},
    .description =
        "Lists the registered plug-ins of every family (or of FAMILY): each name with its "
        "summary and what it accepts (accumulator types, keys it reads).",
    .positionals = {{.name = "FAMILY",
                     .help = "tile-kinds, gating-policies, routing-sources, dram-models or "
                             "noc-models (default: all)"}},
    .flags = {{.name = "markdown",
               .help = "print the tables the README shows under \"Extending pjsim\""}},
};

struct Row {
  std::string name;
  std::string summary;
  std::string accepts;  // e.g. "accumulator: int32", "keys: timeout"; may be empty
};

struct Family {
  std::string id;     // FAMILY on the command line
  std::string title;  // heading
  std::string key;    // where a config names one
  std::function<std::vector<Row>()> rows;
};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string Keys(const std::vector<PluginKey>& keys) {
  std::vector<std::string> names;
  for (const PluginKey& k : keys) names.push_back(k.name);
  return names.empty() ? "" : "keys: " + Join(names);
}

// The rows of a registry; `accepts` describes what an entry accepts (nothing by default).
template <class Entry>
std::function<std::vector<Row>()> RowsOf(
    const Registry<Entry>& registry,
    std::function<std::string(const Entry&)> accepts = [](const Entry&) { return ""; }) {
  return [&registry, accepts] {
    std::vector<Row> rows;
    for (const Entry* e : registry.Entries()) rows.push_back({e->name, e->summary, accepts(*e)});
    return rows;
  };
}

// Every family, one line each (in the order listed).
std::vector<Family> Families() {
  return {
      {"tile-kinds", "Tile kinds", "tile.kind",
       RowsOf<TileKindEntry>(
           TileKindRegistry(),
           [](const TileKindEntry& e) { return "accumulator: " + Join(e.accumulators); })},
      {"gating-policies", "Gating policies", "power_gating.policy",
       RowsOf<GatingPolicyEntry>(GatingPolicyRegistry(),
                                 [](const GatingPolicyEntry& e) { return Keys(e.keys); })},
      {"routing-sources", "MoE routing sources", "routing.source",
       RowsOf<RoutingSourceEntry>(RoutingSourceRegistry(),
                                  [](const RoutingSourceEntry& e) {
                                    return e.file_key.empty() ? Keys(e.keys)
                                                              : "file: " + e.file_key;
                                  })},
      {"dram-models", "DRAM models", "dram.model", RowsOf<DramModelEntry>(DramModelRegistry())},
      {"noc-models", "NoC models", "noc.model", RowsOf<NocModelEntry>(NocModelRegistry())},
  };
}

void PrintText(const Family& f, std::ostream& out) {
  out << f.title << " (" << f.key << "):\n";
  const std::vector<Row> rows = f.rows();
  std::size_t width = 0;
  for (const Row& r : rows) width = std::max(width, r.name.size());
  for (const Row& r : rows) {
    out << "  " << r.name << std::string(width + 2 - r.name.size(), ' ') << r.summary
        << (r.accepts.empty() ? "" : " [" + r.accepts + "]") << "\n";
  }
}

void PrintMarkdown(const Family& f, std::ostream& out) {
  out << "**" << f.title << "** (`" << f.key << "`):\n\n"
      << "| name | summary | accepts |\n|---|---|---|\n";
  for (const Row& r : f.rows()) {
    out << "| `" << r.name << "` | " << r.summary << " | " << r.accepts << " |\n";
  }
}

int List(const ParsedArgs& args) {
  const std::vector<Family> families = Families();
  std::vector<const Family*> shown;
  std::vector<std::string> ids;
  for (const Family& f : families) {
    ids.push_back(f.id);
    if (args.positional.empty() || args.positional[0] == f.id) shown.push_back(&f);
  }
  if (shown.empty()) {
    const std::string guess = DidYouMean(args.positional[0], ids);
    throw ConfigError({"<command line>", 0, 0},
                      "unknown plug-in family '" + args.positional[0] + "'" +
                          (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                          "; known: " + Join(ids));
  }
  const bool markdown = args.Has("markdown");
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (i > 0) std::cout << "\n";
    markdown ? PrintMarkdown(*shown[i], std::cout) : PrintText(*shown[i], std::cout);
  }
  return kExitOk;
}

}  // namespace

const SubcommandRegistrar kRegisterList(60, {&kListSpec, List});

}  // namespace pjsim::cli
