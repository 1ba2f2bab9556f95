// lif_sram: D x W single-clock two-port (1 read, 1 write) SRAM model with a synchronous read: the
// address is sampled on a rising edge with re set and the word appears on rdata after that edge
// (held until the next read). Read-first: a read and a write of the same address on the same edge
// return the old word (the parent forwards around that; see lif_accumulate). The array is what a
// memory compiler would provide; everything else in rtl/lif_unit.sv is logic.
module lif_sram #(
    parameter int W = 16,
    parameter int D = 64,
    localparam int AW = (D > 1) ? $clog2(D) : 1
) (
    input  logic          clk,
    input  logic          re,
    input  logic [AW-1:0] raddr,
    output logic [ W-1:0] rdata,
    input  logic          we,
    input  logic [AW-1:0] waddr,
    input  logic [ W-1:0] wdata
);
  // Inlined: Verilator 5.006 gives all instances of a non-inlined module one shared set of
  // toggle-coverage counters, which would hide per-instance activity.
  /*verilator inline_module*/
  logic [W-1:0] mem[D];
  always_ff @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    if (re) rdata <= mem[raddr];
  end
endmodule
