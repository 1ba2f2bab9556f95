#include "sim/run/run_config.h"

#include <algorithm>
#include <filesystem>

namespace pjsim {
namespace {

void ApplyOverrides(const std::vector<std::string>& overrides, const std::string& prefix,
                    ConfigDocument& doc) {
  for (const auto& o : overrides) {
    const auto eq = o.find('=');
    const std::string flag = "--set " + o;
    if (eq == std::string::npos) {
      throw ConfigError({"<command line>", 0, 0}, flag + ": expected KEY=VALUE");
    }
    const std::string key = o.substr(0, eq);
    const auto dot = key.find('.');
    const std::string scope = key.substr(0, dot);
    if (scope != "arch" && scope != "tech" && scope != "workload") {
      throw ConfigError({"<command line>", 0, 0},
                        flag + ": key must start with arch., tech. or workload.");
    }
    if (dot == std::string::npos) {
      throw ConfigError({"<command line>", 0, 0}, flag + ": missing key after '" + scope + ".'");
    }
    if (scope == prefix) doc.Override(key.substr(dot + 1), o.substr(eq + 1), flag);
  }
}

// `path` with the overrides of `prefix` applied; a document no override touches is shared with
// the run configurations loaded before it (ConfigDocument::LoadShared).
std::shared_ptr<const ConfigDocument> LoadScope(const std::string& path,
                                                const std::vector<std::string>& overrides,
                                                const std::string& prefix) {
  const bool overridden = std::any_of(overrides.begin(), overrides.end(),
                                      [&](const auto& o) { return o.rfind(prefix + ".", 0) == 0; });
  if (!overridden) return ConfigDocument::LoadShared(path);
  auto doc = ConfigDocument::Load(path);
  ApplyOverrides(overrides, prefix, *doc);
  return doc;
}

}  // namespace

void KeepOnlyLayer(const std::string& name, Workload& w) {
  const std::vector<Layer>& layers = w.graph->layers();
  const auto it =
      std::find_if(layers.begin(), layers.end(), [&](const Layer& l) { return l.name == name; });
  if (it == layers.end()) {
    throw ConfigError({"<command line>", 0, 0},
                      "--only-layer: workload " + w.file + " has no layer '" + name + "'");
  }
  if (!SameInEveryPass(w.phase, *it)) {
    throw ConfigError({"<command line>", 0, 0},
                      "--only-layer: layer '" + name + "' of decode workload " + w.file +
                          " changes from pass to pass (attention and its KV cache, routed "
                          "experts); a decode workload's other layers only");
  }
  if (w.phase == Phase::kDecode) {  // the same in every pass: one pass of it stands for all
    w.phase = Phase::kSinglePass;
    w.decode_tokens = 1;
    w.decode_sampling = 1;
  }
  Layer alone = *it;
  alone.inputs.clear();
  alone.after.clear();
  w.graph = std::make_shared<const LayerGraph>(std::vector<Layer>{alone});
}

bool SameInEveryPass(Phase phase, const Layer& layer) {
  return phase != Phase::kDecode || (!layer.GrowsPerDecodeStep() && !layer.expert.enabled());
}

RunConfig LoadRunConfig(const RunInputs& inputs, const std::string& only_layer) {
  RunConfig c;
  // Validate override syntax before reading anything, so a bad flag is reported as such.
  {
    auto scratch = ConfigDocument::Parse("{}", "<command line>");
    ApplyOverrides(inputs.overrides, "", *scratch);
  }
  c.arch_doc = LoadScope(inputs.arch_path, inputs.overrides, "arch");
  ConfigMap arch_root = ConfigMap::Root(c.arch_doc);

  std::string tech_path = inputs.tech_path;
  if (tech_path.empty()) {
    const std::string rel = arch_root.String("tech");
    tech_path = (std::filesystem::path(inputs.arch_path).parent_path() / rel).string();
  } else {
    arch_root.Has("tech");  // named in the file but overridden on the command line
  }
  c.tech_doc = LoadScope(tech_path, inputs.overrides, "tech");
  c.tech = LoadTechTable(ConfigMap::Root(c.tech_doc), tech_path);

  c.arch = ReadArchConfig(arch_root, c.tech.clock_hz);
  if (!c.tech.dram.count(c.arch.dram.type)) {
    std::string known;
    for (const auto& [name, d] : c.tech.dram) known += (known.empty() ? "" : ", ") + name;
    const YAML::Node& root = c.arch_doc->root();
    ConfigMap dram(c.arch_doc, root["dram"], "dram");
    dram.Fail("type", "DRAM type '" + c.arch.dram.type + "' is not in technology table " +
                          tech_path + " (known: " + known + ")");
  }

  c.workload_doc = LoadScope(inputs.workload_path, inputs.overrides, "workload");
  c.workload = ReadWorkload(ConfigMap::Root(c.workload_doc));
  if (!only_layer.empty()) KeepOnlyLayer(only_layer, c.workload);
  c.only_layer = only_layer;
  return c;
}

std::string ResolvedConfigYaml(const RunConfig& config, const RunInputs& inputs) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "arch_file" << YAML::Value << config.arch.file;
  out << YAML::Key << "tech_file" << YAML::Value << config.tech.file;
  out << YAML::Key << "workload_file" << YAML::Value << config.workload.file;
  out << YAML::Key << "overrides" << YAML::Value << YAML::BeginSeq;
  for (const auto& o : inputs.overrides) out << o;
  out << YAML::EndSeq;
  if (!config.only_layer.empty())
    out << YAML::Key << "only_layer" << YAML::Value << config.only_layer;
  out << YAML::Key << "arch" << YAML::Value << config.arch_doc->root();
  out << YAML::Key << "tech" << YAML::Value << config.tech_doc->root();
  out << YAML::Key << "workload" << YAML::Value << config.workload_doc->root();
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace pjsim
