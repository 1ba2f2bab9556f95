// Simulation speed of the platform: simulated tile tasks per second of wall time, kernel waits
// per tile task, and wall time, for the foundation benchmark layer (2048 x 2560 x 2560 int8 on
// the default 4x4 mesh) and for any workload/arch given on the command line.
//   pjsim_bench_platform [--arch A.yaml] [--workload W.yaml] [--repeat N] [--set k=v]...
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "models/simulate.h"
#include "sim/run/run_config.h"

int main(int argc, char* argv[]) {
  pjsim::RunInputs in{std::string(PJSIM_SOURCE_DIR) + "/configs/arch/default.yaml",
                      "",
                      std::string(PJSIM_SOURCE_DIR) + "/workloads/linear_2048x2560x2560.yaml",
                      {}};
  int repeat = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--arch"))
      in.arch_path = argv[i + 1];
    else if (!std::strcmp(argv[i], "--workload"))
      in.workload_path = argv[i + 1];
    else if (!std::strcmp(argv[i], "--repeat"))
      repeat = std::max(1, std::atoi(argv[i + 1]));
    else if (!std::strcmp(argv[i], "--set"))
      in.overrides.push_back(argv[i + 1]);
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  try {
    const pjsim::RunConfig config = pjsim::LoadRunConfig(in);
    double best = 1e300, total = 0;
    pjsim::SimulationResult r;
    for (int i = 0; i < repeat; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      r = pjsim::Simulate(config.arch, config.tech, config.workload);
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      best = std::min(best, s);
      total += s;
    }
    std::printf("workload %s on %s: %lld tile tasks, %lld kernel waits, %lld transactions\n",
                config.workload.name.c_str(), config.arch.name.c_str(),
                static_cast<long long>(r.tile_tasks), static_cast<long long>(r.waits),
                static_cast<long long>(r.transactions));
    std::printf("wall per run: best %.4f s, mean %.4f s over %d runs\n", best, total / repeat,
                repeat);
    std::printf("tile tasks/s: %.0f   waits per tile task: %.2f   transactions/s: %.0f\n",
                static_cast<double>(r.tile_tasks) / best,
                static_cast<double>(r.waits) / static_cast<double>(r.tile_tasks),
                static_cast<double>(r.transactions) / best);
    std::printf("simulated: %lld cycles, %.6f s, %.3f uJ\n", static_cast<long long>(r.cycles()),
                r.seconds(), r.ledger.TotalEnergyPj() * 1e-6);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}
