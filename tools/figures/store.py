"""Reading a pjsim sweep results store (see docs/SWEEPS.md) for plotting.

A store is a directory with sweep.json (axes, units), results.csv (one row per point) and
results.jsonl (one record per point, with the full report). Anything malformed raises StoreError
with the file (and line) to look at.
"""

import math
import os
import sys

try:
    import pjsim.store as package_store
except ImportError:  # run from the source tree without PYTHONPATH: the package is beside us
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    import pjsim.store as package_store

import labels
from style import FigureError


class StoreError(FigureError):
    pass


REQUIRED_COLUMNS = package_store.REQUIRED_COLUMNS


class Store:
    """A store read by the pjsim package (pjsim.store), with what the figures need on top."""

    def __init__(self, directory):
        self.dir = directory
        try:
            self.manifest = package_store.read_manifest(directory)
            self.axes = self.manifest["axes"]
            self.axis_keys = [a["key"] for a in self.axes]
            self.header, self.rows = package_store.read_results_csv(directory, self.axis_keys)
        except package_store.StoreError as e:
            raise StoreError(str(e)) from None
        self.units = {}
        for a in self.axes:
            if a.get("unit"):
                self.units[a["key"]] = a["unit"]
        for m in self.manifest.get("metrics", []) + self.manifest.get("derived", []):
            self.units[m["name"]] = m.get("unit", "")

    def _path(self, name):
        return os.path.join(self.dir, name)

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
        try:
            return package_store.read_records(self.dir, [r["point"] for r in rows])
        except package_store.StoreError as e:
            raise StoreError(str(e)) from None


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
