// lif_accumulate: the spike-accumulate datapath of rtl/lif_unit.sv. Each synaptic event (target
// neuron n, signed weight w) adds w into the neuron's input current I[n] (ACC-bit two's
// complement, wrap-around) with a read-modify-write of the current SRAM, one event per cycle:
//   issue edge t  : the parent starts the SRAM read of I[n] (and samples n's touched bit); this
//                   module registers (n, w) (operand isolation: only on issue)
//   cycle t..t+1  : sum = base + sext(w), base = forwarded value if the event written on edge t
//                   had the same neuron (the read-first SRAM returned the old word), else the
//                   read word if n was touched this timestep, else 0 (a fresh current)
//   edge t+1      : the parent writes sum to I[n] and sets touched[n]; this module keeps (n, sum)
//                   for the forwarding compare.
// The untouched-means-zero rule lets the unit start every timestep without clearing the SRAM.
module lif_accumulate #(
    parameter int WW = 8,    // event weight width
    parameter int ACC = 16,  // input-current width
    parameter int NW = 16    // neuron index width
) (
    input  logic                  clk,
    input  logic                  rst_n,
    input  logic                  issue,
    input  logic         [NW-1:0] issue_neuron,
    input  logic signed  [WW-1:0] issue_weight,
    input  logic signed [ACC-1:0] rd_data,
    input  logic                  rd_touched,
    output logic                  wr,
    output logic         [NW-1:0] wr_neuron,
    output logic signed [ACC-1:0] wr_data
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  logic s1_v;
  logic [NW-1:0] s1_n;
  logic signed [WW-1:0] s1_w;
  logic last_v;
  logic [NW-1:0] last_n;
  logic signed [ACC-1:0] last_data;

  wire fwd = last_v && last_n == s1_n;
  wire signed [ACC-1:0] base = fwd ? last_data : rd_touched ? rd_data : '0;
  wire signed [ACC-1:0] sum = base + ACC'(s1_w);

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      s1_v <= 1'b0;
      s1_n <= '0;
      s1_w <= '0;
      last_v <= 1'b0;
      last_n <= '0;
      last_data <= '0;
    end else begin
      s1_v <= issue;
      if (issue) begin
        s1_n <= issue_neuron;
        s1_w <= issue_weight;
      end
      last_v <= s1_v;
      if (s1_v) begin
        last_n <= s1_n;
        last_data <= sum;
      end
    end
  end

  assign wr = s1_v;
  assign wr_neuron = s1_n;
  assign wr_data = sum;
endmodule
