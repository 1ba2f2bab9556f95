#!/usr/bin/env bash
# How well the mapping search's cost model predicts the simulation (issue #13): runs every
# shipped workload on every shipped architecture that accepts it and prints, per run, the mapped
# layers, how many were predicted outside the tolerance, and the worst layer (predicted /
# simulated cycles − 1, its mapping); -v adds each kind of layer's range (decoder blocks folded:
# `L7.gate` counts as `gate`). Decode workloads run a few passes (--decode-tokens). The table in
# docs/MAPPING.md ("Prediction errors on the shipped workloads") is this script's output.
#
#   tools/prediction_survey.sh [--pjsim build/pjsim] [--arch GLOB] [--workload GLOB]
#                              [--out DIR] [--jobs N] [--decode-tokens N] [--tolerance F] [-v]
#   tools/prediction_survey.sh --table DIR [--tolerance F] [-v]    (summarise an earlier --out)
#
# GLOBs match file names under configs/arch/ and workloads/ without `.yaml` (default `*`). A
# pair the run refuses (e.g. int8 layers on an fp16 tile) is listed as refused with its error.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pjsim="$here/build/pjsim" arch_glob='*' workload_glob='*' out="" jobs=2 tokens=2 tol=0.10
verbose=0 table_only=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pjsim) pjsim="$2"; shift 2 ;;
    --arch) arch_glob="$2"; shift 2 ;;
    --workload) workload_glob="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --decode-tokens) tokens="$2"; shift 2 ;;
    --tolerance) tol="$2"; shift 2 ;;
    --table) table_only="$2"; shift 2 ;;
    -v) verbose=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "prediction_survey.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "prediction_survey.sh: --jobs needs a positive integer" >&2; exit 2; }
[[ "$tokens" =~ ^[1-9][0-9]*$ ]] || { echo "prediction_survey.sh: --decode-tokens needs a positive integer" >&2; exit 2; }

if [[ -z "$table_only" ]]; then
  [[ -x "$pjsim" ]] || { echo "prediction_survey.sh: no pjsim binary at $pjsim (--pjsim)" >&2; exit 2; }
  pairs=()
  for a in "$here"/configs/arch/$arch_glob.yaml; do
    [[ -f "$a" ]] || continue
    for w in "$here"/workloads/$workload_glob.yaml; do
      [[ -f "$w" ]] && pairs+=("$a|$w")
    done
  done
  [[ ${#pairs[@]} -gt 0 ]] || { echo "prediction_survey.sh: no architecture x workload matches" >&2; exit 2; }
  out=${out:-$(mktemp -d -t pjsim_prediction_survey.XXXXXX)}
  mkdir -p "$out/runs"
  export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
  run_pair() {  # "arch|workload": one run; its outcome in runs/NAME.{log,err}
    local a=${1%%|*} w=${1#*|} name sets=()
    name="$(basename "$a" .yaml)--$(basename "$w" .yaml)"
    [[ -f "$out/runs/$name/report.json" || -f "$out/runs/$name.err" ]] && return 0
    grep -q '^phase: decode' "$w" && sets=(--set "workload.decode_tokens=$tokens")
    if ! "$pjsim" run --arch "$a" --workload "$w" --out "$out/runs/$name" "${sets[@]}" \
        > "$out/runs/$name.log" 2> "$out/runs/$name.err.tmp"; then
      mv "$out/runs/$name.err.tmp" "$out/runs/$name.err"
    else
      rm -f "$out/runs/$name.err.tmp"
    fi
  }
  export -f run_pair
  export pjsim out tokens
  printf '%s\n' "${pairs[@]}" | xargs -d '\n' -P "$jobs" -I{} bash -c 'run_pair "$1"' _ {}
  table_only=$out
  echo "runs in $out/runs" >&2
fi

[[ -d "$table_only/runs" ]] || { echo "prediction_survey.sh: no runs/ in $table_only (--table takes an earlier --out)" >&2; exit 2; }
exec python3 - "$table_only/runs" "$tol" "$verbose" "$here" <<'PY'
import collections, json, os, re, sys

root, tol, verbose, here = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
names = sorted({n[:-4] if n.endswith(".err") else n for n in os.listdir(root)
                if os.path.isdir(os.path.join(root, n)) or n.endswith(".err")})
print(f"| architecture | workload | mapped layers | outside ±{tol:.0%} | worst layer | error | mapping |")
print("|---|---|---:|---:|---|---:|---|")
for name in names:
    arch, _, workload = name.partition("--")
    err = os.path.join(root, name + ".err")
    if os.path.exists(err):
        line = open(err).read().strip().splitlines()
        why = line[-1] if line else "failed"
        why = why.split("error: ")[-1].replace(here + "/", "").replace("|", "/")
        print(f"| {arch} | {workload} | refused | | {why} | | |")
        continue
    report = os.path.join(root, name, "report.json")
    if not os.path.exists(report):
        continue
    layers = json.load(open(report))["layers"]
    kinds = collections.defaultdict(list)
    for layer in layers:
        m = layer.get("mapping") or {}
        if not m.get("predicted_cycles") or not m.get("simulated_cycles"):
            continue
        e = m["predicted_cycles"] / m["simulated_cycles"] - 1
        kinds[re.sub(r"^L\d+\.", "", layer["name"])].append((e, layer["name"], m.get("chosen", "")))
    every = [x for v in kinds.values() for x in v]
    if not every:
        print(f"| {arch} | {workload} | 0 | | | | |")
        continue
    worst = max(every, key=lambda x: abs(x[0]))
    outside = sum(1 for x in every if abs(x[0]) > tol)
    print(f"| {arch} | {workload} | {len(every)} | {outside} | {worst[1]} | {worst[0]:+.1%} | "
          f"{worst[2]} |")
    if verbose:
        for kind, v in sorted(kinds.items()):
            es = [x[0] for x in v]
            print(f"|  |  | {len(v)} | {sum(1 for x in es if abs(x) > tol)} | {kind} | "
                  f"{min(es):+.1%} … {max(es):+.1%} | |")
PY
