// ForEachDmaRequest (sim/task/dma_requests.h): the requests of a transfer cover its bytes exactly
// once, each request inside one channel, none larger than the request size, the channels taken
// round-robin; unbounded, one request per channel the transfer touches.
#include "sim/task/dma_requests.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <vector>

namespace pjsim {
namespace {

struct Request {
  std::uint64_t address, bytes;
};

// The global addresses of a request's bytes: they continue in the channel of its first byte.
std::vector<std::uint64_t> GlobalBytes(const Request& r, std::uint64_t interleave,
                                       std::uint64_t channels) {
  const std::uint64_t channel = r.address / interleave % channels;
  const std::uint64_t local =
      r.address / interleave / channels * interleave + r.address % interleave;
  std::vector<std::uint64_t> out;
  for (std::uint64_t x = local; x < local + r.bytes; ++x)
    out.push_back((x / interleave * channels + channel) * interleave + x % interleave);
  return out;
}

TEST(DmaRequests, CoverTheTransferOnceInOneChannelEach) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 1000; ++trial) {
    const std::uint64_t interleave = std::vector<std::uint64_t>{64, 256, 2048}[rng() % 3];
    const std::uint64_t channels = std::vector<std::uint64_t>{1, 2, 3, 4, 8}[rng() % 5];
    const std::uint64_t request = std::vector<std::uint64_t>{0, 64, 100, 768, 4096}[rng() % 5];
    Transfer t;
    t.address = rng() % (1 << 20);
    t.bytes = static_cast<std::int64_t>(1 + rng() % 20000);
    std::vector<Request> requests;
    ForEachDmaRequest(t, interleave, channels, request, [&](std::uint64_t a, std::uint64_t b) {
      requests.push_back({a, b});
    });
    std::set<std::uint64_t> seen;
    std::set<std::uint64_t> channels_used;
    for (const Request& r : requests) {
      ASSERT_GT(r.bytes, 0u);
      if (request > 0) {
        ASSERT_LE(r.bytes, request);
      }
      channels_used.insert(r.address / interleave % channels);
      for (std::uint64_t g : GlobalBytes(r, interleave, channels)) {
        ASSERT_GE(g, t.address) << "trial " << trial;
        ASSERT_LT(g, t.address + static_cast<std::uint64_t>(t.bytes)) << "trial " << trial;
        ASSERT_TRUE(seen.insert(g).second) << "byte " << g << " twice, trial " << trial;
      }
    }
    ASSERT_EQ(seen.size(), static_cast<size_t>(t.bytes)) << "trial " << trial;
    if (request == 0) {
      EXPECT_EQ(requests.size(), channels_used.size()) << "trial " << trial;
    }
    // Round-robin: a channel's next request comes only after every other channel with bytes
    // left has had one (consecutive requests never repeat a channel while others wait).
    std::map<std::uint64_t, size_t> count;
    for (const Request& r : requests) ++count[r.address / interleave % channels];
    std::vector<std::uint64_t> order;
    for (const Request& r : requests) order.push_back(r.address / interleave % channels);
    std::map<std::uint64_t, size_t> issued;
    for (size_t i = 0; i < order.size(); ++i) {
      const size_t mine = issued[order[i]]++;
      for (const auto& [c, n] : count) {
        if (c != order[i] && n > mine) {
          ASSERT_GE(issued[c], mine) << "trial " << trial;
        }
      }
    }
  }
}

}  // namespace
}  // namespace pjsim
