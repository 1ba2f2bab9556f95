// Drives Ramulator 2 (github.com/CMU-SAFARI/ramulator2) with the request streams of
// `pjsim dram-bench` and prints one JSON object with the keys dram-bench --json prints.
// Built by tools/reference/ramulator2_compare.sh against a user's Ramulator 2 sources; it uses
// only Ramulator's public interfaces (Factory, IMemorySystem, IDRAM, IControllerPlugin).
//
// Stream: the same as pjsim's JedecBenchRequests (std::mt19937_64 seeded with --seed, one
// draw per random address, one per read/write decision), queued in order and offered to
// Ramulator every clock from its arrival time while its controller accepts it.
// Conventions (Ramulator's, stated so the comparison is read right):
//  - read latency: the controller's arrival clock (send) to the request's depart clock, which
//    GenericDRAMController sets to the RD command's clock + nCL + nBL (the last data);
//  - row hits: (RD + WR - ACT) / (RD + WR), pjsim's per-access rate (an ACT's first access is
//    its miss; Ramulator's active buffer serves every activated request before its row closes);
//  - commands: counted by a controller plugin (Ramulator calls every plugin once per clock with
//    the request whose command is about to issue, as its own CommandCounter does);
//  - bandwidth: bytes of the issued RD/WR commands over the clocks to the last read data
//    (or, for writes, to the end of the last write burst, WR + nCWL + nBL);
//  - energy: the Ramulator 2 sources this was written against have no power model; none is
//    printed (energy_pJ is absent).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/base.h"
#include "dram/dram.h"
#include "dram_controller/controller.h"
#include "dram_controller/plugin.h"
#include "frontend/frontend.h"
#include "memory_system/memory_system.h"

namespace Ramulator {

// Counts the commands the controller issues, by name, and the clock of the last write.
class PjsimBenchCounter final : public IControllerPlugin, public Implementation {
  RAMULATOR_REGISTER_IMPLEMENTATION(IControllerPlugin, PjsimBenchCounter, "PjsimBenchCounter",
                                    "Command counts for pjsim's dram-bench comparison.")
 public:
  inline static PjsimBenchCounter* instance = nullptr;
  IDRAM* dram = nullptr;
  Clk_t clk = 0;
  Clk_t last_write = -1;
  std::map<std::string, int64_t> counts;
  std::FILE* log = nullptr;  // --command-log: one line per command

  void init() override { instance = this; }
  void setup(IFrontEnd*, IMemorySystem* memory_system) override {
    dram = memory_system->get_ifce<IDRAM>();
  }
  void update(bool found, ReqBuffer::iterator& it) override {
    ++clk;  // called once per controller clock, after the controller's own increment
    if (!found) return;
    const std::string name(dram->m_commands(it->command));
    std::string kind = name;
    if (name.rfind("PRE", 0) == 0) kind = "PRE";
    if (name == "RD" || name == "RDA") kind = "RD";
    if (name == "WR" || name == "WRA") kind = "WR";
    if (name.rfind("REF", 0) == 0) kind = "REF";
    ++counts[kind];
    if (kind == "WR") last_write = clk;
    if (log != nullptr) {
      std::fprintf(log, "%lld %s", static_cast<long long>(clk), name.c_str());
      for (int a : it->addr_vec) std::fprintf(log, " %d", a);
      std::fprintf(log, "\n");
    }
  }
};

// A frontend that drives nothing: later Ramulator commits' controllers ask the frontend for its
// core count at setup (GenericDRAMController::setup calls get_num_cores(), 1 by default).
class PjsimNullFrontEnd final : public IFrontEnd, public Implementation {
  RAMULATOR_REGISTER_IMPLEMENTATION(IFrontEnd, PjsimNullFrontEnd, "PjsimNullFrontEnd",
                                    "No requests of its own: the driver sends them.")
 public:
  static PjsimNullFrontEnd* Make(const YAML::Node& config) {
    return new PjsimNullFrontEnd(config, nullptr);
  }
  void init() override {}
  void tick() override {}
  bool is_finished() override { return true; }
};

}  // namespace Ramulator

namespace {

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (name == argv[i]) return argv[i + 1];
  return def;
}

int Log2(int64_t v) {
  int n = 0;
  while (v >>= 1) ++n;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cfg = Arg(argc, argv, "--config", "");
  const std::string pat = Arg(argc, argv, "--pattern", "seq-read");
  const int64_t requests = std::stoll(Arg(argc, argv, "--requests", "10000"));
  const uint64_t seed = std::stoull(Arg(argc, argv, "--seed", "1"));
  double reads = std::stod(Arg(argc, argv, "--read-fraction", "-1"));
  uint64_t range = std::stoull(Arg(argc, argv, "--range", "0"));
  const uint64_t stride = std::stoull(Arg(argc, argv, "--stride", "0"));
  const int64_t interval = std::stoll(Arg(argc, argv, "--issue-interval", "0"));
  if (cfg.empty()) {
    std::fprintf(stderr, "usage: ramulator2_driver --config FILE.yaml [--pattern P] ...\n");
    return 2;
  }

  YAML::Node config = YAML::LoadFile(cfg);
  // The counting plugin is added to whatever plugins the configuration names.
  YAML::Node plugin;
  plugin["ControllerPlugin"]["impl"] = "PjsimBenchCounter";
  config["MemorySystem"]["Controller"]["plugins"].push_back(plugin);
  // Commits with row policies require one; none named means Ramulator's open-row behaviour.
  if (Ramulator::Factory::query_interface("RowPolicy") &&
      !config["MemorySystem"]["Controller"]["RowPolicy"])
    config["MemorySystem"]["Controller"]["RowPolicy"]["impl"] = "OpenRowPolicy";
  Ramulator::IMemorySystem* mem = Ramulator::Factory::create_memory_system(config);
  YAML::Node frontend_config;
  frontend_config["impl"] = "PjsimNullFrontEnd";
  mem->connect_frontend(Ramulator::PjsimNullFrontEnd::Make(frontend_config));
  Ramulator::IDRAM* dram = mem->get_ifce<Ramulator::IDRAM>();
  auto* counter = Ramulator::PjsimBenchCounter::instance;
  // The commands as issued: clock (from 1), name, address vector (channel, rank, ..., column).
  const std::string log_path = Arg(argc, argv, "--command-log", "");
  if (!log_path.empty()) counter->log = std::fopen(log_path.c_str(), "w");
  if (dram->get_level_size("channel") != 1) {
    std::fprintf(stderr, "ramulator2_driver: the bench drives one channel (org: channel: 1)\n");
    return 2;
  }

  // Geometry as Ramulator's linear mappers see it: the column field counts bursts (columns /
  // prefetch), a request is one burst of prefetch x channel width.
  const auto& count = dram->m_organization.count;
  const int levels = static_cast<int>(count.size());
  const uint64_t size =
      static_cast<uint64_t>(dram->m_internal_prefetch_size) * dram->m_channel_width / 8;
  uint64_t capacity = static_cast<uint64_t>(dram->m_channel_width) / 8;
  for (int l = 1; l < levels; ++l) capacity *= static_cast<uint64_t>(count[l]);
  if (range == 0) range = capacity;
  if (reads < 0) reads = pat == "random-mix" ? 0.5 : pat == "seq-write" ? 0.0 : 1.0;
  const int row_level = dram->m_levels("row");
  const std::string mapper = config["MemorySystem"]["AddrMapper"]["impl"].as<std::string>();
  // The next row of the same bank: one step of the row field, whose position the mapper sets.
  int row_shift = Log2(static_cast<int64_t>(size));
  const int col_bits = Log2(count[levels - 1]) - Log2(dram->m_internal_prefetch_size);
  if (mapper == "RoBaRaCoCh") {
    row_shift += col_bits;
    for (int l = 1; l < row_level; ++l) row_shift += Log2(count[l]);
  } else if (mapper == "ChRaBaRoCo") {
    row_shift += col_bits;
  } else if (pat == "row-stride") {
    std::fprintf(stderr, "ramulator2_driver: row-stride needs RoBaRaCoCh or ChRaBaRoCo\n");
    return 2;
  }
  uint64_t step = size;
  if (pat == "row-stride") step = uint64_t{1} << row_shift;
  if (pat == "stride") step = stride ? stride : size;
  const bool random = pat == "random-read" || pat == "random-mix";
  std::mt19937_64 rng(seed);
  const uint64_t slots = range / size;
  struct Req {
    uint64_t addr;
    bool write;
    uint64_t arrival;
  };
  std::deque<Req> pending;
  for (int64_t i = 0; i < requests; ++i) {
    const auto n = static_cast<uint64_t>(i);
    Req r;
    r.addr = random ? rng() % slots * size : n * step % (range - range % size);
    r.write = static_cast<double>(rng() >> 11) * 0x1.0p-53 >= reads;
    r.arrival = n * static_cast<uint64_t>(interval);
    pending.push_back(r);
  }

  std::vector<int64_t> latencies;
  int64_t last_data = 0, reads_out = 0, writes_sent = 0;
  auto on_read = [&](Ramulator::Request& r) {
    latencies.push_back(r.depart - r.arrive);
    last_data = std::max<int64_t>(last_data, r.depart);
    --reads_out;
  };
  uint64_t clk = 0;
  const uint64_t cap = 4000000000ULL;
  while (clk < cap) {
    while (!pending.empty() && pending.front().arrival <= clk) {
      const Req& p = pending.front();
      const int type = p.write ? Ramulator::Request::Type::Write : Ramulator::Request::Type::Read;
      Ramulator::Request r(static_cast<Ramulator::Addr_t>(p.addr), type, 0, on_read);
      if (!mem->send(r)) break;
      if (p.write)
        ++writes_sent;
      else
        ++reads_out;
      pending.pop_front();
    }
    mem->tick();
    ++clk;
    if (pending.empty() && reads_out == 0 && counter->counts["WR"] == writes_sent) break;
  }

  const double tck = dram->m_timing_vals("tCK_ps") / 1000.0;
  const double rd = static_cast<double>(counter->counts["RD"]);
  const double wr = static_cast<double>(counter->counts["WR"]);
  const double act = static_cast<double>(counter->counts["ACT"]);
  const double bytes = (rd + wr) * static_cast<double>(size);
  int64_t end = last_data;
  if (counter->last_write >= 0)
    end = std::max<int64_t>(
        end, counter->last_write + dram->m_timing_vals("nCWL") + dram->m_timing_vals("nBL"));
  std::sort(latencies.begin(), latencies.end());
  double avg = 0;
  for (int64_t l : latencies) avg += static_cast<double>(l);
  avg = latencies.empty() ? 0 : avg / static_cast<double>(latencies.size());
  const double p99 = latencies.empty()
                         ? 0
                         : static_cast<double>(latencies[static_cast<size_t>(
                               std::ceil(0.99 * static_cast<double>(latencies.size())) - 1)]);
  std::printf(
      "{\"bandwidth_GBps\": %.6g, \"peak_bandwidth_GBps\": %.6g, \"avg_read_latency_ns\": %.6g, "
      "\"p99_read_latency_ns\": %.6g, \"row_hit_rate\": %.6g, \"commands\": {\"ACT\": %.0f, "
      "\"PRE\": %lld, \"RD\": %.0f, \"WR\": %.0f, \"REF\": %lld}, \"simulated_ns\": %.6g}\n",
      end ? bytes / (static_cast<double>(end) * tck) : 0.0, dram->m_channel_width / 8.0 * 2.0 / tck,
      avg * tck, p99 * tck, rd + wr > 0 ? std::max(0.0, rd + wr - act) / (rd + wr) : 0.0, act,
      static_cast<long long>(counter->counts["PRE"]), rd, wr,
      static_cast<long long>(counter->counts["REF"]), static_cast<double>(end) * tck);
  if (counter->log != nullptr) std::fclose(counter->log);
  return 0;
}
