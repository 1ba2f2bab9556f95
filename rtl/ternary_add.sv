// ternary_add: one registered 2-input node of ternary_dot's adder tree (loads when its pipeline
// slot is valid, so an idle tree holds its values).
module ternary_add #(
    parameter int NW = 12
) (
    input  logic                 clk,
    input  logic                 rst_n,
    input  logic                 en,
    input  logic signed [NW-1:0] a,
    input  logic signed [NW-1:0] b,
    output logic signed [NW-1:0] sum
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) sum <= '0;
    else if (en) sum <= a + b;
  end
endmodule
