#pragma once
// std::seed_seq's word generation ([rand.util.seedseq]: the standard fixes the algorithm, so the
// words are the same on every library) with its four `k mod n` indices stepped instead of
// divided. libstdc++ divides four times per step, which made seeding a std::mt19937_64 (624
// words) about 8 us: 5% of a Mixtral prefill, whose MoE router seeds one generator per token.
// Non-owning and allocation-free: it reads the caller's words while the engine is seeded.
#include <cstdint>
#include <iterator>
#include <span>
#include <type_traits>
#include <vector>

namespace pjsim {

class SeedSequence {
 public:
  using result_type = std::uint32_t;

  // `words` must outlive the sequence; as std::seed_seq, only their low 32 bits count.
  explicit SeedSequence(std::span<const std::uint32_t> words) : v_(words) {}

  std::size_t size() const { return v_.size(); }

  // Fills [first, last) with what std::seed_seq{words...}.generate(first, last) gives.
  template <class RandomIt>
  void generate(RandomIt first, RandomIt last) const {
    const auto n = static_cast<std::size_t>(std::distance(first, last));
    if constexpr (std::is_same_v<RandomIt, std::uint32_t*>) {
      Generate(first, n);
    } else {
      std::vector<std::uint32_t> words(n);
      Generate(words.data(), n);
      std::copy(words.begin(), words.end(), first);
    }
  }

 private:
  void Generate(std::uint32_t* out, std::size_t n) const;

  std::span<const std::uint32_t> v_;
};

}  // namespace pjsim
