#include "sim/config/dram_trace.h"

#include <charconv>
#include <fstream>
#include <set>
#include <string_view>

#include "sim/config/config_error.h"
#include "sim/config/printable.h"

namespace pjsim {
namespace {

struct Token {
  std::string_view text;
  int column = 0;  // 1-based
};

std::vector<Token> Split(std::string_view line) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return out;
}

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}
  [[noreturn]] void Fail(int line, int column, const std::string& message) const {
    throw ConfigError({path_, line, column}, message);
  }
  // An address: hex with or without 0x (`hex`: DRAMsim3 reads it with std::hex), else hex only
  // with 0x and decimal otherwise (Ramulator's stoll / stoll(, 16)).
  std::uint64_t Address(const Token& t, int line, bool hex) const {
    std::string_view s = t.text;
    int base = hex ? 16 : 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      s.remove_prefix(2);
      base = 16;
    }
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
      Fail(line, t.column,
           "expected an address (" + std::string(hex ? "hex" : "0x hex or decimal") + "), got '" +
               PrintableToken(t.text) + "'");
    }
    return v;
  }
  std::uint64_t Cycle(const Token& t, int line) const {
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
    // 2^32 clocks (2.7 s of DDR4-3200): beyond a trace of any reference run, and a bound on the
    // refresh windows an idle channel is simulated through.
    if (ec != std::errc() || ptr != t.text.data() + t.text.size() || v > (std::uint64_t{1} << 32)) {
      Fail(line, t.column,
           "expected a cycle (a whole number up to 2^32), got '" + PrintableToken(t.text) + "'");
    }
    return v;
  }

 private:
  std::string path_;
};

}  // namespace

std::vector<DramTraceEntry> ReadDramTrace(const std::string& path, DramTraceFormat format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError({path, 0, 0}, "cannot read the DRAM trace");
  static const std::set<std::string_view> kWrites = {"WRITE", "write", "P_MEM_WR", "BOFF"};
  static const std::set<std::string_view> kReads = {"READ", "read", "P_MEM_RD", "P_FETCH"};
  const Reader r(path);
  std::vector<DramTraceEntry> out;
  std::string raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    const std::vector<Token> t = Split(raw);
    if (t.empty() || t[0].text[0] == '#') continue;
    if (format == DramTraceFormat::kAuto) {
      format = t[0].text == "LD" || t[0].text == "ST" ? DramTraceFormat::kRamulator
                                                      : DramTraceFormat::kDramsim3;
    }
    if (out.size() == kMaxDramTraceEntries) {
      r.Fail(line, 1, "more than " + std::to_string(kMaxDramTraceEntries) + " requests");
    }
    DramTraceEntry e;
    const size_t fields = format == DramTraceFormat::kDramsim3 ? 3 : 2;
    if (t.size() != fields) {
      const int column = t.size() > fields ? t[fields].column : static_cast<int>(raw.size()) + 1;
      r.Fail(line, column,
             format == DramTraceFormat::kDramsim3
                 ? "expected ADDRESS OP CYCLE (a DRAMsim3 trace line)"
                 : "expected LD ADDRESS or ST ADDRESS (a Ramulator 2 load/store trace line)");
    }
    if (format == DramTraceFormat::kDramsim3) {
      e.address = r.Address(t[0], line, true);
      if (kWrites.count(t[1].text)) {
        e.write = true;
      } else if (!kReads.count(t[1].text)) {
        r.Fail(line, t[1].column,
               "unknown operation '" + PrintableToken(t[1].text) +
                   "' (reads: READ, read, P_MEM_RD, P_FETCH; writes: WRITE, write, P_MEM_WR, "
                   "BOFF)");
      }
      e.cycle = r.Cycle(t[2], line);
    } else {
      if (t[0].text != "LD" && t[0].text != "ST") {
        r.Fail(line, t[0].column,
               "unknown operation '" + PrintableToken(t[0].text) + "' (LD or ST)");
      }
      e.write = t[0].text == "ST";
      e.address = r.Address(t[1], line, false);
    }
    out.push_back(e);
  }
  if (out.empty()) throw ConfigError({path, line, 0}, "the DRAM trace has no requests");
  return out;
}

}  // namespace pjsim
