#include "models/memory/jedec_sustained_rate.h"

#include <algorithm>
#include <cstdint>

#include "models/memory/jedec_bench.h"

namespace pjsim {

double JedecSustainedReadFraction(const JedecParams& p) {
  // Enough 64 B reads to cross eight refresh intervals at peak (refresh costs tRFC every tREFI:
  // a shorter stream would see it by phase, not by rate), and never fewer than 4096.
  JedecBenchOptions o;
  o.pattern = "seq-read";
  const std::int64_t bursts_per_request =
      std::max<std::int64_t>(1, static_cast<std::int64_t>(o.request_bytes) / p.BurstBytes());
  const std::int64_t clocks_per_request = bursts_per_request * p.BurstClocks();
  o.requests = std::clamp<std::int64_t>(8 * p.tREFI / clocks_per_request, 4096, 1 << 18);
  const JedecBenchResult r = RunJedecBench(p, o);
  if (!(r.bandwidth_GBps > 0) || !(r.peak_bandwidth_GBps > 0)) return 1;
  return std::min(1.0, r.bandwidth_GBps / r.peak_bandwidth_GBps);
}

}  // namespace pjsim
