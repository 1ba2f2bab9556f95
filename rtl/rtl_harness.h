#pragma once
// Minimal clocking harness for the verilated --cc kernels (no SystemC). Every kernel has clk,
// active-low asynchronous rst_n, a one-cycle start and a registered one-cycle done pulse.
//
// Cycle counting convention (the one sim/task/*_timing.h states): inputs set before Tick() are
// sampled on that rising edge. StartAndWait() raises start for one edge (edge 0) and returns the
// number of further edges until the edge after which done reads 1 — i.e. done on edge P gives P.
#include <verilated.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace pjsim::rtl {

template <class Model>
class Dut {
 public:
  Dut()
      : ctx_(std::make_unique<VerilatedContext>()),
        top_(std::make_unique<Model>(ctx_.get(), "top")) {
    top_->clk = 0;
    top_->rst_n = 0;
    top_->start = 0;
    top_->eval();
    Tick();
    Tick();
    top_->rst_n = 1;
    top_->eval();
    Tick();
  }
  Dut(const Dut&) = delete;
  Dut& operator=(const Dut&) = delete;
  ~Dut() { top_->final(); }

  Model* operator->() { return top_.get(); }

  // One clock period: rising edge (samples inputs), then falling edge.
  void Tick() {
    top_->clk = 1;
    top_->eval();
    top_->clk = 0;
    top_->eval();
    ++edges_;
  }

  // Settles combinational outputs after an input change (asynchronous read ports).
  void Eval() { top_->eval(); }

  // Pulses start (configuration already on the cfg_* inputs) and counts edges until done. Returns
  // with done still high, so results can be read in the state of the done edge; call EndPulse()
  // before the next start.
  std::int64_t StartAndWait(std::int64_t limit = 1'000'000) {
    if (top_->done || top_->busy) throw std::runtime_error("start while busy or done still high");
    top_->start = 1;
    Tick();
    top_->start = 0;
    std::int64_t cycles = 0;
    while (!top_->done) {
      if (cycles >= limit)
        throw std::runtime_error("done not raised within " + std::to_string(limit) + " cycles");
      Tick();
      ++cycles;
    }
    if (top_->busy) throw std::runtime_error("busy still high on the done edge");
    return cycles;
  }

  // One more edge after done: done is a one-cycle pulse and the unit stays idle.
  void EndPulse() {
    Tick();
    if (top_->done) throw std::runtime_error("done held for more than one cycle");
    if (top_->busy) throw std::runtime_error("busy after done");
  }

  std::int64_t edges() const { return edges_; }
  VerilatedContext& context() { return *ctx_; }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> top_;
  std::int64_t edges_ = 0;
};

// Narrowing helpers for Verilator's port types (CData/SData/IData/QData are unsigned).
template <class Port>
constexpr Port AsPort(std::int64_t v) {
  return static_cast<Port>(v);
}
inline std::uint8_t Int8Bits(std::int8_t v) { return static_cast<std::uint8_t>(v); }

// Host ports of the int8 MAC arrays (rtl/int8_mac_array.sv, rtl/int8_mac_array_ws.sv and
// rtl/int8_mac_array_is.sv): operand loads one element per edge, A[m][k] = a(m, k) for m < rows,
// k < cols and B[k][n] = b(k, n), and the asynchronous result read C[m][n].
template <class Model, class Element>
void LoadMacA(Dut<Model>& dut, std::int64_t rows, std::int64_t cols, Element a) {
  dut->a_we = 1;
  for (std::int64_t m = 0; m < rows; ++m) {
    for (std::int64_t k = 0; k < cols; ++k) {
      dut->a_m = AsPort<SData>(m);
      dut->a_k = AsPort<SData>(k);
      dut->a_wdata = Int8Bits(a(m, k));
      dut.Tick();
    }
  }
  dut->a_we = 0;
}
template <class Model, class Element>
void LoadMacB(Dut<Model>& dut, std::int64_t rows, std::int64_t cols, Element b) {
  dut->b_we = 1;
  for (std::int64_t k = 0; k < rows; ++k) {
    for (std::int64_t n = 0; n < cols; ++n) {
      dut->b_k = AsPort<SData>(k);
      dut->b_n = AsPort<SData>(n);
      dut->b_wdata = Int8Bits(b(k, n));
      dut.Tick();
    }
  }
  dut->b_we = 0;
}
template <class Model>
std::int32_t ReadMacC(Dut<Model>& dut, std::int64_t m, std::int64_t n) {
  dut->c_rd_m = AsPort<SData>(m);
  dut->c_rd_n = AsPort<SData>(n);
  dut.Eval();
  return static_cast<std::int32_t>(dut->c_rdata);
}

}  // namespace pjsim::rtl
