// SPDX-License-Identifier: Apache-2.0
// Spike generator comparator: spike_o = probability_i > draw_i, both unsigned.
// Parameters: P (>= 1) bits of probability and draw.

module sp_spike #(
  parameter integer P = 8
) (
  input  wire [P-1:0] probability_i,
  input  wire [P-1:0] draw_i,
  output wire         spike_o
);

  assign spike_o = (probability_i > draw_i);

endmodule
