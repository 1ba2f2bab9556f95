#include "sim/energy/carbon_table.h"

#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

CarbonFactor Factor(ConfigMap m, const std::string& key, double min, double max) {
  CarbonFactor f;
  f.value = m.Number(key, min, max);
  f.source = m.String("source");
  if (f.source.empty()) m.Fail("source", "every carbon input needs a source");
  m.Finish();
  return f;
}

// A named entry must name one of `names`.
void RequireKnown(ConfigMap& root, const std::string& key, const std::string& value,
                  const std::string& what, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    if (n == value) return;
  }
  const std::string guess = DidYouMean(value, names);
  root.Fail(key, what + " '" + value + "' is not in the table" +
                     (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
}

}  // namespace

CarbonTable LoadCarbonTable(ConfigMap root, const std::string& file) {
  CarbonTable t;
  t.file = file;
  t.method = root.String("method");
  t.pue = Factor(root.Map("pue"), "value", 1.0, 10.0);
  ConfigMap locations = root.Map("locations");
  std::vector<std::string> location_keys = locations.Keys();
  for (const std::string& key : location_keys) {
    ConfigMap m = locations.Map(key);
    CarbonLocation l;
    l.key = key;
    l.name = m.String("name");
    l.g_per_kwh = m.Number("g_per_kwh", 0.0, 1e4);
    l.year = static_cast<int>(m.Int("year", 1990, 2100));
    l.source = m.String("source");
    if (l.source.empty()) m.Fail("source", "every location needs a source");
    m.Finish();
    t.locations[key] = l;
  }
  locations.Finish();
  if (location_keys.empty()) locations.FailHere("needs at least one location");
  t.default_location = root.String("default_location");
  RequireKnown(root, "default_location", t.default_location, "location", location_keys);

  ConfigMap eq = root.Map("equivalents");
  t.tree_month_g = Factor(eq.Map("tree_month"), "g", 1e-9, 1e9);
  t.car_km_g = Factor(eq.Map("car_km"), "g", 1e-9, 1e9);
  eq.Finish();

  ConfigMap cpus = root.Map("cpus");
  std::vector<std::string> cpu_keys = cpus.Keys();
  for (const std::string& key : cpu_keys)
    t.cpu_w_per_core[key] = Factor(cpus.Map(key), "w_per_core", 1e-3, 1e4);
  cpus.Finish();
  if (cpu_keys.empty()) cpus.FailHere("needs at least one CPU");
  t.default_cpu = root.String("default_cpu");
  RequireKnown(root, "default_cpu", t.default_cpu, "CPU", cpu_keys);
  root.Finish();
  return t;
}

CarbonTable LoadCarbonTableFile(const std::string& path) {
  if (path.empty()) {
    return LoadCarbonTable(
        ConfigMap::Root(ConfigDocument::Parse(BuiltInCarbonTableText(), kBuiltInCarbonTable)),
        kBuiltInCarbonTable);
  }
  return LoadCarbonTable(ConfigMap::Root(ConfigDocument::Load(path)), path);
}

}  // namespace pjsim
