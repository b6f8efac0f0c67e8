// SPDX-License-Identifier: Apache-2.0
// Update unit: result_o = sat(weight_i - stochastic(x_i, Shift, r_i), WBits) with stochastic rounding.
// Parameters: WBits (>= 2) weight bits, XBits (>= 1) signed update bits, Shift (signed; a shift
// S > 0 adds the low S bits of r_i and shifts right by S, S <= 0 shifts left by -S), RBits
// (>= max(1, Shift)) bits of the rounding draw r_i.

module sp_update #(
  parameter integer WBits = 8,
  parameter integer XBits = 12,
  parameter integer Shift = 4,
  parameter integer RBits = 4
) (
  input  wire [WBits-1:0] weight_i,
  input  wire [XBits-1:0] x_i,
  input  wire [RBits-1:0] r_i,
  output wire [WBits-1:0] result_o
);

  // x + r lies in [-2^(XBits-1), 2^(XBits-1) + 2^Shift), so it needs max(XBits, Shift + 1) + 1 bits.
  // QBits holds the rounded update exactly; DBits holds the difference with one guard bit.
  localparam integer LeftShift = (Shift < 0) ? -Shift : 0;
  localparam integer SumBits   = ((XBits > Shift + 1) ? XBits : Shift + 1) + 1;
  localparam integer QBits     = (Shift > 0) ? SumBits : XBits + LeftShift;
  localparam integer DBits     = ((WBits > QBits) ? WBits : QBits) + 1;

  generate
    if (WBits < 2 || XBits < 1 || RBits < 1 || Shift > RBits) begin : g_illegal_params
      sp_illegal_parameter_update_widths_or_shift u_check ();
    end
  endgenerate

  wire [QBits-1:0] update;

  generate
    if (Shift > 0) begin : g_round
      // stochastic(x, S, r) = asr(x + (r mod 2^S), S): unbiased for either sign of x.
      wire [SumBits-1:0]        x_ext   = {{(SumBits - XBits){x_i[XBits-1]}}, x_i};
      wire [SumBits-1:0]        r_low   = {{(SumBits - Shift){1'b0}}, r_i[Shift-1:0]};
      wire signed [SumBits-1:0] sum     = x_ext + r_low;

      assign update = sum >>> Shift;
    end else if (Shift == 0) begin : g_exact
      assign update = x_i;
    end else begin : g_scale
      assign update = {x_i, {LeftShift{1'b0}}};
    end
  endgenerate

  wire [DBits-1:0] weight_ext = {{(DBits - WBits){weight_i[WBits-1]}}, weight_i};
  wire [DBits-1:0] update_ext = {{(DBits - QBits){update[QBits-1]}}, update};
  wire [DBits-1:0] difference = weight_ext - update_ext;

  sp_sat #(
    .InWidth (DBits),
    .OutWidth(WBits)
  ) u_sat (
    .value_i(difference),
    .value_o(result_o)
  );

endmodule
