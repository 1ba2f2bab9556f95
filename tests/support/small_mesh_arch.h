#pragma once
// A small architecture built in code for tests that walk or rank mappings without a YAML file:
// a 4 x 4 mesh of 8 x 8 int8 MAC arrays, 64 KiB of SRAM per tile, one 32 GB/s DRAM channel.
#include "sim/config/arch_config.h"

namespace pjsim::test {

inline ArchConfig SmallMeshArch() {
  ArchConfig a;
  a.clock_hz = 1e9;
  a.mesh_width = a.mesh_height = 4;
  a.tile.kind = "int8_mac";
  a.tile.rows = a.tile.cols = 8;
  a.tile.vector_lanes = 8;
  a.tile.accumulator = NumberType::kInt32;
  a.tile.sram.capacity_bytes = 64 * 1024;
  a.tile.sram.port_bytes_per_cycle = 64;
  a.noc.link_bytes_per_cycle = 32;
  a.dram.channel_bandwidth_bytes_per_s = 32e9;
  a.dram.channels = {{0, 0}};
  return a;
}

}  // namespace pjsim::test
