// The Verilator side of tile kind int8_mac_rtl (sim/arch/rtl_mac_array_kind.h): wraps the
// verilated int8 arrays of pjsim_rtl_cc (output- and weight-stationary, 4x4, 8x4 and 3x5) behind
// RtlMacArray and registers the factory when this file is linked into a program (the pjsim
// executable and the rtl tests, see rtl/CMakeLists.txt).
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>

#include "Vint8_os_3x5.h"
#include "Vint8_os_4x4.h"
#include "Vint8_os_8x4.h"
#include "Vint8_ws_3x5.h"
#include "Vint8_ws_4x4.h"
#include "Vint8_ws_8x4.h"
#include "rtl/rtl_harness.h"
#include "sim/arch/rtl_mac_array_kind.h"

namespace pjsim {
namespace {

template <class Model>
class VerilatedMacArray : public RtlMacArray {
 public:
  std::int64_t rows() const override { return rows_; }
  std::int64_t cols() const override { return cols_; }
  std::int64_t cap_m() const override { return cap_m_; }
  std::int64_t cap_k() const override { return cap_k_; }
  std::int64_t cap_n() const override { return cap_n_; }

  std::int64_t Run(std::int64_t m, std::int64_t k, std::int64_t n, std::span<const std::int8_t> a,
                   std::span<const std::int8_t> b, std::span<std::int32_t> c) override {
    using rtl::AsPort;
    if (m > cap_m_ || k > cap_k_ || n > cap_n_)
      throw std::logic_error("RtlMacArray::Run beyond capacity");
    rtl::LoadMacA(dut_, m, k, [&](std::int64_t i, std::int64_t j) {
      return a[static_cast<std::size_t>(i * k + j)];
    });
    rtl::LoadMacB(dut_, k, n, [&](std::int64_t i, std::int64_t j) {
      return b[static_cast<std::size_t>(i * n + j)];
    });
    dut_->cfg_m = AsPort<SData>(m);
    dut_->cfg_k = AsPort<SData>(k);
    dut_->cfg_n = AsPort<SData>(n);
    const std::int64_t cycles = dut_.StartAndWait();
    dut_.EndPulse();
    for (std::int64_t i = 0; i < m; ++i) {
      for (std::int64_t j = 0; j < n; ++j)
        c[static_cast<std::size_t>(i * n + j)] = rtl::ReadMacC(dut_, i, j);
    }
    return cycles;
  }

 private:
  rtl::Dut<Model> dut_;
  std::int64_t rows_ = dut_->rows, cols_ = dut_->cols;
  std::int64_t cap_m_ = dut_->cap_m, cap_k_ = dut_->cap_k, cap_n_ = dut_->cap_n;
};

std::unique_ptr<RtlMacArray> MakeVerilatedMacArray(const TileConfig& tile) {
  // The loop's chunking (sim/arch/rtl_mac_array_kind.cpp) knows the OS and WS kernels only; the
  // IS kernel is cross-checked on its own (tests/rtl/mac_array_test.cpp).
  if (tile.dataflow == Dataflow::kInputStationary) {
    throw std::invalid_argument(
        "tile kind 'int8_mac_rtl': no input_stationary array in the loop (use output_stationary "
        "or weight_stationary)");
  }
  const bool os = tile.dataflow == Dataflow::kOutputStationary;
  const std::string shape = std::to_string(tile.rows) + "x" + std::to_string(tile.cols);
  if (shape == "4x4") {
    return os ? std::unique_ptr<RtlMacArray>(new VerilatedMacArray<Vint8_os_4x4>)
              : std::unique_ptr<RtlMacArray>(new VerilatedMacArray<Vint8_ws_4x4>);
  }
  if (shape == "8x4") {
    return os ? std::unique_ptr<RtlMacArray>(new VerilatedMacArray<Vint8_os_8x4>)
              : std::unique_ptr<RtlMacArray>(new VerilatedMacArray<Vint8_ws_8x4>);
  }
  if (shape == "3x5") {
    return os ? std::unique_ptr<RtlMacArray>(new VerilatedMacArray<Vint8_os_3x5>)
              : std::unique_ptr<RtlMacArray>(new VerilatedMacArray<Vint8_ws_3x5>);
  }
  throw std::invalid_argument("tile kind 'int8_mac_rtl': no verilated array of shape " + shape +
                              " (verilated shapes: 4x4, 8x4, 3x5; see rtl/CMakeLists.txt)");
}

[[maybe_unused]] const bool kRegistered = [] {
  RegisterRtlMacArrayFactory(&MakeVerilatedMacArray);
  return true;
}();

}  // namespace
}  // namespace pjsim
