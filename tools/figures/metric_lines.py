#!/usr/bin/env python3
"""A metric over one axis of a sweep, one line per value of another axis. Points that differ in
further axes are reduced to the best (--reduce min, the default) or worst (max) or mean value, so
each line shows, e.g., the lowest energy reachable at each SRAM capacity for each DRAM type; fix
further axes instead with --where.

  python3 tools/figures/metric_lines.py                          # the paper figure
  python3 tools/figures/metric_lines.py configs/sweeps/tiny12.yaml --x arch.tile.rows \\
      --group arch.dram.type --metric tops_per_w
"""

import sys

import figure_cli
import labels
import style
from store import parse_where

REDUCERS = {"min": min, "max": max, "mean": lambda v: sum(v) / len(v)}


def add_options(parser):
    parser.add_argument("--x", metavar="AXIS", help="numeric axis on the x axis "
                        "(default: the first numeric varying axis)")
    parser.add_argument("--group", metavar="AXIS", help="one line per value of this axis "
                        "(default: the first other varying axis)")
    parser.add_argument("--metric", default="total.energy_pj", metavar="COLUMN",
                        help="results.csv column on the y axis (default total.energy_pj)")
    parser.add_argument("--reduce", choices=sorted(REDUCERS), default="min",
                        help="how points differing only in other axes become one (default min)")
    parser.add_argument("--where", action="append", metavar="KEY=VALUE",
                        help="only points whose column KEY has VALUE (repeatable)")
    parser.add_argument("--label", metavar="TEXT", help="name of the metric on the y axis")
    parser.add_argument("--logx", choices=["auto", "yes", "no"], default="auto",
                        help="log2 x axis (auto: when the values span more than 8x)")


def check_axis(store, key, what):
    if key not in store.axis_keys:
        raise style.FigureError(f"--{what} '{key}' is not an axis of the sweep "
                                f"(axes: {', '.join(store.axis_keys)})")


def plot(store, args):
    rows = store.ok_rows(parse_where(args.where))
    varying = store.varying_axes(rows)
    x_axis = args.x or next((k for k in varying if store.is_numeric_axis(k, rows)), None)
    if not x_axis:
        raise style.FigureError("no numeric axis varies among the points; choose one with --x")
    check_axis(store, x_axis, "x")
    if not store.is_numeric_axis(x_axis, rows):
        raise style.FigureError(f"--x '{x_axis}' has non-numeric values")
    group_axis = args.group
    if group_axis is None:
        others = [k for k in varying if k != x_axis]
        categorical = [k for k in others if not store.is_numeric_axis(k, rows)]
        group_axis = (categorical or others or [None])[0]
    if group_axis:
        check_axis(store, group_axis, "group")

    series = {}  # group value -> {x: [metric values]}
    for r in rows:
        g = r[group_axis] if group_axis else ""
        series.setdefault(g, {}).setdefault(float(r[x_axis]), []).append(
            store.number(r, args.metric))
    reduce = REDUCERS[args.reduce]
    all_values = [reduce(v) for s in series.values() for v in s.values()]
    scale, unit = style.si_scale(all_values, store.unit(args.metric))
    reduced_over = [k for k in varying if k not in (x_axis, group_axis)]

    fig, ax = style.figure(height_in=2.4)
    for i, (g, points) in enumerate(series.items()):
        xs = sorted(points)
        ax.plot(xs, [reduce(points[x]) * scale for x in xs], marker=style.marker(i),
                color=style.color(i), label=store.value_text(group_axis, g) if group_axis else None)
    xs_all = sorted({x for s in series.values() for x in s})
    wide = xs_all[0] > 0 and xs_all[-1] / xs_all[0] > 8
    if args.logx == "yes" or (args.logx == "auto" and wide):
        ax.set_xscale("log", base=2)
        ax.set_xticks(xs_all, [f"{x:g}" for x in xs_all])
        ax.minorticks_off()
    ax.set_xlabel(store.axis_text(x_axis))
    name = args.label or labels.quantity(args.metric)
    if reduced_over:
        adjective = {"min": "Lowest", "max": "Highest", "mean": "Mean"}[args.reduce]
        name = f"{adjective} {name[0].lower()}{name[1:]}"
    ax.set_ylabel(style.label(name, unit))
    if group_axis:
        ax.legend(title=store.axis_text(group_axis), loc="lower center", bbox_to_anchor=(0.5, 1.0),
                  ncol=min(len(series), 4), handletextpad=0.3, columnspacing=0.9,
                  borderaxespad=0.3)
    if reduced_over:
        ax.annotate(f"{args.reduce} over " + ", ".join(labels.quantity(k) for k in reduced_over),
                    xy=(0.99, 0.97),
                    xycoords="axes fraction", ha="right", va="top",
                    fontsize=style.FONT_PT - 1, color="0.35")
    if all(v > 0 for v in all_values) and max(all_values) / min(all_values) > 30:
        ax.set_yscale("log")
    return fig


if __name__ == "__main__":
    sys.exit(figure_cli.main(__doc__, "configs/sweeps/array_sram_dram.yaml", "metric_lines",
                             add_options, plot))
