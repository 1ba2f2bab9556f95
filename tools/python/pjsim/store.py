"""Reading a pjsim sweep results store (docs/SWEEPS.md): sweep.json (axes, metrics, units),
results.csv (one row per point) and results.jsonl (one record per point, with its full report).
Pure Python: works without the native module. Anything malformed raises StoreError naming the file
(and line) to look at."""

import csv
import json
import os

REQUIRED_COLUMNS = ("point", "config_hash", "status", "error", "total.energy_pj", "total.seconds")
STATUSES = ("ok", "failed", "timeout", "skipped")


class StoreError(ValueError):
    """A store that is missing or malformed; the message starts with the file (and line)."""


def read_manifest(directory):
    """sweep.json as a dict, checked to be a pjsim store manifest."""
    path = os.path.join(directory, "sweep.json")
    if not os.path.isdir(directory):
        raise StoreError(f"{directory}: no such directory (make a store with pjsim sweep SPEC "
                         "--out DIR)")
    if not os.path.isfile(path):
        raise StoreError(f"{path}: missing: {directory} is not a pjsim sweep results store")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise StoreError(f"{path}: not valid JSON ({e})") from None
    if (not isinstance(manifest, dict) or manifest.get("format") != "pjsim-sweep-store"
            or not isinstance(manifest.get("axes"), list)):
        raise StoreError(f"{path}: not a pjsim sweep manifest")
    for i, a in enumerate(manifest["axes"]):
        if not isinstance(a, dict) or "key" not in a:
            raise StoreError(f"{path}: axes[{i}] has no key")
    return manifest


def read_results_csv(directory, axis_keys):
    """(header, rows) of results.csv; each row a dict of strings plus '_line', its line number."""
    path = os.path.join(directory, "results.csv")
    if not os.path.isfile(path):
        raise StoreError(f"{path}: missing (has the sweep run?)")
    try:
        with open(path, newline="", encoding="utf-8") as f:
            lines = list(csv.reader(f, strict=True))
    except (OSError, csv.Error, UnicodeDecodeError) as e:
        raise StoreError(f"{path}: cannot read as CSV ({e})") from None
    if not lines:
        raise StoreError(f"{path}:1: empty (no header)")
    header = lines[0]
    for column in REQUIRED_COLUMNS + tuple(axis_keys):
        if column not in header:
            raise StoreError(f"{path}:1: no '{column}' column")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        if len(line) != len(header):
            raise StoreError(f"{path}:{n}: {len(line)} fields but the header has {len(header)}")
        row = dict(zip(header, line))
        row["_line"] = n
        if row["status"] not in STATUSES:
            raise StoreError(f"{path}:{n}: unknown status '{row['status']}'")
        rows.append(row)
    return header, rows


def read_records(directory, points):
    """The results.jsonl records of `points` (ids), in that order; an ok point needs its report."""
    path = os.path.join(directory, "results.jsonl")
    wanted = set(points)
    found = {}
    if not os.path.isfile(path):
        raise StoreError(f"{path}: missing")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            try:
                record = json.loads(line)
            except ValueError as e:
                raise StoreError(f"{path}:{n}: not valid JSON ({e})") from None
            if not isinstance(record, dict) or "point" not in record:
                raise StoreError(f"{path}:{n}: not a point record")
            if record["point"] in wanted:
                if record.get("status") == "ok" and not isinstance(record.get("report"), dict):
                    raise StoreError(f"{path}:{n}: ok point without a report")
                found[record["point"]] = record
    missing = wanted - found.keys()
    if missing:
        raise StoreError(f"{path}: no record for point(s) {', '.join(sorted(missing))}")
    return [found[p] for p in points]


def typed(text):
    """A results.csv cell as int, float or str (empty cells stay '')."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text
