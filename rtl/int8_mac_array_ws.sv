// int8_mac_array_ws: weight-stationary (WS) R x C systolic INT8 MAC array with its operand and
// result buffers; same ports as int8_mac_array (the OS array), so one harness drives both.
// Computes C[M x N] = A[M x K] * B[K x N] (int8 x int8, int32 accumulate, wrap-around) in
// ceil(K/R) * ceil(N/C) folds of exactly 2R + C + M - 2 cycles each, back to back: the contract of
// sim/task/array_timing.h (Dataflow::kWeightStationary).
//
// Microarchitecture
//   * Buffers (loaded by the host, one element per cycle, not timed): A banked by k (bank i holds
//     k % R == i, address (k / R) * MAX_M + m), B banked by column (bank j holds n % C == j,
//     address (n / C) * MAX_K + k), results banked by column (address m * NB + n / C).
//     Asynchronous reads (register-file style buffers).
//   * Fold (k0, n0) = rows k0 .. k0+R-1 of B, columns n0 .. n0+C-1:
//     - weight load, fold cycles 0 .. R-1: cycle w reads B row k0+R-1-w for all columns and shifts
//       it into the top PE row; weights shift down one PE per cycle, so after R cycles PE(i,j)
//       holds B[k0+i][n0+j] (k >= K or n >= N load a weight with valid = 0);
//     - stream, fold cycles R .. 2R+C+M-3 (stream cycle s = t - R): the feeder reads A[s][k0+i]
//       for every row i; row i passes i skew registers (enters i cycles late), then activations
//       move right one PE per cycle and partial sums move down one PE per cycle, so PE(i,j) adds
//       A[m][k0+i] * B[k0+i][n0+j] for m = s - i - j. The sum for (m, n0+j) leaves PE(R-1,j) in
//       stream cycle m + R - 1 + j; the last one (m = M-1, j = C-1) in fold cycle 2R + C + M - 3.
//     Hence 2R + C + M - 2 cycles per fold (R load + M + R + C - 2 stream); edge folds cost the same.
//   * Result drain: each column's bottom PE writes its finished partial sum straight into result
//     bank j (read-modify-write: the first k-fold (k0 == 0) stores, later k-folds accumulate), so no
//     read-out cycles are needed. Fold order: k-blocks inner, column blocks outer.
//   * Control and counting as int8_mac_array: start/cfg sampled on edge 0, done pulse and last
//     write on edge folds * (2R + C + M - 2); M, K or N == 0 gives done on edge 0.
// Operand isolation: operand registers load only valid data and invalid PEs do not multiply.
// Datapath state lives in (inlined) submodule instances int8_mac_pe_ws and skew_line rather than
// in generate blocks, whose variables Verilator 5.006 --coverage-toggle skips.
module int8_mac_array_ws #(
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
  localparam int KB = (MAX_K + R - 1) / R;  // k blocks
  localparam int NB = (MAX_N + C - 1) / C;  // column blocks
  localparam int A_DEPTH = KB * MAX_M;
  localparam int B_DEPTH = NB * MAX_K;
  localparam int C_DEPTH = MAX_M * NB;
  localparam int AAW = (A_DEPTH > 1) ? $clog2(A_DEPTH) : 1;
  localparam int BAW = (B_DEPTH > 1) ? $clog2(B_DEPTH) : 1;
  localparam int CAW = (C_DEPTH > 1) ? $clog2(C_DEPTH) : 1;
  localparam int TW = 18;  // fold cycle counter: 2R + C + MAX_M - 2 < 2^18

  assign rows  = 16'(R);
  assign cols  = 16'(C);
  assign cap_m = 16'(MAX_M);
  assign cap_k = 16'(MAX_K);
  assign cap_n = 16'(MAX_N);

  // ---------------------------------------------------------------- buffers
  logic signed [7:0] a_bank[R][A_DEPTH];
  logic signed [7:0] b_bank[C][B_DEPTH];
  logic signed [31:0] c_bank[C][C_DEPTH];

  always_ff @(posedge clk) begin
    if (a_we) a_bank[32'(a_k) % R][AAW'((32'(a_k) / R) * MAX_M + 32'(a_m))] <= a_wdata;
    if (b_we) b_bank[32'(b_n) % C][BAW'((32'(b_n) / C) * MAX_K + 32'(b_k))] <= b_wdata;
  end

  assign c_rdata = c_bank[32'(c_rd_n) % C][CAW'(32'(c_rd_m) * NB + 32'(c_rd_n) / C)];

  // ---------------------------------------------------------------- control
  logic run_q;
  logic [15:0] m_q, k_q, n_q;
  logic [15:0] k0_q, n0_q;  // first k / column of the current fold
  logic [15:0] kb_q, nb_q;  // fold block indices (k0 / R, n0 / C)
  logic [TW-1:0] t_q;  // cycle within the fold
  logic [TW-1:0] fold_len_q;  // 2R + C + M - 2

  wire fold_end = run_q && (t_q == fold_len_q - 1'b1);
  wire last_k_block = 32'(k0_q) + R >= 32'(k_q);
  wire last_col_block = 32'(n0_q) + C >= 32'(n_q);

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      run_q <= 1'b0;
      done <= 1'b0;
      m_q <= '0;
      k_q <= '0;
      n_q <= '0;
      k0_q <= '0;
      n0_q <= '0;
      kb_q <= '0;
      nb_q <= '0;
      t_q <= '0;
      fold_len_q <= '0;
    end else begin
      done <= 1'b0;
      if (!run_q) begin
        if (start) begin
          if (cfg_m == 0 || cfg_k == 0 || cfg_n == 0) begin
            done <= 1'b1;
          end else begin
            run_q <= 1'b1;
            m_q <= cfg_m;
            k_q <= cfg_k;
            n_q <= cfg_n;
            k0_q <= '0;
            n0_q <= '0;
            kb_q <= '0;
            nb_q <= '0;
            t_q <= '0;
            fold_len_q <= TW'(2 * R + C - 2) + TW'(cfg_m);
          end
        end
      end else if (fold_end) begin
        t_q <= '0;
        if (last_k_block) begin
          k0_q <= '0;
          kb_q <= '0;
          if (last_col_block) begin
            run_q <= 1'b0;
            done <= 1'b1;
          end else begin
            n0_q <= n0_q + 16'(C);
            nb_q <= nb_q + 1'b1;
          end
        end else begin
          k0_q <= k0_q + 16'(R);
          kb_q <= kb_q + 1'b1;
        end
      end else begin
        t_q <= t_q + 1'b1;
      end
    end
  end

  assign busy = run_q;

  wire load = run_q && (t_q < TW'(R));
  wire [TW-1:0] s = t_q - TW'(R);  // stream cycle (valid when !load)
  wire stream_v = run_q && !load && (s < TW'(m_q));

  // ---------------------------------------------------------------- weight load (top of columns)
  // Load cycle w = t reads B row k0 + R - 1 - w.
  wire [31:0] wk = 32'(k0_q) + R - 1 - 32'(t_q);
  wire [BAW-1:0] b_addr = load ? BAW'(32'(nb_q) * MAX_K + wk) : '0;

  logic signed [7:0] w_nth[R+1][C];  // weight shifting into PE(i,j) from above
  logic wv_nth[R+1][C];
  logic col_v[C];
  for (genvar j = 0; j < C; j++) begin : g_col_feed
    assign col_v[j] = 32'(n0_q) + j < 32'(n_q);
    wire v = load && col_v[j] && (wk < 32'(k_q));
    assign wv_nth[0][j] = v;
    assign w_nth[0][j] = v ? b_bank[j][b_addr] : 8'sd0;
  end

  // ---------------------------------------------------------------- activation feed (skewed rows)
  wire [AAW-1:0] a_addr = stream_v ? AAW'(32'(kb_q) * MAX_M + 32'(s)) : '0;
  logic signed [7:0] a_w[R][C+1];
  logic av_w[R][C+1], mv_w[R][C+1];  // operand valid, row-of-C (m) valid

  for (genvar i = 0; i < R; i++) begin : g_row_skew
    wire v = stream_v && (32'(k0_q) + i < 32'(k_q));
    wire signed [7:0] d = v ? a_bank[i][a_addr] : 8'sd0;
    if (i == 0) begin : g_direct
      assign a_w[i][0] = d;
      assign av_w[i][0] = v;
      assign mv_w[i][0] = stream_v;
    end else begin : g_delay
      skew_line #(
          .D (i),
          .PW(8),
          .TW(1)
      ) u_skew (
          .clk,
          .rst_n,
          .v_in (v),
          .p_in (d),
          .t_in (stream_v),
          .v_out(av_w[i][0]),
          .p_out(a_w[i][0]),
          .t_out(mv_w[i][0])
      );
    end
  end

  // ---------------------------------------------------------------- PE grid
  logic signed [31:0] ps_nth[R+1][C];  // partial sum entering PE(i,j) from above
  for (genvar j = 0; j < C; j++) begin : g_ps_top
    assign ps_nth[0][j] = 32'sd0;
  end
  logic signed [31:0] ps_next[R][C];

  for (genvar i = 0; i < R; i++) begin : g_pe_row
    for (genvar j = 0; j < C; j++) begin : g_pe
      int8_mac_pe_ws u_pe (
          .clk,
          .rst_n,
          .load,
          .w_in(w_nth[i][j]),
          .wv_in(wv_nth[i][j]),
          .a_in(a_w[i][j]),
          .av_in(av_w[i][j]),
          .mv_in(mv_w[i][j]),
          .ps_in(ps_nth[i][j]),
          .w_out(w_nth[i+1][j]),
          .wv_out(wv_nth[i+1][j]),
          .a_out(a_w[i][j+1]),
          .av_out(av_w[i][j+1]),
          .mv_out(mv_w[i][j+1]),
          .ps_next(ps_next[i][j]),
          .ps_out(ps_nth[i+1][j])
      );
    end
  end

  // ---------------------------------------------------------------- result drain (bottom row)
  for (genvar j = 0; j < C; j++) begin : g_drain
    // PE(R-1,j) holds row m = s - (R-1) - j of C this cycle.
    wire wr = mv_w[R-1][j] && col_v[j];
    wire [31:0] wr_m = 32'(s) - (R - 1) - j;
    wire [CAW-1:0] wr_addr = wr ? CAW'(wr_m * NB + 32'(nb_q)) : '0;
    wire signed [31:0] old = (k0_q == 0) ? 32'sd0 : c_bank[j][wr_addr];
    always_ff @(posedge clk) begin
      if (wr) c_bank[j][wr_addr] <= old + ps_next[R-1][j];
    end
  end

  logic unused;
  always_comb begin
    unused = 1'b0;
    for (int i = 0; i < R; i++) begin
      unused = unused ^ (^a_w[i][C]) ^ av_w[i][C] ^ mv_w[i][C];
    end
    for (int j = 0; j < C; j++) unused = unused ^ (^w_nth[R][j]) ^ wv_nth[R][j] ^ (^ps_nth[R][j]);
  end
endmodule
