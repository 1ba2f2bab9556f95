#!/usr/bin/env bash
# Simulation cost versus model size: times `pjsim run` on the BitNet-b1.58-2B-4T-shaped model
# imported with 1, 2, 4, ... 30 decoder layers (prefill of 2048 tokens), then with prompts of
# 256 ... 4096 tokens (all 30 layers), then decodes of 32 ... 128 tokens, on the 8x8 accelerator.
# Prints CPU time (user + system: wall time on a shared machine measures the other jobs), peak
# memory, simulated tile tasks and tile tasks per CPU second. Decode passes replay most layer
# runs (models/layer_replay.h), and a prefill the runs of decoder blocks that repeat an earlier
# block's (past the 8th here), so their tasks per second grow with the model.
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
  /usr/bin/time -f "%U %S %M" -o "$tmp/time" "$pjsim" run --arch "$arch" --workload "$tmp/w.yaml" \
    --out "$tmp/out" --quiet
  python3 - "$label" "$tmp/time" "$tmp/out/report.json" <<'PY'
import json, sys
label, time, report = sys.argv[1:]
user, system, mem = open(time).read().split()[-3:]
cpu = float(user) + float(system)
r = json.load(open(report))
tasks = r["simulation"]["tile_tasks"]
print(f"| {label:<28} | {cpu:7.2f} | {int(mem) / 1024:7.0f} | {tasks:9d} | {tasks / max(cpu, 0.01):10.0f} |")
PY
}

echo "| run                          | CPU s   | peak MB | tile tasks | tasks/s    |"
echo "|------------------------------|---------|---------|-----------|------------|"
for layers in 1 2 4 8 16 30; do run "prefill 2048, $layers layers" --seq 2048 --layers "$layers"; done
for seq in 256 512 1024 2048 4096; do run "prefill $seq, 30 layers" --seq "$seq"; done
for tokens in 32 64 128; do
  run "decode $tokens @2048, 30 layers" --seq 2048 --phase decode --decode-tokens "$tokens"
done
