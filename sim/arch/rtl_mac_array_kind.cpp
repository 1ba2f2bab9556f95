#include "sim/arch/rtl_mac_array_kind.h"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>

#include "sim/config/tile_kind_registry.h"
#include "sim/numerics/portable_random.h"

namespace pjsim {
namespace {

RtlMacArrayFactory& Factory() {
  static RtlMacArrayFactory factory = nullptr;
  return factory;
}

std::string Shape(std::int64_t m, std::int64_t k, std::int64_t n) {
  return std::to_string(m) + "x" + std::to_string(k) + "x" + std::to_string(n);
}

}  // namespace

void RegisterRtlMacArrayFactory(RtlMacArrayFactory factory) { Factory() = factory; }
bool HaveRtlMacArray() { return Factory() != nullptr; }

RtlMacArrayKind::RtlMacArrayKind(const TileConfig& tile) : tile_(tile), abstract_(tile, "int8") {
  if (Factory() == nullptr) {
    throw std::invalid_argument(
        "tile kind 'int8_mac_rtl' needs the verilated RTL kernels, which this pjsim was "
        "built without (configure with -DPJSIM_BUILD_RTL=ON and Verilator installed)");
  }
  rtl_ = Factory()(tile);
  if (rtl_->rows() != tile.rows || rtl_->cols() != tile.cols) {
    throw std::logic_error("verilated array shape differs from the tile's");
  }
}

void RtlMacArrayKind::RegisterActions(EnergyLedger& ledger, const TechTable& tech) {
  abstract_.RegisterActions(ledger, tech);
}

bool RtlMacArrayKind::Supports(const Layer& layer) const {
  if (!abstract_.Supports(layer)) return false;
  // Checked here, before the simulation starts, so that a run that cannot fit stops with this
  // message instead of an exception inside a SystemC process. Tasks are never larger than their
  // layer, so a layer that passes never fails this check in RunOnRtl.
  const bool os = tile_.dataflow == Dataflow::kOutputStationary;
  const std::int64_t size = os ? layer.k : layer.m, cap = os ? rtl_->cap_k() : rtl_->cap_m();
  if (size > cap) {
    throw std::invalid_argument(
        "tile kind 'int8_mac_rtl': layer '" + layer.name + "' has " + (os ? "K" : "M") + " = " +
        std::to_string(size) + ", more than the verilated " + std::to_string(tile_.rows) + "x" +
        std::to_string(tile_.cols) + " " + (os ? "output" : "weight") +
        "-stationary array holds (" + std::to_string(cap) + "); use a smaller layer");
  }
  return true;
}

std::int64_t RtlMacArrayKind::RunOnRtl(std::int64_t m, std::int64_t k, std::int64_t n,
                                       std::span<const std::int8_t> a,
                                       std::span<const std::int8_t> b,
                                       std::span<std::int32_t> c) const {
  const bool os = tile_.dataflow == Dataflow::kOutputStationary;
  const std::int64_t r = rtl_->rows(), cc = rtl_->cols();
  // Chunk sizes along the cuttable dimensions; the other one must fit as a whole.
  const std::int64_t chunk_m = os ? rtl_->cap_m() / r * r : m;
  const std::int64_t chunk_k = os ? k : rtl_->cap_k() / r * r;
  const std::int64_t chunk_n = rtl_->cap_n() / cc * cc;
  if ((os && k > rtl_->cap_k()) || (!os && m > rtl_->cap_m()) || chunk_m <= 0 || chunk_k <= 0 ||
      chunk_n <= 0) {
    throw std::runtime_error("int8_mac_rtl: task " + Shape(m, k, n) +
                             " does not fit the verilated array (" + std::string(os ? "K" : "M") +
                             " capacity " + std::to_string(os ? rtl_->cap_k() : rtl_->cap_m()) +
                             "); use smaller layers or a smaller tile SRAM");
  }
  std::fill(c.begin(), c.end(), 0);
  std::int64_t cycles = 0;
  std::vector<std::int8_t> ca, cb;
  std::vector<std::int32_t> cc_out;
  for (std::int64_t m0 = 0; m0 < m; m0 += chunk_m) {
    const std::int64_t mc = std::min(chunk_m, m - m0);
    for (std::int64_t k0 = 0; k0 < k; k0 += chunk_k) {
      const std::int64_t kc = std::min(chunk_k, k - k0);
      for (std::int64_t n0 = 0; n0 < n; n0 += chunk_n) {
        const std::int64_t nc = std::min(chunk_n, n - n0);
        ca.assign(static_cast<std::size_t>(mc * kc), 0);
        cb.assign(static_cast<std::size_t>(kc * nc), 0);
        cc_out.assign(static_cast<std::size_t>(mc * nc), 0);
        for (std::int64_t i = 0; i < mc; ++i) {
          for (std::int64_t j = 0; j < kc; ++j) {
            ca[static_cast<std::size_t>(i * kc + j)] =
                a[static_cast<std::size_t>((m0 + i) * k + k0 + j)];
          }
        }
        for (std::int64_t i = 0; i < kc; ++i) {
          for (std::int64_t j = 0; j < nc; ++j) {
            cb[static_cast<std::size_t>(i * nc + j)] =
                b[static_cast<std::size_t>((k0 + i) * n + n0 + j)];
          }
        }
        cycles += rtl_->Run(mc, kc, nc, ca, cb, cc_out);
        for (std::int64_t i = 0; i < mc; ++i) {
          for (std::int64_t j = 0; j < nc; ++j) {
            // Partial sums of K chunks add with the array's int32 wrap-around.
            auto& out = c[static_cast<std::size_t>((m0 + i) * n + n0 + j)];
            out = static_cast<std::int32_t>(
                static_cast<std::uint32_t>(out) +
                static_cast<std::uint32_t>(cc_out[static_cast<std::size_t>(i * nc + j)]));
          }
        }
      }
    }
  }
  return cycles;
}

GemmCost RtlMacArrayKind::RunGemm(EnergyLedger& ledger, int layer_index, const Layer& layer,
                                  const TileTask& task) const {
  // The RTL runs first: a task that fails charges nothing.
  const GemmTask& g = task.gemm;
  if (g.m == 0 || g.k == 0 || g.n == 0) return abstract_.RunGemm(ledger, layer_index, layer, task);
  std::mt19937_64 rng((static_cast<std::uint64_t>(layer_index) << 40) ^
                      static_cast<std::uint64_t>(tasks_));
  std::vector<std::int8_t> a(static_cast<std::size_t>(g.m * g.k)),
      b(static_cast<std::size_t>(g.k * g.n));
  for (auto& x : a) x = numerics::UniformInt8(rng);
  for (auto& x : b) x = numerics::UniformInt8(rng);
  std::vector<std::int32_t> c(static_cast<std::size_t>(g.m * g.n));
  const std::int64_t cycles = RunOnRtl(g.m, g.k, g.n, a, b, c);
  const std::int64_t model = ArrayCycles(tile_.dataflow, ArrayShape{tile_.rows, tile_.cols}, g);
  if (cycles != model) {
    throw std::runtime_error("int8_mac_rtl: task " + Shape(g.m, g.k, g.n) + " of layer '" +
                             layer.name + "': RTL took " + std::to_string(cycles) +
                             " cycles, the model says " + std::to_string(model));
  }
  for (std::int64_t i = 0; i < g.m; ++i) {
    for (std::int64_t j = 0; j < g.n; ++j) {
      std::uint32_t want = 0;
      for (std::int64_t kk = 0; kk < g.k; ++kk) {
        want += static_cast<std::uint32_t>(a[static_cast<std::size_t>(i * g.k + kk)] *
                                           b[static_cast<std::size_t>(kk * g.n + j)]);
      }
      const std::int32_t got = c[static_cast<std::size_t>(i * g.n + j)];
      if (got != static_cast<std::int32_t>(want)) {
        throw std::runtime_error("int8_mac_rtl: task " + Shape(g.m, g.k, g.n) + " of layer '" +
                                 layer.name + "': RTL output C[" + std::to_string(i) + "][" +
                                 std::to_string(j) + "] = " + std::to_string(got) + ", reference " +
                                 std::to_string(static_cast<std::int32_t>(want)));
      }
    }
  }
  GemmCost cost = abstract_.RunGemm(ledger, layer_index, layer, task);
  if (cost.array_cycles != cycles) {
    throw std::logic_error("int8_mac_rtl: int8_mac charges " + std::to_string(cost.array_cycles) +
                           " cycles, the RTL took " + std::to_string(cycles));
  }
  ++tasks_;
  rtl_cycles_ += cycles;
  outputs_checked_ += g.m * g.n;
  cost.array_cycles = cycles;
  return cost;
}

namespace {

// Registered whether or not the Verilator side is linked in: without it, building the kind says
// how to get it (RtlMacArrayKind's constructor).
[[maybe_unused]] const bool kRegistered = TileKindRegistry().Add(
    {.name = "int8_mac_rtl",
     .summary = "int8_mac with every GEMM run and checked on the verilated RTL array",
     .accumulators = {"int32"},
     .factory = [](const TileConfig& tile) -> std::unique_ptr<TileKind> {
       return std::make_unique<RtlMacArrayKind>(tile);
     }});

}  // namespace

}  // namespace pjsim
