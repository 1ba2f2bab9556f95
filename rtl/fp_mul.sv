// fp_mul: conventional floating-point multiplier, bit-exact to pjsim::numerics::ExactMulBits
// (sim/numerics/lmul.h): the exact product of the two operands (subnormals kept), rounded once to
// nearest, ties to even, with gradual underflow. Combinational, one product per evaluation. Same
// format parameters and ports as rtl/lmul.sv (E, M, BIAS, FN), so the two compare one to one.
//
// Microarchitecture
//   * Unpack: significand {hidden, mantissa} (hidden = exponent field != 0) and effective exponent
//     max(field, 1), so subnormal operands need no pre-normalisation.
//   * Mantissa multiplier: (M+1) x (M+1) unsigned -> 2M+2 bits (the array that L-Mul removes).
//   * Exponent adder: f = ea' + eb' - BIAS + 1 - lz, the biased exponent field of the product,
//     lz = leading zeros of the product (a priority encoder; lz > 1 only with subnormal operands).
//   * Normalise: product << lz (MSB at the top). Then one right shift by sh = M+1 for a normal
//     result (f >= 1) or M+2-f for a subnormal one (f <= 0; capped at 2M+3, beyond which
//     everything is sticky) leaves the result in units of its quantum; guard and sticky bits come
//     out of the same shifter.
//   * Round (RNE): + (guard & (sticky | lsb)). A rounding carry propagates into the exponent field
//     by itself, because the magnitude is assembled as ((max(f,1) - 1) << M) + rounded
//     significand (the hidden bit adds the missing 1 to the field; a subnormal that rounds up to
//     2^M becomes the smallest normal).
//   * Overflow: magnitude > max finite -> inf (IEEE) or max finite (FN, saturate-to-finite).
//     A result that rounds to 0 is a zero of sign sa ^ sb.
//   * Specials: NaN operand -> canonical NaN (sign 0); inf * zero -> canonical NaN; inf * any other
//     (including a subnormal) -> sa^sb | inf; zero * finite -> sa^sb | 0.
module fp_mul #(
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
  localparam int PW = 2 * M + 2;  // product width
  localparam int LZW = $clog2(PW + 1);  // leading-zero count width
  // Exponent arithmetic width: f lies in [2 - BIAS - 2M, 2^(E+1) - 1 - BIAS].
  localparam int FW = ((E > $clog2(2 * M + 2)) ? E : $clog2(2 * M + 2)) + 3;
  localparam int SHMAX = 2 * M + 3;  // a larger shift leaves only sticky bits
  localparam int SHW = $clog2(SHMAX + 1);
  localparam int XW = PW + SHMAX;  // shifter width: product, then guard, then sticky positions
  localparam int MW = EM + 2;  // magnitude before the overflow check
  localparam logic [EM-1:0] INF_MAG = EM'(((1 << E) - 1) << M);
  localparam logic [EM-1:0] MAX_FINITE = (FN != 0) ? EM'((1 << EM) - 2) : EM'(INF_MAG - 1'b1);
  localparam logic [EM-1:0] NAN_MAG = (FN != 0) ? EM'((1 << EM) - 1) : EM'(INF_MAG | EM'(1 << (M - 1)));

  wire sa, sb, field_zero_a, field_zero_b, nan_a, nan_b, inf_a, inf_b;
  wire [EM-1:0] mag_a, mag_b;
  wire [E-1:0] ea, eb;
  wire [M-1:0] ma, mb;
  fp_unpack #(.E(E), .M(M), .FN(FN)) u_a (.x(a), .sign(sa), .mag(mag_a), .field(ea), .man(ma),
                                           .field_zero(field_zero_a), .nan(nan_a), .inf(inf_a));
  fp_unpack #(.E(E), .M(M), .FN(FN)) u_b (.x(b), .sign(sb), .mag(mag_b), .field(eb), .man(mb),
                                           .field_zero(field_zero_b), .nan(nan_b), .inf(inf_b));
  wire zero_a = mag_a == '0;  // true zero only: subnormals are kept
  wire zero_b = mag_b == '0;
  wire sign = sa ^ sb;

  // Unpack and multiply.
  wire [M:0] sig_a = {!field_zero_a, ma};
  wire [M:0] sig_b = {!field_zero_b, mb};
  wire [E-1:0] exp_a = field_zero_a ? E'(1) : ea;
  wire [E-1:0] exp_b = field_zero_b ? E'(1) : eb;
  logic [PW-1:0] prod;
  assign prod = PW'(sig_a) * PW'(sig_b);

  // Leading zeros of the product (PW for a zero product, which the zero path handles).
  logic [LZW-1:0] lz;
  always_comb begin
    lz = LZW'(PW);
    for (int i = 0; i < PW; i++) begin
      if (prod[i]) lz = LZW'(PW - 1 - i);
    end
  end

  // Exponent and normalisation.
  logic signed [FW-1:0] f;
  assign f = $signed(FW'(exp_a)) + $signed(FW'(exp_b)) - $signed(FW'(BIAS - 1)) - $signed(FW'(lz));
  wire normal = f > 0;
  wire [PW-1:0] prod_n = prod << lz;
  logic [SHW-1:0] sh;
  always_comb begin
    if (normal) sh = SHW'(M + 1);
    else if (f < $signed(FW'(M + 2 - SHMAX))) sh = SHW'(SHMAX);
    else sh = SHW'($signed(FW'(M + 2)) - f);
  end

  // Right shift with guard and sticky, then round to nearest even.
  wire [XW-1:0] shifted = {prod_n, {SHMAX{1'b0}}} >> sh;
  // Integer part (units of the result's quantum): sh >= M+1 leaves at most M+1 significant bits.
  wire [M+1:0] kept = {1'b0, shifted[SHMAX+:(M+1)]};
  wire guard = shifted[SHMAX-1];
  wire sticky = shifted[SHMAX-2:0] != '0;
  wire [M+1:0] rounded = kept + (M + 2)'(guard && (sticky || kept[0]));

  // Assemble the magnitude; the rounding carry and the hidden bit ripple into the exponent field.
  wire signed [FW-1:0] field = f - $signed(FW'(1));
  wire [MW-1:0] field_base = normal ? MW'(field) << M : '0;
  wire [MW-1:0] mag = field_base + MW'(rounded);
  wire overflow = mag > MW'(MAX_FINITE);

  always_comb begin
    if (nan_a || nan_b) p = {1'b0, NAN_MAG};
    else if (inf_a || inf_b) p = (zero_a || zero_b) ? {1'b0, NAN_MAG} : {sign, INF_MAG};
    else if (zero_a || zero_b) p = {sign, EM'(0)};
    else if (overflow) p = {sign, (FN != 0) ? MAX_FINITE : INF_MAG};
    else p = {sign, mag[EM-1:0]};
  end

  // Bits of the shifter that are zero by construction (sh >= M+1).
  wire unused = ^shifted[XW-1:SHMAX+M+1];
endmodule
