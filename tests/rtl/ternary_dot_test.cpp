// Cross-checks of the verilated ternary dot-product unit (rtl/ternary_dot.sv) against a plain
// integer sum (function), against pjsim::TernaryDotCycles (timing, exact to the cycle) and against
// the nonzero-weight count the energy model charges (activity).
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "Vternary_w1.h"
#include "Vternary_w16.h"
#include "Vternary_w5.h"
#include "Vternary_w8.h"
#include "rtl/rtl_harness.h"
#include "sim/task/ternary_dot_timing.h"

namespace pjsim::rtl {
namespace {

// 2-bit weight codes (rtl/ternary_dot.sv): bit 0 = nonzero, bit 1 = negative; 2'b10 is a
// reserved zero.
constexpr std::uint32_t kZero = 0b00, kPlus = 0b01, kMinus = 0b11, kNegZero = 0b10;
constexpr std::array<std::uint32_t, 4> kCodes = {kZero, kPlus, kMinus, kNegZero};

std::int32_t CodeValue(std::uint32_t code) {
  if ((code & 1u) == 0) return 0;
  return (code & 2u) != 0 ? -1 : 1;
}

template <class M, std::int64_t W>
struct TernaryKind {
  using Model = M;
  static constexpr std::int64_t kLanes = W;
};

struct Task {
  std::vector<std::int8_t> x;                 // K activations
  std::vector<std::vector<std::uint32_t>> w;  // rows x K weight codes
  std::int64_t k() const { return static_cast<std::int64_t>(x.size()); }
  std::int64_t rows() const { return static_cast<std::int64_t>(w.size()); }
};

template <class Kind>
class TernaryDotTest : public ::testing::Test {
 public:
 protected:
  using Model = typename Kind::Model;
  static constexpr std::int64_t kW = Kind::kLanes;

  TernaryDotTest() : rng_(0x7e51a000u + static_cast<unsigned>(kW)) {}

  void SetUp() override {
    ASSERT_EQ(dut_->lanes, kW);
    ASSERT_EQ(dut_->levels, TernaryTreeLevels(kW));
    cap_k_ = dut_->cap_k;
    cap_rows_ = dut_->cap_rows;
  }

  std::string ShapeText(std::int64_t k, std::int64_t rows) const {
    std::ostringstream os;
    os << "ternary W=" << kW << ", task K=" << k << " rows=" << rows;
    return os.str();
  }

  // Random task; p_zero is the probability of a zero weight (split between both zero codes).
  Task Random(std::int64_t k, std::int64_t rows, double p_zero = 0.35) {
    std::uniform_int_distribution<int> dx(-128, 127);
    std::uniform_real_distribution<double> du(0.0, 1.0);
    Task t;
    t.x.resize(static_cast<std::size_t>(k));
    for (auto& e : t.x) e = static_cast<std::int8_t>(dx(rng_));
    t.w.assign(static_cast<std::size_t>(rows),
               std::vector<std::uint32_t>(static_cast<std::size_t>(k)));
    for (auto& row : t.w) {
      for (auto& c : row) {
        const double u = du(rng_);
        c = u < p_zero ? (u < p_zero / 2 ? kZero : kNegZero)
                       : (u < (1.0 + p_zero) / 2 ? kPlus : kMinus);
      }
    }
    return t;
  }
  static Task Filled(std::int64_t k, std::int64_t rows, std::int8_t x, std::uint32_t code) {
    Task t;
    t.x.assign(static_cast<std::size_t>(k), x);
    t.w.assign(static_cast<std::size_t>(rows),
               std::vector<std::uint32_t>(static_cast<std::size_t>(k), code));
    return t;
  }

  void LoadX(const std::vector<std::int8_t>& x) {
    dut_->x_we = 1;
    for (std::size_t k = 0; k < x.size(); ++k) {
      dut_->x_k = AsPort<SData>(static_cast<std::int64_t>(k));
      dut_->x_wdata = Int8Bits(x[k]);
      dut_.Tick();
    }
    dut_->x_we = 0;
  }
  // Packs 2-bit codes W per beat (lane l at bits 2l+1:2l); lanes past the row's end are filled
  // with `pad` (garbage the unit must mask).
  void LoadW(const std::vector<std::vector<std::uint32_t>>& w, std::uint32_t pad) {
    dut_->w_we = 1;
    for (std::size_t r = 0; r < w.size(); ++r) {
      const std::int64_t k = static_cast<std::int64_t>(w[r].size());
      for (std::int64_t beat = 0; beat * kW < k; ++beat) {
        std::uint64_t word = 0;
        for (std::int64_t l = 0; l < kW; ++l) {
          const std::int64_t kk = beat * kW + l;
          const std::uint64_t code = kk < k ? w[r][static_cast<std::size_t>(kk)] : pad;
          word |= code << (2 * l);
        }
        dut_->w_row = AsPort<SData>(static_cast<std::int64_t>(r));
        dut_->w_beat = AsPort<SData>(beat);
        dut_->w_word = static_cast<std::remove_reference_t<decltype(dut_->w_word)>>(word);
        dut_.Tick();
      }
    }
    dut_->w_we = 0;
  }

  // Fills the buffers to capacity with random data: masking of k >= K lanes is then tested.
  void Poison() {
    const Task t = Random(cap_k_, cap_rows_, 0.0);
    LoadX(t.x);
    LoadW(t.w, kPlus);
  }

  std::int64_t Start(std::int64_t k, std::int64_t rows) {
    dut_->cfg_k = AsPort<SData>(k);
    dut_->cfg_rows = AsPort<SData>(rows);
    return dut_.StartAndWait();
  }
  void EndPulse() { dut_.EndPulse(); }

  // Runs one task; checks every y, the cycle count and the nonzero-lane activity (total and per
  // lane). Returns the number of dot products checked.
  std::int64_t Check(const Task& t) {
    const std::string shape = ShapeText(t.k(), t.rows());
    LoadX(t.x);
    LoadW(t.w, kMinus);  // nonzero garbage in the padding lanes of each row's last beat
    const std::int64_t cycles = Start(t.k(), t.rows());
    const std::int64_t expected = TernaryDotCycles(kW, t.k(), t.rows());
    EXPECT_EQ(cycles, expected) << shape << ": RTL start->done " << cycles
                                << " cycles, TernaryDotCycles " << expected;
    std::int64_t nonzero = 0;
    std::vector<std::int64_t> per_lane(static_cast<std::size_t>(kW), 0);
    int mismatches = 0;
    for (std::int64_t r = 0; r < t.rows(); ++r) {
      std::int32_t want = 0;
      for (std::int64_t k = 0; k < t.k(); ++k) {
        const std::uint32_t code = t.w[static_cast<std::size_t>(r)][static_cast<std::size_t>(k)];
        want += std::int32_t{t.x[static_cast<std::size_t>(k)]} * CodeValue(code);
        if (CodeValue(code) != 0) {
          ++nonzero;
          ++per_lane[static_cast<std::size_t>(k % kW)];
        }
      }
      dut_->y_rd_row = AsPort<SData>(r);
      dut_.Eval();
      const auto got = static_cast<std::int32_t>(dut_->y_rdata);
      if (got != want && mismatches++ < 5)
        ADD_FAILURE() << shape << ": y[" << r << "] = " << got << ", reference " << want;
    }
    EXPECT_EQ(static_cast<std::int64_t>(dut_->nz_lanes), nonzero)
        << shape << ": nonzero-weight lane count";
    for (std::int64_t l = 0; l < kW; ++l) {
      dut_->lane_rd = AsPort<SData>(l);
      dut_.Eval();
      EXPECT_EQ(static_cast<std::int64_t>(dut_->lane_nz_count),
                per_lane[static_cast<std::size_t>(l)])
          << shape << ": nonzero-weight count of lane " << l;
    }
    EndPulse();
    return t.rows();
  }

  void RandomVectors();
  void EdgeCases();
  void Timing();

  Dut<Model> dut_;
  std::mt19937_64 rng_;
  std::int64_t cap_k_ = 0, cap_rows_ = 0;
};

// (a) function: random dot products (random K, so most rows end in a partial beat) and random
// sparsity; 100 000 dot products on the 8-lane unit, 15 000 on the others.
template <class Kind>
void TernaryDotTest<Kind>::RandomVectors() {
  this->Poison();
  const std::int64_t target = Kind::kLanes == 8 ? 100'000 : 15'000;
  std::uniform_int_distribution<std::int64_t> dk(1, this->cap_k_), drows(1, this->cap_rows_);
  std::uniform_real_distribution<double> dz(0.0, 0.9);
  std::int64_t dots = 0;
  while (dots < target) {
    const std::int64_t k = dk(this->rng_) / (dots % 3 == 0 ? 8 : 1) + 1;  // many short vectors too
    dots += this->Check(
        this->Random(k > this->cap_k_ ? this->cap_k_ : k, drows(this->rng_), dz(this->rng_)));
    if (this->HasFailure()) break;
  }
  EXPECT_GE(dots, target);
}

template <class Kind>
void TernaryDotTest<Kind>::EdgeCases() {
  const std::int64_t w = Kind::kLanes, ck = this->cap_k_, cr = this->cap_rows_;
  using T = TernaryDotTest;
  this->Poison();
  this->Check(T::Filled(ck, cr, 77, kZero));    // all zero weights: y = 0, no activity
  this->Check(T::Filled(ck, 3, -5, kNegZero));  // reserved zero code
  this->Check(T::Filled(ck, cr, 127, kPlus));   // all +1
  this->Check(T::Filled(ck, cr, -128, kPlus));
  this->Check(T::Filled(ck, cr, -128, kMinus));  // -(-128) = +128 per lane
  this->Check(T::Filled(ck, cr, 127, kMinus));
  this->Check(T::Filled(1, 1, -128, kMinus));  // K = 1
  this->Check(T::Filled(1, 1, 5, kZero));
  for (std::int64_t k : {w - 1, w, w + 1, 2 * w + 1, ck - 1, ck}) {  // K not (and) multiple of W
    if (k < 1) continue;
    this->Check(this->Random(k, 1));
    this->Check(this->Random(k, cr));
  }
  Task mixed = this->Random(ck, 2);  // int8 extremes with every weight code
  for (std::size_t i = 0; i < mixed.x.size(); ++i)
    mixed.x[i] = (i % 2 == 0) ? std::int8_t{-128} : std::int8_t{127};
  for (auto& row : mixed.w) {
    for (std::size_t i = 0; i < row.size(); ++i) row[i] = kCodes[(i / 2) % 4];
  }
  this->Check(mixed);
}

// (b) timing: start->done cycles equal TernaryDotCycles for a set of shapes.
template <class Kind>
void TernaryDotTest<Kind>::Timing() {
  const std::int64_t w = Kind::kLanes, ck = this->cap_k_, cr = this->cap_rows_;
  struct Shape {
    std::int64_t k, rows;
  };
  const std::vector<Shape> shapes = {{1, 1},   {w, 1},      {w + 1, 1}, {2 * w, 1}, {37, 1},
                                     {ck, 1},  {ck - 1, 1}, {1, cr},    {w, 2},     {w + 1, 3},
                                     {ck, cr}, {37, 5},     {0, 1},     {5, 0}};
  for (const Shape& s : shapes) {
    const std::int64_t cycles = this->Start(s.k, s.rows);
    const std::int64_t expected = TernaryDotCycles(w, s.k, s.rows);
    EXPECT_EQ(cycles, expected) << this->ShapeText(s.k, s.rows) << ": RTL start->done " << cycles
                                << " cycles, TernaryDotCycles " << expected;
    this->EndPulse();
  }
}

// One fixture per verilated unit; ctest names read e.g. "TernaryDotW8.EdgeCases".
#define PJSIM_TERNARY_TESTS(Name, Model, W)                       \
  class Name : public TernaryDotTest<TernaryKind<Model, W>> {};   \
  TEST_F(Name, RandomVectorsMatchIntegerSum) { RandomVectors(); } \
  TEST_F(Name, EdgeCases) { EdgeCases(); }                        \
  TEST_F(Name, CyclesMatchTernaryTiming) { Timing(); }

PJSIM_TERNARY_TESTS(TernaryDotW8, Vternary_w8, 8)
PJSIM_TERNARY_TESTS(TernaryDotW16, Vternary_w16, 16)
PJSIM_TERNARY_TESTS(TernaryDotW5, Vternary_w5, 5)
PJSIM_TERNARY_TESTS(TernaryDotW1, Vternary_w1, 1)

}  // namespace
}  // namespace pjsim::rtl
