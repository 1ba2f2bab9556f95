// The native half of the `pjsim` Python package (tools/python/pjsim): the same C++ the command
// line runs, returning report.json's text, which the package parses. Errors cross as Python
// exceptions: bad input (ConfigError, "file:line:col: message") as pjsim.ConfigError, a ValueError;
// a simulation failure as pjsim.SimulationError, a RuntimeError.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>
#include <string>
#include <vector>

#include "sim/cli/simulate_run.h"
#include "sim/config/config_error.h"
#include "sim/run/reprice.h"

namespace py = pybind11;

// libsystemc references sc_main (it also defines a main() that calls it); a module loaded into
// Python never starts that way, so this one only satisfies the dynamic linker.
extern "C" __attribute__((visibility("default"))) int sc_main(int /*argc*/, char* /*argv*/[]) {
  return 0;
}

namespace {

// SystemC's kernel is one per process (models/simulation_context.h swaps a global context), so
// simulations from several Python threads take turns; parallel points need processes.
std::mutex& SimulationMutex() {
  static std::mutex m;
  return m;
}

std::string RunJson(const std::string& arch, const std::string& workload, const std::string& tech,
                    const std::vector<std::string>& sets, const std::string& carbon,
                    const std::string& carbon_table, const std::string& pue) {
  // Simulating takes seconds to minutes and touches no Python object: other Python threads run
  // meanwhile (but not another simulation).
  py::gil_scoped_release release;
  const std::lock_guard<std::mutex> one_at_a_time(SimulationMutex());
  const pjsim::RunInputs inputs{arch, tech, workload, sets};
  return pjsim::cli::RunReportJson(inputs, pjsim::cli::CarbonInputsFrom(carbon, carbon_table, pue));
}

std::string RepriceJson(const std::string& report_json, const std::string& report_name,
                        const std::string& tech, const std::vector<std::string>& sets) {
  py::gil_scoped_release release;
  return pjsim::RepriceReportText(report_json, report_name, tech, sets);
}

}  // namespace

PYBIND11_MODULE(_pjsim, m) {
  m.doc() = "pjsim's simulator (use the pjsim package, not this module)";
  m.attr("version") = PJSIM_VERSION;
  static py::exception<pjsim::ConfigError> config_error(m, "ConfigError", PyExc_ValueError);
  static py::exception<std::exception> simulation_error(m, "SimulationError", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const py::builtin_exception&) {
      throw;  // pybind11's own (argument conversion and the like): its translator's
    } catch (const py::error_already_set&) {
      throw;  // a Python exception passing through
    } catch (const pjsim::ConfigError& e) {
      config_error(e.what());
    } catch (const std::exception& e) {
      simulation_error(e.what());
    }
  });
  m.def("run_json", &RunJson, py::arg("arch"), py::arg("workload"), py::arg("tech"),
        py::arg("sets"), py::arg("carbon"), py::arg("carbon_table"), py::arg("pue"),
        "Simulates and returns report.json's text, as `pjsim run --out` writes it.");
  m.def("reprice_json", &RepriceJson, py::arg("report_json"), py::arg("report_name"),
        py::arg("tech"), py::arg("sets"),
        "Re-prices report.json text with another technology table, as `pjsim reprice` does.");
}
