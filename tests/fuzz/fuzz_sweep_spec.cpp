// `pjsim sweep SPEC.yaml --dry-run` on arbitrary bytes (seeds: configs/sweeps, configs/studies):
// axes, filters (the expression parser), derived columns and point values are checked, nothing
// runs. Relative paths in the spec resolve next to the scratch file, where nothing is found.
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  pjsim::fuzz::ExpectOkOrBadInput({"sweep", pjsim::fuzz::WriteScratch("-spec.yaml", data, size),
                                   "--dry-run", "--out", pjsim::fuzz::ScratchPath("-store")});
  return 0;
}
