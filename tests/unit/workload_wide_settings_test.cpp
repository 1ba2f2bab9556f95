// Workload-wide `spiking:` and `activation_bits:` override every GEMM layer's own setting (one
// sweep key changes a whole imported model); workload-wide `dtype:`, `arithmetic:` and
// `weight_packing:` are defaults a layer's own key replaces; bad values fail with one located
// line that names the key.
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

// Layers of every kind, most without their own dtype, arithmetic or packing.
const char* kMixed = R"(layers:
  - {name: q, op: linear, m: 8, k: 64, n: 64, inputs: []}
  - {name: s, op: attention_scores, heads: 2, head_dim: 32, q_len: 8, kv_len: 8, inputs: []}
  - {name: n, op: norm, function: rmsnorm, m: 8, n: 64, inputs: [q]}
  - {name: own, op: linear, m: 8, k: 64, n: 64, dtype: int8, arithmetic: int8, inputs: [n]}
)";

TEST(WorkloadWideSettings, DtypeArithmeticAndPackingApplyWhereALayerHasNoneOfItsOwn) {
  const Workload w = Read(std::string("name: w\ndtype: int8\narithmetic: ternary\n"
                                      "weight_packing: base3\n") +
                          kMixed);
  const auto& l = w.graph->layers();
  // The linear layer without keys: the workload's weights arithmetic and packing.
  EXPECT_EQ(l[0].dtype, DType::kInt8);
  EXPECT_EQ(l[0].arithmetic.name(), "ternary");
  EXPECT_EQ(l[0].weight_packing, "base3");
  EXPECT_NEAR(l[0].weight_sparsity, 1.0 / 3, 1e-12);  // the arithmetic's default, as per layer
  // Attention multiplies activations (no weights): the workload's dtype, that dtype's arithmetic.
  EXPECT_EQ(l[1].dtype, DType::kInt8);
  EXPECT_EQ(l[1].arithmetic.name(), "int8");
  EXPECT_EQ(l[2].dtype, DType::kInt8);  // vector ops: the dtype only
  // A layer's own key wins, key by key.
  EXPECT_EQ(l[3].arithmetic.name(), "int8");
  EXPECT_EQ(l[3].weight_packing, "dense");  // int8's only packing: base3 is for ternary layers
  const Workload p = Read(
      "name: w\ndtype: int8\narithmetic: ternary\nweight_packing: base3\nlayers:\n"
      "  - {name: q, op: linear, m: 8, k: 64, n: 64, inputs: [], weight_packing: 2bit}\n"
      "  - {name: r, op: linear, m: 8, k: 64, n: 64, inputs: [q]}\n");
  EXPECT_EQ(p.graph->layers()[1].weight_packing, "base3");
  EXPECT_EQ(p.graph->layers()[0].weight_packing, "2bit");

  const Workload f = Read(std::string("name: w\ndtype: fp16\narithmetic: lmul-e4m3\n") + R"(layers:
  - {name: q, op: linear, m: 8, k: 64, n: 64, inputs: []}
  - {name: s, op: attention_scores, heads: 2, head_dim: 32, q_len: 8, kv_len: 8, inputs: []}
  - {name: i, op: linear, m: 8, k: 64, n: 64, dtype: int8, arithmetic: int8, inputs: []}
)");
  const auto& g = f.graph->layers();
  EXPECT_EQ(g[0].dtype, DType::kFp16);
  EXPECT_EQ(g[0].arithmetic.name(), "lmul-e4m3");
  EXPECT_EQ(g[1].arithmetic.name(), "fp16");
  EXPECT_EQ(g[2].dtype, DType::kInt8);
  EXPECT_EQ(g[2].arithmetic.name(), "int8");
  // Without workload-wide keys a layer needs its own dtype, as before.
  EXPECT_NE(ErrorOf(std::string("name: w\n") + kMixed).find("dtype"), std::string::npos);
}

TEST(WorkloadWideSettings, DtypeArithmeticAndPackingAreSweepableWithSet) {
  for (const std::string arithmetic : {"int8", "ternary", "binary"}) {
    auto doc = ConfigDocument::Parse(std::string("name: w\ndtype: int8\n") + kMixed, "w.yaml");
    doc->Override("arithmetic", arithmetic, "--set workload.arithmetic=" + arithmetic);
    const Workload w = ReadWorkload(ConfigMap::Root(doc));
    EXPECT_EQ(w.graph->layers()[0].arithmetic.name(), arithmetic);
    EXPECT_EQ(w.graph->layers()[3].arithmetic.name(), "int8");
  }
  auto doc = ConfigDocument::Parse(std::string("name: w\ndtype: int8\n") + kMixed, "w.yaml");
  doc->Override("dtype", "fp16", "--set workload.dtype=fp16");
  doc->Override("arithmetic", "lmul-fp16", "--set workload.arithmetic=lmul-fp16");
  const Workload fp16 = ReadWorkload(ConfigMap::Root(doc));
  EXPECT_EQ(fp16.graph->layers()[0].arithmetic.name(), "lmul-fp16");
  EXPECT_EQ(fp16.graph->layers()[1].arithmetic.name(), "fp16");
  EXPECT_EQ(fp16.graph->layers()[3].dtype, DType::kInt8);  // its own
  // An arithmetic that does not take a layer's activations: the error names the flag.
  auto bad = ConfigDocument::Parse(std::string("name: w\ndtype: int8\n") + kMixed, "w.yaml");
  bad->Override("arithmetic", "lmul-fp16", "--set workload.arithmetic=lmul-fp16");
  try {
    ReadWorkload(ConfigMap::Root(bad));
    FAIL() << "lmul-fp16 on int8 activations was accepted";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("--set workload.arithmetic=lmul-fp16: 'arithmetic': arithmetic "
                         "'lmul-fp16' does not take int8 activations (layer 'q'",
                         0),
              0u)
        << what;
  }
}

TEST(WorkloadWideSettings, BadDtypeArithmeticOrPackingNameFileLineAndKey) {
  const std::string unknown =
      ErrorOf(std::string("name: w\ndtype: int8\narithmetic: ternry\n") + kMixed);
  EXPECT_EQ(unknown.rfind("w.yaml:3:", 0), 0u) << unknown;
  EXPECT_NE(unknown.find("'arithmetic'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("did you mean 'ternary'"), std::string::npos) << unknown;
  const std::string dtype = ErrorOf(std::string("name: w\ndtype: int7\n") + kMixed);
  EXPECT_EQ(dtype.rfind("w.yaml:2:", 0), 0u) << dtype;
  EXPECT_NE(dtype.find("'dtype'"), std::string::npos) << dtype;
  // A packing the resolved arithmetic lacks: at the workload's key, naming the layer.
  const std::string packing = ErrorOf(
      std::string("name: w\ndtype: int8\narithmetic: ternary\nweight_packing: 1bit\n") + kMixed);
  EXPECT_EQ(packing.rfind("w.yaml:4:", 0), 0u) << packing;
  EXPECT_NE(packing.find("'weight_packing'"), std::string::npos) << packing;
  EXPECT_NE(packing.find("no linear layer without its own 'weight_packing' has an arithmetic "
                         "that packs weights as '1bit'"),
            std::string::npos)
      << packing;
  // An arithmetic that does not take the layers' activations: at the workload's key.
  const std::string takes =
      ErrorOf(std::string("name: w\ndtype: int8\narithmetic: fp16\n") + kMixed);
  EXPECT_EQ(takes.rfind("w.yaml:3:", 0), 0u) << takes;
  EXPECT_NE(takes.find("does not take int8 activations (layer 'q'"), std::string::npos) << takes;
  // A layer's own arithmetic against the workload's dtype: at the layer.
  const std::string own = ErrorOf(std::string("name: w\ndtype: fp16\n") + R"(layers:
  - {name: q, op: linear, m: 8, k: 64, n: 64, arithmetic: ternary, inputs: []}
)");
  EXPECT_EQ(own.rfind("w.yaml:4:", 0), 0u) << own;
  EXPECT_NE(own.find("the workload's 'dtype'"), std::string::npos) << own;
}

}  // namespace
}  // namespace pjsim
