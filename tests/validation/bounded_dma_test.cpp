// The tile's DMA with bounded requests (`tile.dma`, models/tile/compute_tile.h): transfers split
// into requests of `request_size` per DRAM channel, at most `outstanding` in flight. Requests
// move the same bytes to the same channels as whole transfers do; their count follows the
// request size; one request in flight serializes the DRAM latency that several overlap.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/config/config_error.h"
#include "simulate_yaml.h"

namespace pjsim {
namespace {

// One GEMM whose pinned 64 x 64 x 64 int8 blocks make every load and store 4 KiB.
const char* const kGemm = R"(name: dma
layers:
  - {name: g, op: linear, m: 256, k: 256, n: 256, dtype: int8, inputs: []}
)";

std::vector<std::string> Pinned(std::vector<std::string> more) {
  std::vector<std::string> o = {
      "arch.mapping.constraints.block_m=64", "arch.mapping.constraints.block_k=64",
      "arch.mapping.constraints.block_n=64", "arch.mapping.constraints.grid_m=1",
      "arch.mapping.constraints.grid_n=1"};
  o.insert(o.end(), more.begin(), more.end());
  return o;
}

test::SimRun RunGemm(const std::string& arch, std::vector<std::string> overrides) {
  const std::string w = test::WriteWorkloadYaml("bounded_dma", kGemm);
  return test::SimulateYaml(test::ArchFile(arch), w, std::move(overrides));
}

TEST(BoundedDma, RequestsMoveTheSameBytesToTheSameChannels) {
  // Two channels, 256 B interleave: a 4 KiB load is eight chunks in each channel, contiguous
  // there; 768 B requests take each part in pieces that cross chunks, at global addresses
  // computed back from the channel's local offset.
  const test::SimRun whole = RunGemm("default.yaml", Pinned({"arch.dram.interleave=256 B"}));
  const test::SimRun split = RunGemm(
      "default.yaml", Pinned({"arch.dram.interleave=256 B", "arch.tile.dma.request_size=768 B",
                              "arch.tile.dma.outstanding=3"}));
  ASSERT_EQ(whole.result.channels.size(), 2u);
  for (size_t c = 0; c < whole.result.channels.size(); ++c) {
    EXPECT_EQ(split.result.channels[c].bytes_read, whole.result.channels[c].bytes_read) << c;
    EXPECT_EQ(split.result.channels[c].bytes_written, whole.result.channels[c].bytes_written) << c;
  }
  const auto split_energy = split.result.ledger.EnergyByCategory();
  for (const auto& [category, pj] : whole.result.ledger.EnergyByCategory()) {
    if (category.starts_with("dram.") || category.starts_with("compute.")) {
      EXPECT_EQ(split_energy.at(category), pj) << category;
    }
  }
  EXPECT_GT(split.result.transactions, whole.result.transactions);
}

TEST(BoundedDma, OneChannelGetsOneRequestPerRequestSize) {
  const std::vector<std::string> one = test::OneTile();
  std::vector<std::string> o = Pinned(one);
  o.push_back("arch.tile.dma.request_size=1 KiB");
  const test::SimRun split = RunGemm("default.yaml", o);
  const ChannelResult& c = split.result.channels.at(0);
  // Every transfer is 4 KiB: four requests each, one transaction per request.
  EXPECT_EQ(static_cast<double>(split.result.transactions),
            (c.bytes_read + c.bytes_written) / 1024);
}

TEST(BoundedDma, OneRequestInFlightSerializesTheDramLatency) {
  // One tile, one channel; with one request in flight each 1 KiB request waits for the one
  // before, so the layer takes longer than with eight in flight, which overlap their latency.
  std::vector<std::string> serial = Pinned(test::OneTile());
  serial.push_back("arch.tile.dma.request_size=1 KiB");
  std::vector<std::string> overlapped = serial;
  serial.push_back("arch.tile.dma.outstanding=1");
  overlapped.push_back("arch.tile.dma.outstanding=8");
  const test::SimRun s = RunGemm("default.yaml", serial);
  const test::SimRun o = RunGemm("default.yaml", overlapped);
  EXPECT_GT(s.result.total_ps, o.result.total_ps);
  // Serialized: every request pays at least the channel's idle read latency (default.yaml:
  // the simple DRAM's access latency; tens of ns) on top of its transfer.
  const ChannelResult& c = s.result.channels.at(0);
  const double requests = (c.bytes_read + c.bytes_written) / 1024;
  EXPECT_GE(static_cast<double>(s.result.total_ps),
            static_cast<double>(c.busy_ps) + requests * 10'000.0);  // >= 10 ns each
}

TEST(BoundedDma, WorksWithADramModelThatWaits) {
  // The jedec model answers in b_transport after its scheduler decides: requests go through the
  // tile's ports; the bytes per channel are those of whole transfers.
  const test::SimRun whole = RunGemm("default-jedec-packet.yaml", Pinned({}));
  const test::SimRun split =
      RunGemm("default-jedec-packet.yaml",
              Pinned({"arch.tile.dma.request_size=1 KiB", "arch.tile.dma.outstanding=2"}));
  EXPECT_EQ(test::LoadYaml(test::ArchFile("default-jedec-packet.yaml"),
                           test::WriteWorkloadYaml("bounded_dma_window", kGemm),
                           {"arch.tile.dma.request_size=1 KiB"})
                .arch.tile.dma_outstanding,
            16);  // a finite window when only the size is given
  for (size_t c = 0; c < whole.result.channels.size(); ++c) {
    EXPECT_EQ(split.result.channels[c].bytes_read, whole.result.channels[c].bytes_read) << c;
    EXPECT_EQ(split.result.channels[c].bytes_written, whole.result.channels[c].bytes_written) << c;
  }
  EXPECT_GT(split.result.transactions, whole.result.transactions);
}

TEST(BoundedDma, BadKeysAreLocated) {
  const std::string w = test::WriteWorkloadYaml("bounded_dma_bad", kGemm);
  for (const std::string& bad :
       {std::string("arch.tile.dma.request_size=48 B"), std::string("arch.tile.dma.outstanding=0"),
        std::string("arch.tile.dma.burst=4")}) {
    try {
      test::LoadYaml(test::ArchFile("default.yaml"), w, {bad});
      ADD_FAILURE() << bad << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("dma"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace pjsim
