#!/usr/bin/env python3
"""Energy versus latency of every ok design in a sweep, with the Pareto front (the designs no
other design beats on both) marked and joined. Points are coloured by one axis (default: the
first non-numeric varying axis, e.g. the DRAM type) and shaped by another (--marker-by).

  python3 tools/figures/pareto.py                                # the paper figure
  python3 tools/figures/pareto.py configs/sweeps/tiny12.yaml --color-by arch.dram.type
"""

import sys

import figure_cli
import style
from store import pareto_front, parse_where

ENERGY, LATENCY = "total.energy_pj", "total.seconds"


def add_options(parser):
    parser.add_argument("--where", action="append", metavar="KEY=VALUE",
                        help="only points whose column KEY has VALUE (repeatable)")
    parser.add_argument("--color-by", metavar="AXIS", help="axis that sets the colour")
    parser.add_argument("--marker-by", metavar="AXIS", help="axis that sets the marker shape")
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


def plot(store, args):
    rows = store.ok_rows(parse_where(args.where))
    energy = [store.number(r, args.energy) for r in rows]
    latency = [store.number(r, LATENCY) for r in rows]
    e_scale, e_unit = style.si_scale(energy, store.unit(args.energy))
    t_scale, t_unit = style.si_scale(latency, "s")
    xs = [t * t_scale for t in latency]
    ys = [e * e_scale for e in energy]

    color_axis = pick_axis(store, rows, args.color_by, [])
    marker_axis = args.marker_by and pick_axis(store, rows, args.marker_by, [])
    def groups(axis):
        if not axis:
            return {}
        ordered = []
        for r in rows:
            if r[axis] not in ordered:
                ordered.append(r[axis])
        return {v: i for i, v in enumerate(ordered)}
    colors, markers = groups(color_axis), groups(marker_axis)

    fig, ax = style.figure(height_in=2.6)
    front = pareto_front(list(zip(xs, ys)))
    on_front = set(front)
    ax.step([xs[i] for i in front], [ys[i] for i in front], where="post", color="0.25",
            linewidth=0.9, zorder=2)
    for i, r in enumerate(rows):
        c = colors.get(r[color_axis], 0) if color_axis else 0
        m = markers.get(r[marker_axis], 0) if marker_axis else 0
        ax.scatter(xs[i], ys[i], s=24 if i in on_front else 12, color=style.color(c),
                   marker=style.marker(m), edgecolors="black" if i in on_front else "none",
                   linewidths=0.8, zorder=3, alpha=1.0 if i in on_front else 0.85)
    if log_if_wide(xs):
        ax.set_xscale("log")
    if log_if_wide(ys):
        ax.set_yscale("log")
    ax.set_xlabel(style.label("Latency", t_unit))
    energy_name = "Energy" if args.energy == ENERGY else args.energy
    ax.set_ylabel(style.label(energy_name, e_unit))

    # Shapes and the front inside, where they take little room; colours above the axes, as the
    # axes' own legend so that constrained layout makes room for it.
    from matplotlib.lines import Line2D
    handles = [Line2D([], [], color="0.25", linewidth=0.9, marker="o", markerfacecolor="white",
                      markeredgecolor="black", label=f"Pareto front ({len(front)} of {len(rows)})")]
    handles += [Line2D([], [], linestyle="", marker=style.marker(i), color="0.45",
                       label=store.value_text(marker_axis, v)) for v, i in markers.items()]
    inside = ax.legend(handles=handles, title=marker_axis if marker_axis else None, loc="best",
                       handletextpad=0.3, labelspacing=0.3, frameon=True, framealpha=0.85,
                       edgecolor="none")
    if color_axis:
        ax.add_artist(inside)
        handles = [Line2D([], [], linestyle="", marker="o", color=style.color(i),
                          label=store.value_text(color_axis, v)) for v, i in colors.items()]
        ax.legend(handles=handles, title=color_axis, loc="lower center",
                  bbox_to_anchor=(0.5, 1.0), ncol=min(len(handles), 4),
                  handletextpad=0.2, columnspacing=0.9, borderaxespad=0.3)
    return fig


if __name__ == "__main__":
    sys.exit(figure_cli.main(__doc__, "configs/sweeps/array_sram_dram.yaml", "pareto",
                             add_options, plot))
