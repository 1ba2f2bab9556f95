#include "sim/energy/naive_estimate.h"

namespace pjsim {

NaiveOpsPrices NaivePrices(const TechTable& tech, const std::string& format) {
  const double add = tech.Op(format + "_add").value;
  return {tech.Op(format + "_mult").value + add, add};
}

double NaiveAnnEnergyPj(double macs, const NaiveOpsPrices& p) { return macs * p.mac_pj; }

double NaiveSnnEnergyPj(double macs, double rate, double timesteps, const NaiveOpsPrices& p) {
  return macs * rate * timesteps * p.ac_pj;
}

double NaiveSnnLayerEnergyPj(double macs, const SpikingConfig& s, const NaiveOpsPrices& p) {
  return NaiveSnnEnergyPj(macs, s.input_rate * s.AddsPerSpike(), static_cast<double>(s.timesteps),
                          p);
}

}  // namespace pjsim
