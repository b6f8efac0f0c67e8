// SPDX-License-Identifier: Apache-2.0
// Unit testbench of sp_acc_lane: applies +vectors=PATH lines and compares every field the unit produces.
// Parameters: ACC_BITS, W_BITS; each line holds ACC_IN WEIGHT ACC_OUT with ACC_OUT = sat(ACC_IN + WEIGHT, ACC_BITS). The C++ main toggles clk_i; vectors are applied and checked on falling edges.

module tb_acc_lane #(
  parameter integer ACC_BITS = 16,
  parameter integer W_BITS   = 8,
  parameter integer MAX_CYCLES = 10000000
) (
  input wire clk_i
);

  reg  [31:0]         acc_in;
  reg  [31:0]         weight;
  reg  [31:0]         expected;
  reg                 applied;
  wire [ACC_BITS-1:0] acc_out;

  initial applied = 1'b0;

  sp_acc_lane #(.AccBits(ACC_BITS), .WBits(W_BITS)) u_dut (
    .acc_i(acc_in[ACC_BITS-1:0]), .weight_i(weight[W_BITS-1:0]), .acc_o(acc_out)
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
      $display("tb_acc_lane: FAIL missing plusarg +vectors=PATH; pass the vector file");
      $finish;
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $display("tb_acc_lane: FAIL cannot open vector file %0s; check the +vectors path", path);
      $finish;
    end
  end

  task mismatch(input integer field, input [63:0] want, input [63:0] actual);
    begin
      $display("tb_acc_lane: MISMATCH line %0d field %0d expected %0h got %0h", line, field, want, actual);
      $finish;
    end
  endtask

  always @(negedge clk_i) begin
    cycles = cycles + 1;
    if (cycles > MAX_CYCLES) begin
      $display("tb_acc_lane: FAIL cycle limit %0d reached", MAX_CYCLES);
      $finish;
    end
    if (applied && acc_out != expected[ACC_BITS-1:0]) begin
      mismatch(3, {32'd0, expected}, {{(64-ACC_BITS){1'b0}}, acc_out});
    end
    got = $fscanf(fd, "%h %h %h", acc_in, weight, expected);
    if (got != 3) begin
      $display("tb_acc_lane: PASS %0d vectors", line);
      $finish;
    end
    line    = line + 1;
    applied = 1'b1;
  end

endmodule
