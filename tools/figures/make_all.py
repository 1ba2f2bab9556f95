#!/usr/bin/env python3
"""Rebuilds every paper figure: runs each figure script with the arguments below (each runs its
sweep first if the results store under out/sweeps/ is missing or incomplete) and writes
docs/figures/NAME.pdf and NAME.png.

  python3 tools/figures/make_all.py [--out DIR] [--pjsim PATH] [-j N]
  bash tools/figures/make_all.sh            # the same, with a Python that has matplotlib
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> the one command (script and arguments) that makes it; docs/SWEEPS.md shows the same.
FIGURES = [
    ("energy_breakdown", ["energy_breakdown.py", "configs/sweeps/node_arch.yaml"]),
    ("pareto", ["pareto.py", "configs/sweeps/array_sram_dram.yaml",
                "--marker-by", "arch.tile.rows", "--size-by",
                "arch.tile.sram.capacity"]),
    ("metric_lines", ["metric_lines.py", "configs/sweeps/array_sram_dram.yaml",
                      "--x", "arch.tile.sram.capacity", "--group", "arch.dram.type",
                      "--metric", "energy_per_token_uj", "--label", "Energy per token"]),
    ("roofline", ["roofline.py", "configs/sweeps/array_sram_dram.yaml",
                  "--where", "arch.tile.sram.capacity=512", "--where", "arch.dram.type=hbm2e"]),
    # Also writes moe_gating_batch and prints the study table (README, MoE and power gating).
    ("moe_gating", ["moe_gating.py", "configs/studies/moe_gating.yaml"]),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="output directory (default: docs/figures)")
    parser.add_argument("--pjsim", help="pjsim executable (default: $PJSIM or the newest build*/pjsim)")
    parser.add_argument("-j", "--jobs", type=int, help="points run at once when a sweep must run")
    args = parser.parse_args()
    repo = os.path.realpath(os.path.join(HERE, "..", ".."))
    for name, (script, *rest) in FIGURES:
        command = [sys.executable, os.path.join(HERE, script)]
        command += [os.path.join(repo, rest[0])] + rest[1:] + ["--name", name]
        for flag, value in (("--out", args.out), ("--pjsim", args.pjsim), ("-j", args.jobs)):
            if value is not None:
                command += [flag, str(value)]
        status = subprocess.run(command).returncode
        if status != 0:
            print(f"make_all.py: error: {script} failed (exit status {status})", file=sys.stderr)
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
