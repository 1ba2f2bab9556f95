// skew_line: D-stage delay line that skews one operand row/column of a systolic array (row i of
// an array passes i stages). The payload register of a stage loads only when the stage's valid
// bit is set (operand isolation: invalid slots do not toggle the data path); valid and the tag
// bits shift every cycle. D >= 1 (a zero-delay row is a plain wire in the parent).
// A separate module (not a generate block) so Verilator's --coverage-toggle sees its registers.
module skew_line #(
    parameter int D = 1,   // stages
    parameter int PW = 8,  // payload width (valid-gated)
    parameter int TW = 1   // tag width (shifted unconditionally)
) (
    input  logic          clk,
    input  logic          rst_n,
    input  logic          v_in,
    input  logic [PW-1:0] p_in,
    input  logic [TW-1:0] t_in,
    output logic          v_out,
    output logic [PW-1:0] p_out,
    output logic [TW-1:0] t_out
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  logic          v_q[D];
  logic [PW-1:0] p_q[D];
  logic [TW-1:0] t_q[D];

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      for (int s = 0; s < D; s++) begin
        v_q[s] <= 1'b0;
        p_q[s] <= '0;
        t_q[s] <= '0;
      end
    end else begin
      v_q[0] <= v_in;
      t_q[0] <= t_in;
      if (v_in) p_q[0] <= p_in;
      for (int s = 1; s < D; s++) begin
        v_q[s] <= v_q[s-1];
        t_q[s] <= t_q[s-1];
        if (v_q[s-1]) p_q[s] <= p_q[s-1];
      end
    end
  end

  assign v_out = v_q[D-1];
  assign p_out = p_q[D-1];
  assign t_out = t_q[D-1];
endmodule
