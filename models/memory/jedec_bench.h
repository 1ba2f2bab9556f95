#pragma once
// The micro-benchmark behind `pjsim dram-bench`: drives one JedecController with a synthetic
// request pattern at full issue rate (or one request every `issue_interval` clocks) and
// summarises bandwidth, read latency, row hits, commands and energy. Plain C++, deterministic
// for a seed, so tests run it directly.
#include <cstdint>
#include <string>
#include <vector>

#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {

struct JedecBenchOptions {
  std::string pattern = "seq-read";  // one of JedecBenchPatterns()
  std::int64_t requests = 10000;
  std::uint64_t request_bytes = 64;  // raised to one burst where a burst is larger (GDDR5/5X)
  std::uint64_t stride = 0;          // bytes, for `stride` (0: the request size)
  double read_fraction = -1;         // < 0: the pattern's default (random-mix 0.5, else 1 or 0)
  std::uint64_t range = 0;           // bytes the random patterns cover (0: the whole channel)
  std::int64_t issue_interval = 0;   // clocks of tCK between requests; 0: as fast as accepted
  std::uint64_t seed = 1;
};

const std::vector<std::string>& JedecBenchPatterns();

struct JedecBenchResult {
  double bandwidth_GBps = 0, peak_bandwidth_GBps = 0;
  double avg_read_latency_ns = 0, p99_read_latency_ns = 0;
  double row_hit_rate = 0;  // per column access
  std::int64_t act = 0, pre = 0, rd = 0, wr = 0, ref = 0;
  double act_pj = 0, read_pj = 0, write_pj = 0, refresh_pj = 0, background_pj = 0, io_pj = 0;
  double total_pj = 0, pj_per_bit = 0;
  double simulated_ns = 0;
  double refresh_ns = 0;  // time the ranks were blocked by refresh (per-bank: in rank-equivalents)
  double bytes = 0;
};

// The request stream of a pattern (channel-local addresses, arrival times in ps).
// The bytes of each request: the options' size, raised to one burst where a burst is larger
// (a GDDR5 x32 channel's burst is 128 B, GDDR5X's 256 B; DRAMsim3's driver issues bursts).
std::uint64_t JedecBenchRequestBytes(const JedecParams& p, const JedecBenchOptions& o);
std::vector<JedecRequest> JedecBenchRequests(const JedecParams& p, const JedecBenchOptions& o);

JedecBenchResult RunJedecBench(const JedecParams& p, const JedecBenchOptions& o);
// As RunJedecBench, on a given request stream.
JedecBenchResult RunJedecRequests(const JedecParams& p, const std::vector<JedecRequest>& requests);

}  // namespace pjsim
