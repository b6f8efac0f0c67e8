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

  // Returns the state after DrawBits Galois steps: step(s) = (s >> 1) ^ (s[0] ? Mask : 0).
  function [Width-1:0] advance;
    input [Width-1:0] state;
    integer step;
    begin
      advance = state;
      for (step = 0; step < DrawBits; step = step + 1) begin
        advance = {1'b0, advance[Width-1:1]} ^ ({Width{advance[0]}} & MASK);
      end
    end
  endfunction

  // after_draws holds the state after 0, 1, ..., Draws draws. One generate stage per draw keeps the
  // generate loop short (Verilator 5.006 caps generate loops at 16 times --unroll-count), and
  // split_var lets Verilator order the stages instead of iterating the whole vector to settle.
  wire [(Draws+1)*Width-1:0] after_draws /* verilator split_var */;

  assign after_draws[Width-1:0] = state_q;

  genvar d;
  generate
    for (d = 0; d < Draws; d = d + 1) begin : g_draw
      wire [Width-1:0] next = advance(after_draws[d*Width +: Width]);

      assign after_draws[(d+1)*Width +: Width] = next;
      assign draws_o[d*DrawBits +: DrawBits]    = next[DrawBits-1:0];
    end
  endgenerate

  // The selected stage goes through its own vector, so every slice of after_draws stays static.
  wire [(Draws+1)*Width-1:0] stage_select = after_draws;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= SEED;
    end else begin
      state_q <= stage_select[count_i*Width +: Width];
    end
  end

endmodule
