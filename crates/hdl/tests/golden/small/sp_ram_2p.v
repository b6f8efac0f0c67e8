// SPDX-License-Identifier: Apache-2.0
// Synchronous simple dual-port RAM: one write port and one read port with separate addresses.
// Parameters: Width word bits, Depth words, AddrBits (>= max(1, clog2(Depth))) address bits,
// WriteThrough 1 to return the new word when a read and a write hit the same address in one
// cycle, 0 to leave that case undefined for the caller (it must not happen).

module sp_ram_2p #(
  parameter integer Width        = 8,
  parameter integer Depth        = 64,
  parameter integer AddrBits     = 6,
  parameter integer WriteThrough = 0
) (
  input  wire                clk_i,
  input  wire                we_i,
  input  wire [AddrBits-1:0] waddr_i,
  input  wire [Width-1:0]    wdata_i,
  input  wire [AddrBits-1:0] raddr_i,
  output wire [Width-1:0]    rdata_o
);

  generate
    if (Width < 1 || Depth < 1 || AddrBits < 1 || (1 << AddrBits) < Depth) begin : g_illegal_params
      sp_illegal_parameter_ram_shape u_check ();
    end
  endgenerate

  // Block RAM even when small, as in sp_ram_1p.
  (* ram_style = "block" *)
  reg [Width-1:0] mem_q [0:Depth-1];
  reg [Width-1:0] read_q;

  always @(posedge clk_i) begin
    if (we_i) begin
      mem_q[waddr_i] <= wdata_i;
    end
    read_q <= mem_q[raddr_i];
  end

  generate
    if (WriteThrough != 0) begin : g_write_through
      // A bypass register stands in for the RAM's read-during-write behaviour.
      reg             forward_q;
      reg [Width-1:0] wdata_q;

      always @(posedge clk_i) begin
        forward_q <= we_i && (waddr_i == raddr_i);
        wdata_q   <= wdata_i;
      end

      assign rdata_o = forward_q ? wdata_q : read_q;
    end else begin : g_read_port
      assign rdata_o = read_q;
    end
  endgenerate

endmodule
