// `pjsim dram-bench --trace FILE` on arbitrary bytes as a DRAM trace (seeds:
// tests/fuzz/corpus/dram_trace/, a DRAMsim3 and a Ramulator 2 trace): simulated, or rejected
// with one located line.
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string trace = pjsim::fuzz::WriteScratch(".trc", data, size);
  pjsim::fuzz::ExpectOkOrBadInput({"dram-bench", "--dram", "ddr4-3200-x8", "--trace", trace});
  return 0;
}
