// SPDX-License-Identifier: Apache-2.0
// Unit testbench of sp_lfsr: applies +vectors=PATH lines and compares every field the unit produces.
// Parameters: WIDTH, MASK, SEED, DRAW_BITS; each line holds DRAW, the next draw from reset. The C++ main toggles clk_i; vectors are applied and checked on falling edges.

module tb_lfsr #(
  parameter integer WIDTH     = 16,
  parameter integer MASK      = 32790,
  parameter integer SEED      = 44257,
  parameter integer DRAW_BITS = 8,
  parameter integer MAX_CYCLES = 10000000
) (
  input wire clk_i
);

  reg                 rst_n;
  reg                 draw_en;
  wire [DRAW_BITS-1:0] draw;
  reg  [31:0]          expected;

  initial begin
    rst_n   = 1'b0;
    draw_en = 1'b0;
  end

  // One draw per cycle from the first compared vector on; draw is the value taken at the next rising edge.
  sp_lfsr #(.Width(WIDTH), .Mask(MASK), .Seed(SEED), .DrawBits(DRAW_BITS), .Draws(1)) u_dut (
    .clk_i(clk_i), .rst_ni(rst_n), .count_i(draw_en), .draws_o(draw)
  );

  reg [8*1000-1:0] path;  // 1000 characters: a $display argument is limited to 8192 bits in version 5.006.
  integer          fd;
  integer          line;
  integer          got;
  integer          cycles;

  initial begin
    line    = 0;
    cycles  = 0;
    if ($value$plusargs("vectors=%s", path) == 0) begin
      $display("tb_lfsr: FAIL missing plusarg +vectors=PATH; pass the vector file");
      $finish;
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $display("tb_lfsr: FAIL cannot open vector file %0s; check the +vectors path", path);
      $finish;
    end
  end

  task mismatch(input integer field, input [63:0] want, input [63:0] actual);
    begin
      $display("tb_lfsr: MISMATCH line %0d field %0d expected %0h got %0h", line, field, want, actual);
      $finish;
    end
  endtask

  always @(negedge clk_i) begin
    cycles = cycles + 1;
    if (cycles > MAX_CYCLES) begin
      $display("tb_lfsr: FAIL cycle limit %0d reached", MAX_CYCLES);
      $finish;
    end
    if (!rst_n) begin
      rst_n <= 1'b1;
    end else begin
      got = $fscanf(fd, "%h", expected);
      if (got != 1) begin
        $display("tb_lfsr: PASS %0d vectors", line);
        $finish;
      end
      line    = line + 1;
      draw_en = 1'b1;
      if (draw != expected[DRAW_BITS-1:0]) begin
        mismatch(1, {32'd0, expected}, {{(64-DRAW_BITS){1'b0}}, draw});
      end
    end
  end

endmodule
