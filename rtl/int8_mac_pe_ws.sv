// int8_mac_pe_ws: one weight-stationary PE. While `load` is high the weight shifts down (w_in ->
// w_out, registered; loaded only when valid). Activations (with their valid and row-valid bits)
// move east through one register; the partial sum moves south through one register, adding
// a * w when both activation and weight are valid. ps_next is the registered value's input (the
// parent drains it from the bottom row).
module int8_mac_pe_ws (
    input  logic               clk,
    input  logic               rst_n,
    input  logic               load,
    input  logic signed [ 7:0] w_in,
    input  logic               wv_in,
    input  logic signed [ 7:0] a_in,
    input  logic               av_in,
    input  logic               mv_in,
    input  logic signed [31:0] ps_in,
    output logic signed [ 7:0] w_out,
    output logic               wv_out,
    output logic signed [ 7:0] a_out,
    output logic               av_out,
    output logic               mv_out,
    output logic signed [31:0] ps_next,
    output logic signed [31:0] ps_out
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  wire mac = av_in && wv_out;
  wire signed [15:0] prod = a_in * w_out;
  assign ps_next = mac ? ps_in + 32'(prod) : ps_in;

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      w_out <= '0;
      wv_out <= 1'b0;
      a_out <= '0;
      av_out <= 1'b0;
      mv_out <= 1'b0;
      ps_out <= '0;
    end else begin
      if (load) begin
        wv_out <= wv_in;
        if (wv_in) w_out <= w_in;
      end
      av_out <= av_in;
      mv_out <= mv_in;
      if (av_in) a_out <= a_in;
      if (mv_in) ps_out <= ps_next;
    end
  end
endmodule
