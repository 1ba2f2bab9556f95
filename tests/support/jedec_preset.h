#pragma once
// A shipped JEDEC DRAM preset (configs/dram/NAME.yaml) read as the `jedec` model reads it, with
// `--set`-style overrides of its fields.
#include <string>
#include <utility>
#include <vector>

#include "models/memory/jedec_params.h"

namespace pjsim::test {

JedecParams JedecPreset(const std::string& name,
                        const std::vector<std::pair<std::string, std::string>>& sets = {});

}  // namespace pjsim::test
