// A DRAM model is one file: this test file registers a fixed-latency channel model (name, key
// reader, factory) and runs workloads through Simulate with it. The platform, the NoC and the
// reports know only the DramModel interface, so the bytes each channel moves, the energy of those
// bytes and the transactions are the simple model's; only the timing and row statistics differ.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/memory/dram_model.h"
#include "models/simulate.h"
#include "sim/config/arch_config.h"
#include "sim/config/dram_model_registry.h"
#include "sim/config/yaml_reader.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

struct FixedLatencyParams : ModelParams {
  double latency_cycles = 0;
};

// Every request waits a fixed latency, then streams at the channel bandwidth; requests never
// overlap (one at a time, in arrival order). No banks, no rows.
class FixedLatencyDram : public DramModel {
 public:
  FixedLatencyDram(sc_core::sc_module_name name, PlatformContext& ctx, const FixedLatencyParams& p)
      : DramModel(name, ctx),
        latency_ps_(ctx.CyclesToPs(p.latency_cycles)),
        bytes_per_ps_(ctx.arch.dram.channel_bandwidth_bytes_per_s * 1e-12) {}

 private:
  Service Serve(const tlm::tlm_generic_payload& trans, int /*layer*/,
                std::uint64_t arrival_ps) override {
    const std::uint64_t start = std::max(arrival_ps, free_ps_) + latency_ps_;
    const auto transfer_ps = static_cast<std::uint64_t>(
        std::ceil(static_cast<double>(trans.get_data_length()) / bytes_per_ps_));
    free_ps_ = start + transfer_ps;
    AddBusy(transfer_ps);
    return {start, free_ps_};
  }

  std::uint64_t latency_ps_;
  double bytes_per_ps_;
  std::uint64_t free_ps_ = 0;
};

const bool kRegistered = DramModelRegistry().Add({
    .name = "fixed_latency_test",
    .summary = "test only: fixed latency, then the channel bandwidth, one request at a time",
    .read_params = [](ConfigMap& dram,
                      const ArchConfig& arch) -> std::shared_ptr<const ModelParams> {
      auto p = std::make_shared<FixedLatencyParams>();
      p->latency_cycles = dram.DurationCycles("latency", arch.clock_hz, true);
      return p;
    },
    .make = [](const std::string& name, int /*index*/,
               PlatformContext& ctx) -> std::unique_ptr<DramModel> {
      return std::make_unique<FixedLatencyDram>(name.c_str(), ctx,
                                                ParamsAs<FixedLatencyParams>(ctx.arch.dram.params));
    },
    .categories = {},
});

// A model whose channel fails on its first request, from inside a tile's loader thread.
class FailingDram : public DramModel {
 public:
  FailingDram(sc_core::sc_module_name name, PlatformContext& ctx) : DramModel(name, ctx) {}

 private:
  Service Serve(const tlm::tlm_generic_payload&, int, std::uint64_t) override {
    throw std::runtime_error("failing_test channel refused");
  }
};

const bool kFailingRegistered = DramModelRegistry().Add({
    .name = "failing_test",
    .summary = "test only: throws on the first request",
    .read_params = {},
    .make = [](const std::string& name, int /*index*/, PlatformContext& ctx)
        -> std::unique_ptr<DramModel> { return std::make_unique<FailingDram>(name.c_str(), ctx); },
    .categories = {},
});

// The shipped default architecture; with `model_keys`, its DRAM section is replaced by the keys
// every model shares plus these (the simple model's own keys would be unknown to another model).
RunConfig Load(const std::string& workload, const std::string& model_keys = "") {
  std::vector<std::string> overrides;
  if (!model_keys.empty()) {
    overrides.push_back(
        "arch.dram={type: ddr4, channel_bandwidth: 25.6 GB/s, row_size: 2 KiB, "
        "interleave: 2 KiB, channels: [{x: 0, y: 0}, {x: 3, y: 3}], " +
        model_keys + "}");
  }
  return test::LoadYaml(test::ArchFile("default.yaml"), workload, std::move(overrides));
}

const char kFixedLatency[] = "model: fixed_latency_test, latency: 40 ns";

std::string Workload(const std::string& name, const std::string& layers) {
  return test::WriteWorkloadYaml("dram_model_plugin_" + name,
                                 "name: " + name + "\nlayers:\n" + layers);
}

TEST(DramModelPlugin, RegisteredFromItsOwnFileAndReadStrictly) {
  EXPECT_NE(DramModelRegistry().Find("fixed_latency_test"), nullptr);
  const std::string w =
      Workload("keys", "  - {name: l, op: linear, m: 8, k: 64, n: 64, dtype: int8}\n");
  EXPECT_EQ(Load(w, kFixedLatency).arch.dram.model, "fixed_latency_test");
  // The simple model's keys are unknown to the test model.
  try {
    test::LoadYaml(test::ArchFile("default.yaml"), w,
                   {"arch.dram.model=fixed_latency_test", "arch.dram.latency=40 ns"});
    ADD_FAILURE() << "the simple model's keys were accepted by the test model";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown key 'dram.access_latency'"), std::string::npos)
        << e.what();
  }
}

TEST(DramModelPlugin, RunsEndToEndWithTheSimpleModelsBytes) {
  const std::string w =
      Workload("run",
               "  - {name: up, op: linear, m: 64, k: 1024, n: 1024, dtype: int8}\n"
               "  - {name: act, op: elementwise, function: relu, m: 64, n: 1024, dtype: int8}\n"
               "  - {name: down, op: linear, m: 64, k: 1024, n: 512, dtype: int8}\n");
  RunConfig simple_config = Load(w);
  RunConfig fixed_config = Load(w, kFixedLatency);
  // One mapping for both (the search weighs each model's latency, and would pick another).
  for (RunConfig* c : {&simple_config, &fixed_config}) {
    MappingConfig& m = c->arch.mapping;
    m.block_m = 64, m.block_k = 256, m.block_n = 128, m.grid_m = 1, m.grid_n = 8;
    m.resident = "none";
  }
  const SimulationResult simple =
      Simulate(simple_config.arch, simple_config.tech, simple_config.workload);
  const SimulationResult fixed =
      Simulate(fixed_config.arch, fixed_config.tech, fixed_config.workload);

  ASSERT_EQ(fixed.channels.size(), simple.channels.size());
  double read = 0;
  for (size_t c = 0; c < simple.channels.size(); ++c) {
    EXPECT_EQ(fixed.channels[c].bytes_read, simple.channels[c].bytes_read) << c;
    EXPECT_EQ(fixed.channels[c].bytes_written, simple.channels[c].bytes_written) << c;
    EXPECT_EQ(fixed.channels[c].row_hits + fixed.channels[c].row_misses, 0) << c;
    EXPECT_GT(fixed.channels[c].busy_ps, 0u) << c;
    read += fixed.channels[c].bytes_read;
  }
  EXPECT_GT(read, 0);
  EXPECT_EQ(fixed.transactions, simple.transactions);
  EXPECT_EQ(fixed.link_bytes, simple.link_bytes);
  // The base class charges the bytes' energy whatever the model; only the simple model activates.
  EXPECT_EQ(fixed.ledger.TotalCountOf("ddr4_read"), simple.ledger.TotalCountOf("ddr4_read"));
  EXPECT_EQ(fixed.ledger.TotalCountOf("ddr4_write"), simple.ledger.TotalCountOf("ddr4_write"));
  EXPECT_EQ(fixed.ledger.TotalCountOf("ddr4_activate"), 0);
  EXPECT_GT(simple.ledger.TotalCountOf("ddr4_activate"), 0);
  // Its timing is its own: a different run time.
  EXPECT_NE(fixed.total_ps, simple.total_ps);
}

TEST(DramModelPlugin, AnExceptionInAModelReachesTheCallerOfSimulate) {
  // Thrown in the DRAM model, inside the NoC's b_transport, inside a tile's loader thread: the
  // thread reports it through PlatformContext::Fail and Simulate rethrows it unchanged.
  const std::string w =
      Workload("fail", "  - {name: l, op: linear, m: 8, k: 64, n: 64, dtype: int8}\n");
  const RunConfig config = Load(w, "model: failing_test");
  try {
    Simulate(config.arch, config.tech, config.workload);
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "failing_test channel refused");
  }
}

}  // namespace
}  // namespace pjsim
