#include "sim/run/run_report.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

#include "sim/arch/spiking_kind.h"
#include "sim/energy/area_model.h"
#include "sim/energy/naive_estimate.h"
#include "sim/report/csv.h"
#include "sim/report/json_writer.h"
#include "sim/run/op_groups.h"

namespace pjsim {
namespace {

struct LayerFigures {
  double cycles = 0, seconds = 0, macs = 0, dram_read_bytes = 0, dram_write_bytes = 0;
  // The array's own operations: the MACs, or on spikes the synaptic adds (one per spike and
  // nonzero weight), which a PE performs one a cycle: compute utilisation counts these.
  double array_ops = 0;
  double utilization = 0, dram_bandwidth = 0;
};

LayerFigures Figures(const RunConfig& config, const SimulationResult& r, int l) {
  const Layer& layer = config.workload.graph->layers()[static_cast<size_t>(l)];
  const LayerResult& lr = r.layers[static_cast<size_t>(l)];
  LayerFigures f;
  const double ps = static_cast<double>(lr.span_ps);
  f.cycles = ps / static_cast<double>(r.clock_period_ps);
  f.seconds = ps * 1e-12;
  f.macs = lr.macs;
  f.array_ops = layer.spiking.enabled() ? r.ledger.LayerCountIn(l, kSpikeSynapseCategory) : f.macs;
  f.dram_read_bytes = r.ledger.LayerCountIn(l, "dram.read") / 8;
  f.dram_write_bytes = r.ledger.LayerCountIn(l, "dram.write") / 8;
  const double peak =
      static_cast<double>(config.arch.TileCount() * config.arch.tile.rows * config.arch.tile.cols);
  f.utilization = f.cycles > 0 ? f.array_ops / (peak * f.cycles) : 0;
  f.dram_bandwidth = f.seconds > 0 ? (f.dram_read_bytes + f.dram_write_bytes) / f.seconds : 0;
  return f;
}

}  // namespace

void YamlToJson(const YAML::Node& n, JsonWriter& j) {
  if (n.IsMap()) {
    j.BeginObject();
    for (auto it = n.begin(); it != n.end(); ++it) {
      j.Key(it->first.Scalar());
      YamlToJson(it->second, j);
    }
    j.EndObject();
  } else if (n.IsSequence()) {
    j.BeginArray();
    for (const auto& e : n) YamlToJson(e, j);
    j.EndArray();
  } else if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(v)) {
      j.Number(v);
    } else if (s == "true" || s == "false") {
      j.Bool(s == "true");
    } else {
      j.String(s);
    }
  } else {
    j.String("");
  }
}

namespace {

void CategoryMap(JsonWriter& j, const std::map<std::string, double>& m) {
  j.BeginObject();
  for (const auto& [category, pj] : m) j.Field(category, pj);
  j.EndObject();
}

std::string OpName(const Layer& l) {
  if (l.kind == OpKind::kLinear) return "linear:" + l.arithmetic.name();
  if (l.IsGemm()) return OpKindName(l.kind);
  return OpKindName(l.kind) + ":" + l.function;
}

std::string PhaseName(Phase p) {
  return p == Phase::kPrefill ? "prefill" : p == Phase::kDecode ? "decode" : "single";
}

// A sampled decode's estimated error bounds relative to the run's time and energy. Leakage is
// charged from the time the layers took, so the energy bound adds the leakage power times the
// time bound.
struct SamplingBounds {
  double time = 0, energy = 0;
};
SamplingBounds RelativeBounds(const SimulationResult& r) {
  const DecodeSamplingResult& s = r.decode_sampling;
  SamplingBounds b;
  const double total_ps = static_cast<double>(r.total_ps);
  b.time = total_ps > 0 ? s.error_bound_ps / total_ps : 0;
  double leakage_pj = 0;
  for (const auto& [category, pj] : r.ledger.EnergyByCategory()) {
    if (category.starts_with("leakage")) leakage_pj += pj;
  }
  const double total_pj = r.ledger.TotalEnergyPj();
  b.energy = total_pj > 0 ? (s.error_bound_pj + leakage_pj * b.time) / total_pj : 0;
  return b;
}

// A sampled decode (models/decode_sampler.h): what was simulated in detail, what extrapolated,
// and the estimated error bounds.
void WriteDecodeSampling(JsonWriter& j, const SimulationResult& r) {
  const DecodeSamplingResult& s = r.decode_sampling;
  j.Key("decode_sampling").BeginObject();
  j.Field("interval", s.interval).Field("applied", s.applied);
  if (!s.applied) {
    j.Field("not_applied", s.not_applied);
    j.EndObject();
    return;
  }
  j.Field("detailed_runs", s.detailed_runs).Field("extrapolated_runs", s.extrapolated_runs);
  j.Field("checks", s.checks);
  j.Field("max_check_error_time", s.max_check_error_time);
  j.Field("max_check_error_energy", s.max_check_error_energy);
  const SamplingBounds b = RelativeBounds(r);
  j.Field("time_error_bound", b.time).Field("energy_error_bound", b.energy);
  j.EndObject();
}

// Power gating: per domain kind, the break-even time, totals over tiles, and per-tile counts.
void WritePowerGating(JsonWriter& j, const SimulationResult& r) {
  j.Key("power_gating").BeginObject();
  j.Field("policy", r.gating_policy);
  j.Field("reload_bytes", r.gating_reload_bytes);
  j.Key("domains").BeginArray();
  for (const PowerDomainResult& d : r.power_domains) {
    DomainTimeline sum;
    for (const DomainTimeline& t : d.tiles) {
      for (size_t s = 0; s < 4; ++s) sum.cycles_in[s] += t.cycles_in[s];
      sum.gatings += t.gatings;
      sum.wakeups += t.wakeups;
      sum.stall_cycles += t.stall_cycles;
    }
    j.BeginObject();
    j.Field("domain", d.domain).Field("gated_state", d.gated_state);
    j.Field("instances", static_cast<std::int64_t>(d.tiles.size()));
    j.Field("leakage_mw_each", d.leakage_mw).Field("break_even_cycles", d.break_even_cycles);
    j.Field("gatings", sum.gatings).Field("wakeups", sum.wakeups);
    j.Field("stall_cycles", sum.stall_cycles);
    j.Key("cycles_in_state").BeginObject();
    for (PowerState s :
         {PowerState::kOn, PowerState::kIdle, PowerState::kRetention, PowerState::kOff}) {
      j.Field(PowerStateName(s), sum.cycles_in[static_cast<size_t>(s)]);
    }
    j.EndObject();
    j.Key("wakeups_per_tile").BeginArray();
    for (const DomainTimeline& t : d.tiles) j.Int(t.wakeups);
    j.EndArray();
    // Each tile's domain: time per state, transitions and stalls.
    j.Key("tiles").BeginArray();
    for (const DomainTimeline& t : d.tiles) {
      j.BeginObject();
      for (PowerState s :
           {PowerState::kOn, PowerState::kIdle, PowerState::kRetention, PowerState::kOff}) {
        j.Field(PowerStateName(s), t.cycles_in[static_cast<size_t>(s)]);
      }
      j.Field("gatings", t.gatings)
          .Field("wakeups", t.wakeups)
          .Field("stall_cycles", t.stall_cycles);
      j.EndObject();
    }
    j.EndArray();
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
}

// CSV columns of energy per ledger category, named like the sweep's results.csv columns.
constexpr const char* kCategoryColumn = "energy_by_category.";

// Every category of the run's ledger (each CSV row has them all, 0 where nothing was spent).
std::vector<std::string> Categories(const SimulationResult& r) {
  std::vector<std::string> out;
  for (const auto& [category, pj] : r.ledger.EnergyByCategory()) out.push_back(category);
  return out;
}

// The layers of one op group, summed.
struct OpRollup {
  std::string group;
  std::int64_t layers = 0, cycles = 0, tile_tasks = 0;
  double seconds = 0, energy_pj = 0, macs = 0, dram_read_bytes = 0, dram_write_bytes = 0;
  std::map<std::string, double> by_category;
};

// Op groups in the order of their first layer.
std::vector<OpRollup> RollUp(const RunConfig& config, const SimulationResult& r) {
  const std::vector<std::string> groups = OpGroups(*config.workload.graph);
  std::vector<OpRollup> out;
  std::map<std::string, size_t> index;
  for (int l = 0; l < static_cast<int>(groups.size()); ++l) {
    const std::string& name = groups[static_cast<size_t>(l)];
    auto [it, added] = index.emplace(name, out.size());
    if (added) {
      out.push_back({});
      out.back().group = name;
      for (const std::string& c : Categories(r)) out.back().by_category[c] = 0;
    }
    OpRollup& g = out[it->second];
    const LayerFigures f = Figures(config, r, l);
    const LayerResult& lr = r.layers[static_cast<size_t>(l)];
    ++g.layers;
    g.cycles += lr.cycles;
    g.tile_tasks += lr.tile_tasks;
    g.seconds += f.seconds;
    g.energy_pj += r.ledger.LayerEnergyPj(l);
    g.macs += f.macs;
    g.dram_read_bytes += f.dram_read_bytes;
    g.dram_write_bytes += f.dram_write_bytes;
    for (const auto& [category, pj] : r.ledger.LayerEnergyByCategory(l))
      g.by_category[category] += pj;
  }
  return out;
}

// Silicon area (sim/energy/area_model.h) and the per-mm2 figures sweeps compare designs by.
void WriteAreaObject(JsonWriter& j, const ArchConfig& arch, const TechTable& tech,
                     const Workload& w, double seconds) {
  j.BeginObject();
  if (!tech.area->pe_um2.count(arch.tile.kind)) {
    // A kind the table does not price (e.g. a new plug-in): say so rather than fail the run.
    j.Field("unavailable", "no PE area for tile kind '" + arch.tile.kind + "' in " + tech.file);
    j.EndObject();
    return;
  }
  if (arch.tile.kind == "spiking_lif" && arch.tile.spike_batch > 1 &&
      tech.area->spike_slot_um2.source.empty()) {
    // Likewise a table without the buffered-slot registers' price (area.spike_slot).
    j.Field("unavailable", "no area.spike_slot price for tile.spike_batch " +
                               std::to_string(arch.tile.spike_batch) + " in " + tech.file);
    j.EndObject();
    return;
  }
  const AreaBreakdown a = ComputeArea(arch, *tech.area);
  const double peak = PeakOpsPerSecond(arch);
  j.Field("total_mm2", a.total_mm2);
  j.Key("breakdown_mm2").BeginObject();
  for (const AreaComponent& c : a.components) j.Field(c.name, c.mm2);
  j.EndObject();
  j.Key("components").BeginArray();
  for (const AreaComponent& c : a.components) {
    j.BeginObject();
    j.Field("name", c.name).Field("mm2", c.mm2).Field("count", c.count);
    j.Field("um2_each", c.um2_each);
    j.EndObject();
  }
  j.EndArray();
  j.Field("peak_ops_per_s", peak).Field("peak_tops_per_mm2", peak / 1e12 / a.total_mm2);
  if (w.tokens_per_pass > 0 && seconds > 0) {
    const double tokens = static_cast<double>(w.tokens_per_pass * w.Passes());
    j.Field("tokens_per_s_per_mm2", tokens / seconds / a.total_mm2);
  }
  j.EndObject();
}

// Tokens the run yields (0 when the workload does not say).
double Tokens(const Workload& w) {
  return w.tokens_per_pass > 0 ? static_cast<double>(w.tokens_per_pass * w.Passes()) : 0.0;
}

// The Green Algorithms footprint of the run's energy: inputs, per inference (the whole simulated
// workload), per token and per million tokens, and the paper's equivalents.
void WriteCarbon(JsonWriter& j, const CarbonInputs& in, double energy_pj, double tokens) {
  const CarbonFootprint f = Footprint(in, energy_pj * 1e-12);
  j.Key("carbon").BeginObject();
  j.Field("method", in.method);
  j.Key("inputs").BeginObject();
  j.Field("table", in.table).Field("location", in.location.key);
  j.Field("location_name", in.location.name);
  j.Field("carbon_intensity_g_per_kwh", in.location.g_per_kwh);
  j.Field("carbon_intensity_year", static_cast<std::int64_t>(in.location.year));
  j.Field("carbon_intensity_source", in.location.source);
  j.Field("pue", in.pue.value).Field("pue_source", in.pue.source);
  j.EndObject();
  j.Field("energy_kwh", f.energy_kwh).Field("facility_energy_kwh", f.facility_energy_kwh);
  j.Field("per_inference_g", f.grams);
  if (tokens > 0) {
    j.Field("tokens", tokens);
    j.Field("per_token_g", Scaled(f, 1 / tokens).grams);
    j.Field("per_million_tokens_g", Scaled(f, 1e6 / tokens).grams);
  }
  j.Key("equivalents").BeginObject();
  j.Field("tree_months", f.tree_months).Field("tree_month_g", in.tree_month_g.value);
  j.Field("tree_month_source", in.tree_month_g.source);
  j.Field("car_km", f.car_km).Field("car_g_per_km", in.car_km_g.value);
  j.Field("car_source", in.car_km_g.source);
  j.EndObject();
  j.EndObject();
}

}  // namespace

std::string ReportJson(const RunConfig& config, const std::string& resolved_yaml,
                       const SimulationResult& r) {
  const auto& layers = config.workload.graph->layers();
  JsonWriter j;
  j.BeginObject();
  j.Field("pjsim_version", PJSIM_VERSION);
  j.Field("arch", config.arch.name).Field("workload", config.workload.name);
  j.Field("tech_node", config.tech.node);

  double macs = 0, array_ops = 0, dram_read = 0, dram_write = 0;
  for (int l = 0; l < static_cast<int>(layers.size()); ++l) {
    const LayerFigures f = Figures(config, r, l);
    macs += f.macs;
    array_ops += f.array_ops;
    dram_read += f.dram_read_bytes;
    dram_write += f.dram_write_bytes;
  }
  const double peak =
      static_cast<double>(config.arch.TileCount() * config.arch.tile.rows * config.arch.tile.cols);
  j.Key("total").BeginObject();
  j.Field("energy_pj", r.ledger.TotalEnergyPj());
  j.Field("cycles", static_cast<std::int64_t>(r.cycles()));
  j.Field("seconds", r.seconds());
  j.Field("clock_hz", config.arch.clock_hz);
  j.Field("macs", macs);
  j.Field("dram_read_bytes", dram_read).Field("dram_write_bytes", dram_write);
  j.Field("achieved_dram_bandwidth_bytes_per_s",
          r.seconds() > 0 ? (dram_read + dram_write) / r.seconds() : 0.0);
  j.Field("compute_utilization",
          r.cycles() > 0 ? array_ops / (peak * static_cast<double>(r.cycles())) : 0.0);
  j.EndObject();

  const Workload& w = config.workload;
  j.Key("run").BeginObject();
  j.Field("phase", PhaseName(w.phase)).Field("passes", w.Passes());
  j.Field("tokens_per_pass", w.tokens_per_pass);
  if (w.total_params > 0)
    j.Field("total_params", w.total_params).Field("active_params", w.active_params);
  if (w.tokens_per_pass > 0) {
    const double tokens = static_cast<double>(w.tokens_per_pass * w.Passes());
    j.Field("tokens", tokens);
    j.Field("energy_per_token_pj", r.ledger.TotalEnergyPj() / tokens);
    // Decode: one pass yields one token per sequence, so a pass is the time per token.
    j.Field("seconds_per_token", w.phase == Phase::kDecode
                                     ? r.seconds() / static_cast<double>(w.Passes())
                                     : r.seconds() / tokens);
    if (w.phase == Phase::kPrefill) j.Field("time_to_first_token_s", r.seconds());
  }
  j.EndObject();

  if (config.tech.area) {
    j.Key("area");
    WriteAreaObject(j, config.arch, config.tech, config.workload, r.seconds());
  }
  if (config.carbon) WriteCarbon(j, *config.carbon, r.ledger.TotalEnergyPj(), Tokens(w));

  j.Key("energy_by_category");
  CategoryMap(j, r.ledger.EnergyByCategory());

  // The literature's arithmetic-only estimate, beside (never inside) the full ledger.
  {
    std::vector<double> layer_macs;
    for (const LayerResult& lr : r.layers) layer_macs.push_back(lr.macs);
    const OpsOnlyEstimate e = EstimateOpsOnly(layers, layer_macs, NaivePrices(config.tech));
    j.Key("ops_only_estimate").BeginObject();
    j.Field("convention", "E_ANN = MACs x (fp32 mult + add); E_SNN = MACs x rate x T x fp32 add");
    j.Field("ann_layers_pj", e.ann_layers_pj).Field("snn_layers_pj", e.snn_layers_pj);
    j.Field("total_pj", e.ann_layers_pj + e.snn_layers_pj).Field("snn_macs", e.snn_macs);
    j.EndObject();
  }

  j.Key("counts").BeginArray();
  for (size_t a = 0; a < r.ledger.actions().size(); ++a) {
    const Action& act = r.ledger.actions()[a];
    const double count = r.ledger.TotalCount(static_cast<ActionId>(a));
    j.BeginObject();
    j.Field("category", act.category).Field("action", act.name).Field("unit", act.unit);
    j.Field("count", count).Field("pj_per_unit", act.pj_per_unit);
    j.Field("energy_pj", count * act.pj_per_unit).Field("source", act.source);
    j.EndObject();
  }
  j.EndArray();

  j.Key("layers").BeginArray();
  for (int l = 0; l < static_cast<int>(layers.size()); ++l) {
    const Layer& layer = layers[static_cast<size_t>(l)];
    const LayerResult& lr = r.layers[static_cast<size_t>(l)];
    const LayerFigures f = Figures(config, r, l);
    j.BeginObject();
    j.Field("name", layer.name).Field("op", OpName(layer)).Field("dtype", DTypeName(layer.dtype));
    j.Key("shape").BeginObject();
    j.Field("batch", layer.batch).Field("m", layer.m).Field("k", layer.k).Field("n", layer.n);
    j.EndObject();
    j.Field("start_cycle",
            static_cast<double>(lr.start_ps) / static_cast<double>(r.clock_period_ps));
    j.Field("cycles", f.cycles).Field("seconds", f.seconds);
    j.Field("energy_pj", r.ledger.LayerEnergyPj(l));
    j.Key("energy_by_category");
    CategoryMap(j, r.ledger.LayerEnergyByCategory(l));
    j.Field("macs", f.macs);
    j.Field("dram_read_bytes", f.dram_read_bytes).Field("dram_write_bytes", f.dram_write_bytes);
    j.Field("weight_or_kv_read_bytes", lr.operand_b_bytes);
    if (layer.activation_bits > 0) j.Field("activation_bits", layer.activation_bits);
    if (layer.spiking.enabled()) {
      j.Key("spiking").BeginObject();
      j.Field("timesteps", layer.spiking.timesteps).Field("input_rate", layer.spiking.input_rate);
      j.Field("output_rate", layer.spiking.output_rate).Field("input_spikes", lr.input_spikes);
      j.Field("encoding", SpikeEncodingName(layer.spiking.encoding));
      j.Field("spike_levels", layer.spiking.spike_levels)
          .Field("signed_spikes", layer.spiking.signed_spikes);
      j.EndObject();
    }
    if (layer.expert.enabled()) {
      // Expert invocations (token x expert pairs) actually run, and those over capacity.
      double invocations = 0;
      for (double rows : lr.expert_rows) invocations += rows;
      j.Key("moe").BeginObject();
      j.Field("experts", layer.expert.experts).Field("top_k", layer.expert.top_k);
      j.Field("block", layer.expert.block);
      j.Field("invocations", invocations).Field("dropped", lr.expert_dropped);
      // Each invocation moves one token's input row from the dispatch buffer to its expert.
      j.Field("dispatch_bytes", invocations * static_cast<double>(layer.InputShape(0).cols *
                                                                  DTypeBits(layer.dtype) / 8));
      j.Key("invocations_per_expert").BeginArray();
      for (double rows : lr.expert_rows) j.Number(rows);
      j.EndArray();
      j.EndObject();
    }
    j.Field("achieved_dram_bandwidth_bytes_per_s", f.dram_bandwidth);
    j.Field("compute_utilization", f.utilization);
    j.Key("tiling").BeginObject();
    j.Field("block_m", lr.tiling.block_m).Field("block_k", lr.tiling.block_k);
    j.Field("block_n", lr.tiling.block_n).Field("tile_tasks", lr.tile_tasks);
    j.Field("tiles_used", lr.tiling.tiles_used);
    j.EndObject();
    if (!lr.tiling.mapping.empty()) {
      // The mapping search's choice, its prediction against the simulation, and the layer's
      // DRAM traffic against what every schedule must move.
      const double bytes = f.dram_read_bytes + f.dram_write_bytes;
      j.Key("mapping").BeginObject();
      j.Field("chosen", lr.tiling.mapping);
      j.Field("grid_m", lr.tiling.grid_m).Field("grid_n", lr.tiling.grid_n);
      j.Field("grid_k", lr.tiling.grid_k).Field("grid_b", lr.tiling.grid_b);
      j.Field("reduction_bytes", lr.reduction_bytes);
      j.Field("predicted_cycles", lr.predicted_cycles).Field("simulated_cycles", f.cycles);
      j.Field("compulsory_bytes", lr.compulsory_bytes);
      j.Field("lower_bound_bytes", lr.lower_bound_bytes);
      j.Field("dram_bytes", bytes);
      j.Field("dram_over_compulsory", lr.compulsory_bytes > 0 ? bytes / lr.compulsory_bytes : 0.0);
      j.Field("dram_over_lower_bound",
              lr.lower_bound_bytes > 0 ? bytes / lr.lower_bound_bytes : 0.0);
      if (lr.tiling.refined_candidates > 0) {
        // mapping.refine: chosen among the cost model's best by simulating each alone.
        j.Key("refined").BeginObject();
        j.Field("candidates", std::int64_t{lr.tiling.refined_candidates});
        j.Field("estimate_rank", std::int64_t{lr.tiling.estimate_rank});
        j.EndObject();
      }
      j.EndObject();
    }
    j.Key("counts").BeginObject();
    for (size_t a = 0; a < r.ledger.actions().size(); ++a) {
      const Action& act = r.ledger.actions()[a];
      const double c = r.ledger.Count(l, static_cast<ActionId>(a));
      if (c != 0) j.Field(act.category + "/" + act.name, c);
    }
    j.EndObject();
    j.EndObject();
  }
  j.EndArray();

  j.Key("dram_channels").BeginArray();
  for (const auto& c : r.channels) {
    j.BeginObject();
    j.Field("bytes_read", c.bytes_read).Field("bytes_written", c.bytes_written);
    j.Field("row_hits", c.row_hits).Field("row_misses", c.row_misses);
    j.Field("busy_fraction",
            r.total_ps ? static_cast<double>(c.busy_ps) / static_cast<double>(r.total_ps) : 0.0);
    if (c.has_commands) {
      j.Key("commands").BeginObject();
      j.Field("ACT", c.act).Field("PRE", c.pre).Field("RD", c.rd).Field("WR", c.wr);
      j.Field("REF", c.ref);
      j.EndObject();
      const std::int64_t accesses = c.row_hits + c.row_misses;
      j.Field("row_hit_rate",
              accesses ? static_cast<double>(c.row_hits) / static_cast<double>(accesses) : 0.0);
      j.Field("bandwidth_GBps",
              r.total_ps ? (c.bytes_read + c.bytes_written) / static_cast<double>(r.total_ps) * 1e3
                         : 0.0);
      j.Field("avg_read_latency_ns", c.avg_read_latency_ns);
      j.Field("p99_read_latency_ns", c.p99_read_latency_ns);
    }
    j.EndObject();
  }
  j.EndArray();

  if (!r.power_domains.empty()) WritePowerGating(j, r);

  j.Key("simulation").BeginObject();
  j.Field("tile_tasks", r.tile_tasks).Field("kernel_waits", r.waits);
  j.Field("transactions", r.transactions);
  j.Field("multicast_copy_bytes", r.multicast_copy_bytes);
  j.Field("reduction_bytes", r.reduction_bytes);
  j.Field("gather_overfetch_bytes", r.gather_overfetch_bytes);
  j.Field("dram_footprint_bytes", static_cast<std::int64_t>(r.dram_footprint_bytes));
  j.Field("dram_capacity_bytes", static_cast<std::int64_t>(config.arch.dram.CapacityBytes()));
  if (r.decode_sampling.interval > 0) WriteDecodeSampling(j, r);
  j.EndObject();

  j.Key("config");
  YamlToJson(YAML::Load(resolved_yaml), j);
  j.EndObject();
  return j.str();
}

std::string AreaSectionJson(const ArchConfig& arch, const TechTable& tech, const Workload& workload,
                            double seconds) {
  if (!tech.area) return "";
  JsonWriter j;
  WriteAreaObject(j, arch, tech, workload, seconds);
  return j.str();
}

std::string LayersCsv(const RunConfig& config, const SimulationResult& r) {
  const std::vector<std::string> categories = Categories(r);
  std::vector<std::string> header = {"layer",
                                     "op",
                                     "dtype",
                                     "m",
                                     "k",
                                     "n",
                                     "start_cycle",
                                     "cycles",
                                     "energy_pj",
                                     "macs",
                                     "dram_read_bytes",
                                     "dram_write_bytes",
                                     "achieved_dram_bandwidth_bytes_per_s",
                                     "compute_utilization",
                                     "tile_tasks",
                                     "op_group",
                                     "seconds"};
  for (const std::string& c : categories) header.push_back(kCategoryColumn + c);
  std::string out = CsvRow(header);
  const auto& layers = config.workload.graph->layers();
  const std::vector<std::string> groups = OpGroups(*config.workload.graph);
  for (int l = 0; l < static_cast<int>(layers.size()); ++l) {
    const Layer& layer = layers[static_cast<size_t>(l)];
    const LayerResult& lr = r.layers[static_cast<size_t>(l)];
    const LayerFigures f = Figures(config, r, l);
    std::vector<std::string> row = {layer.name,
                                    OpName(layer),
                                    DTypeName(layer.dtype),
                                    std::to_string(layer.m),
                                    std::to_string(layer.k),
                                    std::to_string(layer.n),
                                    std::to_string(lr.start_cycle),
                                    std::to_string(lr.cycles),
                                    FormatNumber(r.ledger.LayerEnergyPj(l)),
                                    FormatNumber(f.macs),
                                    FormatNumber(f.dram_read_bytes),
                                    FormatNumber(f.dram_write_bytes),
                                    FormatNumber(f.dram_bandwidth),
                                    FormatNumber(f.utilization),
                                    std::to_string(lr.tile_tasks),
                                    groups[static_cast<size_t>(l)],
                                    FormatNumber(f.seconds)};
    const auto by_category = r.ledger.LayerEnergyByCategory(l);
    for (const std::string& c : categories) row.push_back(FormatNumber(by_category.at(c)));
    out += CsvRow(row);
  }
  return out;
}

std::string OpsCsv(const RunConfig& config, const SimulationResult& r) {
  const std::vector<std::string> categories = Categories(r);
  std::vector<std::string> header = {
      "op_group",     "layers", "cycles",          "seconds",          "energy_pj",
      "energy_share", "macs",   "dram_read_bytes", "dram_write_bytes", "tile_tasks"};
  for (const std::string& c : categories) header.push_back(kCategoryColumn + c);
  std::string out = CsvRow(header);
  const double total = r.ledger.TotalEnergyPj();
  for (const OpRollup& g : RollUp(config, r)) {
    std::vector<std::string> row = {g.group,
                                    std::to_string(g.layers),
                                    std::to_string(g.cycles),
                                    FormatNumber(g.seconds),
                                    FormatNumber(g.energy_pj),
                                    FormatNumber(total > 0 ? g.energy_pj / total : 0.0),
                                    FormatNumber(g.macs),
                                    FormatNumber(g.dram_read_bytes),
                                    FormatNumber(g.dram_write_bytes),
                                    std::to_string(g.tile_tasks)};
    for (const std::string& c : categories) row.push_back(FormatNumber(g.by_category.at(c)));
    out += CsvRow(row);
  }
  return out;
}

std::string PassesCsv(const RunConfig& config, const SimulationResult& r) {
  const std::vector<std::string> categories = Categories(r);
  std::vector<std::string> header = {"pass",    "kv_len",    "start_cycle",     "cycles",
                                     "seconds", "energy_pj", "dram_read_bytes", "dram_write_bytes"};
  for (const std::string& c : categories) header.push_back(kCategoryColumn + c);
  std::string out = CsvRow(header);
  // The KV length a pass attends over: its attention ops' (the longest, should they differ).
  std::int64_t kv_len = -1;
  for (const Layer& layer : config.workload.graph->layers()) {
    if (layer.kind == OpKind::kAttentionScores || layer.kind == OpKind::kAttentionContext)
      kv_len = std::max(kv_len, layer.attention.kv_len);
  }
  const std::vector<Action>& actions = r.ledger.actions();
  std::uint64_t start_ps = 0;
  for (size_t p = 0; p < r.passes.size(); ++p) {
    const PassResult& pass = r.passes[p];
    std::map<std::string, double> by_category;
    for (const std::string& c : categories) by_category[c] = 0;
    double energy = 0, read_bits = 0, write_bits = 0;
    for (size_t a = 0; a < actions.size(); ++a) {
      const double pj = pass.counts[a] * actions[a].pj_per_unit;
      by_category[actions[a].category] += pj;
      energy += pj;
      if (actions[a].category == "dram.read") read_bits += pass.counts[a];
      if (actions[a].category == "dram.write") write_bits += pass.counts[a];
    }
    const auto step = static_cast<std::int64_t>(p);
    std::vector<std::string> row = {
        std::to_string(p),
        kv_len < 0 ? "" : std::to_string(kv_len + step),
        std::to_string(WholeCycles(start_ps, r.clock_period_ps)),
        std::to_string(WholeCycles(pass.end_ps, r.clock_period_ps) -
                       WholeCycles(start_ps, r.clock_period_ps)),
        FormatNumber(static_cast<double>(pass.end_ps - start_ps) * 1e-12),
        FormatNumber(energy),
        FormatNumber(read_bits / 8),
        FormatNumber(write_bits / 8)};
    for (const std::string& c : categories) row.push_back(FormatNumber(by_category.at(c)));
    out += CsvRow(row);
    start_ps = pass.end_ps;
  }
  return out;
}

std::string SummaryText(const RunConfig& config, const SimulationResult& r, bool per_layer) {
  std::ostringstream out;
  const double total = r.ledger.TotalEnergyPj();
  out << std::fixed;
  out << "pjsim " << PJSIM_VERSION << ": workload '" << config.workload.name << "' on '"
      << config.arch.name << "' (" << config.tech.node << ", " << config.arch.clock_hz / 1e9
      << " GHz)\n";
  out << std::setprecision(6) << "  time   " << r.cycles() << " cycles = " << r.seconds() * 1e6
      << " us\n";
  out << std::setprecision(4) << "  energy " << total / 1e6 << " uJ\n";
  if (const DecodeSamplingResult& s = r.decode_sampling; s.interval > 0) {
    if (s.applied) {
      const SamplingBounds b = RelativeBounds(r);
      out << "  sampled decode: every " << s.interval << "th pass in detail, "
          << s.extrapolated_runs << " of " << s.extrapolated_runs + s.detailed_runs
          << " runs of KV-growing layers extrapolated; estimated error <= " << std::setprecision(3)
          << 100 * b.time << " % time, " << 100 * b.energy << " % energy\n";
    } else {
      out << "  sampled decode not applied (" << s.not_applied << "): every pass simulated\n";
    }
  }
  if (config.tech.area && config.tech.area->pe_um2.count(config.arch.tile.kind)) {
    const AreaBreakdown a = ComputeArea(config.arch, *config.tech.area);
    out << std::setprecision(2) << "  area   " << a.total_mm2 << " mm2 ("
        << PeakOpsPerSecond(config.arch) / 1e12 / a.total_mm2 << " peak TOPS/mm2)\n";
  }
  if (config.carbon) {
    const CarbonInputs& in = *config.carbon;
    const CarbonFootprint f = Footprint(in, total * 1e-12);
    const double tokens = Tokens(config.workload);
    out << std::scientific << std::setprecision(3) << "  carbon " << f.grams << " gCO2e";
    if (tokens > 0) out << " = " << Scaled(f, 1e6 / tokens).grams << " g per million tokens";
    out << std::fixed << std::setprecision(2) << " (" << in.location.key << ", "
        << in.location.g_per_kwh << " gCO2e/kWh, PUE " << in.pue.value << ")\n";
  }
  out << "\n";
  out << "  energy by category            uJ        share\n";
  for (const auto& [category, pj] : r.ledger.EnergyByCategory()) {
    out << "  " << std::left << std::setw(24) << category << std::right << std::setw(12)
        << std::setprecision(4) << pj / 1e6 << std::setw(10) << std::setprecision(1)
        << (total > 0 ? 100 * pj / total : 0) << " %\n";
  }
  // Layers rolled up by op group: a whole model has hundreds of layers but a dozen groups.
  out << "\n  op group           layers          cycles     energy uJ    share   DRAM MB\n";
  for (const OpRollup& g : RollUp(config, r)) {
    out << "  " << std::left << std::setw(18) << g.group << std::right << std::setw(7) << g.layers
        << std::setw(16) << g.cycles << std::setw(14) << std::setprecision(4) << g.energy_pj / 1e6
        << std::setw(7) << std::setprecision(1) << (total > 0 ? 100 * g.energy_pj / total : 0)
        << " %" << std::setw(10) << std::setprecision(2)
        << (g.dram_read_bytes + g.dram_write_bytes) / 1e6 << "\n";
  }
  if (!per_layer) return out.str();
  out << "\n  layer             cycles        energy uJ   util %   DRAM GB/s\n";
  const auto& layers = config.workload.graph->layers();
  for (int l = 0; l < static_cast<int>(layers.size()); ++l) {
    const LayerFigures f = Figures(config, r, l);
    out << "  " << std::left << std::setw(14) << layers[static_cast<size_t>(l)].name << std::right
        << std::setw(12) << r.layers[static_cast<size_t>(l)].cycles << std::setw(16)
        << std::setprecision(4) << r.ledger.LayerEnergyPj(l) / 1e6 << std::setw(9)
        << std::setprecision(1) << 100 * f.utilization << std::setw(12) << std::setprecision(2)
        << f.dram_bandwidth / 1e9 << "\n";
  }
  return out.str();
}

}  // namespace pjsim
