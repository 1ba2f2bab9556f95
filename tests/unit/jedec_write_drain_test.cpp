// The `jedec` controller's batch write drain (`write_drain: batch`, DRAMsim3's write buffer,
// controller.cc): a drain starts when the write queue is full, or holds write_drain_idle writes
// while no read waits; it takes exactly as many writes as were held at its start (writes that
// arrive meanwhile wait for the next one) and no read goes meanwhile. The watermark drain, by
// contrast, goes on through the writes that arrive during it.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config_error_text.h"
#include "jedec_preset.h"
#include "models/memory/jedec_controller.h"
#include "models/memory/jedec_params.h"

namespace pjsim {
namespace {

using Sets = std::vector<std::pair<std::string, std::string>>;
constexpr std::uint64_t kNs = 1000;

// DDR4-3200 x8, a write queue of 8, no refresh or power-down to move times about.
JedecParams Drain(Sets extra) {
  Sets sets = {{"write_queue", "8"}, {"refresh", "false"}, {"power_down", "false"}};
  sets.insert(sets.end(), extra.begin(), extra.end());
  return test::JedecPreset("ddr4-3200-x8", sets);
}

// Request i (< 16): its own bank and row (the preset's rochrababgco: 13 bits of column and
// offset, then 4 of bank group and bank, then the row).
JedecRequest At(std::uint64_t i, bool write, std::uint64_t arrival_ps) {
  return {(i << 13) + (i << 17), 64, write, arrival_ps};
}

// How many of the writes completed before the read's first data: the writes issued before it
// (a write issued after a read moves its data after the read's).
int WritesBeforeRead(const JedecParams& p, const std::vector<JedecRequest>& stream) {
  JedecController c(p);
  for (const JedecRequest& r : stream) c.Submit(r);
  std::vector<JedecCompletion> done;
  for (std::uint64_t id = 0; id < stream.size(); ++id) done.push_back(c.RunUntil(id));
  std::uint64_t read_data = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    if (!stream[i].write) read_data = done[i].first_data_ps;
  }
  int before = 0;
  for (size_t i = 0; i < stream.size(); ++i) {
    before += stream[i].write && done[i].done_ps <= read_data ? 1 : 0;
  }
  return before;
}

TEST(JedecWriteDrain, ABatchTakesExactlyTheWritesHeldAtItsStart) {
  // Eight writes fill the queue (a drain starts); a read and three more writes arrive while it
  // runs. The read waits for eight writes, not for the three that came after it.
  std::vector<JedecRequest> stream;
  for (std::uint64_t i = 0; i < 8; ++i) stream.push_back(At(i, true, 0));
  stream.push_back(At(8, false, 1 * kNs));
  for (std::uint64_t i = 9; i < 12; ++i) stream.push_back(At(i, true, 1 * kNs));
  EXPECT_EQ(WritesBeforeRead(Drain({{"write_drain", "batch"}, {"write_drain_idle", "8"}}), stream),
            8);
  // Watermarks from full to empty drain the later writes too.
  EXPECT_EQ(WritesBeforeRead(Drain({{"write_high_watermark", "1"}, {"write_low_watermark", "0"}}),
                             stream),
            11);
}

TEST(JedecWriteDrain, NoDrainBelowAFullQueueWhileReadsWait) {
  // Seven writes (not full; the watermark default, 0.75 of 8, would drain them) and four reads
  // queued together: every read goes first.
  std::vector<JedecRequest> stream;
  for (std::uint64_t i = 0; i < 4; ++i) stream.push_back(At(i, false, 0));
  for (std::uint64_t i = 4; i < 11; ++i) stream.push_back(At(i, true, 0));
  const JedecParams batch = Drain({{"write_drain", "batch"}, {"write_drain_idle", "4"}});
  JedecController c(batch);
  for (const JedecRequest& r : stream) c.Submit(r);
  std::vector<JedecCompletion> done;
  for (std::uint64_t id = 0; id < stream.size(); ++id) done.push_back(c.RunUntil(id));
  for (size_t w = 4; w < stream.size(); ++w) {
    for (size_t r = 0; r < 4; ++r) EXPECT_LT(done[r].first_data_ps, done[w].done_ps) << w;
  }
}

TEST(JedecWriteDrain, WithNoReadWaitingWriteDrainIdleWritesStartADrain) {
  // Four writes and no read: with write_drain_idle 4 a drain of four starts, and a read that
  // arrives as the first write issues waits for all four; with 5 the writes go one by one while
  // no read waits, and the read goes at the next decision.
  std::vector<JedecRequest> stream;
  for (std::uint64_t i = 0; i < 4; ++i) stream.push_back(At(i, true, 0));
  stream.push_back(At(4, false, 1 * kNs));
  EXPECT_EQ(WritesBeforeRead(Drain({{"write_drain", "batch"}, {"write_drain_idle", "4"}}), stream),
            4);
  EXPECT_EQ(WritesBeforeRead(Drain({{"write_drain", "batch"}, {"write_drain_idle", "5"}}), stream),
            1);
}

TEST(JedecWriteDrain, WithCommandQueuesADrainMovesItsCountAndNoMore) {
  // Command queues of one entry: a drain of two writes to bank 0 moves one, and the second
  // once the first has issued; a read (bank 1) and a write (bank 2) that arrive meanwhile wait
  // in the transaction queues. The drain ends as its second write moves: the later write stays
  // until no read waits, and the read moves and goes before it (moved along with the drain's
  // second write, the later write goes first: tried).
  const JedecParams p = Drain({{"queue_structure", "per_bank"},
                               {"command_queue_depth", "1"},
                               {"write_queue", "2"},
                               {"write_drain", "batch"},
                               {"write_drain_idle", "2"}});
  const auto in_bank = [](std::uint64_t bank, std::uint64_t row, bool write) {
    return JedecRequest{(bank << 13) + (row << 17), 64, write, write && bank == 0 ? 0 : kNs};
  };
  const std::vector<JedecRequest> stream = {in_bank(0, 1, true), in_bank(0, 2, true),
                                            in_bank(1, 3, false), in_bank(2, 4, true)};
  JedecController c(p);
  for (const JedecRequest& r : stream) c.Submit(r);
  std::vector<JedecCompletion> done;
  for (std::uint64_t id = 0; id < stream.size(); ++id) done.push_back(c.RunUntil(id));
  EXPECT_LT(done[2].first_data_ps, done[3].done_ps);
}

TEST(JedecWriteDrain, EachPolicysKeysApplyToItOnly) {
  const std::string idle = test::ErrorOf([] { Drain({{"write_drain_idle", "4"}}); });
  EXPECT_NE(idle.find("write_drain_idle"), std::string::npos) << idle;
  EXPECT_NE(idle.find("applies to write_drain: batch only"), std::string::npos) << idle;
  const std::string mark = test::ErrorOf([] {
    Drain({{"write_drain", "batch"}, {"write_high_watermark", "0.5"}});
  });
  EXPECT_NE(mark.find("applies to write_drain: watermarks only"), std::string::npos) << mark;
  const std::string policy = test::ErrorOf([] { Drain({{"write_drain", "eager"}}); });
  EXPECT_NE(policy.find("write_drain"), std::string::npos) << policy;
}

}  // namespace
}  // namespace pjsim
