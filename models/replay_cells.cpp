#include "models/replay_cells.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace pjsim {
namespace {

// The exponent of the lowest set bit of x's significand: x is a multiple of 2^result. x != 0
// and finite.
int QuantumExponent(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const auto biased = static_cast<int>(bits >> 52 & 0x7ff);
  std::uint64_t significand = bits & ((std::uint64_t{1} << 52) - 1);
  if (biased != 0) significand |= std::uint64_t{1} << 52;  // normal: the implicit bit
  return std::max(biased, 1) - 1075 + std::countr_zero(significand);
}

// floor(log2(x)) of a finite x > 0.
int FloorLog2(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const auto biased = static_cast<int>(bits >> 52 & 0x7ff);
  if (biased != 0) return biased - 1023;
  return -1074 + 63 - std::countl_zero(bits);  // subnormal
}

// Multiples of 2^exponent whose magnitudes sum below 2^(52 + exponent) (one bit of margin for
// the rounding of `magnitude` itself) add exactly: every partial sum is representable.
bool Representable(double magnitude, int exponent) {
  return magnitude == 0 || FloorLog2(magnitude) < 52 + exponent;
}

// The cells of a run's charges, in the order of their first charge: a cell's index found by
// its action for the charges of the layer that ran (almost all of them: a run charges a few
// dozen cells thousands of times), by a search for the rare charges of other layers.
class CellIndex {
 public:
  CellIndex(int layer, size_t actions) : layer_(layer), own_(actions, -1) {}

  size_t Of(std::vector<LayerReplay::Cell>& cells, const EnergyLedger::Entry& e) {
    if (e.layer == layer_) {
      std::int32_t& i = own_[static_cast<size_t>(e.action)];
      if (i < 0) i = static_cast<std::int32_t>(Add(cells, e));
      return static_cast<size_t>(i);
    }
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].layer == e.layer && cells[i].action == e.action) return i;
    }
    return Add(cells, e);
  }

 private:
  static size_t Add(std::vector<LayerReplay::Cell>& cells, const EnergyLedger::Entry& e) {
    cells.push_back({});
    cells.back().layer = e.layer;
    cells.back().action = e.action;
    cells.back().exponent = std::numeric_limits<int>::max();
    return cells.size() - 1;
  }

  int layer_;
  std::vector<std::int32_t> own_;  // per action: its cell for `layer_`, -1 if none yet
};

}  // namespace

std::vector<LayerReplay::Cell> ReplayCells(const std::vector<EnergyLedger::Entry>& charges,
                                           int layer, size_t actions) {
  std::vector<LayerReplay::Cell> cells;
  CellIndex index(layer, actions);
  // Per cell, the last charge whose exponent is taken: a cell is mostly charged one value again
  // and again (bits of equal transfers), whose exponent changes nothing the second time.
  std::vector<double> taken;
  std::vector<size_t> count;  // per cell, its charges
  for (const EnergyLedger::Entry& e : charges) {
    const size_t i = index.Of(cells, e);
    if (i >= taken.size()) {
      taken.resize(i + 1, 0.0);
      count.resize(i + 1, 0);
    }
    ++count[i];
    LayerReplay::Cell& c = cells[i];
    c.sum += e.count;  // exact if the cell is Representable; else replaced by its charges
    c.magnitude += std::fabs(e.count);
    if (e.count != 0 && e.count != taken[i]) {
      c.exponent = std::min(c.exponent, QuantumExponent(e.count));
      taken[i] = e.count;
    }
  }
  std::vector<bool> keeps(cells.size(), false);  // the cell keeps its charges
  for (size_t i = 0; i < cells.size(); ++i) {
    LayerReplay::Cell& c = cells[i];
    if (c.exponent == std::numeric_limits<int>::max()) {  // only zeros: adds nothing
      c.exponent = 0;
    } else if (!Representable(c.magnitude, c.exponent) ||
               // exact alone, but not added to its layer's value of a few passes
               (!Representable(std::ldexp(c.magnitude, kReplayCellHeadroomBits), c.exponent) &&
                count[i] <= kReplayCellMaxKeptCharges)) {
      c.sum = 0;
      keeps[i] = true;
    }
  }
  if (std::find(keeps.begin(), keeps.end(), true) != keeps.end()) {
    for (const EnergyLedger::Entry& e : charges) {
      const size_t i = index.Of(cells, e);
      if (keeps[i]) cells[i].charges.push_back(e.count);
    }
  }
  return cells;
}

bool SumAddsExactly(const LayerReplay::Cell& cell, double value) {
  if (value == 0) return true;
  const int exponent = std::min(cell.exponent, QuantumExponent(value));
  return Representable(std::fabs(value) + cell.magnitude, exponent);
}

}  // namespace pjsim
