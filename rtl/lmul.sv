// lmul: L-Mul floating-point multiplier (Luo & Sun, arXiv 2410.00907), bit-exact to
// pjsim::numerics::LmulBits (sim/numerics/lmul.h). Combinational, one product per evaluation.
// Operands and result: sign | exponent (E bits) | mantissa (M bits), bias BIAS; FN = 0 for
// IEEE-style specials (all-ones exponent = inf / NaN), FN = 1 for the OCP "FN" style (no inf, only
// S.1..1.1..1 is NaN; e.g. fp8 e4m3fn). Instances: fp8 e4m3fn, e5m2, e3m4 (m = 4), e4m3 (IEEE),
// bf16 (E = 8, M = 7).
//
// Microarchitecture
//   * Datapath: ONE integer adder over the (exponent||mantissa) magnitude fields, no mantissa
//     multiplier:  N = |a| + |b| + K,   K = 2^(M - l(M)) - (BIAS << M)
//     (the bias moved to the exponent position and the 2^-l(M) mantissa offset are one constant;
//     it folds into the adder as a constant third input, i.e. one row of half adders, so this is
//     a single carry-propagate add of E + M + 2 bits). l(M) = M for M <= 3, 3 for M = 4, 4 for
//     M > 4, so the offset is a whole number of LSBs (1 LSB for M <= 3, 2 for M = 4, 2^(M-4) for
//     larger M). A mantissa carry simply increments the exponent field.
//   * Sign: sa ^ sb (one XOR).
//   * Classification per operand (rtl/fp_unpack.sv): zero/subnormal (field 0; subnormal
//     operands are flushed to zero of their sign), inf, NaN.
//   * Result select, in LmulBits' priority order:
//       NaN operand                      -> canonical NaN (sign 0)
//       inf * (zero or subnormal)        -> canonical NaN;  inf * other -> sa^sb | inf
//       zero/subnormal operand           -> sa^sb | 0
//       N < 2^M (below the smallest normal, including negative N)   -> sa^sb | 0   (flush)
//       IEEE: N >= inf magnitude         -> sa^sb | inf
//       FN:   N >  max finite magnitude  -> sa^sb | max finite (saturate; avoids the NaN pattern)
//       else                             -> sa^sb | N
//   * Width: |a| + |b| < 2^(E+M+1) and BIAS << M < 2^(E+M), so N fits E + M + 2 signed bits.
// The adder and comparators are the whole cost: compare rtl/fp_mul.sv (the exact multiplier).
module lmul #(
    parameter int E = 4,
    parameter int M = 3,
    parameter int BIAS = 7,
    parameter int FN = 1,  // 1: OCP FN specials, 0: IEEE
    localparam int W = 1 + E + M
) (
    input  logic [W-1:0] a,
    input  logic [W-1:0] b,
    output logic [W-1:0] p
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  localparam int EM = E + M;
  localparam int L = (M <= 3) ? M : (M == 4) ? 3 : 4;  // l(M)
  localparam int SW = EM + 2;  // adder width (signed)
  localparam logic signed [SW-1:0] K = SW'((1 << (M - L)) - (BIAS << M));
  localparam logic [EM-1:0] INF_MAG = EM'(((1 << E) - 1) << M);
  localparam logic [EM-1:0] MAX_FINITE = (FN != 0) ? EM'((1 << EM) - 2) : EM'(INF_MAG - 1'b1);
  localparam logic [EM-1:0] NAN_MAG = (FN != 0) ? EM'((1 << EM) - 1) : EM'(INF_MAG | EM'(1 << (M - 1)));
  localparam logic signed [SW-1:0] MIN_NORMAL = SW'(1 << M);

  wire sa, sb, zero_a, zero_b, nan_a, nan_b, inf_a, inf_b;  // zero: zero or subnormal (flushed)
  wire [EM-1:0] mag_a, mag_b;
  wire [E-1:0] unused_ea, unused_eb;
  wire [M-1:0] unused_ma, unused_mb;
  fp_unpack #(.E(E), .M(M), .FN(FN)) u_a (.x(a), .sign(sa), .mag(mag_a), .field(unused_ea), .man(unused_ma),
                                           .field_zero(zero_a), .nan(nan_a), .inf(inf_a));
  fp_unpack #(.E(E), .M(M), .FN(FN)) u_b (.x(b), .sign(sb), .mag(mag_b), .field(unused_eb), .man(unused_mb),
                                           .field_zero(zero_b), .nan(nan_b), .inf(inf_b));
  wire unused = ^{unused_ea, unused_eb, unused_ma, unused_mb};

  // The adder.
  wire sign = sa ^ sb;
  logic signed [SW-1:0] sum;
  assign sum = $signed(SW'(mag_a)) + $signed(SW'(mag_b)) + K;

  wire underflow = sum < MIN_NORMAL;
  wire overflow = (FN != 0) ? (sum > $signed(SW'(MAX_FINITE))) : (sum >= $signed(SW'(INF_MAG)));

  always_comb begin
    if (nan_a || nan_b) p = {1'b0, NAN_MAG};
    else if (inf_a || inf_b) p = (zero_a || zero_b) ? {1'b0, NAN_MAG} : {sign, INF_MAG};
    else if (zero_a || zero_b || underflow) p = {sign, EM'(0)};
    else if (overflow) p = {sign, (FN != 0) ? MAX_FINITE : INF_MAG};
    else p = {sign, sum[EM-1:0]};
  end
endmodule
