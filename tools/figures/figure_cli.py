"""The command line every figure script shares.

  python3 tools/figures/NAME.py [SPEC] [--store DIR] [--out DIR] [--name NAME] [--pjsim PATH]
                                [-j N] [figure options]

SPEC is a sweep spec (default: the script's paper sweep). Without --store, the store is
out/sweeps/<spec file name>, and if it has no results yet (or fewer points than the spec) the
script runs `pjsim sweep SPEC --out STORE` (with --resume) first. A store given with --store is
only read. The figure goes to OUT/NAME.pdf and
OUT/NAME.png (default OUT: docs/figures). Errors are one line on stderr and exit status 2.
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys

import style
from store import Store, StoreError

REPO = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def find_pjsim(explicit):
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise style.FigureError(f"--pjsim {explicit}: not an executable")
        return explicit
    if os.environ.get("PJSIM"):
        return os.environ["PJSIM"]
    candidates = [p for p in glob.glob(os.path.join(REPO, "build*", "pjsim")) if os.access(p, os.X_OK)]
    if not candidates:
        raise style.FigureError("cannot find the pjsim executable: build it (cmake --build build) "
                                "or pass --pjsim PATH")
    return max(candidates, key=os.path.getmtime)


def spec_changed(directory, spec):
    """Whether the store was made from another text of `spec` (its spec.yaml differs): then only
    `pjsim sweep --resume`, which checks every point's config hash, may say it still holds it."""
    try:
        with open(os.path.join(directory, "spec.yaml"), encoding="utf-8") as f:
            stored = f.read()
        with open(spec, encoding="utf-8") as f:
            return f.read() != stored
    except OSError:
        return True


def store_is_complete(directory, spec=None):
    """Whether every point of the store has its row (and, given `spec`, the store was made from
    that very text: a store of an edited spec with as many points is not the spec's)."""
    manifest = os.path.join(directory, "sweep.json")
    results = os.path.join(directory, "results.csv")
    if not (os.path.isfile(manifest) and os.path.isfile(results)):
        return False
    if spec is not None and spec_changed(directory, spec):
        return False
    try:
        with open(manifest, encoding="utf-8") as f:
            expected = int(json.load(f)["points"])
        with open(results, encoding="utf-8") as f:
            rows = sum(1 for _ in f) - 1
    except (OSError, ValueError, KeyError, TypeError):
        return True  # let Store() report what is wrong with it
    return rows >= expected


def made_by_another_build(directory, pjsim):
    """Whether a point of the store's results.jsonl was made by a pjsim build other than
    `pjsim`'s (`pjsim --version` names it; each record has its `pjsim_build`): then `pjsim sweep
    --resume` runs it again rather than a figure mixing two models' numbers. False when the
    build cannot be told (no pjsim, an older pjsim without builds)."""
    try:
        out = subprocess.run([pjsim, "--version"], capture_output=True, text=True).stdout
    except OSError:
        return False
    m = re.search(r"\(build ([0-9a-z]+)\)", out)
    if not m:
        return False
    stamp = re.compile(r'"pjsim_build":\s*"([^"]*)"')
    try:
        with open(os.path.join(directory, "results.jsonl"), encoding="utf-8") as f:
            for line in f:
                found = stamp.search(line)
                if not found or found.group(1) != m.group(1):
                    return True
    except OSError:
        return False
    return False


def prepare_store(args):
    if args.store:
        return Store(args.store)
    # $PJSIM_SWEEPS_DIR moves the stores out of the checkout (tests use it; default out/sweeps).
    sweeps = os.environ.get("PJSIM_SWEEPS_DIR") or os.path.join(REPO, "out", "sweeps")
    directory = os.path.join(sweeps, os.path.splitext(os.path.basename(args.spec))[0])
    pjsim = None
    try:
        pjsim = find_pjsim(args.pjsim)
    except style.FigureError:
        pass  # plot a complete store as it is; an incomplete one needs pjsim (raised below)
    if not store_is_complete(directory, args.spec) or (
            pjsim and made_by_another_build(directory, pjsim)):
        if not os.path.isfile(args.spec):
            raise style.FigureError(f"{args.spec}: no such sweep spec")
        command = [pjsim or find_pjsim(args.pjsim), "sweep", args.spec, "--out", directory,
                   "-j", str(args.jobs)]
        if os.path.isdir(os.path.join(directory, "points")):
            command.append("--resume")
        print("running: " + " ".join(command), file=sys.stderr, flush=True)
        status = subprocess.run(command, stdout=sys.stderr).returncode
        if status not in (0, 1):  # 1: some points failed; they are recorded, plot the rest
            raise style.FigureError(f"pjsim sweep exited with status {status}")
    return Store(directory)


def main(doc, default_spec, default_name, add_options, plot):
    """Parses the shared options plus the script's, prepares the store, plots and saves."""
    prog = os.path.basename(sys.argv[0])
    try:
        style.ensure_matplotlib()  # first: may re-run the script under a Python that has it
    except style.FigureError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog=prog, description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec", nargs="?", default=os.path.join(REPO, default_spec),
                        help=f"sweep spec (default: {default_spec})")
    parser.add_argument("--store", help="plot this existing results store instead of "
                        "out/sweeps/<spec name> (which is made or completed as needed)")
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "figures"),
                        help="output directory (default: docs/figures)")
    parser.add_argument("--name", default=default_name, help=f"file name (default: {default_name})")
    parser.add_argument("--pjsim", help="pjsim executable (default: $PJSIM or the newest build*/pjsim)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="points run at once if the sweep must run")
    add_options(parser)
    args = parser.parse_args()
    try:
        store = prepare_store(args)
        fig = plot(store, args)
        for path in style.save(fig, args.out, args.name):
            print(f"wrote {os.path.relpath(path)}")
    except (style.FigureError, StoreError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    return 0
