// int8_mac_pe: one output-stationary PE. MACs when both operands are valid (first: load the
// product instead of accumulating); forwards A (with its flags) east and B south through one
// register each, loading them only when valid. `sum` is the accumulator input; `fin` marks the
// last MAC of the output, when the parent drains `sum` to the result buffer.
module int8_mac_pe (
    input  logic               clk,
    input  logic               rst_n,
    input  logic signed [ 7:0] a_in,
    input  logic               av_in,
    input  logic               first_in,
    input  logic               last_in,
    input  logic signed [ 7:0] b_in,
    input  logic               bv_in,
    output logic signed [ 7:0] a_out,
    output logic               av_out,
    output logic               first_out,
    output logic               last_out,
    output logic signed [ 7:0] b_out,
    output logic               bv_out,
    output logic               fin,
    output logic signed [31:0] sum
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  logic signed [31:0] acc_q;
  wire mac = av_in && bv_in;
  wire signed [15:0] prod = a_in * b_in;
  assign sum = (first_in ? 32'sd0 : acc_q) + 32'(prod);
  assign fin = mac && last_in;

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      a_out <= '0;
      av_out <= 1'b0;
      first_out <= 1'b0;
      last_out <= 1'b0;
      b_out <= '0;
      bv_out <= 1'b0;
      acc_q <= '0;
    end else begin
      av_out <= av_in;
      bv_out <= bv_in;
      if (av_in) begin
        a_out <= a_in;
        first_out <= first_in;
        last_out <= last_in;
      end
      if (bv_in) b_out <= b_in;
      if (mac) acc_q <= sum;
    end
  end
endmodule
