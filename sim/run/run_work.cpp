#include "sim/run/run_work.h"

#include <algorithm>

namespace pjsim {

double LayerWork(const Layer& layer) {
  const auto work = static_cast<double>(layer.IsGemm() ? layer.Macs() : layer.OutputElements());
  return std::max(1.0, work);
}

double RunWork(const Workload& workload) {
  double work = 0;
  for (const Layer& l : workload.graph->layers()) work += LayerWork(l);
  return work * static_cast<double>(workload.Passes());
}

}  // namespace pjsim
