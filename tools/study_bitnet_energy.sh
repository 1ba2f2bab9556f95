#!/usr/bin/env bash
# The BitNet energy study (configs/studies/bitnet_energy.yaml): imports the BitNet-b1.58-2B-4T
# workloads for each arithmetic and phase into configs/studies/bitnet_energy/, runs the sweep and
# prints the per-token table that README.md shows.
#   tools/study_bitnet_energy.sh [BUILD_DIR] [-j N]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$here/build}
shift || true
pjsim="$build/pjsim"
config="$here/workloads/hf/bitnet-b1.58-2B-4T.config.json"
dir="$here/configs/studies/bitnet_energy"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

# Whole model (30 layers, LM head); prefill of a 512-token prompt, decode of 32 tokens after it.
for weights in fp16 int8 ternary binary lmul-fp16 lmul-e4m3; do
  "$pjsim" import-hf "$config" --weights "$weights" --seq 512 \
    --name "bitnet-$weights-prefill512" -o "$dir/$weights.prefill512.yaml" > /dev/null
  "$pjsim" import-hf "$config" --weights "$weights" --seq 512 --phase decode --decode-tokens 32 \
    --name "bitnet-$weights-decode32" -o "$dir/$weights.decode32.yaml" > /dev/null
done
"$pjsim" sweep "$here/configs/studies/bitnet_energy.yaml" --out "$here/out/studies/bitnet_energy" "$@" \
  > /dev/null
python3 "$here/tools/study_table.py" "$here/out/studies/bitnet_energy"
