// fp_unpack: operand decode shared by rtl/lmul.sv and rtl/fp_mul.sv. Splits sign | exponent (E
// bits) | mantissa (M bits) and classifies the operand as sim/numerics/float_format.h does:
//   field_zero  exponent field 0 (zero or subnormal);
//   nan         FN = 1 (OCP "FN"): only S.1..1.1..1;  FN = 0 (IEEE): all-ones field, mantissa != 0;
//   inf         FN = 0 only: all-ones field, mantissa 0.
// Pure wiring and three comparators; inlined into its parent.
module fp_unpack #(
    parameter int E = 4,
    parameter int M = 3,
    parameter int FN = 1,
    localparam int W = 1 + E + M
) (
    input  logic [  W-1:0] x,
    output logic           sign,
    output logic [E+M-1:0] mag,
    output logic [  E-1:0] field,
    output logic [  M-1:0] man,
    output logic           field_zero,
    output logic           nan,
    output logic           inf
);
  /*verilator inline_module*/
  assign sign = x[W-1];
  assign mag = x[E+M-1:0];
  assign field = x[E+M-1:M];
  assign man = x[M-1:0];
  assign field_zero = field == '0;
  wire top = field == '1;
  assign nan = (FN != 0) ? (mag == '1) : (top && man != '0);
  assign inf = (FN == 0) && top && man == '0;
endmodule
