#pragma once
// Decodes a channel-local byte address into rank, bank group, bank, row and column under a
// field-order string, most significant field first, as DRAMsim3 and Ramulator write it
// ("rorabgbaco": ro=row, ra=rank, bg=bank group, ba=bank, co=column, ch=channel). Below the
// fields sit the byte offset within one burst; `co` counts bursts within a row. The model
// receives one channel's share of the address space (the arch's `interleave` picks the channel),
// so `ch` is accepted for configurations typed in from another simulator and takes no bits.
#include <cstdint>
#include <string>
#include <vector>

namespace pjsim {

struct JedecParams;

struct JedecAddress {
  std::uint32_t rank = 0, bank_group = 0, bank = 0;  // bank: index within its group
  std::uint64_t row = 0, column = 0;                 // column: burst index within the row
};

class JedecAddressMap {
 public:
  explicit JedecAddressMap(const JedecParams& p);
  // Empty if `mapping` is a valid field order for `p`, else what is wrong.
  static std::string Check(const std::string& mapping);

  // Inline: the controller decodes every row run it places.
  JedecAddress Decode(std::uint64_t address) const {
    const auto field = [&](int f) { return (address >> shift_[f]) & mask_[f]; };
    return {static_cast<std::uint32_t>(field(0)), static_cast<std::uint32_t>(field(1)),
            static_cast<std::uint32_t>(field(2)), field(3), field(4)};
  }
  // True if consecutive bursts walk the columns of one row (the lowest field with bits is `co`).
  bool ColumnIsLowest() const { return column_lowest_; }
  // The address step that moves to the next row of the same bank.
  std::uint64_t RowStride() const { return row_stride_; }
  // Bursts from one column to the next (the fields below the column cycle once): within a
  // column sweep (ColumnSweepBursts, aligned), any this many consecutive bursts touch every
  // (rank, bank, row) the sweep's bursts touch from there on.
  std::uint64_t ColumnCycleBursts() const { return std::uint64_t{1} << (shift_[4] - offset_bits_); }
  // Bursts of an aligned sweep of the column field: its bursts share every field above it.
  std::uint64_t ColumnSweepBursts() const { return ColumnCycleBursts() * (mask_[4] + 1); }

 private:
  struct Field {
    int kind = 0;  // index into the field table
    int shift = 0;
    std::uint64_t mask = 0;
  };
  // Shift and mask of rank, bank group, bank, row and column, in that order.
  int shift_[5] = {0, 0, 0, 0, 0};
  std::uint64_t mask_[5] = {0, 0, 0, 0, 0};
  int offset_bits_ = 0;
  bool column_lowest_ = false;
  std::uint64_t row_stride_ = 0;
  std::vector<Field> fields_;  // least significant first
};

}  // namespace pjsim
