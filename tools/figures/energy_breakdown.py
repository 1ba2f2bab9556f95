#!/usr/bin/env python3
"""Stacked energy breakdown per design: one bar per ok point of a sweep, split by energy category
(the report's energy_by_category, grouped by family: compute, SRAM, NoC, DRAM, leakage; use
--detail for every ledger category).

  python3 tools/figures/energy_breakdown.py                      # the paper figure
  python3 tools/figures/energy_breakdown.py configs/sweeps/tiny12.yaml --where arch.dram.type=ddr4
"""

import sys

import figure_cli
import style
from store import parse_where

# Families in stacking order (bottom first), their legend names and palette slots (chosen so
# that neighbouring segments never share a hue family).
FAMILIES = [("compute", "Compute", 0), ("sram", "SRAM", 1), ("noc", "NoC", 4), ("dram", "DRAM", 2),
            ("leakage", "Leakage", 5)]


def add_options(parser):
    parser.add_argument("--where", action="append", metavar="KEY=VALUE",
                        help="only points whose column KEY has VALUE (repeatable)")
    parser.add_argument("--detail", action="store_true",
                        help="one segment per ledger category instead of per family")
    parser.add_argument("--per", type=float, default=1.0, metavar="N",
                        help="divide energy by N (e.g. tokens) and label it per token")
    parser.add_argument("--max-bars", type=int, default=16, help="refuse more bars than this")


def plot(store, args):
    rows = store.ok_rows(parse_where(args.where))
    if len(rows) > args.max_bars:
        raise style.FigureError(f"{len(rows)} designs is too many bars (--max-bars {args.max_bars});"
                                " narrow them with --where KEY=VALUE")
    categories = [c for c in store.header if c.startswith("energy_by_category.")]
    if not categories:
        raise style.FigureError(f"{store.dir}/results.csv has no energy_by_category.* columns")
    if args.detail:
        segments = [(c.split(".", 1)[1], [c], i) for i, c in enumerate(categories)]
    else:
        segments = []
        for prefix, name, slot in FAMILIES:
            members = [c for c in categories if c.split(".")[1] == prefix]
            if members:
                segments.append((name, members, slot))
        others = [c for c in categories if c.split(".")[1] not in [f[0] for f in FAMILIES]]
        if others:
            segments.append(("Other", others, 7))

    totals = [sum(store.number(r, c) for c in categories) / args.per for r in rows]
    scale, unit = style.si_scale(totals, "pJ")

    keys = store.varying_axes(rows)
    crowded = len(rows) > 6
    labels = [store.design_label(r, keys, sep=" / " if crowded else "\n") for r in rows]
    legend_rows = -(-len(segments) // (3 if args.detail else 5))
    fig, ax = style.figure(height_in=2.2 + 0.15 * legend_rows + (0.6 if crowded else 0))
    bottoms = [0.0] * len(rows)
    for name, members, slot in segments:
        values = [sum(store.number(r, c) for c in members) / args.per * scale for r in rows]
        ax.bar(range(len(rows)), values, bottom=bottoms, width=0.65, label=name,
               color=style.color(slot), hatch=style.HATCHES[slot // len(style.OKABE_ITO)],
               edgecolor="white", linewidth=0.4)
        bottoms = [b + v for b, v in zip(bottoms, values)]
    ax.set_xticks(range(len(rows)), labels, rotation=90 if crowded else 0)
    ax.grid(axis="x", visible=False)
    quantity = "Energy per token" if args.per != 1.0 else "Energy"
    ax.set_ylabel(style.label(quantity, unit + ("/token" if args.per != 1.0 else "")))
    if keys:
        ax.set_xlabel(" / ".join(keys))
    # Above the axes, outside them, so it never hides a bar (bottom segment first).
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3 if args.detail else 5,
              handlelength=1.0, columnspacing=0.8, borderaxespad=0.3)
    return fig


if __name__ == "__main__":
    sys.exit(figure_cli.main(__doc__, "configs/sweeps/node_arch.yaml", "energy_breakdown",
                             add_options, plot))
