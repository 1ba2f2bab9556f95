#include "sim/run/reprice.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "sim/arch/run_actions.h"
#include "sim/arch/tile_power.h"
#include "sim/config/arch_config.h"
#include "sim/config/config_error.h"
#include "sim/config/json_reader.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/carbon_footprint.h"
#include "sim/energy/energy_ledger.h"
#include "sim/energy/naive_estimate.h"
#include "sim/energy/tech_table.h"
#include "sim/mapping/mapping_search.h"
#include "sim/mapping/workload_planner.h"
#include "sim/report/json_text.h"
#include "sim/report/json_writer.h"
#include "sim/run/run_config.h"
#include "sim/run/run_report.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

// Reads the parts of a report that re-pricing needs; every miss names the report and the key.
class ReportReader {
 public:
  explicit ReportReader(std::string name) : name_(std::move(name)) {}

  [[noreturn]] void Fail(const std::string& message) const {
    throw ConfigError({name_, 0, 0}, message);
  }
  YAML::Node Child(const YAML::Node& parent, const std::string& key,
                   const std::string& path) const {
    if (!parent.IsMap() || !parent[key]) {
      Fail("not a pjsim report: '" + path + (path.empty() ? "" : ".") + key + "' is missing");
    }
    return parent[key];
  }
  double Number(const YAML::Node& n, const std::string& path) const {
    const std::string& s = n.IsScalar() ? n.Scalar() : std::string();
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
      Fail("'" + path + "' is not a number");
    }
    return v;
  }

 private:
  std::string name_;
};

std::string JsonText(const YAML::Node& node) {
  JsonWriter j;
  WriteJsonNode(node, j);
  return j.str();
}

// A number as the report writer writes it (non-finite: null).
YAML::Node NumberNode(double v) {
  if (!std::isfinite(v)) return YAML::Node(YAML::NodeType::Null);
  return YAML::Node(FormatNumber(v));
}

YAML::Node StringNode(const std::string& s) {
  YAML::Node n(s);
  n.SetTag("!");  // quoted: stays a JSON string even if it looks like a number
  return n;
}

YAML::Node CategoryNode(const std::map<std::string, double>& m) {
  YAML::Node n(YAML::NodeType::Map);
  for (const auto& [category, pj] : m) n[category] = NumberNode(pj);
  return n;
}

// One of the configuration documents the report embeds, as the run resolved it (overrides
// applied), labelled with its original file so relative paths resolve as they did.
std::shared_ptr<ConfigDocument> EmbeddedDocument(const ReportReader& report,
                                                 const YAML::Node& config, const std::string& key) {
  const YAML::Node file = report.Child(config, key + "_file", "config");
  return ConfigDocument::Parse(JsonText(report.Child(config, key, "config")), file.Scalar());
}

std::string Hz(double hz) {
  std::ostringstream s;
  s << hz / 1e9 << " GHz";
  return s.str();
}

// The mapping search weighs energy (by its objective, or to break near-ties in time), so another
// table may choose other tilings, hence other counts. Plans every pass with the new prices, as
// the platform does, and requires the tilings the run recorded.
void RequireSamePlans(const ReportReader& report, const YAML::Node& report_layers,
                      const ArchConfig& arch, const TechTable& tech, const Workload& workload) {
  WorkloadPlanner planner(arch, workload, PricesFor(arch, tech), KindTaskCycles(arch, tech));
  const auto count = static_cast<int>(workload.graph->layers().size());
  std::vector<double> predicted(static_cast<size_t>(count), 0.0);
  std::vector<std::string> chosen(static_cast<size_t>(count));
  const std::int64_t passes = workload.Passes();
  for (std::int64_t pass = 0; pass < passes; ++pass) {
    for (int l = 0; l < count; ++l) {
      planner.LayerAt(pass, l);
      const Tiling& t = planner.Plan(pass, l).tiling;
      predicted[static_cast<size_t>(l)] += t.predicted_cycles;
      chosen[static_cast<size_t>(l)] = t.mapping;
      if (pass + 1 == passes) planner.Release(l);
    }
  }
  for (int l = 0; l < count; ++l) {
    const YAML::Node m = report_layers[static_cast<size_t>(l)]["mapping"];
    if (!m) continue;
    const std::string path = "layers." + std::to_string(l) + ".mapping";
    const std::string was = report.Child(m, "chosen", path).Scalar();
    const double was_cycles =
        report.Number(report.Child(m, "predicted_cycles", path), path + ".predicted_cycles");
    if (was != chosen[static_cast<size_t>(l)] || was_cycles != predicted[static_cast<size_t>(l)]) {
      report.Fail("with " + tech.file + " the mapping search plans layer '" +
                  workload.graph->layers()[static_cast<size_t>(l)].name + "' differently ('" +
                  chosen[static_cast<size_t>(l)] + "', not '" + was +
                  "'), so its counts would change: simulate again instead");
    }
  }
}

std::string RepriceTree(const std::string& report_json, const std::string& report_name,
                        const std::string& tech_path, const std::vector<std::string>& overrides) {
  const ReportReader report(report_name);
  YAML::Node root = LoadJson(report_json, report_name);
  if (!root.IsMap()) report.Fail("not a pjsim report: expected a JSON object");
  const YAML::Node config = report.Child(root, "config", "");

  // The new table, with the command line's tech overrides.
  auto tech_doc = ConfigDocument::Load(tech_path);
  for (const std::string& o : overrides) {
    const auto eq = o.find('=');
    const std::string flag = "--set " + o;
    if (eq == std::string::npos || o.rfind("tech.", 0) != 0 || eq <= 5) {
      throw ConfigError({"<command line>", 0, 0},
                        flag + ": reprice takes tech.KEY=VALUE only (the counts fix the rest)");
    }
    tech_doc->Override(o.substr(5, eq - 5), o.substr(eq + 1), flag);
  }
  const TechTable tech = LoadTechTable(ConfigMap::Root(tech_doc), tech_path);

  // The architecture and workload the run resolved; the new table's clock is the architecture's
  // default, as in a fresh run.
  ConfigMap arch_root = ConfigMap::Root(EmbeddedDocument(report, config, "arch"));
  arch_root.Has("tech");  // the run's table, replaced
  const ArchConfig arch = ReadArchConfig(arch_root, tech.clock_hz);
  const YAML::Node total = report.Child(root, "total", "");
  const double clock_hz = report.Number(report.Child(total, "clock_hz", "total"), "total.clock_hz");
  if (arch.clock_hz != clock_hz) {
    report.Fail("the run's clock is " + Hz(clock_hz) + ", but with " + tech_path + " (clock " +
                Hz(tech.clock_hz) + ") the architecture would run at " + Hz(arch.clock_hz) +
                ": leakage and all timing are counted in cycles of the run's clock, so "
                "re-pricing needs the same clock (simulate again instead)");
  }
  Workload workload = ReadWorkload(ConfigMap::Root(EmbeddedDocument(report, config, "workload")));
  if (const YAML::Node only = config["only_layer"]) KeepOnlyLayer(only.Scalar(), workload);
  const std::vector<Layer>& layers = workload.graph->layers();
  const YAML::Node report_layers = report.Child(root, "layers", "");
  if (!report_layers.IsSequence() || report_layers.size() != layers.size()) {
    report.Fail("the report's layers do not match its workload's " + std::to_string(layers.size()) +
                " layers");
  }

  for (const YAML::Node& l : report_layers) {
    if (l["mapping"] && l["mapping"]["refined"]) {
      // Chosen by simulating candidates: the cost model alone would plan it otherwise.
      report.Fail("layer '" + l["name"].Scalar() +
                  "' took its mapping from simulated candidates (mapping.refine), which "
                  "re-pricing cannot repeat: simulate again instead");
    }
  }
  RequireSamePlans(report, report_layers, arch, tech, workload);

  // Every price a run with the new table would charge, by the run's own registration code.
  EnergyLedger priced({"scratch"});
  RegisterAllRunActions(priced, arch, tech, layers);

  // The report's counts, under the new prices. Actions the table does not price (the jedec
  // DRAM model's, from its preset's currents) keep the price the run recorded.
  std::vector<std::string> names;
  for (const YAML::Node& l : report_layers)
    names.push_back(report.Child(l, "name", "layers").Scalar());
  EnergyLedger ledger(names);
  std::map<std::string, ActionId> by_key;
  const YAML::Node counts = report.Child(root, "counts", "");
  for (const YAML::Node& c : counts) {
    Action action;
    action.category = report.Child(c, "category", "counts").Scalar();
    action.name = report.Child(c, "action", "counts").Scalar();
    action.unit = report.Child(c, "unit", "counts").Scalar();
    action.pj_per_unit = report.Number(report.Child(c, "pj_per_unit", "counts"),
                                       "counts." + action.name + ".pj_per_unit");
    action.source = report.Child(c, "source", "counts").Scalar();
    for (const Action& p : priced.actions()) {
      if (p.category != action.category || p.name != action.name) continue;
      if (p.unit != action.unit) {
        report.Fail("action " + action.category + "/" + action.name + " counts " + action.unit +
                    " in the report but " + p.unit + " in this version of pjsim");
      }
      action = p;
    }
    by_key[action.category + "/" + action.name] = ledger.Register(action);
  }
  std::vector<double> macs;
  for (size_t l = 0; l < layers.size(); ++l) {
    const YAML::Node layer = report_layers[l];
    const std::string path = "layers." + std::to_string(l);
    if (names[l] != layers[l].name) {
      report.Fail("'" + path + ".name' is '" + names[l] + "', its workload's layer is '" +
                  layers[l].name + "'");
    }
    macs.push_back(report.Number(report.Child(layer, "macs", path), path + ".macs"));
    for (const auto& kv : report.Child(layer, "counts", path)) {
      const std::string key = kv.first.Scalar();
      const auto it = by_key.find(key);
      if (it == by_key.end())
        report.Fail("'" + path + ".counts' has '" + key + "', not in 'counts'");
      ledger.Add(static_cast<int>(l), it->second,
                 report.Number(kv.second, path + ".counts." + key));
    }
  }

  // The energy fields, as run_report writes them from a ledger.
  const double total_pj = ledger.TotalEnergyPj();
  root["tech_node"] = StringNode(tech.node);
  root["total"]["energy_pj"] = NumberNode(total_pj);
  if (YAML::Node run = root["run"]; run && run["energy_per_token_pj"]) {
    run["energy_per_token_pj"] =
        NumberNode(total_pj / report.Number(report.Child(run, "tokens", "run"), "run.tokens"));
  }
  root["energy_by_category"] = CategoryNode(ledger.EnergyByCategory());
  {
    const OpsOnlyEstimate e = EstimateOpsOnly(layers, macs, NaivePrices(tech));
    YAML::Node o = report.Child(root, "ops_only_estimate", "");
    o["ann_layers_pj"] = NumberNode(e.ann_layers_pj);
    o["snn_layers_pj"] = NumberNode(e.snn_layers_pj);
    o["total_pj"] = NumberNode(e.ann_layers_pj + e.snn_layers_pj);
  }
  for (size_t a = 0; a < ledger.actions().size(); ++a) {
    const Action& act = ledger.actions()[a];
    YAML::Node c = counts[a];
    const double count = ledger.TotalCount(static_cast<ActionId>(a));
    c["count"] = NumberNode(count);
    c["pj_per_unit"] = NumberNode(act.pj_per_unit);
    c["energy_pj"] = NumberNode(count * act.pj_per_unit);
    c["source"] = StringNode(act.source);
  }
  for (size_t l = 0; l < layers.size(); ++l) {
    YAML::Node layer = report_layers[l];
    layer["energy_pj"] = NumberNode(ledger.LayerEnergyPj(static_cast<int>(l)));
    layer["energy_by_category"] = CategoryNode(ledger.LayerEnergyByCategory(static_cast<int>(l)));
  }
  // The area is the new table's node's, as in a fresh run with it.
  const std::string area =
      AreaSectionJson(arch, tech, workload,
                      report.Number(report.Child(total, "seconds", "total"), "total.seconds"));
  if (area.empty()) {
    root.remove("area");
  } else {
    root["area"] = LoadJson(area, tech.file);
  }
  if (YAML::Node carbon = root["carbon"]) {
    // The footprint of the new energy, with the inputs the run recorded (run_report.cpp).
    const YAML::Node inputs = report.Child(carbon, "inputs", "carbon");
    const YAML::Node eq = report.Child(carbon, "equivalents", "carbon");
    CarbonInputs in;
    in.location.g_per_kwh =
        report.Number(report.Child(inputs, "carbon_intensity_g_per_kwh", "carbon.inputs"),
                      "carbon.inputs.carbon_intensity_g_per_kwh");
    in.pue.value = report.Number(report.Child(inputs, "pue", "carbon.inputs"), "carbon.inputs.pue");
    in.tree_month_g.value = report.Number(report.Child(eq, "tree_month_g", "carbon.equivalents"),
                                          "carbon.equivalents.tree_month_g");
    in.car_km_g.value = report.Number(report.Child(eq, "car_g_per_km", "carbon.equivalents"),
                                      "carbon.equivalents.car_g_per_km");
    const CarbonFootprint f = Footprint(in, total_pj * 1e-12);
    carbon["energy_kwh"] = NumberNode(f.energy_kwh);
    carbon["facility_energy_kwh"] = NumberNode(f.facility_energy_kwh);
    carbon["per_inference_g"] = NumberNode(f.grams);
    if (carbon["tokens"]) {
      const double tokens = report.Number(carbon["tokens"], "carbon.tokens");
      carbon["per_token_g"] = NumberNode(Scaled(f, 1 / tokens).grams);
      carbon["per_million_tokens_g"] = NumberNode(Scaled(f, 1e6 / tokens).grams);
    }
    carbon["equivalents"]["tree_months"] = NumberNode(f.tree_months);
    carbon["equivalents"]["car_km"] = NumberNode(f.car_km);
  }
  if (YAML::Node gating = root["power_gating"]) {
    EnergyLedger scratch({"scratch"});
    const TilePower power(arch, tech, scratch);
    for (YAML::Node d : report.Child(gating, "domains", "power_gating")) {
      for (const PowerDomainResult& r : power.Results()) {
        if (r.domain != report.Child(d, "domain", "power_gating.domains").Scalar()) continue;
        d["leakage_mw_each"] = NumberNode(r.leakage_mw);
        d["break_even_cycles"] = NumberNode(r.break_even_cycles);
      }
    }
  }

  // The configuration now names the new table; the run's own tech overrides went with its table.
  YAML::Node resolved = config;
  resolved["tech_file"] = StringNode(tech.file);
  YAML::Node kept(YAML::NodeType::Sequence);
  for (const YAML::Node& o : report.Child(config, "overrides", "config")) {
    if (o.Scalar().rfind("tech.", 0) != 0) kept.push_back(StringNode(o.Scalar()));
  }
  for (const std::string& o : overrides) kept.push_back(StringNode(o));
  resolved["overrides"] = kept;
  JsonWriter tech_json;
  YamlToJson(tech_doc->root(), tech_json);
  resolved["tech"] = LoadJson(tech_json.str(), tech.file);

  JsonWriter out;
  WriteJsonNode(root, out);
  return out.str();
}

}  // namespace

std::string RepriceReportText(const std::string& report_json, const std::string& report_name,
                              const std::string& tech_path,
                              const std::vector<std::string>& overrides) {
  try {
    return RepriceTree(report_json, report_name, tech_path, overrides);
  } catch (const std::out_of_range& e) {  // a price the table lacks (TechTable's lookups)
    throw ConfigError({tech_path, 0, 0}, std::string(e.what()) + "; this run needs it");
  }
}

std::string RepriceReport(const RepriceInputs& inputs) {
  std::ifstream in(inputs.report_path, std::ios::binary);
  if (!in) throw ConfigError({inputs.report_path, 0, 0}, "cannot read the report");
  std::ostringstream text;
  text << in.rdbuf();
  return RepriceReportText(text.str(), inputs.report_path, inputs.tech_path, inputs.overrides);
}

}  // namespace pjsim
