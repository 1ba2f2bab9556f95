// The sweep's ETA weighed by the points' sizes: a point's size is its workload's work with its
// overrides (loaded once per workload and workload overrides), a point that does not load counts
// as the mean, and the ETA follows the work left, not the count of points left.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "sim/run/run_config.h"
#include "sim/run/run_work.h"
#include "sim/sweep/point_work.h"
#include "sim/sweep/progress.h"
#include "test_paths.h"

namespace pjsim::sweep {
namespace {

DesignPoint Point(const std::string& workload, std::vector<std::string> overrides = {}) {
  DesignPoint p;
  p.arch = "configs/arch/default.yaml";
  p.workload = workload;
  p.overrides = std::move(overrides);
  return p;
}

double WorkOf(const std::string& workload, std::vector<std::string> overrides = {}) {
  const std::string dir = test::SourceDir() + "/";
  return RunWork(
      LoadRunConfig({dir + "configs/arch/default.yaml", "", dir + workload, overrides}).workload);
}

TEST(SweepPointWork, SizesFollowTheWorkloadAndItsOverrides) {
  const DesignPoint ffn = Point("workloads/ffn_bitnet_prefill128.yaml");
  const DesignPoint linear = Point("workloads/linear_2048x2560x2560.yaml");
  const DesignPoint smaller =
      Point("workloads/linear_2048x2560x2560.yaml", {"workload.layers.0.m=16"});
  const DesignPoint arch_only = Point("workloads/linear_2048x2560x2560.yaml", {"arch.clock=2 GHz"});
  const DesignPoint broken = Point("workloads/no_such_file.yaml");
  const std::vector<double> w =
      PointWork({&ffn, &linear, &smaller, &arch_only, &broken}, test::SourceDir());
  ASSERT_EQ(w.size(), 5u);
  EXPECT_DOUBLE_EQ(w[0], WorkOf("workloads/ffn_bitnet_prefill128.yaml"));
  EXPECT_DOUBLE_EQ(w[1], 2048.0 * 2560 * 2560);
  EXPECT_DOUBLE_EQ(w[2], 16.0 * 2560 * 2560);
  EXPECT_DOUBLE_EQ(w[3], w[1]);  // an arch override does not change the workload
  EXPECT_DOUBLE_EQ(w[4], (w[0] + w[1] + w[2] + w[3]) / 4);
}

TEST(SweepProgress, EtaFollowsTheWorkLeft) {
  // Two points: the first done is tiny, the one left is huge. By count the ETA is the time
  // taken so far (under a second); by size it is a million times that.
  std::ostringstream by_count, by_size;
  Progress count(by_count, false, 2, 0);
  Progress size(by_size, false, 2, 0, 1e6 + 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  count.PointFinished("0000", "ok", "", "", 0, 0);
  size.PointFinished("0000", "ok", "", "", 0, 0, 1);
  EXPECT_NE(by_count.str().find("ETA 0:0"), std::string::npos) << by_count.str();
  EXPECT_EQ(by_size.str().find("ETA 0:"), std::string::npos) << by_size.str();
  EXPECT_NE(by_size.str().find("ETA "), std::string::npos) << by_size.str();
}

}  // namespace
}  // namespace pjsim::sweep
