// Cross-checks of the verilated LIF neuron update unit (rtl/lif_unit.sv): function against
// pjsim::numerics::LifNeuron::Step (sim/numerics/lif.h) bit for bit, membrane and spike of every
// neuron at every timestep, with I = the ACC-bit two's-complement sum of the timestep's event
// weights; timing against pjsim::LifTimestepCycles (sim/task/lif_timing.h) exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vlif_u1.h"
#include "Vlif_u2.h"
#include "Vlif_u4.h"
#include "rtl/rtl_harness.h"
#include "sim/numerics/lif.h"
#include "sim/task/lif_timing.h"

namespace pjsim::rtl {
namespace {

using numerics::LifLeak;
using numerics::LifParams;
using numerics::LifReset;

struct Event {
  std::int64_t neuron = 0;
  std::int64_t weight = 0;
};

std::string ParamsText(const LifParams& p, std::int64_t n) {
  std::ostringstream os;
  os << "N=" << n << " state_bits=" << p.state_bits << " leak=" << static_cast<int>(p.leak)
     << " shift=" << p.leak_shift << " beta=" << p.beta_num << "/2^" << p.beta_frac_bits
     << " theta=" << p.threshold << (p.reset == LifReset::kSoft ? " soft" : " hard")
     << " levels=" << p.max_spike_level << (p.signed_spikes ? " signed" : "");
  return os.str();
}

template <class Model>
class LifUnitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lanes_ = dut_->lanes;
    cap_n_ = dut_->cap_n;
    cap_q_ = dut_->cap_q;
    state_bits_ = dut_->state_bits;
    levels_ = dut_->levels;
    weight_bits_ = dut_->weight_bits;
    acc_bits_ = dut_->acc_bits;
    ASSERT_GE(lanes_, 1);
    ASSERT_EQ(lanes_ & (lanes_ - 1), 0) << "lanes must be a power of two";
    v_max_ = (std::int64_t{1} << (state_bits_ - 1)) - 1;
    v_min_ = -v_max_ - 1;
  }

  int WeightBits() const { return weight_bits_; }
  int AccBits() const { return acc_bits_; }

  static std::int64_t Wrap(std::int64_t v, int bits) {
    const std::uint64_t mask = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    std::uint64_t u = static_cast<std::uint64_t>(v) & mask;
    if (bits < 64 && (u >> (bits - 1)) != 0) u |= ~mask;
    return static_cast<std::int64_t>(u);
  }

  void WriteMembrane(std::int64_t n, std::int64_t v) {
    dut_->mem_we = 1;
    dut_->mem_waddr = AsPort<SData>(n);
    dut_->mem_wdata = static_cast<IData>(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)));
    dut_.Tick();
    dut_->mem_we = 0;
  }
  std::int64_t ReadMembrane(std::int64_t n) {
    dut_->mem_re = 1;
    dut_->mem_raddr = AsPort<SData>(n);
    dut_.Tick();
    dut_->mem_re = 0;
    return static_cast<std::int32_t>(dut_->mem_rdata);
  }
  void Push(const Event& e) {
    dut_->ev_push = 1;
    dut_->ev_neuron = AsPort<SData>(e.neuron);
    dut_->ev_weight = static_cast<std::remove_reference_t<decltype(dut_->ev_weight)>>(
        static_cast<std::uint64_t>(e.weight) & ((std::uint64_t{1} << WeightBits()) - 1));
    dut_.Tick();
    dut_->ev_push = 0;
  }
  void Configure(const LifParams& p, std::int64_t n) {
    dut_->cfg_n = AsPort<SData>(n);
    dut_->cfg_leak = AsPort<CData>(p.leak == LifLeak::kNone    ? 0
                                   : p.leak == LifLeak::kShift ? 1
                                                               : 2);
    dut_->cfg_leak_shift = AsPort<CData>(p.leak == LifLeak::kShift ? p.leak_shift : 0);
    dut_->cfg_beta_num = AsPort<IData>(p.leak == LifLeak::kMultiply ? p.beta_num : 0);
    dut_->cfg_beta_frac = AsPort<CData>(p.leak == LifLeak::kMultiply ? p.beta_frac_bits : 0);
    dut_->cfg_theta = AsPort<IData>(p.threshold);
    dut_->cfg_soft_reset = p.reset == LifReset::kSoft ? 1 : 0;
    dut_->cfg_max_level = AsPort<CData>(p.max_spike_level);
    dut_->cfg_signed_spikes = p.signed_spikes ? 1 : 0;
  }

  // Runs one timestep on the RTL and on the golden model (membranes v, updated in place) and
  // compares everything: cycles, every membrane, every spike, the counters.
  void Step(const LifParams& p, std::int64_t n, const std::vector<Event>& events,
            std::vector<std::int64_t>& v, const std::string& where) {
    ASSERT_LE(static_cast<std::int64_t>(events.size()), cap_q_);
    for (const Event& e : events) Push(e);
    ASSERT_EQ(static_cast<std::int64_t>(dut_->ev_count), static_cast<std::int64_t>(events.size()));
    // Golden: I per neuron (ACC-bit wrap-around sum), then one LIF step each.
    std::vector<std::int64_t> current(static_cast<std::size_t>(n), 0);
    std::int64_t integrated = 0;
    for (const Event& e : events) {
      if (e.neuron >= n) continue;
      auto& c = current[static_cast<std::size_t>(e.neuron)];
      c = Wrap(c + e.weight, AccBits());
      ++integrated;
    }
    const numerics::LifNeuron neuron(p);
    std::vector<std::int64_t> want_spike(static_cast<std::size_t>(n));
    std::int64_t want_spikes = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const auto idx = static_cast<std::size_t>(i);
      const numerics::LifOutput out =
          neuron.Step(static_cast<std::int32_t>(v[idx]), static_cast<std::int32_t>(current[idx]));
      v[idx] = out.v;
      want_spike[idx] = out.spike;
      want_spikes += out.spike != 0;
    }

    Configure(p, n);
    ASSERT_FALSE(dut_->busy);
    dut_->start = 1;
    dut_.Tick();
    dut_->start = 0;
    std::vector<std::int64_t> got_spike(static_cast<std::size_t>(n), 99);
    std::int64_t cycles = 0;
    while (!dut_->done) {
      ASSERT_LT(cycles, 100'000) << where << ": done never raised";
      dut_.Tick();
      ++cycles;
      if (dut_->sp_valid) {
        const auto row = static_cast<std::int64_t>(dut_->sp_row);
        const auto levels = static_cast<std::uint64_t>(dut_->sp_level);
        const auto mask = static_cast<std::uint64_t>(dut_->sp_mask);
        for (std::int64_t u = 0; u < lanes_; ++u) {
          const std::int64_t i = row * lanes_ + u;
          const bool valid = ((mask >> u) & 1u) != 0;
          ASSERT_EQ(valid, i < n) << where << ": spike mask of neuron " << i;
          if (valid)
            got_spike[static_cast<std::size_t>(i)] =
                static_cast<std::int8_t>((levels >> (8 * u)) & 0xffu);
        }
      }
    }
    EXPECT_EQ(cycles, LifTimestepCycles(static_cast<std::int64_t>(events.size()), n, lanes_))
        << where << ": RTL took " << cycles << " cycles, lif_timing.h says "
        << LifTimestepCycles(static_cast<std::int64_t>(events.size()), n, lanes_)
        << " (E=" << events.size() << ", N=" << n << ", U=" << lanes_ << ")";
    dut_.Tick();
    ASSERT_FALSE(dut_->done) << where << ": done held";
    ASSERT_FALSE(dut_->busy) << where;
    if (n == 0) return;
    EXPECT_EQ(static_cast<std::int64_t>(dut_->event_count), integrated) << where;
    EXPECT_EQ(static_cast<std::int64_t>(dut_->spike_count), want_spikes) << where;
    EXPECT_EQ(dut_->ev_count, 0u) << where << ": queue not drained";
    int bad = 0;
    for (std::int64_t i = 0; i < n && bad < 5; ++i) {
      const auto idx = static_cast<std::size_t>(i);
      const std::int64_t got_v = ReadMembrane(i);
      if (got_v != v[idx] || got_spike[idx] != want_spike[idx]) {
        ++bad;
        ADD_FAILURE() << where << ", neuron " << i << ": RTL v=" << got_v
                      << " spike=" << got_spike[idx] << ", golden v=" << v[idx]
                      << " spike=" << want_spike[idx] << " (I=" << current[idx] << ")";
      }
    }
    ASSERT_EQ(bad, 0);
  }

  void LoadMembranes(const std::vector<std::int64_t>& v) {
    for (std::size_t i = 0; i < v.size(); ++i) WriteMembrane(static_cast<std::int64_t>(i), v[i]);
  }

  LifParams RandomParams(std::mt19937_64& rng) const {
    LifParams p;
    p.state_bits = static_cast<int>(state_bits_);
    std::uniform_int_distribution<int> mode(0, 2), shift(1, 31), frac(0, 30), coin(0, 1);
    std::uniform_int_distribution<std::int64_t> level(1, levels_);
    p.leak = mode(rng) == 0   ? LifLeak::kNone
             : mode(rng) == 1 ? LifLeak::kShift
                              : LifLeak::kMultiply;
    if (coin(rng) != 0 && p.leak != LifLeak::kNone)
      p.leak = coin(rng) != 0 ? LifLeak::kShift : LifLeak::kMultiply;
    p.leak_shift = coin(rng) != 0 ? std::uniform_int_distribution<int>(1, 6)(rng) : shift(rng);
    p.beta_frac_bits = coin(rng) != 0 ? std::uniform_int_distribution<int>(0, 8)(rng) : frac(rng);
    p.beta_num =
        std::uniform_int_distribution<std::int64_t>(0, std::int64_t{1} << p.beta_frac_bits)(rng);
    // Thresholds mostly a few weights high (so neurons fire), sometimes anywhere in range.
    const std::int64_t w_max = (std::int64_t{1} << (WeightBits() - 1)) - 1;
    const std::int64_t theta_hi = std::min(v_max_, coin(rng) != 0 ? 4 * w_max : v_max_);
    p.threshold =
        static_cast<std::int32_t>(std::uniform_int_distribution<std::int64_t>(1, theta_hi)(rng));
    p.reset = coin(rng) != 0 ? LifReset::kSoft : LifReset::kHard;
    p.max_spike_level = static_cast<int>(level(rng));
    p.signed_spikes = coin(rng) != 0;
    return p;
  }

  std::vector<Event> RandomEvents(std::mt19937_64& rng, std::int64_t n, std::int64_t count) const {
    std::uniform_int_distribution<std::int64_t> target(0, n + n / 8),
        w(-(std::int64_t{1} << (WeightBits() - 1)), (std::int64_t{1} << (WeightBits() - 1)) - 1);
    std::uniform_int_distribution<int> repeat(0, 3);
    std::vector<Event> events;
    while (static_cast<std::int64_t>(events.size()) < count) {
      Event e{target(rng), w(rng)};
      // Runs of events to one neuron exercise the read-after-write forwarding.
      if (!events.empty() && repeat(rng) == 0) e.neuron = events.back().neuron;
      events.push_back(e);
    }
    return events;
  }

  Dut<Model> dut_;
  std::int64_t lanes_ = 0, cap_n_ = 0, cap_q_ = 0, state_bits_ = 0, levels_ = 0;
  std::int64_t v_max_ = 0, v_min_ = 0;
  int weight_bits_ = 0, acc_bits_ = 0;
};

using LifModels = ::testing::Types<Vlif_u1, Vlif_u4, Vlif_u2>;
TYPED_TEST_SUITE(LifUnitTest, LifModels);

// >= 100 000 neuron updates per model with random parameters, membranes and event streams.
TYPED_TEST(LifUnitTest, RandomTimestepsMatchGoldenAndCycleFormula) {
  std::mt19937_64 rng(0x11f0000u + static_cast<unsigned>(this->lanes_));
  std::int64_t updates = 0, spikes = 0, timesteps = 0;
  while (updates < 100'000) {
    const LifParams p = this->RandomParams(rng);
    const std::int64_t n = std::uniform_int_distribution<std::int64_t>(1, this->cap_n_)(rng);
    std::vector<std::int64_t> v(static_cast<std::size_t>(n));
    for (auto& x : v)
      x = std::uniform_int_distribution<std::int64_t>(this->v_min_, this->v_max_)(rng);
    // Random initial membranes in range; the golden rule requires it, and the RTL holds SB bits.
    this->LoadMembranes(v);
    const int t_steps = 8;
    for (int t = 0; t < t_steps; ++t) {
      const std::int64_t e = std::uniform_int_distribution<std::int64_t>(
          0, std::min<std::int64_t>(this->cap_q_, 3 * n))(rng);
      const std::vector<Event> events = this->RandomEvents(rng, n, e);
      this->Step(p, n, events, v, ParamsText(p, n) + ", timestep " + std::to_string(timesteps));
      if (this->HasFatalFailure() || this->HasFailure()) return;
      updates += n;
      ++timesteps;
      spikes += static_cast<std::int64_t>(this->dut_->spike_count);
    }
  }
  EXPECT_GT(spikes, updates / 50) << "too few spikes to exercise fire and reset";
  this->RecordProperty("neuron_updates", std::to_string(updates));
}

// Edge cases: saturation at both ends, theta = 1 and theta = V_MAX, the largest shift, beta = 1 and
// beta = 0, graded and signed spikes at the ladder's top, a full queue of events to one neuron,
// N not a multiple of U, N = cap, N = 0.
TYPED_TEST(LifUnitTest, EdgeCases) {
  auto& self = *this;
  const std::int64_t n = self.cap_n_;
  const std::int64_t w_max = (std::int64_t{1} << (self.WeightBits() - 1)) - 1;
  const std::int64_t w_min = -w_max - 1;
  std::mt19937_64 rng(5);
  struct Case {
    std::string name;
    LifParams p;
    std::int64_t v0;
    std::int64_t weight;
    std::int64_t events_per_neuron;
  };
  auto base = [&] {
    LifParams p;
    p.state_bits = static_cast<int>(self.state_bits_);
    p.threshold = static_cast<std::int32_t>(self.v_max_);
    return p;
  };
  std::vector<Case> cases;
  {
    Case c{"saturate high", base(), self.v_max_ - 1, w_max, 3};
    c.p.leak = LifLeak::kNone;
    cases.push_back(c);
  }
  {
    Case c{"saturate low, signed spikes at V_MIN", base(), self.v_min_ + 1, w_min, 3};
    c.p.leak = LifLeak::kNone;
    c.p.signed_spikes = true;
    c.p.max_spike_level = static_cast<int>(self.levels_);
    c.p.threshold = 1;
    cases.push_back(c);
  }
  {
    Case c{"theta 1, top level, soft", base(), self.v_max_ / 2, w_max, 1};
    c.p.threshold = 1;
    c.p.max_spike_level = static_cast<int>(self.levels_);
    c.p.leak_shift = 31;
    cases.push_back(c);
  }
  {
    Case c{"beta 1 exactly", base(), self.v_min_, w_max, 2};
    c.p.leak = LifLeak::kMultiply;
    c.p.beta_frac_bits = 30;
    c.p.beta_num = std::int64_t{1} << 30;
    c.p.threshold = 3;
    c.p.signed_spikes = true;
    c.p.reset = LifReset::kHard;
    cases.push_back(c);
  }
  {
    Case c{"beta 0", base(), self.v_max_, 1, 1};
    c.p.leak = LifLeak::kMultiply;
    c.p.beta_frac_bits = 0;
    c.p.beta_num = 0;
    c.p.threshold = 1;
    cases.push_back(c);
  }
  {
    Case c{"beta 1/2, rounding ties", base(), -3, 0, 0};
    c.p.leak = LifLeak::kMultiply;
    c.p.beta_frac_bits = 1;
    c.p.beta_num = 1;
    cases.push_back(c);
  }
  for (const Case& c : cases) {
    for (const std::int64_t nn : {n, std::max<std::int64_t>(1, n - 1), std::int64_t{1}}) {
      std::vector<std::int64_t> v(static_cast<std::size_t>(nn), c.v0);
      self.LoadMembranes(v);
      std::vector<Event> events;
      for (std::int64_t i = 0; i < nn && static_cast<std::int64_t>(events.size()) < self.cap_q_;
           ++i) {
        for (std::int64_t k = 0; k < c.events_per_neuron; ++k) events.push_back({i, c.weight});
      }
      if (static_cast<std::int64_t>(events.size()) > self.cap_q_)
        events.resize(static_cast<std::size_t>(self.cap_q_));
      for (int t = 0; t < 3; ++t) {
        self.Step(c.p, nn, events, v,
                  c.name + " N=" + std::to_string(nn) + " t=" + std::to_string(t));
        if (self.HasFailure()) return;
      }
    }
  }
  // A full queue, every event to one neuron (forwarding on every cycle).
  {
    LifParams p = base();
    p.leak = LifLeak::kNone;
    std::vector<std::int64_t> v(static_cast<std::size_t>(n), 0);
    self.LoadMembranes(v);
    std::vector<Event> events(static_cast<std::size_t>(self.cap_q_), Event{n - 1, 1});
    self.Step(p, n, events, v, "full queue, one neuron");
    EXPECT_EQ(v[static_cast<std::size_t>(n - 1)], std::min(self.cap_q_, self.v_max_));
  }
  // N = 0: done at once, the queued events stay.
  {
    std::vector<std::int64_t> v;
    const LifParams p = base();
    std::vector<Event> events = self.RandomEvents(rng, 4, 3);
    self.Configure(p, 0);
    for (const Event& e : events) self.Push(e);
    EXPECT_EQ(self.dut_.StartAndWait(), LifTimestepCycles(3, 0, self.lanes_));
    self.dut_.EndPulse();
    EXPECT_EQ(self.dut_->ev_count, 3u);
  }
}

// The formula itself, on a grid of small tasks: cycles grow by exactly one per event and per row.
TYPED_TEST(LifUnitTest, CyclesPerTimestepOnSmallTasks) {
  auto& self = *this;
  std::mt19937_64 rng(17);
  LifParams p;
  p.state_bits = static_cast<int>(self.state_bits_);
  p.threshold = 5;
  for (const std::int64_t nn :
       {std::int64_t{1}, self.lanes_, self.lanes_ + 1, self.cap_n_ / 2 + 1, self.cap_n_}) {
    std::vector<std::int64_t> v(static_cast<std::size_t>(nn), 0);
    self.LoadMembranes(v);
    for (const std::int64_t e :
         {std::int64_t{0}, std::int64_t{1}, std::int64_t{2}, std::int64_t{7}, self.cap_q_}) {
      self.Step(p, nn, self.RandomEvents(rng, nn, e), v,
                "N=" + std::to_string(nn) + " E=" + std::to_string(e));
      if (self.HasFailure()) return;
    }
  }
}

}  // namespace
}  // namespace pjsim::rtl
