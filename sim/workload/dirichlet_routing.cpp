// Routing source `dirichlet`: each layer's popularity drawn from Dirichlet(alpha, ..., alpha),
// alpha = `dirichlet_alpha` (small alpha = skew).
#include <cmath>

#include "sim/numerics/portable_random.h"
#include "sim/workload/moe_routing.h"
#include "sim/workload/routing_source.h"

namespace pjsim {
namespace {

constexpr double kDefaultAlpha = 1.0;

// Gamma(alpha, 1) by Marsaglia and Tsang, with the alpha < 1 boost, from portable variates.
double Gamma(double alpha, std::mt19937_64& rng) {
  if (alpha < 1) {
    const double u = 1 - numerics::UniformUnit(rng);
    return Gamma(alpha + 1, rng) * PortableExp(numerics::PortableLog(u) / alpha);
  }
  const double d = alpha - 1.0 / 3, c = 1 / std::sqrt(9 * d);
  for (;;) {
    double x, v;
    do {
      x = numerics::StandardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = 1 - numerics::UniformUnit(rng);
    if (numerics::PortableLog(u) < 0.5 * x * x + d - d * v + d * numerics::PortableLog(v))
      return d * v;
  }
}

class DirichletRouting : public RoutingSource {
 public:
  explicit DirichletRouting(double alpha) : alpha_(alpha) {}
  // Normalised Gamma(alpha) draws are a Dirichlet(alpha, ..., alpha) sample.
  std::vector<double> Popularity(std::size_t experts, std::mt19937_64& rng) const override {
    std::vector<double> p(experts);
    for (auto& x : p) x = Gamma(alpha_, rng);
    return p;
  }

 private:
  double alpha_;
};

[[maybe_unused]] const bool kRegistered = RoutingSourceRegistry().Add(
    {.name = "dirichlet",
     .summary = "per-layer popularity drawn from Dirichlet(dirichlet_alpha) (small = skewed)",
     .keys = {{.name = "dirichlet_alpha",
               .summary = "concentration alpha of the symmetric Dirichlet",
               .fallback = kDefaultAlpha,
               .min = 1e-6,
               .max = 1e6,
               .integer = false}},
     .file_key = "",
     .factory = [](const RoutingConfig& config) -> std::unique_ptr<RoutingSource> {
       return std::make_unique<DirichletRouting>(
           RoutingParam(config, "dirichlet_alpha", kDefaultAlpha));
     }});

}  // namespace
}  // namespace pjsim
