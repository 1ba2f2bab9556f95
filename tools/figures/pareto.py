#!/usr/bin/env python3
"""Energy versus latency of every ok design in a sweep, with the Pareto front (the designs no
other design beats on both) marked and joined. Points are coloured by one axis (default: the
first non-numeric varying axis, e.g. the DRAM type), shaped by another (--marker-by) and sized by
a third, numeric one (--size-by; the paper figure: SRAM per tile). Dominated designs are faded.

  python3 tools/figures/pareto.py                                # the paper figure
  python3 tools/figures/pareto.py configs/sweeps/tiny12.yaml --color-by arch.dram.type
"""

import sys

import figure_cli
import labels
import style
from store import pareto_front, parse_where

ENERGY, LATENCY = "total.energy_pj", "total.seconds"


def add_options(parser):
    parser.add_argument("--where", action="append", metavar="KEY=VALUE",
                        help="only points whose column KEY has VALUE (repeatable)")
    parser.add_argument("--color-by", metavar="AXIS", help="axis that sets the colour")
    parser.add_argument("--marker-by", metavar="AXIS", help="axis that sets the marker shape")
    parser.add_argument("--size-by", metavar="AXIS",
                        help="numeric axis that sets the marker size "
                        "(e.g. arch.tile.sram.capacity)")
    parser.add_argument("--energy", default=ENERGY, metavar="COLUMN",
                        help=f"energy column (default {ENERGY}); e.g. a derived per-token column")


def pick_axis(store, rows, explicit, exclude):
    if explicit:
        if explicit not in store.axis_keys:
            raise style.FigureError(f"'{explicit}' is not an axis of the sweep "
                                    f"(axes: {', '.join(store.axis_keys)})")
        return explicit
    varying = [k for k in store.varying_axes(rows) if k not in exclude]
    categorical = [k for k in varying if not store.is_numeric_axis(k, rows)]
    return (categorical or varying or [None])[0]


def log_if_wide(values):
    positive = [v for v in values if v > 0]
    return len(positive) == len(values) and max(positive) / min(positive) > 20


def ordered_values(rows, axis, numeric=False):
    values = []
    for r in rows:
        if r[axis] not in values:
            values.append(r[axis])
    return sorted(values, key=float) if numeric else values


# Marker areas (pt^2) for the size axis, smallest value first: equal steps in area, so the
# viewer reads rank, not magnitude (the legend gives the values).
SIZE_MIN, SIZE_MAX = 6.0, 60.0


def plot(store, args):
    from matplotlib.lines import Line2D

    rows = store.ok_rows(parse_where(args.where))
    energy = [store.number(r, args.energy) for r in rows]
    latency = [store.number(r, LATENCY) for r in rows]
    e_scale, e_unit = style.si_scale(energy, store.unit(args.energy))
    t_scale, t_unit = style.si_scale(latency, "s")
    xs = [t * t_scale for t in latency]
    ys = [e * e_scale for e in energy]

    color_axis = pick_axis(store, rows, args.color_by, [])
    marker_axis = args.marker_by and pick_axis(store, rows, args.marker_by, [])
    size_axis = args.size_by and pick_axis(store, rows, args.size_by, [])
    if size_axis and not store.is_numeric_axis(size_axis, rows):
        raise style.FigureError(f"--size-by '{size_axis}' has non-numeric values")
    colors = {v: i for i, v in enumerate(ordered_values(rows, color_axis))} if color_axis else {}
    markers = {v: i for i, v in enumerate(ordered_values(rows, marker_axis, numeric=bool(
        marker_axis and store.is_numeric_axis(marker_axis, rows))))} if marker_axis else {}
    size_values = ordered_values(rows, size_axis, numeric=True) if size_axis else []
    step = (SIZE_MAX - SIZE_MIN) / max(1, len(size_values) - 1)
    sizes = {v: SIZE_MIN + step * i for i, v in enumerate(size_values)}

    fig, ax = style.figure(height_in=3.4)
    front = pareto_front(list(zip(xs, ys)))
    on_front = set(front)
    ax.step([xs[i] for i in front], [ys[i] for i in front], where="post", color="black",
            linewidth=1.0, zorder=2)
    for i, r in enumerate(rows):
        c = colors.get(r[color_axis], 0) if color_axis else 0
        m = markers.get(r[marker_axis], 0) if marker_axis else 0
        size = sizes[r[size_axis]] if size_axis else 18
        # Dominated designs faded and unoutlined; the front opaque with a black outline.
        ax.scatter(xs[i], ys[i], s=size, color=style.color(c), marker=style.marker(m),
                   edgecolors="black" if i in on_front else "none", linewidths=0.7,
                   zorder=3 if i in on_front else 2.5, alpha=1.0 if i in on_front else 0.45)
    if log_if_wide(xs):
        ax.set_xscale("log")
    if log_if_wide(ys):
        ax.set_yscale("log")
    ax.set_xlabel(style.label("Latency", t_unit))
    energy_name = labels.quantity(args.energy)
    ax.set_ylabel(style.label(energy_name, e_unit))

    # One legend above the axes, one column per encoded variable (a heading, then its values),
    # the front first; columns padded with blank entries so each variable starts a column.
    blank = Line2D([], [], linestyle="", marker="")
    columns = [[(Line2D([], [], color="black", linewidth=1.0, marker="o", markersize=4,
                        markerfacecolor="0.6", markeredgecolor="black"),
                 f"Pareto front ({len(front)} of {len(rows)})")]]
    if color_axis:
        columns[0] += [(blank, store.axis_text(color_axis))]
        columns[0] += [(Line2D([], [], linestyle="", marker="o", color=style.color(i)),
                        store.value_text(color_axis, v)) for v, i in colors.items()]
    if marker_axis:
        columns.append([(blank, store.axis_text(marker_axis))]
                       + [(Line2D([], [], linestyle="", marker=style.marker(i), color="0.35"),
                           store.value_text(marker_axis, v)) for v, i in markers.items()])
    if size_axis:
        columns.append([(blank, store.axis_text(size_axis))]
                       + [(Line2D([], [], linestyle="", marker="o", color="0.35",
                                  markersize=sizes[v] ** 0.5), v) for v in size_values])
    height = max(len(c) for c in columns)
    handles, texts = [], []
    for c in columns:
        c = c + [(blank, "")] * (height - len(c))
        handles += [h for h, _ in c]
        texts += [t for _, t in c]
    ax.legend(handles, texts, loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=len(columns),
              handletextpad=0.3, columnspacing=0.7, labelspacing=0.3, borderaxespad=0.2,
              handlelength=1.0, fontsize=style.MIN_FONT_PT + 0.5)
    return fig


if __name__ == "__main__":
    sys.exit(figure_cli.main(__doc__, "configs/sweeps/array_sram_dram.yaml", "pareto",
                             add_options, plot))
