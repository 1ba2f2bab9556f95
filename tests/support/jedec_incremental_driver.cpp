#include "jedec_incremental_driver.h"

#include <gtest/gtest.h>

#include <vector>

#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_controller.h"

namespace pjsim::test {

void ExpectIncrementalDriverMatchesAllQueued(const JedecParams& p, std::uint64_t seed,
                                             const std::string& what) {
  JedecBenchOptions o;
  o.pattern = "random-mix";
  o.requests = 1500;
  o.issue_interval = 5;
  o.range = 1 << 20;  // some row hits
  const std::vector<JedecRequest> stream = JedecBenchRequests(p, o);
  std::vector<JedecCompletion> all;
  {
    JedecController c(p);
    for (const JedecRequest& r : stream) c.Submit(r);
    for (std::uint64_t id = 0; id < stream.size(); ++id) all.push_back(c.RunUntil(id));
  }
  JedecController c(p);
  std::uint64_t next = 0, wake = 0;
  while (next < stream.size()) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;  // Knuth's MMIX LCG
    wake += 1 + (seed >> 33) % 40000;                               // ps
    while (next < stream.size() && stream[next].arrival_ps <= wake) c.Submit(stream[next++]);
    c.RunBefore(wake);
  }
  for (std::uint64_t id = 0; id < stream.size(); ++id) {
    const JedecCompletion d = c.RunUntil(id);
    EXPECT_EQ(d.accepted_ps, all[id].accepted_ps) << what << " request " << id;
    EXPECT_EQ(d.done_ps, all[id].done_ps) << what << " request " << id;
  }
}

}  // namespace pjsim::test
