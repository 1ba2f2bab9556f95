#pragma once
// The arithmetic-only energy convention common in the SNN literature (docs/SOURCES.md#opsonly):
//   E_ANN = MACs x (E_mult + E_add)          (45 nm fp32: 4.6 pJ per MAC)
//   E_SNN = MACs x rate x T x E_add          (45 nm fp32: 0.9 pJ per accumulate)
// It ignores memory traffic, membrane updates and leakage. pjsim reports it beside the full
// ledger so a reader can see how far the two verdicts diverge; it is never part of the total.
#include <string>
#include <vector>

#include "sim/energy/tech_table.h"
#include "sim/graph/layer.h"
#include "sim/graph/spiking.h"

namespace pjsim {

struct NaiveOpsPrices {
  double mac_pj = 0;  // E_mult + E_add of `format`
  double ac_pj = 0;   // E_add of `format`
};

// Prices from the table's "<format>_mult" and "<format>_add" ops (the convention uses fp32).
NaiveOpsPrices NaivePrices(const TechTable& tech, const std::string& format = "fp32");
double NaiveAnnEnergyPj(double macs, const NaiveOpsPrices& p);
double NaiveSnnEnergyPj(double macs, double rate, double timesteps, const NaiveOpsPrices& p);
// A spiking layer under the convention: synaptic ops = MACs x rate x T x adds per spike (graded
// spikes count one accumulate per set bit of their level, as the spiking tile executes them).
double NaiveSnnLayerEnergyPj(double macs, const SpikingConfig& s, const NaiveOpsPrices& p);

// The convention over a run: `macs[l]` is layer l's MACs as simulated.
struct OpsOnlyEstimate {
  double ann_layers_pj = 0;
  double snn_layers_pj = 0;
  double snn_macs = 0;
};
OpsOnlyEstimate EstimateOpsOnly(const std::vector<Layer>& layers, const std::vector<double>& macs,
                                const NaiveOpsPrices& p);

}  // namespace pjsim
