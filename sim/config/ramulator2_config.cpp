#include "sim/config/ramulator2_config.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "sim/config/config_error.h"
#include "sim/config/printable.h"
#include "sim/config/ramulator2_presets.h"
#include "sim/config/whole_number.h"

namespace pjsim {
namespace {

using ramulator2::Standard;

// Ramulator's ReqBuffer holds max_size = 32 requests and accepts a 33rd (`size() <= max_size`).
constexpr std::int64_t kRamulatorBuffer = 32;
constexpr std::int64_t kPjsimQueue = kRamulatorBuffer + 1;
constexpr std::int64_t kMaxClocks = std::int64_t{1} << 24;
// ClosedRowPolicy's `cap` when the file gives none (param<int>("cap").default_val), and the
// largest an int holds.
constexpr std::int64_t kRamulatorCloseCap = 10000000;
constexpr std::int64_t kMaxCloseCap = 2147483647;

// The shortest text that reads back as `x` (0.833, not 0.83299999999999996).
std::string Num(double x) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, end);
}

// A value in a comment: six significant digits.
std::string Short(double x) {
  std::ostringstream o;
  o << x;
  return o.str();
}

// One mapping of the file, with the keys Ramulator reads in it; the others become notes.
class Group {
 public:
  Group(ConfigMap map, std::string name) : map_(std::move(map)), name_(std::move(name)) {}

  ConfigMap& map() { return map_; }
  const std::string& name() const { return name_; }
  bool Has(const std::string& key) {
    known_.insert(key);
    return map_.Has(key);
  }
  int Line(const std::string& key) const { return map_.WhereKey(key).line; }
  std::string String(const std::string& key) {
    known_.insert(key);
    return map_.String(key);
  }
  // A whole number as Ramulator's param<int> reads it.
  std::int64_t Whole(const std::string& key, std::int64_t min, std::int64_t max) {
    known_.insert(key);
    const std::string text = map_.String(key);
    const std::optional<std::int64_t> v = ParseWholeNumber(text);
    if (!v) map_.Fail(key, "expected a whole number, got '" + PrintableToken(text) + "'");
    if (*v < min || *v > max) {
      map_.Fail(key, "must be within " + std::to_string(min) + ".." + std::to_string(max) +
                         ", got " + std::to_string(*v));
    }
    return *v;
  }
  double Number(const std::string& key, double min, double max) {
    known_.insert(key);
    return map_.Number(key, min, max);
  }
  Group Sub(const std::string& key) {
    known_.insert(key);
    return Group(map_.Map(key), name_.empty() ? key : name_ + "." + key);
  }
  std::optional<Group> SubIf(const std::string& key) {
    known_.insert(key);
    if (!map_.Has(key)) return std::nullopt;
    return Sub(key);
  }
  // `impl`, which must be one of `choices`.
  std::string Impl(const std::vector<std::string>& choices, const std::string& what) {
    const std::string impl = String("impl");
    if (std::find(choices.begin(), choices.end(), impl) == choices.end()) {
      std::string list;
      for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
      map_.Fail("impl", PrintableToken(impl) + ": pjsim simulates " + what +
                            " as Ramulator 2 does for " + list + " only");
    }
    return impl;
  }
  void Read(const std::string& key) { known_.insert(key); }
  // Notes for the keys nobody read.
  void NoteUnread(std::vector<std::string>& notes) {
    const std::vector<std::string> known(known_.begin(), known_.end());
    for (const std::string& key : map_.Keys()) {
      if (known_.count(key)) continue;
      const std::string guess = DidYouMean(key, known);
      notes.push_back(map_.WhereKey(key).ToString() + ": " + (name_.empty() ? "" : name_ + ".") +
                      key + " is not read (Ramulator 2 does not read it either)" +
                      (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
    }
  }

 private:
  ConfigMap map_;
  std::string name_;
  std::set<std::string> known_;
};

struct Reading {
  Ramulator2Preset out;
  Standard standard = Standard::kDdr4;
  void Put(const std::string& key, const std::string& value, int line, const std::string& from) {
    out.fields.push_back({key, value, line, from});
  }
  void Put(const std::string& key, std::int64_t value, int line, const std::string& from) {
    Put(key, std::to_string(value), line, from);
  }
};

[[noreturn]] void FailUnknownPreset(Group& g, const std::string& what, const std::string& name,
                                    const std::vector<std::string>& names) {
  const std::string guess = DidYouMean(name, names);
  g.map().Fail("preset", "unknown " + what + " preset '" + PrintableToken(name) + "'" +
                             (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
}

ramulator2::Organization ReadOrganization(Reading& r, Group& org, int& line) {
  ramulator2::Organization o;
  line = org.map().Where().line;
  if (org.Has("preset")) {
    const std::string name = org.String("preset");
    const ramulator2::Organization* p = ramulator2::FindOrganization(r.standard, name);
    if (!p) {
      FailUnknownPreset(org, r.out.standard + " organisation", name,
                        ramulator2::OrganizationNames(r.standard));
    }
    o = *p;
    r.out.organization = name;
    line = org.Line("preset");
  }
  const std::pair<const char*, std::int64_t*> levels[] = {
      {"dq", &o.dq},         {"channel", &o.channel},
      {"rank", &o.rank},     {"bankgroup", &o.bankgroup},
      {"bank", &o.bank},     {"row", &o.row},
      {"column", &o.column}, {"density", &o.density_mb}};
  for (const auto& [key, value] : levels) {
    if (org.Has(key)) *value = org.Whole(key, 1, std::int64_t{1} << 30);
  }
  for (const auto& [key, value] : levels) {
    if (*value < 0) {
      org.map().FailHere(std::string("no ") + key +
                         " (neither a preset nor the file gives it; Ramulator 2 needs it too)");
    }
  }
  // Ramulator's sanity check: the levels must make the stated density.
  // Five counts of up to 2^30 each: stop before the product overflows (a density is at most
  // 2^30 Mb, so any product above 2^62 bits differs from it).
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 62;
  std::uint64_t bits = 1;
  for (const std::int64_t v : {o.bankgroup, o.bank, o.row, o.column, o.dq}) {
    const auto u = static_cast<std::uint64_t>(v);
    bits = bits > kLimit / u ? kLimit : std::min(kLimit, bits * u);
  }
  if (bits >= kLimit || static_cast<std::int64_t>(bits >> 20) != o.density_mb) {
    const std::string shown =
        bits >= kLimit ? std::string("over 2^42") : std::to_string(bits >> 20);
    org.map().FailHere("bankgroup x bank x row x column x dq = " + shown + " Mb, not the density " +
                       std::to_string(o.density_mb) + " Mb (Ramulator 2 refuses it too)");
  }
  return o;
}

ramulator2::Timings ReadTimings(Reading& r, Group& timing, const ramulator2::Organization& o,
                                std::int64_t brc, std::map<std::string, int>& lines) {
  ramulator2::Timings t;
  for (const std::string& name : ramulator2::TimingNames(r.standard)) t[name] = -1;
  int base_line = timing.map().Where().line;
  if (timing.Has("preset")) {
    const std::string name = timing.String("preset");
    const ramulator2::Timings* p = ramulator2::FindTimingPreset(r.standard, name);
    if (!p) {
      FailUnknownPreset(timing, r.out.standard + " timing", name,
                        ramulator2::TimingPresetNames(r.standard));
    }
    t = *p;
    r.out.timing = name;
    base_line = timing.Line("preset");
    if (timing.Has("rate")) {
      timing.map().Fail("rate", "a speed preset fixes the rate (Ramulator 2 refuses both)");
    }
  } else if (timing.Has("rate")) {
    t["rate"] = timing.Whole("rate", 200, 100000);
    base_line = timing.Line("rate");
  } else {
    timing.map().FailHere("give a speed preset or a rate (MT/s)");
  }
  t["tCK_ps"] = ramulator2::ClockPeriodPs(t["rate"]);
  ramulator2::DeriveTimings(r.standard, o.dq, o.density_mb, brc, t);
  for (const std::string& name : ramulator2::TimingNames(r.standard)) lines[name] = base_line;
  // The file's own timings, in clocks (nRCD) or else in ns (tRCD), as Ramulator applies them.
  const std::vector<std::string>& names = ramulator2::TimingNames(r.standard);
  for (size_t i = 1; i + 1 < names.size(); ++i) {
    const std::string& n = names[i];
    const std::string ns = "t" + n.substr(1);
    if (timing.Has(n)) {
      t[n] = timing.Whole(n, 0, kMaxClocks);
      lines[n] = timing.Line(n);
    } else if (timing.Has(ns)) {
      const double v = timing.Number(ns, 0, 1e6);
      t[n] = ramulator2::JedecRounding(r.standard, static_cast<float>(v), t["tCK_ps"]);
      lines[n] = timing.Line(ns);
    }
  }
  timing.Read("tCK_ps");  // Ramulator computes it from the rate and ignores the key
  for (const std::string& n : names) {
    if (t[n] < 0) {
      timing.map().FailHere(n + " is not specified (no Ramulator 2 table covers " + r.out.standard +
                            "-" + std::to_string(t["rate"]) + ", x" + std::to_string(o.dq) + ", " +
                            std::to_string(o.density_mb) + " Mb; give it in clocks or as t" +
                            n.substr(1) + " in ns)");
    }
  }
  return t;
}

void PutDevice(Reading& r, Group& org, const ramulator2::Organization& o, int org_line,
               std::int64_t channel_width, int width_line) {
  const auto line = [&](const char* key) { return org.Has(key) ? org.Line(key) : org_line; };
  if (o.channel != 1) {
    r.out.notes.push_back(org.map().WhereKey(org.Has("channel") ? "channel" : "preset").ToString() +
                          ": org.channel " + std::to_string(o.channel) +
                          ": the preset describes one channel; an arch sets how many "
                          "(dram.channels), dram-bench drives one");
  }
  r.Put("ranks", o.rank, line("rank"), "org.rank");
  r.Put("bank_groups", o.bankgroup, line("bankgroup"), "org.bankgroup");
  r.Put("banks_per_group", o.bank, line("bank"), "org.bank");
  r.Put("rows", o.row, line("row"), "org.row");
  r.Put("columns", o.column, line("column"), "org.column");
  r.Put("device_width", o.dq, line("dq"), "org.dq");
  if (channel_width % o.dq != 0) {
    org.map().Fail("channel_width", "channel_width " + std::to_string(channel_width) +
                                        " is not a multiple of dq " + std::to_string(o.dq));
  }
  r.Put("bus_width_bits", channel_width, width_line, "org.channel_width");
  r.Put("devices_per_rank", channel_width / o.dq, width_line, "org.channel_width / org.dq");
}

void PutTimings(Reading& r, Group& timing, const ramulator2::Timings& t,
                const std::map<std::string, int>& lines) {
  const auto at = [&](const std::string& n) { return lines.at(n); };
  const auto v = [&](const std::string& n) { return t.at(n); };
  const bool ddr5 = r.standard == Standard::kDdr5;
  // pjsim's burst is the device's prefetch, which Ramulator fixes per standard (it slices the
  // address by it); nBL is that burst on the bus.
  const std::int64_t prefetch = ddr5 ? 16 : 8;
  if (v("nBL") != prefetch / 2) {
    timing.map().Fail(timing.Has("nBL") ? "nBL" : "tBL",
                      "nBL " + std::to_string(v("nBL")) + ": a " + r.out.standard + " burst of " +
                          std::to_string(prefetch) + " (Ramulator's prefetch) takes " +
                          std::to_string(prefetch / 2) + " clocks");
  }
  r.Put("burst_length", prefetch, at("nBL"), "the prefetch; nBL = " + std::to_string(v("nBL")));
  r.Put("tCK", Num(static_cast<double>(v("tCK_ps")) / 1000.0), at("rate"),
        "1e6 / (rate / 2) ps, rate " + std::to_string(v("rate")) + " MT/s");
  const std::pair<const char*, const char*> direct[] = {
      {"CL", "nCL"},       {"CWL", "nCWL"},  {"tRCD", "nRCD"},    {"tRP", "nRP"},
      {"tRAS", "nRAS"},    {"tRC", "nRC"},   {"tWR", "nWR"},      {"tRTP", "nRTP"},
      {"tRRD_S", "nRRDS"}, {"tFAW", "nFAW"}, {"tCCD_S", "nCCDS"}, {"tREFI", "nREFI"}};
  for (const auto& [key, n] : direct) r.Put(key, v(n), at(n), n);
  // Ramulator times every pair of ACTs (column commands) of a rank by nRRDS (nCCDS) and pairs
  // in one bank group by nRRDL (nCCDL) as well: the larger bounds a pair in one group.
  r.Put("tRRD_L", std::max(v("nRRDS"), v("nRRDL")), at("nRRDL"), "max(nRRDS, nRRDL)");
  r.Put("tCCD_L", std::max(v("nCCDS"), v("nCCDL")), at("nCCDL"), "max(nCCDS, nCCDL)");
  if (ddr5) {
    if (v("nCCDS_WR") != v("nCCDS")) {
      timing.map().Fail(timing.Has("nCCDS_WR") ? "nCCDS_WR" : "tCCDS_WR",
                        "nCCDS_WR " + std::to_string(v("nCCDS_WR")) + " != nCCDS " +
                            std::to_string(v("nCCDS")) +
                            ": pjsim spaces reads and writes to other bank groups alike");
    }
    r.Put("tCCD_L_WR", std::max(v("nCCDS_WR"), v("nCCDL_WR")), at("nCCDL_WR"),
          "max(nCCDS_WR, nCCDL_WR)");
    // Ramulator's write-to-read gaps run from the WR command; pjsim's from the end of its data.
    const std::int64_t data = v("nCWL") + v("nBL");
    const std::int64_t wtr_s = v("nCCDS_WTR") - data, wtr_l = v("nCCDL_WTR") - data;
    if (wtr_s < 1 || wtr_l < 1) {
      timing.map().FailHere("nCCDS_WTR and nCCDL_WTR must exceed nCWL + nBL (" +
                            std::to_string(data) + "), the write's data");
    }
    r.Put("tWTR_S", wtr_s, at("nCCDS_WTR"), "nCCDS_WTR - nCWL - nBL");
    r.Put("tWTR_L", std::max(wtr_s, wtr_l), at("nCCDL_WTR"), "nCCDL_WTR - nCWL - nBL");
    r.Put("tRFC", v("nRFC1"), at("nRFC1"), "nRFC1");
    // JESD79-5's two-clock ACT, RD and WR; read to write nCL + nBL + 2 - nCWL + 2 (tWPRE 2).
    r.Put("two_cycle_commands", "true", 0, "DDR5's two-cycle ACT, RD, WR");
    r.Put("read_to_write_gap", 4, 0, "read to write: nCL + nBL + 2 - nCWL + 2");
  } else {
    r.Put("tWTR_S", v("nWTRS"), at("nWTRS"), "nWTRS");
    r.Put("tWTR_L", std::max(v("nWTRS"), v("nWTRL")), at("nWTRL"), "max(nWTRS, nWTRL)");
    r.Put("tRFC", v("nRFC"), at("nRFC"), "nRFC");
    r.Put("read_to_write_gap", 2, 0, "read to write: nCL + nBL + 2 - nCWL");
  }
  // Column commands to another rank (`is_sibling`): nBL + nCS after a read, nCL + nBL + nCS -
  // nCWL from a write to a read, the data bus alone between writes; as gaps between bursts.
  const std::int64_t cs = v("nCS");
  r.Put("tRTRS", cs, at("nCS"), "nCS (read to read, another rank)");
  r.Put("tRTRS_WR", std::max<std::int64_t>(0, 2 * v("nCL") + cs - 2 * v("nCWL")), at("nCS"),
        "write to read, another rank: nCL + nBL + nCS - nCWL after the WR");
  r.Put("tRTRS_RW", std::max<std::int64_t>(0, cs + v("nCWL") - v("nCL")), at("nCS"),
        "read to write, another rank: nBL + nCS after the RD");
  r.Put("tRTRS_WW", 0, at("nCS"), "write to write, another rank: the data bus only");
}

// Ramulator's write mode starts when the buffer holds more than high x 32 writes and ends below
// low x 32; pjsim's drain starts at >= high x 33 and ends at <= low x 33: the same counts.
void PutWatermarks(Reading& r, Group& ctrl) {
  double high = 0.8, low = 0.2;
  int high_line = 0, low_line = 0;
  if (ctrl.Has("wr_high_watermark")) {
    high = ctrl.Number("wr_high_watermark", 0, 1);
    high_line = ctrl.Line("wr_high_watermark");
  }
  if (ctrl.Has("wr_low_watermark")) {
    low = ctrl.Number("wr_low_watermark", 0, 1);
    low_line = ctrl.Line("wr_low_watermark");
  }
  if (!(low > 0) || low > high) {
    ctrl.map().Fail(ctrl.Has("wr_low_watermark") ? "wr_low_watermark" : "wr_high_watermark",
                    "needs 0 < wr_low_watermark <= wr_high_watermark (with a low mark of 0 "
                    "Ramulator 2 would never leave write mode)");
  }
  // Ramulator compares with float watermarks times the buffer's size.
  const float buffer = static_cast<float>(kRamulatorBuffer);
  const double start = std::floor(static_cast<float>(high) * buffer) + 1;  // fewest to start
  const double stop = std::ceil(static_cast<float>(low) * buffer) - 1;     // most to end
  r.Put("write_high_watermark", Num((start - 0.5) / kPjsimQueue), high_line,
        "more than wr_high_watermark x 32 writes (" + Short(high) + ")");
  r.Put("write_low_watermark", Num((stop + 0.5) / kPjsimQueue), low_line,
        "fewer than wr_low_watermark x 32 writes (" + Short(low) + ")");
}

void ReadController(Reading& r, Group& ctrl) {
  ctrl.Impl({"Generic"}, "the controller");
  const int line = ctrl.Line("impl");
  r.Put("power_down", "false", line, "no power-down in Ramulator 2");
  r.Put("read_queue", kPjsimQueue, line, "a read buffer of 32 that accepts a 33rd request");
  r.Put("write_queue", kPjsimQueue, line, "a write buffer of 32 that accepts a 33rd request");
  r.Put("active_buffer", kPjsimQueue, line, "activated requests, served first, their rows kept");
  r.Put("command_bus", "one_per_clock", line, "one command per clock");
  PutWatermarks(r, ctrl);

  Group scheduler = ctrl.Sub("Scheduler");
  scheduler.Impl({"FRFCFS"}, "the scheduler");
  r.Put("scheduler", "fr-fcfs", scheduler.Line("impl"), "FRFCFS: a ready command, then the oldest");
  scheduler.NoteUnread(r.out.notes);

  Group refresh = ctrl.Sub("RefreshManager");
  const bool refreshing = refresh.Impl({"AllBank", "NoRefresh"}, "refresh") == "AllBank";
  r.Put("refresh", refreshing ? "true" : "false", refresh.Line("impl"),
        refreshing ? "AllBank: REFab every nREFI" : "NoRefresh");
  if (refreshing) {
    r.Put("refresh_mode", "all_bank", refresh.Line("impl"), "AllBank");
    r.Put("refresh_stagger", "false", refresh.Line("impl"), "AllBank: every rank's REFab at once");
  }
  refresh.NoteUnread(r.out.notes);

  if (std::optional<Group> rows = ctrl.SubIf("RowPolicy")) {
    // Both keep rows open after an access; ClosedRowPolicy (Ramulator 2 after 525d045f, as in
    // its example_config.yaml) sends a PRE to its priority buffer once a bank has served `cap`
    // column accesses since it was closed. Ramulator reads `cap` as an int and would close after
    // every access below 1: a typo more likely than a policy, so an error here.
    const std::string impl = rows->Impl({"OpenRowPolicy", "ClosedRowPolicy"}, "the row policy");
    r.Put("page_policy", "open", rows->Line("impl"), impl + ": rows stay open after an access");
    if (impl == "ClosedRowPolicy") {
      std::int64_t cap = kRamulatorCloseCap;
      int cap_line = rows->Line("impl");
      if (rows->Has("cap")) {
        cap = rows->Whole("cap", 1, kMaxCloseCap);
        cap_line = rows->Line("cap");
      }
      r.Put("close_after_accesses", cap, cap_line,
            "ClosedRowPolicy cap" + std::string(rows->Has("cap") ? "" : " (its default)") +
                ": a priority PRE after cap column accesses to a bank");
    }
    rows->NoteUnread(r.out.notes);
  } else {
    r.Put("page_policy", "open", line, "rows stay open (no RowPolicy)");
  }

  // `plugins:` may be left empty (null); a list holds `- ControllerPlugin: {impl: ...}`.
  const YAML::Node doc = ctrl.map().document().root();
  if (ctrl.Has("plugins") && !doc["MemorySystem"]["Controller"]["plugins"].IsNull()) {
    // Plugins that only observe (count commands, record a trace) change nothing simulated.
    static const std::set<std::string> kObservers = {"CommandCounter", "TraceRecorder"};
    for (ConfigMap& p : ctrl.map().MapList("plugins")) {
      ConfigMap plugin = p.Map("ControllerPlugin");
      const std::string impl = plugin.String("impl");
      if (!kObservers.count(impl)) {
        plugin.Fail("impl", "plugin " + PrintableToken(impl) +
                                " changes the commands the controller issues; pjsim does not "
                                "simulate it (CommandCounter and TraceRecorder only observe)");
      }
      r.out.notes.push_back(plugin.WhereKey("impl").ToString() + ": plugin " + impl +
                            " only observes: not simulated");
    }
  }
  ctrl.NoteUnread(r.out.notes);
}

std::string MappingOf(Group& mapper) {
  // Ramulator's linear mappers, most significant field first: RoBaRaCoCh slices the channel,
  // the burst's column bits, then rank, bank group, bank and row from the bottom; ChRaBaRoCo
  // the column, row, bank, bank group, rank and channel.
  const std::string impl = mapper.Impl({"RoBaRaCoCh", "ChRaBaRoCo"}, "address mapping");
  return impl == "RoBaRaCoCh" ? "robabgracoch" : "chrabgbaroco";
}

}  // namespace

bool IsRamulator2Config(const std::string& path) {
  try {
    const YAML::Node root = YAML::LoadFile(path);
    return root.IsMap() && root["MemorySystem"];
  } catch (const std::exception&) {
    return false;
  }
}

Ramulator2Preset ReadRamulator2Config(const std::string& path) {
  Reading r;
  r.out.file = path;
  Group root(ConfigMap::Root(ConfigDocument::Load(path)), "");
  if (root.Has("Frontend")) {
    r.out.notes.push_back(root.map().WhereKey("Frontend").ToString() +
                          ": Frontend is not read: pjsim's own requests drive the memory");
  }
  Group system = root.Sub("MemorySystem");
  system.Impl({"GenericDRAM"}, "the memory system");
  system.Read("clock_ratio");  // the frontend's clock against the DRAM's: no frontend here

  Group dram = system.Sub("DRAM");
  r.out.standard = dram.Impl({"DDR4", "DDR5"}, "the DRAM");
  r.standard = r.out.standard == "DDR5" ? Standard::kDdr5 : Standard::kDdr4;
  Group org = dram.Sub("org");
  int org_line = 0;
  const ramulator2::Organization o = ReadOrganization(r, org, org_line);
  std::int64_t channel_width = r.standard == Standard::kDdr5 ? 32 : 64;
  int width_line = org_line;
  if (org.Has("channel_width")) {
    channel_width = org.Whole("channel_width", 4, 1024);
    width_line = org.Line("channel_width");
  }
  std::int64_t brc = 2;
  if (std::optional<Group> rfm = dram.SubIf("RFM")) {
    if (rfm->Has("BRC")) brc = rfm->Whole("BRC", 1, 64);
    rfm->NoteUnread(r.out.notes);
  }
  for (const char* power : {"drampower_enable", "voltage", "current", "power_debug"}) {
    if (!dram.Has(power)) continue;
    r.out.notes.push_back(dram.map().WhereKey(power).ToString() + ": DRAM." + power +
                          " is not read: pjsim prices the commands with its own preset's "
                          "currents (below)");
  }
  Group timing = dram.Sub("timing");
  std::map<std::string, int> lines;
  const ramulator2::Timings t = ReadTimings(r, timing, o, brc, lines);
  timing.NoteUnread(r.out.notes);
  org.NoteUnread(r.out.notes);
  dram.NoteUnread(r.out.notes);

  PutDevice(r, org, o, org_line, channel_width, width_line);
  PutTimings(r, timing, t, lines);
  Group ctrl = system.Sub("Controller");
  ReadController(r, ctrl);
  Group mapper = system.Sub("AddrMapper");
  r.Put("address_mapping", MappingOf(mapper), mapper.Line("impl"),
        mapper.map().String("impl") + ", most significant field first");
  mapper.NoteUnread(r.out.notes);
  system.NoteUnread(r.out.notes);
  root.NoteUnread(r.out.notes);

  r.out.base_preset = r.standard == Standard::kDdr5 ? "ddr5-4800"
                      : o.dq == 16                  ? "ddr4-3200-x16"
                                                    : "ddr4-3200-x8";
  r.out.notes.push_back(path +
                        ": Ramulator 2 prices no energy: VDD, the IDD currents and the I/O "
                        "energy are pjsim's " +
                        r.out.base_preset + " preset's");
  return r.out;
}

std::string Ramulator2PresetYaml(const Ramulator2Preset& p,
                                 const std::shared_ptr<const ConfigDocument>& base, bool placed) {
  std::vector<Ramulator2Field> fields = p.fields;
  const std::string stem = std::filesystem::path(p.file).stem().string();
  const std::string source = "Ramulator 2 configuration " + p.file + " (" + p.standard +
                             (p.organization.empty() ? "" : ", " + p.organization) +
                             (p.timing.empty() ? "" : ", " + p.timing) + "); electrical fields " +
                             "from pjsim's " + p.base_preset + " preset";
  fields.insert(fields.begin(), {{"name", YAML::Dump(YAML::Node(stem)), 0, ""},
                                 {"source", YAML::Dump(YAML::Node(source)), 0, ""}});
  // What Ramulator has no model for, from the base preset; tXP (power-down exit, unused here
  // since Ramulator has no power-down) kept in ns at this clock.
  ConfigMap b = ConfigMap::Root(base);
  double tck = 0;
  for (const Ramulator2Field& f : fields) {
    if (f.key == "tCK") tck = std::stod(f.value);
  }
  for (const char* key : {"VDD", "IDD0", "IDD2N", "IDD2P", "IDD3N", "IDD3P", "IDD4R", "IDD4W",
                          "IDD5B", "io_energy"}) {
    fields.push_back({key, b.String(key), 0, p.base_preset + " preset"});
  }
  const double txp_ns = static_cast<double>(b.Int("tXP")) * b.Number("tCK", 0.01, 100);
  fields.push_back({"tXP",
                    std::to_string(static_cast<std::int64_t>(std::ceil(txp_ns / tck - 1e-9))), 0,
                    p.base_preset + " preset's tXP (" + Short(txp_ns) + " ns)"});

  std::ostringstream y;
  if (!placed) {
    y << "# A jedec DRAM preset imported from the Ramulator 2 configuration\n# "
      << PrintableLine(p.file, 1024) << " by pjsim import-ramulator2 (docs/RAMULATOR.md).\n";
    for (const Ramulator2Field& f : fields) {
      y << f.key << ": " << f.value;
      if (!f.from.empty()) y << "  # " << PrintableLine(f.from, 200);
      if (f.line > 0) y << " (line " << f.line << ")";
      y << "\n";
    }
    return y.str();
  }
  std::map<int, std::string> at_line;
  std::vector<std::string> after;
  for (const Ramulator2Field& f : fields) {
    const std::string text = f.key + ": " + f.value;
    if (f.line > 0 && !at_line.count(f.line)) {
      at_line[f.line] = text;
    } else {
      after.push_back(text);
    }
  }
  std::ifstream in(p.file);
  int lines = 0;
  for (std::string s; std::getline(in, s);) ++lines;
  if (!at_line.empty()) lines = std::max(lines, at_line.rbegin()->first);
  for (int line = 1; line <= lines; ++line) {
    const auto it = at_line.find(line);
    y << (it == at_line.end() ? "" : it->second) << "\n";
  }
  for (const std::string& a : after) y << a << "\n";
  return y.str();
}

}  // namespace pjsim
