#include "models/memory/jedec_trace_requests.h"

#include <algorithm>

#include "models/memory/jedec_bench.h"

namespace pjsim {

std::vector<JedecRequest> JedecTraceRequests(const JedecParams& p,
                                             const std::vector<DramTraceEntry>& trace) {
  const std::uint64_t capacity = p.CapacityBytes();
  const std::uint64_t size = JedecBenchRequestBytes(p, JedecBenchOptions{});
  std::vector<JedecRequest> out;
  out.reserve(trace.size());
  std::uint64_t due = 0;
  for (const DramTraceEntry& e : trace) {
    JedecRequest r;
    r.address = e.address % capacity / size * size;
    r.bytes = size;
    r.write = e.write;
    due = std::max(due, p.ClocksToPs(static_cast<std::int64_t>(e.cycle)));
    r.arrival_ps = due;
    out.push_back(r);
  }
  return out;
}

}  // namespace pjsim
