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

// Units accepted for a dimension, for "unknown unit" messages.
std::string UnitsOf(Dimension d);

}  // namespace pjsim
