#!/usr/bin/env bash
# `cmake --install` into a fresh prefix gives a working pjsim without the build or source tree:
# the installed executable runs an installed architecture and workload, and the installed
# Python package (imported from the prefix alone) returns the same report as the executable.
#   install_test.sh BUILD_DIR PYTHON PYTHON_INSTALL_DIR
set -euo pipefail
build=$1
python=$2
pydir=$3
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" > "$prefix/install.log"

fail() {
  echo "install_test: $*" >&2
  exit 1
}
[ -x "$prefix/bin/pjsim" ] || fail "no executable at $prefix/bin/pjsim"
share=$prefix/share/pjsim
[ -f "$share/configs/arch/default.yaml" ] || fail "configs not installed under $share"
[ -f "$share/workloads/ffn_bitnet_prefill128.yaml" ] || fail "workloads not installed under $share"
[ -f "$prefix/$pydir/pjsim/__init__.py" ] || fail "Python package not installed under $prefix/$pydir"

# Run from elsewhere, with nothing of the build tree on the paths.
cd "$prefix"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
"$prefix/bin/pjsim" run --arch "$share/configs/arch/default.yaml" \
  --workload "$share/workloads/ffn_bitnet_prefill128.yaml" --out "$prefix/out" --quiet
env -u PYTHONPATH PYTHONPATH="$prefix/$pydir" "$python" - "$prefix" "$share" <<'PY'
import json
import os
import sys

prefix, share = sys.argv[1:]
import pjsim

assert os.path.realpath(pjsim.__file__).startswith(os.path.realpath(prefix)), pjsim.__file__
report = pjsim.run(arch=os.path.join(share, "configs/arch/default.yaml"),
                   workload=os.path.join(share, "workloads/ffn_bitnet_prefill128.yaml"))
with open(os.path.join(prefix, "out/report.json")) as f:
    cli = json.load(f)
assert report["total"] == cli["total"], (report["total"], cli["total"])
assert report["energy_by_category"] == cli["energy_by_category"]
print("installed package and executable agree:", report["total"]["energy_pj"], "pJ")
PY
