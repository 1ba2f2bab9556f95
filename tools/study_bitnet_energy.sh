#!/usr/bin/env bash
# The BitNet energy study (configs/studies/bitnet_energy.yaml): imports the BitNet-b1.58-2B-4T
# workloads for each arithmetic and phase into configs/studies/bitnet_energy/, runs the sweep and
# prints the per-token table that README.md shows. `--memory jedec-packet` runs the study on the
# `jedec` DRAM and `packet` NoC models instead, at 45 nm and with one decoded token
# (configs/studies/bitnet_energy_jedec_packet{,_decode}.yaml; docs/STUDIES_MEMORY.md).
#   tools/study_bitnet_energy.sh [BUILD_DIR] [--memory simple|jedec-packet] [-j N]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$here/build
if [ $# -gt 0 ] && [[ $1 != -* ]]; then build=$1; shift; fi
studies=(bitnet_energy)
if [ "${1:-}" = "--memory" ]; then
  case "${2:-}" in
    simple) ;;
    jedec-packet) studies=(bitnet_energy_jedec_packet bitnet_energy_jedec_packet_decode) ;;
    *) echo "study_bitnet_energy.sh: --memory takes simple or jedec-packet" >&2; exit 2 ;;
  esac
  shift 2
fi
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
stores=()
for study in "${studies[@]}"; do
  "$pjsim" sweep "$here/configs/studies/$study.yaml" --out "$here/out/studies/$study" "$@" > /dev/null
  stores+=("$here/out/studies/$study")
done
python3 "$here/tools/study_table.py" "${stores[@]}"
