// `pjsim validate FILE` on arbitrary bytes: the file is read as an architecture, a workload or a
// technology table by its top-level keys (seeds: configs/arch, workloads, configs/tech).
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  pjsim::fuzz::ExpectOkOrBadInput({"validate", pjsim::fuzz::WriteScratch(".yaml", data, size)});
  return 0;
}
