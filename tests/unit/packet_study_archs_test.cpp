// The studies' accelerators on the jedec DRAM and packet NoC models
// (configs/arch/*-jedec-packet.yaml, docs/STUDIES_MEMORY.md) must be the shipped accelerators with
// only the memory system swapped: the same tiles, mesh, links, channel positions, peak bandwidth,
// tech table and mapping keys, so that what moves in the re-run studies is the DRAM and NoC models
// alone.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "test_paths.h"

namespace pjsim {
namespace {

std::string Arch(const std::string& name) {
  return test::SourceDir() + "/configs/arch/" + name + ".yaml";
}

// The arch file as pjsim run reads it (`tech:` names the table, read by the caller).
ArchConfig Read(const std::string& path) {
  ConfigMap root = ConfigMap::Root(ConfigDocument::Load(path));
  root.Has("tech");
  return ReadArchConfig(root, 1e9);
}

// `node` with the keys in `drop` removed, as YAML text (key order kept).
std::string Without(const YAML::Node& node, const std::set<std::string>& drop) {
  YAML::Node copy(YAML::NodeType::Map);
  for (const auto& kv : node) {
    if (!drop.count(kv.first.as<std::string>())) copy[kv.first] = kv.second;
  }
  return YAML::Dump(copy);
}

TEST(PacketStudyArchs, EveryVariantIsItsBaseWithOnlyTheMemoryModelsSwapped) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"default", "default-jedec-packet"},
      {"mesh4x4-fp16", "mesh4x4-fp16-jedec-packet"},
      {"mesh4x4-ternary", "mesh4x4-ternary-jedec-packet"},
      {"mesh4x4-binary", "mesh4x4-binary-jedec-packet"},
      {"mesh4x4-lmul", "mesh4x4-lmul-jedec-packet"},
      {"spiking-mesh4x4", "spiking-mesh4x4-jedec-packet"},
      {"mesh8x8-int8-hbm", "mesh8x8-int8-hbm-jedec-packet"},
  };
  // Keys only the simple DRAM model reads, and the jedec model's own.
  const std::set<std::string> dram_model_keys = {
      "model", "preset",   "access_latency", "row_miss_penalty",
      "banks", "row_size", "address_mapping"};
  for (const auto& [base_name, variant_name] : pairs) {
    SCOPED_TRACE(variant_name);
    const YAML::Node base = YAML::LoadFile(Arch(base_name));
    const YAML::Node variant = YAML::LoadFile(Arch(variant_name));
    EXPECT_EQ(Without(variant, {"name", "noc", "dram"}), Without(base, {"name", "noc", "dram"}));
    EXPECT_EQ(Without(variant["noc"], {"model"}), Without(base["noc"], {"model"}));
    EXPECT_EQ(Without(variant["dram"], dram_model_keys), Without(base["dram"], dram_model_keys));

    // The variant reads (the jedec reader checks the arch's bandwidth and row against the
    // preset) and selects both models; the base selects neither.
    const ArchConfig b = Read(Arch(base_name));
    const ArchConfig v = Read(Arch(variant_name));
    EXPECT_EQ(b.dram.model, "simple");
    EXPECT_EQ(b.noc.model, "simple");
    EXPECT_EQ(v.dram.model, "jedec");
    EXPECT_EQ(v.noc.model, "packet");
    EXPECT_EQ(v.dram.channel_bandwidth_bytes_per_s, b.dram.channel_bandwidth_bytes_per_s);
    EXPECT_EQ(v.dram.interleave_bytes, b.dram.interleave_bytes);
    EXPECT_EQ(v.noc.link_bytes_per_cycle, b.noc.link_bytes_per_cycle);
    EXPECT_EQ(v.noc.hop_latency_cycles, b.noc.hop_latency_cycles);
  }
}

}  // namespace
}  // namespace pjsim
