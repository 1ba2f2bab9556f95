// int8_mac_array: output-stationary (OS) R x C systolic INT8 MAC array with its operand and
// result buffers. Computes one GEMM task C[M x N] = A[M x K] * B[K x N] (int8 x int8, int32
// accumulate, wrap-around on overflow) in ceil(M/R) * ceil(N/C) folds of exactly R + C + K - 2
// cycles each, back to back: the contract of sim/task/array_timing.h (Dataflow::kOutputStationary).
//
// Microarchitecture
//   * Operand buffers (loaded by the host through a_we/b_we, one element per cycle, not timed):
//     A is banked by row (bank i holds rows m with m % R == i; word address (m / R) * MAX_K + k),
//     B is banked by column (bank j holds columns n with n % C == j; address (n / C) * MAX_K + k),
//     so one read address per cycle yields the whole K-slice A[m0 .. m0+R-1][k] / B[k][n0 .. n0+C-1]
//     of the current fold. Reads are asynchronous (register-file / latch-array style buffer); an
//     SRAM version would issue the read one cycle earlier (prefetch on start / in the previous
//     fold's last cycle) and keep the same count.
//   * Skew: at fold cycle t (t = 0 .. K-1) the feeder reads slice k = t. Row i of A passes through
//     i skew registers (skew_line) before PE(i,0), column j of B through j registers before
//     PE(0,j): row i enters i cycles late, column j enters j cycles late.
//   * PE grid: PE(i,j) holds an int32 accumulator (the stationary output C[m0+i][n0+j]) and
//     forwards its A operand right and its B operand down through one register each, so it sees
//     the k-th operand pair at fold cycle k + i + j. The A operand carries valid/first/last flags
//     (first: k == 0 loads instead of accumulating; last: k == K-1), the B operand a valid flag;
//     out-of-range rows/columns of edge folds carry valid = 0 and hold their registers (operand
//     isolation: idle PEs do not toggle). The last MAC is PE(R-1,C-1) at cycle (K-1)+(R-1)+(C-1),
//     hence R + C + K - 2 cycles per fold; a partial edge fold costs the same.
//   * Result drain: in PE(i,j)'s last-MAC cycle its final sum is written straight into result
//     bank j (banked by column; at most one row of a column finishes per cycle, so one write port
//     per bank suffices) at address (m0 + i) * NB + n0 / C. The drain therefore overlaps the fold
//     and needs no read-out cycles; the host reads results through the asynchronous c_rd port.
//   * Control: IDLE -> (start) -> RUN. start and cfg_m/k/n are sampled on the same clock edge
//     (edge 0); fold cycle 0 is the cycle after it. The last write and the one-cycle `done` pulse
//     happen on edge folds * (R + C + K - 2), so counting edges from the start edge to the edge
//     that raises done gives exactly pjsim::ArrayCycles. A task with M, K or N == 0 raises done on
//     edge 0 (0 cycles). start is ignored while busy. M <= MAX_M, K <= MAX_K, N <= MAX_N required.
//   * K chunks accumulated in the array (one-fold tasks only, M <= R and N <= C; sampled with
//     start): cfg_keep adds the task onto the sums the PEs hold (its first operands carry no
//     `first` flag, so nothing reloads); cfg_hold leaves the task's sums in the PEs (its last
//     operands carry no `last` flag, so nothing drains) and raises done after K cycles, when its
//     last operands have entered the array; the operands still in the skew lines and PEs finish
//     their MACs while the next chunk streams in behind them. A chain of chunks (hold, keep+hold,
//     ..., keep) therefore takes the single pass over the whole K, R + C - 2 + sum of the chunks'
//     K: pjsim::ArrayCycles with keeps_sums for every chunk but the last.
// Geometry outputs (rows, cols, cap_*) let a harness check the parameters it was built with.
// Datapath state lives in (inlined) submodule instances int8_mac_pe and skew_line rather than in
// generate blocks, whose variables Verilator 5.006 --coverage-toggle skips.
module int8_mac_array #(
    parameter int R = 4,
    parameter int C = 4,
    parameter int MAX_M = 32,
    parameter int MAX_K = 64,
    parameter int MAX_N = 32
) (
    input  logic               clk,
    input  logic               rst_n,
    // Operand buffer load ports.
    input  logic               a_we,
    input  logic        [15:0] a_m,
    input  logic        [15:0] a_k,
    input  logic signed [ 7:0] a_wdata,
    input  logic               b_we,
    input  logic        [15:0] b_k,
    input  logic        [15:0] b_n,
    input  logic signed [ 7:0] b_wdata,
    // Task control.
    input  logic               start,
    input  logic        [15:0] cfg_m,
    input  logic        [15:0] cfg_k,
    input  logic        [15:0] cfg_n,
    input  logic               cfg_keep,
    input  logic               cfg_hold,
    output logic               busy,
    output logic               done,
    // Result read port (asynchronous).
    input  logic        [15:0] c_rd_m,
    input  logic        [15:0] c_rd_n,
    output logic signed [31:0] c_rdata,
    // Geometry.
    output logic        [15:0] rows,
    output logic        [15:0] cols,
    output logic        [15:0] cap_m,
    output logic        [15:0] cap_k,
    output logic        [15:0] cap_n
);
  localparam int MB = (MAX_M + R - 1) / R;  // row blocks
  localparam int NB = (MAX_N + C - 1) / C;  // column blocks
  localparam int A_DEPTH = MB * MAX_K;
  localparam int B_DEPTH = NB * MAX_K;
  localparam int C_DEPTH = MB * R * NB;
  localparam int AAW = (A_DEPTH > 1) ? $clog2(A_DEPTH) : 1;
  localparam int BAW = (B_DEPTH > 1) ? $clog2(B_DEPTH) : 1;
  localparam int CAW = (C_DEPTH > 1) ? $clog2(C_DEPTH) : 1;
  localparam int TW = 17;  // fold cycle counter: R + C + MAX_K - 2 < 2^17

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
    if (a_we) a_bank[32'(a_m) % R][AAW'((32'(a_m) / R) * MAX_K + 32'(a_k))] <= a_wdata;
    if (b_we) b_bank[32'(b_n) % C][BAW'((32'(b_n) / C) * MAX_K + 32'(b_k))] <= b_wdata;
  end

  assign c_rdata = c_bank[32'(c_rd_n) % C][CAW'(32'(c_rd_m) * NB + 32'(c_rd_n) / C)];

  // ---------------------------------------------------------------- control
  logic run_q;
  logic [15:0] m_q, k_q, n_q;  // task shape
  logic [15:0] m0_q, n0_q;  // first row / column of the current fold
  logic [15:0] mb_q, nb_q;  // fold block indices (m0 / R, n0 / C)
  logic [TW-1:0] t_q;  // cycle within the fold
  logic [TW-1:0] fold_len_q;  // R + C + K - 2, or K when the sums stay in the array
  logic keep_q, hold_q;  // the task continues / leaves the sums in the PEs

  wire fold_end = run_q && (t_q == fold_len_q - 1'b1);
  wire last_col_block = 32'(n0_q) + C >= 32'(n_q);
  wire last_row_block = 32'(m0_q) + R >= 32'(m_q);

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      run_q <= 1'b0;
      done <= 1'b0;
      m_q <= '0;
      k_q <= '0;
      n_q <= '0;
      m0_q <= '0;
      n0_q <= '0;
      mb_q <= '0;
      nb_q <= '0;
      t_q <= '0;
      fold_len_q <= '0;
      keep_q <= 1'b0;
      hold_q <= 1'b0;
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
            m0_q <= '0;
            n0_q <= '0;
            mb_q <= '0;
            nb_q <= '0;
            t_q <= '0;
            fold_len_q <= (cfg_hold ? '0 : TW'(R + C - 2)) + TW'(cfg_k);
            keep_q <= cfg_keep;
            hold_q <= cfg_hold;
          end
        end
      end else if (fold_end) begin
        t_q <= '0;
        if (last_col_block) begin
          n0_q <= '0;
          nb_q <= '0;
          if (last_row_block) begin
            run_q <= 1'b0;
            done <= 1'b1;
          end else begin
            m0_q <= m0_q + 16'(R);
            mb_q <= mb_q + 1'b1;
          end
        end else begin
          n0_q <= n0_q + 16'(C);
          nb_q <= nb_q + 1'b1;
        end
      end else begin
        t_q <= t_q + 1'b1;
      end
    end
  end

  assign busy = run_q;

  // ---------------------------------------------------------------- feeder (k = t)
  wire feed_v = run_q && (t_q < TW'(k_q));
  wire [AAW-1:0] a_addr = feed_v ? AAW'(32'(mb_q) * MAX_K + 32'(t_q)) : '0;
  wire [BAW-1:0] b_addr = feed_v ? BAW'(32'(nb_q) * MAX_K + 32'(t_q)) : '0;
  wire feed_first = (t_q == 0) && !keep_q;
  wire feed_last = (t_q == TW'(k_q) - 1'b1) && !hold_q;

  // Operand/flag wires at each PE's west (A) and north (B) inputs. The A payload carries the
  // first/last flags with the operand; payloads are only meaningful while their valid bit is set.
  logic signed [7:0] a_w[R][C+1];
  logic av_w[R][C+1], first_w[R][C+1], last_w[R][C+1];
  logic signed [7:0] b_nth[R+1][C];
  logic bv_nth[R+1][C];

  // Row i: valid if the row exists in this fold; i skew stages.
  for (genvar i = 0; i < R; i++) begin : g_row_skew
    wire v = feed_v && (32'(m0_q) + i < 32'(m_q));
    wire signed [7:0] d = v ? a_bank[i][a_addr] : 8'sd0;
    if (i == 0) begin : g_direct
      assign a_w[i][0] = d;
      assign av_w[i][0] = v;
      assign first_w[i][0] = feed_first;
      assign last_w[i][0] = feed_last;
    end else begin : g_delay
      logic unused_tag;
      skew_line #(
          .D (i),
          .PW(10),
          .TW(1)
      ) u_skew (
          .clk,
          .rst_n,
          .v_in (v),
          .p_in ({feed_first, feed_last, d}),
          .t_in (1'b0),
          .v_out(av_w[i][0]),
          .p_out({first_w[i][0], last_w[i][0], a_w[i][0]}),
          .t_out(unused_tag)
      );
    end
  end

  // Column j: valid if the column exists in this fold; j skew stages.
  for (genvar j = 0; j < C; j++) begin : g_col_skew
    wire v = feed_v && (32'(n0_q) + j < 32'(n_q));
    wire signed [7:0] d = v ? b_bank[j][b_addr] : 8'sd0;
    if (j == 0) begin : g_direct
      assign b_nth[0][j] = d;
      assign bv_nth[0][j] = v;
    end else begin : g_delay
      logic unused_tag;
      skew_line #(
          .D (j),
          .PW(8),
          .TW(1)
      ) u_skew (
          .clk,
          .rst_n,
          .v_in (v),
          .p_in (d),
          .t_in (1'b0),
          .v_out(bv_nth[0][j]),
          .p_out(b_nth[0][j]),
          .t_out(unused_tag)
      );
    end
  end

  // ---------------------------------------------------------------- PE grid
  logic signed [31:0] sum_next[R][C];  // final sum of a PE in its last-MAC cycle
  logic fin[R][C];  // PE does its last MAC this cycle

  for (genvar i = 0; i < R; i++) begin : g_pe_row
    for (genvar j = 0; j < C; j++) begin : g_pe
      int8_mac_pe u_pe (
          .clk,
          .rst_n,
          .a_in(a_w[i][j]),
          .av_in(av_w[i][j]),
          .first_in(first_w[i][j]),
          .last_in(last_w[i][j]),
          .b_in(b_nth[i][j]),
          .bv_in(bv_nth[i][j]),
          .a_out(a_w[i][j+1]),
          .av_out(av_w[i][j+1]),
          .first_out(first_w[i][j+1]),
          .last_out(last_w[i][j+1]),
          .b_out(b_nth[i+1][j]),
          .bv_out(bv_nth[i+1][j]),
          .fin(fin[i][j]),
          .sum(sum_next[i][j])
      );
    end
  end

  // ---------------------------------------------------------------- result drain
  // At most one PE per column finishes in a cycle (row i finishes at fold cycle K-1+i+j).
  for (genvar j = 0; j < C; j++) begin : g_drain
    logic wr;
    logic [CAW-1:0] wr_addr;
    logic signed [31:0] wr_data;
    always_comb begin
      wr = 1'b0;
      wr_addr = '0;
      wr_data = '0;
      for (int i = 0; i < R; i++) begin
        if (fin[i][j]) begin
          wr = 1'b1;
          wr_addr = CAW'((32'(m0_q) + i) * NB + 32'(nb_q));
          wr_data = sum_next[i][j];
        end
      end
    end
    always_ff @(posedge clk) begin
      if (wr) c_bank[j][wr_addr] <= wr_data;
    end
  end

  // Unused PE outputs at the east and south edges.
  logic unused;
  always_comb begin
    unused = 1'b0;
    for (int i = 0; i < R; i++) begin
      unused = unused ^ (^a_w[i][C]) ^ av_w[i][C] ^ first_w[i][C] ^ last_w[i][C];
    end
    for (int j = 0; j < C; j++) unused = unused ^ (^b_nth[R][j]) ^ bv_nth[R][j];
  end
endmodule
