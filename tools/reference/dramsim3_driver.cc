// Drives DRAMsim3 (github.com/umd-memsys/DRAMsim3) with the request streams of
// `pjsim dram-bench` and prints one JSON object with the keys dram-bench --json prints.
// Built by tools/reference/dramsim3_compare.sh against a user's DRAMsim3 checkout; it
// uses only DRAMsim3's public classes (Config, JedecDRAMSystem, their callbacks and stats).
//
// Stream: the same as pjsim's JedecBenchRequests (std::mt19937_64 seeded with --seed, one
// draw per random address, one per read/write decision), queued in order and offered to
// DRAMsim3 every clock from its arrival time while the controller accepts it.
// Conventions (DRAMsim3's, stated so the comparison is read right):
//  - read latency: AddTransaction to the read callback, in clocks (DRAMsim3's read_latency);
//  - energies: DRAMsim3's *_energy stats are in mA x V x clocks; multiplied by tCK -> pJ;
//  - bandwidth: bytes of the issued RD/WR commands over the clocks to the last read data
//    (or, for writes, to the end of the last write burst).
// Command trace: DRAMsim3 compiled with -DCMD_TRACE writes every command it issues (clock,
// command, rank, bank group, bank, row, column) to OUT/dramsim3ch_0cmd.trace; this driver
// needs no change for it (docs/DRAM.md, "Compared with DRAMsim3", Method).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "configuration.h"
#include "dram_system.h"
#include "json.hpp"

namespace {

class BenchSystem : public dramsim3::JedecDRAMSystem {
 public:
  using JedecDRAMSystem::JedecDRAMSystem;
  int QueueUsage() const {
    int n = 0;
    for (auto* c : ctrls_) n += c->QueueUsage();
    return n;
  }
  uint64_t Clock() const { return clk_; }
};

std::string Arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (name == argv[i]) return argv[i + 1];
  return def;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string ini = Arg(argc, argv, "--ini", "");
  const std::string out_dir = Arg(argc, argv, "--out", "/tmp");
  const std::string pat = Arg(argc, argv, "--pattern", "seq-read");
  const int64_t requests = std::stoll(Arg(argc, argv, "--requests", "10000"));
  const uint64_t seed = std::stoull(Arg(argc, argv, "--seed", "1"));
  double reads = std::stod(Arg(argc, argv, "--read-fraction", "-1"));
  uint64_t range = std::stoull(Arg(argc, argv, "--range", "0"));
  const uint64_t stride = std::stoull(Arg(argc, argv, "--stride", "0"));
  const int64_t interval = std::stoll(Arg(argc, argv, "--issue-interval", "0"));
  if (ini.empty()) {
    std::fprintf(stderr, "usage: dramsim3_driver --ini FILE [--pattern P] ...\n");
    return 2;
  }

  dramsim3::Config config(ini, out_dir);
  if (config.channels != 1) {
    std::fprintf(stderr, "dramsim3_driver: the bench drives one channel (channels = 1)\n");
    return 2;
  }
  const uint64_t size = static_cast<uint64_t>(config.request_size_bytes);
  const uint64_t capacity = static_cast<uint64_t>(config.channel_size) << 20;
  if (range == 0) range = capacity;
  if (reads < 0) reads = pat == "random-mix" ? 0.5 : pat == "seq-write" ? 0.0 : 1.0;
  uint64_t step = size;
  // The next row of the same bank: one step of the row field.
  if (pat == "row-stride") step = uint64_t{1} << (config.ro_pos + config.shift_bits);
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

  std::multimap<uint64_t, uint64_t> read_added;  // address -> clock added
  std::vector<uint64_t> latencies;
  uint64_t last_data = 0;
  int64_t reads_out = 0;
  BenchSystem* sys = nullptr;
  auto on_read = [&](uint64_t addr) {
    auto it = read_added.find(addr);
    if (it == read_added.end()) return;
    latencies.push_back(sys->Clock() - it->second);
    last_data = sys->Clock();
    read_added.erase(it);
    --reads_out;
  };
  auto on_write = [](uint64_t) {};
  BenchSystem system(config, out_dir, on_read, on_write);
  sys = &system;

  uint64_t idle = 0;
  const uint64_t cap = 4000000000ULL;
  while (system.Clock() < cap) {
    while (!pending.empty() && pending.front().arrival <= system.Clock() &&
           system.WillAcceptTransaction(pending.front().addr, pending.front().write)) {
      const Req& r = pending.front();
      system.AddTransaction(r.addr, r.write);
      if (!r.write) {
        read_added.emplace(r.addr, system.Clock());
        ++reads_out;
      }
      pending.pop_front();
    }
    system.ClockTick();
    if (pending.empty() && reads_out == 0 && system.QueueUsage() == 0) {
      // Writes below DRAMsim3's drain threshold stay buffered; stop once nothing moves.
      if (++idle > 2000) break;
    } else {
      idle = 0;
    }
  }
  const uint64_t end_clock = system.Clock() - idle;
  system.PrintStats();

  std::ifstream in(config.json_stats_name);
  nlohmann::json j;
  in >> j;
  const auto& c = j["0"];
  const double tck = config.tCK;
  const double rd = c["num_read_cmds"].get<double>(), wr = c["num_write_cmds"].get<double>();
  const double bytes = (rd + wr) * static_cast<double>(size);
  uint64_t end = wr > 0 ? end_clock + static_cast<uint64_t>(config.write_delay) : last_data;
  if (rd > 0 && last_data > end) end = last_data;
  std::sort(latencies.begin(), latencies.end());
  double avg = 0;
  for (uint64_t l : latencies) avg += static_cast<double>(l);
  avg = latencies.empty() ? 0 : avg / static_cast<double>(latencies.size());
  const double p99 = latencies.empty()
                         ? 0
                         : static_cast<double>(latencies[static_cast<size_t>(
                               std::ceil(0.99 * static_cast<double>(latencies.size())) - 1)]);
  double background = 0;
  for (const char* k : {"act_stb_energy", "pre_stb_energy", "sref_energy"})
    for (auto& v : c[k]) background += v.get<double>();
  const double act = c["act_energy"].get<double>() * tck;
  const double read = c["read_energy"].get<double>() * tck;
  const double write = c["write_energy"].get<double>() * tck;
  const double refresh = (c["ref_energy"].get<double>() + c["refb_energy"].get<double>()) * tck;
  background *= tck;
  const double total = act + read + write + refresh + background;
  const double hits = c["num_read_row_hits"].get<double>() + c["num_write_row_hits"].get<double>();
  nlohmann::json o;
  o["bandwidth_GBps"] = end ? bytes / (static_cast<double>(end) * tck) : 0;
  o["peak_bandwidth_GBps"] = config.bus_width / 8.0 * 2.0 / tck;
  o["avg_read_latency_ns"] = avg * tck;
  o["p99_read_latency_ns"] = p99 * tck;
  o["row_hit_rate"] = rd + wr > 0 ? hits / (rd + wr) : 0;
  o["commands"] = {{"ACT", c["num_act_cmds"]},
                   {"PRE", c["num_pre_cmds"]},
                   {"RD", c["num_read_cmds"]},
                   {"WR", c["num_write_cmds"]},
                   {"REF", c["num_ref_cmds"].get<double>() + c["num_refb_cmds"].get<double>()}};
  o["energy_pJ"] = {{"act", act},
                    {"read", read},
                    {"write", write},
                    {"refresh", refresh},
                    {"background", background},
                    {"io", 0.0},
                    {"total", total}};
  o["energy_pJ_per_bit"] = bytes > 0 ? total / (bytes * 8) : 0;
  o["simulated_ns"] = static_cast<double>(end) * tck;
  std::printf("%s\n", o.dump().c_str());
  return 0;
}
