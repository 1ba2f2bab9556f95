#!/usr/bin/env bash
# Compares `pjsim dram-bench` with Ramulator 2 (github.com/CMU-SAFARI/ramulator2) on the same
# configuration and the same request stream, and prints a Markdown table (docs/RAMULATOR.md).
#
#   tools/reference/ramulator2_compare.sh --ref-dir DIR [--pjsim BIN] [--requests N]
#       [--patterns P,P,...] [--case "NAME|RAMULATOR_YAML|PJSIM_DRAM|FIELD=VALUE ..."]...
#       [--closed-row]
#
# DIR holds Ramulator 2's sources in DIR/src (its src/ tree) and either DIR/obj/*.o (its
# src/**/*.cpp compiled without main.cpp) or DIR/libramulator.so. The script compiles
# tools/reference/ramulator2_driver.cpp against them once (DIR/pjsim_ramulator2_driver) and writes
# each case's Ramulator configuration to a temporary file. A case names a row label, a Ramulator
# MemorySystem configuration in YAML (one channel; `;` stands for a newline), and what pjsim reads:
# nothing (the default cases: pjsim reads the same configuration file, `dram-bench --dram
# FILE.yaml`, docs/RAMULATOR.md "Ramulator 2 configurations"), or a pjsim preset and the `--set`
# overrides that type Ramulator's device and controller into it. A pattern `random-read:C`
# issues one request every C clocks (latency below saturation). --closed-row runs Ramulator's
# example_config controller (DDR4-2400R, RowPolicy ClosedRowPolicy cap 4, and OpenRowPolicy; two
# ranks and one) on seq-read, seq-write, random-read, random-mix, 4096 requests (these need a
# Ramulator with row policies; docs/RAMULATOR.md "ClosedRowPolicy").
# Columns: pjsim / Ramulator 2 (ratio); the last column names what is outside issue #14's
# tolerances (bandwidth and latency 10 %); Ramulator 2 prices no energy, so none is compared.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ref="" pjsim="${here}/../../build/pjsim" requests=20000
patterns="seq-read,seq-write,random-read,random-mix,row-stride,random-read:16"
cases=()
closed_row=0 requests_set=0 patterns_set=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ref-dir) ref="$2"; shift 2 ;;
    --pjsim) pjsim="$2"; shift 2 ;;
    --requests) requests="$2"; requests_set=1; shift 2 ;;
    --patterns) patterns="$2"; patterns_set=1; shift 2 ;;
    --case) cases+=("$2"); shift 2 ;;
    --closed-row) closed_row=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "ramulator2_compare.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$ref" && -d "$ref/src" ]] || {
  echo "ramulator2_compare.sh: --ref-dir DIR (Ramulator 2's src/ in DIR/src) is required" >&2
  exit 2
}
[[ -x "$pjsim" ]] || { echo "ramulator2_compare.sh: no pjsim executable at $pjsim" >&2; exit 2; }
# Presets are looked up from the current directory: run from the source tree.
ref="$(cd "$ref" && pwd)"
pjsim="$(cd "$(dirname "$pjsim")" && pwd)/$(basename "$pjsim")"
cd "$here/../.."
ctl="Controller: {impl: Generic, Scheduler: {impl: FRFCFS}, RefreshManager: {impl: AllBank}}"
if [[ $closed_row -eq 1 ]]; then
  # tests/data/ramulator2/ddr4_8gb_x8_2400r_closedrow.yaml's MemorySystem, and its open-row twin.
  for ranks in 2 1; do
    for policy in "ClosedRowPolicy, cap: 4" "OpenRowPolicy"; do
      cases+=("DDR4_8Gb_x8 DDR4_2400R ${ranks} rank(s) ${policy%%,*}|MemorySystem: {impl: GenericDRAM, clock_ratio: 3, DRAM: {impl: DDR4, org: {preset: DDR4_8Gb_x8, channel: 1, rank: ${ranks}}, timing: {preset: DDR4_2400R}}, Controller: {impl: Generic, Scheduler: {impl: FRFCFS}, RefreshManager: {impl: AllBank}, RowPolicy: {impl: ${policy}}}, AddrMapper: {impl: RoBaRaCoCh}}||")
    done
  done
  [[ $requests_set -eq 1 ]] || requests=4096
  [[ $patterns_set -eq 1 ]] || patterns="seq-read,seq-write,random-read,random-mix"
fi
if [[ ${#cases[@]} -eq 0 ]]; then
  cases=(
    "DDR4_8Gb_x8 DDR4_3200AA|MemorySystem: {impl: GenericDRAM, clock_ratio: 1, DRAM: {impl: DDR4, org: {preset: DDR4_8Gb_x8, channel: 1, rank: 1}, timing: {preset: DDR4_3200AA}}, ${ctl}, AddrMapper: {impl: RoBaRaCoCh}}||"
    # Two ranks: RoBaRaCoCh puts the rank right above the column, so streams alternate ranks.
    "DDR4_8Gb_x8 DDR4_3200AA 2 ranks|MemorySystem: {impl: GenericDRAM, clock_ratio: 1, DRAM: {impl: DDR4, org: {preset: DDR4_8Gb_x8, channel: 1, rank: 2}, timing: {preset: DDR4_3200AA}}, ${ctl}, AddrMapper: {impl: RoBaRaCoCh}}||"
    # Ramulator's DDR5 has 3200 speed bins only.
    "DDR5_16Gb_x8 DDR5_3200AN|MemorySystem: {impl: GenericDRAM, clock_ratio: 1, DRAM: {impl: DDR5, org: {preset: DDR5_16Gb_x8, channel: 1, rank: 1}, timing: {preset: DDR5_3200AN}, RFM: {BRC: 2}}, ${ctl}, AddrMapper: {impl: RoBaRaCoCh}}||"
    # The same with a stream kept in one bank (ChRaBaRoCo): writes meet DDR5's nCCDL_WR.
    "DDR5_16Gb_x8 DDR5_3200AN ChRaBaRoCo|MemorySystem: {impl: GenericDRAM, clock_ratio: 1, DRAM: {impl: DDR5, org: {preset: DDR5_16Gb_x8, channel: 1, rank: 1}, timing: {preset: DDR5_3200AN}, RFM: {BRC: 2}}, ${ctl}, AddrMapper: {impl: ChRaBaRoCo}}||"
  )
fi
driver="$ref/pjsim_ramulator2_driver"
if [[ ! -x "$driver" || "$here/ramulator2_driver.cpp" -nt "$driver" ]]; then
  if [[ -f "$ref/libramulator.so" ]]; then
    libs=(-L"$ref" -lramulator -Wl,-rpath,"$ref")
  else
    libs=("$ref"/obj/*.o)
  fi
  g++ -std=c++20 -O2 -isystem "$ref/src" "$here/ramulator2_driver.cpp" "${libs[@]}" \
    -lyaml-cpp -lspdlog -lfmt -o "$driver"
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
echo "| Ramulator 2 config | pjsim reads | pattern | GB/s | avg read ns | p99 read ns | row hits | ACT | REF | outside |"
echo "|---|---|---|---|---|---|---|---|---|---|"
IFS=',' read -r -a pats <<<"$patterns"
for c in "${cases[@]}"; do
  IFS='|' read -r name yaml dram sets <<<"$c"
  printf '%s\n' "${yaml//;/$'\n'}" >"$out/ram.yaml"
  setargs=()
  for s in $sets; do setargs+=(--set "$s"); done
  for pat in "${pats[@]}"; do
    flags=(--pattern "${pat%%:*}" --requests "$requests")
    [[ "$pat" == *:* ]] && flags+=(--issue-interval "${pat##*:}")
    "$driver" --config "$out/ram.yaml" "${flags[@]}" | tail -1 >"$out/ref.json"
    # The notes on what pjsim read from the configuration are left out; errors are not.
    "$pjsim" dram-bench --dram "${dram:-$out/ram.yaml}" "${setargs[@]}" "${flags[@]}" --json \
      2> >(grep -v '^note: ' >&2) >"$out/pj.json"
    python3 - "$name" "$dram" "$sets" "$pat" "$out/pj.json" "$out/ref.json" <<'PY'
import json, sys
name, dram, sets, pat = sys.argv[1:5]
pj, ref = json.load(open(sys.argv[5])), json.load(open(sys.argv[6]))
rows = [("bandwidth", pj["bandwidth_GBps"], ref["bandwidth_GBps"], 0.10),
        ("latency", pj["avg_read_latency_ns"], ref["avg_read_latency_ns"], 0.10),
        ("p99", pj["p99_read_latency_ns"], ref["p99_read_latency_ns"], None),
        ("hits", pj["row_hit_rate"], ref["row_hit_rate"], None),
        ("ACT", pj["commands"]["ACT"], ref["commands"]["ACT"], None),
        ("REF", pj["commands"]["REF"], ref["commands"]["REF"], None)]
cells, outside = [], []
for label, a, b, tol in rows:
    if b:
        cells.append(f"{a:.4g} / {b:.4g} ({a / b:.2f})")
        if tol is not None and abs(a / b - 1) > tol:
            outside.append(label)
    else:
        cells.append(f"{a:.4g} / {b:.4g}")
reads = (dram or "the config") + (" + " + str(len(sets.split())) + " --set" if sets else "")
print(f"| {name} | {reads} | {pat} | " + " | ".join(cells) + f" | {', '.join(outside)} |")
PY
  done
done
