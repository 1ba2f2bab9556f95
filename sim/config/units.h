#pragma once
// Physical quantities in config files: "0.03 pJ", "1 GHz", "256 KiB", "25.6 GB/s", "50 ns".
// Every dimensioned value in YAML carries its unit; a bare number is rejected so that a table can
// never be misread by a factor of 1000. Values are converted to the base unit of their dimension.
#include <optional>
#include <string>
#include <string_view>

namespace pjsim {

enum class Dimension {
  kEnergy,          // base: pJ
  kEnergyPerBit,    // base: pJ/bit
  kEnergyPerBitMm,  // base: pJ/(bit*mm)
  kPower,           // base: mW
  kFrequency,       // base: Hz
  kTime,            // base: s
  kCycles,          // base: cycles (of the accelerator clock)
  kBytes,           // base: bytes
  kBandwidth,       // base: bytes/s
  kBytesPerCycle,   // base: bytes/cycle
  kVoltage,         // base: V
  kLength,          // base: mm
  kPowerPerKiB,     // base: mW/KiB (SRAM leakage)
};

// Human name of a dimension and an example value, for error messages.
std::string_view DimensionName(Dimension d);
std::string_view DimensionExample(Dimension d);

struct Quantity {
  double value = 0;  // in the base unit of `dimension`
  Dimension dimension = Dimension::kEnergy;
};

// Parses "<number> <unit>" (space optional). Returns nullopt and fills `error` if the text is not a
// number followed by a known unit.
std::optional<Quantity> ParseQuantity(std::string_view text, std::string* error);

// The largest value of each dimension a config may give (in the base unit), and for a frequency
// the smallest: beyond these, times in picoseconds (uint64, 2^64 ps = 213 days) and cycle counts
// stop being representable, so an absurd value is an input error, not a wrapped report.
// docs/LIMITS.md derives each bound.
struct DimensionRange {
  double min = 0;  // exclusive lower bound is 0 for every dimension but frequency
  double max = 0;
};
DimensionRange RangeOf(Dimension d);

// The same for durations counted in cycles (`20 cycles`).
inline constexpr double kMaxDurationCycles = 1e9;

// The base unit's name ("pJ", "Hz", "B/s").
std::string_view BaseUnitOf(Dimension d);

// Units accepted for a dimension, for "unknown unit" messages.
std::string UnitsOf(Dimension d);

}  // namespace pjsim
