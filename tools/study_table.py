#!/usr/bin/env python3
"""Per-token energy and time table of a results store whose points set run.tokens (prefill and
decode workloads): energy per token split into compute / SRAM / DRAM / NoC / leakage, and time
per token. Usage: study_table.py STORE [STORE...]. Reads each store's results.jsonl; prints one
Markdown table. A decode point's phase reads decodeN, N the tokens it decoded (a spec may set
workload.decode_tokens below the workload file's)."""
import json
import os
import sys

GROUPS = ["compute", "sram", "dram", "noc", "leakage"]


def label(record):
    files = record["files"]
    workload = os.path.basename(files["workload"]).rsplit(".", 1)[0]  # e.g. decode32
    design = record.get("axes", {}).get("workload.arithmetic")  # swept workload-wide
    if design is None:  # a workload file per design, e.g. ternary.decode32
        design, workload = workload.split(".", 1)
    phase = workload
    tokens = (record.get("config") or {}).get("workload", {}).get("decode_tokens")
    if phase.startswith("decode") and tokens:
        phase = f"decode{tokens}"
    tech = os.path.basename(files["tech"] or record["config"]["arch"].get("tech", "")).rsplit(".", 1)[0]
    return tech, phase, design


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: study_table.py STORE [STORE...]")
    lines = []
    for store in sys.argv[1:]:
        try:
            lines += open(os.path.join(store, "results.jsonl")).read().splitlines()
        except OSError as e:
            sys.exit(f"study_table.py: {e}")
    print("| node | phase | design | compute | SRAM | DRAM | NoC | leakage | total µJ/token | ms/token |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for line in lines:
        r = json.loads(line)
        tech, phase, design = label(r)
        if r["status"] == "skipped":  # points a spec's filter rules out
            continue
        if r["status"] != "ok":
            print(f"| {tech} | {phase} | {design} | {r['status']}: {r['error']} |")
            continue
        rep = r["report"]
        tokens = rep["run"]["tokens"]
        split = {g: 0.0 for g in GROUPS}
        for category, pj in rep["energy_by_category"].items():
            split[category.split(".")[0]] += pj
        cells = [f"{split[g] / tokens / 1e6:.1f}" for g in GROUPS]
        total = rep["run"]["energy_per_token_pj"] / 1e6
        ms = rep["run"]["seconds_per_token"] * 1e3
        print(f"| {tech} | {phase} | {design} | " + " | ".join(cells) + f" | {total:.1f} | {ms:.3f} |")


if __name__ == "__main__":
    main()
