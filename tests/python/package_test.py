"""The `pjsim` Python package against the command line it wraps: run() is report.json, reprice()
is `pjsim reprice`, load_store() is the store `pjsim sweep` wrote, bad input is a ConfigError
carrying file:line:col. Environment: PJSIM_BIN (the pjsim executable), PJSIM_ROOT (the source
tree), PYTHONPATH with the built package (build/python)."""

import json
import os
import subprocess
import tempfile
import unittest

import pjsim

BIN = os.environ["PJSIM_BIN"]
ROOT = os.environ["PJSIM_ROOT"]
ARCH = os.path.join(ROOT, "configs/arch/default.yaml")
TECH7 = os.path.join(ROOT, "configs/tech/7nm.yaml")

# Two GEMM layers and an activation: a few tenths of a second per run.
WORKLOAD = """name: pkg
dtype: int8
arithmetic: int8
phase: prefill
tokens_per_pass: 64
layers:
  - {name: up, op: linear, m: 64, k: 256, n: 512, inputs: []}
  - {name: act, op: elementwise, function: relu, m: 64, n: 512, inputs: [up]}
  - {name: down, op: linear, m: 64, k: 512, n: 256, inputs: [act]}
"""


def pjsim_cli(*args):
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=env, check=False)


class PackageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.workload = os.path.join(cls.tmp.name, "pkg.yaml")
        with open(cls.workload, "w", encoding="utf-8") as f:
            f.write(WORKLOAD)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def cli_report(self, out, *sets):
        args = ["run", "--arch", ARCH, "--workload", self.workload, "--out", out, "--quiet"]
        for s in sets:
            args += ["--set", s]
        r = pjsim_cli(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
            return json.load(f)

    def test_run_returns_the_report_the_command_line_writes(self):
        out = os.path.join(self.tmp.name, "run")
        cli = self.cli_report(out, "arch.tile.sram.capacity=128 KiB", "arch.mapping.objective=energy")
        py = pjsim.run(arch=ARCH, workload=self.workload,
                       overrides={"arch.tile.sram.capacity": "128 KiB",
                                  "arch.mapping.objective": "energy"})
        self.assertEqual(py, cli)
        self.assertGreater(py["total"]["energy_pj"], 0)
        # The override took effect: a different SRAM gives a different report.
        self.assertNotEqual(pjsim.run(arch=ARCH, workload=self.workload)["total"], py["total"])
        # A list of KEY=VALUE strings is the same override.
        listed = pjsim.run(ARCH, self.workload, overrides=["arch.tile.sram.capacity=128 KiB",
                                                           "arch.mapping.objective=energy"])
        self.assertEqual(listed, py)

    def test_runs_from_several_threads_take_turns_and_agree(self):
        # One SystemC kernel per process: concurrent calls must serialise, not corrupt each other.
        from concurrent.futures import ThreadPoolExecutor
        sizes = ["64 KiB", "128 KiB", "64 KiB", "128 KiB"]
        alone = {s: pjsim.run(ARCH, self.workload, overrides={"arch.tile.sram.capacity": s})
                 for s in set(sizes)}
        with ThreadPoolExecutor(max_workers=4) as pool:
            reports = list(pool.map(
                lambda s: pjsim.run(ARCH, self.workload, overrides={"arch.tile.sram.capacity": s}),
                sizes))
        for size, report in zip(sizes, reports):
            self.assertEqual(report, alone[size])

    def test_reprice_equals_the_command_line(self):
        out = os.path.join(self.tmp.name, "reprice")
        self.cli_report(out)
        report_path = os.path.join(out, "report.json")
        repriced_path = os.path.join(self.tmp.name, "repriced.json")
        r = pjsim_cli("reprice", report_path, "--tech", TECH7, "-o", repriced_path)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(repriced_path, encoding="utf-8") as f:
            cli = json.load(f)
        self.assertEqual(pjsim.reprice(report_path, tech=TECH7), cli)
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
        from_dict = pjsim.reprice(report, tech=TECH7)
        self.assertEqual(from_dict["total"], cli["total"])
        self.assertLess(from_dict["total"]["energy_pj"], report["total"]["energy_pj"])

    def test_bad_input_raises_config_error_with_its_location(self):
        bad = os.path.join(self.tmp.name, "bad.yaml")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(WORKLOAD.replace("k: 256", "k: -3"))
        with self.assertRaises(pjsim.ConfigError) as caught:
            pjsim.run(ARCH, bad)
        message = str(caught.exception)
        self.assertTrue(message.startswith(bad + ":7:"), message)
        self.assertIsInstance(caught.exception, ValueError)
        # The command line says the same.
        r = pjsim_cli("run", "--arch", ARCH, "--workload", bad, "--quiet")
        self.assertEqual(r.returncode, 2)
        self.assertIn(message, r.stderr)
        with self.assertRaises(pjsim.ConfigError):
            pjsim.run(ARCH, self.workload, overrides={"arch.tile.no_such_key": 1})
        with self.assertRaises(pjsim.ConfigError):
            pjsim.run(os.path.join(self.tmp.name, "missing.yaml"), self.workload)

    def test_load_store_reads_what_the_sweep_wrote(self):
        spec = os.path.join(self.tmp.name, "spec.yaml")
        with open(spec, "w", encoding="utf-8") as f:
            f.write(f"""name: pkg_sweep
base:
  arch: {ARCH}
  workload: {self.workload}
axes:
  - key: arch.tile.sram.capacity
    values: [64, 128, 256]
    unit: KiB
""")
        store = os.path.join(self.tmp.name, "store")
        r = pjsim_cli("sweep", spec, "--out", store, "-j", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = pjsim.load_store(store, reports=True)
        self.assertEqual(len(rows), 3)
        self.assertEqual([row["arch.tile.sram.capacity"] for row in rows], [64, 128, 256])
        for row in rows:
            self.assertEqual(row["status"], "ok")
            self.assertIsInstance(row["total.energy_pj"], float)
            self.assertEqual(row["report"]["total"]["energy_pj"], row["total.energy_pj"])
        # The same point run directly gives the same report.
        direct = pjsim.run(ARCH, self.workload,
                           overrides={"arch.tile.sram.capacity": "128 KiB"})
        self.assertEqual(direct["total"], rows[1]["report"]["total"])
        try:
            import pandas  # noqa: F401
        except ImportError:
            with self.assertRaises(ImportError):
                pjsim.load_store(store, frame=True)
        else:
            frame = pjsim.load_store(store, frame=True)
            self.assertEqual(list(frame["arch.tile.sram.capacity"]), [64, 128, 256])
        with self.assertRaises(pjsim.StoreError) as caught:
            pjsim.load_store(self.tmp.name)
        self.assertIn("sweep.json", str(caught.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
