#pragma once
// A linear layer of `batch` products of m x k x n (int8), read through the workload reader as a
// one-layer YAML workload would be, for tests that walk or rank its mappings.
#include <cstdint>
#include <string>

#include "sim/config/yaml_reader.h"
#include "sim/workload/workload.h"

namespace pjsim::test {

inline Layer LinearLayer(std::int64_t batch, std::int64_t m, std::int64_t k, std::int64_t n) {
  const std::string yaml =
      "name: w\nlayers:\n  - {name: fc, op: linear, batch: " + std::to_string(batch) +
      ", m: " + std::to_string(m) + ", k: " + std::to_string(k) + ", n: " + std::to_string(n) +
      ", dtype: int8}\n";
  return ReadWorkload(ConfigMap::Root(ConfigDocument::Parse(yaml, "w.yaml"))).graph->layers()[0];
}

}  // namespace pjsim::test
