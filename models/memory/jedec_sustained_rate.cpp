#include "models/memory/jedec_sustained_rate.h"

#include <algorithm>
#include <cstdint>

#include "models/memory/jedec_bench.h"

namespace pjsim {

double JedecSustainedReadFraction(const JedecParams& p) {
  // Enough 64 B reads to cross eight refresh intervals at peak (refresh costs tRFC every tREFI:
  // a shorter stream would see it by phase, not by rate), never fewer than 4096, and at most
  // 65536 (about 30 ms; a refresh interval longer than the presets' 12480 clocks is then crossed
  // fewer times).
  JedecBenchOptions o;
  o.pattern = "seq-read";
  const std::int64_t bursts_per_request =
      std::max<std::int64_t>(1, static_cast<std::int64_t>(o.request_bytes) / p.BurstBytes());
  const std::int64_t clocks_per_request = bursts_per_request * p.BurstClocks();
  o.requests =
      p.refresh ? std::clamp<std::int64_t>(8 * p.tREFI / clocks_per_request, 4096, 1 << 16) : 4096;
  const JedecBenchResult r = RunJedecBench(p, o);
  if (!(r.bandwidth_GBps > 0) || !(r.peak_bandwidth_GBps > 0)) return 1;
  return std::min(1.0, r.bandwidth_GBps / r.peak_bandwidth_GBps);
}

double JedecParams::SustainedReadFraction() const {
  if (!sustained_rate) return 1;
  std::call_once(sustained_rate->once,
                 [&] { sustained_rate->fraction = JedecSustainedReadFraction(*this); });
  return sustained_rate->fraction;
}

}  // namespace pjsim
