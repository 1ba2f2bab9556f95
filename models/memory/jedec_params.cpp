#include "models/memory/jedec_params.h"

#include <cstdint>
#include <filesystem>
#include <optional>

#include "models/memory/dramsim3_ini.h"
#include "models/memory/jedec_address_map.h"
#include "sim/config/yaml_reader.h"

namespace pjsim {
namespace {

constexpr std::int64_t kMaxClocks = std::int64_t{1} << 24;

bool PowerOfTwo(std::int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

// Reads each field from the section if it sets it, else from the preset.
class FieldReader {
 public:
  FieldReader(ConfigMap& section, std::optional<ConfigMap> preset)
      : section_(section), preset_(std::move(preset)) {}

  // The map to read `key` from. An overridden preset key is still read (and so checked as a
  // scalar), so that the preset's Finish() does not reject it.
  ConfigMap& From(const std::string& key) {
    if (!preset_) return section_;
    if (!section_.Has(key)) return *preset_;
    if (preset_->Has(key)) preset_->String(key);
    return section_;
  }
  std::int64_t Int(const std::string& key, std::int64_t min, std::int64_t max) {
    return From(key).Int(key, min, max);
  }
  std::int64_t Geometry(const std::string& key) {
    ConfigMap& m = From(key);
    const std::int64_t v = m.Int(key, 1, std::int64_t{1} << 24);
    if (!PowerOfTwo(v)) m.Fail(key, "must be a power of two, got " + std::to_string(v));
    return v;
  }
  double Current(const std::string& key) { return From(key).Number(key, 0, 1e5); }
  void Finish() {
    if (preset_) preset_->Finish();
  }

 private:
  ConfigMap& section_;
  std::optional<ConfigMap> preset_;
};

}  // namespace

std::shared_ptr<JedecParams> ReadJedecParams(ConfigMap& section) {
  std::optional<ConfigMap> preset;
  if (section.Has("preset")) {
    std::filesystem::path path = section.String("preset");
    if (path.is_relative()) {
      path = std::filesystem::path(section.document().file()).parent_path() / path;
    }
    if (!std::filesystem::is_regular_file(path)) {
      section.Fail("preset", "no DRAM preset file '" + path.string() + "'");
    }
    const std::shared_ptr<ConfigDocument> doc = IsDramsim3Ini(path.string())
                                                    ? LoadDramsim3Ini(path.string())
                                                    : ConfigDocument::Load(path.string());
    // A Ramulator 2 configuration borrows a shipped preset's currents, which the CLI finds.
    if (doc->root().IsMap() && doc->root()["MemorySystem"]) {
      section.Fail("preset", "'" + path.string() +
                                 "' is a Ramulator 2 configuration: convert it with `pjsim "
                                 "import-ramulator2 FILE -o PRESET.yaml` and name PRESET.yaml");
    }
    preset = ConfigMap::Root(doc);
  }
  FieldReader f(section, preset);
  auto p = std::make_shared<JedecParams>();
  p->name = f.From("name").StringOr("name", "");
  p->source = f.From("source").StringOr("source", "");

  p->ranks = f.Geometry("ranks");
  p->bank_groups = f.Geometry("bank_groups");
  p->banks_per_group = f.Geometry("banks_per_group");
  p->rows = f.Geometry("rows");
  p->columns = f.Geometry("columns");
  p->burst_length = f.Geometry("burst_length");
  p->bus_width_bits = f.Geometry("bus_width_bits");
  p->devices_per_rank = f.Geometry("devices_per_rank");
  p->device_width = f.Geometry("device_width");
  if (p->device_width * p->devices_per_rank != p->bus_width_bits) {
    f.From("bus_width_bits")
        .Fail("bus_width_bits", "must equal device_width x devices_per_rank (" +
                                    std::to_string(p->device_width * p->devices_per_rank) + ")");
  }
  if (p->burst_length < 2 || p->burst_length > p->columns) {
    f.From("burst_length").Fail("burst_length", "must be within 2..columns");
  }
  if (p->BurstBytes() < 1) f.From("bus_width_bits").Fail("bus_width_bits", "must be >= 8");
  {
    ConfigMap& m = f.From("transfers_per_clock");
    p->transfers_per_clock = m.IntOr("transfers_per_clock", 2, 1, 64);
    if (!PowerOfTwo(p->transfers_per_clock) || p->transfers_per_clock > p->burst_length) {
      m.Fail("transfers_per_clock", "must be a power of two no larger than burst_length (" +
                                        std::to_string(p->burst_length) + ")");
    }
  }

  p->tCK = f.From("tCK").Number("tCK", 0.01, 100);
  p->CL = f.Int("CL", 1, kMaxClocks);
  p->CWL = f.Int("CWL", 1, kMaxClocks);
  p->tRCD = f.Int("tRCD", 1, kMaxClocks);
  p->tRCDWR = f.From("tRCDWR").IntOr("tRCDWR", p->tRCD, 1, kMaxClocks);
  p->tRP = f.Int("tRP", 1, kMaxClocks);
  p->tRAS = f.Int("tRAS", 1, kMaxClocks);
  p->tRC = f.Int("tRC", 1, kMaxClocks);
  if (p->tRC < p->tRAS) f.From("tRC").Fail("tRC", "must be >= tRAS");
  p->tRRD_S = f.Int("tRRD_S", 1, kMaxClocks);
  p->tRRD_L = f.Int("tRRD_L", 1, kMaxClocks);
  p->tFAW = f.Int("tFAW", 1, kMaxClocks);
  p->t32AW = f.From("t32AW").IntOr("t32AW", 0, 0, kMaxClocks);
  if (p->t32AW > 0 && p->t32AW < p->tFAW) f.From("t32AW").Fail("t32AW", "must be >= tFAW");
  p->tPPD = f.From("tPPD").IntOr("tPPD", 0, 0, kMaxClocks);
  p->tCCD_S = f.Int("tCCD_S", 1, kMaxClocks);
  p->tCCD_L = f.Int("tCCD_L", 1, kMaxClocks);
  p->tCCD_L_WR = f.From("tCCD_L_WR").IntOr("tCCD_L_WR", p->tCCD_L, 1, kMaxClocks);
  p->tWTR_S = f.Int("tWTR_S", 1, kMaxClocks);
  p->tWTR_L = f.Int("tWTR_L", 1, kMaxClocks);
  p->tRTP = f.Int("tRTP", 1, kMaxClocks);
  p->tWR = f.Int("tWR", 1, kMaxClocks);
  p->tRFC = f.Int("tRFC", 1, kMaxClocks);
  p->tREFI = f.Int("tREFI", 1, kMaxClocks);
  if (p->tREFI <= p->tRFC) f.From("tREFI").Fail("tREFI", "must exceed tRFC");
  p->tXP = f.Int("tXP", 1, kMaxClocks);
  p->tRFCpb = f.From("tRFCpb").IntOr("tRFCpb", 0, 0, kMaxClocks);
  p->tREFIpb = f.From("tREFIpb").IntOr("tREFIpb", 0, 0, kMaxClocks);
  p->tRTRS = f.From("tRTRS").IntOr("tRTRS", 1, 0, kMaxClocks);
  p->write_rank_switch = f.From("write_rank_switch").BoolOr("write_rank_switch", true);
  p->tRTRS_RW = f.From("tRTRS_RW").IntOr("tRTRS_RW", p->tRTRS, 0, kMaxClocks);
  p->tRTRS_WR = f.From("tRTRS_WR").IntOr("tRTRS_WR", p->tRTRS, 0, kMaxClocks);
  p->tRTRS_WW =
      f.From("tRTRS_WW").IntOr("tRTRS_WW", p->write_rank_switch ? p->tRTRS : 0, 0, kMaxClocks);
  p->two_cycle_commands = f.From("two_cycle_commands").BoolOr("two_cycle_commands", false);
  p->read_to_write_gap = f.From("read_to_write_gap").IntOr("read_to_write_gap", 2, 0, kMaxClocks);

  p->IDD0 = f.Current("IDD0");
  p->IDD2N = f.Current("IDD2N");
  p->IDD2P = f.Current("IDD2P");
  p->IDD3N = f.Current("IDD3N");
  p->IDD3P = f.Current("IDD3P");
  p->IDD4R = f.Current("IDD4R");
  p->IDD4W = f.Current("IDD4W");
  p->IDD5B = f.Current("IDD5B");
  p->IDD5PB = f.From("IDD5PB").NumberOr("IDD5PB", 0, 0, 1e5);
  p->VDD = f.From("VDD").Number("VDD", 0.1, 5);
  // The TN-41-01 differences must not be negative: a command draws more than standby.
  const auto at_least = [&](const std::string& key, double v, double floor, const char* what) {
    if (v < floor) f.From(key).Fail(key, std::string("must be >= ") + what);
  };
  at_least("IDD3N", p->IDD3N, p->IDD2N, "IDD2N");
  at_least("IDD2N", p->IDD2N, p->IDD2P, "IDD2P");
  at_least("IDD3N", p->IDD3N, p->IDD3P, "IDD3P");
  at_least("IDD3P", p->IDD3P, p->IDD2P, "IDD2P");
  at_least("IDD4R", p->IDD4R, p->IDD3N, "IDD3N");
  at_least("IDD4W", p->IDD4W, p->IDD3N, "IDD3N");
  at_least("IDD5B", p->IDD5B, p->IDD3N, "IDD3N");
  const double act_current =
      p->IDD0 * static_cast<double>(p->tRC) -
      (p->IDD3N * static_cast<double>(p->tRAS) + p->IDD2N * static_cast<double>(p->tRC - p->tRAS));
  if (act_current < 0) {
    f.From("IDD0").Fail("IDD0",
                        "too small: IDD0 x tRC must exceed IDD3N x tRAS + IDD2N x (tRC - "
                        "tRAS) (Micron TN-41-01 activate power)");
  }
  p->io_pj_per_bit = f.From("io_energy").Quantity("io_energy", Dimension::kEnergyPerBit, true);

  {
    ConfigMap& m = f.From("address_mapping");
    p->address_mapping = m.String("address_mapping");
    const std::string error = JedecAddressMap::Check(p->address_mapping);
    if (!error.empty()) m.Fail("address_mapping", error);
  }
  p->open_page =
      f.From("page_policy").ChoiceOr("page_policy", "open", {"open", "closed"}) == "open";
  {
    const std::string scheduler =
        f.From("scheduler").ChoiceOr("scheduler", "fr-fcfs", {"fr-fcfs", "fcfs", "round-robin"});
    p->fr_fcfs = scheduler != "fcfs";
    p->round_robin = scheduler == "round-robin";
  }
  p->read_queue = f.From("read_queue").IntOr("read_queue", 32, 1, 4096);
  p->write_queue = f.From("write_queue").IntOr("write_queue", 32, 1, 4096);
  {
    const std::string structure =
        f.From("queue_structure")
            .ChoiceOr("queue_structure", "shared", {"shared", "per_bank", "per_rank"});
    p->queue_structure = structure == "per_bank"   ? JedecParams::QueueStructure::kPerBank
                         : structure == "per_rank" ? JedecParams::QueueStructure::kPerRank
                                                   : JedecParams::QueueStructure::kShared;
    ConfigMap& depth = f.From("command_queue_depth");
    if (depth.Has("command_queue_depth") &&
        p->queue_structure == JedecParams::QueueStructure::kShared) {
      depth.Fail("command_queue_depth", "applies to queue_structure per_bank or per_rank only");
    }
    p->command_queue_depth = depth.IntOr("command_queue_depth", 8, 1, 4096);
  }
  {
    const std::string bus =
        f.From("command_bus")
            .ChoiceOr("command_bus", "ahead", {"ahead", "one_per_clock", "row_column"});
    p->command_bus = bus == "one_per_clock" ? JedecParams::CommandBus::kOnePerClock
                     : bus == "row_column"  ? JedecParams::CommandBus::kRowColumn
                                            : JedecParams::CommandBus::kAhead;
    p->row_hit_cap = f.From("row_hit_cap").IntOr("row_hit_cap", 0, 0, 1 << 20);
    // A count of accesses (Ramulator reads its cap as an int): given, it is at least one.
    ConfigMap& close = f.From("close_after_accesses");
    p->close_after_accesses = close.IntOr("close_after_accesses", 0, 1, INT32_MAX);
    if (p->close_after_accesses > 0 && !p->open_page) {
      close.Fail("close_after_accesses",
                 "applies to page_policy: open only (a closed page closes every row after one "
                 "access)");
    }
    // The active buffer holds requests between their ACT and their column command: the ahead
    // mode places both in one decision (no request waits activated), and command queues hold
    // activated requests of their own.
    ConfigMap& active = f.From("active_buffer");
    p->active_buffer = active.IntOr("active_buffer", 0, 0, 4096);
    if (p->active_buffer > 0 && (p->queue_structure != JedecParams::QueueStructure::kShared ||
                                 p->command_bus == JedecParams::CommandBus::kAhead)) {
      active.Fail("active_buffer",
                  "applies to queue_structure shared with command_bus one_per_clock or "
                  "row_column only");
    }
    ConfigMap& moves = f.From("moves_per_clock");
    p->moves_per_clock = moves.IntOr("moves_per_clock", 0, 0, 4096);
    if (p->moves_per_clock > 0 && (p->queue_structure == JedecParams::QueueStructure::kShared ||
                                   p->command_bus == JedecParams::CommandBus::kAhead)) {
      moves.Fail("moves_per_clock",
                 "applies to queue_structure per_bank or per_rank with command_bus one_per_clock "
                 "or row_column only");
    }
  }
  p->batch_write_drain =
      f.From("write_drain").ChoiceOr("write_drain", "watermarks", {"watermarks", "batch"}) ==
      "batch";
  // Each policy's keys apply to it only: a key of the other one would be silently ignored.
  for (const char* key : {"write_high_watermark", "write_low_watermark"}) {
    if (p->batch_write_drain && f.From(key).Has(key)) {
      f.From(key).Fail(key, "applies to write_drain: watermarks only");
    }
  }
  p->write_high_watermark =
      f.From("write_high_watermark").NumberOr("write_high_watermark", 0.75, 0, 1);
  p->write_low_watermark =
      f.From("write_low_watermark").NumberOr("write_low_watermark", 0.25, 0, 1);
  if (p->write_low_watermark > p->write_high_watermark) {
    f.From("write_low_watermark")
        .Fail("write_low_watermark", "must not exceed write_high_watermark");
  }
  {
    ConfigMap& idle = f.From("write_drain_idle");
    if (!p->batch_write_drain && idle.Has("write_drain_idle")) {
      idle.Fail("write_drain_idle", "applies to write_drain: batch only");
    }
    p->write_drain_idle = idle.IntOr("write_drain_idle", 16, 1, 4096);
  }
  p->power_down = f.From("power_down").BoolOr("power_down", true);
  p->power_down_idle = f.From("power_down_idle").IntOr("power_down_idle", 64, 1, kMaxClocks);
  p->refresh = f.From("refresh").BoolOr("refresh", true);
  {
    ConfigMap& m = f.From("refresh_mode");
    p->per_bank_refresh =
        m.ChoiceOr("refresh_mode", "all_bank", {"all_bank", "per_bank"}) == "per_bank";
    if (p->per_bank_refresh) {
      // The device must define per-bank refresh; its commands must cover the banks evenly.
      if (p->tRFCpb <= 0 || p->tREFIpb <= 0 || p->IDD5PB <= 0) {
        m.Fail("refresh_mode",
               "per_bank needs tRFCpb, tREFIpb and IDD5PB (this device's preset has no per-bank "
               "refresh)");
      }
      if (p->tREFIpb <= p->tRFCpb) f.From("tREFIpb").Fail("tREFIpb", "must exceed tRFCpb");
      if (p->tREFIpb > p->tREFI || p->Banks() % p->RefreshSets() != 0 || p->RefreshSets() > 63) {
        f.From("tREFIpb").Fail("tREFIpb", "tREFI / tREFIpb (" + std::to_string(p->RefreshSets()) +
                                              " commands per tREFI) must divide the " +
                                              std::to_string(p->Banks()) +
                                              " banks (at most 63 sets)");
      }
      if (p->IDD5PB < p->IDD3N) f.From("IDD5PB").Fail("IDD5PB", "must be >= IDD3N");
    }
  }
  // No effect without refresh (an imported Ramulator configuration keeps it with --set
  // refresh=false).
  p->refresh_stagger = f.From("refresh_stagger").BoolOr("refresh_stagger", true);
  p->exact = f.From("exact").BoolOr("exact", false);
  p->replay = f.From("replay").BoolOr("replay", true);
  p->interleave_transactions =
      f.From("interleave_transactions").BoolOr("interleave_transactions", false);
  f.Finish();
  return p;
}

}  // namespace pjsim
