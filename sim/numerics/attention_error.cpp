#include "sim/numerics/attention_error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "sim/numerics/lmul.h"
#include "sim/numerics/portable_random.h"

namespace pjsim::numerics {
namespace {

// One operand tensor of a variant: scaled by 2^scale, rounded into the format.
struct Operands {
  std::vector<uint32_t> bits;
  std::vector<double> values;  // DecodeBits of bits
  int scale = 0;
};

// The s with amax * 2^s in (target/2, target]; 0 for an all-zero tensor.
int ScaleExponent(double amax, double target) {
  if (!(amax > 0.0) || !std::isfinite(amax)) return 0;
  int amax_exp = 0;
  int target_exp = 0;
  std::frexp(amax, &amax_exp);
  std::frexp(target, &target_exp);
  int s = target_exp - amax_exp;
  while (std::ldexp(amax, s) > target) --s;
  while (std::ldexp(amax, s + 1) <= target) ++s;
  return s;
}

Operands Encode(const std::vector<double>& x, const MultiplierVariant& variant) {
  const FloatFormat& f = variant.format;
  const double max_finite = MaxFiniteValue(f);
  const double target = std::min(
      variant.kind == ProductKind::kExactProduct ? max_finite : std::sqrt(max_finite), 0x1p16);
  double amax = 0.0;
  for (const double v : x) amax = std::max(amax, std::fabs(v));
  Operands ops;
  ops.scale = ScaleExponent(amax, target);
  ops.bits.reserve(x.size());
  ops.values.reserve(x.size());
  for (const double v : x) {
    const uint32_t bits = EncodeBits(f, std::ldexp(v, ops.scale));
    ops.bits.push_back(bits);
    ops.values.push_back(DecodeBits(f, bits));
  }
  return ops;
}

// The multiplier of a variant, as the fp32 value the accumulator adds. Formats of <= 16 bits
// decode their results through a table (DecodeBits is exact; the table only saves time).
class Multiplier {
 public:
  explicit Multiplier(const MultiplierVariant& variant) : variant_(variant) {
    if (variant.kind != ProductKind::kExactProduct && TotalBits(variant.format) <= 16) {
      table_.resize(size_t{1} << TotalBits(variant.format));
      for (uint32_t b = 0; b < table_.size(); ++b) {
        table_[b] = static_cast<float>(DecodeBits(variant.format, b));
      }
    }
  }

  float operator()(const Operands& a, size_t i, const Operands& b, size_t j) const {
    switch (variant_.kind) {
      case ProductKind::kExactProduct:
        // Both values have <= 24-bit significands, so the double product is exact and the cast
        // rounds once, into fp32.
        return static_cast<float>(a.values[i] * b.values[j]);
      case ProductKind::kRoundedProduct:
        return Decode(ExactMulBits(variant_.format, a.bits[i], b.bits[j]));
      case ProductKind::kLmul:
        return Decode(LmulBits(variant_.format, a.bits[i], b.bits[j]));
    }
    return 0.0f;
  }

 private:
  float Decode(uint32_t bits) const {
    return table_.empty() ? static_cast<float>(DecodeBits(variant_.format, bits)) : table_[bits];
  }

  MultiplierVariant variant_;
  std::vector<float> table_;
};

// C[r][c] = sum_k A[r][k] B[c][k] (B given row-major as c x inner, i.e. transposed), each product
// by `mul`, summed in fp32 in order of k, then unscaled.
std::vector<float> ProductSums(const Operands& a, const Operands& b, std::int64_t rows,
                               std::int64_t cols, std::int64_t inner, const Multiplier& mul,
                               VariantOutput& counts) {
  std::vector<float> c(static_cast<size_t>(rows * cols));
  const int unscale = -(a.scale + b.scale);
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t col = 0; col < cols; ++col) {
      float acc = 0.0f;
      const auto ra = static_cast<size_t>(r * inner);
      const auto rb = static_cast<size_t>(col * inner);
      for (std::int64_t k = 0; k < inner; ++k) {
        const float p = mul(a, ra + static_cast<size_t>(k), b, rb + static_cast<size_t>(k));
        counts.zero_products += p == 0.0f;
        acc += p;
      }
      c[static_cast<size_t>(r * cols + col)] =
          static_cast<float>(std::ldexp(static_cast<double>(acc), unscale));
    }
  }
  counts.products += rows * cols * inner;
  return c;
}

// rows x cols -> cols x rows.
std::vector<double> Transposed(const std::vector<double>& x, std::int64_t rows, std::int64_t cols) {
  std::vector<double> t(x.size());
  for (std::int64_t r = 0; r < rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) {
      t[static_cast<size_t>(c * rows + r)] = x[static_cast<size_t>(r * cols + c)];
    }
  }
  return t;
}

std::string FormatFixed(const char* format, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}

}  // namespace

std::string VariantName(const MultiplierVariant& variant) {
  const std::string format = FormatName(variant.format);
  switch (variant.kind) {
    case ProductKind::kExactProduct:
      return "mul " + format + ", exact product";
    case ProductKind::kRoundedProduct:
      return "mul " + format + ", product rounded";
    case ProductKind::kLmul: {
      const int m = variant.format.mantissa_bits;
      return "lmul " + format + " (m=" + std::to_string(m) +
             ", l=" + std::to_string(LmulOffsetExponent(m)) + ")";
    }
  }
  return "?";
}

std::vector<MultiplierVariant> DefaultAttentionVariants() {
  using K = ProductKind;
  return {
      {K::kExactProduct, kFp32},
      {K::kExactProduct, kBf16},
      {K::kExactProduct, MakeFloatFormat(8, 4)},
      {K::kExactProduct, MakeFloatFormat(8, 3)},
      {K::kExactProduct, kFp8E4M3},
      {K::kExactProduct, kFp8E5M2},
      {K::kRoundedProduct, kFp8E4M3},
      {K::kRoundedProduct, kFp8E5M2},
      {K::kLmul, kFp8E4M3},
      {K::kLmul, MakeFloatFormat(5, 3)},
      {K::kLmul, MakeFloatFormat(5, 4)},
      {K::kLmul, MakeFloatFormat(8, 3)},
      {K::kLmul, MakeFloatFormat(8, 4)},
      {K::kLmul, kBf16},
      {K::kLmul, kFp32},
  };
}

std::vector<double> ReferenceAttention(const AttentionInputs& in) {
  const std::int64_t d = in.head_dim;
  const double inv_sqrt_d = 1.0 / std::sqrt(static_cast<double>(d));
  std::vector<double> out(static_cast<size_t>(in.n_q * d), 0.0);
  std::vector<double> p(static_cast<size_t>(in.n_kv));
  for (std::int64_t i = 0; i < in.n_q; ++i) {
    double max_score = -INFINITY;
    for (std::int64_t j = 0; j < in.n_kv; ++j) {
      double dot = 0.0;
      for (std::int64_t c = 0; c < d; ++c) {
        dot += in.q[static_cast<size_t>(i * d + c)] * in.k[static_cast<size_t>(j * d + c)];
      }
      p[static_cast<size_t>(j)] = dot * inv_sqrt_d;
      max_score = std::max(max_score, p[static_cast<size_t>(j)]);
    }
    double sum = 0.0;
    for (double& x : p) {
      x = PortableExp(x - max_score);
      sum += x;
    }
    for (std::int64_t j = 0; j < in.n_kv; ++j) {
      const double w = p[static_cast<size_t>(j)] / sum;
      for (std::int64_t c = 0; c < d; ++c) {
        out[static_cast<size_t>(i * d + c)] += w * in.v[static_cast<size_t>(j * d + c)];
      }
    }
  }
  return out;
}

VariantOutput VariantAttention(const AttentionInputs& in, const MultiplierVariant& variant) {
  ValidateFloatFormat(variant.format);
  const Multiplier mul(variant);
  VariantOutput result;
  const std::int64_t d = in.head_dim;
  const std::vector<float> scores =
      ProductSums(Encode(in.q, variant), Encode(in.k, variant), in.n_q, in.n_kv, d, mul, result);
  // Softmax in fp32.
  const float inv_sqrt_d = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
  std::vector<double> p(static_cast<size_t>(in.n_q * in.n_kv));
  std::vector<float> e(static_cast<size_t>(in.n_kv));
  for (std::int64_t i = 0; i < in.n_q; ++i) {
    const auto row = static_cast<size_t>(i * in.n_kv);
    float max_score = -INFINITY;
    for (std::int64_t j = 0; j < in.n_kv; ++j) {
      e[static_cast<size_t>(j)] = scores[row + static_cast<size_t>(j)] * inv_sqrt_d;
      max_score = std::max(max_score, e[static_cast<size_t>(j)]);
    }
    float sum = 0.0f;
    for (float& x : e) {
      x = static_cast<float>(PortableExp(static_cast<double>(x - max_score)));
      sum += x;
    }
    for (std::int64_t j = 0; j < in.n_kv; ++j) {
      p[row + static_cast<size_t>(j)] = static_cast<double>(e[static_cast<size_t>(j)] / sum);
    }
  }
  const std::vector<float> out =
      ProductSums(Encode(p, variant), Encode(Transposed(in.v, in.n_kv, d), variant), in.n_q, d,
                  in.n_kv, mul, result);
  result.out.assign(out.begin(), out.end());
  return result;
}

AttentionErrorTable MeasureAttentionError(const AttentionErrorOptions& options) {
  if (options.n_q < 1 || options.n_kv < 1 || options.head_dim < 1 || options.trials < 1) {
    throw std::invalid_argument("attention error: n_q, n_kv, head_dim and trials must be >= 1");
  }
  ValidateActivationSpec(options.distribution, options.head_dim);
  const std::vector<MultiplierVariant> variants =
      options.variants.empty() ? DefaultAttentionVariants() : options.variants;

  struct Sums {
    double sq_err = 0, abs_err = 0, max_err = 0;
    std::int64_t products = 0, zero_products = 0;
  };
  std::vector<Sums> sums(variants.size());
  double sq_ref = 0.0;
  std::int64_t outputs = 0;
  std::mt19937_64 rng(options.seed);
  for (std::int64_t t = 0; t < options.trials; ++t) {
    const AttentionInputs in =
        DrawAttentionInputs(options.distribution, options.n_q, options.n_kv, options.head_dim, rng);
    const std::vector<double> ref = ReferenceAttention(in);
    for (const double r : ref) sq_ref += r * r;
    outputs += static_cast<std::int64_t>(ref.size());
    for (size_t v = 0; v < variants.size(); ++v) {
      const VariantOutput o = VariantAttention(in, variants[v]);
      Sums& s = sums[v];
      for (size_t i = 0; i < ref.size(); ++i) {
        const double err = std::fabs(o.out[i] - ref[i]);
        s.sq_err += err * err;
        s.abs_err += err;
        // NaN (an inf - inf in a variant) must show, not vanish in std::max.
        s.max_err = std::isnan(err) || std::isnan(s.max_err) ? NAN : std::max(s.max_err, err);
      }
      s.products += o.products;
      s.zero_products += o.zero_products;
    }
  }
  AttentionErrorTable table;
  table.distribution = DistributionName(options.distribution, options.head_dim);
  table.n_q = options.n_q;
  table.n_kv = options.n_kv;
  table.head_dim = options.head_dim;
  table.trials = options.trials;
  table.seed = options.seed;
  const double n = static_cast<double>(outputs);
  table.reference_rms = std::sqrt(sq_ref / n);
  for (size_t v = 0; v < variants.size(); ++v) {
    const Sums& s = sums[v];
    table.rows.push_back({VariantName(variants[v]), std::sqrt(s.sq_err / sq_ref),
                          s.abs_err / n / table.reference_rms, s.max_err / table.reference_rms,
                          static_cast<double>(s.zero_products) / static_cast<double>(s.products)});
  }
  return table;
}

void PrintAttentionErrorTable(std::ostream& out, const AttentionErrorTable& table) {
  size_t width = 7;
  for (const AttentionErrorRow& row : table.rows) width = std::max(width, row.variant.size());
  out << "# attention output error, softmax(Q K^T / sqrt(d)) V, " << table.distribution << ": n_q "
      << table.n_q << ", n_kv " << table.n_kv << ", d " << table.head_dim << ", " << table.trials
      << " trials, seed " << table.seed << ", reference RMS "
      << FormatFixed("%.4g", table.reference_rms) << "\n";
  char line[256];
  const int w = static_cast<int>(width);
  std::snprintf(line, sizeof line, "%-*s  %13s  %12s  %12s  %13s\n", w, "variant", "rel_frobenius",
                "mean_abs/rms", "max_abs/rms", "zero_products");
  out << line;
  for (const AttentionErrorRow& row : table.rows) {
    std::snprintf(line, sizeof line, "%-*s  %13.4e  %12.4e  %12.4e  %13.3e\n", w,
                  row.variant.c_str(), row.rel_frobenius, row.mean_abs_err, row.max_abs_err,
                  row.zero_products);
    out << line;
  }
}

}  // namespace pjsim::numerics
