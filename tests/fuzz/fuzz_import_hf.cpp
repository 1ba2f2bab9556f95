// `pjsim import-hf CONFIG.json -o OUT.yaml` on arbitrary bytes (seeds: workloads/hf/*.json): a
// config is imported or rejected; what is imported is a workload `pjsim validate` accepts.
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  using pjsim::fuzz::ScratchPath;
  const std::string out = ScratchPath("-import.yaml");
  std::remove(out.c_str());
  pjsim::fuzz::ExpectOkOrBadInput({"import-hf", pjsim::fuzz::WriteScratch(".json", data, size),
                                   "-o", out, "--seq", "16", "--layers", "1"});
  if (std::ifstream(out).good()) pjsim::fuzz::ExpectOkOrBadInput({"validate", out});
  return 0;
}
