// `pjsim import-ramulator2 CONFIG.yaml -o PRESET.yaml` on arbitrary bytes (seeds:
// tests/data/ramulator2/ and tests/fuzz/corpus/import_ramulator2/): imported or rejected; what is
// imported is a preset that dram-bench runs (`dram-bench --dram CONFIG.yaml` reads the file by
// the same code).
#include "cli_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string config = pjsim::fuzz::WriteScratch(".yaml", data, size);
  const std::string out = pjsim::fuzz::ScratchPath("-ramulator2.yaml");
  std::filesystem::remove(out);
  pjsim::fuzz::ExpectOkOrBadInput({"import-ramulator2", config, "-o", out});
  if (std::filesystem::exists(out)) {
    pjsim::fuzz::ExpectOkOrBadInput(
        {"dram-bench", "--dram", out, "--pattern", "random-mix", "--requests", "32"});
  }
  return 0;
}
