#pragma once
// The `jedec` controller's fast paths against burst-by-burst scheduling (`exact: true`): the
// drivers (one request at a time as the per-transaction adapter; requests handed over as they
// arrive as the interleaving adapter), a randomized request stream and the comparison of every
// outcome (tests/unit/jedec_rotation_test.cpp, jedec_stream_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim::test {

inline constexpr std::uint64_t kNs = 1000;

struct Outcome {
  JedecStats stats;
  JedecStateTimes states;
  std::vector<JedecCompletion> completions;
  std::uint64_t rotated = 0;
  std::uint64_t streamed = 0;
  std::uint64_t one_group = 0;
  std::uint64_t stream_row_runs = 0;  // placed several per stream step (StreamRows)
};

// The counts and state times once every request has completed (the last data at `end`), with
// the refreshes due until a little later.
inline void Finish(JedecController& c, std::uint64_t end, Outcome& o) {
  c.RefreshUntil(end + 50 * kNs);
  o.stats = c.stats();
  o.states = c.StateTimes(end + 50 * kNs);
  o.rotated = c.RotatedBursts();
  o.streamed = c.StreamedBursts();
  o.one_group = c.OneGroupDecisions();
  o.stream_row_runs = c.StreamRowRuns();
}

// One request at a time, each run to completion (the platform's per-transaction service);
// `stream_rows` false: the stream places one row run per step (JedecController::StreamRows off).
inline Outcome OneAtATimeRows(const JedecParams& p, const std::vector<JedecRequest>& requests,
                              bool stream, bool stream_rows) {
  JedecController c(p);
  if (!stream) c.DisableStream();
  if (!stream_rows) c.DisableStreamRows();
  Outcome o;
  std::uint64_t end = 0;
  for (const JedecRequest& r : requests) {
    o.completions.push_back(c.RunUntil(c.Submit(r)));
    end = std::max(end, o.completions.back().done_ps);
  }
  Finish(c, end, o);
  return o;
}
inline Outcome OneAtATime(const JedecParams& p, const std::vector<JedecRequest>& requests,
                          bool stream = true) {
  return OneAtATimeRows(p, requests, stream, true);
}

// As the SystemC adapter with `interleave_transactions`: requests handed over as they arrive,
// the decisions due before each arrival taken before it.
inline Outcome IncrementalRows(const JedecParams& p, const std::vector<JedecRequest>& requests,
                               bool stream, bool stream_rows) {
  JedecController c(p);
  if (!stream) c.DisableStream();
  if (!stream_rows) c.DisableStreamRows();
  c.TrackCompletions();
  Outcome o;
  std::vector<std::uint64_t> ids;
  for (const JedecRequest& r : requests) {
    c.RunBefore(r.arrival_ps);
    ids.push_back(c.Submit(r));
  }
  c.RunBefore(std::numeric_limits<std::uint64_t>::max());
  std::uint64_t end = 0;
  for (const std::uint64_t id : ids) {
    o.completions.push_back(c.Collect(id));
    end = std::max(end, o.completions.back().done_ps);
  }
  Finish(c, end, o);
  return o;
}
inline Outcome Incremental(const JedecParams& p, const std::vector<JedecRequest>& requests,
                           bool stream = true) {
  return IncrementalRows(p, requests, stream, true);
}

// Requests of 1 burst to 40 KiB (a few row-run sets) at random or continuing addresses, some
// unaligned, a quarter writes; arrivals back to back (each request queued behind the last),
// a little later, or microseconds later (refresh and power-down between them).
inline std::vector<JedecRequest> RandomStream(const JedecParams& p, unsigned seed) {
  std::mt19937_64 rng(seed);
  const auto burst = static_cast<std::uint64_t>(p.BurstBytes());
  const std::uint64_t span = 64ull << 20;
  std::vector<JedecRequest> out;
  std::uint64_t t = 0, address = 0;
  for (int i = 0; i < 300; ++i) {
    const std::uint64_t kind = rng() % 8;
    const std::uint64_t bytes = kind == 0   ? burst * (1 + rng() % 4)
                                : kind == 1 ? 1 + rng() % (4 * burst)
                                            : burst * (1 + rng() % 640);
    if (rng() % 3 != 0) address = rng() % span / burst * burst + (rng() % 5 == 0 ? 8 : 0);
    const std::uint64_t gap = rng() % 3;
    t += gap == 0 ? 0 : gap == 1 ? rng() % (200 * kNs) : rng() % (20000 * kNs);
    out.push_back({address, bytes, rng() % 4 == 0, t});
    address += bytes;
  }
  return out;
}

inline void ExpectSame(const Outcome& a, const Outcome& b, const std::string& what) {
  EXPECT_EQ(a.stats.act, b.stats.act) << what;
  EXPECT_EQ(a.stats.pre, b.stats.pre) << what;
  EXPECT_EQ(a.stats.rd, b.stats.rd) << what;
  EXPECT_EQ(a.stats.wr, b.stats.wr) << what;
  EXPECT_EQ(a.stats.ref, b.stats.ref) << what;
  EXPECT_EQ(a.stats.row_hits, b.stats.row_hits) << what;
  EXPECT_EQ(a.stats.row_misses, b.stats.row_misses) << what;
  EXPECT_EQ(a.stats.bytes_read, b.stats.bytes_read) << what;
  EXPECT_EQ(a.stats.bytes_written, b.stats.bytes_written) << what;
  EXPECT_EQ(a.stats.bus_busy_ps, b.stats.bus_busy_ps) << what;
  EXPECT_EQ(a.stats.refresh_ps, b.stats.refresh_ps) << what;
  EXPECT_EQ(a.stats.reads, b.stats.reads) << what;
  EXPECT_EQ(a.stats.read_latency_histogram, b.stats.read_latency_histogram) << what;
  EXPECT_EQ(a.states.standby_ns, b.states.standby_ns) << what;
  EXPECT_EQ(a.states.active_ns, b.states.active_ns) << what;
  EXPECT_EQ(a.states.precharge_powerdown_ns, b.states.precharge_powerdown_ns) << what;
  EXPECT_EQ(a.states.active_powerdown_ns, b.states.active_powerdown_ns) << what;
  ASSERT_EQ(a.completions.size(), b.completions.size()) << what;
  for (size_t i = 0; i < a.completions.size(); ++i) {
    EXPECT_EQ(a.completions[i].accepted_ps, b.completions[i].accepted_ps) << what << " " << i;
    EXPECT_EQ(a.completions[i].first_data_ps, b.completions[i].first_data_ps) << what << " " << i;
    ASSERT_EQ(a.completions[i].done_ps, b.completions[i].done_ps) << what << " " << i;
  }
}

}  // namespace pjsim::test
