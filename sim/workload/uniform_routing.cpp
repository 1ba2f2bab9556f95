// Routing source `uniform`: every expert equally popular.
#include "sim/workload/moe_routing.h"
#include "sim/workload/routing_source.h"

namespace pjsim {
namespace {

class UniformRouting : public RoutingSource {};

[[maybe_unused]] const bool kRegistered = RoutingSourceRegistry().Add(
    {.name = "uniform",
     .summary = "every expert equally popular",
     .keys = {},
     .file_key = "",
     .factory = [](const RoutingConfig&) -> std::unique_ptr<RoutingSource> {
       return std::make_unique<UniformRouting>();
     }});

}  // namespace
}  // namespace pjsim
