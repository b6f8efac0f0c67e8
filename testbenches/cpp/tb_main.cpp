// SPDX-License-Identifier: Apache-2.0
// Generic Verilator main for every sampleprop testbench: drives clk_i until the
// testbench calls $finish.
//
// The testbench top is verilated with `--prefix Vtop`, so this file compiles
// unchanged for tb_core and the unit testbenches. The only top-level port is
// `clk_i`; the testbench does its own reset and reads its own plusargs.
//
// Plusargs read here (all others pass through to the testbench):
//   +vcd=PATH          write a VCD waveform (needs a `--trace` build)
//   +wall_cycles=N     stop after N clock cycles even without $finish
//                      (default 2^40; the testbench's own +max_cycles limit
//                      normally fires first)

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "Vtop.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

namespace {

// Returns the text after "+NAME=" when the plusarg is present, else nullptr.
const char* plusarg_value(VerilatedContext& context, const char* name_with_equals) {
    const char* match = context.commandArgsPlusMatch(name_with_equals);
    if (match == nullptr || match[0] == '\0') {
        return nullptr;
    }
    // The match is the whole argument, "+NAME=VALUE".
    const char* equals = match;
    while (*equals != '\0' && *equals != '=') {
        ++equals;
    }
    return *equals == '=' ? equals + 1 : nullptr;
}

}  // namespace

int main(int argc, char** argv) {
    auto context = std::make_unique<VerilatedContext>();
    context->commandArgs(argc, argv);

    uint64_t wall_cycles = uint64_t{1} << 40;
    if (const char* text = plusarg_value(*context, "wall_cycles=")) {
        wall_cycles = std::strtoull(text, nullptr, 0);
    }

#if VM_TRACE
    const char* vcd_path = plusarg_value(*context, "vcd=");
    if (vcd_path != nullptr) {
        context->traceEverOn(true);
    }
#endif

    auto top = std::make_unique<Vtop>(context.get(), "TOP");

#if VM_TRACE
    std::unique_ptr<VerilatedVcdC> vcd;
    if (vcd_path != nullptr) {
        vcd = std::make_unique<VerilatedVcdC>();
        top->trace(vcd.get(), 99);
        vcd->open(vcd_path);
    }
#else
    if (plusarg_value(*context, "vcd=") != nullptr) {
        std::fprintf(stderr, "tb_main: +vcd ignored: this model was built without --trace\n");
    }
#endif

    // Time advances one unit per clock edge, so a cycle lasts two units and
    // cycle c's rising edge sits at time 2c + 1.
    top->clk_i = 0;
    top->eval();
    uint64_t cycles = 0;
    while (!context->gotFinish() && cycles < wall_cycles) {
        context->timeInc(1);
        top->clk_i = 1;
        top->eval();
#if VM_TRACE
        if (vcd) {
            vcd->dump(context->time());
        }
#endif

        context->timeInc(1);
        top->clk_i = 0;
        top->eval();
#if VM_TRACE
        if (vcd) {
            vcd->dump(context->time());
        }
#endif
        ++cycles;
    }

    top->final();
#if VM_TRACE
    if (vcd) {
        vcd->close();
    }
#endif

    if (!context->gotFinish()) {
        std::fprintf(stderr, "tb_main: FAIL wall of %" PRIu64 " cycles reached without $finish\n", wall_cycles);
        return 2;
    }
    return 0;
}
