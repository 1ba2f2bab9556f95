#include "sim/energy/carbon_footprint.h"

#include <charconv>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {

std::optional<double> ParsePueFlag(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size())
    throw ConfigError({"<command line>", 0, 0}, "--pue expects a number, got '" + text + "'");
  return x;
}

CarbonInputs SelectCarbon(const CarbonTable& table, const std::string& location,
                          std::optional<double> pue) {
  const SourceLocation command_line{"<command line>", 0, 0};
  const std::string key = location.empty() ? table.default_location : location;
  const auto it = table.locations.find(key);
  if (it == table.locations.end()) {
    std::vector<std::string> names;
    std::string known;
    for (const auto& [name, l] : table.locations) {
      names.push_back(name);
      known += (known.empty() ? "" : ", ") + name;
    }
    const std::string guess = DidYouMean(key, names);
    throw ConfigError(command_line, "--carbon: location '" + key + "' is not in " + table.file +
                                        (guess.empty() ? "" : " (did you mean '" + guess + "'?)") +
                                        "; known: " + known);
  }
  CarbonInputs in;
  in.table = table.file;
  in.method = table.method;
  in.location = it->second;
  in.pue = table.pue;
  if (pue) {
    if (!(*pue >= 1.0 && *pue <= 10.0))
      throw ConfigError(command_line,
                        "--pue expects a number in [1, 10], got " + std::to_string(*pue));
    in.pue = {*pue, "--pue on the command line"};
  }
  in.tree_month_g = table.tree_month_g;
  in.car_km_g = table.car_km_g;
  return in;
}

CarbonFootprint Footprint(const CarbonInputs& in, double energy_joules) {
  CarbonFootprint f;
  f.energy_kwh = energy_joules / kJoulesPerKwh;
  f.facility_energy_kwh = f.energy_kwh * in.pue.value;
  f.grams = f.facility_energy_kwh * in.location.g_per_kwh;
  f.tree_months = f.grams / in.tree_month_g.value;
  f.car_km = f.grams / in.car_km_g.value;
  return f;
}

CarbonFootprint Scaled(const CarbonFootprint& f, double share) {
  return {f.energy_kwh * share, f.facility_energy_kwh * share, f.grams * share,
          f.tree_months * share, f.car_km * share};
}

}  // namespace pjsim
