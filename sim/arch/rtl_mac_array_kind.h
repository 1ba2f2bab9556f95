#pragma once
// Tile kind `int8_mac_rtl`: the int8 MAC array with its compute run through the verilated RTL
// kernel (rtl/int8_mac_array.sv, rtl/int8_mac_array_ws.sv) inside a normal `pjsim run`.
//
// Every GEMM tile task is executed by the RTL on deterministic pseudo-random int8 operands (the
// simulator carries no tensor data; the operands are seeded by the task's position in the run):
// the RTL's cycle count from start to done becomes the task's array cycles, and its output block
// is compared element by element with an int32 reference GEMM of the same operands. Energy and
// SRAM traffic are the int8_mac kind's (MacArrayKind), so a run with int8_mac_rtl must reproduce
// an int8_mac run exactly; any difference in cycles or values aborts the run naming both numbers.
//
// The verilated kernels have fixed shapes and operand-buffer capacities, so a task is cut into
// chunks the kernel can hold along the dimensions whose cut leaves the cycle formula unchanged
// (sim/task/array_timing.h): output-stationary M (multiples of R) and N (multiples of C);
// weight-stationary K (multiples of R; partial sums added here) and N. The other dimension (OS:
// K, WS: M) must fit the kernel's capacity.
//
// This file is plain C++. The Verilator side lives in rtl/loop/ and registers itself with
// RegisterRtlMacArrayFactory when linked in (PJSIM_BUILD_RTL=ON); without it, building the kind
// throws.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/arch/mac_array_kind.h"

namespace pjsim {

// One verilated R x C int8 array (either dataflow): C[m x n] = A[m x k] * B[k x n], row-major.
class RtlMacArray {
 public:
  virtual ~RtlMacArray() = default;
  virtual std::int64_t rows() const = 0;
  virtual std::int64_t cols() const = 0;
  virtual std::int64_t cap_m() const = 0;
  virtual std::int64_t cap_k() const = 0;
  virtual std::int64_t cap_n() const = 0;
  // Loads the operands, pulses start and counts edges until done (the harness convention of
  // rtl/rtl_harness.h), then reads the m x n results. Requires m, k, n within the caps.
  virtual std::int64_t Run(std::int64_t m, std::int64_t k, std::int64_t n,
                           std::span<const std::int8_t> a, std::span<const std::int8_t> b,
                           std::span<std::int32_t> c) = 0;
};

// Builds the verilated array for a tile's shape and dataflow; throws std::invalid_argument for a
// shape no kernel was verilated for.
using RtlMacArrayFactory = std::unique_ptr<RtlMacArray> (*)(const TileConfig& tile);
// Called by the Verilator side (a static registrar) when it is linked into the program.
void RegisterRtlMacArrayFactory(RtlMacArrayFactory factory);
bool HaveRtlMacArray();

class RtlMacArrayKind : public TileKind {
 public:
  // Throws std::invalid_argument without a registered factory or for an unsupported shape.
  explicit RtlMacArrayKind(const TileConfig& tile);
  void RegisterActions(EnergyLedger& ledger, const TechTable& tech) override;
  // int8 layers, like int8_mac; throws std::invalid_argument for a layer whose unsplittable
  // dimension (OS: K, WS: M) exceeds the verilated array's capacity.
  bool Supports(const Layer& layer) const override;
  // The abstract kind's cost with array_cycles from the RTL; throws std::runtime_error if the RTL's
  // cycles differ from ArrayCycles or an output differs from the reference GEMM.
  GemmCost RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                   const TileTask& task) const override;

  // Counters over the kind's life (for tests and reports).
  std::int64_t tasks_run() const { return tasks_; }
  std::int64_t rtl_cycles() const { return rtl_cycles_; }
  std::int64_t outputs_checked() const { return outputs_checked_; }

  // The chunked RTL execution of one m x k x n GEMM (row-major operands); returns the RTL cycles
  // and writes c. Public so tests can drive it directly.
  std::int64_t RunOnRtl(std::int64_t m, std::int64_t k, std::int64_t n,
                        std::span<const std::int8_t> a, std::span<const std::int8_t> b,
                        std::span<std::int32_t> c) const;

 private:
  TileConfig tile_;
  MacArrayKind abstract_;
  std::unique_ptr<RtlMacArray> rtl_;
  mutable std::int64_t tasks_ = 0;
  mutable std::int64_t rtl_cycles_ = 0;
  mutable std::int64_t outputs_checked_ = 0;
};

}  // namespace pjsim
