// Recorded spike traces (.npy): exact synaptic-op and weight-row counts from the data, and clear
// errors for malformed files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "config_error_text.h"
#include "npy_file.h"
#include "simulate_yaml.h"
#include "test_paths.h"

namespace pjsim {
namespace {

using test::WriteNpy;

std::string Workload(const std::string& dir, std::int64_t n) {
  const std::string path = dir + "/w.yaml";
  std::ofstream(path) << "name: traced\nlayers:\n  - {name: fc, op: linear, m: 4, k: 64, n: " << n
                      << ", dtype: int8, inputs: [], spiking: {timesteps: 2, trace: spikes.npy, "
                         "output_rate: 0.1}}\n";
  return path;
}

RunConfig Load(const std::string& workload) {
  return test::LoadYaml(test::ArchFile("spiking-mesh4x4.yaml"), workload, test::OneTile());
}

std::string ErrorOf(const std::string& workload) {
  return test::ErrorOf([&] { Load(workload); });
}

TEST(SpikeTrace, SynapticOpsAndWeightRowsComeFromTheData) {
  const std::string dir = test::FreshDir("trace_exact");
  std::mt19937_64 rng(5);
  std::string data(2 * 4 * 64, '\0');
  std::int64_t spikes = 0;
  std::vector<bool> active(64, false);
  for (size_t i = 0; i < data.size(); ++i) {
    if (rng() % 7 == 0) {
      data[i] = 1;
      ++spikes;
      active[i % 64] = true;
    }
  }
  WriteNpy(dir + "/spikes.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 64), }",
           data);
  const RunConfig c = Load(Workload(dir, 16));
  const SimulationResult r = Simulate(c.arch, c.tech, c.workload);
  EXPECT_DOUBLE_EQ(r.layers[0].input_spikes, static_cast<double>(spikes));
  // Every (spike, weight) pair of the 16 outputs is one add; weights are dense int8.
  double synaptic = 0;
  for (size_t a = 0; a < r.ledger.actions().size(); ++a) {
    if (r.ledger.actions()[a].category == "compute.spike_synapse")
      synaptic += r.ledger.TotalCount(static_cast<ActionId>(a));
  }
  EXPECT_DOUBLE_EQ(synaptic, static_cast<double>(spikes) * 16);
  // Only rows of inputs that spiked are fetched: 16 int8 weights each, read in whole DRAM
  // bursts (the padding is counted as gather overfetch).
  const auto rows = std::count(active.begin(), active.end(), true);
  EXPECT_DOUBLE_EQ(r.layers[0].operand_b_bytes - r.gather_overfetch_bytes,
                   static_cast<double>(rows) * 16);
  EXPECT_GT(r.gather_overfetch_bytes, 0);
}

// A recorded train carries its own correlations: a `correlation` beside it is refused at its key.
TEST(SpikeTrace, CorrelationBelongsToRateDrivenTrains) {
  const std::string dir = test::FreshDir("trace_correlation");
  WriteNpy(dir + "/spikes.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 64), }",
           std::string(2 * 4 * 64, '\0'));
  const std::string path = dir + "/w.yaml";
  std::ofstream(path) << "name: traced\nlayers:\n  - {name: fc, op: linear, m: 4, k: 64, n: 16, "
                         "dtype: int8, inputs: [], spiking: {timesteps: 2, trace: spikes.npy, "
                         "correlation: 0.5}}\n";
  const std::string error = ErrorOf(path);
  EXPECT_NE(error.find("correlation"), std::string::npos) << error;
  EXPECT_NE(error.find("w.yaml:"), std::string::npos) << error;
}

TEST(SpikeTrace, MalformedFilesAreLocatedErrors) {
  const std::string dir = test::FreshDir("trace_bad");
  const std::string w = Workload(dir, 16);
  WriteNpy(dir + "/spikes.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 64), }",
           std::string(100, '\0'));
  EXPECT_NE(ErrorOf(w).find("truncated: header promises 512 data bytes, file has 100"),
            std::string::npos)
      << ErrorOf(w);
  EXPECT_NE(ErrorOf(w).find("w.yaml:3:"), std::string::npos) << ErrorOf(w);
  WriteNpy(dir + "/spikes.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 32), }",
           std::string(256, '\0'));
  EXPECT_NE(ErrorOf(w).find("does not match (timesteps, m, k) = (2, 4, 64)"), std::string::npos)
      << ErrorOf(w);
  std::string bad(512, '\0');
  bad[7] = 3;
  WriteNpy(dir + "/spikes.npy", "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 64), }",
           bad);
  EXPECT_NE(ErrorOf(w).find("value 3 at element 7 is not 0 or 1"), std::string::npos) << ErrorOf(w);
  WriteNpy(dir + "/spikes.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4, 64), }",
           std::string(2048, '\0'));
  EXPECT_NE(ErrorOf(w).find("dtype '<f4' is not one of |b1, |u1"), std::string::npos) << ErrorOf(w);
  std::ofstream(dir + "/spikes.npy") << "not numpy";
  EXPECT_NE(ErrorOf(w).find("not a .npy file"), std::string::npos) << ErrorOf(w);
  std::filesystem::remove(dir + "/spikes.npy");
  EXPECT_NE(ErrorOf(w).find("spike trace: no such file"), std::string::npos) << ErrorOf(w);
}

std::string WorkloadWith(const std::string& dir, const std::string& source) {
  const std::string path = dir + "/w.yaml";
  std::ofstream(path)
      << "name: rates\nlayers:\n  - {name: fc, op: linear, m: 4, k: 64, n: 16, dtype: int8, "
         "inputs: [], spiking: {timesteps: 2, "
      << source << ", output_rate: 0.1}}\n";
  return path;
}

std::string Floats(const std::vector<float>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
}

TEST(SpikeRates, PerNeuronRatesAndRateCodingDecideWhichInputsFire) {
  const std::string dir = test::FreshDir("rates");
  // Inputs 0..31 always fire, 32..63 never: 4 rows x 2 timesteps x 32 spikes exactly.
  std::vector<float> rates(64, 0.0f);
  for (int i = 0; i < 32; ++i) rates[static_cast<size_t>(i)] = 1.0f;
  WriteNpy(dir + "/rates.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (64,), }",
           Floats(rates));
  const RunConfig c = Load(WorkloadWith(dir, "input_rates: rates.npy"));
  const SimulationResult r = Simulate(c.arch, c.tech, c.workload);
  EXPECT_DOUBLE_EQ(r.layers[0].input_spikes, 4.0 * 2 * 32);
  EXPECT_DOUBLE_EQ(r.layers[0].operand_b_bytes, 32.0 * 16);  // rows of the 32 active inputs
  // Rate coding: |x| / max|x| is 1 for the first half of the inputs and 0 for the rest.
  std::vector<float> x(4 * 64, 0.0f);
  for (int row = 0; row < 4; ++row) {
    for (int i = 0; i < 32; ++i) x[static_cast<size_t>(row * 64 + i)] = (i % 2 ? -2.5f : 2.5f);
  }
  WriteNpy(dir + "/x.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 64), }",
           Floats(x));
  const RunConfig coded = Load(WorkloadWith(dir, "rate_coded_input: x.npy"));
  EXPECT_DOUBLE_EQ(Simulate(coded.arch, coded.tech, coded.workload).layers[0].input_spikes,
                   4.0 * 2 * 32);
}

TEST(SpikeRates, BadRateFilesAreLocatedErrors) {
  const std::string dir = test::FreshDir("rates_bad");
  std::vector<float> rates(64, 0.5f);
  rates[3] = 1.5f;
  WriteNpy(dir + "/rates.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (64,), }",
           Floats(rates));
  const std::string w = WorkloadWith(dir, "input_rates: rates.npy");
  EXPECT_NE(ErrorOf(w).find("rate 1.500000 of input 3 is not in [0, 1]"), std::string::npos)
      << ErrorOf(w);
  WriteNpy(dir + "/rates.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (32,), }",
           Floats(std::vector<float>(32, 0.5f)));
  EXPECT_NE(ErrorOf(w).find("expected a vector of k = 64 rates"), std::string::npos) << ErrorOf(w);
  const std::string both = WorkloadWith(dir, "input_rates: rates.npy, input_rate: 0.1");
  EXPECT_NE(ErrorOf(both).find("give exactly one of"), std::string::npos) << ErrorOf(both);
}

}  // namespace
}  // namespace pjsim
