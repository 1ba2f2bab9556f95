// ternary_dot: W-lane ternary dot-product unit (BitNet b1.58 style: int8 activations x weights in
// {-1, 0, +1}). One task computes `rows` dot products y[r] = sum_{k<K} x[k] * w[r][k] (a ternary
// GEMV: the activation vector is shared by all rows), int32 accumulate, wrap-around on overflow.
// Exact cycle count: pjsim::TernaryDotCycles (sim/task/ternary_dot_timing.h):
//   rows * ceil(K / W) + ceil(log2 W) + 1     (0 if K == 0 or rows == 0)
//
// Weight encoding (2 bits per weight, 4 weights per byte): bit 0 = nonzero, bit 1 = negative.
//   2'b00 -> 0,  2'b01 -> +1,  2'b11 -> -1,  2'b10 -> 0 (reserved; treated as zero).
// The nonzero bit is the lane's gate enable, so the encoding needs no decoder.
//
// Microarchitecture (one beat = W consecutive k of one row per cycle, beats back to back)
//   * Buffers (loaded by the host through x_we / w_we, not timed): x is stored as beats of W lanes
//     (element k -> beat k / W, lane k % W), written one activation per cycle; w as rows of packed
//     beats (2W bits, address row * XB + beat), written one beat per cycle. Reads are asynchronous
//     (register-file style).
//   * Issue (cycle c): the controller walks rows r = 0 .. rows-1 and beats b = 0 .. ceil(K/W)-1
//     in consecutive cycles. Lanes with k >= K in the last beat of a row are masked as zero weights.
//   * Lane stage (edge c+1): lane l computes +/- x (9-bit two's complement: -(-128) = +128 fits)
//     into its lane register only when its weight is nonzero (load enable = nonzero bit, i.e. a
//     clock-gated register); a zero-weight lane keeps its register and its 1-bit nz flag forces the
//     adder-tree input to 0 through an AND gate (operand isolation): across zero weights the lane
//     register and the negate/select logic do not toggle and the adder input stays at 0.
//   * Adder tree: ceil(log2 W) registered levels of 2-input adders (lanes padded to a power of
//     two with constant zeros), node width 9 + levels bits (no overflow inside the tree).
//   * Accumulate (edge c+2+levels): acc = (first beat of row ? 0 : acc) + tree sum; on the last
//     beat of a row the sum is written to y[r]. The last beat of the last row is issued in cycle
//     rows*ceil(K/W) - 1, so its accumulate, the final y write and the one-cycle `done` pulse land
//     on edge rows*ceil(K/W) + levels + 1 (start and cfg_* sampled on edge 0).
//   * Activity: nz_lanes counts the lane-beats with a nonzero weight in the last task (= adds
//     performed, what the energy model charges per nonzero weight); lane_nz_count[lane_rd] is the
//     same count per lane (observation counters, not needed by the datapath). Both reset on start.
// start is ignored while busy. K <= MAX_K, rows <= MAX_ROWS required.
// Datapath state lives in (inlined) submodule instances ternary_lane and ternary_add rather than
// in generate blocks, whose variables Verilator 5.006 --coverage-toggle skips.
module ternary_dot #(
    parameter int W = 8,
    parameter int MAX_K = 256,
    parameter int MAX_ROWS = 16
) (
    input  logic               clk,
    input  logic               rst_n,
    // Buffer load ports.
    input  logic               x_we,
    input  logic        [15:0] x_k,
    input  logic signed [ 7:0] x_wdata,
    input  logic               w_we,
    input  logic        [15:0] w_row,
    input  logic        [15:0] w_beat,
    input  logic [2*W-1:0]     w_word,  // lane l = bits [2l+1:2l] = weight k = w_beat * W + l
    // Task control.
    input  logic               start,
    input  logic        [15:0] cfg_k,
    input  logic        [15:0] cfg_rows,
    output logic               busy,
    output logic               done,
    // Result read port (asynchronous) and activity.
    input  logic        [15:0] y_rd_row,
    output logic signed [31:0] y_rdata,
    output logic        [31:0] nz_lanes,
    input  logic        [15:0] lane_rd,
    output logic        [31:0] lane_nz_count,  // nonzero-weight beats of lane lane_rd (last task)
    // Geometry.
    output logic        [15:0] lanes,
    output logic        [15:0] levels,
    output logic        [15:0] cap_k,
    output logic        [15:0] cap_rows
);
  localparam int L = (W > 1) ? $clog2(W) : 0;  // adder tree levels
  localparam int P = 1 << L;  // lanes padded to a power of two
  localparam int XB = (MAX_K + W - 1) / W;  // beats per row
  localparam int W_DEPTH = MAX_ROWS * XB;
  localparam int XAW = (XB > 1) ? $clog2(XB) : 1;
  localparam int WAW = (W_DEPTH > 1) ? $clog2(W_DEPTH) : 1;
  localparam int YAW = (MAX_ROWS > 1) ? $clog2(MAX_ROWS) : 1;
  localparam int NW = 9 + L;  // tree node width
  localparam int CW = (W > 1) ? $clog2(W + 1) : 1;  // popcount width

  assign lanes = 16'(W);
  assign levels = 16'(L);
  assign cap_k = 16'(MAX_K);
  assign cap_rows = 16'(MAX_ROWS);

  // ---------------------------------------------------------------- buffers
  logic signed [7:0] x_mem[XB][W];
  logic [1:0] w_mem[W_DEPTH][W];
  logic signed [31:0] y_mem[MAX_ROWS];

  always_ff @(posedge clk) begin
    if (x_we) x_mem[XAW'(32'(x_k) / W)][32'(x_k) % W] <= x_wdata;
    if (w_we) begin
      for (int l = 0; l < W; l++) w_mem[WAW'(32'(w_row) * XB + 32'(w_beat))][l] <= w_word[2*l+:2];
    end
  end

  assign y_rdata = y_mem[YAW'(32'(y_rd_row) % MAX_ROWS)];

  // ---------------------------------------------------------------- control / issue
  logic run_q;  // issuing beats
  logic busy_q;  // from the accepted start to done (covers the pipeline drain)
  logic [15:0] k_q, rows_q;
  logic [15:0] row_q;  // current row
  logic [15:0] beat_q;  // current beat within the row
  logic [16:0] k0_q;  // first k of the current beat

  wire last_beat = (k0_q + 17'(W) >= 17'(k_q));
  wire last_row = (row_q + 1'b1 == rows_q);

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      run_q <= 1'b0;
      k_q <= '0;
      rows_q <= '0;
      row_q <= '0;
      beat_q <= '0;
      k0_q <= '0;
    end else if (!busy_q) begin
      if (start && cfg_k != 0 && cfg_rows != 0) begin
        run_q <= 1'b1;
        k_q <= cfg_k;
        rows_q <= cfg_rows;
        row_q <= '0;
        beat_q <= '0;
        k0_q <= '0;
      end
    end else if (!run_q) begin
      // Draining the pipeline: nothing to issue.
    end else if (last_beat) begin
      beat_q <= '0;
      k0_q <= '0;
      row_q <= row_q + 1'b1;
      if (last_row) run_q <= 1'b0;
    end else begin
      beat_q <= beat_q + 1'b1;
      k0_q <= k0_q + 17'(W);
    end
  end

  assign busy = busy_q;
  wire accept = start && !busy_q;

  wire [XAW-1:0] x_addr = run_q ? XAW'(beat_q) : '0;
  wire [WAW-1:0] w_addr = run_q ? WAW'(32'(row_q) * XB + 32'(beat_q)) : '0;
  logic [W-1:0] lane_nz;  // issue-cycle gate enables
  logic [W-1:0] lane_neg;
  for (genvar l = 0; l < W; l++) begin : g_issue
    assign lane_nz[l] = run_q && (k0_q + 17'(l) < 17'(k_q)) && w_mem[w_addr][l][0];
    assign lane_neg[l] = w_mem[w_addr][l][1];
  end

  // ---------------------------------------------------------------- pipeline flags
  // Stage s = 0 is the lane register, s = 1 .. L the tree levels; the accumulate follows stage L.
  logic s_v[L+1], s_first[L+1], s_last[L+1], s_end[L+1];
  logic [15:0] s_row[L+1];
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      for (int s = 0; s <= L; s++) begin
        s_v[s] <= 1'b0;
        s_first[s] <= 1'b0;
        s_last[s] <= 1'b0;
        s_end[s] <= 1'b0;
        s_row[s] <= '0;
      end
    end else begin
      s_v[0] <= run_q;
      s_first[0] <= run_q && beat_q == 0;
      s_last[0] <= run_q && last_beat;
      s_end[0] <= run_q && last_beat && last_row;
      if (run_q) s_row[0] <= row_q;
      for (int s = 1; s <= L; s++) begin
        s_v[s] <= s_v[s-1];
        s_first[s] <= s_first[s-1];
        s_last[s] <= s_last[s-1];
        s_end[s] <= s_end[s-1];
        if (s_v[s-1]) s_row[s] <= s_row[s-1];
      end
    end
  end

  // ---------------------------------------------------------------- lane stage (zero-skip)
  logic signed [NW-1:0] node[L+1][P];  // node[0] = gated lane outputs, node[l] = tree level l
  logic signed [8:0] lane_y[W];  // adder-tree inputs
  for (genvar l = 0; l < P; l++) begin : g_lane
    if (l < W) begin : g_real
      ternary_lane u_lane (
          .clk,
          .rst_n,
          .en (lane_nz[l]),
          .neg(lane_neg[l]),
          .x  (x_mem[x_addr][l]),
          .y  (lane_y[l])
      );
      assign node[0][l] = NW'(lane_y[l]);
    end else begin : g_pad
      assign node[0][l] = '0;
    end
  end

  // ---------------------------------------------------------------- adder tree
  for (genvar lv = 1; lv <= L; lv++) begin : g_level
    for (genvar p = 0; p < (P >> lv); p++) begin : g_add
      ternary_add #(
          .NW(NW)
      ) u_add (
          .clk,
          .rst_n,
          .en (s_v[lv-1]),
          .a  (node[lv-1][2*p]),
          .b  (node[lv-1][2*p+1]),
          .sum(node[lv][p])
      );
    end
    for (genvar p = (P >> lv); p < P; p++) begin : g_none
      assign node[lv][p] = '0;
    end
  end

  // ---------------------------------------------------------------- accumulate, write, done
  logic signed [31:0] acc_q;
  wire signed [31:0] acc_next = (s_first[L] ? 32'sd0 : acc_q) + 32'(node[L][0]);
  logic [31:0] nz_q;
  logic [CW-1:0] nz_beat;
  always_comb begin
    nz_beat = '0;
    for (int l = 0; l < W; l++) nz_beat = nz_beat + CW'(lane_nz[l]);
  end

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      acc_q <= '0;
      done <= 1'b0;
      busy_q <= 1'b0;
      nz_q <= '0;
    end else begin
      done <= s_v[L] && s_end[L];
      if (s_v[L]) acc_q <= acc_next;
      if (accept) nz_q <= '0;
      else nz_q <= nz_q + 32'(nz_beat);
      if (accept && cfg_k != 0 && cfg_rows != 0) busy_q <= 1'b1;
      else if (s_v[L] && s_end[L]) busy_q <= 1'b0;
      // An empty task completes on the start edge.
      if (accept && (cfg_k == 0 || cfg_rows == 0)) done <= 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (s_v[L] && s_last[L]) y_mem[YAW'(s_row[L])] <= acc_next;
  end

  assign nz_lanes = nz_q;

  logic [31:0] lane_cnt_q[W];
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      for (int l = 0; l < W; l++) lane_cnt_q[l] <= '0;
    end else begin
      for (int l = 0; l < W; l++) begin
        if (accept) lane_cnt_q[l] <= '0;
        else if (lane_nz[l]) lane_cnt_q[l] <= lane_cnt_q[l] + 1'b1;
      end
    end
  end
  assign lane_nz_count = lane_cnt_q[32'(lane_rd) % W];

  logic unused;
  always_comb begin
    unused = 1'b0;
    for (int lv = 0; lv <= L; lv++) begin
      for (int p = 0; p < P; p++) if (p > 0 || lv < L) unused = unused ^ (^node[lv][p]);
    end
  end
endmodule
