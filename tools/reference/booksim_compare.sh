#!/usr/bin/env bash
# Runs `pjsim noc-bench` and BookSim 2 on the same meshes, traffic and router timing and prints
# zero-load latency and saturation throughput side by side, against issue #14's tolerances
# (zero-load within 10%, saturation within 15%). BookSim is not part of pjsim: build it
# yourself (github.com/booksim/booksim2, src/: `make`) and pass its directory.
#
#   tools/reference/booksim_compare.sh --ref-dir DIR [--pjsim build/pjsim] [--quick]
#                                      [--only REGEX] [--sweep] [--jobs N] [--keep DIR]
#
# DIR is BookSim's checkout (DIR/src/booksim) or the directory holding the `booksim` binary;
# shipped configurations are read from DIR/src/examples (or DIR/examples). --only runs the cases
# whose name matches REGEX (e.g. --only 'bitcomp|tornado'). --sweep prints, instead, where each
# case saturates: the offered rate is raised in steps of 1/20 of the pattern's channel-load bound
# until the packet latency passes 3x the zero-load latency (randperm cases are skipped: the two
# simulators' permutations, and so their bounds, differ). How each BookSim parameter maps to a
# noc-bench flag, and why, is in docs/NOC.md ("BookSim comparison").
set -euo pipefail

ref_dir="" pjsim="build/pjsim" quick=0 jobs=2 keep="" only="" sweep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ref-dir) ref_dir="$2"; shift 2 ;;
    --pjsim) pjsim="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --only) only="$2"; shift 2 ;;
    --sweep) sweep=1; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
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

exec python3 - "$booksim" "$pjsim" "$examples" "$quick" "$jobs" "$keep" "$only" "$sweep" <<'PY'
import concurrent.futures, json, os, re, subprocess, sys, tempfile

booksim, pjsim, examples, quick, jobs, keep, only, sweep = sys.argv[1:9]
quick, jobs, sweep = quick == "1", int(jobs), sweep == "1"
workdir = keep or tempfile.mkdtemp(prefix="booksim_compare_")
os.makedirs(workdir, exist_ok=True)

# BookSim's defaults (src/booksim_config.cpp) for the router timing this script varies.
DEFAULT_ROUTER = dict(routing_delay=1, vc_alloc_delay=1, sw_alloc_delay=1, st_prepare_delay=0,
                      st_final_delay=1, credit_delay=0, speculative=0)

def case(name, k, traffic, flits, vcs, buf, low, router=None, shipped=None, full=True,
         seeds=(1,)):
    r = dict(DEFAULT_ROUTER)
    r.update(router or {})
    return dict(name=name, k=k, traffic=traffic, flits=flits, vcs=vcs, buf=buf, low=low,
                router=r, shipped=shipped, full=full, seeds=seeds)

# randperm: each simulator draws its own permutation (BookSim from randperm(S) with its own
# generator, noc-bench from --seed), so single runs compare different traffic. The case runs
# PERM_SEEDS permutations in each and compares the means (the min..max spread is printed).
PERM_SEEDS = (1, 2, 3, 4, 5, 6, 7, 8)

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
# BookSim's permutations (src/traffic.cpp), same router as the main rows; 8 x 8 and 4 x 4.
for k in (8, 4):
    for p in ("bitcomp", "bitrev", "shuffle", "tornado", "neighbor", "randperm"):
        CASES.append(case(f"{k}x{k} {p}, 4-flit, 2 VC x 8", k, p, 4, 2, 8, 0.01,
                          full=(k == 8), seeds=PERM_SEEDS if p == "randperm" else (1,)))
if quick:
    CASES = [c for c in CASES if c["full"]]
if only:
    CASES = [c for c in CASES if re.search(only, c["name"])]

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

# noc-bench pattern -> BookSim `traffic =`; the permutations keep their names, with node ids
# x + k y in both (kncube.cpp numbers dimension 0 first, and DOR routes it first, as XY does).
# randperm's seed goes in the parameter: the 2015 booksim_config.cpp declares the string field
# "parm_seed" (sic), so traffic.cpp's GetStr("perm_seed") for a bare `randperm` aborts.
BS_TRAFFIC = {"uniform": "uniform", "transpose": "transpose", "hotspot": "hotspot({0})",
              "bitcomp": "bitcomp", "bitrev": "bitrev", "shuffle": "shuffle",
              "tornado": "tornado", "neighbor": "neighbor", "randperm": "randperm({seed})"}

def run_booksim(c, rate, sim_type, tag, seed=1):
    lines = []
    if c["shipped"]:
        path = os.path.join(examples, c["shipped"])
        with open(path) as f:
            lines.append(f.read())
    else:
        lines += ["topology = mesh;", f"k = {c['k']};", "n = 2;", "routing_function = dor;",
                  f"num_vcs = {c['vcs']};", f"vc_buf_size = {c['buf']};",
                  f"traffic = {BS_TRAFFIC[c['traffic']].replace('{seed}', str(seed))};",
                  f"packet_size = {c['flits']};"]
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

def run_pjsim(c, rate, cycles, tag, seed=1):
    cmd = [pjsim, "noc-bench", "--mesh", str(c["k"]), "--pattern", c["traffic"],
           "--injection-rate", str(rate), "--packet-flits", str(c["flits"]),
           "--virtual-channels", str(c["vcs"]), "--buffer-flits", str(c["buf"]),
           "--cycles", str(cycles), "--seed", str(seed), "--json"] + noc_bench_flags(c)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    with open(os.path.join(workdir, f"{tag}.pjsim.json"), "w") as f:
        f.write(" ".join(cmd) + "\n" + out)
    j = json.loads(out)
    return dict(latency=j["avg_packet_latency_cycles"], accepted=j["accepted_flits_per_node_cycle"],
                zero_load=j["zero_load_latency_cycles"],
                bound=j["channel_load_bound_flits_per_node_cycle"])

def saturation(c, run):
    """Highest accepted rate among offered rates of 1/20, 2/20, .. of the channel-load bound
    before the packet latency passes 3x the zero-load latency (or the run does not finish:
    BookSim's latency mode aborts past 500 cycles). `run(rate, tag)` -> result or None."""
    probe = run_pjsim(c, 0.01, 2000, f"{c['tag']}_probe")
    step, limit = probe["bound"] / 20, 3 * probe["zero_load"]
    best, i = 0.0, 1
    while i * step <= 1.0 + 1e-9:
        r = run(round(i * step, 6), f"{c['tag']}_{i}")
        if r is None or r["latency"] > limit:
            break
        best = max(best, r["accepted"])
        i += 1
    return dict(saturation=best, bound=probe["bound"], zero_load=probe["zero_load"], steps=i - 1)

if sweep:
    CASES = [c for c in CASES if len(c["seeds"]) == 1 and not c["shipped"]]
    for i, c in enumerate(CASES):
        c["tag"] = f"sweep{i}"
    jobs_ = []
    for c in CASES:
        jobs_ += [lambda c=c: saturation(c, lambda r, t: run_booksim(c, r, "latency", t + "_bs")),
                  lambda c=c: saturation(c, lambda r, t: run_pjsim(c, r, 10000, t + "_pj"))]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        done = list(pool.map(lambda f: f(), jobs_))
    print("| case | zero-load | channel-load bound | saturation BookSim / pjsim | diff | "
          "BookSim / pjsim over the bound |")
    print("|---|---:|---:|---|---:|---|")
    fails = 0
    for c, b, p in zip(CASES, done[0::2], done[1::2]):
        d = (p["saturation"] - b["saturation"]) / b["saturation"]
        ok = abs(d) <= 0.15
        fails += not ok
        print(f"| {c['name']} | {p['zero_load']:.2f} | {p['bound']:.4f} | "
              f"{b['saturation']:.4f} / {p['saturation']:.4f} | {d:+.1%}{'' if ok else ' FAIL'} | "
              f"{b['saturation'] / p['bound']:.2f} / {p['saturation'] / p['bound']:.2f} |")
    print(f"\nsaturation: the highest accepted rate (flits/node/cycle) among offered rates of "
          f"1/20, 2/20, .. of the bound before the packet latency passes 3x the zero-load "
          f"latency; tolerance 15%. {fails} outside. Runs kept in {workdir}")
    sys.exit(1 if fails else 0)

def mean(runs):
    """The runs' mean of every figure, with the min..max spread; None if a run failed."""
    if any(r is None for r in runs):
        return None
    out = {k: sum(r[k] for r in runs) / len(runs) for k in runs[0]}
    out["spread"] = {k: (min(r[k] for r in runs), max(r[k] for r in runs)) for k in runs[0]}
    out["runs"] = len(runs)
    return out

# One job per simulator run, so a randperm case's seeds spread over the workers.
JOBS = []
for i, c in enumerate(CASES):
    for s in c["seeds"]:
        JOBS += [(i, "bl", lambda c=c, i=i, s=s: run_booksim(c, c["low"], "latency", f"{i}_{s}_low", s)),
                 (i, "pl", lambda c=c, i=i, s=s: run_pjsim(c, c["low"], 20000, f"{i}_{s}_low", s)),
                 (i, "bs", lambda c=c, i=i, s=s: run_booksim(c, 1.0, "throughput", f"{i}_{s}_sat", s)),
                 (i, "ps", lambda c=c, i=i, s=s: run_pjsim(c, 1.0, 10000, f"{i}_{s}_sat", s))]
with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
    done = list(pool.map(lambda j: j[2](), JOBS))
per_case = [dict(bl=[], pl=[], bs=[], ps=[]) for _ in CASES]
for (i, what, _), r in zip(JOBS, done):
    per_case[i][what].append(r)
results = [tuple(mean(pc[w]) for w in ("bl", "pl", "bs", "ps")) for pc in per_case]

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
    name = c["name"]
    lat = f"{bl['latency']:.2f} / {pl['latency']:.2f} ({pl['zero_load']:.2f})"
    sat = f"{bs['accepted']:.4f} / {ps['accepted']:.4f}"
    if bl["runs"] > 1:  # means over permutations; spreads min..max
        name += f", mean of {bl['runs']} permutations each"
        sp = lambda r, k, f: f"{r['spread'][k][0]:{f}}..{r['spread'][k][1]:{f}}"
        lat += f" [{sp(bl, 'latency', '.1f')} / {sp(pl, 'latency', '.1f')}]"
        sat += f" [{sp(bs, 'accepted', '.3f')} / {sp(ps, 'accepted', '.3f')}]"
    print(f"| {name} | {flags} | {lat} | {dl:+.1%}{'' if okl else ' FAIL'} | "
          f"{sat} | {ds:+.1%}{'' if oks else ' FAIL'} |")
print(f"\nlow load: the case's rate in flits/node/cycle; saturation: accepted flits/node/cycle at "
      f"an offered 1.0. Tolerances (issue #14): 10% and 15%. {fails} outside. Runs kept in "
      f"{workdir}")
sys.exit(1 if fails else 0)
PY
