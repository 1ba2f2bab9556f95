// fp_mul_suite: every floating-point multiplier variant side by side, so the cross-checks and the
// activity measurements verilate (and compile) one model instead of ten. Each L-Mul instance
// (rtl/lmul.sv) has a conventional twin (rtl/fp_mul.sv) of the same format on the same operands:
//   fp8 (operands a8, b8):  e4m3fn (OCP E4M3, FN specials, bias 7), e5m2 (OCP E5M2, bias 15),
//                           e3m4 (m = 4, IEEE specials, bias 3), e4m3 (IEEE specials, bias 7);
//   bf16 (operands a16, b16).
// Purely combinational; instances are inlined, so toggle coverage counts each one separately
// (top.fp_mul_suite.u_<kind>_<format>).
module fp_mul_suite (
    input  logic [ 7:0] a8,
    input  logic [ 7:0] b8,
    input  logic [15:0] a16,
    input  logic [15:0] b16,
    output logic [ 7:0] lmul_e4m3fn,
    output logic [ 7:0] lmul_e5m2,
    output logic [ 7:0] lmul_e3m4,
    output logic [ 7:0] lmul_e4m3,
    output logic [15:0] lmul_bf16,
    output logic [ 7:0] mul_e4m3fn,
    output logic [ 7:0] mul_e5m2,
    output logic [ 7:0] mul_e3m4,
    output logic [ 7:0] mul_e4m3,
    output logic [15:0] mul_bf16
);
  lmul #(.E(4), .M(3), .BIAS(7), .FN(1)) u_lmul_e4m3fn (.a(a8), .b(b8), .p(lmul_e4m3fn));
  lmul #(.E(5), .M(2), .BIAS(15), .FN(0)) u_lmul_e5m2 (.a(a8), .b(b8), .p(lmul_e5m2));
  lmul #(.E(3), .M(4), .BIAS(3), .FN(0)) u_lmul_e3m4 (.a(a8), .b(b8), .p(lmul_e3m4));
  lmul #(.E(4), .M(3), .BIAS(7), .FN(0)) u_lmul_e4m3 (.a(a8), .b(b8), .p(lmul_e4m3));
  lmul #(.E(8), .M(7), .BIAS(127), .FN(0)) u_lmul_bf16 (.a(a16), .b(b16), .p(lmul_bf16));
  fp_mul #(.E(4), .M(3), .BIAS(7), .FN(1)) u_mul_e4m3fn (.a(a8), .b(b8), .p(mul_e4m3fn));
  fp_mul #(.E(5), .M(2), .BIAS(15), .FN(0)) u_mul_e5m2 (.a(a8), .b(b8), .p(mul_e5m2));
  fp_mul #(.E(3), .M(4), .BIAS(3), .FN(0)) u_mul_e3m4 (.a(a8), .b(b8), .p(mul_e3m4));
  fp_mul #(.E(4), .M(3), .BIAS(7), .FN(0)) u_mul_e4m3 (.a(a8), .b(b8), .p(mul_e4m3));
  fp_mul #(.E(8), .M(7), .BIAS(127), .FN(0)) u_mul_bf16 (.a(a16), .b(b16), .p(mul_bf16));
endmodule
