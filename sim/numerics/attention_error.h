#pragma once
// Error of attention outputs, softmax(Q K^T / sqrt(d)) V, when every product of both matmuls
// goes through an approximate or low-precision multiplier: the metric of the L-Mul paper (Luo &
// Sun, arXiv 2410.00907, which claims L-Mul with 4 mantissa bits is about as precise as fp8 e4m3
// multiplication and with 3 bits as e5m2) on the activation distributions of attention_inputs.h.
//
// Reference: everything in fp64 (dot products, 1/sqrt(d), softmax with PortableExp).
// A variant computes, per trial:
//   1. scores S = Q K^T: Q and K scaled per tensor (below) and rounded into the variant's format
//      (RNE, subnormals kept), each product by the variant's multiplier, summed in fp32 in order
//      of the channel index, unscaled (exact: powers of two);
//   2. softmax in fp32: s * fp32(1/sqrt(d)) in fp32, minus the row max, exp (PortableExp of the
//      fp32 difference, rounded to fp32), fp32 row sum in order, fp32 division;
//   3. output O = P V: P and V scaled per tensor and rounded into the format, each product by the
//      multiplier, fp32 sum in order of the key index, unscaled.
// Multipliers (what each one rounds):
//   kExactProduct    "mul F, exact product": the operands are rounded into F, their product is
//                    computed exactly and rounded only into the fp32 accumulator's format. For
//                    every format here except fp32 that is no rounding at all (two significands
//                    of <= 12 bits give <= 24 bits; products below fp32's smallest normal aside):
//                    an fp8 tensor core's multiply (fp8 inputs,
//                    fp32 accumulate), the paper's fp8 baseline. For F = fp32 it is the IEEE fp32
//                    multiply, and the variant is plain fp32 attention.
//   kRoundedProduct  "mul F, product rounded": numerics::ExactMulBits, the exact product rounded
//                    once more into F (RNE) before the fp32 accumulate: the conventional
//                    multiplier of rtl/fp_mul.sv, whose result has F's width like L-Mul's.
//   kLmul            "lmul F": numerics::LmulBits in F (subnormal operands flushed, results below
//                    F's smallest normal flushed, overflow to inf / max finite), fp32 accumulate.
// Per-tensor scaling, as fp8 inference scales each tensor by its absolute maximum (amax): each
// operand tensor (Q, K, V, P of a trial) is multiplied by the power of two 2^s that brings its
// amax into (T/2, T], where T is F's largest finite value for kExactProduct (the product lands in
// fp32, so operands may use F's whole range) and its square root for kRoundedProduct and kLmul
// (whose products must fit F), but at most 2^16 (formats with fp32's exponent range need no
// scaling, and the fp32 sums of products of 2^16 stay finite). Outliers set amax, and so push the
// other values of the tensor towards F's subnormals, which L-Mul flushes: that is how they cost
// precision in a float format.
//
// Output metrics over all n_q x head_dim outputs of all trials, with R the reference and O the
// variant: rel_frobenius = ||O - R||_F / ||R||_F; mean_abs_err and max_abs_err = mean and max of
// |O - R| divided by the reference's RMS, sqrt(mean R^2). zero_products = fraction of the
// products (both matmuls) that came out zero.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/numerics/attention_inputs.h"
#include "sim/numerics/float_format.h"

namespace pjsim::numerics {

enum class ProductKind { kExactProduct, kRoundedProduct, kLmul };

struct MultiplierVariant {
  ProductKind kind = ProductKind::kExactProduct;
  FloatFormat format = kFp32;

  friend bool operator==(const MultiplierVariant&, const MultiplierVariant&) = default;
};

// "mul e4m3fn, exact product", "mul e5m2, product rounded", "lmul e8m4 (m=4, l=3)".
std::string VariantName(const MultiplierVariant& variant);

// The rows `pjsim numerics lmul-attention` prints: exact products in fp32, bf16, e8m4, e8m3,
// e4m3fn, e5m2; rounded products in e4m3fn, e5m2; L-Mul in e4m3fn, e5m3, e5m4, e8m3, e8m4, bf16,
// fp32 (the formats of lmul_accuracy.h: e8mX keeps bf16's exponent, so that only the mantissa
// bits differ between e8m3, e8m4 and bf16, and L-Mul and rounding can be compared at equal bits).
std::vector<MultiplierVariant> DefaultAttentionVariants();

// fp64 reference output (n_q x head_dim, row-major).
std::vector<double> ReferenceAttention(const AttentionInputs& in);

struct VariantOutput {
  std::vector<double> out;  // n_q x head_dim
  std::int64_t products = 0;
  std::int64_t zero_products = 0;
};
VariantOutput VariantAttention(const AttentionInputs& in, const MultiplierVariant& variant);

struct AttentionErrorOptions {
  ActivationSpec distribution;
  std::int64_t n_q = 64;
  std::int64_t n_kv = 256;
  std::int64_t head_dim = 128;
  std::int64_t trials = 4;  // independent heads (Q, K, V draws) pooled into the metrics
  std::uint64_t seed = 1;
  std::vector<MultiplierVariant> variants;  // empty: DefaultAttentionVariants()
};

struct AttentionErrorRow {
  std::string variant;
  double rel_frobenius = 0;
  double mean_abs_err = 0;  // relative to the reference RMS
  double max_abs_err = 0;   // relative to the reference RMS
  double zero_products = 0;

  friend bool operator==(const AttentionErrorRow&, const AttentionErrorRow&) = default;
};

struct AttentionErrorTable {
  std::string distribution;  // DistributionName
  std::int64_t n_q = 0;
  std::int64_t n_kv = 0;
  std::int64_t head_dim = 0;
  std::int64_t trials = 0;
  std::uint64_t seed = 0;
  double reference_rms = 0;
  std::vector<AttentionErrorRow> rows;

  friend bool operator==(const AttentionErrorTable&, const AttentionErrorTable&) = default;
};

// Trial t draws its Q, K, V with DrawAttentionInputs from one std::mt19937_64 seeded with `seed`
// (trials in order); every variant sees the same inputs. Deterministic for a seed on every
// platform. Throws std::invalid_argument for sizes < 1, trials < 1 or an invalid distribution.
AttentionErrorTable MeasureAttentionError(const AttentionErrorOptions& options);

// Aligned plain-text table with a header line naming the distribution, sizes and seed.
void PrintAttentionErrorTable(std::ostream& out, const AttentionErrorTable& table);

}  // namespace pjsim::numerics
