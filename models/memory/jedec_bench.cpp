#include "models/memory/jedec_bench.h"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "models/memory/jedec_address_map.h"
#include "models/memory/jedec_power.h"

namespace pjsim {

const std::vector<std::string>& JedecBenchPatterns() {
  static const std::vector<std::string> patterns = {"seq-read",   "seq-write",  "random-read",
                                                    "random-mix", "row-stride", "stride"};
  return patterns;
}

std::uint64_t JedecBenchRequestBytes(const JedecParams& p, const JedecBenchOptions& o) {
  // A smaller request would move a whole burst for part of it.
  return std::max<std::uint64_t>(o.request_bytes, static_cast<std::uint64_t>(p.BurstBytes()));
}

std::vector<JedecRequest> JedecBenchRequests(const JedecParams& p, const JedecBenchOptions& o) {
  const std::uint64_t capacity = p.CapacityBytes();
  const std::uint64_t size = JedecBenchRequestBytes(p, o);
  const std::uint64_t range = o.range ? o.range : capacity;
  if (range < size) throw std::invalid_argument("range smaller than one request");
  const std::string& pat = o.pattern;
  double reads = o.read_fraction;
  if (reads < 0) reads = pat == "random-mix" ? 0.5 : pat == "seq-write" ? 0.0 : 1.0;
  std::uint64_t step = size;
  if (pat == "row-stride") step = JedecAddressMap(p).RowStride();
  if (pat == "stride") step = o.stride ? o.stride : size;
  const bool random = pat == "random-read" || pat == "random-mix";
  std::mt19937_64 rng(o.seed);
  const std::uint64_t slots = range / size;
  std::vector<JedecRequest> out;
  out.reserve(static_cast<size_t>(o.requests));
  const std::uint64_t interval_ps = p.ClocksToPs(o.issue_interval);
  for (std::int64_t i = 0; i < o.requests; ++i) {
    JedecRequest r;
    const auto n = static_cast<std::uint64_t>(i);
    r.address = random ? rng() % slots * size : n * step % (range - range % size);
    r.bytes = size;
    // A fixed-point draw, so that the stream is the same on every standard library.
    r.write = static_cast<double>(rng() >> 11) * 0x1.0p-53 >= reads;
    r.arrival_ps = n * interval_ps;
    out.push_back(r);
  }
  return out;
}

JedecBenchResult RunJedecRequests(const JedecParams& p, const std::vector<JedecRequest>& requests) {
  JedecController c(p);
  for (const JedecRequest& r : requests) c.Submit(r);
  const std::uint64_t end = c.RunAll();
  c.RefreshUntil(end);
  const std::uint64_t start = requests.empty() ? 0 : requests.front().arrival_ps;
  const JedecStats& s = c.stats();
  const JedecEnergy e(p);
  JedecBenchResult b;
  b.bytes = s.bytes_read + s.bytes_written;
  b.simulated_ns = static_cast<double>(end) * 1e-3;
  b.bandwidth_GBps = end > start ? b.bytes / (static_cast<double>(end - start) * 1e-3) : 0;
  b.peak_bandwidth_GBps = p.PeakBytesPerNs();
  const JedecLatency lat = SummarizeLatency(s);
  b.avg_read_latency_ns = lat.avg_ns;
  b.p99_read_latency_ns = lat.p99_ns;
  const std::int64_t accesses = s.row_hits + s.row_misses;
  b.row_hit_rate = accesses ? static_cast<double>(s.row_hits) / static_cast<double>(accesses) : 0;
  b.act = s.act;
  b.pre = s.pre;
  b.rd = s.rd;
  b.wr = s.wr;
  b.ref = s.ref;
  b.act_pj = static_cast<double>(s.act) * e.act_pj;
  b.read_pj = static_cast<double>(s.rd) * e.read_pj;
  b.write_pj = static_cast<double>(s.wr) * e.write_pj;
  b.refresh_pj = static_cast<double>(s.ref) * e.refresh_pj;
  const JedecStateTimes t = c.StateTimes(end);
  b.background_pj =
      e.precharge_standby * (t.standby_ns - t.active_ns) + e.active_standby * t.active_ns +
      e.precharge_powerdown * t.precharge_powerdown_ns + e.active_powerdown * t.active_powerdown_ns;
  b.io_pj = b.bytes * 8 * e.io_pj_per_bit;
  b.total_pj = b.act_pj + b.read_pj + b.write_pj + b.refresh_pj + b.background_pj + b.io_pj;
  b.pj_per_bit = b.bytes > 0 ? b.total_pj / (b.bytes * 8) : 0;
  b.refresh_ns = static_cast<double>(s.refresh_ps) * 1e-3;
  return b;
}

JedecBenchResult RunJedecBench(const JedecParams& p, const JedecBenchOptions& o) {
  return RunJedecRequests(p, JedecBenchRequests(p, o));
}

}  // namespace pjsim
