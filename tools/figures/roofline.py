#!/usr/bin/env python3
"""Roofline per operation: for every compute layer (macs > 0) of the chosen designs, operational
intensity (operations per DRAM byte, 2 per MAC) against achieved throughput (operations per
second over the layer's time), under each design's roofs: peak compute (2 x PEs x clock) and
peak DRAM bandwidth (channels x channel bandwidth) times intensity. Read from the full reports in
results.jsonl.

  python3 tools/figures/roofline.py                              # the paper figure
  python3 tools/figures/roofline.py configs/sweeps/tiny12.yaml --where arch.dram.type=ddr4
"""

import re
import sys

import figure_cli
import style
from store import parse_where

# Bandwidth units pjsim configs accept (sim/config/units.cpp), in bytes/s.
BANDWIDTH_UNITS = {"B/s": 1.0, "MB/s": 1e6, "GB/s": 1e9, "TB/s": 1e12,
                   "MiB/s": 2.0 ** 20, "GiB/s": 2.0 ** 30}


def add_options(parser):
    parser.add_argument("--where", action="append", metavar="KEY=VALUE",
                        help="only points whose column KEY has VALUE (repeatable)")
    parser.add_argument("--max-designs", type=int, default=8,
                        help="refuse more designs than this (one colour each)")


def bandwidth(text, where):
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*([A-Za-z/]+)\s*", str(text))
    if not m or m.group(2) not in BANDWIDTH_UNITS:
        raise style.FigureError(f"{where}: cannot read DRAM bandwidth '{text}'")
    return float(m.group(1)) * BANDWIDTH_UNITS[m.group(2)]


def roofs(record, where):
    """(peak operations/s, peak DRAM bytes/s) of a point's architecture."""
    try:
        arch = record["config"]["arch"]
        pes = (arch["mesh"]["width"] * arch["mesh"]["height"] * arch["tile"]["rows"]
               * arch["tile"]["cols"])
        clock = record["report"]["total"]["clock_hz"]
        dram = arch["dram"]
        return 2.0 * pes * clock, bandwidth(dram["channel_bandwidth"], where) * len(dram["channels"])
    except (KeyError, TypeError) as e:
        raise style.FigureError(f"{where}: record lacks the architecture field {e}") from None


def plot(store, args):
    rows = store.ok_rows(parse_where(args.where))
    if len(rows) > args.max_designs:
        raise style.FigureError(f"{len(rows)} designs is too many for one roofline "
                                f"(--max-designs {args.max_designs}); narrow them with --where")
    records = store.records(rows)
    keys = store.varying_axes(rows)
    ops = []  # op names in first-seen order, one marker each
    points = []  # (design index, op, intensity, ops/s)
    design_roofs = []
    for d, (row, record) in enumerate(zip(rows, records)):
        where = f"{store.dir}/results.jsonl point {row['point']}"
        design_roofs.append(roofs(record, where))
        for layer in record["report"].get("layers", []):
            macs = layer.get("macs", 0)
            traffic = layer.get("dram_read_bytes", 0) + layer.get("dram_write_bytes", 0)
            seconds = layer.get("seconds", 0)
            if macs <= 0 or traffic <= 0 or seconds <= 0:
                continue  # elementwise layers do no MACs; a layer without DRAM traffic has no x
            if layer["name"] not in ops:
                ops.append(layer["name"])
            points.append((d, layer["name"], 2.0 * macs / traffic, 2.0 * macs / seconds))
    if not points:
        raise style.FigureError(f"{store.dir}: no compute layers with DRAM traffic to plot")

    xs = [p[2] for p in points]
    ridges = [peak / bw for peak, bw in design_roofs]
    x_lo = min(min(xs) / 4, min(ridges) / 2)
    x_hi = max(max(xs) * 4, max(ridges) * 2)
    y_scale, y_unit = 1e-9, "GOP/s"
    fig, ax = style.figure(height_in=3.2)
    drawn = {}
    for d, (peak, bw) in enumerate(design_roofs):
        if (peak, bw) in drawn:
            continue  # designs sharing roofs share one line
        drawn[(peak, bw)] = d
        ridge = peak / bw
        xs_roof = [x_lo, min(max(ridge, x_lo), x_hi), x_hi]
        ax.plot(xs_roof, [min(peak, bw * x) * y_scale for x in xs_roof],
                color=style.color(d) if len(set(design_roofs)) > 1 else "0.3", linewidth=1.0,
                linestyle="-", zorder=1)
    for d, op, x, y in points:
        ax.scatter(x, y * y_scale, color=style.color(d), marker=style.marker(ops.index(op)),
                   s=18, zorder=3, edgecolors="none")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(x_lo, x_hi)
    ax.set_xlabel(style.label("Operational intensity", "op/B of DRAM traffic"))
    ax.set_ylabel(style.label("Achieved throughput", y_unit))

    from matplotlib.lines import Line2D
    design_handles = [Line2D([], [], linestyle="", marker="o", color=style.color(d),
                             label=store.design_label(r, keys)) for d, r in enumerate(rows)]
    op_handles = [Line2D([], [], linestyle="", marker=style.marker(i), color="0.45",
                         label=op.replace("_", " ")) for i, op in enumerate(ops)]
    several = len(set(design_roofs)) > 1
    roof_handle = [Line2D([], [], color="0.3", linewidth=1.0,
                          label="roofs (design colours)" if several else "roof")]
    # Above the axes, outside the data: operations and roofs, then (several designs) the
    # designs with the swept axes as the title.
    ax.legend(handles=op_handles + roof_handle + (design_handles if len(rows) > 1 else []),
              title=" / ".join(store.axis_text(k) for k in keys) if len(rows) > 1 and keys
              else None, loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=3,
              handletextpad=0.3, columnspacing=0.9, labelspacing=0.3, borderaxespad=0.2)
    return fig


if __name__ == "__main__":
    sys.exit(figure_cli.main(__doc__, "configs/sweeps/array_sram_dram.yaml", "roofline",
                             add_options, plot))
