// Workload-wide `spiking:` and `activation_bits:` override every GEMM layer's own setting (one
// sweep key changes a whole imported model); bad values fail with one located line.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/workload/workload.h"

namespace pjsim {
namespace {

Workload Read(const std::string& yaml) {
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml")));
}

std::string ErrorOf(const std::string& yaml) {
  try {
    Read(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* kBlock = R"(layers:
  - {name: q, op: linear, m: 8, k: 64, n: 64, dtype: int8, inputs: []}
  - {name: s, op: attention_scores, heads: 2, head_dim: 32, q_len: 8, kv_len: 8, dtype: int8, inputs: []}
  - {name: n, op: norm, function: rmsnorm, m: 8, n: 64, dtype: int8, inputs: [q]}
  - {name: o, op: linear, m: 8, k: 64, n: 64, dtype: int8, inputs: [n],
     spiking: {timesteps: 2, input_rate: 0.3, membrane_bits: 12}}
)";

TEST(WorkloadWideSettings, SpikingOverridesEveryGemmLayer) {
  const Workload w =
      Read(std::string("name: w\nspiking: {timesteps: 8, input_rate: 0.05}\n") + kBlock);
  const auto& layers = w.graph->layers();
  for (const int i : {0, 1, 3}) {
    EXPECT_EQ(layers[static_cast<size_t>(i)].spiking.timesteps, 8) << i;
    EXPECT_DOUBLE_EQ(layers[static_cast<size_t>(i)].spiking.input_rate, 0.05) << i;
  }
  EXPECT_FALSE(layers[2].spiking.enabled());       // vector ops stay on the vector unit
  EXPECT_EQ(layers[3].spiking.membrane_bits, 12);  // keys the override lacks stay the layer's
  EXPECT_EQ(layers[0].spiking.membrane_bits, 16);
}

TEST(WorkloadWideSettings, ActivationBitsOverrideGemmLayersOnly) {
  const std::string yaml = std::string("name: w\nactivation_bits: 4\n") + R"(layers:
  - {name: q, op: linear, m: 8, k: 64, n: 64, dtype: int8, inputs: [], activation_bits: 2}
  - {name: s, op: attention_scores, heads: 2, head_dim: 32, q_len: 8, kv_len: 8, dtype: int8, inputs: []}
  - {name: n, op: norm, function: rmsnorm, m: 8, n: 64, dtype: int8, inputs: [q]}
)";
  const Workload w = Read(yaml);  // keeps the graph alive while its layers are read
  const auto& layers = w.graph->layers();
  EXPECT_EQ(layers[0].activation_bits, 4);
  EXPECT_EQ(layers[1].activation_bits, 4);
  EXPECT_EQ(layers[2].activation_bits, 0);
  EXPECT_EQ(layers[0].ActivationBytes(64), 32);
  EXPECT_EQ(layers[2].ActivationBits(), 8);
  // A layer's own setting counts when there is no workload-wide one.
  const Workload own_workload = Read(R"(name: w
layers:
  - {name: q, op: linear, m: 8, k: 64, n: 64, dtype: int8, inputs: [], activation_bits: 2}
)");
  const auto& own = own_workload.graph->layers();
  EXPECT_EQ(own[0].activation_bits, 2);
  EXPECT_EQ(own[0].ActivationBytes(5), 2);  // 10 bits round up to 2 bytes
}

TEST(WorkloadWideSettings, BadValuesFailWithOneLocatedLine) {
  EXPECT_EQ(ErrorOf(std::string("name: w\nactivation_bits: 9\n") + kBlock).rfind("w.yaml:2:", 0),
            0u);
  EXPECT_NE(ErrorOf(std::string("name: w\nactivation_bits: 9\n") + kBlock).find("activation_bits"),
            std::string::npos);
  // Spiking and quantized activations exclude each other, workload-wide and per layer.
  EXPECT_NE(ErrorOf(std::string(
                        "name: w\nactivation_bits: 4\nspiking: {timesteps: 2, input_rate: 0.1}\n") +
                    kBlock)
                .find("not both"),
            std::string::npos);
  const std::string on_spiking = ErrorOf(R"(name: w
layers:
  - {name: q, op: linear, m: 8, k: 64, n: 64, dtype: int8, inputs: [], activation_bits: 4,
     spiking: {timesteps: 2, input_rate: 0.1}}
)");
  EXPECT_EQ(on_spiking.rfind("w.yaml:3:", 0), 0u) << on_spiking;
  const std::string fp16 = ErrorOf(R"(name: w
layers:
  - {name: q, op: linear, m: 8, k: 64, n: 64, dtype: fp16, inputs: [], activation_bits: 4}
)");
  EXPECT_NE(fp16.find("needs int8"), std::string::npos) << fp16;
  const std::string unknown = ErrorOf(
      std::string("name: w\nspiking: {timesteps: 2, input_rate: 0.1, levels: 2}\n") + kBlock);
  EXPECT_NE(unknown.find("spiking.levels"), std::string::npos) << unknown;
  const std::string no_source = ErrorOf(std::string("name: w\nspiking: {timesteps: 2}\n") + kBlock);
  EXPECT_NE(no_source.find("exactly one of"), std::string::npos) << no_source;
}

}  // namespace
}  // namespace pjsim
