#include "models/simulation_context.h"

#include <systemc>

namespace pjsim {

SimulationContext::SimulationContext()
    : previous_(sc_core::sc_get_curr_simcontext()),
      previous_default_(sc_core::sc_default_global_context),
      fresh_(new sc_core::sc_simcontext) {
  sc_core::sc_curr_simcontext = fresh_;
  sc_core::sc_default_global_context = fresh_;
  sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
  // Quiet the kernel: pjsim reports its own results.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
}

SimulationContext::~SimulationContext() {
  sc_core::sc_curr_simcontext = previous_;
  sc_core::sc_default_global_context = previous_default_;
  delete fresh_;
}

}  // namespace pjsim
