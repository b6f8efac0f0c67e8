// SPDX-License-Identifier: Apache-2.0
// Synchronous single-port RAM: read data of an address arrives the next cycle; writes at the edge.
// Parameters: Width word bits, Depth words, AddrBits (>= max(1, clog2(Depth))) address bits,
// InitFile $readmemh file of initial words, or "" for none.

module sp_ram_1p #(
  parameter integer Width    = 8,
  parameter integer Depth    = 64,
  parameter integer AddrBits = 6,
  parameter         InitFile = ""
) (
  input  wire                clk_i,
  input  wire                we_i,
  input  wire [AddrBits-1:0] addr_i,
  input  wire [Width-1:0]    wdata_i,
  output reg  [Width-1:0]    rdata_o
);

  generate
    if (Width < 1 || Depth < 1 || AddrBits < 1 || (1 << AddrBits) < Depth) begin : g_illegal_params
      sp_illegal_parameter_ram_shape u_check ();
    end
  endgenerate

  // Block RAM even when small: Yosys would otherwise put a memory of a few words in flip-flops.
  (* ram_style = "block" *)
  reg [Width-1:0] mem_q [0:Depth-1];

  initial begin
    if (InitFile != "") begin
      $readmemh(InitFile, mem_q);
    end
  end

  // Read-first: a read in the cycle of a write to the same address returns the old word.
  always @(posedge clk_i) begin
    if (we_i) begin
      mem_q[addr_i] <= wdata_i;
    end
    rdata_o <= mem_q[addr_i];
  end

endmodule
