#include "sim/config/units.h"

#include <array>
#include <charconv>
#include <cmath>

namespace pjsim {
namespace {

struct UnitDef {
  std::string_view name;
  Dimension dimension;
  double to_base;
};

constexpr double kKi = 1024.0;
constexpr std::array kUnits = {
    UnitDef{"fJ", Dimension::kEnergy, 1e-3},
    UnitDef{"pJ", Dimension::kEnergy, 1.0},
    UnitDef{"nJ", Dimension::kEnergy, 1e3},
    UnitDef{"uJ", Dimension::kEnergy, 1e6},
    UnitDef{"mJ", Dimension::kEnergy, 1e9},
    UnitDef{"J", Dimension::kEnergy, 1e12},
    UnitDef{"fJ/bit", Dimension::kEnergyPerBit, 1e-3},
    UnitDef{"pJ/bit", Dimension::kEnergyPerBit, 1.0},
    UnitDef{"nJ/bit", Dimension::kEnergyPerBit, 1e3},
    UnitDef{"fJ/bit/mm", Dimension::kEnergyPerBitMm, 1e-3},
    UnitDef{"pJ/bit/mm", Dimension::kEnergyPerBitMm, 1.0},
    UnitDef{"pW", Dimension::kPower, 1e-9},
    UnitDef{"nW", Dimension::kPower, 1e-6},
    UnitDef{"uW", Dimension::kPower, 1e-3},
    UnitDef{"mW", Dimension::kPower, 1.0},
    UnitDef{"W", Dimension::kPower, 1e3},
    UnitDef{"nW/KiB", Dimension::kPowerPerKiB, 1e-6},
    UnitDef{"uW/KiB", Dimension::kPowerPerKiB, 1e-3},
    UnitDef{"mW/KiB", Dimension::kPowerPerKiB, 1.0},
    UnitDef{"Hz", Dimension::kFrequency, 1.0},
    UnitDef{"kHz", Dimension::kFrequency, 1e3},
    UnitDef{"MHz", Dimension::kFrequency, 1e6},
    UnitDef{"GHz", Dimension::kFrequency, 1e9},
    UnitDef{"ps", Dimension::kTime, 1e-12},
    UnitDef{"ns", Dimension::kTime, 1e-9},
    UnitDef{"us", Dimension::kTime, 1e-6},
    UnitDef{"ms", Dimension::kTime, 1e-3},
    UnitDef{"s", Dimension::kTime, 1.0},
    UnitDef{"cycle", Dimension::kCycles, 1.0},
    UnitDef{"cycles", Dimension::kCycles, 1.0},
    UnitDef{"bit", Dimension::kBytes, 1.0 / 8},
    UnitDef{"bits", Dimension::kBytes, 1.0 / 8},
    UnitDef{"B", Dimension::kBytes, 1.0},
    UnitDef{"KiB", Dimension::kBytes, kKi},
    UnitDef{"MiB", Dimension::kBytes, kKi* kKi},
    UnitDef{"GiB", Dimension::kBytes, kKi* kKi* kKi},
    UnitDef{"kB", Dimension::kBytes, 1e3},
    UnitDef{"KB", Dimension::kBytes, 1e3},
    UnitDef{"MB", Dimension::kBytes, 1e6},
    UnitDef{"GB", Dimension::kBytes, 1e9},
    UnitDef{"B/s", Dimension::kBandwidth, 1.0},
    UnitDef{"MB/s", Dimension::kBandwidth, 1e6},
    UnitDef{"GB/s", Dimension::kBandwidth, 1e9},
    UnitDef{"TB/s", Dimension::kBandwidth, 1e12},
    UnitDef{"MiB/s", Dimension::kBandwidth, kKi* kKi},
    UnitDef{"GiB/s", Dimension::kBandwidth, kKi* kKi* kKi},
    UnitDef{"B/cycle", Dimension::kBytesPerCycle, 1.0},
    UnitDef{"bit/cycle", Dimension::kBytesPerCycle, 1.0 / 8},
    UnitDef{"bits/cycle", Dimension::kBytesPerCycle, 1.0 / 8},
    UnitDef{"mV", Dimension::kVoltage, 1e-3},
    UnitDef{"V", Dimension::kVoltage, 1.0},
    UnitDef{"um", Dimension::kLength, 1e-3},
    UnitDef{"mm", Dimension::kLength, 1.0},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view DimensionName(Dimension d) {
  switch (d) {
    case Dimension::kEnergy:
      return "an energy";
    case Dimension::kEnergyPerBit:
      return "an energy per bit";
    case Dimension::kEnergyPerBitMm:
      return "an energy per bit per mm";
    case Dimension::kPower:
      return "a power";
    case Dimension::kFrequency:
      return "a frequency";
    case Dimension::kTime:
      return "a time";
    case Dimension::kCycles:
      return "a cycle count";
    case Dimension::kBytes:
      return "a size";
    case Dimension::kBandwidth:
      return "a bandwidth";
    case Dimension::kBytesPerCycle:
      return "a width per cycle";
    case Dimension::kVoltage:
      return "a voltage";
    case Dimension::kLength:
      return "a length";
    case Dimension::kPowerPerKiB:
      return "a power per KiB";
  }
  return "a quantity";
}

std::string_view DimensionExample(Dimension d) {
  switch (d) {
    case Dimension::kEnergy:
      return "0.03 pJ";
    case Dimension::kEnergyPerBit:
      return "20 pJ/bit";
    case Dimension::kEnergyPerBitMm:
      return "40 fJ/bit/mm";
    case Dimension::kPower:
      return "5 mW";
    case Dimension::kFrequency:
      return "1 GHz";
    case Dimension::kTime:
      return "50 ns";
    case Dimension::kCycles:
      return "2 cycles";
    case Dimension::kBytes:
      return "256 KiB";
    case Dimension::kBandwidth:
      return "25.6 GB/s";
    case Dimension::kBytesPerCycle:
      return "32 B/cycle";
    case Dimension::kVoltage:
      return "0.9 V";
    case Dimension::kLength:
      return "1 mm";
    case Dimension::kPowerPerKiB:
      return "5 uW/KiB";
  }
  return "1";
}

DimensionRange RangeOf(Dimension d) {
  switch (d) {
    case Dimension::kEnergy:
      return {0, 1e12};  // 1 J per action
    case Dimension::kEnergyPerBit:
    case Dimension::kEnergyPerBitMm:
      return {0, 1e6};  // 1 uJ per bit
    case Dimension::kPower:
      return {0, 1e6};  // 1 kW
    case Dimension::kPowerPerKiB:
      return {0, 1e3};  // 1 W per KiB
    case Dimension::kFrequency:
      return {1e6, 1e12};  // a cycle is 1 ps to 1 us
    case Dimension::kTime:
      return {0, 1.0};  // one latency: 1 s
    case Dimension::kCycles:
      return {0, kMaxDurationCycles};
    case Dimension::kBytes:
      return {0, 0x1p50};  // 1 PiB
    case Dimension::kBandwidth:
      return {1e6, 1e18};  // 1 MB/s .. 1 EB/s
    case Dimension::kBytesPerCycle:
      return {0, 0x1p20};  // 1 MiB per cycle
    case Dimension::kVoltage:
      return {0, 100};
    case Dimension::kLength:
      return {0, 1e3};  // 1 m
  }
  return {0, 0};
}

std::string_view BaseUnitOf(Dimension d) {
  for (const auto& u : kUnits) {
    if (u.dimension == d && u.to_base == 1.0) return u.name;
  }
  return "";
}

std::string UnitsOf(Dimension d) {
  std::string out;
  for (const auto& u : kUnits) {
    if (u.dimension != d) continue;
    if (!out.empty()) out += ", ";
    out += u.name;
  }
  return out;
}

std::optional<Quantity> ParseQuantity(std::string_view text, std::string* error) {
  text = Trim(text);
  double number = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, number);
  if (ec != std::errc() || ptr == begin) {
    *error = "'" + std::string(text) + "' is not a number with a unit";
    return std::nullopt;
  }
  if (!std::isfinite(number)) {
    *error = "'" + std::string(text) + "' is not a finite number";
    return std::nullopt;
  }
  const std::string_view unit = Trim(std::string_view(ptr, static_cast<size_t>(end - ptr)));
  if (unit.empty()) {
    *error = "'" + std::string(text) + "' has no unit";
    return std::nullopt;
  }
  for (const auto& u : kUnits) {
    if (u.name == unit) return Quantity{number * u.to_base, u.dimension};
  }
  *error = "unknown unit '" + std::string(unit) + "' in '" + std::string(text) + "'";
  return std::nullopt;
}

}  // namespace pjsim
