// A recorded spike train (.npy) on arbitrary bytes: `pjsim validate` of a spiking layer whose
// `trace` names the input (seeds: tests/fuzz/corpus/spike_trace/, shape (4, 4, 16) like the layer).
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  static const std::string kWorkload = [] {
    const std::string path = pjsim::fuzz::ScratchPath("_spiking.yaml");
    std::ofstream(path) << "name: snn\nlayers:\n"
                           "  - {name: s, op: linear, m: 4, k: 16, n: 16, dtype: int8,\n"
                           "     spiking: {timesteps: 4, trace: input.npy}, inputs: []}\n";
    return path;
  }();
  pjsim::fuzz::WriteScratch(".npy", data, size);
  pjsim::fuzz::ExpectOkOrBadInput({"validate", kWorkload});
  return 0;
}
