// lif_unit: event-driven leaky integrate-and-fire update unit for up to N_MAX neurons, bit-exact to
// pjsim::numerics::LifNeuron::Step (sim/numerics/lif.h) with I = the ACC-bit wrapped sum of the
// timestep's event weights. One `start` runs one timestep. Exact cycle count:
// pjsim::LifTimestepCycles (sim/task/lif_timing.h):
//   cycles = E + ceil(N / U) + 3        (0 if N == 0)
// E = events queued at the start edge, N = cfg_n neurons, U = update lanes.
//
// Interfaces
//   * Spike/weighted-input queue (ev_push, ev_neuron, ev_weight; ev_count): a FIFO of Q synaptic
//     events (target neuron, signed WW-bit weight: the weight a presynaptic spike delivers, already
//     fetched). Pushes are accepted while idle and not full, one per cycle (not timed).
//   * Membrane state: U banks of lif_sram (1R1W, synchronous read), neuron n in bank n % U at row
//     n / U (U a power of two). The host reaches it while idle: mem_we/mem_waddr/mem_wdata writes
//     v[mem_waddr] (SB-bit value in range), mem_re/mem_raddr reads v[mem_raddr] into mem_rdata
//     (sign-extended) on the next cycle, like any SRAM.
//   * Input currents: U banks of lif_sram (ACC bits) with one `touched` bit per neuron (flops): a
//     neuron without an event this timestep has I = 0, so the currents never need clearing.
//   * Configuration, sampled with start: cfg_n, leak mode / shift / beta_num / beta_frac, theta,
//     reset (soft/hard), max spike level (1 .. LEVELS), signed spikes. The unit precomputes
//     thr[j] = j * theta, j = 1 .. LEVELS (constant multiplies) on the start edge.
//   * Spike output: after each update write edge, sp_valid, sp_row, sp_mask (lanes holding a
//     neuron < N) and sp_level (signed 8-bit level per lane; neuron sp_row * U + lane). Counters
//     (reset on start): spike_count (nonzero spikes), event_count (events integrated).
//
// Microarchitecture and timing (start and cfg sampled on edge 0)
//   * Integrate phase: edges 1 .. E pop one event each and issue its read-modify-write through
//     lif_accumulate (read on the issue edge, add with forwarding, write on the next edge). Events
//     for neurons >= N are dropped (they still take their cycle). Edge E+1 writes the last event
//     and switches to the update phase (the one-cycle integrate drain).
//   * Update phase: row r (neurons rU .. rU+U-1) is read on edge E+2+r from the membrane and
//     current banks (and its touched bits are read and cleared), leaked and registered on the next
//     edge (lif_lane stage A), then integrated, saturated, fired, reset and written back on the
//     edge after (stage B): one row per cycle, pipelined. The last row writes on edge
//     E + 2 + (ceil(N/U) - 1) + 2 = E + ceil(N/U) + 3, which also raises the one-cycle `done`.
//   * N == 0: done on edge 0 and the queue is left as it is. start is ignored while busy.
// Requirements: N <= N_MAX, events' neuron indices < 2^16, max level in 1 .. LEVELS, theta in
// 1 .. 2^(SB-1)-1, beta_num <= 2^beta_frac, beta_frac <= 30, leak_shift in 1 .. 31 (lif.h ranges).
// Datapath state lives in (inlined) submodules (lif_accumulate, lif_lane, lif_sram), not in
// generate blocks, whose variables Verilator 5.006 --coverage-toggle skips.
module lif_unit #(
    parameter int N_MAX = 64,  // neurons
    parameter int U = 1,  // update lanes (power of two)
    parameter int SB = 16,  // membrane state bits
    parameter int WW = 8,  // event weight bits
    parameter int ACC = 16,  // input-current bits (>= WW)
    parameter int Q = 256,  // event queue depth
    parameter int LEVELS = 1  // max spike level supported (comparator ladder length)
) (
    input  logic                clk,
    input  logic                rst_n,
    // Event queue.
    input  logic                ev_push,
    input  logic         [15:0] ev_neuron,
    input  logic signed [WW-1:0] ev_weight,
    output logic         [15:0] ev_count,
    // Membrane host port (idle only).
    input  logic                mem_we,
    input  logic         [15:0] mem_waddr,
    input  logic         [31:0] mem_wdata,
    input  logic                mem_re,
    input  logic         [15:0] mem_raddr,
    output logic         [31:0] mem_rdata,
    // Timestep control and configuration.
    input  logic                start,
    input  logic         [15:0] cfg_n,
    input  logic         [ 1:0] cfg_leak,  // 0 none, 1 shift, 2 multiply
    input  logic         [ 4:0] cfg_leak_shift,
    input  logic         [30:0] cfg_beta_num,
    input  logic         [ 4:0] cfg_beta_frac,
    input  logic         [31:0] cfg_theta,
    input  logic                cfg_soft_reset,
    input  logic         [ 7:0] cfg_max_level,
    input  logic                cfg_signed_spikes,
    output logic                busy,
    output logic                done,
    // Spike output (one row of U lanes per cycle) and counters.
    output logic                sp_valid,
    output logic         [15:0] sp_row,
    output logic        [U-1:0] sp_mask,
    output logic      [8*U-1:0] sp_level,
    output logic         [31:0] spike_count,
    output logic         [31:0] event_count,
    // Geometry.
    output logic         [15:0] lanes,
    output logic         [15:0] cap_n,
    output logic         [15:0] cap_q,
    output logic         [15:0] state_bits,
    output logic         [15:0] weight_bits,
    output logic         [15:0] acc_bits,
    output logic         [15:0] levels
);
  localparam int NR = (N_MAX + U - 1) / U;  // rows per bank
  localparam int RAW = (NR > 1) ? $clog2(NR) : 1;
  localparam int QAW = (Q > 1) ? $clog2(Q) : 1;
  localparam int LVB = $clog2(LEVELS + 1);
  localparam int TW = SB - 1 + LVB;  // thr[j] = j * theta < LEVELS * 2^(SB-1)
  localparam int LW = LVB + 1;  // signed spike level

  assign lanes = 16'(U);
  assign cap_n = 16'(N_MAX);
  assign cap_q = 16'(Q);
  assign state_bits = 16'(SB);
  assign weight_bits = 16'(WW);
  assign acc_bits = 16'(ACC);
  assign levels = 16'(LEVELS);

  // ---------------------------------------------------------------- control state
  typedef enum logic [1:0] {
    S_IDLE,
    S_INTEG,
    S_UPDATE,
    S_FLUSH
  } state_t;
  state_t state_q;
  logic [15:0] n_q;
  logic [1:0] leak_q;
  logic [4:0] leak_shift_q, beta_frac_q;
  logic [30:0] beta_num_q;
  logic soft_q, signed_q;
  logic [7:0] max_level_q;
  logic [LEVELS*TW-1:0] thr_q;
  logic [15:0] row_q;
  wire idle = state_q == S_IDLE;
  wire accept = idle && start;
  wire [15:0] rows_n = 16'((32'(n_q) + U - 1) / U);

  // ---------------------------------------------------------------- event queue
  logic [15:0] q_nrn[Q];
  logic signed [WW-1:0] q_w[Q];
  logic [QAW-1:0] head_q, tail_q;
  logic [15:0] count_q;
  wire push = idle && ev_push && count_q < 16'(Q);
  wire pop = state_q == S_INTEG && count_q != 0;
  wire [15:0] pop_n = q_nrn[head_q];
  wire signed [WW-1:0] pop_w = q_w[head_q];
  wire ev_issue = pop && pop_n < n_q;
  assign ev_count = count_q;

  always_ff @(posedge clk) begin
    if (push) begin
      q_nrn[tail_q] <= ev_neuron;
      q_w[tail_q] <= ev_weight;
    end
  end

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      head_q <= '0;
      tail_q <= '0;
      count_q <= '0;
    end else begin
      if (push) tail_q <= (32'(tail_q) == Q - 1) ? '0 : tail_q + 1'b1;
      if (pop) head_q <= (32'(head_q) == Q - 1) ? '0 : head_q + 1'b1;
      count_q <= count_q + 16'(push) - 16'(pop);
    end
  end

  // ---------------------------------------------------------------- FSM
  wire last_row = row_q + 1'b1 == rows_n;
  logic up_s1_v, up_s1_last;  // update pipeline: S1 stage holds a row / the last row
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      state_q <= S_IDLE;
      done <= 1'b0;
      n_q <= '0;
      leak_q <= '0;
      leak_shift_q <= '0;
      beta_frac_q <= '0;
      beta_num_q <= '0;
      soft_q <= 1'b0;
      signed_q <= 1'b0;
      max_level_q <= '0;
      thr_q <= '0;
      row_q <= '0;
    end else begin
      done <= 1'b0;
      case (state_q)
        S_IDLE:
        if (start) begin
          if (cfg_n == 0) begin
            done <= 1'b1;
          end else begin
            state_q <= S_INTEG;
            n_q <= cfg_n;
            leak_q <= cfg_leak;
            leak_shift_q <= cfg_leak_shift;
            beta_frac_q <= cfg_beta_frac;
            beta_num_q <= cfg_beta_num;
            soft_q <= cfg_soft_reset;
            signed_q <= cfg_signed_spikes;
            max_level_q <= cfg_max_level;
            for (int j = 1; j <= LEVELS; j++) thr_q[(j-1)*TW+:TW] <= TW'(j) * TW'(cfg_theta);
          end
        end
        S_INTEG:
        if (count_q == 0) begin
          state_q <= S_UPDATE;
          row_q <= '0;
        end
        S_UPDATE: begin
          row_q <= row_q + 1'b1;
          if (last_row) state_q <= S_FLUSH;
        end
        default:
        if (up_s1_v && up_s1_last) begin
          state_q <= S_IDLE;
          done <= 1'b1;
        end
      endcase
    end
  end
  assign busy = !idle;

  // ---------------------------------------------------------------- touched bits
  logic [N_MAX-1:0] touched;
  wire up_issue = state_q == S_UPDATE;
  logic ev_touched_q;
  logic acc_wr;
  logic [15:0] acc_wr_n;
  logic signed [ACC-1:0] acc_wr_data;
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      touched <= '0;
      ev_touched_q <= 1'b0;
    end else begin
      if (ev_issue) ev_touched_q <= touched[32'(pop_n)%N_MAX];
      if (acc_wr) touched[32'(acc_wr_n)%N_MAX] <= 1'b1;
      if (up_issue) begin
        for (int u = 0; u < U; u++) begin
          if (32'(row_q) * U + u < N_MAX) touched[(32'(row_q)*U+u)%N_MAX] <= 1'b0;
        end
      end
    end
  end

  // ---------------------------------------------------------------- spike-accumulate datapath
  logic [U*ACC-1:0] i_rdata;  // current bank read words (lane u at [u*ACC +: ACC])
  logic [15:0] ev_s1_n;  // neuron of the event whose read is in flight
  lif_accumulate #(
      .WW (WW),
      .ACC(ACC),
      .NW (16)
  ) u_acc (
      .clk,
      .rst_n,
      .issue(ev_issue),
      .issue_neuron(pop_n),
      .issue_weight(pop_w),
      .rd_data(i_rdata[(32'(ev_s1_n)%U)*ACC+:ACC]),
      .rd_touched(ev_touched_q),
      .wr(acc_wr),
      .wr_neuron(acc_wr_n),
      .wr_data(acc_wr_data)
  );
  assign ev_s1_n = acc_wr_n;  // the accumulator's stage-1 neuron is the one being read

  // ---------------------------------------------------------------- update pipeline flags
  logic up_rd_v, up_rd_last;
  logic [15:0] up_rd_row, up_s1_row;
  logic [U-1:0] lane_rd_v, lane_touched;
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      up_rd_v <= 1'b0;
      up_rd_last <= 1'b0;
      up_rd_row <= '0;
      up_s1_v <= 1'b0;
      up_s1_last <= 1'b0;
      up_s1_row <= '0;
      lane_rd_v <= '0;
      lane_touched <= '0;
    end else begin
      up_rd_v <= up_issue;
      up_rd_last <= up_issue && last_row;
      if (up_issue) up_rd_row <= row_q;
      for (int u = 0; u < U; u++) begin
        lane_rd_v[u] <= up_issue && 32'(row_q) * U + u < 32'(n_q);
        if (up_issue) lane_touched[u] <= touched[(32'(row_q)*U+u)%N_MAX];
      end
      up_s1_v <= up_rd_v;
      up_s1_last <= up_rd_last;
      if (up_rd_v) up_s1_row <= up_rd_row;
    end
  end

  // ---------------------------------------------------------------- banks and lanes
  logic [U-1:0] lane_wr_v;
  logic [U*SB-1:0] lane_v_next;  // flat vectors, lane u at [u*W +: W]
  logic [U*LW-1:0] lane_spike;
  logic [U*SB-1:0] v_rdata;
  wire host_re = idle && mem_re;
  wire host_we = idle && mem_we;
  for (genvar u = 0; u < U; u++) begin : g_lane
    // Membrane bank: the update phase reads row_q and writes the S1 row; the host uses it idle.
    lif_sram #(
        .W(SB),
        .D(NR)
    ) u_vmem (
        .clk,
        .re(up_issue || (host_re && 32'(mem_raddr) % U == u)),
        .raddr(up_issue ? RAW'(row_q) : RAW'(32'(mem_raddr) / U)),
        .rdata(v_rdata[u*SB+:SB]),
        .we(lane_wr_v[u] || (host_we && 32'(mem_waddr) % U == u)),
        .waddr(lane_wr_v[u] ? RAW'(up_s1_row) : RAW'(32'(mem_waddr) / U)),
        .wdata(lane_wr_v[u] ? lane_v_next[u*SB+:SB] : SB'(mem_wdata))
    );
    // Current bank: events read-modify-write single words; the update phase reads rows.
    lif_sram #(
        .W(ACC),
        .D(NR)
    ) u_imem (
        .clk,
        .re(up_issue || (ev_issue && 32'(pop_n) % U == u)),
        .raddr(up_issue ? RAW'(row_q) : RAW'(32'(pop_n) / U)),
        .rdata(i_rdata[u*ACC+:ACC]),
        .we(acc_wr && 32'(acc_wr_n) % U == u),
        .waddr(RAW'(32'(acc_wr_n) / U)),
        .wdata(acc_wr_data)
    );
    lif_lane #(
        .SB(SB),
        .ACC(ACC),
        .LEVELS(LEVELS),
        .TW(TW),
        .LW(LW)
    ) u_lane (
        .clk,
        .rst_n,
        .rd_v(lane_rd_v[u]),
        .v_rd(v_rdata[u*SB+:SB]),
        .i_rd(i_rdata[u*ACC+:ACC]),
        .touched_rd(lane_touched[u]),
        .leak_mode(leak_q),
        .leak_shift(leak_shift_q),
        .beta_num(beta_num_q),
        .beta_frac(beta_frac_q),
        .soft_reset(soft_q),
        .max_level(max_level_q),
        .signed_spikes(signed_q),
        .thr(thr_q),
        .wr_v(lane_wr_v[u]),
        .v_next(lane_v_next[u*SB+:SB]),
        .spike(lane_spike[u*LW+:LW])
    );
  end

  // Host read: the bank of the address sampled with mem_re.
  logic [15:0] host_raddr_q;
  always_ff @(posedge clk) begin
    if (host_re) host_raddr_q <= mem_raddr;
  end
  assign mem_rdata = 32'($signed(v_rdata[(32'(host_raddr_q)%U)*SB+:SB]));

  // ---------------------------------------------------------------- spike output and counters
  logic [$clog2(U+1)-1:0] row_spikes;
  always_comb begin
    row_spikes = '0;
    for (int u = 0; u < U; u++) row_spikes = row_spikes + ($clog2(U + 1))'(lane_wr_v[u] && lane_spike[u*LW+:LW] != '0);
  end
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      sp_valid <= 1'b0;
      sp_row <= '0;
      sp_mask <= '0;
      sp_level <= '0;
      spike_count <= '0;
      event_count <= '0;
    end else begin
      sp_valid <= up_s1_v;
      if (up_s1_v) begin
        sp_row <= up_s1_row;
        sp_mask <= lane_wr_v;
        for (int u = 0; u < U; u++) sp_level[8*u+:8] <= lane_wr_v[u] ? 8'($signed(lane_spike[u*LW+:LW])) : 8'd0;
      end
      if (accept) begin
        spike_count <= '0;
        event_count <= '0;
      end else begin
        spike_count <= spike_count + 32'(row_spikes);
        event_count <= event_count + 32'(ev_issue);
      end
    end
  end

  // Bits above the state width (mem_wdata) and above theta's range (cfg_theta < 2^(SB-1)); the
  // bank selects ev_s1_n and host_raddr_q are constant (unused) when U = 1.
  wire unused = ^{mem_wdata >> SB, cfg_theta >> (SB - 1), ev_s1_n, host_raddr_q};
endmodule
