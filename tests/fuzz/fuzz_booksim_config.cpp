// A BookSim 2 configuration file on arbitrary bytes: `pjsim noc-bench --booksim FILE` (seeds:
// tests/fuzz/corpus/booksim_config/). The reader checks every key; the run is kept small by flags,
// which take precedence over the file (a valid 64 x 64 mesh of 64 VCs takes 20 s for 100 cycles:
// the size is the user's to choose, not a finding).
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string path = pjsim::fuzz::WriteScratch(".cfg", data, size);
  pjsim::fuzz::ExpectOkOrBadInput({"noc-bench", "--booksim", path, "--mesh", "4",
                                   "--virtual-channels", "4", "--buffer-flits", "16",
                                   "--packet-flits", "16", "--cycles", "100"});
  return 0;
}
