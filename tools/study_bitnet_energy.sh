#!/usr/bin/env bash
# The BitNet energy study (configs/studies/bitnet_energy.yaml): imports the BitNet-b1.58-2B-4T
# workload for each phase into configs/studies/bitnet_energy/, runs the sweep and
# prints the per-token table that README.md shows. `--memory jedec-packet` runs the study on the
# `jedec` DRAM and `packet` NoC models instead, at 45 nm and with one decoded token
# (configs/studies/bitnet_energy_jedec_packet{,_decode}.yaml; docs/STUDIES_MEMORY.md).
# `--equal-area` runs the designs at the int8 chip's area instead of its peak throughput
# (configs/studies/bitnet_energy_iso_area.yaml; checks its array sizes against `pjsim area
# --iso-area` first) and prints the area table of docs/AREA.md.
#   tools/study_bitnet_energy.sh [--build DIR] [-j N] [--memory simple|jedec-packet | --equal-area]
# Options in any order (tools/study_options.sh); a first argument without a dash is taken as
# the build directory, as before.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ $# -gt 0 ] && [[ $1 != -* ]]; then set -- --build "$@"; fi
source "$here/tools/study_options.sh"
study_options study_bitnet_energy.sh 1 --equal-area -- "$@"
studies=(bitnet_energy)
if [ "$study_memory" = jedec-packet ]; then
  studies=(bitnet_energy_jedec_packet bitnet_energy_jedec_packet_decode)
fi
if [ ${#study_switches[@]} -gt 0 ]; then
  if [ "$study_memory" != simple ]; then
    echo "study_bitnet_energy.sh: --equal-area runs on the simple memory system; give one of --memory and --equal-area" >&2
    exit 2
  fi
  studies=(bitnet_energy_iso_area)
fi
sweep_args=()
if [ -n "$study_jobs" ]; then sweep_args=(-j "$study_jobs"); fi
pjsim=$study_pjsim
config=workloads/hf/bitnet-b1.58-2B-4T.config.json
dir="$here/configs/studies/bitnet_energy"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

# Whole model (30 layers, LM head); prefill of a 512-token prompt, decode of 32 tokens after it.
# One workload per phase, imported at int8; each layer's dtype and arithmetic are then hoisted
# to the workload-wide keys, which the specs sweep (a layer's own key would win over them).
hoist() {
  sed -E -e 's/, (dtype|arithmetic): [a-z0-9-]+//g' \
    -e '1a # dtype and arithmetic hoisted to workload-wide keys by tools/study_bitnet_energy.sh' \
    -e 's/^(name: .*)$/\1\ndtype: int8\narithmetic: int8/'
}
cd "$here"  # the workloads record the config's path relative to the repository
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A workload is replaced only by a complete import.
import_phase() {
  local phase=$1
  shift
  "$pjsim" import-hf "$config" --seq 512 --name "bitnet-$phase" -o "$tmp/$phase.yaml" "$@" > /dev/null
  if [ -s "$tmp/$phase.yaml" ]; then
    hoist < "$tmp/$phase.yaml" > "$tmp/$phase.hoisted.yaml"
    mv "$tmp/$phase.hoisted.yaml" "$dir/$phase.yaml"
  fi
}
import_phase prefill512
import_phase decode32 --phase decode --decode-tokens 32
if [ "${studies[0]}" = bitnet_energy_iso_area ]; then
  python3 "$here/tools/study_bitnet_area.py" check "$here/configs/studies/bitnet_energy_iso_area.yaml" "$pjsim" > /dev/null
fi
stores=()
for study in "${studies[@]}"; do
  "$pjsim" sweep "$here/configs/studies/$study.yaml" --out "$here/out/studies/$study" \
    ${sweep_args[@]+"${sweep_args[@]}"} > /dev/null
  stores+=("$here/out/studies/$study")
done
if [ "${studies[0]}" = bitnet_energy_iso_area ]; then
  python3 "$here/tools/study_bitnet_area.py" table "${stores[@]}"
else
  python3 "$here/tools/study_table.py" "${stores[@]}"
fi
