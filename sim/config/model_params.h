#pragma once
// Parameters a plug-in model reads from its own keys (e.g. the `simple` DRAM model's banks and
// latencies), kept opaque in the architecture so that a new model needs no new field there: the
// model's key reader creates its subclass, the model's factory reads it back with ParamsAs.
#include <memory>
#include <stdexcept>

namespace pjsim {

struct ModelParams {
  virtual ~ModelParams() = default;
  // A DRAM model's read latency on an idle channel (request to first data, row closed), in clock
  // cycles: the mapping search's cost model adds it to the schedule's prologue. 0 if unknown.
  virtual double IdleReadLatencyCycles() const { return 0; }
};

// `params` as the type the model's key reader created; throws if it is missing or another
// model's (an architecture built in code without running the reader).
template <class T>
const T& ParamsAs(const std::shared_ptr<const ModelParams>& params) {
  const auto* p = dynamic_cast<const T*>(params.get());
  if (!p) throw std::logic_error("model parameters missing or of another model");
  return *p;
}

}  // namespace pjsim
