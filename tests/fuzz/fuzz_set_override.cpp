// `pjsim map --set KEY=VALUE` with arbitrary bytes as the override (seeds:
// tests/fuzz/corpus/set_override): the path into the arch or workload document and the value are
// checked, then the shipped default architecture's layers are mapped without simulating.
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string root = pjsim::fuzz::SourceDir();
  pjsim::fuzz::ExpectOkOrBadInput({"map", "--arch", root + "/configs/arch/default.yaml",
                                   "--workload", root + "/workloads/ffn_bitnet_prefill128.yaml",
                                   "--top", "1", "--set",
                                   std::string(reinterpret_cast<const char*>(data), size)});
  return 0;
}
