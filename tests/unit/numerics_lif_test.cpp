#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/numerics/lif.h"

namespace pjsim::numerics {
namespace {

LifParams NoLeak(int32_t threshold, LifReset reset) {
  LifParams p;
  p.leak = LifLeak::kNone;
  p.threshold = threshold;
  p.reset = reset;
  return p;
}

std::vector<int32_t> Spikes(const std::vector<LifOutput>& out) {
  std::vector<int32_t> s;
  for (const LifOutput& o : out) s.push_back(o.spike);
  return s;
}

std::vector<int32_t> Membranes(const std::vector<LifOutput>& out) {
  std::vector<int32_t> v;
  for (const LifOutput& o : out) v.push_back(o.v);
  return v;
}

TEST(NumericsLif, HardResetSequence) {
  const LifNeuron n(NoLeak(10, LifReset::kHard));
  const auto out = n.Run(0, std::vector<int32_t>{4, 4, 4, 4, 4, 4, 9, 1});
  // 4, 8, 12 -> fire, 0; 4, 8, 12 -> fire, 0; 9; 10 -> fire (v >= theta), 0.
  EXPECT_EQ(Membranes(out), (std::vector<int32_t>{4, 8, 0, 4, 8, 0, 9, 0}));
  EXPECT_EQ(Spikes(out), (std::vector<int32_t>{0, 0, 1, 0, 0, 1, 0, 1}));
}

TEST(NumericsLif, SoftResetSequence) {
  const LifNeuron n(NoLeak(10, LifReset::kSoft));
  const auto out = n.Run(0, std::vector<int32_t>{4, 4, 4, 4, 4, 25});
  // 4, 8, 12 -> 2, 6, 10 -> 0, 25 -> 15 (one spike per step at max_spike_level 1).
  EXPECT_EQ(Membranes(out), (std::vector<int32_t>{4, 8, 2, 6, 0, 15}));
  EXPECT_EQ(Spikes(out), (std::vector<int32_t>{0, 0, 1, 0, 1, 1}));
}

TEST(NumericsLif, ShiftLeakIsAnArithmeticShift) {
  LifParams p = NoLeak(1000, LifReset::kHard);
  p.leak = LifLeak::kShift;
  p.leak_shift = 1;  // beta = 1/2
  const LifNeuron n(p);
  EXPECT_EQ(n.Step(100, 0).v, 50);
  EXPECT_EQ(n.Step(101, 0).v, 51);  // 101 - 50
  EXPECT_EQ(n.Step(-3, 0).v, -1);   // -3 >> 1 = -2 (floor): -3 + 2
  EXPECT_EQ(n.Step(-1, 0).v, 0);    // -1 >> 1 = -1: decays to 0, not stuck at -1
  EXPECT_EQ(n.Step(1, 0).v, 1);     // 1 >> 1 = 0: positive residue stays
  p.leak_shift = 4;
  const LifNeuron n4(p);
  EXPECT_EQ(n4.Step(100, 7).v, 100 - 6 + 7);  // leak before integrate
  EXPECT_EQ(n4.Step(-100, 0).v, -100 + 7);    // -100 >> 4 = -7
}

TEST(NumericsLif, MultiplyLeakRoundsHalfUp) {
  LifParams p = NoLeak(1000, LifReset::kHard);
  p.leak = LifLeak::kMultiply;
  p.beta_num = 3;
  p.beta_frac_bits = 2;  // beta = 0.75
  const LifNeuron n(p);
  EXPECT_EQ(n.Step(10, 0).v, 8);    // 7.5 -> 8
  EXPECT_EQ(n.Step(-10, 0).v, -7);  // -7.5 -> -7 (ties toward +inf)
  EXPECT_EQ(n.Step(2, 0).v, 2);     // 1.5 -> 2
  EXPECT_EQ(n.Step(-2, 0).v, -1);   // -1.5 -> -1
  EXPECT_EQ(n.Step(9, 0).v, 7);     // 6.75 -> 7
  EXPECT_EQ(n.Step(-9, 0).v, -7);   // -6.75 -> -7
  p.beta_num = 1;
  p.beta_frac_bits = 0;  // beta = 1: no leak
  EXPECT_EQ(LifNeuron(p).Step(-123, 4).v, -119);
}

TEST(NumericsLif, SaturatesBeforeFiring) {
  LifParams p = NoLeak(100, LifReset::kSoft);
  p.state_bits = 8;  // [-128, 127]
  const LifNeuron n(p);
  const LifOutput up = n.Step(0, 1000);  // 1000 -> 127 -> fire, 127 - 100
  EXPECT_EQ(up.spike, 1);
  EXPECT_EQ(up.v, 27);
  EXPECT_EQ(n.Step(0, -1000).v, -128);
  EXPECT_EQ(n.Step(-128, -1).v, -128);
  EXPECT_EQ(n.Step(120, 2000000000).v, 27);  // no int32 overflow in v + I
  EXPECT_THROW(n.Step(128, 0), std::out_of_range);
}

TEST(NumericsLif, SignedAndMultiLevelSpikes) {
  LifParams p = NoLeak(10, LifReset::kSoft);
  p.signed_spikes = true;
  const LifNeuron ternary(p);
  EXPECT_EQ(ternary.Step(0, -15).spike, -1);
  EXPECT_EQ(ternary.Step(0, -15).v, -5);
  EXPECT_EQ(ternary.Step(0, -9).spike, 0);
  EXPECT_EQ(ternary.Step(0, 10).spike, 1);
  p.reset = LifReset::kHard;
  EXPECT_EQ(LifNeuron(p).Step(0, -15).v, 0);
  // Unsigned spikes: a negative membrane just stays.
  EXPECT_EQ(LifNeuron(NoLeak(10, LifReset::kSoft)).Step(0, -15).spike, 0);
  // Multi-level: floor(v / theta) capped at max_spike_level, soft reset subtracts k theta.
  LifParams m = NoLeak(10, LifReset::kSoft);
  m.max_spike_level = 3;
  const LifNeuron graded(m);
  EXPECT_EQ(graded.Step(0, 35).spike, 3);
  EXPECT_EQ(graded.Step(0, 35).v, 5);
  EXPECT_EQ(graded.Step(0, 29).spike, 2);
  EXPECT_EQ(graded.Step(0, 29).v, 9);
  EXPECT_EQ(graded.Step(0, 100).spike, 3);
  EXPECT_EQ(graded.Step(0, 100).v, 70);
}

TEST(NumericsLif, InvalidParamsThrow) {
  LifParams p;
  p.threshold = 0;
  EXPECT_THROW(LifNeuron{p}, std::invalid_argument);
  p = LifParams{};
  p.state_bits = 8;
  p.threshold = 128;
  EXPECT_THROW(LifNeuron{p}, std::invalid_argument);
  p = LifParams{};
  p.leak = LifLeak::kMultiply;
  p.beta_frac_bits = 4;
  p.beta_num = 17;
  EXPECT_THROW(LifNeuron{p}, std::invalid_argument);
  p = LifParams{};
  p.leak_shift = 0;
  EXPECT_THROW(LifNeuron{p}, std::invalid_argument);
}

TEST(NumericsLif, NoSpikeBelowThreshold) {
  // Hard reset, no leak: after every step v < theta, and a spike happens exactly when the
  // integrated value reached theta.
  std::mt19937_64 rng(2);
  const LifNeuron n(NoLeak(500, LifReset::kHard));
  int32_t v = 0;
  int spikes = 0;
  for (int t = 0; t < 20000; ++t) {
    const int32_t input = static_cast<int32_t>(rng() % 301) - 100;
    const LifOutput out = n.Step(v, input);
    ASSERT_LT(out.v, 500);
    ASSERT_EQ(out.spike, v + input >= 500 ? 1 : 0);
    spikes += out.spike;
    v = out.v;
  }
  EXPECT_GT(spikes, 0);
  // Shift leak with constant input c: v stays below (c + 1) 2^s, so it never fires if that is
  // below theta.
  LifParams p = NoLeak(1000, LifReset::kHard);
  p.leak = LifLeak::kShift;
  p.leak_shift = 3;
  const LifNeuron leaky(p);
  const std::vector<int32_t> constant(5000, 1000 / 8 - 2);  // (123 + 1) * 8 = 992 < 1000
  for (const LifOutput& out : leaky.Run(0, constant)) ASSERT_EQ(out.spike, 0);
  const std::vector<int32_t> stronger(5000, 1000 / 8 + 1);
  int fired = 0;
  for (const LifOutput& out : leaky.Run(0, stronger)) fired += out.spike;
  EXPECT_GT(fired, 0);
}

TEST(NumericsLif, SpikeCountIsMonotonicInConstantInput) {
  for (const LifReset reset : {LifReset::kHard, LifReset::kSoft}) {
    for (const LifLeak leak : {LifLeak::kNone, LifLeak::kShift, LifLeak::kMultiply}) {
      LifParams p = NoLeak(256, reset);
      p.leak = leak;
      p.leak_shift = 2;
      p.beta_num = 29;
      p.beta_frac_bits = 5;
      const LifNeuron n(p);
      int previous = -1;
      for (int32_t c = 0; c <= 600; ++c) {
        int count = 0;
        for (const LifOutput& out : n.Run(0, std::vector<int32_t>(200, c))) count += out.spike;
        ASSERT_GE(count, previous) << "c=" << c;
        previous = count;
      }
      EXPECT_EQ(previous, 200);  // c > theta fires every step
    }
  }
}

}  // namespace
}  // namespace pjsim::numerics
