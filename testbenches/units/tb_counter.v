// SPDX-License-Identifier: Apache-2.0
// Unit testbench of sp_counter: applies +vectors=PATH lines and compares every field the unit produces.
// Parameters: BITS; each line holds INC COUNT, COUNT being the value after INC is applied at that edge. The C++ main toggles clk_i; vectors are applied and checked on falling edges.

module tb_counter #(
  parameter integer BITS = 5,
  parameter integer MAX_CYCLES = 10000000
) (
  input wire clk_i
);

  reg             rst_n;
  reg             inc;
  reg  [31:0]     inc_value;
  reg  [31:0]     expected;
  reg             applied;
  wire [BITS-1:0] count;

  initial begin
    rst_n   = 1'b0;
    inc     = 1'b0;
    applied = 1'b0;
  end

  sp_counter #(.Bits(BITS)) u_dut (
    .clk_i(clk_i), .rst_ni(rst_n), .clr_i(1'b0), .inc_i(inc), .count_o(count)
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
      $display("tb_counter: FAIL missing plusarg +vectors=PATH; pass the vector file");
      $finish;
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $display("tb_counter: FAIL cannot open vector file %0s; check the +vectors path", path);
      $finish;
    end
  end

  task mismatch(input integer field, input [63:0] want, input [63:0] actual);
    begin
      $display("tb_counter: MISMATCH line %0d field %0d expected %0h got %0h", line, field, want, actual);
      $finish;
    end
  endtask

  always @(negedge clk_i) begin
    cycles = cycles + 1;
    if (cycles > MAX_CYCLES) begin
      $display("tb_counter: FAIL cycle limit %0d reached", MAX_CYCLES);
      $finish;
    end
    if (!rst_n) begin
      rst_n <= 1'b1;
    end else begin
      if (applied && count != expected[BITS-1:0]) begin
        mismatch(2, {32'd0, expected}, {{(64-BITS){1'b0}}, count});
      end
      got = $fscanf(fd, "%h %h", inc_value, expected);
      if (got != 2) begin
        $display("tb_counter: PASS %0d vectors", line);
        $finish;
      end
      line    = line + 1;
      inc     = inc_value[0];
      applied = 1'b1;
    end
  end

endmodule
