#!/usr/bin/env bash
# Compares pjsim's single tile with SCALE-Sim v2 on the same GEMMs, arrays, dataflows, SRAM sizes
# and DRAM bandwidths, and prints the table of docs/MAPPING.md ("Compared with SCALE-Sim").
#   tools/reference/scalesim_compare.sh --ref-dir DIR | --pjsim-only [--pjsim BIN] [--filter TEXT] [--markdown]
# DIR holds SCALE-Sim's `scalesim` package (and its configs/ for the shipped configurations); it
# needs Python 3 with NumPy and tqdm (Debian: python3-numpy python3-tqdm). pjsim defaults to
# build/pjsim. No SCALE-Sim code is in this repository.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pjsim="$here/build/pjsim"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pjsim) pjsim=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
python=${PYTHON:-python3}
# SCALE-Sim needs NumPy; prefer the system interpreter when the default one lacks it.
if ! "$python" -c 'import numpy, tqdm' 2>/dev/null && [ -x /usr/bin/python3 ]; then
  python=/usr/bin/python3
fi
exec "$python" "$here/tools/reference/scalesim_compare.py" --pjsim "$pjsim" --python "$python" \
  "${args[@]}"
