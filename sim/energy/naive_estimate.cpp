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

OpsOnlyEstimate EstimateOpsOnly(const std::vector<Layer>& layers, const std::vector<double>& macs,
                                const NaiveOpsPrices& p) {
  OpsOnlyEstimate e;
  for (size_t l = 0; l < layers.size(); ++l) {
    if (layers[l].spiking.enabled()) {
      e.snn_layers_pj += NaiveSnnLayerEnergyPj(macs[l], layers[l].spiking, p);
      e.snn_macs += macs[l];
    } else {
      e.ann_layers_pj += NaiveAnnEnergyPj(macs[l], p);
    }
  }
  return e;
}

}  // namespace pjsim
