#pragma once
// A recorded layer run's ledger charges as cells (models/layer_replay.h), one per (layer,
// action): the cell's sum where adding it at once gives what adding its charges one by one
// would, else its charges, added again in order. Whole-number-like counts (bits, ops) keep their
// sums; charges with fractional bits whose sum would not stay exact keep the charges.
#include <cstddef>
#include <vector>

#include "models/layer_replay.h"
#include "sim/energy/energy_ledger.h"

namespace pjsim {

// A cell whose sum stays exact alone but would not once its ledger value grew to 2^this times
// its magnitude keeps its charges, if it has at most kReplayCellMaxKeptCharges: else a layer
// that runs in every pass finds its record's sum inexact against its own earlier passes' value
// and is simulated again each time. A `jedec` channel's background times (rank-ns, sums of
// doubles) are such cells: an HBM2E decode's lm_head (1.3 ms of background per channel and pass)
// never replayed for them (docs/BENCHMARKS.md, "Records that stay exact, and row runs in
// registers").
inline constexpr int kReplayCellHeadroomBits = 16;
inline constexpr size_t kReplayCellMaxKeptCharges = size_t{1} << 16;

// The cells of a run of `layer`'s `charges` (the ledger having `actions` actions), in the order
// of their first charge.
std::vector<LayerReplay::Cell> ReplayCells(const std::vector<EnergyLedger::Entry>& charges,
                                           int layer, size_t actions);

// Adding the sum of `cell` (one that keeps no charges) to a ledger value of `value` gives what
// adding its charges one by one would: both are multiples of a power of two whose partial sums
// all fit a double's significand.
bool SumAddsExactly(const LayerReplay::Cell& cell, double value);

}  // namespace pjsim
