// SPDX-License-Identifier: Apache-2.0
// Exact product of two's-complement operands: product_o = a_i * b_i in ABits + BBits bits.
// Parameters: ABits, BBits (>= 2) operand bits. An unsigned operand is passed with a zero bit
// prepended, which makes it a non-negative signed one.

module sp_mul #(
  parameter integer ABits = 8,
  parameter integer BBits = 12
) (
  input  wire [ABits-1:0]       a_i,
  input  wire [BBits-1:0]       b_i,
  output wire [ABits+BBits-1:0] product_o
);

  generate
    if (ABits < 2 || BBits < 2) begin : g_illegal_params
      sp_illegal_parameter_mul_widths u_check ();
    end
  endgenerate

  // Both operands are declared signed, so synthesis builds an ABits x BBits signed multiplier
  // rather than a full-width one over the sign-extended bits.
  wire signed [ABits+BBits-1:0] a_ext = {{BBits{a_i[ABits-1]}}, a_i};
  wire signed [ABits+BBits-1:0] b_ext = {{ABits{b_i[BBits-1]}}, b_i};

  assign product_o = a_ext * b_ext;

endmodule
