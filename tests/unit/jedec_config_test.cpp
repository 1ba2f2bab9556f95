// Reading the `jedec` DRAM model's keys: a preset file supplies every field, the arch's `dram:`
// section may override any, and every bad key or value is one located ConfigError.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config_error_text.h"
#include "models/memory/jedec_params.h"
#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::ErrorOf;

std::string PresetFile() { return test::SourceDir() + "/configs/dram/ddr4-3200-x8.yaml"; }

// An architecture with a jedec DRAM of the DDR4-3200 x8 preset; `extra` is appended to `dram:`.
ArchConfig ReadArch(const std::string& extra, const std::string& bandwidth = "25.6 GB/s",
                    const std::string& row = "8 KiB") {
  const std::string yaml =
      "name: a\n"
      "mesh: {width: 1, height: 1}\n"
      "tile: {kind: int8_mac, rows: 4, cols: 4, sram: {capacity: 64 KiB, port_width: 16 B/cycle},"
      " vector_lanes: 4}\n"
      "noc: {link_width: 16 B/cycle, hop_latency: 1 cycles, link_length: 1 mm}\n"
      "dram:\n"
      "  model: jedec\n"
      "  type: ddr4\n"
      "  preset: " +
      PresetFile() +
      "\n"
      "  channel_bandwidth: " +
      bandwidth +
      "\n"
      "  row_size: " +
      row +
      "\n"
      "  interleave: 2 KiB\n"
      "  channels: [{x: 0, y: 0}]\n" +
      extra;
  return ReadArchConfig(ConfigMap::Root(ConfigDocument::Parse(yaml, "a.yaml")), 1e9);
}

TEST(JedecConfig, PresetSuppliesFieldsAndTheSectionOverridesThem) {
  const ArchConfig a = ReadArch("  tRCD: 30\n  scheduler: fcfs\n");
  const auto& p = ParamsAs<JedecParams>(a.dram.params);
  EXPECT_EQ(p.name, "ddr4-3200-x8");
  EXPECT_EQ(p.tRCD, 30);  // overridden
  EXPECT_EQ(p.tRP, 22);   // from the preset
  EXPECT_FALSE(p.fr_fcfs);
  EXPECT_EQ(p.RowBytes(), 8192);
  EXPECT_DOUBLE_EQ(p.PeakBytesPerNs(), 25.6);
}

TEST(JedecConfig, ChannelBandwidthAndRowSizeMustMatchThePreset) {
  const std::string bw = ErrorOf([] { ReadArch("", "19.2 GB/s"); });
  EXPECT_EQ(bw.rfind("a.yaml:9:", 0), 0u) << bw;
  EXPECT_NE(bw.find("channel_bandwidth"), std::string::npos) << bw;
  EXPECT_NE(bw.find("contradicts the jedec preset"), std::string::npos) << bw;
  const std::string row = ErrorOf([] { ReadArch("", "25.6 GB/s", "2 KiB"); });
  EXPECT_EQ(row.rfind("a.yaml:10:", 0), 0u) << row;
  EXPECT_NE(row.find("8192 B"), std::string::npos) << row;
}

TEST(JedecConfig, BadKeysAndValuesAreLocated) {
  const std::string typo = ErrorOf([] { ReadArch("  tRDC: 30\n"); });
  EXPECT_EQ(typo.rfind("a.yaml:13:", 0), 0u) << typo;
  EXPECT_NE(typo.find("unknown key 'dram.tRDC'"), std::string::npos) << typo;
  const std::string order = ErrorOf([] { ReadArch("  tRC: 40\n"); });
  EXPECT_EQ(order.rfind("a.yaml:13:", 0), 0u) << order;
  EXPECT_NE(order.find("tRAS"), std::string::npos) << order;
  const std::string mapping = ErrorOf([] { ReadArch("  address_mapping: rorabgbaxx\n"); });
  EXPECT_EQ(mapping.rfind("a.yaml:13:", 0), 0u) << mapping;
  EXPECT_NE(mapping.find("unknown field 'xx'"), std::string::npos) << mapping;
  const std::string twice = ErrorOf([] { ReadArch("  address_mapping: rorabgbacoco\n"); });
  EXPECT_NE(twice.find("appears twice"), std::string::npos) << twice;
  const std::string pow2 = ErrorOf([] { ReadArch("  rows: 60000\n"); });
  EXPECT_NE(pow2.find("power of two"), std::string::npos) << pow2;
  const std::string policy = ErrorOf([] { ReadArch("  page_policy: half\n"); });
  EXPECT_EQ(policy.rfind("a.yaml:13:", 0), 0u) << policy;
  const std::string negative = ErrorOf([] { ReadArch("  tFAW: -3\n"); });
  EXPECT_EQ(negative.rfind("a.yaml:13:", 0), 0u) << negative;
  const std::string width = ErrorOf([] { ReadArch("  devices_per_rank: 4\n"); });
  EXPECT_NE(width.find("device_width x devices_per_rank"), std::string::npos) << width;
}

TEST(JedecConfig, PresetFileErrorsNameThePresetFile) {
  const std::string dir = test::FreshDir("jedec_config_preset");
  {
    std::ifstream in(PresetFile());
    std::ofstream out(dir + "/p.yaml");
    out << in.rdbuf() << "tRRDL: 8\n";
  }
  const auto read = [&](const std::string& preset) {
    auto doc = ConfigDocument::Parse("preset: " + preset + "\n", dir + "/arch.yaml");
    ConfigMap root = ConfigMap::Root(doc);
    ReadJedecParams(root);
  };
  const std::string unknown = ErrorOf([&] { read("p.yaml"); });  // relative to arch.yaml
  EXPECT_EQ(unknown.rfind(dir + "/p.yaml:", 0), 0u) << unknown;
  EXPECT_NE(unknown.find("tRRD_L"), std::string::npos) << unknown;
  const std::string missing = ErrorOf([&] { read("nope.yaml"); });
  EXPECT_EQ(missing.rfind(dir + "/arch.yaml:1:", 0), 0u) << missing;
  EXPECT_NE(missing.find("no DRAM preset file"), std::string::npos) << missing;
  // Without a preset every field is required.
  const std::string bare = ErrorOf([&] {
    ConfigMap root = ConfigMap::Root(ConfigDocument::Parse("ranks: 1\n", "bare.yaml"));
    ReadJedecParams(root);
  });
  EXPECT_EQ(bare.rfind("bare.yaml", 0), 0u) << bare;
  EXPECT_NE(bare.find("bank_groups"), std::string::npos) << bare;
}

}  // namespace
}  // namespace pjsim
