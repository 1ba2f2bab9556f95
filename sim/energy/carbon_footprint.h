#pragma once
// The Green Algorithms method (Lannelongue, Grealey & Inouye, Advanced Science 2021): the carbon
// of some energy is energy x PUE x the carbon intensity where it is drawn. Applied to a simulated
// run's energy (report.json `carbon`) and to the CPU time of a sweep (its store's carbon.json).
#include <optional>
#include <string>

#include "sim/energy/carbon_table.h"

namespace pjsim {

// What a footprint is computed with: one location, the PUE, the equivalents.
struct CarbonInputs {
  std::string table;  // CarbonTable::file
  std::string method;
  CarbonLocation location;
  CarbonFactor pue;
  CarbonFactor tree_month_g, car_km_g;
};

// The value of a --pue flag: "" = none (the table's PUE); not a number is a ConfigError.
std::optional<double> ParsePueFlag(const std::string& text);

// `location` "" means the table's default; `pue` overrides the table's. An unknown location or a
// PUE below 1 is a ConfigError on the command line.
CarbonInputs SelectCarbon(const CarbonTable& table, const std::string& location,
                          std::optional<double> pue);

struct CarbonFootprint {
  double energy_kwh = 0;           // at the chip (or the CPU cores)
  double facility_energy_kwh = 0;  // energy_kwh x PUE
  double grams = 0;                // facility_energy_kwh x g_per_kwh
  double tree_months = 0;          // grams / tree_month_g
  double car_km = 0;               // grams / car_km_g
};

inline constexpr double kJoulesPerKwh = 3.6e6;

CarbonFootprint Footprint(const CarbonInputs& in, double energy_joules);

// A footprint scaled by `share` (e.g. 1 / tokens): every part scales alike.
CarbonFootprint Scaled(const CarbonFootprint& f, double share);

}  // namespace pjsim
