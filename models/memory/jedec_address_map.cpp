#include "models/memory/jedec_address_map.h"

#include <array>
#include <bit>
#include <stdexcept>

#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

enum Kind { kChannel, kRank, kBankGroup, kBank, kRow, kColumn, kKinds };
constexpr std::array<const char*, kKinds> kNames = {"ch", "ra", "bg", "ba", "ro", "co"};

int Bits(std::uint64_t count) { return std::countr_zero(count); }  // count is a power of two

std::array<int, kKinds> FieldBits(const JedecParams& p) {
  return {0,
          Bits(static_cast<std::uint64_t>(p.ranks)),
          Bits(static_cast<std::uint64_t>(p.bank_groups)),
          Bits(static_cast<std::uint64_t>(p.banks_per_group)),
          Bits(static_cast<std::uint64_t>(p.rows)),
          Bits(static_cast<std::uint64_t>(p.columns / p.burst_length))};
}

// The fields of `mapping` in order (most significant first), or an error message.
std::vector<int> Parse(const std::string& mapping, std::string& error) {
  std::vector<int> kinds;
  std::array<bool, kKinds> seen{};
  if (mapping.size() % 2 != 0) {
    error = "'" + mapping + "' is not a sequence of two-letter fields (ch ra bg ba ro co)";
    return {};
  }
  for (size_t i = 0; i < mapping.size(); i += 2) {
    const std::string f = mapping.substr(i, 2);
    int k = 0;
    while (k < kKinds && f != kNames[static_cast<size_t>(k)]) ++k;
    if (k == kKinds) {
      error = "unknown field '" + f + "' in '" + mapping + "' (fields: ch ra bg ba ro co)";
      return {};
    }
    if (seen[static_cast<size_t>(k)]) {
      error = "field '" + f + "' appears twice in '" + mapping + "'";
      return {};
    }
    seen[static_cast<size_t>(k)] = true;
    kinds.push_back(k);
  }
  for (int k = kRank; k < kKinds; ++k) {
    if (!seen[static_cast<size_t>(k)]) {
      error = "field '" + std::string(kNames[static_cast<size_t>(k)]) + "' missing from '" +
              mapping + "'";
      return {};
    }
  }
  return kinds;
}

}  // namespace

std::string JedecAddressMap::Check(const std::string& mapping) {
  std::string error;
  Parse(mapping, error);
  return error;
}

JedecAddressMap::JedecAddressMap(const JedecParams& p) {
  std::string error;
  const std::vector<int> kinds = Parse(p.address_mapping, error);
  if (!error.empty()) throw std::logic_error("unchecked address mapping: " + error);
  offset_bits_ = Bits(static_cast<std::uint64_t>(p.BurstBytes()));
  const auto bits = FieldBits(p);
  int shift = offset_bits_;
  for (auto it = kinds.rbegin(); it != kinds.rend(); ++it) {
    const int b = bits[static_cast<size_t>(*it)];
    fields_.push_back({*it, shift, (std::uint64_t{1} << b) - 1});
    if (*it != kChannel) {
      shift_[*it - kRank] = shift;
      mask_[*it - kRank] = (std::uint64_t{1} << b) - 1;
    }
    if (*it == kRow) row_stride_ = std::uint64_t{1} << shift;
    shift += b;
  }
  for (const Field& f : fields_) {
    if (f.mask == 0) continue;
    column_lowest_ = f.kind == kColumn;
    break;
  }
}

}  // namespace pjsim
