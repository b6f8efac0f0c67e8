// SPDX-License-Identifier: Apache-2.0
// Galois LFSR that shifts right and delivers up to Draws draws of DrawBits bits per cycle.
// Parameters: Width (4 ..= 24) state bits, Mask feedback mask with bit Width-1 set, Seed non-zero
// reset state, DrawBits (1 ..= Width) steps and bits per draw, Draws (>= 1) draws per cycle.

module sp_lfsr #(
  parameter integer Width    = 16,
  parameter integer Mask     = 32790,
  parameter integer Seed     = 44257,
  parameter integer DrawBits = 8,
  parameter integer Draws    = 1
) (
  input  wire                      clk_i,
  input  wire                      rst_ni,
  // Number of draws taken this cycle (0 holds the state); draw d is valid for d < count_i.
  input  wire [CountBits-1:0]      count_i,
  output wire [Draws*DrawBits-1:0] draws_o
);

  localparam integer CountBits = $clog2(Draws + 1);
  localparam integer Steps     = Draws * DrawBits;
  localparam [Width-1:0] MASK  = Mask[Width-1:0];
  localparam [Width-1:0] SEED  = Seed[Width-1:0];

  generate
    if (Width < 4 || Width > 24 || Mask < (1 << (Width - 1)) || Mask >= (1 << Width)
        || Seed < 1 || Seed >= (1 << Width) || DrawBits < 1 || DrawBits > Width || Draws < 1)
    begin : g_illegal_params
      sp_illegal_parameter_lfsr u_check ();
    end
  endgenerate

  reg [Width-1:0] state_q;

  // chain holds the state after 0, 1, ..., Steps Galois steps: step(s) = (s >> 1) ^ (s[0] ? Mask : 0).
  // split_var lets Verilator order the slices; without it version 5.006 iterates the whole chain to settle.
  wire [(Steps+1)*Width-1:0] chain /* verilator split_var */;

  assign chain[Width-1:0] = state_q;

  genvar s;
  generate
    for (s = 0; s < Steps; s = s + 1) begin : g_step
      wire [Width-1:0] current = chain[s*Width +: Width];

      assign chain[(s+1)*Width +: Width] = {1'b0, current[Width-1:1]} ^ ({Width{current[0]}} & MASK);
    end
  endgenerate

  // Draw d returns the low DrawBits bits of the state after (d + 1) * DrawBits steps.
  genvar d;
  generate
    for (d = 0; d < Draws; d = d + 1) begin : g_draw
      assign draws_o[d*DrawBits +: DrawBits] = chain[(d+1)*DrawBits*Width +: DrawBits];
    end
  endgenerate

  // after_draws holds the state after 0, 1, ..., Draws draws; only it is indexed by count_i,
  // so every slice of chain stays static.
  wire [(Draws+1)*Width-1:0] after_draws;

  generate
    for (d = 0; d <= Draws; d = d + 1) begin : g_after
      assign after_draws[d*Width +: Width] = chain[d*DrawBits*Width +: Width];
    end
  endgenerate

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= SEED;
    end else begin
      state_q <= after_draws[count_i*Width +: Width];
    end
  end

endmodule
