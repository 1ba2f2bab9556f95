#!/usr/bin/env bash
# Simulation cost versus model size: times `pjsim run` on the BitNet-b1.58-2B-4T-shaped model
# imported with 1, 2, 4, ... 30 decoder layers (prefill of 2048 tokens), then with prompts of
# 256 ... 4096 tokens (all 30 layers), then the decode of 128 tokens, on the 8x8 accelerator.
# Prints wall time, peak memory, simulated tile tasks and tile tasks per wall second.
#   tools/bench_scaling.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$here/build}
pjsim="$build/pjsim"
arch="$here/configs/arch/mesh8x8-int8-hbm.yaml"
config="$here/workloads/hf/bitnet-b1.58-2B-4T.config.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

run() {  # label, import flags...
  local label=$1
  shift
  "$pjsim" import-hf "$config" --weights int8 "$@" -o "$tmp/w.yaml" > /dev/null  # int8 accelerator
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$tmp/mem" "$pjsim" run --arch "$arch" --workload "$tmp/w.yaml" \
    --out "$tmp/out" --quiet
  t1=$(date +%s.%N)
  python3 - "$label" "$t0" "$t1" "$tmp/mem" "$tmp/out/report.json" <<'PY'
import json, sys
label, t0, t1, mem, report = sys.argv[1:]
wall = float(t1) - float(t0)
r = json.load(open(report))
tasks = r["simulation"]["tile_tasks"]
print(f"| {label:<28} | {wall:7.2f} | {int(open(mem).read().split()[-1]) / 1024:7.0f} | {tasks:9d} | {tasks / wall:10.0f} |")
PY
}

echo "| run                          | wall s  | peak MB | tile tasks | tasks/s    |"
echo "|------------------------------|---------|---------|-----------|------------|"
for layers in 1 2 4 8 16 30; do run "prefill 2048, $layers layers" --seq 2048 --layers "$layers"; done
for seq in 256 512 1024 2048 4096; do run "prefill $seq, 30 layers" --seq "$seq"; done
run "decode 128 @2048, 30 layers" --seq 2048 --phase decode --decode-tokens 128
