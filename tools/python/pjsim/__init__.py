"""pjsim from Python: the simulator the `pjsim` command runs, as functions returning dicts.

    import pjsim
    report = pjsim.run(arch="configs/arch/default.yaml",
                       workload="workloads/ffn_bitnet_prefill128.yaml",
                       overrides={"arch.tile.rows": 64})
    report["total"]["energy_pj"]
    cheaper = pjsim.reprice(report, tech="configs/tech/7nm.yaml")
    rows = pjsim.load_store("out/sweeps/node_arch")      # or load_store(..., frame=True)

run() returns exactly what `pjsim run --out DIR` writes to DIR/report.json (parsed), reprice()
what `pjsim reprice` writes. Bad input raises ConfigError (a ValueError) whose message starts
with file:line:col, as the command line prints it; a simulation failure raises SimulationError.
Set-up: build pjsim (README quick start), then PYTHONPATH=build/python (docs in README "Python").
"""

import json
import os

from .store import StoreError, read_manifest, read_records, read_results_csv, typed

try:
    from . import _pjsim
except ImportError as _e:  # the pure-Python parts (load_store) work without the build
    _pjsim = None
    _import_error = _e
    ConfigError = ValueError
    SimulationError = RuntimeError
else:
    ConfigError = _pjsim.ConfigError
    SimulationError = _pjsim.SimulationError

__all__ = ["run", "reprice", "load_store", "ConfigError", "SimulationError", "StoreError"]


def _native():
    if _pjsim is None:
        raise ImportError("pjsim's native module is not built (cmake with pybind11-dev installed; "
                          f"PYTHONPATH=build/python): {_import_error}")
    return _pjsim


def _set_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sets(overrides):
    """{'arch.tile.rows': 64} (or ['arch.tile.rows=64']) -> ['arch.tile.rows=64']."""
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        return [f"{k}={_set_value(v)}" for k, v in overrides.items()]
    if isinstance(overrides, str):
        raise TypeError("overrides: a dict {KEY: VALUE} or a list of 'KEY=VALUE' strings")
    return [str(s) for s in overrides]


def _path(p):
    return os.fspath(p) if p is not None else ""


def run(arch, workload, tech=None, overrides=None, carbon=None, carbon_table=None, pue=None):
    """Simulates `workload` on `arch` (YAML paths) and returns report.json as nested dicts.

    tech: a technology table (default: the one the architecture names); overrides: {KEY: VALUE}
    as `--set KEY=VALUE` (keys start with arch., tech. or workload.); carbon, carbon_table, pue:
    as `pjsim run --carbon/--carbon-table/--pue`."""
    text = _native().run_json(_path(arch), _path(workload), _path(tech), _sets(overrides),
                              carbon or "", _path(carbon_table),
                              "" if pue is None else repr(float(pue)))
    return json.loads(text)


def reprice(report, tech, overrides=None):
    """Re-prices a report (a dict from run(), or a report.json path) with another technology
    table, as `pjsim reprice` does; returns the new report as dicts."""
    if isinstance(report, dict):
        text, name = json.dumps(report), "<report>"
    else:
        name = os.fspath(report)
        with open(name, encoding="utf-8") as f:
            text = f.read()
    return json.loads(_native().reprice_json(text, name, _path(tech), _sets(overrides)))


def load_store(directory, frame=False, reports=False):
    """The points of a sweep results store (`pjsim sweep SPEC --out DIR`) as rows: one dict per
    results.csv row, numbers as int/float. With reports=True each row also gets 'report', the
    point's full report (from results.jsonl; None for a point that did not run). With frame=True,
    a pandas DataFrame (Debian: python3-pandas) instead of a list."""
    directory = os.fspath(directory)
    manifest = read_manifest(directory)
    _, raw = read_results_csv(directory, [a["key"] for a in manifest["axes"]])
    rows = [{k: typed(v) for k, v in r.items() if k != "_line"} for r in raw]
    if reports:
        for row, record in zip(rows, read_records(directory, [r["point"] for r in raw])):
            row["report"] = record.get("report")
    if not frame:
        return rows
    try:
        import pandas
    except ImportError:
        raise ImportError("load_store(frame=True) needs pandas (Debian: apt-get install "
                          "python3-pandas); frame=False returns a list of dicts") from None
    return pandas.DataFrame(rows)


version = _pjsim.version if _pjsim is not None else None
