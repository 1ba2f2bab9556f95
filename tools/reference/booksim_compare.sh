#!/usr/bin/env bash
# Runs `pjsim noc-bench` and BookSim 2 on the same meshes, traffic and router timing and prints
# zero-load latency and saturation throughput side by side, against issue #14's tolerances
# (zero-load within 10%, saturation within 15%). BookSim is not part of pjsim: build it
# yourself (github.com/booksim/booksim2, src/: `make`) and pass its directory.
#
#   tools/reference/booksim_compare.sh --ref-dir DIR [--pjsim build/pjsim] [--quick]
#                                      [--jobs N] [--keep DIR]
#
# DIR is BookSim's checkout (DIR/src/booksim) or the directory holding the `booksim` binary;
# shipped configurations are read from DIR/src/examples (or DIR/examples). How each BookSim
# parameter maps to a noc-bench flag, and why, is in docs/NOC.md ("BookSim comparison").
set -euo pipefail

ref_dir="" pjsim="build/pjsim" quick=0 jobs=2 keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ref-dir) ref_dir="$2"; shift 2 ;;
    --pjsim) pjsim="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "booksim_compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$ref_dir" ]] || { echo "booksim_compare.sh: --ref-dir DIR is required" >&2; exit 2; }
booksim=""
for c in "$ref_dir/src/booksim" "$ref_dir/booksim"; do [[ -x "$c" ]] && booksim="$c" && break; done
[[ -n "$booksim" ]] || { echo "booksim_compare.sh: no booksim binary in $ref_dir(/src)" >&2; exit 2; }
examples=""
for c in "$ref_dir/src/examples" "$ref_dir/examples"; do [[ -d "$c" ]] && examples="$c" && break; done
[[ -x "$pjsim" ]] || { echo "booksim_compare.sh: no pjsim binary at $pjsim (--pjsim)" >&2; exit 2; }

exec python3 - "$booksim" "$pjsim" "$examples" "$quick" "$jobs" "$keep" <<'PY'
import concurrent.futures, json, os, re, subprocess, sys, tempfile

booksim, pjsim, examples, quick, jobs, keep = sys.argv[1:7]
quick, jobs = quick == "1", int(jobs)
workdir = keep or tempfile.mkdtemp(prefix="booksim_compare_")
os.makedirs(workdir, exist_ok=True)

# BookSim's defaults (src/booksim_config.cpp) for the router timing this script varies.
DEFAULT_ROUTER = dict(routing_delay=1, vc_alloc_delay=1, sw_alloc_delay=1, st_prepare_delay=0,
                      st_final_delay=1, credit_delay=0, speculative=0)

def case(name, k, traffic, flits, vcs, buf, low, router=None, shipped=None, full=True):
    r = dict(DEFAULT_ROUTER)
    r.update(router or {})
    return dict(name=name, k=k, traffic=traffic, flits=flits, vcs=vcs, buf=buf, low=low,
                router=r, shipped=shipped, full=full)

CASES = [
    case("8x8 uniform, 1-flit, 2 VC x 8", 8, "uniform", 1, 2, 8, 0.01),
    case("8x8 uniform, 4-flit, 2 VC x 8", 8, "uniform", 4, 2, 8, 0.01),
    case("8x8 uniform, 8-flit, 2 VC x 8", 8, "uniform", 8, 2, 8, 0.01, full=False),
    case("8x8 uniform, 4-flit, 8 VC x 8", 8, "uniform", 4, 8, 8, 0.01, full=False),
    case("8x8 uniform, 4-flit, 4 VC x 4", 8, "uniform", 4, 4, 4, 0.01, full=False),
    case("8x8 uniform, 4-flit, 2 VC x 8, lookahead (routing_delay 0)", 8, "uniform", 4, 2, 8,
         0.01, router=dict(routing_delay=0), full=False),
    case("8x8 uniform, 4-flit, 2 VC x 8, speculative, credit_delay 2", 8, "uniform", 4, 2, 8,
         0.01, router=dict(speculative=1, credit_delay=2), full=False),
    case("8x8 transpose, 4-flit, 2 VC x 8", 8, "transpose", 4, 2, 8, 0.01),
    case("8x8 hotspot(0), 4-flit, 2 VC x 8", 8, "hotspot", 4, 2, 8, 0.002),
    case("4x4 uniform, 4-flit, 2 VC x 8", 4, "uniform", 4, 2, 8, 0.01),
    case("16x16 uniform, 4-flit, 2 VC x 8", 16, "uniform", 4, 2, 8, 0.005, full=False),
    case("mesh88_lat as shipped (transpose, 20-flit, 8 VC x 8)", 8, "transpose", 20, 8, 8, 0.02,
         router=dict(routing_delay=0, credit_delay=2), shipped="mesh88_lat"),
]
if quick:
    CASES = [c for c in CASES if c["full"]]

def noc_bench_flags(c):
    """BookSim timing -> noc-bench flags (derivation in docs/NOC.md)."""
    r = c["router"]
    crossbar = r["st_prepare_delay"] + r["st_final_delay"]
    if r["speculative"]:
        head = r["routing_delay"] + max(r["vc_alloc_delay"], r["sw_alloc_delay"]) - r["sw_alloc_delay"]
    else:
        head = r["routing_delay"] + r["vc_alloc_delay"]
    # kncube.cpp fixes every mesh channel (links, injection, ejection, credits) at 1 cycle;
    # a channel of latency d delivers d + 1 cycles after the send (ReadInputs/WriteOutputs).
    channel = 1 + 1
    return ["--router-latency", str(r["sw_alloc_delay"] + crossbar - 1),
            "--head-latency", str(head), "--link-latency", str(channel),
            "--credit-latency", str(channel + r["credit_delay"]),
            "--injection-latency", str(channel), "--self-traffic"]

BS_TRAFFIC = {"uniform": "uniform", "transpose": "transpose", "hotspot": "hotspot({0})"}

def run_booksim(c, rate, sim_type, tag):
    lines = []
    if c["shipped"]:
        path = os.path.join(examples, c["shipped"])
        with open(path) as f:
            lines.append(f.read())
    else:
        lines += ["topology = mesh;", f"k = {c['k']};", "n = 2;", "routing_function = dor;",
                  f"num_vcs = {c['vcs']};", f"vc_buf_size = {c['buf']};",
                  f"traffic = {BS_TRAFFIC[c['traffic']]};", f"packet_size = {c['flits']};"]
        lines += [f"{key} = {value};" for key, value in c["router"].items()]
    lines += ["injection_rate_uses_flits = 1;", f"injection_rate = {rate};",
              f"sim_type = {sim_type};", "seed = 1;"]
    if sim_type == "latency":
        lines.append("sample_period = 10000;")
    cfg = os.path.join(workdir, f"{tag}.cfg")
    with open(cfg, "w") as f:
        f.write("\n".join(lines) + "\n")
    out = subprocess.run([booksim, cfg], capture_output=True, text=True).stdout
    with open(os.path.join(workdir, f"{tag}.booksim.txt"), "w") as f:
        f.write(out)
    overall = out.split("====== Overall Traffic Statistics ======")
    if len(overall) < 2:
        return None
    get = lambda key: float(re.search(re.escape(key) + r" = ([-0-9.e+na]+)", overall[1]).group(1))
    return dict(latency=get("Packet latency average"), accepted=get("Accepted flit rate average"))

def run_pjsim(c, rate, cycles, tag):
    cmd = [pjsim, "noc-bench", "--mesh", str(c["k"]), "--pattern", c["traffic"],
           "--injection-rate", str(rate), "--packet-flits", str(c["flits"]),
           "--virtual-channels", str(c["vcs"]), "--buffer-flits", str(c["buf"]),
           "--cycles", str(cycles), "--json"] + noc_bench_flags(c)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    with open(os.path.join(workdir, f"{tag}.pjsim.json"), "w") as f:
        f.write(" ".join(cmd) + "\n" + out)
    j = json.loads(out)
    return dict(latency=j["avg_packet_latency_cycles"], accepted=j["accepted_flits_per_node_cycle"],
                zero_load=j["zero_load_latency_cycles"])

def measure(i_c):
    i, c = i_c
    return (run_booksim(c, c["low"], "latency", f"{i}_low"),
            run_pjsim(c, c["low"], 20000, f"{i}_low"),
            run_booksim(c, 1.0, "throughput", f"{i}_sat"),
            run_pjsim(c, 1.0, 10000, f"{i}_sat"))

with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
    results = list(pool.map(measure, enumerate(CASES)))

def rel(a, b):
    return (a - b) / b

print("| case | noc-bench flags (beyond mesh, pattern, size, VCs, buffers) | "
      "low-load latency BookSim / pjsim (T0) | diff | saturation BookSim / pjsim | diff |")
print("|---|---|---|---|---|---|")
fails = 0
for c, (bl, pl, bs, ps) in zip(CASES, results):
    flags = " ".join(noc_bench_flags(c)).replace("--", "")
    if bl is None or bs is None:
        print(f"| {c['name']} | {flags} | BookSim did not report | | | |")
        fails += 1
        continue
    dl, ds = rel(pl["latency"], bl["latency"]), rel(ps["accepted"], bs["accepted"])
    okl, oks = abs(dl) <= 0.10, abs(ds) <= 0.15
    fails += (not okl) + (not oks)
    print(f"| {c['name']} | {flags} | {bl['latency']:.2f} / {pl['latency']:.2f} "
          f"({pl['zero_load']:.2f}) | {dl:+.1%}{'' if okl else ' FAIL'} | "
          f"{bs['accepted']:.4f} / {ps['accepted']:.4f} | {ds:+.1%}{'' if oks else ' FAIL'} |")
print(f"\nlow load: the case's rate in flits/node/cycle; saturation: accepted flits/node/cycle at "
      f"an offered 1.0. Tolerances (issue #14): 10% and 15%. {fails} outside. Runs kept in "
      f"{workdir}")
sys.exit(1 if fails else 0)
PY
