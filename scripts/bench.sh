#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the release binary and runs `sampleprop bench`: model, float reference and
# Verilator throughput measured in one run, printed as a Markdown table.
#
# `make bench` runs this after sourcing build/verilator.env. Without Verilator the
# Verilator row is skipped with the reason; without data/mnist the MNIST rows are.
# The JSON copy of the results goes to ${SAMPLEPROP_BUILD_DIR:-build}/bench.json.
#
# Usage: scripts/bench.sh [extra sampleprop bench options]

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${SAMPLEPROP_BUILD_DIR:-$root/build}
cd "$root"

cargo build --release --bin sampleprop
mkdir -p "$build_dir"

# 20,000 digits and 10,000 MNIST examples take a few seconds per engine, and
# 300 verilated digits examples about 20 s on a loaded 2-core machine.
target/release/sampleprop bench \
    --digits-examples 20000 \
    --mnist-examples 10000 \
    --mnist-config configs/mnist-784-128.toml \
    --rtl-examples 300 \
    --rtl-optimization fast-run \
    --json "$build_dir/bench.json" \
    "$@"
