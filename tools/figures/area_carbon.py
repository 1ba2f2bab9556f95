#!/usr/bin/env python3
"""Area and carbon of the BitNet equal-area study: (a) chip area by component per design (the
report's area.breakdown_mm2, in the energy-category colours: the PE array as compute, routers and
links as NoC), (b) throughput per mm² and (c) grams CO₂e per million tokens (the report's carbon
section: energy x PUE x grid carbon intensity, Green Algorithms), prefill and decode, at one
technology node. Designs are named by arithmetic and PE array size.

  python3 tools/figures/area_carbon.py --store out/studies/bitnet_energy_iso_area
  python3 tools/figures/area_carbon.py --store STORE --tech 45nm
"""

import os
import sys

import figure_cli
import style
from store import parse_where

AREA_FAMILIES = ["compute", "sram", "vector", "noc", "other"]


def add_options(parser):
    parser.add_argument("--tech", default="7nm",
                        help="technology file stem of the designs to draw (default 7nm)")


def phase(row):
    stem = os.path.splitext(os.path.basename(row["workload"]))[0]
    return "prefill" if stem.startswith("prefill") else "decode" if stem.startswith("decode") \
        else stem


def plot(store, args):
    rows = store.ok_rows(parse_where([f"tech={args.tech}"]) if "tech" in store.header else None)
    records = store.records(rows)
    designs = []  # (label, arch file, rows) in the store's order
    by = {}  # (design index, phase) -> (row, record)
    for row, record in zip(rows, records):
        arith = row.get("workload.arithmetic") or row.get("workload.dtype") or row["arch"]
        tile = record["config"]["arch"]["tile"]
        label = f"{arith} {tile['rows']}×{tile['cols']}"
        key = (row.get("arch", ""), label)
        if key not in designs:
            designs.append(key)
        by[(designs.index(key), phase(row))] = (row, record)
    phases = [p for p in ("prefill", "decode") if any(k[1] == p for k in by)]
    if not phases:
        raise style.FigureError(f"{store.dir}: no prefill or decode points")
    names = [d[1] for d in designs]

    plt = style.pyplot()
    fig = plt.figure(figsize=(2 * style.COLUMN_WIDTH_IN + 0.3, 2.9), layout="constrained")
    grid = fig.add_gridspec(1, 4, width_ratios=[1, 1, 1, 0.6])
    ax_area, ax_tput, ax_carbon = (fig.add_subplot(grid[0, i]) for i in range(3))
    xs = range(len(designs))

    # (a) Area by component: the same design's area is the same in both phases.
    first = [next(by[(d, p)] for p in phases if (d, p) in by) for d in range(len(designs))]
    bottoms = [0.0] * len(designs)
    for family in AREA_FAMILIES:
        values = []
        for _, record in first:
            parts = record["report"]["area"]["breakdown_mm2"]
            values.append(sum(v for k, v in parts.items() if style.category(k) == family))
        if not any(values):
            continue
        ax_area.bar(xs, values, bottom=bottoms, width=0.7, edgecolor="white", linewidth=0.3,
                    **style.category_style(family))
        bottoms = [b + v for b, v in zip(bottoms, values)]
    ax_area.set_ylabel(style.label("Chip area", "mm²"))
    ax_area.set_title(f"(a) area, {args.tech}")

    # (b), (c): per phase, grouped bars in greys (colours belong to the categories).
    width = 0.8 / len(phases)
    looks = [{"color": "0.3"}, {"color": "0.75", "hatch": "//", "edgecolor": "white"}]
    for ax, column, quantity, unit, title in (
            (ax_tput, "tokens_per_s_per_mm2", "Throughput", "tokens/s/mm²", "(b) throughput/area"),
            (ax_carbon, "carbon.per_million_tokens_g", "Carbon", "g CO₂e/10⁶ tokens",
             "(c) carbon")):
        for i, p in enumerate(phases):
            values = [store.number(by[(d, p)][0], column) if (d, p) in by else 0
                      for d in range(len(designs))]
            ax.bar([x + (i - (len(phases) - 1) / 2) * width for x in xs], values, width=width,
                   linewidth=0.3, label=p, **looks[i % len(looks)])
        ax.set_yscale("log")
        ax.set_ylabel(style.label(quantity, unit))
        ax.set_title(title)
    inputs = first[0][1]["report"].get("carbon", {}).get("inputs", {})
    for ax in (ax_area, ax_tput, ax_carbon):
        ax.set_xticks(list(xs), names, rotation=90)
        ax.set_xlabel("Design (arithmetic, PE array)")
        ax.grid(axis="x", visible=False)

    legend_ax = fig.add_subplot(grid[0, 3])
    legend_ax.axis("off")
    area_handles, _ = ax_area.get_legend_handles_labels()
    phase_handles, _ = ax_tput.get_legend_handles_labels()
    first_legend = legend_ax.legend(handles=area_handles[::-1], title="Area", loc="upper left",
                                    borderaxespad=0)
    legend_ax.add_artist(first_legend)
    note = ""
    if inputs:
        note = (f"{inputs.get('location_name', inputs.get('location', ''))}\n"
                f"{inputs.get('carbon_intensity_g_per_kwh', '')} g CO₂e/kWh, "
                f"PUE {inputs.get('pue', '')}")
    legend_ax.legend(handles=phase_handles, title="Phase", loc="upper left",
                     bbox_to_anchor=(0, 0.3), borderaxespad=0)
    if note:
        ax_carbon.set_title("(c) carbon, " + note, fontsize=style.FONT_PT - 1)
    return fig


if __name__ == "__main__":
    sys.exit(figure_cli.main(__doc__, "configs/studies/bitnet_energy_iso_area.yaml", "area_carbon",
                             add_options, plot))
