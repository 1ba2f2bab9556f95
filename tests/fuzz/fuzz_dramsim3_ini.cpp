// `pjsim dram-bench --dram FILE.ini` on arbitrary bytes as a DRAMsim3 configuration (seeds:
// tests/fuzz/corpus/dramsim3_ini/, DRAMsim3's DDR4_8Gb_x8_3200.ini): read as DRAMsim3 reads it
// and run, or rejected with one located line.
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string ini = pjsim::fuzz::WriteScratch(".ini", data, size);
  pjsim::fuzz::ExpectOkOrBadInput(
      {"dram-bench", "--dram", ini, "--pattern", "random-mix", "--requests", "32"});
  return 0;
}
