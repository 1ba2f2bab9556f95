"""Reading a pjsim sweep results store (see docs/SWEEPS.md) for plotting.

A store is a directory with sweep.json (axes, units), results.csv (one row per point) and
results.jsonl (one record per point, with the full report). Anything malformed raises StoreError
with the file (and line) to look at.
"""

import csv
import json
import math
import os

import labels
from style import FigureError


class StoreError(FigureError):
    pass


REQUIRED_COLUMNS = ("point", "config_hash", "status", "error", "total.energy_pj", "total.seconds")


class Store:
    def __init__(self, directory):
        self.dir = directory
        self.manifest = self._load_manifest()
        self.axes = self.manifest["axes"]
        self.axis_keys = [a["key"] for a in self.axes]
        self.units = {}
        for a in self.axes:
            if a.get("unit"):
                self.units[a["key"]] = a["unit"]
        for m in self.manifest.get("metrics", []) + self.manifest.get("derived", []):
            self.units[m["name"]] = m.get("unit", "")
        self.header, self.rows = self._load_csv()

    # ---- loading ----

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _load_manifest(self):
        path = self._path("sweep.json")
        if not os.path.isdir(self.dir):
            raise StoreError(f"{self.dir}: no such directory (make a store with pjsim sweep SPEC "
                             "--out DIR)")
        if not os.path.isfile(path):
            raise StoreError(f"{path}: missing: {self.dir} is not a pjsim sweep results store")
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

    def _load_csv(self):
        path = self._path("results.csv")
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
        for column in REQUIRED_COLUMNS + tuple(self.axis_keys):
            if column not in header:
                raise StoreError(f"{path}:1: no '{column}' column")
        rows = []
        for n, line in enumerate(lines[1:], start=2):
            if len(line) != len(header):
                raise StoreError(f"{path}:{n}: {len(line)} fields but the header has {len(header)}")
            row = dict(zip(header, line))
            row["_line"] = n
            if row["status"] not in ("ok", "failed", "timeout", "skipped"):
                raise StoreError(f"{path}:{n}: unknown status '{row['status']}'")
            rows.append(row)
        return header, rows

    # ---- access ----

    def ok_rows(self, where=None):
        rows = [r for r in self.rows if r["status"] == "ok" and matches(r, where or {})]
        if not rows:
            what = " matching " + format_where(where) if where else ""
            raise StoreError(f"{self.dir}: no ok points{what} to plot")
        return rows

    def number(self, row, column):
        """The cell as a float; a StoreError if the column is missing or not numeric."""
        if column not in self.header:
            raise StoreError(f"{self._path('results.csv')}: no column '{column}' "
                             f"(columns: {', '.join(c for c in self.header if c not in ('error',))})")
        text = row[column]
        try:
            value = float(text)
        except ValueError:
            raise StoreError(f"{self._path('results.csv')}:{row['_line']}: '{column}' is "
                             f"'{text}', not a number") from None
        if not math.isfinite(value):
            raise StoreError(f"{self._path('results.csv')}:{row['_line']}: '{column}' is not finite")
        return value

    def unit(self, column):
        if column.startswith("energy_by_category."):
            return "pJ"
        return self.units.get(column, "")

    def is_file_axis(self, key):
        return any(a["key"] == key and a.get("file") for a in self.axes)

    def is_numeric_axis(self, key, rows=None):
        values = [r[key] for r in (rows if rows is not None else self.rows)]
        try:
            for v in values:
                float(v)
        except ValueError:
            return False
        return bool(values)

    def varying_axes(self, rows):
        """Axis keys that take more than one value among `rows` (zipped twins collapsed)."""
        out, seen_patterns = [], set()
        for key in self.axis_keys:
            values = tuple(r[key] for r in rows)
            if len(set(values)) < 2:
                continue
            pattern = tuple(values.index(v) for v in values)
            if pattern in seen_patterns:
                continue  # e.g. arch.tile.cols zipped with arch.tile.rows
            seen_patterns.add(pattern)
            out.append(key)
        return out

    def value_text(self, key, value):
        """How an axis value reads in a legend: file stems (underscores as spaces), numbers with
        their units, named values in words (labels.VALUES)."""
        if self.is_file_axis(key):
            return os.path.splitext(os.path.basename(value))[0].replace("_", " ")
        unit = labels.unit(key, self.unit(key))
        return f"{value} {unit}" if unit else labels.value(value)

    def axis_text(self, key):
        """An axis or legend title for `key`, with its unit: 'SRAM per tile (KiB)'."""
        return labels.text(key, self.unit(key))

    def design_label(self, row, keys, sep=" / "):
        return sep.join(self.value_text(k, row[k]) for k in keys) or row["point"]

    def records(self, rows):
        """The results.jsonl records of `rows` (by point id), validated."""
        path = self._path("results.jsonl")
        wanted = {r["point"] for r in rows}
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
        return [found[r["point"]] for r in rows]


def parse_where(items):
    """['arch.tile.rows=64', ...] -> {'arch.tile.rows': '64'}."""
    where = {}
    for item in items or []:
        if "=" not in item:
            raise FigureError(f"--where '{item}': expected KEY=VALUE")
        key, value = item.split("=", 1)
        where[key] = value
    return where


def format_where(where):
    return " ".join(f"{k}={v}" for k, v in where.items())


def matches(row, where):
    for key, value in where.items():
        if key not in row:
            raise StoreError(f"--where: no column '{key}' in the store")
        cell = row[key]
        if cell == value:
            continue
        try:
            if float(cell) == float(value):
                continue
        except ValueError:
            pass
        if os.path.splitext(os.path.basename(cell))[0] == value:
            continue  # file axes may be named by their stem
        return False
    return True


def pareto_front(points):
    """Indices of the points (x, y) not dominated when both are minimized, ordered by x."""
    order = sorted(range(len(points)), key=lambda i: (points[i][0], points[i][1], i))
    front = []
    for i in order:
        if not front or points[i][1] < points[front[-1]][1] or points[i] == points[front[-1]]:
            front.append(i)
    return front
