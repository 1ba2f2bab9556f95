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
    # Families in stacking order (bottom first), each in its colour and hatch of every figure
    # (style.CATEGORY_COLORS); --detail splits a family into its ledger categories, in shades of
    # the family's hue told apart by hatches.
    segments = []  # (legend name, columns, bar keyword arguments)
    for family in style.CATEGORY_ORDER:
        members = [c for c in categories if style.category(c.split(".", 1)[1]) == family]
        if not members:
            continue
        if not args.detail:
            segments.append((style.CATEGORY_NAMES[family], members, style.category_style(family)))
            continue
        for j, c in enumerate(members):
            kind = c.split(".", 2)[-1].replace("_", " ")
            segments.append((f"{style.CATEGORY_NAMES[family]}: {kind}", [c],
                             {"color": style.CATEGORY_COLORS[family],
                              "hatch": style.HATCHES[j % len(style.HATCHES)]}))

    totals = [sum(store.number(r, c) for c in categories) / args.per for r in rows]
    scale, unit = style.si_scale(totals, "pJ")

    keys = store.varying_axes(rows)
    crowded = len(rows) > 6
    labels = [store.design_label(r, keys, sep=" / " if crowded else "\n") for r in rows]
    legend_rows = -(-len(segments) // (3 if args.detail else 5))
    fig, ax = style.figure(height_in=2.2 + 0.15 * legend_rows + (0.6 if crowded else 0))
    bottoms = [0.0] * len(rows)
    for name, members, look in segments:
        values = [sum(store.number(r, c) for c in members) / args.per * scale for r in rows]
        look = dict(look, label=name)
        ax.bar(range(len(rows)), values, bottom=bottoms, width=0.65, edgecolor="white",
               linewidth=0.4, **look)
        bottoms = [b + v for b, v in zip(bottoms, values)]
    ax.set_xticks(range(len(rows)), labels, rotation=90 if crowded else 0)
    ax.grid(axis="x", visible=False)
    quantity = "Energy per token" if args.per != 1.0 else "Energy"
    ax.set_ylabel(style.label(quantity, unit + ("/token" if args.per != 1.0 else "")))
    if keys:
        ax.set_xlabel(" / ".join(store.axis_text(k) for k in keys))
    # Above the axes, outside them, so it never hides a bar (bottom segment first).
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3 if args.detail else 5,
              handlelength=1.0, columnspacing=0.8, borderaxespad=0.3)
    return fig


if __name__ == "__main__":
    sys.exit(figure_cli.main(__doc__, "configs/sweeps/node_arch.yaml", "energy_breakdown",
                             add_options, plot))
