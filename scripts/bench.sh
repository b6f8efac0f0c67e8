#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the release binary and runs `sampleprop bench`: model, float reference and
# Verilator throughput measured in one run, printed as a Markdown table.
#
# `make bench` runs this after sourcing build/verilator.env. Without Verilator the
# Verilator row is skipped with the reason; without data/mnist the MNIST rows are.
# The JSON copy of the results goes to ${SAMPLEPROP_BUILD_DIR:-build}/bench.json.
#
# Usage: scripts/bench.sh [sampleprop bench options, see sampleprop bench --help]

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${SAMPLEPROP_BUILD_DIR:-$root/build}
cd "$root"

cargo build --release --bin sampleprop
mkdir -p "$build_dir"

# The defaults of `sampleprop bench` are the documented run: 20,000 digits and
# 10,000 MNIST examples per engine (a few seconds each) and 300 verilated digits
# examples built with -O2. Extra options override them; --json replaces the
# default JSON path.
json=(--json "$build_dir/bench.json")
for arg in "$@"; do
    case $arg in
        --json|--json=*) json=() ;;
    esac
done

target/release/sampleprop bench "${json[@]}" "$@"
