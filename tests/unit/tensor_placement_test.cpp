// Tensor placement (sim/mapping/tensor_placement.h) by liveness: outputs live at the same step of
// the running order never share a byte, a layer's tensors are disjoint, persistent tensors share
// no byte with anything, every region is row-aligned, the footprint is no more than one region
// each and no less than what is live at once; `activation_placement: disjoint` and the pipelined
// strategy keep one region each in layer order, as before; a bad value is a one-line error.
#include "sim/mapping/tensor_placement.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config_error_text.h"
#include "sim/run/run_config.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::LoadSourceYaml;

bool Overlap(const DramRegion& a, const DramRegion& b) {
  return a.bytes > 0 && b.bytes > 0 && a.base < b.base + b.bytes && b.base < a.base + a.bytes;
}

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

// From the lowest output to the end of the highest.
std::uint64_t OutputSpan(const TensorPlacement& p) {
  std::uint64_t low = ~std::uint64_t{0}, high = 0;
  for (const LayerRegions& l : p.layers) {
    if (l.output.bytes == 0) continue;
    low = std::min(low, l.output.base);
    high = std::max(high, l.output.base + l.output.bytes);
  }
  return high - low;
}

std::uint64_t Aligned(std::uint64_t bytes, std::uint64_t row) {
  return (bytes + row - 1) / row * row;
}

// Regions that live for the whole run: the workload inputs and operand B of every layer.
std::vector<DramRegion> Persistent(const RunConfig& c, const TensorPlacement& p) {
  std::vector<DramRegion> out;
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const auto produced = c.workload.graph->producers(static_cast<int>(l)).size();
    for (size_t i = produced; i < p.layers[l].inputs.size(); ++i)
      out.push_back(p.layers[l].inputs[i]);
    if (p.layers[l].operand_b.bytes > 0) out.push_back(p.layers[l].operand_b);
  }
  return out;
}

// The properties of a placement by liveness, checked from the graph: at each step of the running
// order, the outputs written before or then and read then or later (or read by nobody: the
// result) share no byte; every layer's tensors are disjoint; persistent tensors overlap nothing.
void ExpectLivenessPlacement(const RunConfig& c, const TensorPlacement& p) {
  const auto row = static_cast<std::uint64_t>(c.arch.dram.row_bytes);
  const LayerGraph& g = *c.workload.graph;
  const std::vector<int>& order = g.topological_order();
  const size_t n = p.layers.size();
  std::vector<size_t> step(n), last(n, n);  // never read: live to the end
  for (size_t s = 0; s < n; ++s) step[static_cast<size_t>(order[s])] = s;
  std::vector<bool> read(n, false);
  for (size_t l = 0; l < n; ++l) {
    for (int pr : g.producers(static_cast<int>(l))) {
      const auto q = static_cast<size_t>(pr);
      last[q] = read[q] ? std::max(last[q], step[l]) : step[l];
      read[q] = true;
    }
  }
  std::uint64_t peak_live = 0;
  for (size_t s = 0; s < n; ++s) {
    std::vector<size_t> live;
    std::uint64_t live_bytes = 0;
    for (size_t l = 0; l < n; ++l) {
      if (step[l] <= s && s <= last[l] && p.layers[l].output.bytes > 0) {
        live.push_back(l);
        live_bytes += Aligned(p.layers[l].output.bytes, row);
      }
    }
    peak_live = std::max(peak_live, live_bytes);
    for (size_t i = 0; i < live.size(); ++i) {
      for (size_t j = i + 1; j < live.size(); ++j)
        EXPECT_FALSE(Overlap(p.layers[live[i]].output, p.layers[live[j]].output))
            << "step " << s << ": " << g.layers()[live[i]].name << ", " << g.layers()[live[j]].name;
    }
  }
  const std::vector<DramRegion> persistent = Persistent(c, p);
  std::uint64_t persistent_bytes = 0;
  for (size_t i = 0; i < persistent.size(); ++i) {
    EXPECT_EQ(persistent[i].base % row, 0u);
    // A runtime's allocator: tensors above 1 MiB at 2 MiB boundaries.
    if (persistent[i].bytes > kMiB) {
      EXPECT_EQ(persistent[i].base % (2 * kMiB), 0u);
    }
    persistent_bytes += Aligned(persistent[i].bytes, row);
    for (size_t j = i + 1; j < persistent.size(); ++j)
      EXPECT_FALSE(Overlap(persistent[i], persistent[j]));
    for (const LayerRegions& l : p.layers) EXPECT_FALSE(Overlap(persistent[i], l.output));
  }
  for (size_t l = 0; l < n; ++l) {
    const LayerRegions& r = p.layers[l];
    EXPECT_EQ(r.output.base % row, 0u);
    std::vector<DramRegion> own = r.inputs;
    own.push_back(r.operand_b);
    own.push_back(r.output);
    for (size_t i = 0; i < own.size(); ++i) {
      for (size_t j = i + 1; j < own.size(); ++j)
        EXPECT_FALSE(Overlap(own[i], own[j]))
            << g.layers()[l].name << " tensors " << i << ", " << j;
    }
  }
  EXPECT_GE(p.bytes, peak_live + persistent_bytes);
}

TEST(TensorPlacement, LlamaPrefillReusesDeadActivationsRows) {
  const std::vector<std::string> disjoint{"arch.mapping.activation_placement=disjoint"};
  const std::string arch = "configs/arch/mesh8x8-int8-hbm-jedec.yaml";
  const std::string workload = "workloads/Meta-Llama-3-8B.prefill2048.yaml";
  const RunConfig c = LoadSourceYaml(arch, workload);
  const TensorPlacement reuse = PlaceTensors(c.arch, c.workload);
  ExpectLivenessPlacement(c, reuse);
  const TensorPlacement old =
      PlaceTensors(LoadSourceYaml(arch, workload, disjoint).arch, c.workload);
  // The weights (8 GiB at int8) stay; 32 blocks' activations become about one block's.
  EXPECT_LT(reuse.bytes, old.bytes / 2);
  EXPECT_GT(reuse.bytes, 7ULL << 30);
  std::uint64_t lowest_persistent = reuse.bytes;
  for (const DramRegion& r : Persistent(c, reuse))
    lowest_persistent = std::min(lowest_persistent, r.base);
  // The outputs' rows: two of the largest (the scores of 32 heads, 2048 x 2048) and a little more,
  // whatever the depth.
  EXPECT_LT(lowest_persistent, 3 * (32ULL * 2048 * 2048));
  // Every block after the first puts its layers' outputs where the block before put them (offsets
  // repeat, so replay finds the same placement across blocks).
  const auto& layers = c.workload.graph->layers();
  for (size_t l = 0; l + 15 < layers.size(); ++l) {
    if (layers[l].name.rfind("L1.", 0) != 0 && layers[l].name.rfind("L2.", 0) != 0) continue;
    EXPECT_EQ(reuse.layers[l].output.base, reuse.layers[l + 15].output.base) << layers[l].name;
  }
  // The same inputs, the same placement.
  const TensorPlacement again = PlaceTensors(c.arch, c.workload);
  for (size_t l = 0; l < layers.size(); ++l) {
    EXPECT_EQ(again.layers[l].output.base, reuse.layers[l].output.base);
    EXPECT_EQ(again.layers[l].operand_b.base, reuse.layers[l].operand_b.base);
  }
  EXPECT_EQ(again.bytes, reuse.bytes);
}

// Decode: every tensor at its last pass's size, the KV caches persistent; an MoE model's expert
// layers too.
TEST(TensorPlacement, DecodeWorkloadsPlaceByLivenessWithinAPass) {
  for (const std::string workload : {"workloads/bitnet-b1.58-2B-4T.decode128.yaml",
                                     "workloads/OLMoE-1B-7B-0924.decode128.yaml"}) {
    const RunConfig c = LoadSourceYaml("configs/arch/mesh8x8-int8-hbm.yaml", workload);
    const TensorPlacement reuse = PlaceTensors(c.arch, c.workload);
    ExpectLivenessPlacement(c, reuse);
    RunConfig old = c;
    old.arch.mapping.activation_placement = ActivationPlacement::kDisjoint;
    const TensorPlacement disjoint = PlaceTensors(old.arch, c.workload);
    // A decode's outputs are small: reuse saves little of them, and the large tensors' 2 MiB
    // boundaries may cost more (at most 2 MiB each, and the bottom period).
    EXPECT_LT(OutputSpan(reuse), OutputSpan(disjoint)) << workload;
    std::uint64_t large = 0;
    for (const DramRegion& r : Persistent(c, reuse)) large += r.bytes > kMiB ? 1 : 0;
    EXPECT_LE(reuse.bytes, disjoint.bytes + (large + 1) * 2 * kMiB) << workload;
  }
}

// One region each, one after another in layer order, as before: its footprint is the regions'
// aligned sizes added up. The pipelined strategy places so whatever the key says.
TEST(TensorPlacement, DisjointAndPipelinedGiveEveryTensorItsOwnRegion) {
  const std::string arch = "configs/arch/default-jedec-packet.yaml";
  const std::string workload = "workloads/ffn_bitnet_prefill128.yaml";
  for (const std::vector<std::string>& set :
       {std::vector<std::string>{"arch.mapping.activation_placement=disjoint"},
        std::vector<std::string>{"arch.mapping.strategy=pipelined", "arch.mapping.groups=2"}}) {
    const RunConfig c = LoadSourceYaml(arch, workload, set);
    const TensorPlacement placement = PlaceTensors(c.arch, c.workload);
    const auto row = static_cast<std::uint64_t>(c.arch.dram.row_bytes);
    std::vector<DramRegion> regions = Persistent(c, placement);
    for (const LayerRegions& l : placement.layers) regions.push_back(l.output);
    std::sort(regions.begin(), regions.end(),
              [](const DramRegion& a, const DramRegion& b) { return a.base < b.base; });
    std::uint64_t aligned = 0;
    for (size_t i = 0; i < regions.size(); ++i) {
      EXPECT_EQ(regions[i].base % row, 0u);
      if (i + 1 < regions.size()) {
        EXPECT_LE(regions[i].base + regions[i].bytes, regions[i + 1].base) << set[0];
      }
      aligned += Aligned(regions[i].bytes, row);
    }
    EXPECT_EQ(placement.bytes, aligned) << set[0];
    // Outputs in layer order from the bottom.
    for (size_t l = 1; l < placement.layers.size(); ++l)
      EXPECT_LT(placement.layers[l - 1].output.base, placement.layers[l].output.base);
    // Reuse, on this FFN, puts the outputs in less.
    EXPECT_LT(OutputSpan(PlaceTensors(LoadSourceYaml(arch, workload).arch, c.workload)),
              OutputSpan(placement));
  }
}

// Large tensors start at 2 MiB boundaries that are also whole periods of the address map (one
// row in every bank of every channel), so decoder blocks lie alike; a period above 8 MiB is not
// taken (it would space tensors by more than it saves), 2 MiB is.
TEST(TensorPlacement, LargeTensorsAtTwoMiBAndTheAddressMapsPeriodUnlessThePeriodIsHuge) {
  const std::string arch = "configs/arch/mesh8x8-int8-hbm-jedec.yaml";
  const std::string workload = "workloads/bitnet-b1.58-2B-4T.prefill2048.yaml";
  // 4 channels x 1 KiB rows x 4 bank groups x {256, 1024} banks: a period of 4 MiB, then 16 MiB.
  for (const auto& [banks, alignment] :
       std::vector<std::pair<std::string, std::uint64_t>>{{"256", 4 * kMiB}, {"1024", 2 * kMiB}}) {
    const RunConfig c = LoadSourceYaml(
        arch, workload,
        {"arch.dram.banks_per_group=" + banks, "arch.mapping.activation_placement=reuse"});
    const TensorPlacement p = PlaceTensors(c.arch, c.workload);
    bool on_a_larger_boundary_only = false;
    for (const DramRegion& r : Persistent(c, p)) {
      if (r.bytes <= kMiB) continue;
      EXPECT_EQ(r.base % alignment, 0u) << banks;
      on_a_larger_boundary_only |= r.base % (2 * alignment) != 0;
    }
    EXPECT_TRUE(on_a_larger_boundary_only) << banks;  // the alignment is not larger than said
  }
}

TEST(TensorPlacement, ABadActivationPlacementNamesItsFileLineAndKey) {
  std::ifstream in(test::SourceDir() + "/configs/arch/default.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  yaml.replace(yaml.find("../tech/"), 8, test::SourceDir() + "/configs/tech/");
  const std::string key = "  double_buffering: true\n";
  const size_t at = yaml.find(key);
  ASSERT_NE(at, std::string::npos);
  yaml.insert(at + key.size(), "  activation_placement: resue\n");
  const int line = static_cast<int>(std::count(yaml.begin(), yaml.begin() + at, '\n')) + 2;
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("pjsim_placement_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << yaml;
  const std::string error = test::ErrorOf([&] {
    LoadRunConfig(
        {path.string(), "", test::SourceDir() + "/workloads/ffn_bitnet_prefill128.yaml", {}});
  });
  std::filesystem::remove(path);
  EXPECT_EQ(error.find(path.string() + ":" + std::to_string(line) + ":"), 0u) << error;
  EXPECT_NE(error.find("'mapping.activation_placement'"), std::string::npos) << error;
  EXPECT_NE(error.find("did you mean 'reuse'"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

}  // namespace
}  // namespace pjsim
