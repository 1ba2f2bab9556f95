#pragma once
// The inputs of the Green Algorithms method (Lannelongue, Grealey & Inouye, Advanced Science 2021):
// carbon intensity per location, the data-centre PUE, the equivalents the paper reports carbon
// in, and power per CPU core. Loaded from configs/carbon/locations.yaml, which is also built into
// pjsim as the default table (docs/CARBON.md).
#include <map>
#include <string>

namespace pjsim {

class ConfigMap;

struct CarbonFactor {
  double value = 0;  // in the unit the field's name gives
  std::string source;
};

struct CarbonLocation {
  std::string key;   // "world", "france", ...
  std::string name;  // "World average"
  double g_per_kwh = 0;
  int year = 0;  // of the source's data
  std::string source;
};

struct CarbonTable {
  std::string file;  // where it was read from; "(built in)" names the built-in copy
  std::string method;
  std::string default_location, default_cpu;
  CarbonFactor pue;
  std::map<std::string, CarbonLocation> locations;
  CarbonFactor tree_month_g, car_km_g;
  std::map<std::string, CarbonFactor> cpu_w_per_core;
};

CarbonTable LoadCarbonTable(ConfigMap root, const std::string& file);
// Reads `path`; "" reads the built-in copy of configs/carbon/locations.yaml.
CarbonTable LoadCarbonTableFile(const std::string& path);

// The text of configs/carbon/locations.yaml as it was when pjsim was built (generated source).
const char* BuiltInCarbonTableText();
// The name the built-in table goes by in reports and errors.
inline constexpr const char* kBuiltInCarbonTable = "configs/carbon/locations.yaml (built in)";

}  // namespace pjsim
