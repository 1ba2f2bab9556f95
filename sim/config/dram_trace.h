#pragma once
// A DRAM request trace in the formats the reference DRAM simulators read, so that `pjsim
// dram-bench --trace FILE` and DRAMsim3 or Ramulator 2 run the very same requests:
//   dramsim3   `ADDRESS OP CYCLE` per line, as DRAMsim3's trace CPU reads a transaction: the
//              address in hex (0x optional), OP one of WRITE, write, P_MEM_WR, BOFF (a write) or
//              READ, read, P_MEM_RD, P_FETCH (a read), CYCLE the memory clock it is due at;
//   ramulator  `LD ADDRESS` or `ST ADDRESS` per line, Ramulator 2's LoadStoreTrace (hex with 0x,
//              or decimal); no times: each request as soon as the controller takes it.
// Blank lines and lines starting with '#' are skipped. Anything else (an unknown OP, a field
// missing or left over, a number out of range) is a ConfigError at its file:line:column.
#include <cstdint>
#include <string>
#include <vector>

namespace pjsim {

enum class DramTraceFormat { kAuto, kDramsim3, kRamulator };

struct DramTraceEntry {
  std::uint64_t address = 0;
  bool write = false;
  std::uint64_t cycle = 0;  // due clock (dramsim3); 0 for ramulator
};

// At most this many requests (a trace's requests are all held in memory).
inline constexpr size_t kMaxDramTraceEntries = size_t{1} << 24;

// kAuto: ramulator when the first request line starts with LD or ST, else dramsim3.
std::vector<DramTraceEntry> ReadDramTrace(const std::string& path, DramTraceFormat format);

}  // namespace pjsim
