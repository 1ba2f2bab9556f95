#!/usr/bin/env python3
"""A figure script reads a complete store directly only when the store was made from the very
text of the spec it plots, by the pjsim build at hand (tools/figures/figure_cli.py, store_is_complete): a store of an edited
spec with as many points (a new zipped axis, a changed value) is handed to `pjsim sweep --resume`,
which checks every point's config hash against the spec, instead of being plotted as it is.
"""

import os
import sys
import tempfile
import unittest

REPO = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools", "figures"))

import figure_cli  # noqa: E402

SPEC = "name: s\narch: ../arch/default.yaml\nworkload: w.yaml\naxes:\n  - key: arch.tile.rows\n" \
       "    values: [8, 16]\n"


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class StoreFreshness(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.store = os.path.join(self.tmp.name, "store")
        os.makedirs(self.store)
        write(os.path.join(self.store, "sweep.json"), '{"format": "pjsim-sweep-store", "points": 2}')
        write(os.path.join(self.store, "results.csv"), "point,config_hash\n0000,a\n0001,b\n")
        write(os.path.join(self.store, "spec.yaml"), SPEC)
        self.spec = os.path.join(self.tmp.name, "s.yaml")

    def tearDown(self):
        self.tmp.cleanup()

    def test_the_same_text_is_complete(self):
        write(self.spec, SPEC)
        self.assertTrue(figure_cli.store_is_complete(self.store, self.spec))
        self.assertFalse(figure_cli.spec_changed(self.store, self.spec))

    def test_an_edited_spec_with_as_many_points_is_not(self):
        write(self.spec, SPEC.replace("[8, 16]", "[8, 32]"))
        self.assertTrue(figure_cli.store_is_complete(self.store))  # the row count alone
        self.assertFalse(figure_cli.store_is_complete(self.store, self.spec))

    def test_a_store_without_its_spec_text_is_not(self):
        write(self.spec, SPEC)
        os.remove(os.path.join(self.store, "spec.yaml"))
        self.assertFalse(figure_cli.store_is_complete(self.store, self.spec))

    def test_missing_rows_are_not_complete(self):
        write(self.spec, SPEC)
        write(os.path.join(self.store, "results.csv"), "point,config_hash\n0000,a\n")
        self.assertFalse(figure_cli.store_is_complete(self.store, self.spec))

    def fake_pjsim(self, version):
        path = os.path.join(self.tmp.name, "pjsim")
        write(path, "#!/bin/sh\necho '" + version + "'\n")
        os.chmod(path, 0o755)
        return path

    def test_points_another_build_made_are_run_again(self):
        # A rebuilt pjsim may model differently: a complete store of another build's points goes
        # to `pjsim sweep --resume` (which runs them again), not straight to the plot.
        write(os.path.join(self.store, "results.jsonl"),
              '{"point": "0000", "config_hash": "a", "pjsim_build": "aaa", "status": "ok"}\n'
              '{"point": "0001", "config_hash": "b", "pjsim_build": "aaa", "status": "ok"}\n')
        same = self.fake_pjsim("pjsim 0.1.0 (build aaa)")
        self.assertFalse(figure_cli.made_by_another_build(self.store, same))
        other = self.fake_pjsim("pjsim 0.1.0 (build bbb)")
        self.assertTrue(figure_cli.made_by_another_build(self.store, other))
        # A record without its build (made before builds were kept) is another build's.
        write(os.path.join(self.store, "results.jsonl"),
              '{"point": "0000", "config_hash": "a", "status": "ok"}\n')
        self.assertTrue(figure_cli.made_by_another_build(self.store, same))
        # A pjsim that names no build cannot tell: the store is plotted as it is.
        self.assertFalse(figure_cli.made_by_another_build(self.store,
                                                          self.fake_pjsim("pjsim 0.1.0")))


if __name__ == "__main__":
    unittest.main()
