// int8_mac_array_is: input-stationary (IS) R x C systolic INT8 MAC array with its operand and
// result buffers; same ports as int8_mac_array (the OS array), so one harness drives all three.
// Computes C[M x N] = A[M x K] * B[K x N] (int8 x int8, int32 accumulate, wrap-around) in
// ceil(K/R) * ceil(M/C) folds of exactly 2R + C + N - 2 cycles each, back to back: the contract of
// sim/task/array_timing.h (Dataflow::kInputStationary).
//
// Input-stationary is weight-stationary with the operand roles swapped (SCALE-Sim: stationary
// block K x M, T = N streamed vectors): C^T[N x M] = B^T[N x K] * A^T[K x M], with the inputs A^T
// held in the PEs and the weights B^T streamed through. So this kernel is int8_mac_array_ws (its
// PE int8_mac_pe_ws, skew lines, buffers and control) with the ports rewired:
//   * the WS array's stationary operand buffer holds A^T: PE(i,j) of fold (k0, m0) holds
//     A[m0+j][k0+i], loaded in R cycles (the WS weight load);
//   * its streamed operand buffer holds B^T: stream cycle s feeds B[k0+i][s] into row i, skewed;
//     partial sums move down and column j drains C[m0+j][s - (R-1) - j] into the result buffer;
//   * fold (k0, m0): R load + N + R + C - 2 stream cycles = 2R + C + N - 2 (WS with M' = N);
//     k-blocks inner, column blocks of M outer; K-fold partial sums accumulate in the result buffer.
// Capacities: MAX_M here is the WS array's column capacity, MAX_N its stream capacity.
module int8_mac_array_is #(
    parameter int R = 4,
    parameter int C = 4,
    parameter int MAX_M = 32,
    parameter int MAX_K = 64,
    parameter int MAX_N = 32
) (
    input  logic               clk,
    input  logic               rst_n,
    input  logic               a_we,
    input  logic        [15:0] a_m,
    input  logic        [15:0] a_k,
    input  logic signed [ 7:0] a_wdata,
    input  logic               b_we,
    input  logic        [15:0] b_k,
    input  logic        [15:0] b_n,
    input  logic signed [ 7:0] b_wdata,
    input  logic               start,
    input  logic        [15:0] cfg_m,
    input  logic        [15:0] cfg_k,
    input  logic        [15:0] cfg_n,
    output logic               busy,
    output logic               done,
    input  logic        [15:0] c_rd_m,
    input  logic        [15:0] c_rd_n,
    output logic signed [31:0] c_rdata,
    output logic        [15:0] rows,
    output logic        [15:0] cols,
    output logic        [15:0] cap_m,
    output logic        [15:0] cap_k,
    output logic        [15:0] cap_n
);
  logic [15:0] ws_cap_m, ws_cap_n;

  // WS names: A' = B^T (N x K, streamed), B' = A^T (K x M, stationary), C' = C^T (N x M).
  int8_mac_array_ws #(
      .R(R),
      .C(C),
      .MAX_M(MAX_N),
      .MAX_K(MAX_K),
      .MAX_N(MAX_M)
  ) u_ws (
      .clk,
      .rst_n,
      .a_we(b_we),
      .a_m(b_n),
      .a_k(b_k),
      .a_wdata(b_wdata),
      .b_we(a_we),
      .b_k(a_k),
      .b_n(a_m),
      .b_wdata(a_wdata),
      .start,
      .cfg_m(cfg_n),
      .cfg_k(cfg_k),
      .cfg_n(cfg_m),
      .busy,
      .done,
      .c_rd_m(c_rd_n),
      .c_rd_n(c_rd_m),
      .c_rdata,
      .rows,
      .cols,
      .cap_m(ws_cap_n),
      .cap_k,
      .cap_n(ws_cap_m)
  );

  assign cap_m = ws_cap_m;
  assign cap_n = ws_cap_n;
endmodule
