// SPDX-License-Identifier: Apache-2.0
// Spike counter: count_q += inc_i each cycle, cleared to zero by clr_i or reset; wraps at 2^Bits.
// Parameters: Bits (>= 1) counter bits; the controller never counts past max(T, T_inf).

module sp_counter #(
  parameter integer Bits = 5
) (
  input  wire            clk_i,
  input  wire            rst_ni,
  input  wire            clr_i,
  input  wire            inc_i,
  output wire [Bits-1:0] count_o
);

  localparam [Bits-1:0] ONE = 1;

  reg [Bits-1:0] count_q;

  always @(posedge clk_i) begin
    if (!rst_ni || clr_i) begin
      count_q <= {Bits{1'b0}};
    end else if (inc_i) begin
      count_q <= count_q + ONE;
    end
  end

  assign count_o = count_q;

endmodule
