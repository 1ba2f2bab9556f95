#include "models/memory/dramsim3_ini.h"

#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "sim/config/config_error.h"
#include "sim/config/text_fields.h"

namespace pjsim {
namespace {

struct IniValue {
  std::string text;
  int line = 0;
  int column = 0;
};

// section -> key -> value, as INIReader (inih) reads it: `;` and `#` start comments, the last
// of a repeated key wins, names are matched case-sensitively here (DRAMsim3's files are).
using Ini = std::map<std::string, std::map<std::string, IniValue>>;

// Keys DRAMsim3 reads (configuration.cc), with the section they belong to.
const std::map<std::string, std::set<std::string>>& ReadKeys() {
  static const std::map<std::string, std::set<std::string>> keys = {
      {"dram_structure",
       {"protocol", "bankgroups", "banks_per_group", "bankgroup_enable", "rows", "columns",
        "device_width", "BL", "num_dies", "hbm_dual_cmd"}},
      {"timing", {"tCK",    "AL",     "CL",     "CWL",
                  "tCCD_L", "tCCD_S", "tRTRS",  "tRTP",
                  "tWTR_L", "tWTR_S", "tWR",    "tRP",
                  "tRRD_L", "tRRD_S", "tRAS",   "tRCD",
                  "tRFC",   "tCKE",   "tCKESR", "tXS",
                  "tXP",    "tRFCb",  "tREFI",  "tREFIb",
                  "tFAW",   "tRPRE",  "tWPRE",  "tPPD",
                  "t32AW",  "tRCDRD", "tRCDWR", "ideal_memory_latency"}},
      {"power",
       {"VDD", "IDD0", "IDD2P", "IDD2N", "IDD3N", "IDD4W", "IDD4R", "IDD5AB", "IDD5PB", "IDD6x"}},
      {"system",
       {"channel_size", "channels", "bus_width", "address_mapping", "queue_structure",
        "row_buf_policy", "cmd_queue_size", "trans_queue_size", "unified_queue", "write_buf_size",
        "refresh_policy", "enable_self_refresh", "sref_threshold", "aggressive_precharging_enabled",
        "mega_tick"}},
      {"other", {"epoch_period", "output_level", "output_prefix"}},
  };
  return keys;
}

// Keys DRAMsim3's shipped configs carry but DRAMsim3 does not read: accepted and ignored, as
// DRAMsim3 does (IDD3P is read by pjsim, see below).
const std::set<std::string>& IgnoredKeys() {
  static const std::set<std::string> keys = {"tRFC2",
                                             "tRFC4",
                                             "tWR2",
                                             "tRTP_L",
                                             "tRTP_S",
                                             "tCKSRE",
                                             "IPP0",
                                             "IDD3P",
                                             "tRC",
                                             "tREFIpb",
                                             "queue_size",
                                             "refresh_strategy",
                                             "req_buffering_enabled",
                                             "tCCDS",
                                             "tCCDL",
                                             "IDD6",
                                             "IPP3N",
                                             "IPP4R",
                                             "IPP4W",
                                             "IPP5AB",
                                             "is_LRDIMM",
                                             "tRREFD",
                                             "tRFCPB"};
  return keys;
}

class IniReader {
 public:
  IniReader(std::string path, Ini ini) : path_(std::move(path)), ini_(std::move(ini)) {}

  const IniValue* Find(const std::string& section, const std::string& key) const {
    const auto s = ini_.find(section);
    if (s == ini_.end()) return nullptr;
    const auto k = s->second.find(key);
    return k == s->second.end() ? nullptr : &k->second;
  }
  [[noreturn]] void Fail(const IniValue* v, const std::string& message) const {
    throw ConfigError({path_, v ? v->line : 0, v ? v->column : 0}, message);
  }
  // A key with an empty value reads as absent, as INIReader's GetInteger / GetReal / GetBoolean
  // return their default for it (HBM_4Gb_x128.ini's `tRFC = `).
  double Number(const std::string& section, const std::string& key, double fallback) const {
    const IniValue* v = Find(section, key);
    if (!v || v->text.empty()) return fallback;
    std::istringstream in(v->text);
    double x = 0;
    std::string rest;
    if (!(in >> x) || (in >> rest)) Fail(v, key + ": expected a number, got '" + v->text + "'");
    return x;
  }
  std::int64_t Int(const std::string& section, const std::string& key,
                   std::int64_t fallback) const {
    const double x = Number(section, key, static_cast<double>(fallback));
    // INIReader's GetInteger takes a leading integer (strtol); DRAMsim3's files hold integers.
    if (x != std::floor(x)) {
      Fail(Find(section, key),
           key + ": expected an integer, got '" + Find(section, key)->text + "'");
    }
    return static_cast<std::int64_t>(x);
  }
  std::string String(const std::string& section, const std::string& key,
                     const std::string& fallback) const {
    const IniValue* v = Find(section, key);
    return v ? v->text : fallback;
  }
  bool Bool(const std::string& section, const std::string& key, bool fallback) const {
    const IniValue* v = Find(section, key);
    if (!v || v->text.empty()) return fallback;
    std::string t;
    for (char c : v->text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "true" || t == "yes" || t == "on" || t == "1") return true;
    if (t == "false" || t == "no" || t == "off" || t == "0") return false;
    Fail(v, key + ": expected true or false, got '" + v->text + "'");
  }
  const Ini& ini() const { return ini_; }

 private:
  std::string path_;
  Ini ini_;
};

Ini Parse(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError({path, 0, 0}, "cannot read the DRAMsim3 configuration file");
  Ini ini;
  std::string section, raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    std::string s = raw.substr(0, raw.find_first_of(";#"));
    s = Trim(s);
    if (s.empty()) continue;
    if (s.front() == '[') {
      if (s.back() != ']') throw ConfigError({path, line, 1}, "malformed section header");
      section = Trim(s.substr(1, s.size() - 2));
      if (!ReadKeys().count(section) && section != "hmc" && section != "thermal") {
        throw ConfigError({path, line, 1}, "unknown DRAMsim3 section [" + section + "]");
      }
      continue;
    }
    const size_t eq = s.find_first_of("=:");
    if (eq == std::string::npos) throw ConfigError({path, line, 1}, "expected KEY = VALUE");
    const std::string key = Trim(s.substr(0, eq));
    const int column = static_cast<int>(raw.find(key)) + 1;
    if (section.empty()) throw ConfigError({path, line, column}, "key outside a [section]");
    const auto& known = ReadKeys();
    const auto sec = known.find(section);
    const bool read = sec != known.end() && sec->second.count(key);
    if (!read && !IgnoredKeys().count(key) && section != "hmc" && section != "thermal") {
      std::vector<std::string> names;
      if (sec != known.end()) names.assign(sec->second.begin(), sec->second.end());
      const std::string guess = DidYouMean(key, names);
      throw ConfigError({path, line, column},
                        "'" + key + "' is not a DRAMsim3 key of [" + section + "]" +
                            (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
    }
    ini[section][key] = {Trim(s.substr(eq + 1)), line, column};
  }
  return ini;
}

bool PowerOfTwo(std::int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

}  // namespace

bool IsDramsim3Ini(const std::string& path) {
  return path.size() > 4 && path.compare(path.size() - 4, 4, ".ini") == 0;
}

std::shared_ptr<ConfigDocument> LoadDramsim3Ini(const std::string& path) {
  const IniReader r(path, Parse(path));
  // Each field goes to the line of the key it comes from; derived ones after the last line.
  std::map<int, std::string> lines;
  std::vector<std::string> derived;
  const auto put = [&](const char* section, const char* key, const std::string& field,
                       const std::string& value) {
    const IniValue* v = r.Find(section, key);
    const std::string text = field + ": " + value;
    if (v && !lines.count(v->line)) {
      lines[v->line] = text;
    } else {
      derived.push_back(text);
    }
  };
  const auto num = [](double x) {
    std::ostringstream o;
    o.precision(17);
    o << x;
    return o.str();
  };
  const auto integer = [](std::int64_t x) { return std::to_string(x); };

  // [dram_structure], DRAMsim3's Config::InitDRAMParams.
  const std::string protocol = r.String("dram_structure", "protocol", "DDR3");
  static const std::set<std::string> jedec = {"DDR3",   "DDR4",   "GDDR5", "GDDR5X", "LPDDR",
                                              "LPDDR3", "LPDDR4", "HBM",   "HBM2"};
  if (!jedec.count(protocol)) {
    r.Fail(r.Find("dram_structure", "protocol"),
           "protocol " + protocol +
               ": the jedec model covers DDR3/4, GDDR5/5X, LPDDR/3/4 and HBM/HBM2 (HMC's packet "
               "links are not modelled)");
  }
  const bool hbm = protocol == "HBM" || protocol == "HBM2";
  const bool gddr = protocol == "GDDR5" || protocol == "GDDR5X";
  std::int64_t bankgroups = r.Int("dram_structure", "bankgroups", 2);
  std::int64_t banks_per_group = r.Int("dram_structure", "banks_per_group", 2);
  if (!r.Bool("dram_structure", "bankgroup_enable", true)) {
    banks_per_group *= bankgroups;
    bankgroups = 1;
  }
  const std::int64_t rows = r.Int("dram_structure", "rows", 1 << 16);
  std::int64_t columns = r.Int("dram_structure", "columns", 1 << 10);
  const std::int64_t device_width = r.Int("dram_structure", "device_width", 8);
  std::int64_t bl = r.Int("dram_structure", "BL", 8);
  if (bl == 0) bl = hbm ? 4 : 8;  // DRAMsim3: BL = 0 simulates perfect bandwidth, sized as this
  // A burst takes BL / 2 clocks, BL / 4 on GDDR5 (data at double rate on WCK = 2 CK) and BL / 8
  // on GDDR5X (QDR): DRAMsim3's burst_cycle (configuration.cc).
  const std::int64_t transfers = protocol == "GDDR5" ? 4 : protocol == "GDDR5X" ? 8 : 2;
  if (bl % transfers != 0) {
    r.Fail(r.Find("dram_structure", "BL"), "BL " + std::to_string(bl) + ": a " + protocol +
                                               " burst of BL / " + std::to_string(transfers) +
                                               " clocks needs a multiple of " +
                                               std::to_string(transfers));
  }
  if (transfers != 2) derived.push_back("transfers_per_clock: " + std::to_string(transfers));
  // DRAMsim3 counts an HBM column as device_width x 2 bits (the 2n prefetch) and a GDDR5/5X
  // column as device_width x BL bits; pjsim counts device-width columns, as DRAMsim3 does
  // internally after this scaling.
  if (hbm) columns *= 2;
  if (gddr) columns *= bl;
  put("dram_structure", "bankgroups", "bank_groups", integer(bankgroups));
  put("dram_structure", "banks_per_group", "banks_per_group", integer(banks_per_group));
  put("dram_structure", "rows", "rows", integer(rows));
  put("dram_structure", "columns", "columns", integer(columns));
  put("dram_structure", "device_width", "device_width", integer(device_width));
  put("dram_structure", "BL", "burst_length", integer(bl));

  // [system], Config::InitSystemParams and CalculateSize.
  const std::int64_t bus_width = r.Int("system", "bus_width", 64);
  if (device_width <= 0 || bus_width % device_width != 0) {
    r.Fail(r.Find("system", "bus_width"),
           "bus_width must be a multiple of device_width (" + integer(device_width) + ")");
  }
  const std::int64_t devices = bus_width / device_width;
  put("system", "bus_width", "bus_width_bits", integer(bus_width));
  derived.push_back("devices_per_rank: " + integer(devices));
  const std::int64_t channel_mb = r.Int("system", "channel_size", 1024);
  const std::int64_t mb_per_bank = columns * device_width / 8 * (rows / 1024) / 1024;
  const std::int64_t mb_per_rank = mb_per_bank * bankgroups * banks_per_group * devices;
  const std::int64_t ranks =
      mb_per_rank > 0 && channel_mb > mb_per_rank ? channel_mb / mb_per_rank : 1;
  if (!PowerOfTwo(ranks)) {
    r.Fail(r.Find("system", "channel_size"),
           "channel_size " + integer(channel_mb) + " MB holds " + integer(ranks) + " ranks of " +
               integer(mb_per_rank) + " MB; the jedec model needs a power of two");
  }
  put("system", "channel_size", "ranks", integer(ranks));
  std::string mapping = r.String("system", "address_mapping", "chrobabgraco");
  put("system", "address_mapping", "address_mapping", mapping);
  const std::string policy = r.String("system", "row_buf_policy", "OPEN_PAGE");
  if (policy != "OPEN_PAGE" && policy != "CLOSE_PAGE") {
    r.Fail(r.Find("system", "row_buf_policy"), "row_buf_policy: OPEN_PAGE or CLOSE_PAGE");
  }
  put("system", "row_buf_policy", "page_policy", policy == "OPEN_PAGE" ? "open" : "closed");
  if (r.Bool("system", "unified_queue", false)) {
    r.Fail(r.Find("system", "unified_queue"),
           "unified_queue: the jedec controller keeps separate read and write queues");
  }
  if (r.Bool("system", "enable_self_refresh", false)) {
    r.Fail(r.Find("system", "enable_self_refresh"),
           "enable_self_refresh: self-refresh is not modelled (power-down is: power_down)");
  }
  if (r.Int("system", "mega_tick", 1) != 1) {
    r.Fail(r.Find("system", "mega_tick"), "mega_tick: only 1 (one controller tick per clock)");
  }
  // DRAMsim3's controller (controller.cc, command_queue.cc): read and write transaction queues
  // of trans_queue_size in front of command queues of cmd_queue_size per bank (PER_BANK) or per
  // rank (PER_RANK); a transaction moves in when its command queue has room, later ones passing
  // it; the first ready command issues, command queues taken round-robin; writes move in only
  // while the write buffer drains, which starts when it is full (or holds write_buf_size with
  // no read queued) and moves as many writes as it held then, no read moving meanwhile.
  const std::string queues = r.String("system", "queue_structure", "PER_BANK");
  if (queues != "PER_BANK" && queues != "PER_RANK") {
    r.Fail(r.Find("system", "queue_structure"), "queue_structure: PER_BANK or PER_RANK");
  }
  put("system", "queue_structure", "queue_structure",
      queues == "PER_BANK" ? "per_bank" : "per_rank");
  put("system", "cmd_queue_size", "command_queue_depth",
      integer(r.Int("system", "cmd_queue_size", 16)));
  const std::int64_t transactions = r.Int("system", "trans_queue_size", 32);
  put("system", "trans_queue_size", "read_queue", integer(transactions));
  derived.push_back("write_queue: " + integer(transactions));
  derived.push_back("scheduler: round-robin");
  derived.push_back("write_drain: batch");
  // write_drain_idle defaults to DRAMsim3's 16; set only where the file says, so that
  // `--set write_drain=watermarks` can undo the batch drain of a file that does not.
  if (r.Find("system", "write_buf_size")) {
    put("system", "write_buf_size", "write_drain_idle",
        integer(r.Int("system", "write_buf_size", 16)));
  }
  // Its controller ticks: one command per clock (HBM with hbm_dual_cmd, the default: a row and
  // a column command), one transaction into the command queues per clock, and a PRE may close
  // a row with hits waiting once it has served 4 accesses (command_queue.cc).
  const bool dual = hbm && r.Bool("dram_structure", "hbm_dual_cmd", true);
  put("dram_structure", "hbm_dual_cmd", "command_bus", dual ? "row_column" : "one_per_clock");
  derived.push_back("moves_per_clock: 1");
  derived.push_back("row_hit_cap: 4");
  const std::string refresh = r.String("system", "refresh_policy", "RANK_LEVEL_STAGGERED");
  if (refresh != "RANK_LEVEL_STAGGERED" && refresh != "RANK_LEVEL_SIMULTANEOUS" &&
      refresh != "BANK_LEVEL_STAGGERED") {
    r.Fail(r.Find("system", "refresh_policy"),
           "refresh_policy: RANK_LEVEL_STAGGERED, RANK_LEVEL_SIMULTANEOUS or "
           "BANK_LEVEL_STAGGERED");
  }
  const bool per_bank = refresh == "BANK_LEVEL_STAGGERED";
  put("system", "refresh_policy", "refresh_mode", per_bank ? "per_bank" : "all_bank");
  // DRAMsim3 has no power-down (only self-refresh, off by default).
  derived.push_back("power_down: false");

  // [timing], Config::InitTimingParams (DRAMsim3's defaults where a key is missing).
  if (r.Int("timing", "AL", 0) != 0) {
    r.Fail(r.Find("timing", "AL"), "AL: additive latency is not modelled (only 0)");
  }
  put("timing", "tCK", "tCK", num(r.Number("timing", "tCK", 1.0)));
  put("timing", "CL", "CL", integer(r.Int("timing", "CL", 12)));
  put("timing", "CWL", "CWL", integer(r.Int("timing", "CWL", 12)));
  if (hbm || gddr) {
    // HBM and GDDR5/5X: DRAMsim3 times ACT to RD by tRCDRD and ACT to WR by tRCDWR (tRCD unused).
    put("timing", "tRCDRD", "tRCD", integer(r.Int("timing", "tRCDRD", 24)));
    put("timing", "tRCDWR", "tRCDWR", integer(r.Int("timing", "tRCDWR", 20)));
  } else {
    put("timing", "tRCD", "tRCD", integer(r.Int("timing", "tRCD", 10)));
  }
  const std::int64_t t_rp = r.Int("timing", "tRP", 10), t_ras = r.Int("timing", "tRAS", 24);
  put("timing", "tRP", "tRP", integer(t_rp));
  put("timing", "tRAS", "tRAS", integer(t_ras));
  derived.push_back("tRC: " + integer(t_ras + t_rp));  // DRAMsim3: tRC = tRAS + tRP
  // With one bank group DRAMsim3 times every pair of banks by the _S figures (timing.cc:
  // `bankgroups == 1`), as a device without bank groups has no _L ones; GDDR5's file gives
  // tCCD_L = 3 beside tCCD_S = 2 with its bank groups disabled.
  const bool one_group = bankgroups == 1;
  const std::int64_t rrd_s = r.Int("timing", "tRRD_S", 4), ccd_s = r.Int("timing", "tCCD_S", 4),
                     wtr_s = r.Int("timing", "tWTR_S", 5);
  put("timing", "tRRD_S", "tRRD_S", integer(rrd_s));
  put("timing", "tRRD_L", "tRRD_L", integer(one_group ? rrd_s : r.Int("timing", "tRRD_L", 4)));
  put("timing", "tFAW", "tFAW", integer(r.Int("timing", "tFAW", 50)));
  put("timing", "tCCD_S", "tCCD_S", integer(ccd_s));
  put("timing", "tCCD_L", "tCCD_L", integer(one_group ? ccd_s : r.Int("timing", "tCCD_L", 6)));
  put("timing", "tWTR_S", "tWTR_S", integer(wtr_s));
  put("timing", "tWTR_L", "tWTR_L", integer(one_group ? wtr_s : r.Int("timing", "tWTR_L", 5)));
  // tPPD between PREs to different banks: GDDR5/5X and LPDDR4 only (timing.cc; default 0, no
  // constraint); the 32-ACT window: GDDR5/5X only (channel_state.cc, default 330).
  if (gddr || protocol == "LPDDR4") {
    put("timing", "tPPD", "tPPD", integer(r.Int("timing", "tPPD", 0)));
  }
  if (gddr) put("timing", "t32AW", "t32AW", integer(r.Int("timing", "t32AW", 330)));
  put("timing", "tRTP", "tRTP", integer(r.Int("timing", "tRTP", 5)));
  put("timing", "tWR", "tWR", integer(r.Int("timing", "tWR", 10)));
  put("timing", "tRFC", "tRFC", integer(r.Int("timing", "tRFC", 74)));
  put("timing", "tREFI", "tREFI", integer(r.Int("timing", "tREFI", 7800)));
  put("timing", "tXP", "tXP", integer(r.Int("timing", "tXP", 8)));
  // Turnarounds (timing.cc): tRTRS between bursts of different ranks but two writes (BL/2
  // apart), and read to write on one rank RL + BL/2 - WL + tRTRS.
  const std::int64_t rtrs = r.Int("timing", "tRTRS", 2);
  put("timing", "tRTRS", "tRTRS", integer(rtrs));
  derived.push_back("read_to_write_gap: " + integer(rtrs));
  derived.push_back("write_rank_switch: false");
  if (per_bank) {
    put("timing", "tRFCb", "tRFCpb", integer(r.Int("timing", "tRFCb", 20)));
    put("timing", "tREFIb", "tREFIpb", integer(r.Int("timing", "tREFIb", 1950)));
  }

  // [power], Config::InitPowerParams.
  const double idd3n = r.Number("power", "IDD3N", 43);
  put("power", "VDD", "VDD", num(r.Number("power", "VDD", 1.2)));
  put("power", "IDD0", "IDD0", num(r.Number("power", "IDD0", 48)));
  put("power", "IDD2P", "IDD2P", num(r.Number("power", "IDD2P", 25)));
  put("power", "IDD2N", "IDD2N", num(r.Number("power", "IDD2N", 34)));
  put("power", "IDD3N", "IDD3N", num(idd3n));
  // DRAMsim3 does not read IDD3P (no power-down); pjsim needs it only with power_down: true.
  put("power", "IDD3P", "IDD3P", num(r.Number("power", "IDD3P", idd3n)));
  put("power", "IDD4W", "IDD4W", num(r.Number("power", "IDD4W", 123)));
  put("power", "IDD4R", "IDD4R", num(r.Number("power", "IDD4R", 135)));
  put("power", "IDD5AB", "IDD5B", num(r.Number("power", "IDD5AB", 250)));
  if (per_bank) put("power", "IDD5PB", "IDD5PB", num(r.Number("power", "IDD5PB", 5)));
  derived.push_back("io_energy: 0 pJ/bit  # DRAMsim3 prices no I/O");

  std::string stem = path.substr(path.find_last_of('/') + 1);
  stem = stem.substr(0, stem.size() - 4);
  derived.push_back("name: \"" + stem + "\"");
  derived.push_back("source: \"DRAMsim3 configuration " + path + "\"");

  std::string yaml;
  const int last = lines.empty() ? 0 : lines.rbegin()->first;
  std::ifstream count(path);
  int file_lines = 0;
  for (std::string s; std::getline(count, s);) ++file_lines;
  for (int line = 1; line <= std::max(last, file_lines); ++line) {
    const auto it = lines.find(line);
    yaml += (it == lines.end() ? "" : it->second) + "\n";
  }
  for (const std::string& d : derived) yaml += d + "\n";
  return ConfigDocument::Parse(yaml, path);
}

}  // namespace pjsim
