#!/usr/bin/env bash
# Compares `pjsim dram-bench` with DRAMsim3 (github.com/umd-memsys/DRAMsim3) on the same
# configuration and the same request stream, and prints a Markdown table (docs/DRAM.md,
# "Compared with DRAMsim3").
#
#   tools/reference/dramsim3_compare.sh --ref-dir DIR [--pjsim BIN] [--requests N]
#       [--patterns P,P,...] [--seeds S|A-B] [--case "INI|PJSIM_DRAM|FIELD=VALUE ..."]...
#
# DIR is a DRAMsim3 checkout: src/, configs/, and either build/libdramsim3.so (its own CMake
# build) or obj/*.o (src/*.cc compiled without main.cc, hmc, thermal). The script compiles
# tools/reference/dramsim3_driver.cc against it once (DIR/pjsim_dramsim3_driver).
# A case names a DRAMsim3 .ini (relative to DIR, one channel), what pjsim reads (empty: the same
# .ini, through pjsim's DRAMsim3 importer; or a preset name/file) and `--set` overrides. A pattern
# `random-read:C` issues one request every C clocks (latency below saturation).
# --seeds A-B runs every row on each seed of the stream (both simulators draw it from the seed)
# and prints the means over the seeds, the p99's with its [min-max] (a saturated stream's p99
# moves tens of per cent with the seed; the means are what the tolerances judge).
# Columns: pjsim / DRAMsim3 (ratio); energy without I/O (DRAMsim3 prices none); the last column
# names what is outside issue #14's tolerances (bandwidth and latency, mean and p99, 10 %,
# energy 20 %).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ref="" pjsim="${here}/../../build/pjsim" requests=20000 seeds=1
patterns="seq-read,seq-write,random-read,random-mix,row-stride,random-read:16"
cases=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ref-dir) ref="$2"; shift 2 ;;
    --pjsim) pjsim="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --patterns) patterns="$2"; shift 2 ;;
    --case) cases+=("$2"); shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "dramsim3_compare.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$ref" && -d "$ref/src" ]] || {
  echo "dramsim3_compare.sh: --ref-dir DIR (a DRAMsim3 checkout with src/) is required" >&2
  exit 2
}
[[ -x "$pjsim" ]] || { echo "dramsim3_compare.sh: no pjsim executable at $pjsim" >&2; exit 2; }
if [[ "$seeds" =~ ^([0-9]+)-([0-9]+)$ && ${BASH_REMATCH[1]} -le ${BASH_REMATCH[2]} ]]; then
  seed_list=($(seq "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"))
elif [[ "$seeds" =~ ^[0-9]+$ ]]; then
  seed_list=("$seeds")
else
  echo "dramsim3_compare.sh: --seeds S or A-B (A <= B), not '$seeds'" >&2
  exit 2
fi
if [[ ${#cases[@]} -eq 0 ]]; then
  cases=(
    # pjsim presets that came from DRAMsim3 configs, with the .ini's differing values typed in.
    "configs/DDR4_8Gb_x8_3200.ini|ddr4-3200-x8|ranks=2 tCK=0.63 power_down=false queue_structure=per_bank command_queue_depth=8 read_queue=16 write_queue=16 scheduler=round-robin write_drain=batch command_bus=one_per_clock moves_per_clock=1 row_hit_cap=4 read_to_write_gap=1 write_rank_switch=false"
    "configs/DDR4_8Gb_x16_3200.ini|ddr4-3200-x16|ranks=2 tCK=0.63 power_down=false queue_structure=per_bank command_queue_depth=8 read_queue=16 write_queue=16 scheduler=round-robin write_drain=batch command_bus=one_per_clock moves_per_clock=1 row_hit_cap=4 read_to_write_gap=1 write_rank_switch=false"
    "configs/HBM2_8Gb_x128_1ch.ini|hbm2|power_down=false queue_structure=per_rank command_queue_depth=32 read_queue=16 write_queue=16 scheduler=round-robin write_drain=batch command_bus=row_column moves_per_clock=1 row_hit_cap=4 tRTRS=2 write_rank_switch=false"
    # The same and DRAMsim3 configurations pjsim does not ship, read by pjsim's importer.
    "configs/DDR4_8Gb_x8_3200.ini||"
    "configs/DDR4_8Gb_x16_2933.ini||"
    "configs/DDR4_8Gb_x4_3200.ini||"
    "configs/HBM2_4Gb_x128_1ch.ini||"
    "configs/LPDDR3_8Gb_x32_1600_tREFI.ini||"
    "configs/DDR3_8Gb_x8_1600_tREFI.ini||")
fi
driver="$ref/pjsim_dramsim3_driver"
if [[ ! -x "$driver" || "$here/dramsim3_driver.cc" -nt "$driver" ]]; then
  inc=(-I"$ref/src" -I"$ref/ext/headers" -I/usr/include/nlohmann)
  if [[ -f "$ref/build/libdramsim3.so" ]]; then
    libs=(-L"$ref/build" -ldramsim3 -Wl,-rpath,"$ref/build")
  else
    libs=("$ref"/obj/*.o -lINIReader -lfmt)
  fi
  g++ -std=c++17 -O2 "${inc[@]}" "$here/dramsim3_driver.cc" "${libs[@]}" -o "$driver"
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
echo "| DRAMsim3 config | pjsim reads | pattern | GB/s | avg read ns | p99 read ns | row hits | ACT | energy nJ | outside |"
echo "|---|---|---|---|---|---|---|---|---|---|"
IFS=',' read -r -a pats <<<"$patterns"
for c in "${cases[@]}"; do
  IFS='|' read -r ini dram sets <<<"$c"
  [[ -n "$dram" ]] || dram="$ref/$ini"
  setargs=()
  for s in $sets; do setargs+=(--set "$s"); done
  for pat in "${pats[@]}"; do
    flags=(--pattern "${pat%%:*}" --requests "$requests")
    [[ "$pat" == *:* ]] && flags+=(--issue-interval "${pat##*:}")
    for seed in "${seed_list[@]}"; do
      "$driver" --ini "$ref/$ini" --out "$out" "${flags[@]}" --seed "$seed" | tail -1 \
        >"$out/ref.$seed.json"
      "$pjsim" dram-bench --dram "$dram" "${setargs[@]}" "${flags[@]}" --seed "$seed" --json \
        >"$out/pj.$seed.json"
    done
    python3 - "$ini" "$dram" "$sets" "$pat" "$out" "${seed_list[@]}" <<'PY'
import json, os, sys
ini, dram, sets, pat, out = sys.argv[1:6]
seeds = sys.argv[6:]
load = lambda who: [json.load(open(os.path.join(out, f"{who}.{s}.json"))) for s in seeds]
pj, ref = load("pj"), load("ref")
energy = lambda r: (r["energy_pJ"]["total"] - r["energy_pJ"].get("io", 0)) / 1e3
metrics = [("bandwidth", lambda r: r["bandwidth_GBps"], 0.10),
           ("latency", lambda r: r["avg_read_latency_ns"], 0.10),
           ("p99", lambda r: r["p99_read_latency_ns"], 0.10),
           ("hits", lambda r: r["row_hit_rate"], None),
           ("ACT", lambda r: r["commands"]["ACT"], None),
           ("energy", energy, 0.20)]
mean = lambda v: sum(v) / len(v)
cells, outside = [], []
for name, get, tol in metrics:
    a, b = [get(r) for r in pj], [get(r) for r in ref]
    ma, mb = mean(a), mean(b)
    spread = lambda v: f" [{min(v):.4g}-{max(v):.4g}]" if name == "p99" and len(v) > 1 else ""
    cell = f"{ma:.4g}{spread(a)} / {mb:.4g}{spread(b)}"
    if mb:
        cell += f" ({ma / mb:.2f})"
        if tol is not None and abs(ma / mb - 1) > tol:
            outside.append(name)
    cells.append(cell)
reads = os.path.basename(dram) if dram.endswith(".ini") else dram + (" + " + str(len(sets.split())) + " --set" if sets else "")
print(f"| {os.path.basename(ini)} | {reads} | {pat} | " + " | ".join(cells) + f" | {', '.join(outside)} |")
PY
  done
done
