// SPDX-License-Identifier: Apache-2.0
// Accumulator lane: acc_o = sat(acc_i + weight_i, AccBits), both operands signed.
// Parameters: AccBits (>= 2) accumulator bits, WBits (2 ..= AccBits) weight bits.

module sp_acc_lane #(
  parameter integer AccBits = 16,
  parameter integer WBits   = 8
) (
  input  wire [AccBits-1:0] acc_i,
  input  wire [WBits-1:0]   weight_i,
  output wire [AccBits-1:0] acc_o
);

  generate
    if (AccBits < 2 || WBits < 2 || WBits > AccBits) begin : g_illegal_widths
      sp_illegal_parameter_acc_lane_widths u_check ();
    end
  endgenerate

  // One guard bit holds the exact sum; the two top bits differ exactly on overflow.
  wire [AccBits:0] acc_ext    = {acc_i[AccBits-1], acc_i};
  wire [AccBits:0] weight_ext = {{(AccBits + 1 - WBits){weight_i[WBits-1]}}, weight_i};
  wire [AccBits:0] sum        = acc_ext + weight_ext;
  wire             overflow   = (sum[AccBits] != sum[AccBits-1]);
  wire [AccBits-1:0] limit    = {sum[AccBits], {(AccBits - 1){~sum[AccBits]}}};

  assign acc_o = overflow ? limit : sum[AccBits-1:0];

endmodule
