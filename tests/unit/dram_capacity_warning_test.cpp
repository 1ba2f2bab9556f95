// The DRAM capacity check: a run whose peak footprint (tensors placed by liveness,
// tensor_placement_test.cpp) exceeds what its channels address is told so (its addresses would wrap
// onto rows other tensors hold), one that fits and a DRAM model without capacity are not.
#include "sim/run/dram_capacity_warning.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/mapping/tensor_placement.h"
#include "sim/run/run_config.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::LoadSourceYaml;

TEST(DramCapacityWarning, OnlyWhenTheTensorsExceedWhatTheChannelsAddress) {
  const std::string arch = "configs/arch/mesh8x8-int8-hbm-jedec.yaml";
  const std::string workload = "workloads/linear_2048x2560x2560.yaml";
  const RunConfig fits = LoadSourceYaml(arch, workload);
  EXPECT_EQ(fits.arch.dram.CapacityBytes(), 4 * fits.arch.dram.params->ChannelCapacityBytes());
  ASSERT_LT(PlaceTensors(fits.arch, fits.workload).bytes, fits.arch.dram.CapacityBytes());
  EXPECT_EQ(DramCapacityWarning(fits), "");

  // 256 rows of 1 KiB in 16 banks: 4 MiB a channel, 16 MiB in all, under the layer's 18.25 MiB (its
  // tensors above 1 MiB start at 2 MiB boundaries).
  const RunConfig small = LoadSourceYaml(arch, workload, {"arch.dram.rows=256"});
  EXPECT_EQ(small.arch.dram.CapacityBytes(), 16u << 20);
  ASSERT_GT(PlaceTensors(small.arch, small.workload).bytes, small.arch.dram.CapacityBytes());
  const std::string w = DramCapacityWarning(small);
  EXPECT_NE(w.find("mesh8x8-int8-hbm-jedec.yaml: dram:"), std::string::npos) << w;
  EXPECT_NE(w.find("16.00 MiB its 4 'jedec' channels address (4.00 MiB each)"), std::string::npos)
      << w;
  EXPECT_EQ(w.find('\n'), std::string::npos);

  // Rows enough for the layer again: no warning.
  EXPECT_EQ(DramCapacityWarning(LoadSourceYaml(arch, workload, {"arch.dram.rows=512"})), "");

  // The `simple` model addresses any byte.
  const RunConfig simple = LoadSourceYaml("configs/arch/mesh8x8-int8-hbm.yaml", workload);
  EXPECT_EQ(simple.arch.dram.CapacityBytes(), 0u);
  EXPECT_EQ(DramCapacityWarning(simple), "");
}

}  // namespace
}  // namespace pjsim
