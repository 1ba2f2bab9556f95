// `pjsim import-scalesim CONFIG.cfg TOPOLOGY.csv -o DIR` on arbitrary bytes (seeds:
// tests/fuzz/corpus/import_scalesim/): an input starting with 'T' is the topology (the rest of
// it) beside a fixed valid configuration, any other the configuration beside a fixed topology.
// Either is imported or rejected; what is imported is an arch and a workload that load.
#include "cli_fuzz_target.h"

namespace {

const char kConfig[] =
    "[general]\nrun_name = fuzz\n[architecture_presets]\nArrayHeight: 8\nArrayWidth: 8\n"
    "IfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\nDataflow : ws\n"
    "[run_presets]\nInterfaceBandwidth: CALC\n";
const char kTopology[] = "Layer, M, N, K,\ng, 16, 8, 24,\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  using pjsim::fuzz::ScratchPath;
  using pjsim::fuzz::WriteScratch;
  const bool topology = size > 0 && data[0] == 'T';
  const auto* fixed = reinterpret_cast<const std::uint8_t*>(topology ? kConfig : kTopology);
  const size_t fixed_size = topology ? sizeof kConfig - 1 : sizeof kTopology - 1;
  const std::string cfg =
      topology ? WriteScratch(".cfg", fixed, fixed_size) : WriteScratch(".cfg", data, size);
  const std::string csv =
      topology ? WriteScratch(".csv", data + 1, size - 1) : WriteScratch(".csv", fixed, fixed_size);
  const std::string out = ScratchPath("-scalesim");
  std::filesystem::remove_all(out);
  pjsim::fuzz::ExpectOkOrBadInput({"import-scalesim", cfg, csv, "-o", out});
  if (std::filesystem::exists(out + "/arch.yaml")) {
    pjsim::fuzz::ExpectOkOrBadInput({"validate", out + "/arch.yaml", out + "/workload.yaml"});
  }
  return 0;
}
