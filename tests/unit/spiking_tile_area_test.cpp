// The input-current registers of tile.spike_batch: a spiking lane serving B buffered (token,
// timestep) slots keeps B currents where pe.spiking_lif prices one, so B > 1 adds exactly
// (B - 1) slot registers per lane (area.spike_slot) and B = 1 leaves the area as it was.
#include <gtest/gtest.h>

#include <string>

#include "sim/config/arch_config.h"
#include "sim/config/yaml_reader.h"
#include "sim/energy/area_model.h"
#include "sim/energy/area_tech.h"
#include "sim/energy/tech_table.h"
#include "test_paths.h"

namespace pjsim {
namespace {

ArchConfig SpikingArch(const TechTable& tech) {
  ConfigMap root = ConfigMap::Root(
      ConfigDocument::Load(test::SourceDir() + "/configs/arch/spiking-mesh4x4.yaml"));
  root.Has("tech");  // the test names the table itself
  return ReadArchConfig(root, tech.clock_hz);
}

const AreaComponent* Find(const AreaBreakdown& a, const std::string& name) {
  for (const AreaComponent& c : a.components)
    if (c.name == name) return &c;
  return nullptr;
}

TEST(SpikingTileArea, OneSlotAddsNoRegisters) {
  const TechTable tech = LoadTechTable(test::SourceDir() + "/configs/tech/45nm.yaml");
  ArchConfig arch = SpikingArch(tech);
  ASSERT_EQ(arch.tile.spike_batch, 1);
  const AreaBreakdown a = ComputeArea(arch, *tech.area);
  EXPECT_EQ(Find(a, "spike_slots"), nullptr);
  EXPECT_EQ(a.components.size(), 6u);  // the components every architecture has
}

TEST(SpikingTileArea, EachFurtherSlotAddsOneCurrentRegisterPerLane) {
  for (const char* node : {"45nm", "7nm"}) {
    const TechTable tech = LoadTechTable(test::SourceDir() + "/configs/tech/" + node + ".yaml");
    ArchConfig arch = SpikingArch(tech);
    const AreaBreakdown one = ComputeArea(arch, *tech.area);
    const double slot_um2 = tech.area->SpikeSlot().value;
    const double lanes = static_cast<double>(arch.TileCount() * arch.tile.rows * arch.tile.cols);
    for (const std::int64_t b : {2, 16, 128}) {
      arch.tile.spike_batch = b;
      const AreaBreakdown more = ComputeArea(arch, *tech.area);
      const AreaComponent* slots = Find(more, "spike_slots");
      ASSERT_NE(slots, nullptr) << node << " B=" << b;
      EXPECT_EQ(slots->count, lanes * static_cast<double>(b - 1));
      EXPECT_EQ(slots->um2_each, slot_um2);
      EXPECT_NEAR(more.total_mm2 - one.total_mm2,
                  lanes * static_cast<double>(b - 1) * slot_um2 / 1e6, 1e-9 * more.total_mm2)
          << node << " B=" << b;
    }
  }
}

TEST(SpikingTileArea, TheSlotIsTheLanesCurrentRegister) {
  // 16 flops of NanGate45 DFF_X1 (4.5 um2), the register pe.spiking_lif already counts once.
  const TechTable t45 = LoadTechTable(test::SourceDir() + "/configs/tech/45nm.yaml");
  EXPECT_DOUBLE_EQ(t45.area->SpikeSlot().value, 16 * 4.5);
  EXPECT_EQ(t45.area->SpikeSlot().source.rfind("derived:", 0), 0u);
  // The 7 nm table scales it with the rest of the logic.
  const TechTable t7 = LoadTechTable(test::SourceDir() + "/configs/tech/7nm.yaml");
  EXPECT_NEAR(t7.area->SpikeSlot().value / t45.area->SpikeSlot().value,
              t7.area->Pe("spiking_lif").value / t45.area->Pe("spiking_lif").value, 1e-12);
}

TEST(SpikingTileArea, ATableWithoutTheSlotPriceRefusesBatchedSpikingTiles) {
  AreaTech prices;
  EXPECT_THROW(prices.SpikeSlot(), std::out_of_range);
}

}  // namespace
}  // namespace pjsim
