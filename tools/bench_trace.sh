#!/usr/bin/env bash
# Cost of `pjsim run --trace` on a large workload: Llama-3-8B prefill of 2048 tokens on the 8x8
# accelerator, with 2 and 8 decoder layers (untraced, traced) and whole (untraced, traced with
# --trace-layers 'L0.*'). The 8-layer trace (~2 GB) is counted, not parsed. Prints CPU time, peak memory, trace size, events and bytes per event,
# and checks each trace event by event with Python's json module (one event per line, so the
# check streams), and that report.json is byte-identical with and without the trace.
#   tools/bench_trace.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$here/build}
pjsim="$build/pjsim"
arch="$here/configs/arch/mesh8x8-int8-hbm.yaml"
config="$here/workloads/hf/Meta-Llama-3-8B.config.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

# Streams a trace: the opening line, one JSON event per line, the closing line.
check='import collections, json, sys
ph = collections.Counter()
last = {}  # (pid, tid) -> (ts, end) of the previous span on the track
order = collections.Counter()
def seen(e):
    ph[e["ph"]] += 1
    if e["ph"] != "X": return
    k, ts = (e["pid"], e["tid"]), round(e["ts"] * 1e6)  # integer ps: exact
    if k in last:
        if ts < last[k][0]: order["unordered"] += 1
        if last[k][0] < ts < last[k][1]: order["overlapping"] += 1
    last[k] = (ts, ts + round(e["dur"] * 1e6))
with open(sys.argv[1], encoding="utf-8") as f:
    head = f.readline()
    assert head.startswith("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[")
    line = head[len("{\"displayTimeUnit\":\"ns\",\"traceEvents\":["):]
    while True:
        end = line.rstrip("\n")
        if end.endswith(","):
            seen(json.loads(end[:-1]))
        else:  # the last event and the closing of the document
            i = end.index("}]") + 1
            seen(json.loads(end[:i]))
            json.loads("{\"a\":[" + end[i:])
            break
        line = f.readline()
kinds = " ".join(f"{k}={v}" for k, v in sorted(ph.items()))
print(sum(ph.values()), kinds, "per-thread:", order["unordered"], "unordered,",
      order["overlapping"], "overlapping spans")'

run() {  # label, workload, extra flags...
  local label=$1 workload=$2
  shift 2
  rm -rf "$tmp/out" "$tmp/t.json"
  /usr/bin/time -f "%U %S %M" -o "$tmp/time" "$pjsim" run --arch "$arch" --workload "$workload" \
    --out "$tmp/out" --quiet "$@"
  read -r user sys kb < "$tmp/time"
  local bytes="-" events="-" per="-" kinds=""
  if [[ -f $tmp/t.json ]]; then
    bytes=$(stat -c %s "$tmp/t.json")
    if [[ ${check_trace:-1} == 1 ]]; then
      read -r events kinds <<< "$(python3 -c "$check" "$tmp/t.json")"
    else
      events=$(wc -l < "$tmp/t.json")  # one event a line
    fi
    per=$((bytes / events))
    bytes=$(python3 -c "print(f'{$bytes / 1e6:.0f}')")
  fi
  python3 -c "print(f'| {\"$label\":<40} | {$user + $sys:7.2f} | {$kb / 1024:7.0f} | {\"$bytes\":>8} | {\"$events\":>9} | {\"$per\":>5} |')"
  [[ -n $kinds ]] && echo "    events by phase: $kinds"
  cp "$tmp/out/report.json" "$tmp/report.$label_id.json"
}

"$pjsim" import-hf "$config" --seq 2048 --layers 2 -o "$tmp/two.yaml" > /dev/null
"$pjsim" import-hf "$config" --seq 2048 --layers 8 -o "$tmp/eight.yaml" > /dev/null
"$pjsim" import-hf "$config" --seq 2048 -o "$tmp/whole.yaml" > /dev/null
echo "| run                                      | CPU s   | peak MB | trace MB | events    | B/ev  |"
echo "|------------------------------------------|---------|---------|----------|-----------|-------|"
label_id=a run "prefill 2048, 2 layers" "$tmp/two.yaml"
label_id=b run "prefill 2048, 2 layers, --trace" "$tmp/two.yaml" --trace "$tmp/t.json"
cmp "$tmp/report.a.json" "$tmp/report.b.json" && echo "    report.json identical"
label_id=e run "prefill 2048, 8 layers" "$tmp/eight.yaml"
check_trace=0 label_id=f run "prefill 2048, 8 layers, --trace" "$tmp/eight.yaml" --trace "$tmp/t.json"
cmp "$tmp/report.e.json" "$tmp/report.f.json" && echo "    report.json identical"
label_id=c run "prefill 2048, 32 layers" "$tmp/whole.yaml"
label_id=d run "prefill 2048, 32 layers, --trace-layers L0.*" "$tmp/whole.yaml" \
  --trace "$tmp/t.json" --trace-layers 'L0.*'
cmp "$tmp/report.c.json" "$tmp/report.d.json" && echo "    report.json identical"
