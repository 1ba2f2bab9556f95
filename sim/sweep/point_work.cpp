#include "sim/sweep/point_work.h"

#include <map>
#include <string>

#include "sim/run/run_config.h"
#include "sim/run/run_work.h"

namespace pjsim::sweep {

std::vector<double> PointWork(const std::vector<const DesignPoint*>& points,
                              const std::filesystem::path& base) {
  std::map<std::string, double> known;  // by workload file and workload overrides
  std::vector<double> work;
  double sum = 0;
  size_t counted = 0;
  for (const DesignPoint* p : points) {
    std::string key = p->workload;
    for (const std::string& o : p->overrides) {
      if (o.rfind("workload.", 0) == 0) key += "\n" + o;
    }
    auto it = known.find(key);
    if (it == known.end()) {
      try {
        const auto path = [&](const std::string& f) {
          return f.empty() ? f : (base / f).lexically_normal().string();
        };
        const double w =
            RunWork(LoadRunConfig({path(p->arch), path(p->tech), path(p->workload), p->overrides})
                        .workload);
        it = known.emplace(key, w).first;
      } catch (const std::exception&) {
        work.push_back(0);  // the point's own run reports the error
        continue;
      }
    }
    work.push_back(it->second);
    sum += it->second;
    ++counted;
  }
  const double mean = counted ? sum / static_cast<double>(counted) : 1;
  for (double& w : work) {
    if (w <= 0) w = mean;
  }
  return work;
}

}  // namespace pjsim::sweep
