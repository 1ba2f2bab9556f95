// SeedSequence gives std::seed_seq's words exactly: for every output length (each of the
// standard's lag cases and the wrap-arounds of small n), for more input words than outputs, and
// as the seed of a std::mt19937_64 (the MoE router's use), whose draws must then be the same.
#include "sim/workload/seed_sequence.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace pjsim {
namespace {

std::vector<std::uint32_t> Words(std::mt19937& rng, std::size_t count) {
  std::vector<std::uint32_t> w(count);
  for (auto& x : w) x = static_cast<std::uint32_t>(rng());
  return w;
}

TEST(SeedSequence, SameWordsAsStdSeedSeqForEveryLength) {
  std::mt19937 rng(7);
  for (std::size_t inputs : {0u, 1u, 3u, 6u, 40u, 700u}) {
    for (std::size_t n :
         {0u, 1u, 2u, 3u, 6u, 7u, 8u, 38u, 39u, 67u, 68u, 622u, 623u, 624u, 1000u}) {
      const std::vector<std::uint32_t> in = Words(rng, inputs);
      std::seed_seq reference(in.begin(), in.end());
      std::vector<std::uint32_t> expected(n), got(n, 0);
      reference.generate(expected.begin(), expected.end());
      SeedSequence fast(in);
      fast.generate(got.data(), got.data() + n);
      EXPECT_EQ(got, expected) << inputs << " inputs, " << n << " outputs";
      EXPECT_EQ(fast.size(), reference.size());
    }
  }
}

TEST(SeedSequence, WiderOutputIteratorsGetThe32BitWords) {
  const std::vector<std::uint32_t> in = {1, 2, 0xffffffffu};
  std::seed_seq reference(in.begin(), in.end());
  std::vector<std::uint64_t> expected(50), got(50, ~std::uint64_t{0});
  reference.generate(expected.begin(), expected.end());
  SeedSequence(in).generate(got.begin(), got.end());
  EXPECT_EQ(got, expected);
}

TEST(SeedSequence, SeedsTheSameMersenneTwisterStreams) {
  std::mt19937 rng(11);
  for (int stream = 0; stream < 200; ++stream) {
    const std::vector<std::uint32_t> in = Words(rng, 6);
    std::seed_seq reference_seq(in.begin(), in.end());
    SeedSequence fast_seq(in);
    std::mt19937_64 reference(reference_seq), fast(fast_seq);
    // Past the first twist (312 draws) too.
    for (int draw = 0; draw < 700; ++draw) ASSERT_EQ(fast(), reference()) << stream << " " << draw;
  }
}

}  // namespace
}  // namespace pjsim
