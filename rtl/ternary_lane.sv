// ternary_lane: one lane of ternary_dot with zero-skip. `en` = slot valid and weight nonzero.
// The lane register loads +/-x (9-bit: -(-128) = +128) only when en (a clock-gated register);
// nz_q then selects it onto the adder-tree input y, otherwise y is held at 0 by an AND gate.
// Across zero weights neither the lane register nor y toggles.
module ternary_lane (
    input  logic              clk,
    input  logic              rst_n,
    input  logic              en,
    input  logic              neg,
    input  logic signed [7:0] x,
    output logic signed [8:0] y
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  logic signed [8:0] lane_q;
  logic nz_q;
  wire signed [8:0] x9 = 9'(x);

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      lane_q <= '0;
      nz_q <= 1'b0;
    end else begin
      nz_q <= en;
      if (en) lane_q <= neg ? -x9 : x9;
    end
  end

  assign y = nz_q ? lane_q : 9'sd0;
endmodule
