// SPDX-License-Identifier: Apache-2.0
// Unit testbench of sp_spike: applies +vectors=PATH lines and compares every field the unit produces.
// Parameters: P; each line holds PROBABILITY DRAW SPIKE. The C++ main toggles clk_i; vectors are applied and checked on falling edges.

module tb_spike #(
  parameter integer P = 8,
  parameter integer MAX_CYCLES = 10000000
) (
  input wire clk_i
);

  reg  [31:0] probability;
  reg  [31:0] draw;
  reg  [31:0] expected;
  reg         applied;
  wire        spike;

  initial applied = 1'b0;

  sp_spike #(.P(P)) u_dut (
    .probability_i(probability[P-1:0]), .draw_i(draw[P-1:0]), .spike_o(spike)
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
      $display("tb_spike: FAIL missing plusarg +vectors=PATH; pass the vector file");
      $finish;
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $display("tb_spike: FAIL cannot open vector file %0s; check the +vectors path", path);
      $finish;
    end
  end

  task mismatch(input integer field, input [63:0] want, input [63:0] actual);
    begin
      $display("tb_spike: MISMATCH line %0d field %0d expected %0h got %0h", line, field, want, actual);
      $finish;
    end
  endtask

  always @(negedge clk_i) begin
    cycles = cycles + 1;
    if (cycles > MAX_CYCLES) begin
      $display("tb_spike: FAIL cycle limit %0d reached", MAX_CYCLES);
      $finish;
    end
    if (applied && spike != expected[0]) begin
      mismatch(3, {32'd0, expected}, {63'd0, spike});
    end
    got = $fscanf(fd, "%h %h %h", probability, draw, expected);
    if (got != 3) begin
      $display("tb_spike: PASS %0d vectors", line);
      $finish;
    end
    line    = line + 1;
    applied = 1'b1;
  end

endmodule
