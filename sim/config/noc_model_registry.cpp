#include "sim/config/noc_model_registry.h"

namespace pjsim {

Registry<NocModelEntry>& NocModelRegistry() {
  static Registry<NocModelEntry> registry("NoC model");
  return registry;
}

}  // namespace pjsim
