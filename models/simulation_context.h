#pragma once
// Gives one simulation a SystemC kernel context of its own. The standard allows one elaboration
// per process; swapping in a fresh sc_simcontext around each run (and destroying every module of
// the run before the swap back) lets one process simulate many design points. The library's
// first context is never deleted. Non-standard but verified clean under valgrind
// (docs/BUILDING.md, "SystemC behaviour").
namespace sc_core {
class sc_simcontext;
}

namespace pjsim {

class SimulationContext {
 public:
  SimulationContext();
  ~SimulationContext();
  SimulationContext(const SimulationContext&) = delete;
  SimulationContext& operator=(const SimulationContext&) = delete;

 private:
  sc_core::sc_simcontext* previous_;
  sc_core::sc_simcontext* previous_default_;
  sc_core::sc_simcontext* fresh_;
};

}  // namespace pjsim
