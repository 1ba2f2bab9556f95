#include "sim/config/dram_model_registry.h"

namespace pjsim {

Registry<DramModelEntry>& DramModelRegistry() {
  static Registry<DramModelEntry> registry("DRAM model");
  return registry;
}

}  // namespace pjsim
