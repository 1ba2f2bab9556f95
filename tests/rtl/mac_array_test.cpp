// Cross-checks of the verilated INT8 systolic arrays (rtl/int8_mac_array.sv, output-stationary,
// rtl/int8_mac_array_ws.sv, weight-stationary, and rtl/int8_mac_array_is.sv, input-stationary)
// against a plain int32 matmul (function) and against pjsim::ArrayCycles from
// sim/task/array_timing.h (timing, exact to the cycle).
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vint8_is_3x5.h"
#include "Vint8_is_4x4.h"
#include "Vint8_is_8x4.h"
#include "Vint8_os_3x5.h"
#include "Vint8_os_4x4.h"
#include "Vint8_os_8x4.h"
#include "Vint8_ws_3x5.h"
#include "Vint8_ws_4x4.h"
#include "Vint8_ws_8x4.h"
#include "rtl/rtl_harness.h"
#include "sim/task/array_timing.h"

namespace pjsim::rtl {
namespace {

template <class M, Dataflow F, std::int64_t R, std::int64_t C>
struct ArrayKind {
  using Model = M;
  static constexpr Dataflow kFlow = F;
  static constexpr std::int64_t kRows = R;
  static constexpr std::int64_t kCols = C;
};

struct Matrix {
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::vector<std::int8_t> v;
  std::int8_t at(std::int64_t r, std::int64_t c) const {
    return v[static_cast<std::size_t>(r * cols + c)];
  }
};

std::vector<std::int32_t> ReferenceMatmul(const Matrix& a, const Matrix& b) {
  std::vector<std::int32_t> c(static_cast<std::size_t>(a.rows * b.cols), 0);
  for (std::int64_t m = 0; m < a.rows; ++m) {
    for (std::int64_t n = 0; n < b.cols; ++n) {
      std::int32_t sum = 0;
      for (std::int64_t k = 0; k < a.cols; ++k)
        sum += std::int32_t{a.at(m, k)} * std::int32_t{b.at(k, n)};
      c[static_cast<std::size_t>(m * b.cols + n)] = sum;
    }
  }
  return c;
}

std::string ShapeText(const char* flow, std::int64_t r, std::int64_t c, GemmTask t) {
  std::ostringstream os;
  os << flow << " array " << r << "x" << c << ", task M=" << t.m << " K=" << t.k << " N=" << t.n;
  return os.str();
}

template <class Kind>
class MacArrayTest : public ::testing::Test {
 public:
 protected:
  using Model = typename Kind::Model;

  MacArrayTest() : rng_(0x5eed0000u + static_cast<unsigned>(Kind::kRows * 16 + Kind::kCols)) {}

  void SetUp() override {
    // The kernel reports the geometry it was verilated with; the test's traits must agree.
    ASSERT_EQ(dut_->rows, Kind::kRows);
    ASSERT_EQ(dut_->cols, Kind::kCols);
    cap_m_ = dut_->cap_m;
    cap_k_ = dut_->cap_k;
    cap_n_ = dut_->cap_n;
  }

  const char* FlowName() const {
    switch (Kind::kFlow) {
      case Dataflow::kOutputStationary:
        return "OS";
      case Dataflow::kWeightStationary:
        return "WS";
      case Dataflow::kInputStationary:
        return "IS";
    }
    return "?";
  }
  ArrayShape Shape() const { return {Kind::kRows, Kind::kCols}; }

  Matrix Random(std::int64_t rows, std::int64_t cols) {
    std::uniform_int_distribution<int> d(-128, 127);
    Matrix x{rows, cols, std::vector<std::int8_t>(static_cast<std::size_t>(rows * cols))};
    for (auto& e : x.v) e = static_cast<std::int8_t>(d(rng_));
    return x;
  }
  static Matrix Filled(std::int64_t rows, std::int64_t cols, std::int8_t value) {
    return {rows, cols, std::vector<std::int8_t>(static_cast<std::size_t>(rows * cols), value)};
  }

  void LoadA(const Matrix& a) {
    LoadMacA(dut_, a.rows, a.cols, [&](std::int64_t m, std::int64_t k) { return a.at(m, k); });
  }
  void LoadB(const Matrix& b) {
    LoadMacB(dut_, b.rows, b.cols, [&](std::int64_t k, std::int64_t n) { return b.at(k, n); });
  }

  // Fills both operand buffers to capacity with random data, so any operand the kernel fails to
  // mask in an edge fold (rows >= M, columns >= N, k >= K) corrupts the results.
  void Poison() {
    LoadA(Random(cap_m_, cap_k_));
    LoadB(Random(cap_k_, cap_n_));
  }

  // `keep` / `hold` (output-stationary only): the task adds onto the sums in the PEs / leaves
  // its sums there (K chunks accumulated in the array).
  std::int64_t Start(GemmTask t, bool keep = false, bool hold = false) {
    dut_->cfg_m = AsPort<SData>(t.m);
    dut_->cfg_k = AsPort<SData>(t.k);
    dut_->cfg_n = AsPort<SData>(t.n);
    if constexpr (Kind::kFlow == Dataflow::kOutputStationary) {
      dut_->cfg_keep = keep;
      dut_->cfg_hold = hold;
    }
    return dut_.StartAndWait();
  }
  void EndPulse() { dut_.EndPulse(); }

  std::vector<std::int32_t> ReadC(std::int64_t rows, std::int64_t cols) {
    std::vector<std::int32_t> c;
    c.reserve(static_cast<std::size_t>(rows * cols));
    for (std::int64_t m = 0; m < rows; ++m) {
      for (std::int64_t n = 0; n < cols; ++n) c.push_back(ReadMacC(dut_, m, n));
    }
    return c;
  }

  // Runs one task end to end; checks results element by element and the cycle count exactly.
  // Returns the MACs performed.
  std::int64_t Check(const Matrix& a, const Matrix& b) {
    const GemmTask t{a.rows, a.cols, b.cols};
    const std::string shape = ShapeText(FlowName(), Kind::kRows, Kind::kCols, t);
    LoadA(a);
    LoadB(b);
    const std::int64_t cycles = Start(t);
    const std::int64_t expected = ArrayCycles(Kind::kFlow, Shape(), t);
    EXPECT_EQ(cycles, expected) << shape << ": RTL start->done " << cycles
                                << " cycles, ArrayCycles " << expected;
    const auto want = ReferenceMatmul(a, b);
    const auto got = ReadC(t.m, t.n);
    int mismatches = 0;
    for (std::size_t i = 0; i < want.size() && mismatches < 5; ++i) {
      if (got[i] != want[i]) {
        ++mismatches;
        ADD_FAILURE() << shape << ": C[" << static_cast<std::int64_t>(i) / t.n << "]["
                      << static_cast<std::int64_t>(i) % t.n << "] = " << got[i] << ", reference "
                      << want[i];
      }
    }
    EndPulse();
    return t.m * t.k * t.n;
  }

  void RandomTasks();
  void EdgeCases();
  void Timing();
  void ChainedKChunks();

  Dut<Model> dut_;
  std::mt19937_64 rng_;
  std::int64_t cap_m_ = 0, cap_k_ = 0, cap_n_ = 0;
};

// (a) function: random tasks (random shapes up to capacity, so most have partial edge folds),
// well over 100 000 MACs per array.
template <class Kind>
void MacArrayTest<Kind>::RandomTasks() {
  this->Poison();
  std::uniform_int_distribution<std::int64_t> dm(1, this->cap_m_), dk(1, this->cap_k_),
      dn(1, this->cap_n_);
  std::int64_t macs = 0;
  int tasks = 0;
  while (macs < 1'500'000 || tasks < 20) {
    const std::int64_t m = dm(this->rng_), k = dk(this->rng_), n = dn(this->rng_);
    macs += this->Check(this->Random(m, k), this->Random(k, n));
    ++tasks;
    if (this->HasFailure()) break;
  }
  EXPECT_GE(macs, 100'000);
  this->RecordProperty("macs", std::to_string(macs));
}

template <class Kind>
void MacArrayTest<Kind>::EdgeCases() {
  const std::int64_t r = Kind::kRows, c = Kind::kCols;
  const std::int64_t cm = this->cap_m_, ck = this->cap_k_, cn = this->cap_n_;
  this->Poison();
  using T = MacArrayTest;
  // Extremes at full depth: the largest magnitudes the int32 accumulators must hold.
  this->Check(T::Filled(cm, ck, -128), T::Filled(ck, cn, -128));
  this->Check(T::Filled(cm, ck, 127), T::Filled(ck, cn, 127));
  this->Check(T::Filled(cm, ck, -128), T::Filled(ck, cn, 127));
  this->Check(T::Filled(r, ck, 127), T::Filled(ck, c, -128));
  // Zeros (after non-zero data: accumulators must restart).
  this->Check(T::Filled(cm, ck, 0), this->Random(ck, cn));
  this->Check(this->Random(r + 1, 9), T::Filled(9, c + 1, 0));
  // K = 1, single MAC, single partial fold, exactly one fold, one extra row / column.
  this->Check(this->Random(1, 1), this->Random(1, 1));
  this->Check(this->Random(cm, 1), this->Random(1, cn));
  this->Check(this->Random(r, 1), this->Random(1, c));
  this->Check(this->Random(r - 1 > 0 ? r - 1 : 1, 5), this->Random(5, c > 1 ? c - 1 : 1));
  this->Check(this->Random(r, 7), this->Random(7, c));
  this->Check(this->Random(r + 1, 7), this->Random(7, c));
  this->Check(this->Random(r, 7), this->Random(7, c + 1));
  this->Check(this->Random(r + 1, r + 1), this->Random(r + 1, c + 1));
  this->Check(this->Random(2 * r - 1, 3), this->Random(3, 3 * c - 1));
  // K at fold boundaries of the WS and IS arrays (K = R, R + 1) and full capacity.
  this->Check(this->Random(6, r), this->Random(r, 6));
  this->Check(this->Random(6, r + 1), this->Random(r + 1, 6));
  this->Check(this->Random(cm, ck), this->Random(ck, cn));
}

// (b) timing: start->done cycles equal ArrayCycles for a set of shapes (operand values do not
// matter for timing; the buffers hold whatever the previous task left).
template <class Kind>
void MacArrayTest<Kind>::Timing() {
  const std::int64_t r = Kind::kRows, c = Kind::kCols;
  const std::int64_t cm = this->cap_m_, ck = this->cap_k_, cn = this->cap_n_;
  const std::vector<GemmTask> shapes = {{1, 1, 1},
                                        {r, 1, c},
                                        {r, ck, c},
                                        {r + 1, 7, c},
                                        {r, 7, c + 1},
                                        {2 * r, 16, 3 * c},
                                        {5, 33, 9},
                                        {17, 3, 2},
                                        {cm, ck, cn},
                                        {cm, 1, cn},
                                        {1, ck, 1},
                                        {3, r, 4},
                                        {3, r + 1, 4},
                                        {4 * r, 4 * r, 4 * c},
                                        {cm - 1, 2 * r + 1, cn - 1},
                                        {0, 5, 5},
                                        {5, 0, 5},
                                        {5, 5, 0}};
  for (const GemmTask& t : shapes) {
    const std::int64_t cycles = this->Start(t);
    const std::int64_t expected = ArrayCycles(Kind::kFlow, this->Shape(), t);
    EXPECT_EQ(cycles, expected) << ShapeText(this->FlowName(), r, c, t) << ": RTL start->done "
                                << cycles << " cycles, ArrayCycles " << expected;
    this->EndPulse();
  }
}

// (c) K chunks accumulated in the array (output-stationary, one fold): a block's K is cut into
// chunks, each loaded and started on its own (the first resets the sums, the others keep them;
// all but the last hold them in the PEs). Every chunk takes ArrayCycles with keeps_sums, the chain
// the single pass over the whole K, and the drained block equals the int32 GEMM over all of K.
// The chain starts after a task whose sums differ, so a first chunk that failed to reset them, or
// a kept chunk that reset them, changes the result.
template <class Kind>
void MacArrayTest<Kind>::ChainedKChunks() {
  const std::int64_t r = Kind::kRows, c = Kind::kCols, ck = this->cap_k_;
  const struct {
    std::int64_t m, n;
    std::vector<std::int64_t> chunks;  // K of each chunk
  } kChains[] = {{r, c, {7, 7}},          {r, c, {1, 1, 1}},
                 {r, c, {ck, ck, ck, 5}}, {r - 1 > 0 ? r - 1 : 1, c, {3, 9, 2, 1}},
                 {1, 1, {4, 4}},          {r, c > 1 ? c - 1 : 1, {r + 1, 1, ck}},
                 {2, 3, {16, 16, 16, 16}}};
  for (const auto& chain : kChains) {
    std::int64_t k_total = 0;
    for (std::int64_t k : chain.chunks) k_total += k;
    const Matrix a = this->Random(chain.m, k_total), b = this->Random(k_total, chain.n);
    this->Check(this->Random(chain.m, 5), this->Random(5, chain.n));  // other sums in the PEs
    std::int64_t k0 = 0, chain_cycles = 0;
    for (size_t i = 0; i < chain.chunks.size(); ++i) {
      const std::int64_t kc = chain.chunks[i];
      const bool keep = i > 0, hold = i + 1 < chain.chunks.size();
      LoadMacA(dut_, chain.m, kc, [&](std::int64_t m, std::int64_t k) { return a.at(m, k0 + k); });
      LoadMacB(dut_, kc, chain.n, [&](std::int64_t k, std::int64_t n) { return b.at(k0 + k, n); });
      const GemmTask t{chain.m, kc, chain.n};
      const std::int64_t cycles = this->Start(t, keep, hold);
      EXPECT_EQ(cycles, ArrayCycles(Kind::kFlow, this->Shape(), t, hold))
          << ShapeText(this->FlowName(), r, c, t) << ", chunk " << i << " of a chain";
      chain_cycles += cycles;
      this->EndPulse();
      k0 += kc;
    }
    const GemmTask whole{chain.m, k_total, chain.n};
    EXPECT_EQ(chain_cycles, ArrayCycles(Kind::kFlow, this->Shape(), whole))
        << ShapeText(this->FlowName(), r, c, whole) << " in " << chain.chunks.size() << " chunks";
    EXPECT_EQ(this->ReadC(chain.m, chain.n), ReferenceMatmul(a, b))
        << ShapeText(this->FlowName(), r, c, whole) << " in " << chain.chunks.size() << " chunks";
  }
  // Back to back: the same operands streamed three times without reloading the buffers, so each
  // chunk starts two edges after the previous one's done, while that chunk's last operands are
  // still in the skew lines and PEs. The sums are three times one chunk's product.
  for (const GemmTask t : {GemmTask{r, ck, c}, GemmTask{r, 2, c}, GemmTask{1, 3, c}}) {
    const Matrix a = this->Random(t.m, t.k), b = this->Random(t.k, t.n);
    this->Check(a, b);  // loads the operands; its sums (one product) are then overwritten
    std::int64_t chain_cycles = 0;
    for (int i = 0; i < 3; ++i) {
      chain_cycles += this->Start(t, i > 0, i < 2);
      this->EndPulse();
    }
    EXPECT_EQ(chain_cycles, ArrayCycles(Kind::kFlow, this->Shape(), {t.m, 3 * t.k, t.n}))
        << ShapeText(this->FlowName(), r, c, t) << " three times back to back";
    std::vector<std::int32_t> want = ReferenceMatmul(a, b);
    for (std::int32_t& x : want) x *= 3;
    EXPECT_EQ(this->ReadC(t.m, t.n), want)
        << ShapeText(this->FlowName(), r, c, t) << " three times back to back";
  }
}

// One fixture per verilated array; ctest names read e.g. "MacArrayOS4x4.EdgeCases".
#define PJSIM_ARRAY_TESTS(Name, Model, Flow, R, C)                             \
  class Name : public MacArrayTest<ArrayKind<Model, Dataflow::Flow, R, C>> {}; \
  TEST_F(Name, RandomTasksMatchInt32Matmul) { RandomTasks(); }                 \
  TEST_F(Name, EdgeCases) { EdgeCases(); }                                     \
  TEST_F(Name, CyclesMatchArrayTiming) { Timing(); }

PJSIM_ARRAY_TESTS(MacArrayOS4x4, Vint8_os_4x4, kOutputStationary, 4, 4)
PJSIM_ARRAY_TESTS(MacArrayOS8x4, Vint8_os_8x4, kOutputStationary, 8, 4)
PJSIM_ARRAY_TESTS(MacArrayOS3x5, Vint8_os_3x5, kOutputStationary, 3, 5)
TEST_F(MacArrayOS4x4, ChainedKChunksAccumulateInTheArray) { ChainedKChunks(); }
TEST_F(MacArrayOS8x4, ChainedKChunksAccumulateInTheArray) { ChainedKChunks(); }
TEST_F(MacArrayOS3x5, ChainedKChunksAccumulateInTheArray) { ChainedKChunks(); }
PJSIM_ARRAY_TESTS(MacArrayWS4x4, Vint8_ws_4x4, kWeightStationary, 4, 4)
PJSIM_ARRAY_TESTS(MacArrayWS8x4, Vint8_ws_8x4, kWeightStationary, 8, 4)
PJSIM_ARRAY_TESTS(MacArrayWS3x5, Vint8_ws_3x5, kWeightStationary, 3, 5)
PJSIM_ARRAY_TESTS(MacArrayIS4x4, Vint8_is_4x4, kInputStationary, 4, 4)
PJSIM_ARRAY_TESTS(MacArrayIS8x4, Vint8_is_8x4, kInputStationary, 8, 4)
PJSIM_ARRAY_TESTS(MacArrayIS3x5, Vint8_is_3x5, kInputStationary, 3, 5)

}  // namespace
}  // namespace pjsim::rtl
