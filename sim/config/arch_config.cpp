#include "sim/config/arch_config.h"

#include <cmath>
#include <optional>

#include "sim/config/dram_model_registry.h"
#include "sim/config/gating_policy_registry.h"
#include "sim/config/noc_model_registry.h"
#include "sim/config/tile_kind_registry.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {

ArchConfig ReadArchConfig(ConfigMap root, double default_clock_hz) {
  ArchConfig a;
  a.file = root.document().file();
  a.name = root.String("name");
  a.clock_hz = root.QuantityOr("clock", default_clock_hz, Dimension::kFrequency);

  ConfigMap mesh = root.Map("mesh");
  a.mesh_width = mesh.Int("width", 1, 256);
  a.mesh_height = mesh.Int("height", 1, 256);
  mesh.Finish();

  ConfigMap tile = root.Map("tile");
  const Registry<TileKindEntry>& kinds = TileKindRegistry();
  a.tile.kind = tile.Choice("kind", kinds.Names());
  a.tile.rows = tile.Int("rows", 1, 4096);
  a.tile.cols = tile.Int("cols", 1, 4096);
  const std::string dataflow =
      tile.ChoiceOr("dataflow", "output_stationary",
                    {"output_stationary", "weight_stationary", "input_stationary"});
  a.tile.dataflow = dataflow == "output_stationary"   ? Dataflow::kOutputStationary
                    : dataflow == "weight_stationary" ? Dataflow::kWeightStationary
                                                      : Dataflow::kInputStationary;
  const std::vector<std::string>& accumulators = kinds.Get(a.tile.kind).accumulators;
  a.tile.accumulator =
      ParseNumberType(tile.ChoiceOr("accumulator", accumulators.front(), accumulators));
  ConfigMap sram = tile.Map("sram");
  a.tile.sram.capacity_bytes = sram.Quantity("capacity", Dimension::kBytes);
  a.tile.sram.port_bytes_per_cycle = sram.Quantity("port_width", Dimension::kBytesPerCycle);
  sram.Finish();
  a.tile.vector_lanes = tile.Int("vector_lanes", 1, 65536);
  if (tile.Has("zero_gating")) {
    a.tile.zero_gating = tile.Bool("zero_gating");
    if (!kinds.Get(a.tile.kind).zero_gating)
      tile.Fail("zero_gating", "applies to MAC array tiles only (kind '" + a.tile.kind + "')");
  }
  if (tile.Has("spike_batch")) {
    a.tile.spike_batch = tile.Int("spike_batch", 1, std::int64_t{1} << 24);
    if (a.tile.kind != "spiking_lif") tile.Fail("spike_batch", "applies to spiking_lif tiles only");
  }
  if (std::optional<ConfigMap> dma = tile.MapIf("dma")) {
    if (dma->Has("request_size")) {
      const double bytes = dma->Quantity("request_size", Dimension::kBytes);
      if (bytes != std::floor(bytes) || bytes < 64)
        dma->Fail("request_size", "must be a whole number of bytes, at least 64 B");
      a.tile.dma_request_bytes = static_cast<std::int64_t>(bytes);
    }
    // A DMA engine's request window is finite: 16 requests when only their size is given (an
    // unbounded window would also make the `jedec` model's ports one thread per request).
    a.tile.dma_outstanding =
        dma->IntOr("outstanding", a.tile.dma_request_bytes > 0 ? 16 : 0, 1, 4096);
    dma->Finish();
  }
  tile.Finish();

  ConfigMap noc = root.Map("noc");
  a.noc.model = noc.ChoiceOr("model", "simple", NocModelRegistry().Names());
  a.noc.link_bytes_per_cycle = noc.Quantity("link_width", Dimension::kBytesPerCycle);
  a.noc.hop_latency_cycles = noc.DurationCycles("hop_latency", a.clock_hz, true);
  a.noc.link_length_mm = noc.Quantity("link_length", Dimension::kLength);
  if (const auto& read = NocModelRegistry().Get(a.noc.model).read_params)
    a.noc.params = read(noc, a);
  noc.Finish();

  ConfigMap dram = root.Map("dram");
  a.dram.model = dram.ChoiceOr("model", "simple", DramModelRegistry().Names());
  a.dram.type = dram.String("type");
  a.dram.channel_bandwidth_bytes_per_s = dram.Quantity("channel_bandwidth", Dimension::kBandwidth);
  a.dram.row_bytes = dram.Quantity("row_size", Dimension::kBytes);
  a.dram.interleave_bytes = dram.Quantity("interleave", Dimension::kBytes);
  for (ConfigMap ch : dram.MapList("channels")) {
    DramChannelPosition p;
    p.x = ch.Int("x", 0, 255);
    p.y = ch.Int("y", 0, 255);
    if (p.x >= a.mesh_width)
      ch.Fail("x", "outside the " + std::to_string(a.mesh_width) + "-wide mesh");
    if (p.y >= a.mesh_height)
      ch.Fail("y", "outside the " + std::to_string(a.mesh_height) + "-high mesh");
    ch.Finish();
    a.dram.channels.push_back(p);
  }
  if (a.dram.channels.empty()) dram.Fail("channels", "needs at least one channel");
  if (const auto& read = DramModelRegistry().Get(a.dram.model).read_params)
    a.dram.params = read(dram, a);
  dram.Finish();

  if (auto mapping = root.MapIf("mapping")) {
    a.mapping.double_buffering = mapping->BoolOr("double_buffering", true);
    a.mapping.multicast = mapping->BoolOr("multicast", true);
    a.mapping.accumulate_in_array =
        mapping->BoolOr("accumulate_in_array", MappingConfig{}.accumulate_in_array);
    const std::string objective =
        mapping->ChoiceOr("objective", "latency", {"latency", "energy", "edp", "dram_bytes"});
    a.mapping.tie_window = mapping->NumberOr("tie_window", MappingConfig{}.tie_window, 0, 1);
    a.mapping.refine = mapping->IntOr("refine", 0, 0, 64);
    if (auto c = mapping->MapIf("constraints")) {
      a.mapping.block_m = c->IntOr("block_m", 0, 1, std::int64_t{1} << 40);
      a.mapping.block_k = c->IntOr("block_k", 0, 1, std::int64_t{1} << 40);
      a.mapping.block_n = c->IntOr("block_n", 0, 1, std::int64_t{1} << 40);
      a.mapping.grid_m = c->IntOr("grid_m", 0, 1, 1 << 20);
      a.mapping.grid_n = c->IntOr("grid_n", 0, 1, 1 << 20);
      a.mapping.grid_k = c->IntOr("grid_k", 0, 1, 1 << 20);
      a.mapping.grid_b = c->IntOr("grid_b", 0, 1, 1 << 20);
      if (a.mapping.grid_b > a.TileCount()) {
        c->Fail("grid_b", "a split into " + std::to_string(a.mapping.grid_b) +
                              " groups needs more than the " + std::to_string(a.TileCount()) +
                              " tiles");
      }
      if (c->Has("resident"))
        a.mapping.resident = c->ChoiceOr("resident", "none", {"none", "input", "weights"});
      a.mapping.buffers = c->IntOr("buffers", 0, 1, 2);
      if (a.mapping.buffers == 2 && !a.mapping.double_buffering)
        c->Fail("buffers", "2 buffers need 'mapping.double_buffering: true'");
      const std::int64_t gm = std::max<std::int64_t>(a.mapping.grid_m, 1);
      const std::int64_t gn = std::max<std::int64_t>(a.mapping.grid_n, 1);
      const std::int64_t gk = std::max<std::int64_t>(a.mapping.grid_k, 1);
      if (gm * gn * gk > a.TileCount()) {
        c->Fail(a.mapping.grid_k   ? "grid_k"
                : a.mapping.grid_n ? "grid_n"
                                   : "grid_m",
                "a " + std::to_string(gm) + "x" + std::to_string(gn) +
                    (gk > 1 ? "x" + std::to_string(gk) : "") + " grid needs more than the " +
                    std::to_string(a.TileCount()) + " tiles");
      }
      if (gk > 1 && !a.mapping.resident.empty() && a.mapping.resident != "none")
        c->Fail("grid_k", "a K split across tiles keeps no panel resident ('resident: none')");
      c->Finish();
    }
    a.mapping.objective = objective == "energy"       ? MappingObjective::kEnergy
                          : objective == "edp"        ? MappingObjective::kEdp
                          : objective == "dram_bytes" ? MappingObjective::kDramBytes
                                                      : MappingObjective::kLatency;
    a.mapping.weight_residency = mapping->BoolOr("weight_residency", true);
    a.mapping.resident_fraction = mapping->NumberOr("resident_fraction", 0.5, 0.01, 0.99);
    a.mapping.tiles_per_expert = mapping->IntOr("tiles_per_expert", 0, 0, 1 << 16);
    a.mapping.replicate_hot_experts = mapping->IntOr("replicate_hot_experts", 0, 0, 1 << 16);
    if (mapping->ChoiceOr("strategy", "spread", {"spread", "pipelined"}) == "pipelined") {
      a.mapping.strategy = MappingStrategy::kPipelined;
      a.mapping.groups = mapping->IntOr("groups", 4);
      if (a.mapping.groups > a.TileCount()) {
        mapping->Fail("groups", "more groups (" + std::to_string(a.mapping.groups) +
                                    ") than tiles (" + std::to_string(a.TileCount()) + ")");
      }
    }
    if (mapping->ChoiceOr("activation_placement", "reuse", {"reuse", "disjoint"}) == "disjoint")
      a.mapping.activation_placement = ActivationPlacement::kDisjoint;
    mapping->Finish();
  }
  if (auto gating = root.MapIf("power_gating")) {
    PowerGatingConfig& g = a.power_gating;
    g.enabled = true;
    const Registry<GatingPolicyEntry>& policies = GatingPolicyRegistry();
    g.policy = gating->ChoiceOr("policy", "never", policies.Names());
    g.params = ReadPluginKeys(*gating, policies, g.policy);
    g.gated_state = gating->ChoiceOr("gated_state", "retention", {"retention", "off"});
    g.retention_fraction = gating->NumberOr("retention_fraction", 0.2, 0.0, 1.0);
    g.wake_latency_cycles = static_cast<double>(gating->IntOr("wake_latency", 10, 0));
    g.wake_energy_leakage_cycles = gating->NumberOr("wake_energy_leakage_cycles", 14, 0.0, 1e9);
    gating->Finish();
  }
  root.Finish();
  return a;
}

}  // namespace pjsim
