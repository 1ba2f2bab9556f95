#!/usr/bin/env python3
"""How the mapping search and the simulation behave on configurations nobody shipped (issue #13):
draws random single-layer cases around one architecture (mesh shape, DRAM channel count and
places, array shape and dataflow, SRAM size, link width, the `simple` DRAM's bandwidth, and a
linear layer's M x K x N, decode-shaped M = 1 among them) in an arithmetic the architecture's
tile kind executes (--layer, or the first of ARITHMETICS the kind accepts: its own before int8),
runs `pjsim run` on each and prints
the cost model's prediction error (predicted / simulated cycles - 1 of the layer's pick), the
worst cases with their overrides, and every case that broke an invariant: a run that failed, DRAM
traffic below the data-movement lower bound, compute utilisation above 1. The same seed draws
the same cases, so two builds can be compared case by case (--compare).

  tools/random_layer_survey.py --arch FILE --out DIR [--pjsim build/pjsim] [--count N] [--seed S]
                               [--jobs N] [--tolerance F] [--show K] [--layer FIELDS]
  tools/random_layer_survey.py --compare DIR_A DIR_B [--tolerance F] [--show K]

DIR gets one directory per case (its workload and run) and results.json. --compare prints, for
the cases both surveys ran alike, how the errors moved and each case's simulated cycles B / A
(the picks of two builds, or of one build under two models)."""
import argparse
import concurrent.futures
import json
import math
import os
import random
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(message):
    print(f"random_layer_survey.py: {message}", file=sys.stderr)
    sys.exit(2)


# The layer fields tried, most specialised first, when --layer is not given: the first whose
# layer the architecture's tile kind runs (a probe run) is every case's. Plain int8 comes last,
# since the addition-only arrays also take it (their int8 path) but are built for their own.
ARITHMETICS = [
    "dtype: int8, arithmetic: ternary",
    "dtype: int8, arithmetic: binary",
    "dtype: fp16, arithmetic: lmul-fp16",
    "dtype: int8, spiking: {timesteps: 4, input_rate: 0.1, output_rate: 0.1, seed: 1}",
    "dtype: fp16",
    "dtype: bf16",
    "dtype: fp32",
    "dtype: int8",
]


def layer_yaml(name, m, k, n, fields):
    return f"name: {name}\nlayers:\n  - {{name: l, op: linear, m: {m}, k: {k}, n: {n}, {fields}}}\n"


def run_pjsim(cmd, timeout):
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def probe_arithmetic(pjsim, arch, out, given):
    """The layer fields of every case: `given` (--layer) if the architecture's tile kind runs a
    small layer in it, else the first of ARITHMETICS it runs; fail (exit 2) where it runs none."""
    if given is not None:
        try:
            named = yaml.safe_load("{" + given + "}")
        except yaml.YAMLError as e:
            fail(f"--layer {{{given}}}: not YAML flow fields ({str(e).splitlines()[0]})")
        drawn = sorted({"name", "op", "m", "k", "n", "inputs"} & set(named or {}))
        if drawn:
            fail(f"--layer {{{given}}}: {', '.join(drawn)} are the survey's to draw, not --layer's")
    probe = os.path.join(out, "probe")
    os.makedirs(probe, exist_ok=True)
    workload = os.path.join(probe, "w.yaml")
    refusal = ""
    for fields in [given] if given is not None else ARITHMETICS:
        with open(workload, "w") as f:
            f.write(layer_yaml("probe", 4, 64, 64, fields))
        p = run_pjsim([pjsim, "run", "--arch", arch, "--workload", workload, "--quiet"], 120)
        if p.returncode == 0:
            return fields
        lines = p.stderr.strip().splitlines()
        refusal = lines[-1] if lines else f"exit {p.returncode}"
    if given is not None:
        fail(f"--layer {{{given}}} does not run on {arch}: {refusal}")
    fail(f"{arch}: its tile kind runs none of the survey's layers (--layer); last refusal: {refusal}")


def draw(seed, index, simple_dram):
    """The overrides and layer of case `index`: a function of (seed, index) alone."""
    r = random.Random(seed * 1_000_003 + index)
    w, h = r.choice([1, 2, 3, 4, 5, 6, 8]), r.choice([1, 2, 3, 4, 6, 8])
    places = []
    for p in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (w // 2, 0), (0, h // 2)]:
        if p not in places:
            places.append(p)
    channels = places[: r.choice([1, 2, 3, 4])]
    sets = [
        f"arch.mesh.width={w}",
        f"arch.mesh.height={h}",
        "arch.dram.channels=[" + ", ".join(f"{{x: {x}, y: {y}}}" for x, y in channels) + "]",
        f"arch.tile.rows={r.choice([8, 16, 24, 32, 48, 64])}",
        f"arch.tile.cols={r.choice([8, 16, 32, 48, 64])}",
        "arch.tile.dataflow=" + r.choice(["output_stationary", "weight_stationary", "input_stationary"]),
        "arch.tile.sram.capacity=" + r.choice(["64 KiB", "128 KiB", "256 KiB", "512 KiB", "1 MiB", "2 MiB"]),
        "arch.noc.link_width=" + r.choice(["16 B/cycle", "32 B/cycle", "64 B/cycle", "128 B/cycle"]),
    ]
    bandwidth = r.choice(["12.8 GB/s", "25.6 GB/s", "51.2 GB/s", "102.4 GB/s"])
    if simple_dram:
        sets.append(f"arch.dram.channel_bandwidth={bandwidth}")
    m = 1 if r.random() < 0.3 else r.choice([16, 64, 100, 128, 257, 512, 1000, 2048])
    k = r.choice([128, 300, 512, 1024, 2048, 2560, 4096, 5000, 14336])
    n = r.choice([8, 64, 100, 512, 1024, 2560, 3000, 4096, 14336])
    return sets, (m, k, n)


def bound_floor(fields, m, k):
    """The least DRAM bytes / lower bound a run may show. A spiking layer's bound is its expected
    traffic at its rates (mostly the weight rows its spikes need: an input is active with
    p = 1 - (1 - rate)^(m T)); the run draws its spikes, so allow four standard deviations of the
    drawn active-row count (relative: at most 4 / sqrt(k p))."""
    spiking = (yaml.safe_load("{" + fields + "}") or {}).get("spiking")
    if not spiking:
        return 0.999
    rate = float(spiking.get("input_rate", 1))
    p = 1 - (1 - rate) ** (m * int(spiking.get("timesteps", 1)))
    return 0.999 - 4 / math.sqrt(max(k * p, 1))


def run_case(pjsim, arch, out, seed, index, simple_dram, fields):
    sets, (m, k, n) = draw(seed, index, simple_dram)
    case = os.path.join(out, f"case{index:04d}")
    os.makedirs(case, exist_ok=True)
    workload = os.path.join(case, "w.yaml")
    with open(workload, "w") as f:
        f.write(layer_yaml(f"case{index}", m, k, n, fields))
    cmd = [pjsim, "run", "--arch", arch, "--workload", workload, "--out", os.path.join(case, "run")]
    for s in sets:
        cmd += ["--set", s]
    result = {"index": index, "sets": sets, "shape": [m, k, n]}
    try:
        p = run_pjsim(cmd, 600)
    except subprocess.TimeoutExpired:
        return dict(result, problem="timed out after 600 s")
    if p.returncode != 0:
        lines = p.stderr.strip().splitlines()
        return dict(result, problem=f"exit {p.returncode}: " + (lines[-1] if lines else ""))
    with open(os.path.join(case, "run", "report.json")) as f:
        layer = json.load(f)["layers"][0]
    mapping = layer["mapping"]
    result.update(
        cycles=layer["cycles"],
        predicted=mapping["predicted_cycles"],
        error=mapping["predicted_cycles"] / layer["cycles"] - 1,
        mapping=mapping["chosen"],
        over_bound=mapping["dram_over_lower_bound"],
        utilization=layer["compute_utilization"],
    )
    problems = []
    floor = bound_floor(fields, m, k)
    if mapping["dram_over_lower_bound"] < floor:
        problems.append(f"DRAM bytes {mapping['dram_over_lower_bound']:.3f}x the lower bound")
    if layer["compute_utilization"] > 1.0001:
        problems.append(f"compute utilisation {layer['compute_utilization']:.3f}")
    if problems:
        result["problem"] = "; ".join(problems)
    return result


def quantile(values, q):
    values = sorted(values)
    return values[int(q * (len(values) - 1))] if values else float("nan")


def describe(case):
    return " ".join(s.split("=", 1)[1] for s in case["sets"])


def survey(args):
    if args.count < 1 or args.jobs < 1:
        fail("--count and --jobs need positive integers")
    if not os.path.isfile(args.arch):
        fail(f"no architecture file {args.arch}")
    if not os.access(args.pjsim, os.X_OK):
        fail(f"no pjsim executable at {args.pjsim} (--pjsim)")
    with open(args.arch) as f:
        dram = (yaml.safe_load(f) or {}).get("dram") or {}
    simple_dram = dram.get("model", "simple") == "simple"
    os.makedirs(args.out, exist_ok=True)
    arch = os.path.abspath(args.arch)
    fields = probe_arithmetic(args.pjsim, arch, args.out, args.layer)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        cases = list(pool.map(
            lambda i: run_case(args.pjsim, arch, args.out, args.seed, i, simple_dram, fields),
            range(args.count)))
    with open(os.path.join(args.out, "results.json.tmp"), "w") as f:
        json.dump({"arch": args.arch, "seed": args.seed, "layer": fields, "cases": cases}, f, indent=1)
    os.replace(os.path.join(args.out, "results.json.tmp"), os.path.join(args.out, "results.json"))
    ran = [c for c in cases if "error" in c]
    errors = [abs(c["error"]) for c in ran]
    outside = [c for c in ran if abs(c["error"]) > args.tolerance]
    print(f"{len(cases)} cases on {args.arch} (seed {args.seed}; layers {{{fields}}}): {len(ran)} ran, "
          f"{len(outside)} predicted outside ±{args.tolerance:.0%}; |error| median "
          f"{quantile(errors, 0.5):.1%}, 90th percentile {quantile(errors, 0.9):.1%}, "
          f"max {max(errors, default=float('nan')):.1%}")
    for c in sorted(ran, key=lambda c: -abs(c["error"]))[: args.show]:
        m, k, n = c["shape"]
        print(f"  case{c['index']:04d} {c['error']:+6.1%} simulated {c['cycles']:>11.0f}  "
              f"{m}x{k}x{n}  {c['mapping']}  | {describe(c)}")
    broken = [c for c in cases if "problem" in c]
    for c in broken:
        m, k, n = c["shape"]
        print(f"  PROBLEM case{c['index']:04d} {m}x{k}x{n}: {c['problem']}  | {describe(c)}")
    return 1 if broken else 0


def compare(args):
    loaded = []
    for d in args.compare:
        try:
            with open(os.path.join(d, "results.json")) as f:
                loaded.append(json.load(f))
        except (OSError, ValueError) as e:
            fail(f"{d}: no readable results.json ({e})")
    a, b = loaded
    # Surveys from before --layer wrote no "layer": they ran int8 layers.
    layer_a, layer_b = (x.get("layer", "dtype: int8") for x in (a, b))
    if layer_a != layer_b:
        fail(f"the surveys ran different layers ({layer_a} / {layer_b}): nothing to compare")
    by_index = {c["index"]: c for c in b["cases"]}
    pairs = [(c, by_index[c["index"]]) for c in a["cases"]
             if c["index"] in by_index and c["sets"] == by_index[c["index"]]["sets"]
             and c["shape"] == by_index[c["index"]]["shape"] and "error" in c and "error" in by_index[c["index"]]]
    if not pairs:
        fail("the two surveys share no case that ran in both (same seed and architecture?)")
    ea = [abs(x["error"]) for x, _ in pairs]
    eb = [abs(y["error"]) for _, y in pairs]
    ratios = [y["cycles"] / x["cycles"] for x, y in pairs]
    t = args.tolerance
    print(f"{len(pairs)} cases in both: outside ±{t:.0%} {sum(e > t for e in ea)} -> "
          f"{sum(e > t for e in eb)}; |error| median {quantile(ea, 0.5):.1%} -> {quantile(eb, 0.5):.1%}, "
          f"90th percentile {quantile(ea, 0.9):.1%} -> {quantile(eb, 0.9):.1%}")
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    print(f"simulated cycles B / A: geometric mean {geo:.4f}, {sum(r > 1.01 for r in ratios)} cases "
          f"slower by > 1%, {sum(r < 0.99 for r in ratios)} faster")
    for (x, y), r in sorted(zip(pairs, ratios), key=lambda p: -abs(math.log(p[1])))[: args.show]:
        print(f"  case{x['index']:04d} {r - 1:+6.1%}  {x['mapping']} -> {y['mapping']}  | {describe(x)}")
    return 0


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments are one line and exit status 2, as every pjsim tool's."""

    def error(self, message):
        fail(message + " (see --help)")


def main():
    parser = OneLineParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch")
    parser.add_argument("--out")
    parser.add_argument("--pjsim", default=os.path.join(HERE, "build", "pjsim"))
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument("--show", type=int, default=15)
    parser.add_argument("--layer", metavar="FIELDS",
                        help="the linear layer's arithmetic fields as YAML flow, e.g. "
                             "'dtype: fp16, arithmetic: lmul-fp16' (default: probed)")
    parser.add_argument("--compare", nargs=2, metavar=("DIR_A", "DIR_B"))
    args = parser.parse_args()
    if args.compare:
        if args.arch or args.out:
            fail("--compare takes no --arch or --out")
        return compare(args)
    if not args.arch or not args.out:
        fail("--arch and --out are needed (or --compare DIR_A DIR_B); see --help")
    return survey(args)


if __name__ == "__main__":
    sys.exit(main())
