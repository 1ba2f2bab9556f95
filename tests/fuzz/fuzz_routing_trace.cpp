// A recorded MoE routing trace on arbitrary bytes: `pjsim validate` of an expert layer whose
// router replays the input (seeds: tests/fuzz/corpus/routing_trace/, decisions for its 4 tokens).
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  static const std::string kWorkload = [] {
    const std::string path = pjsim::fuzz::ScratchPath("_moe.yaml");
    std::ofstream(path) << "name: moe\nrouting: {source: trace, trace: input.txt}\nlayers:\n"
                           "  - {name: e, op: linear, m: 8, k: 16, n: 16, dtype: int8,\n"
                           "     experts: {count: 4, top_k: 2}, inputs: []}\n";
    return path;
  }();
  pjsim::fuzz::WriteScratch(".txt", data, size);
  pjsim::fuzz::ExpectOkOrBadInput({"validate", kWorkload});
  return 0;
}
