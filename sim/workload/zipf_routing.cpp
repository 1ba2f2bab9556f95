// Routing source `zipf`: the popularity of the expert of rank r (a per-layer random ranking) is
// proportional to 1 / r^s, s = `zipf_exponent`.
#include "sim/numerics/portable_random.h"
#include "sim/workload/moe_routing.h"
#include "sim/workload/routing_source.h"

namespace pjsim {
namespace {

constexpr double kDefaultExponent = 1.0;

class ZipfRouting : public RoutingSource {
 public:
  explicit ZipfRouting(double exponent) : exponent_(exponent) {}
  std::vector<double> Popularity(std::size_t experts, std::mt19937_64& rng) const override {
    std::vector<size_t> rank(experts);
    for (size_t i = 0; i < experts; ++i) rank[i] = i;
    for (size_t i = experts; i > 1; --i) {  // Fisher-Yates with the portable generator
      std::swap(rank[i - 1], rank[static_cast<size_t>(rng() % i)]);
    }
    std::vector<double> p(experts);
    for (size_t i = 0; i < experts; ++i) {
      p[rank[i]] = PortableExp(-exponent_ * numerics::PortableLog(static_cast<double>(i + 1)));
    }
    return p;
  }

 private:
  double exponent_;
};

[[maybe_unused]] const bool kRegistered = RoutingSourceRegistry().Add(
    {.name = "zipf",
     .summary = "expert of rank r (random per layer) has popularity ~ 1 / r^zipf_exponent",
     .keys = {{.name = "zipf_exponent",
               .summary = "skew s of the 1 / r^s popularity",
               .fallback = kDefaultExponent,
               .min = 0.0,
               .max = 100.0,
               .integer = false}},
     .file_key = "",
     .factory = [](const RoutingConfig& config) -> std::unique_ptr<RoutingSource> {
       return std::make_unique<ZipfRouting>(
           RoutingParam(config, "zipf_exponent", kDefaultExponent));
     }});

}  // namespace
}  // namespace pjsim
