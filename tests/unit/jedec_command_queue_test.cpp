// The `jedec` controller's command queues (`queue_structure: per_bank | per_rank`): transactions
// wait in a transaction queue of read_queue / write_queue entries and move into their bank's
// (rank's) command queue of command_queue_depth entries when it has room, later ones passing one
// whose command queue is full; the scheduler sees the command queues only. What the structure
// must do: hold at most T + D per command queue and no more, hold more than T + D when requests
// spread over queues, change nothing for a request alone, and keep mixed traffic at the
// bandwidth of a shared queue.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jedec_preset.h"
#include "models/memory/jedec_bench.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"
#include "sim/config/config_error.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;

// DDR4-3200 x8 with DRAMsim3's DDR4_8Gb_x8_3200 controller: two ranks, 16 + 8 per bank.
JedecParams PerBank(Sets extra = {}) {
  Sets sets = {{"ranks", "2"},
               {"power_down", "false"},
               {"queue_structure", "per_bank"},
               {"command_queue_depth", "8"},
               {"read_queue", "16"},
               {"write_queue", "16"}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr4-3200-x8", sets);
}

// The most reads the controller's queues held at once: a read is queued from its acceptance to
// its column command (its first data comes CL after).
std::int64_t MostQueued(const JedecParams& p, const std::vector<JedecRequest>& stream) {
  JedecController c(p);
  for (const JedecRequest& r : stream) c.Submit(r);
  const std::uint64_t cl = p.ClocksToPs(p.CL);
  std::vector<std::pair<std::uint64_t, int>> events;
  for (std::uint64_t id = 0; id < stream.size(); ++id) {
    const JedecCompletion done = c.RunUntil(id);
    events.emplace_back(done.accepted_ps, +1);
    events.emplace_back(done.first_data_ps - cl, -1);
  }
  std::sort(events.begin(), events.end());  // a slot freed at t is taken at t
  std::int64_t held = 0, most = 0;
  for (const auto& [t, d] : events) most = std::max(most, held += d);
  return most;
}

std::vector<JedecRequest> Stream(const JedecParams& p, const std::string& pattern, int requests) {
  JedecBenchOptions o;
  o.pattern = pattern;
  o.requests = requests;
  return JedecBenchRequests(p, o);
}

TEST(JedecCommandQueues, OneBankHoldsTheTransactionQueueAndOneCommandQueue) {
  // Every request in one bank (a row-stride stream): T + D in the controller, as a shared queue
  // of T + D would hold, and the same schedule as that queue.
  for (const auto& [structure, depth] : std::vector<std::pair<std::string, int>>{
           {"per_bank", 8}, {"per_bank", 3}, {"per_rank", 8}}) {
    const JedecParams p =
        PerBank({{"queue_structure", structure}, {"command_queue_depth", std::to_string(depth)}});
    const auto stream = Stream(p, "row-stride", 400);
    EXPECT_EQ(MostQueued(p, stream), 16 + depth) << structure << " " << depth;
    JedecParams shared = p;
    shared.queue_structure = JedecParams::QueueStructure::kShared;
    shared.read_queue = 16 + depth;
    const JedecBenchResult a = RunJedecRequests(p, stream), b = RunJedecRequests(shared, stream);
    EXPECT_DOUBLE_EQ(a.avg_read_latency_ns, b.avg_read_latency_ns) << structure;
    EXPECT_DOUBLE_EQ(a.simulated_ns, b.simulated_ns) << structure;
    EXPECT_EQ(a.act, b.act) << structure;
  }
}

TEST(JedecCommandQueues, SpreadRequestsFillManyCommandQueuesButNoMore) {
  // Random reads over 2 ranks x 16 banks at saturation: more than one bank's worth is held
  // (the shared queue would hold 16), never more than every command queue full.
  const JedecParams p = PerBank();
  const auto stream = Stream(p, "random-read", 3000);
  const std::int64_t most = MostQueued(p, stream);
  EXPECT_GT(most, 16 + 8);
  EXPECT_LE(most, 16 + 8 * 32);
  // Per rank: the two ranks' queues.
  const JedecParams r = PerBank({{"queue_structure", "per_rank"}});
  const std::int64_t most_r = MostQueued(r, Stream(r, "random-read", 3000));
  EXPECT_GT(most_r, 16 + 8);
  EXPECT_LE(most_r, 16 + 8 * 2);
  // Deeper command queues hold more: the mean latency at saturation grows (Little's law).
  const double shallow =
      RunJedecRequests(PerBank({{"command_queue_depth", "2"}}), stream).avg_read_latency_ns;
  const double deep = RunJedecRequests(p, stream).avg_read_latency_ns;
  EXPECT_LT(shallow, deep);
}

TEST(JedecCommandQueues, ARequestAloneIsServedAsWithASharedQueue) {
  // Below saturation (one request every 200 clocks) nothing queues: the structure changes no
  // time, on reads, writes and a mix.
  for (const std::string pattern : {"random-read", "random-mix", "seq-write"}) {
    const JedecParams p = PerBank();
    JedecParams shared = p;
    shared.queue_structure = JedecParams::QueueStructure::kShared;
    JedecBenchOptions o;
    o.pattern = pattern;
    o.requests = 300;
    o.issue_interval = 200;
    const JedecBenchResult a = RunJedecBench(p, o), b = RunJedecBench(shared, o);
    EXPECT_DOUBLE_EQ(a.avg_read_latency_ns, b.avg_read_latency_ns) << pattern;
    EXPECT_DOUBLE_EQ(a.simulated_ns, b.simulated_ns) << pattern;
    EXPECT_EQ(a.act, b.act) << pattern;
  }
}

TEST(JedecCommandQueues, MixedTrafficKeepsTheSharedQueuesBandwidth) {
  // Reads and writes share each command queue and the first ready of either issues: a write
  // drain does not turn the bus around burst by burst (which once cut random-mix bandwidth to a
  // third).
  const JedecParams p = PerBank();
  JedecParams shared = p;
  shared.queue_structure = JedecParams::QueueStructure::kShared;
  shared.read_queue = shared.write_queue = 16 + 8;
  const auto stream = Stream(p, "random-mix", 4000);
  const double per_bank = RunJedecRequests(p, stream).bandwidth_GBps;
  const double one_queue = RunJedecRequests(shared, stream).bandwidth_GBps;
  EXPECT_GT(per_bank, 0.9 * one_queue);
}

TEST(JedecCommandQueues, DepthWithASharedQueueIsAnError) {
  EXPECT_THROW(test::JedecPreset("ddr4-3200-x8", {{"command_queue_depth", "4"}}), ConfigError);
  EXPECT_THROW(test::JedecPreset("ddr4-3200-x8", {{"queue_structure", "per_channel"}}),
               ConfigError);
}

}  // namespace
}  // namespace pjsim
