// SPDX-License-Identifier: Apache-2.0
// Unit testbench of sp_update: applies +vectors=PATH lines and compares every field the unit produces.
// Parameters: W_BITS, X_BITS, SHIFT (signed, may be <= 0), R_BITS; each line holds WEIGHT X R RESULT with RESULT = sat(WEIGHT - stochastic(X, SHIFT, R), W_BITS). The C++ main toggles clk_i; vectors are applied and checked on falling edges.

module tb_update #(
  parameter integer W_BITS = 8,
  parameter integer X_BITS = 12,
  parameter integer SHIFT  = 4,
  parameter integer R_BITS = 4,
  parameter integer MAX_CYCLES = 10000000
) (
  input wire clk_i
);

  reg  [31:0]       weight;
  reg  [31:0]       x;
  reg  [31:0]       r;
  reg  [31:0]       expected;
  reg               applied;
  wire [W_BITS-1:0] result;

  initial applied = 1'b0;

  sp_update #(.WBits(W_BITS), .XBits(X_BITS), .Shift(SHIFT), .RBits(R_BITS)) u_dut (
    .weight_i(weight[W_BITS-1:0]), .x_i(x[X_BITS-1:0]), .r_i(r[R_BITS-1:0]), .result_o(result)
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
      $display("tb_update: FAIL missing plusarg +vectors=PATH; pass the vector file");
      $finish;
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $display("tb_update: FAIL cannot open vector file %0s; check the +vectors path", path);
      $finish;
    end
  end

  task mismatch(input integer field, input [63:0] want, input [63:0] actual);
    begin
      $display("tb_update: MISMATCH line %0d field %0d expected %0h got %0h", line, field, want, actual);
      $finish;
    end
  endtask

  always @(negedge clk_i) begin
    cycles = cycles + 1;
    if (cycles > MAX_CYCLES) begin
      $display("tb_update: FAIL cycle limit %0d reached", MAX_CYCLES);
      $finish;
    end
    if (applied && result != expected[W_BITS-1:0]) begin
      mismatch(4, {32'd0, expected}, {{(64-W_BITS){1'b0}}, result});
    end
    got = $fscanf(fd, "%h %h %h %h", weight, x, r, expected);
    if (got != 4) begin
      $display("tb_update: PASS %0d vectors", line);
      $finish;
    end
    line    = line + 1;
    applied = 1'b1;
  end

endmodule
