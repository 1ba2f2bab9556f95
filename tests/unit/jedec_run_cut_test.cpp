// The scheduler's row runs (fast mode, every request queued: `pjsim dram-bench`, backlogs of the
// interleaving adapter) against burst-by-burst decisions (`exact: true`): a run stops at the
// burst where a decision between its bursts would go elsewhere, the write drain turning with the
// requests admitted by then or an older row hit tying with the run's next burst
// (models/memory/jedec_run_cut.cpp). Every request's times, every count, the state times and the
// latency histogram must be exact mode's, on any organisation with row runs, queue depth,
// watermarks and refresh kind.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_fast_path_check.h"
#include "jedec_preset.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// Every request submitted before any decision, then each run to completion in turn (the
// decisions are RunAll's; RunUntil keeps each request's times).
test::Outcome AllQueued(const JedecParams& p, const std::vector<JedecRequest>& requests) {
  JedecController c(p);
  std::vector<std::uint64_t> ids;
  for (const JedecRequest& r : requests) ids.push_back(c.Submit(r));
  test::Outcome o;
  std::uint64_t end = 0;
  for (const std::uint64_t id : ids) {
    o.completions.push_back(c.RunUntil(id));
    end = std::max(end, o.completions.back().done_ps);
  }
  test::Finish(c, end, o);
  return o;
}

// Transactions of `bytes` over scattered rows, every fifth a write, arriving twice as fast as
// the channel moves them (the organisation sweep's all-queued case).
std::vector<JedecRequest> Backlog(const JedecParams& p, std::uint64_t bytes, std::uint64_t count) {
  const auto step_ps =
      static_cast<std::uint64_t>(static_cast<double>(bytes) / p.PeakBytesPerNs() * 500.0);
  std::vector<JedecRequest> out;
  for (std::uint64_t i = 0; i < count; ++i) {
    out.push_back({(i * 7919 % 1000) * bytes, bytes, i % 5 == 4, i * step_ps});
  }
  return out;
}

void ExpectExact(const std::string& preset, const Sets& sets,
                 const std::vector<JedecRequest>& requests, const std::string& what) {
  const JedecParams fast = test::JedecPreset(preset, sets);
  JedecParams exact = fast;
  exact.exact = true;
  test::ExpectSame(AllQueued(fast, requests), AllQueued(exact, requests), what);
}

std::string Name(const std::string& preset, const Sets& sets) {
  std::string name = preset;
  for (const auto& [k, v] : sets) name += " " + k + "=" + v;
  return name;
}

// The organisation the sweep held at 3 % before: HBM2E with 512 B rows (8-burst runs) and
// 2112 B requests, a fifth writes, all queued. A read run's first burst issued, the next
// decision's admissions put the write queue at its high watermark, and the run's other bursts
// went before the drain: 2.3 % fewer ACTs than exact mode.
TEST(JedecRunCut, ARunStopsWhereTheWriteDrainStarts) {
  const Sets sets = {{"columns", "32"}};
  const JedecParams p = test::JedecPreset("hbm2e", sets);
  ExpectExact("hbm2e", sets, Backlog(p, 2112, 744), "hbm2e columns=32, 2112 B");
}

// Randomized streams (1 burst to 40 KiB, a quarter writes, back to back or apart) all queued,
// over organisations with row runs: other row lengths, queue depths, watermarks (a drain that
// starts at a few writes and ends at most of them, one that empties the queue), per-bank
// refresh, two ranks (a rank switch between hits), FCFS.
TEST(JedecRunCut, AllQueuedRowRunsPlaceWhatBurstByBurstDecisionsPlace) {
  const std::vector<std::pair<std::string, Sets>> configs = {
      {"hbm2e", {}},
      {"hbm2e", {{"columns", "32"}}},
      {"hbm2e", {{"columns", "32"}, {"refresh_mode", "per_bank"}}},
      {"hbm2e", {{"read_queue", "8"}, {"write_queue", "8"}}},
      {"hbm2e",
       {{"write_queue", "12"}, {"write_high_watermark", "0.25"}, {"write_low_watermark", "0.2"}}},
      {"hbm2e", {{"write_high_watermark", "1"}, {"write_low_watermark", "0"}}},
      {"hbm2e", {{"ranks", "2"}}},
      {"hbm2e", {{"scheduler", "fcfs"}}},
      {"lpddr4-3200", {}},
      {"lpddr5-6400", {{"refresh_mode", "per_bank"}}},
      {"hbm3", {{"columns", "64"}}},
  };
  unsigned seed = 300;
  for (const auto& [preset, sets] : configs) {
    const JedecParams p = test::JedecPreset(preset, sets);
    for (int round = 0; round < 2; ++round) {
      ++seed;
      ExpectExact(preset, sets, test::RandomStream(p, seed),
                  Name(preset, sets) + " seed " + std::to_string(seed));
    }
    ExpectExact(preset, sets, Backlog(p, 2112, 400), Name(preset, sets) + " 2112 B");
  }
}

}  // namespace
}  // namespace pjsim
