#!/usr/bin/env python3
"""The figure checklist (tools/figures/checklist.py) catches each rule it enforces, and every
figure script make_all.py runs passes it on small hand-made stores (no sweep runs here): no raw
config key in any text, fonts >= 6 pt, legends outside the data area, every axis labelled; each
re-made figure is byte-identical. make_all.py draws every figure in docs/figures/, and every axis
of the shipped sweep and study specs has a label. Needs matplotlib (tools/bootstrap.sh installs
python3-matplotlib): without it this test fails, it does not skip.
"""

import csv
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIGURES = os.path.join(REPO, "tools", "figures")
sys.path.insert(0, FIGURES)

import style  # noqa: E402

style.ensure_matplotlib()  # re-runs this test under /usr/bin/python3 if python3 lacks matplotlib
import checklist  # noqa: E402
import labels  # noqa: E402
import make_all  # noqa: E402

BASE_COLUMNS = ["point", "config_hash", "status", "error", "total.energy_pj", "total.seconds"]


def write_store(directory, axes, rows, records=None, extra_units=()):
    """A results store: sweep.json from `axes` [(key, unit, file)], results.csv from `rows`
    (dicts), results.jsonl from `records` (dicts with point, status, config, report)."""
    os.makedirs(directory, exist_ok=True)
    manifest = {"format": "pjsim-sweep-store", "version": 1, "name": os.path.basename(directory),
                "points": len(rows),
                "axes": [{"key": k, "unit": u, "zip": "", "file": f} for k, u, f in axes],
                "derived": [{"name": n, "unit": u} for n, u in extra_units]}
    with open(os.path.join(directory, "sweep.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f)
    header = list(rows[0])
    with open(os.path.join(directory, "results.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)
    with open(os.path.join(directory, "results.jsonl"), "w", encoding="utf-8") as f:
        for record in records or []:
            f.write(json.dumps(record) + "\n")


def design_store(directory):
    """8 designs: array 16/32 x SRAM 64/512 KiB x DRAM ddr4/hbm2e, with layer records."""
    rows, records, n = [], [], 0
    for size in (16, 32):
        for sram in (64, 512):
            for dram, bw in (("ddr4", "25.6 GB/s"), ("hbm2e", "460 GB/s")):
                seconds = 1e-3 * (16 / size) * (2.0 if dram == "ddr4" else 1.0) * (1 + 32 / sram)
                energy = {"compute.int8_mac": 2e9 * size / 16, "sram.read": 1e9 * sram / 64,
                          "dram.read": 6e9 if dram == "ddr4" else 3e9, "noc.link": 2e8,
                          "leakage.tile": 1e9 * seconds * 1e3}
                total = sum(energy.values())
                point = f"{n:04d}"
                row = {"point": point, "config_hash": f"h{n}", "arch.tile.rows": size,
                       "arch.tile.cols": size, "arch.tile.sram.capacity": sram,
                       "arch.dram.type": dram, "status": "ok", "error": "",
                       "total.energy_pj": total, "total.seconds": seconds,
                       "energy_per_token_uj": total / 128 / 1e6}
                row.update({f"energy_by_category.{k}": v for k, v in energy.items()})
                rows.append(row)
                layers = [{"name": op, "macs": 1e9, "dram_read_bytes": 4e7 * (i + 1),
                           "dram_write_bytes": 1e6, "seconds": seconds / 3}
                          for i, op in enumerate(("gate_proj", "up_proj", "down_proj"))]
                records.append({"point": point, "status": "ok", "config": {"arch": {
                    "mesh": {"width": 4, "height": 4}, "tile": {"rows": size, "cols": size},
                    "dram": {"channel_bandwidth": bw, "channels": [0, 1]}}},
                    "report": {"total": {"clock_hz": 1e9}, "layers": layers}})
                n += 1
    write_store(directory, [("arch.tile.rows", "", False), ("arch.tile.cols", "", False),
                            ("arch.tile.sram.capacity", "KiB", False),
                            ("arch.dram.type", "", False)], rows, records,
                [("energy_per_token_uj", "uJ/token")])


def moe_store(directory):
    rows, n = [], 0
    for model in ("Tiny", "Small"):
        for phase in ("prefill", "decode"):
            for batch in (1, 8):
                for source in ("uniform", "zipf"):
                    for leakage in (0.3, 3):
                        for policy, timeout in (("never", 16), ("immediate", 16), ("oracle", 16),
                                                ("timeout", 16), ("timeout", 4096)):
                            saving = {"never": 0, "immediate": 0.05, "oracle": 0.06,
                                      "timeout": 0.04 if timeout == 16 else 0.01}[policy]
                            e = 10 * batch * (1 - saving * leakage / 3)
                            rows.append({
                                "point": f"{n:04d}", "config_hash": f"h{n}",
                                "workload": f"w/{model}.{phase}.b{batch}.yaml",
                                "workload.routing.source": source,
                                "tech.scaling.leakage": leakage,
                                "arch.power_gating.policy": policy,
                                "arch.power_gating.timeout": timeout, "status": "ok", "error": "",
                                "total.energy_pj": e * 1e6, "total.seconds": 1e-3,
                                "energy_per_token_uj": e,
                                "latency_per_token_us": 5 * (1 + (saving if policy != "oracle"
                                                                  else 0) / 10)})
                            n += 1
    write_store(directory, [("workload", "", True), ("workload.routing.source", "", False),
                            ("tech.scaling.leakage", "", False),
                            ("arch.power_gating.policy", "", False),
                            ("arch.power_gating.timeout", "cycles", False)], rows, [],
                [("energy_per_token_uj", "uJ/token"), ("latency_per_token_us", "us/token")])


def snn_stores(directory):
    """The two sides of the SNN-vs-QANN study: 2 models x T 1/5 x 4 rates x reuse 1/16 (SNN),
    b 1/3/8 x gamma 0/0.5 (QANN)."""
    def record(point, name, layer, energy, ops, tile, workload_extra, axes):
        return {"point": point, "status": "ok", "axes": axes,
                "config": {"workload": dict({"name": name}, **workload_extra),
                           "arch": {"tile": tile}},
                "report": {"run": {"tokens": 4}, "layers": [layer],
                           "energy_by_category": {"compute.x": energy * 0.1,
                                                  "sram.read": energy * 0.4,
                                                  "dram.read": energy * 0.3,
                                                  "noc.link": energy * 0.05,
                                                  "leakage.tile": energy * 0.15},
                           "total": {"energy_pj": energy}, "ops_only_estimate": {"total_pj": ops}}}

    snn, qann, n = [], [], 0
    for model, scale in (("tiny-block", 1.0), ("small-block", 3.0)):
        for t in (1, 5):
            for batch in (1, 16):
                for rate in (0.01, 0.05, 0.1, 0.3):
                    energy = scale * 1e8 * (1 + t * rate * (20 if batch == 1 else 4))
                    snn.append(record(f"{n:04d}", model, {"macs": 0, "spiking": {
                        "timesteps": t, "input_rate": rate}}, energy, scale * 1e7 * t * rate,
                        {"spike_batch": batch}, {"spiking": {"correlation": 0}},
                        {"workload.spiking.input_rate": rate}))
                    n += 1
        for b in (1, 3, 8):
            for gamma in (0, 0.5):
                energy = scale * 1e8 * (1.2 + 0.1 * b) * (1 - 0.1 * gamma)
                qann.append(record(f"{n:04d}", model, {"macs": 1e9, "activation_bits": b},
                                   energy, scale * 4.6e8, {"zero_gating": gamma > 0},
                                   {"activation_sparsity": gamma}, {}))
                n += 1
    for side, records in (("snn", snn), ("qann", qann)):
        os.makedirs(os.path.join(directory, side), exist_ok=True)
        with open(os.path.join(directory, side, "results.jsonl"), "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")


def area_store(directory):
    rows, records, n = [], [], 0
    for tech, shrink in (("../tech/45nm.yaml", 1.0), ("../tech/7nm.yaml", 0.08)):
        for workload in ("w/prefill512.yaml", "w/decode32.yaml"):
            for arch, arith, size in (("../arch/a.yaml", "fp16", 5), ("../arch/b.yaml", "int8", 16),
                                      ("../arch/c.yaml", "ternary", 27)):
                point = f"{n:04d}"
                rows.append({"point": point, "config_hash": f"h{n}", "tech": tech,
                             "workload": workload, "arch": arch, "workload.arithmetic": arith,
                             "status": "ok", "error": "", "total.energy_pj": 1e9 * size,
                             "total.seconds": 1e-3 / size, "area_mm2": 39 * shrink,
                             "tokens_per_s_per_mm2": size * (10 if "prefill" in workload else 1),
                             "carbon.per_million_tokens_g": 100.0 / size})
                records.append({"point": point, "status": "ok",
                                "config": {"arch": {"tile": {"rows": size, "cols": size}}},
                                "report": {"area": {"breakdown_mm2": {
                                    "pe_array.x": 2 * shrink, "sram": 18 * shrink,
                                    "vector_units": 0.8 * shrink, "noc.routers": 13 * shrink,
                                    "noc.links": 3.4 * shrink, "other": 0.4 * shrink}},
                                    "carbon": {"inputs": {"location_name": "World average",
                                                          "carbon_intensity_g_per_kwh": 475,
                                                          "pue": 1.67}}}})
                n += 1
    write_store(directory, [("tech", "", True), ("workload", "", True), ("arch", "", True),
                            ("workload.arithmetic", "", False)], rows, records)


def run(argv, env_check=True):
    env = dict(os.environ, MPLCONFIGDIR=tempfile.mkdtemp(prefix="mpl"))
    if env_check:
        env["PJSIM_FIGURES_CHECK"] = "1"
    return subprocess.run([sys.executable] + argv, capture_output=True, text=True, env=env,
                          cwd=REPO)


class ChecklistCatchesEachRule(unittest.TestCase):
    def figure(self):
        plt = style.pyplot()
        fig, ax = style.figure()
        ax.plot([1, 2, 3], [1, 4, 9], label="a line")
        ax.set_xlabel("Batch size")
        ax.set_ylabel("Energy (mJ)")
        return plt, fig, ax

    def test_a_clean_figure_passes(self):
        _, fig, ax = self.figure()
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0))
        self.assertEqual(checklist.check(fig), [])

    def test_raw_keys_fail(self):
        for text in ("arch.tile.sram.capacity (KiB)", "energy_per_token_uj", "total.seconds"):
            _, fig, ax = self.figure()
            ax.set_xlabel(text)
            problems = checklist.check(fig)
            self.assertTrue(any("raw key" in p for p in problems), (text, problems))

    def test_small_text_fails(self):
        _, fig, ax = self.figure()
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=5)
        self.assertTrue(any("< 6 pt" in p for p in checklist.check(fig)))

    def test_legend_inside_the_data_area_fails(self):
        _, fig, ax = self.figure()
        ax.legend(loc="upper left")
        self.assertTrue(any("overlaps the data area" in p for p in checklist.check(fig)))

    def test_unlabelled_axes_fail(self):
        _, fig, ax = self.figure()
        ax.set_ylabel("")
        self.assertTrue(any("no y label" in p for p in checklist.check(fig)))
        ax.set_xlabel("")
        self.assertTrue(any("no x label" in p for p in checklist.check(fig)))


class EveryFigurePasses(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="pjsim_figures_")
        design_store(os.path.join(cls.tmp, "designs"))
        moe_store(os.path.join(cls.tmp, "moe"))
        snn_stores(os.path.join(cls.tmp, "snn_vs_qann"))
        area_store(os.path.join(cls.tmp, "area"))

    def draw(self, out, enforce=True):
        """Every make_all figure on the fixture stores, into `out`; returns the file names."""
        t = self.tmp
        designs = ["--store", f"{t}/designs", "--out", out]
        commands = [
            ["tools/figures/energy_breakdown.py"] + designs + ["--where", "arch.dram.type=ddr4"],
            ["tools/figures/energy_breakdown.py"] + designs
            + ["--detail", "--where", "arch.tile.rows=16", "--name", "energy_detail"],
            ["tools/figures/pareto.py"] + designs
            + ["--marker-by", "arch.tile.rows", "--size-by", "arch.tile.sram.capacity"],
            ["tools/figures/metric_lines.py"] + designs
            + ["--x", "arch.tile.sram.capacity", "--group", "arch.dram.type",
               "--metric", "energy_per_token_uj"],
            ["tools/figures/roofline.py"] + designs + ["--where", "arch.tile.sram.capacity=512",
                                                       "--where", "arch.dram.type=hbm2e"],
            ["tools/figures/moe_gating.py", "--store", f"{t}/moe", "--out", out],
            ["tools/snn_vs_qann.py", "--plot-only", "--out", f"{t}/snn_vs_qann",
             "--figures", out],
            ["tools/figures/area_carbon.py", "--store", f"{t}/area", "--out", out],
        ]
        for argv in commands:
            r = run(argv, env_check=enforce)
            self.assertEqual(r.returncode, 0, f"{' '.join(argv)}\n{r.stdout}{r.stderr}")
        return sorted(os.listdir(out))

    def test_each_script_passes_the_checklist_and_remakes_byte_identical(self):
        first, second = os.path.join(self.tmp, "a"), os.path.join(self.tmp, "b")
        names = self.draw(first)
        expected = {"energy_breakdown", "energy_detail", "pareto", "metric_lines", "roofline",
                    "moe_gating", "moe_gating_batch", "snn_vs_qann", "snn_vs_qann_breakdown",
                    "area_carbon"}
        self.assertEqual({os.path.splitext(n)[0] for n in names}, expected)
        # Re-made without enforcing the checklist: the same bytes (the check never moves a thing).
        self.assertEqual(self.draw(second, enforce=False), names)
        for name in names:
            with open(os.path.join(first, name), "rb") as a, \
                    open(os.path.join(second, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), f"{name} differs when re-made")

    def test_a_failing_figure_is_not_written(self):
        out = os.path.join(self.tmp, "bad")
        # Grouped by an axis whose legend sits above the axes: passes; a raw-key --label fails.
        r = run(["tools/figures/metric_lines.py", "--store", f"{self.tmp}/designs", "--out", out,
                 "--x", "arch.tile.rows", "--label", "energy_per_token_uj"])
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("fails the figure checklist: raw key", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(out, "metric_lines.png")))


class Coverage(unittest.TestCase):
    def test_make_all_draws_every_figure_in_docs(self):
        drawn = {name for files, _, _ in make_all.FIGURES for name in files}
        shipped = {os.path.splitext(os.path.basename(p))[0]
                   for p in glob.glob(os.path.join(REPO, "docs", "figures", "*.png"))}
        self.assertTrue(shipped)
        self.assertEqual(shipped - drawn, set(), "figures make_all.py does not rebuild")

    def test_every_spec_axis_has_a_label(self):
        keys = set()
        for spec in glob.glob(os.path.join(REPO, "configs", "sweeps", "*.yaml")) + \
                glob.glob(os.path.join(REPO, "configs", "studies", "*.yaml")):
            with open(spec, encoding="utf-8") as f:
                keys |= set(re.findall(r"key:\s*([A-Za-z0-9_.]+)", f.read()))
        self.assertTrue(keys)
        self.assertEqual(keys - set(labels.LABELS), set(), "axes without a label (labels.py)")
        for key, (quantity, _) in labels.LABELS.items():
            self.assertIsNone(checklist.RAW_KEY.search(labels.text(key)), key)


if __name__ == "__main__":
    unittest.main(verbosity=1)
