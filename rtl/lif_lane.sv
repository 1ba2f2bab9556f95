// lif_lane: one neuron-update lane of rtl/lif_unit.sv, bit-exact to pjsim::numerics::LifNeuron::Step
// (sim/numerics/lif.h) and in its order: leak, integrate, saturate, fire, reset. Two stages:
//   stage A (the cycle after the parent's read edge, from the SRAM words): leak
//       none:     v1 = v
//       shift:    v1 = v - (v >>> leak_shift)                       (barrel shifter + subtract)
//       multiply: v1 = (v * beta_num + 2^(f-1)) >>> f, f = beta_frac (f = 0: v * beta_num)
//     and the input current I (0 if the neuron received no event this timestep); (v1, I) are
//     registered (S1 edge; loads only for a valid neuron).
//   stage B (from the S1 registers; the parent writes v' on the S2 edge): v2 = v1 + I,
//     v3 = clamp(v2, V_MIN, V_MAX), then the comparator ladder against thr[j] = j * theta
//     (j = 1 .. LEVELS, precomputed by the parent): k+ = #{j <= max_level : v3 >= thr[j]},
//     k- = #{j <= max_level : v3 <= -thr[j]} (signed spikes only); spike = k+ if k+ > 0, else
//     -k- (signed) or 0. This is min(floor(|v3| / theta), max_level) without a divider.
//     Reset if spike != 0: hard -> 0, soft -> v3 - spike * theta (= v3 -/+ thr[|spike|]).
// Operand isolation: the shifter and the multiplier see 0 unless their leak mode is selected and
// the neuron is valid, so an unused leak path does not toggle.
module lif_lane #(
    parameter int SB = 16,     // membrane state bits (2 .. 32)
    parameter int ACC = 16,    // input-current bits
    parameter int LEVELS = 1,  // comparator ladder length (max spike level supported)
    parameter int TW = 17,     // threshold table width (holds LEVELS * theta)
    parameter int LW = 2       // spike level width (signed)
) (
    input  logic                     clk,
    input  logic                     rst_n,
    // Read stage (the cycle after the read edge).
    input  logic                     rd_v,
    input  logic signed [    SB-1:0] v_rd,
    input  logic signed [   ACC-1:0] i_rd,
    input  logic                     touched_rd,
    // Configuration (stable during a timestep).
    input  logic        [       1:0] leak_mode,  // 0 none, 1 shift, 2 multiply
    input  logic        [       4:0] leak_shift,
    input  logic        [      30:0] beta_num,
    input  logic        [       4:0] beta_frac,
    input  logic                     soft_reset,
    input  logic        [       7:0] max_level,
    input  logic                     signed_spikes,
    input  logic        [LEVELS*TW-1:0] thr,  // thr[j-1] = j * theta, j = 1 .. LEVELS
    // Write stage (combinational from the S1 registers).
    output logic                     wr_v,
    output logic signed [    SB-1:0] v_next,
    output logic signed [    LW-1:0] spike
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  localparam int V1W = SB + 1;  // leaked membrane (one spare bit)
  localparam int PW = SB + 32;  // leak product
  localparam int V2W = ((V1W > ACC) ? V1W : ACC) + 1;
  localparam int CW = ((TW > SB) ? TW : SB) + 2;  // ladder compare width (signed)
  localparam logic signed [V2W-1:0] V_MAX = V2W'((64'sd1 <<< (SB - 1)) - 1);
  localparam logic signed [V2W-1:0] V_MIN = -V2W'(64'sd1 <<< (SB - 1));

  // ---------------------------------------------------------------- stage A: leak
  wire use_shift = rd_v && leak_mode == 2'd1;
  wire use_mult = rd_v && leak_mode == 2'd2;
  wire signed [SB-1:0] v_sh = use_shift ? v_rd : '0;
  wire signed [SB-1:0] v_mu = use_mult ? v_rd : '0;
  wire signed [SB-1:0] v_shr = v_sh >>> leak_shift;
  wire signed [V1W-1:0] leak_shift_v = V1W'(v_sh) - V1W'(v_shr);
  wire signed [PW-1:0] product = PW'(v_mu) * $signed({1'b0, use_mult ? beta_num : 31'd0});
  wire signed [PW-1:0] half = (beta_frac == 5'd0) ? '0 : PW'(64'sd1 <<< (beta_frac - 5'd1));
  wire signed [PW-1:0] leak_mult_full = (product + half) >>> beta_frac;
  wire signed [V1W-1:0] leak_mult_v = V1W'(leak_mult_full);
  logic signed [V1W-1:0] v1;
  always_comb begin
    case (leak_mode)
      2'd1: v1 = leak_shift_v;
      2'd2: v1 = leak_mult_v;
      default: v1 = V1W'(v_rd);
    endcase
  end
  wire signed [ACC-1:0] i_in = touched_rd ? i_rd : '0;

  logic s1_v;
  logic signed [V1W-1:0] s1_v1;
  logic signed [ACC-1:0] s1_i;
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      s1_v <= 1'b0;
      s1_v1 <= '0;
      s1_i <= '0;
    end else begin
      s1_v <= rd_v;
      if (rd_v) begin
        s1_v1 <= v1;
        s1_i <= i_in;
      end
    end
  end

  // ---------------------------------------------------------------- stage B: integrate .. reset
  wire signed [V2W-1:0] v2 = V2W'(s1_v1) + V2W'(s1_i);
  wire signed [V2W-1:0] v3w = (v2 > V_MAX) ? V_MAX : (v2 < V_MIN) ? V_MIN : v2;
  wire signed [CW-1:0] v3 = CW'(v3w);
  wire signed [CW-1:0] neg_v3 = -v3;

  logic [LW-1:0] k_pos, k_neg;  // ladder counts (non-negative)
  logic [CW-1:0] thr_pos, thr_neg;  // thr[k] of the counts (0 for k = 0)
  always_comb begin
    k_pos = '0;
    k_neg = '0;
    thr_pos = '0;
    thr_neg = '0;
    for (int j = 1; j <= LEVELS; j++) begin
      if (8'(j) <= max_level) begin
        if (v3 >= $signed(CW'(thr[(j-1)*TW+:TW]))) begin
          k_pos = LW'(j);
          thr_pos = CW'(thr[(j-1)*TW+:TW]);
        end
        if (signed_spikes && neg_v3 >= $signed(CW'(thr[(j-1)*TW+:TW]))) begin
          k_neg = LW'(j);
          thr_neg = CW'(thr[(j-1)*TW+:TW]);
        end
      end
    end
  end

  wire fire_pos = k_pos != '0;
  wire fire_neg = !fire_pos && k_neg != '0;
  wire signed [CW-1:0] v_soft = fire_pos ? v3 - $signed(thr_pos) : v3 + $signed(thr_neg);
  assign wr_v = s1_v;
  assign spike = fire_pos ? $signed(k_pos) : fire_neg ? -$signed(k_neg) : '0;
  assign v_next = !(fire_pos || fire_neg) ? SB'(v3) : soft_reset ? SB'(v_soft) : '0;

  // High bits of the wide intermediates are sign copies by construction.
  wire unused = ^{leak_mult_full[PW-1:V1W], v3w[V2W-1:SB], v_soft[CW-1:SB]};
endmodule
