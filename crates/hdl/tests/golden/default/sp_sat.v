// SPDX-License-Identifier: Apache-2.0
// Saturation: clamps a signed value to the range of a narrower signed width, or sign-extends it.
// Parameters: InWidth (>= 1) bits of value_i, OutWidth (>= 2) bits of value_o.

module sp_sat #(
  parameter integer InWidth  = 9,
  parameter integer OutWidth = 8
) (
  input  wire [InWidth-1:0]  value_i,
  output wire [OutWidth-1:0] value_o
);

  generate
    if (OutWidth < 2) begin : g_illegal_out_width
      sp_illegal_parameter_sat_out_width_below_2 u_check ();
    end

    if (InWidth > OutWidth) begin : g_clamp
      // Overflow when the bits above the output sign bit differ from the input sign.
      wire                      sign     = value_i[InWidth-1];
      wire [InWidth-OutWidth:0] top      = value_i[InWidth-1:OutWidth-1];
      wire                      overflow = (top != {(InWidth - OutWidth + 1){sign}});
      wire [OutWidth-1:0]       limit    = {sign, {(OutWidth - 1){~sign}}};

      assign value_o = overflow ? limit : value_i[OutWidth-1:0];
    end else if (InWidth == OutWidth) begin : g_pass
      assign value_o = value_i;
    end else begin : g_extend
      assign value_o = {{(OutWidth - InWidth){value_i[InWidth-1]}}, value_i};
    end
  endgenerate

endmodule
