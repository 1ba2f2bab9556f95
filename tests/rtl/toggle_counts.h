#pragma once
// Reads Verilator --coverage-toggle counts of one model (its VerilatedContext) into memory.
// Each point is one bit of one signal; its count is the number of 0->1 plus 1->0 transitions
// since the last VerilatedCovContext::zero(). Verilator 5.006 only exposes the counts through
// write(file), so this writes a temporary file and parses lines of the form
//   C '<0x01>key<0x02>value<0x01>key<0x02>value...' count
// keeping the keys h (instance hierarchy, e.g. "top.ternary_dot.g_lane[3].g_real.u_lane") and
// o (signal bit, e.g. "lane_q[4]"). Per-instance counts (forcePerInstance) are kept.
#include <verilated.h>
#include <verilated_cov.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pjsim::test {

struct TogglePoint {
  std::string hier;    // instance path
  std::string signal;  // signal name with bit index
  std::uint64_t count = 0;
};

class ToggleCounts {
 public:
  // Snapshot of all toggle points of `ctx`; `scratch` is a writable file path.
  static ToggleCounts Read(VerilatedContext& ctx, const std::string& scratch) {
    // Without this, write() sums points that differ only in hierarchy (all PEs into one
    // "g_pe_row[*]..." line): per-instance counts need forcePerInstance.
    ctx.coveragep()->forcePerInstance(true);
    ctx.coveragep()->write(scratch.c_str());
    std::ifstream in(scratch);
    if (!in) throw std::runtime_error("cannot read coverage file " + scratch);
    ToggleCounts out;
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("C '", 0) != 0) continue;
      const std::size_t close = line.rfind('\'');
      if (close == std::string::npos || close < 3) continue;
      const std::string_view keys(line.data() + 3, close - 3);
      TogglePoint p;
      bool toggle = false;
      std::size_t pos = 0;
      while (pos < keys.size()) {
        const std::size_t kstart = keys.find('\x01', pos);
        if (kstart == std::string_view::npos) break;
        const std::size_t vstart = keys.find('\x02', kstart);
        if (vstart == std::string_view::npos) break;
        std::size_t vend = keys.find('\x01', vstart);
        if (vend == std::string_view::npos) vend = keys.size();
        const std::string_view key = keys.substr(kstart + 1, vstart - kstart - 1);
        const std::string_view value = keys.substr(vstart + 1, vend - vstart - 1);
        if (key == "h") p.hier = value;
        if (key == "o") p.signal = value;
        if (key == "page" && value.rfind("v_toggle", 0) == 0) toggle = true;
        pos = vend;
      }
      if (!toggle) continue;
      p.count = std::stoull(line.substr(close + 1));
      out.points_.push_back(std::move(p));
    }
    std::remove(scratch.c_str());
    return out;
  }

  // Sum over points whose instance path ends with `hier_suffix` and whose signal name is
  // `signal` (any bit: "lane_q" matches "lane_q[0]" .. "lane_q[8]" and a scalar "lane_q").
  std::uint64_t Sum(std::string_view hier_suffix, std::string_view signal) const {
    std::uint64_t sum = 0;
    for (const TogglePoint& p : points_) {
      if (!EndsWith(p.hier, hier_suffix)) continue;
      const std::string_view s = p.signal;
      if (s.substr(0, signal.size()) != signal) continue;
      if (s.size() != signal.size() && s[signal.size()] != '[') continue;
      sum += p.count;
    }
    return sum;
  }

  // Number of points (bits) matched by Sum(hier_suffix, signal): 0 means the signal is not covered.
  std::size_t Bits(std::string_view hier_suffix, std::string_view signal) const {
    std::size_t n = 0;
    for (const TogglePoint& p : points_) {
      const std::string_view s = p.signal;
      if (EndsWith(p.hier, hier_suffix) && s.substr(0, signal.size()) == signal &&
          (s.size() == signal.size() || s[signal.size()] == '[')) {
        ++n;
      }
    }
    return n;
  }

  const std::vector<TogglePoint>& points() const { return points_; }

 private:
  static bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  }
  std::vector<TogglePoint> points_;
};

}  // namespace pjsim::test
