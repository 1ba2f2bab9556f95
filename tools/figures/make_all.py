#!/usr/bin/env python3
"""Rebuilds every figure in docs/figures/ from its results store.

  python3 tools/figures/make_all.py [--dry-run | --yes | --skip-missing] [--check] [--out DIR]
                                    [--pjsim PATH] [-j N]
  bash tools/figures/make_all.sh [options]   # the same, with a Python that has matplotlib

First it prints the plan: every figure, the store it reads, and for each store that is missing or
incomplete the sweep that would fill it (points to run and a time estimate from the CPU time per
point measured on the development machine, divided by -j). It never runs a sweep unasked:

  (default)       draw the figures if every store is complete; otherwise print the plan and
                  stop with exit status 3, naming the options below
  --yes           run the missing sweeps (with --resume where a store is partial), then draw
  --skip-missing  draw only the figures whose stores are complete, list the others
  --dry-run       print the plan and stop

--check makes every figure pass the print checklist (tools/figures/checklist.py: no raw config
keys in any text, fonts >= 6 pt, legends outside the data area, every axis labelled) before it is
written. The figures are byte-identical when re-made from the same stores (style.save fixes the
PDF and PNG metadata).
"""

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.realpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import figure_cli  # noqa: E402

# Stores: name -> (sweep spec, store directory, CPU seconds per point). The CPU time per point is
# the stores' own carbon.json record of their last full run on the 2-core development machine
# (cpu_seconds / points_run), used only for the estimate.
STORES = {
    "node_arch": ("configs/sweeps/node_arch.yaml", "out/sweeps/node_arch", 0.15),
    "array_sram_dram": ("configs/sweeps/array_sram_dram.yaml", "out/sweeps/array_sram_dram", 0.1),
    "moe_gating": ("configs/studies/moe_gating.yaml", "out/sweeps/moe_gating", 0.75),
    "snn_vs_qann_snn": ("configs/studies/snn_vs_qann_snn.yaml", "out/studies/snn_vs_qann/snn",
                        0.51),
    "snn_vs_qann_qann": ("configs/studies/snn_vs_qann_qann.yaml", "out/studies/snn_vs_qann/qann",
                         0.18),
    "bitnet_energy_iso_area": ("configs/studies/bitnet_energy_iso_area.yaml",
                               "out/studies/bitnet_energy_iso_area", 2.3),
}

# Figures: (files written, stores read, command). Commands are relative to the repository;
# {store:NAME} is the directory of store NAME. docs/SWEEPS.md shows the same commands.
FIGURES = [
    (["energy_breakdown"], ["node_arch"],
     ["tools/figures/energy_breakdown.py", "configs/sweeps/node_arch.yaml",
      "--store", "{store:node_arch}", "--name", "energy_breakdown"]),
    (["pareto"], ["array_sram_dram"],
     ["tools/figures/pareto.py", "configs/sweeps/array_sram_dram.yaml",
      "--store", "{store:array_sram_dram}", "--marker-by", "arch.tile.rows",
      "--size-by", "arch.tile.sram.capacity", "--name", "pareto"]),
    (["metric_lines"], ["array_sram_dram"],
     ["tools/figures/metric_lines.py", "configs/sweeps/array_sram_dram.yaml",
      "--store", "{store:array_sram_dram}", "--x", "arch.tile.sram.capacity",
      "--group", "arch.dram.type", "--metric", "energy_per_token_uj", "--name", "metric_lines"]),
    (["roofline"], ["array_sram_dram"],
     ["tools/figures/roofline.py", "configs/sweeps/array_sram_dram.yaml",
      "--store", "{store:array_sram_dram}", "--where", "arch.tile.sram.capacity=512",
      "--where", "arch.dram.type=hbm2e", "--name", "roofline"]),
    # Also prints the study tables (README, MoE and power gating).
    (["moe_gating", "moe_gating_batch"], ["moe_gating"],
     ["tools/figures/moe_gating.py", "configs/studies/moe_gating.yaml",
      "--store", "{store:moe_gating}", "--name", "moe_gating"]),
    # Also rewrites out/studies/snn_vs_qann/{breakeven,energy}.csv and summary.md.
    (["snn_vs_qann", "snn_vs_qann_breakdown"], ["snn_vs_qann_snn", "snn_vs_qann_qann"],
     ["tools/snn_vs_qann.py", "--plot-only", "--out", "out/studies/snn_vs_qann"]),
    (["area_carbon"], ["bitnet_energy_iso_area"],
     ["tools/figures/area_carbon.py", "configs/studies/bitnet_energy_iso_area.yaml",
      "--store", "{store:bitnet_energy_iso_area}", "--name", "area_carbon"]),
]


def count_rows(directory):
    """ok/failed rows recorded in the store's results.csv (0 without one)."""
    try:
        with open(os.path.join(directory, "results.csv"), encoding="utf-8") as f:
            return max(0, sum(1 for _ in f) - 1)
    except OSError:
        return 0


def points_to_run(spec, directory, pjsim):
    """(points the spec runs, points still to run) for a store; pjsim --dry-run when the store
    has no manifest yet."""
    manifest = os.path.join(directory, "sweep.json")
    if os.path.isfile(manifest):
        with open(manifest, encoding="utf-8") as f:
            total = int(json.load(f)["points"])
        return total, max(0, total - count_rows(directory))
    if pjsim is None:
        return None, None
    out = subprocess.run([pjsim, "sweep", spec, "--dry-run"], capture_output=True, text=True)
    m = re.search(r"(\d+) points?, (\d+) to run", out.stdout + out.stderr)
    if not m:
        return None, None
    return int(m.group(1)), int(m.group(2))


def minutes(seconds):
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def plan(args):
    """Prints the plan; returns {store name: points to run} for the stores that are not complete."""
    try:
        pjsim = figure_cli.find_pjsim(args.pjsim)
    except figure_cli.style.FigureError:  # no build yet: the plan says so where it needs one
        pjsim = None
    missing = {}
    print(f"make_all: {sum(len(f[0]) for f in FIGURES)} figures into "
          f"{os.path.relpath(args.out, REPO)}/ from {len(STORES)} stores")
    for name, (spec, directory, cpu_per_point) in STORES.items():
        path = os.path.join(REPO, directory)
        total, to_run = points_to_run(os.path.join(REPO, spec), path, pjsim)
        if to_run == 0 and figure_cli.store_is_complete(path, os.path.join(REPO, spec)):
            print(f"  {directory}: complete ({total} points)")
            continue
        if total is None:
            print(f"  {directory}: missing; `pjsim sweep {spec}` must run (points unknown: "
                  "build pjsim for the count)")
            missing[name] = None
            continue
        if to_run == 0:
            print(f"  {directory}: {total} points, not yet checked against this text of {spec}: "
                  "`pjsim sweep --resume` checks every point's config hash")
            missing[name] = 0
            continue
        estimate = to_run * cpu_per_point / max(1, args.jobs)
        print(f"  {directory}: {to_run} of {total} points to run: `pjsim sweep {spec}` "
              f"(about {minutes(estimate)} at -j {args.jobs})")
        missing[name] = to_run
    known = [STORES[n][2] * t for n, t in missing.items() if t is not None]
    if missing:
        print(f"  sweeps to run: {len(missing)}, about {minutes(sum(known) / max(1, args.jobs))} "
              f"at -j {args.jobs}"
              + (" plus the unknown ones" if len(known) < len(missing) else ""))
    for files, stores, command in FIGURES:
        state = "waits for " + ", ".join(s for s in stores if s in missing) \
            if any(s in missing for s in stores) else "ready"
        print(f"  figure {', '.join(files)}: {os.path.basename(command[0])} ({state})")
    return missing, pjsim


def run_sweep(name, pjsim, jobs):
    spec, directory, _ = STORES[name]
    path = os.path.join(REPO, directory)
    command = [pjsim, "sweep", os.path.join(REPO, spec), "--out", path, "-j", str(jobs)]
    if os.path.isdir(os.path.join(path, "points")):
        command.append("--resume")
    print("running: " + " ".join(command), flush=True)
    status = subprocess.run(command, stdout=sys.stderr).returncode
    if status not in (0, 1):  # 1: some points failed; they are recorded, plot the rest
        raise SystemExit(f"make_all.py: error: pjsim sweep {spec} exited with status {status}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--dry-run", action="store_true", help="print the plan and stop")
    choice.add_argument("--yes", action="store_true", help="run the sweeps the plan lists")
    choice.add_argument("--skip-missing", action="store_true",
                        help="draw only the figures whose stores are complete")
    parser.add_argument("--check", action="store_true",
                        help="every figure must pass the print checklist before it is written")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "figures"),
                        help="output directory (default: docs/figures)")
    parser.add_argument("--pjsim",
                        help="pjsim executable (default: $PJSIM or the newest build*/pjsim)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="points run at once when a sweep must run")
    args = parser.parse_args()
    args.out = os.path.abspath(args.out)
    missing, pjsim = plan(args)
    if args.dry_run:
        return 0
    if missing and not (args.yes or args.skip_missing):
        print("make_all: stores are missing: run again with --yes to run the sweeps above, or "
              "--skip-missing to draw only the figures whose stores are complete", file=sys.stderr)
        return 3
    if missing and args.yes:
        if pjsim is None:
            print("make_all.py: error: no pjsim executable: build it or pass --pjsim PATH",
                  file=sys.stderr)
            return 2
        for name in missing:
            run_sweep(name, pjsim, args.jobs)
        missing = {}
    env = dict(os.environ)
    if args.check:
        env["PJSIM_FIGURES_CHECK"] = "1"
    skipped = []
    for files, stores, command in FIGURES:
        if any(s in missing for s in stores):
            skipped += files
            continue
        argv = [sys.executable, os.path.join(REPO, command[0])]
        for word in command[1:]:
            m = re.fullmatch(r"\{store:(\w+)\}", word)
            argv.append(os.path.join(REPO, STORES[m.group(1)][1]) if m
                        else os.path.join(REPO, word) if word.startswith(("configs/", "out/"))
                        else word)
        if command[0].endswith("snn_vs_qann.py"):
            argv += ["--figures", args.out]
        else:
            argv += ["--out", args.out]
        status = subprocess.run(argv, cwd=REPO, env=env, stdout=sys.stderr).returncode
        if status != 0:
            print(f"make_all.py: error: {command[0]} failed (exit status {status})",
                  file=sys.stderr)
            return status
    if skipped:
        print(f"make_all: not drawn (store missing): {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
