#!/usr/bin/env python3
"""Runs SCALE-Sim v2 and pjsim on the same single-array GEMMs and prints both side by side.

SCALE-Sim is not part of pjsim: give the directory that holds its `scalesim` Python package
(`--ref-dir`). Each case writes a SCALE-Sim config (.cfg) and topology (.csv) and a pjsim workload
(.yaml), runs both, and prints one table row (docs/MAPPING.md, "Compared with SCALE-Sim").

Conventions the comparison applies (each read in SCALE-Sim's source, see the doc):
  * A GEMM C[M x N] = A[M x K] . B[K x N] is SCALE-Sim's GEMM ("mnk") input M, N, K, which its
    loader turns into the convolution row [ifmap h = M, ifmap w = K, filter h = 1, filter w = K,
    channels = 1, filters = N, stride 1]; this script writes that row directly, so releases
    without the mnk loader run it too. ifmap = A (pjsim's input), filter = B (the weights),
    ofmap = C.
  * SCALE-Sim's "Total Cycles" is the 0-based cycle of the last output write, one less than the
    cycles of its demand schedule; the table's "SCALE-Sim +1" is the count pjsim's closed form
    gives.
  * One word = one byte (SCALE-Sim's word_size = 1; pjsim runs int8).
"""
import argparse
import configparser
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

# What SCALE-Sim calls each dataflow, and pjsim's name for it.
DATAFLOWS = {"os": "output_stationary", "ws": "weight_stationary", "is": "input_stationary"}

# Runs SCALE-Sim in a child interpreter. NumPy >= 1.24 removed the `np.int` alias that SCALE-Sim
# v2 still uses; defining it back is the only change, and it is made here, outside its files.
RUNNER = r"""
import sys
import numpy
if not hasattr(numpy, "int"):
    numpy.int = int
sys.path.insert(0, sys.argv[1])
from scalesim.scale_sim import scalesim
s = scalesim(save_disk_space=True, verbose=False, config=sys.argv[2], topology=sys.argv[3])
s.run_scale(top_path=sys.argv[4])
"""


def ceil_div(a, b):
    return (a + b - 1) // b


def closed_form(df, rows, cols, m, k, n):
    """The single-pass fold schedule (sim/task/array_timing.h) over the whole GEMM."""
    if df == "os":
        return ceil_div(m, rows) * ceil_div(n, cols) * (rows + cols + k - 2)
    if df == "ws":
        return ceil_div(k, rows) * ceil_div(n, cols) * (2 * rows + cols + m - 2)
    return ceil_div(k, rows) * ceil_div(m, cols) * (2 * rows + cols + n - 2)


class Case:
    def __init__(self, name, rows, cols, df, m, k, n, sram_kib, bandwidth=None, cfg=None):
        self.name, self.rows, self.cols, self.df = name, rows, cols, df
        self.m, self.k, self.n = m, k, n
        self.sram_kib = sram_kib  # (ifmap, filter, ofmap) KiB
        self.bandwidth = bandwidth  # words/cycle per buffer (SCALE-Sim USER mode), None = CALC
        self.cfg = cfg  # a shipped SCALE-Sim config, used as is

    @staticmethod
    def from_shipped(path, m, k, n):
        c = configparser.ConfigParser()
        c.read(path)
        a = c["architecture_presets"]
        user = c["run_presets"]["InterfaceBandwidth"].strip() == "USER"
        bandwidth = int(a["Bandwidth"].split(",")[0]) if user else None
        return Case(os.path.splitext(os.path.basename(path))[0], int(a["ArrayHeight"]),
                    int(a["ArrayWidth"]), a["Dataflow"].strip(), m, k, n,
                    (int(a["IfmapSramSzkB"]), int(a["FilterSramSzkB"]), int(a["OfmapSramSzkB"])),
                    bandwidth, path)

    def label(self):
        if len(set(self.sram_kib)) == 1:
            mem = "3x%d" % self.sram_kib[0]
        else:
            mem = "+".join(str(s) for s in self.sram_kib)
        bw = "calc" if self.bandwidth is None else "%d" % self.bandwidth
        return "%s %dx%d %s %dx%dx%d sram=%sKiB bw=%s" % (
            self.name, self.rows, self.cols, self.df, self.m, self.k, self.n, mem, bw)


def write_scalesim_inputs(case, work):
    cfg = os.path.join(work, "scalesim.cfg")
    if case.cfg:
        shutil.copyfile(case.cfg, cfg)
    else:
        mode = "CALC" if case.bandwidth is None else "USER"
        with open(cfg, "w") as f:
            f.write("[general]\nrun_name = pjsim_compare\n\n[architecture_presets]\n")
            f.write("ArrayHeight: %d\nArrayWidth: %d\n" % (case.rows, case.cols))
            f.write("IfmapSramSzkB: %d\nFilterSramSzkB: %d\nOfmapSramSzkB: %d\n" % case.sram_kib)
            f.write("IfmapOffset: 0\nFilterOffset: 10000000\nOfmapOffset: 20000000\n")
            f.write("Dataflow : %s\nBandwidth : %d\nMemoryBanks: 1\n\n" %
                    (case.df, case.bandwidth or 10))
            f.write("[run_presets]\nInterfaceBandwidth: %s\n" % mode)
    topo = os.path.join(work, "gemm.csv")
    with open(topo, "w") as f:
        f.write("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                "Num Filter, Strides,\n")
        f.write("gemm, %d, %d, 1, %d, 1, %d, 1,\n" % (case.m, case.k, case.k, case.n))
    return cfg, topo


def read_report(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    keys = [h.strip() for h in rows[0] if h.strip()]
    vals = [v.strip() for v in rows[1] if v.strip()]
    return dict(zip(keys, (float(v) for v in vals)))


def run_scalesim(ref_dir, python, cfg, topo, work):
    out = os.path.join(work, "scalesim_out")
    os.makedirs(out, exist_ok=True)
    subprocess.run([python, "-c", RUNNER, ref_dir, cfg, topo, out], check=True,
                   stdout=subprocess.DEVNULL)
    comp = read_report(os.path.join(out, "COMPUTE_REPORT.csv"))
    det = read_report(os.path.join(out, "DETAILED_ACCESS_REPORT.csv"))
    return {
        "cycles": int(comp["Total Cycles"]),
        "stalls": int(comp["Stall Cycles"]),
        "sram_ifmap_reads": int(det["SRAM IFMAP Reads"]),
        "sram_filter_reads": int(det["SRAM Filter Reads"]),
        "dram_ifmap_reads": int(det["DRAM IFMAP Reads"]),
        "dram_filter_reads": int(det["DRAM Filter Reads"]),
        "dram_ofmap_writes": int(det["DRAM OFMAP Writes"]),
    }


def run_pjsim(pjsim, cfg, topo, work, no_stall=False):
    """Imports SCALE-Sim's own files with `pjsim import-scalesim` (docs/MAPPING.md, "SCALE-Sim
    inputs": one tile of the array, SRAM = the three buffers, ports and NoC that never limit the
    array, DRAM without latency at SCALE-Sim's read rate, or never stalling) and runs them."""
    os.makedirs(work, exist_ok=True)
    imported = os.path.join(work, "imported")
    cmd = [pjsim, "import-scalesim", cfg, topo, "-o", imported]
    if no_stall:
        cmd.append("--no-stall")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(work, "pjsim_out")
    subprocess.run([pjsim, "run", "--arch", os.path.join(imported, "arch.yaml"), "--workload",
                    os.path.join(imported, "workload.yaml"), "--out", out, "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "report.json")) as f:
        rep = json.load(f)
    layer = rep["layers"][0]
    weights = layer["weight_or_kv_read_bytes"]
    return {
        "cycles": int(rep["total"]["cycles"]),
        "dram_ifmap_reads": int(round(layer["dram_read_bytes"] - weights)),
        "dram_filter_reads": int(round(weights)),
        "dram_ofmap_writes": int(round(layer["dram_write_bytes"])),
        "mapping": layer.get("mapping", {}).get("chosen", ""),
    }


def default_cases(ref_dir):
    """Kept small: SCALE-Sim walks every operand address in Python (a case takes 5-60 s)."""
    ample, cases = (512, 512, 512), []
    # Arrays square and not; the three dataflows; GEMMs aligned, ragged, thin (decode-like).
    shapes = {(8, 8): [(64, 96, 80), (1, 256, 128)],
              (32, 32): [(128, 128, 128), (100, 300, 70), (1, 512, 256), (8, 512, 256)],
              (16, 64): [(100, 300, 70), (8, 512, 256)],
              (128, 128): [(256, 256, 256), (8, 512, 512)]}
    for (rows, cols), gemms in shapes.items():
        for df in ("os", "ws", "is"):
            for m, k, n in gemms:
                cases.append(Case("gen", rows, cols, df, m, k, n, ample))
    # Tight SRAM: 3 x 64 KiB (SCALE-Sim's own example size) under operands of 128 KiB, and
    # 3 x 8 KiB under operands of 16-21 KiB.
    for df in ("os", "ws", "is"):
        cases.append(Case("gen", 128, 128, df, 256, 512, 256, (64, 64, 64)))
        cases.append(Case("gen", 32, 32, df, 128, 128, 128, (8, 8, 8)))
        cases.append(Case("gen", 32, 32, df, 100, 300, 70, (8, 8, 8)))
    # Limited DRAM bandwidth (SCALE-Sim USER mode, words/cycle per buffer); it stalls only
    # when a buffer must be refilled, so with tight SRAM.
    for df in ("os", "ws", "is"):
        for bw in (1, 4):
            cases.append(Case("gen", 32, 32, df, 128, 128, 128, (8, 8, 8), bandwidth=bw))
    # SCALE-Sim's own shipped configurations, which pjsim does not ship.
    for cfg, shape in [("google.cfg", (256, 512, 512)), ("google.cfg", (8, 1024, 512)),
                       ("eyeriss.cfg", (100, 300, 70)), ("eyeriss.cfg", (64, 512, 128))]:
        path = os.path.join(ref_dir, "configs", cfg)
        if os.path.exists(path):
            cases.append(Case.from_shipped(path, *shape))
    return cases


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--ref-dir",
                   help="directory holding SCALE-Sim v2's `scalesim` package (and configs/)")
    p.add_argument("--pjsim-only", action="store_true",
                   help="run only pjsim (SCALE-Sim columns '-'; its shipped configs skipped): "
                        "re-measure pjsim's side against a table SCALE-Sim produced before")
    p.add_argument("--pjsim", required=True, help="pjsim binary")
    p.add_argument("--python", default=sys.executable,
                   help="interpreter with NumPy and tqdm for SCALE-Sim")
    p.add_argument("--filter", default="", help="run only cases whose label contains this")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    a = p.parse_args()
    if not a.ref_dir and not a.pjsim_only:
        p.error("--ref-dir is required (or --pjsim-only)")

    cases = [c for c in default_cases(a.ref_dir or "") if a.filter in c.label()]
    cols = ["case", "closed form", "SCALE-Sim +1", "stalls", "pjsim same BW", "/ SCALE-Sim",
            "pjsim no-stall", "/ closed", "DRAM A ref/pj", "DRAM B ref/pj", "DRAM C ref/pj"]
    if a.markdown:
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
    else:
        print("\t".join(cols))
    for c in cases:
        work = tempfile.mkdtemp(prefix="scalesim_cmp_")
        try:
            cfg, topo = write_scalesim_inputs(c, work)
            ref = None if a.pjsim_only else run_scalesim(a.ref_dir, a.python, cfg, topo, work)
            same = run_pjsim(a.pjsim, cfg, topo, os.path.join(work, "same"))
            free = run_pjsim(a.pjsim, cfg, topo, os.path.join(work, "free"), no_stall=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        closed = closed_form(c.df, c.rows, c.cols, c.m, c.k, c.n)
        if ref is None:
            ref = dict.fromkeys(["cycles", "stalls", "dram_ifmap_reads", "dram_filter_reads",
                                 "dram_ofmap_writes"], "-")
            ref1, ratio = "-", "-"
        else:
            ref1 = ref["cycles"] + 1
            ratio = "%.3f" % (same["cycles"] / ref1)
        row = [c.label(), str(closed), str(ref1), str(ref["stalls"]), str(same["cycles"]), ratio,
               str(free["cycles"]), "%.3f" % (free["cycles"] / closed),
               "%s/%d" % (ref["dram_ifmap_reads"], same["dram_ifmap_reads"]),
               "%s/%d" % (ref["dram_filter_reads"], same["dram_filter_reads"]),
               "%s/%d" % (ref["dram_ofmap_writes"], same["dram_ofmap_writes"])]
        if a.markdown:
            print("| " + " | ".join(row) + " |", flush=True)
        else:
            print("\t".join(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
