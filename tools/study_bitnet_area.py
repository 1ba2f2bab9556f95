#!/usr/bin/env python3
"""The BitNet study's equal-area comparison (configs/studies/bitnet_energy_iso_area.yaml).
  study_bitnet_area.py check SPEC PJSIM   checks that the spec's zipped array sizes are what
                                          `pjsim area --iso-area` gives for each design at the
                                          int8 design's area (exit 1 naming the first mismatch)
  study_bitnet_area.py table STORE...     prints the Markdown table of docs/AREA.md: per design
                                          its array, area, peak TOPS/mm2, energy and time per
                                          token, tokens/s/mm2 and speed against int8."""
import json
import os
import subprocess
import sys

import yaml


def axis(spec, key):
    for a in spec["axes"]:
        if a["key"] == key:
            return a["values"]
    sys.exit(f"study_bitnet_area.py: the spec has no axis '{key}'")


def pjsim_area(pjsim, arch, tech, extra):
    out = subprocess.run([pjsim, "area", "--arch", arch, "--tech", tech, "--json"] + extra,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def check(spec_path, pjsim):
    spec = yaml.safe_load(open(spec_path))
    here = os.path.dirname(spec_path)
    archs = axis(spec, "arch")
    rows = axis(spec, "arch.tile.rows")
    cols = axis(spec, "arch.tile.cols")
    for tech in axis(spec, "tech"):
        tech = os.path.join(here, tech)
        target = pjsim_area(pjsim, os.path.join(here, "../arch/default.yaml"), tech, [])
        for arch, r, c in zip(archs, rows, cols):
            sized = pjsim_area(pjsim, os.path.join(here, arch), tech,
                               ["--iso-area", repr(target["total_mm2"]), "--knob", "array"])
            if sized["value"] != r or sized["value"] != c:
                sys.exit(f"study_bitnet_area.py: {arch} at {os.path.basename(tech)}: the spec "
                         f"says {r}x{c}, pjsim area --iso-area says {sized['value']}")
    print("iso-area sizes match pjsim area --iso-area")


def table(stores):
    records = []
    for store in stores:
        for line in open(os.path.join(store, "results.jsonl")).read().splitlines():
            records.append(json.loads(line))
    rows = {}
    for r in records:
        if r["status"] != "ok":
            print(f"| {r['status']}: {r.get('error', '')} |")
            continue
        tech = os.path.basename(r["files"]["tech"]).rsplit(".", 1)[0]
        phase = os.path.basename(r["files"]["workload"]).rsplit(".", 1)[0]
        design = r["axes"]["workload.arithmetic"]
        rows[(tech, phase, design)] = r
    print("| node | phase | design | array | area mm² | peak TOPS/mm² | µJ/token | ms/token "
          "| tokens/s/mm² | time vs int8 |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|")
    for (tech, phase, design), r in rows.items():
        rep = r["report"]
        area = rep["area"]
        tokens = rep["run"]["tokens"]
        seconds = rep["total"]["seconds"]
        per_token = rep["run"]["seconds_per_token"]
        int8 = rows.get((tech, phase, "int8"))
        speed = ""
        if int8:
            speed = f"{per_token / int8['report']['run']['seconds_per_token']:.3f}"
        n = r["axes"]["arch.tile.rows"]
        print(f"| {tech} | {phase} | {design} | {n}×{n} | {area['total_mm2']:.2f} "
              f"| {area['peak_tops_per_mm2']:.4f} | {rep['total']['energy_pj'] / tokens / 1e6:.1f} "
              f"| {per_token * 1e3:.3f} | {tokens / seconds / area['total_mm2']:.2f} | {speed} |")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "table":
        table(sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
