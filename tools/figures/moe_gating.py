#!/usr/bin/env python3
"""MoE power gating: energy and latency per token versus the idle timeout, one line per routing
skew, with the never-gate, gate-immediately and oracle policies as reference lines (figure NAME),
and the saving of the best policy over never gating versus batch size (figure NAME_batch). Also
prints the study tables (markdown) on stdout: the README's summary, then every design. Reads the store of configs/studies/moe_gating.yaml,
whose workload file stems read MODEL.PHASE.bBATCH.

  python3 tools/figures/moe_gating.py                      # the paper figures and table
  python3 tools/figures/moe_gating.py --batch 64           # the timeout panels at batch 64
"""

import os
import sys

import figure_cli
import labels
import style

POLICY = "arch.power_gating.policy"
TIMEOUT = "arch.power_gating.timeout"
SOURCE = "workload.routing.source"
LEAKAGE = "tech.scaling.leakage"
ENERGY = "energy_per_token_uj"
LATENCY = "latency_per_token_us"


def add_options(parser):
    parser.add_argument("--batch", default="8", help="batch size of the timeout panels (default 8)")
    parser.add_argument("--phase", default="decode", choices=["decode", "prefill"],
                        help="phase of the timeout panels (default decode)")
    parser.add_argument("--leakage", help="tech.scaling.leakage of the timeout panels "
                        "(default: the largest in the store)")


def design(row):
    """(model, phase, batch) from the workload file stem MODEL.PHASE.bBATCH."""
    stem = os.path.splitext(os.path.basename(row["workload"]))[0]
    parts = stem.split(".")
    if len(parts) != 3 or not parts[2].startswith("b") or not parts[2][1:].isdigit():
        raise style.FigureError(f"workload '{row['workload']}' is not named MODEL.PHASE.bBATCH")
    return parts[0], parts[1], int(parts[2][1:])


def collect(store):
    """{(model, phase, batch, source, leakage): {"never": (E, T), ..., "timeout": {t: (E, T)}}}"""
    table = {}
    for row in store.ok_rows():
        leakage = float(row[LEAKAGE]) if LEAKAGE in row else 1.0
        key = design(row) + (row[SOURCE], leakage)
        entry = table.setdefault(key, {"timeout": {}})
        value = (store.number(row, ENERGY), store.number(row, LATENCY))
        if row[POLICY] == "timeout":
            entry["timeout"][int(float(row[TIMEOUT]))] = value
        else:
            entry[row[POLICY]] = value
    for key, entry in table.items():
        missing = [p for p in ("never", "immediate", "oracle") if p not in entry]
        if missing or not entry["timeout"]:
            raise style.FigureError(f"design {key}: no ok point for {', '.join(missing) or 'timeout'}")
    return table


def best(entry):
    """The cheapest realisable (non-oracle) policy: (label, energy, latency)."""
    options = [("never", *entry["never"]), ("immediate", *entry["immediate"])]
    options += [(f"timeout {t}", *v) for t, v in sorted(entry["timeout"].items())]
    return min(options, key=lambda o: o[1])


def print_table(table):
    print("| model | phase | batch | routing | leakage scale | never µJ/tok | oracle µJ/tok "
          "| best policy | best µJ/tok | saving | immediate: energy, latency |")
    print("|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|")
    for key in sorted(table):
        model, phase, batch, source, leakage = key
        e = table[key]
        never_e, never_t = e["never"]
        label, best_e, _ = best(e)
        oracle_e = e["oracle"][0]
        imm_e, imm_t = e["immediate"]
        print(f"| {model} | {phase} | {batch} | {source} | {leakage:g} | {never_e:.4g} "
              f"| {oracle_e:.4g} ({100 * (oracle_e / never_e - 1):+.1f}%) | {label} | {best_e:.4g} "
              f"| {100 * (1 - best_e / never_e):.1f}% "
              f"| {100 * (imm_e / never_e - 1):+.1f}%, {100 * (imm_t / never_t - 1):+.1f}% |")


def print_summary(table):
    """The README's table: per model, phase and routing, the best policy's saving at each batch
    (lowest / highest leakage scale), which policy that is and the immediate policy's latency
    cost at the highest leakage scale."""
    leakages = sorted({k[4] for k in table})
    low, high = leakages[0], leakages[-1]
    batches = sorted({k[2] for k in table})
    phases = ["prefill", "decode"]
    rows = sorted({(k[0], k[1], k[3]) for k in table},
                  key=lambda r: (r[0], phases.index(r[1]) if r[1] in phases else 9, r[2]))
    saving = lambda e: 100 * (1 - best(e)[1] / e["never"][0])
    print(f"| model | phase | routing | batch {batches[0]}: saving (leakage ×{low:g} / ×{high:g}) | "
          + " | ".join(f"batch {b}" for b in batches[1:])
          + f" | best policy at ×{high:g} (b {' / '.join(map(str, batches))}) "
          f"| immediate latency at ×{high:g} (b {' / '.join(map(str, batches))}) |")
    print("|---|---|---|" + "---:|" * len(batches) + "---|---|")
    for model, phase, source in rows:
        cells, policies, latencies = [], [], []
        for b in batches:
            lo, hi = table.get((model, phase, b, source, low)), table.get((model, phase, b, source, high))
            if lo is None or hi is None:
                raise style.FigureError(f"{model} {phase} {source} batch {b}: missing a leakage scale")
            cells.append(f"{saving(lo):.1f}% / {saving(hi):.1f}%")
            policies.append(best(hi)[0])
            latencies.append(f"{100 * (hi['immediate'][1] / hi['never'][1] - 1):+.1f}%")
        print(f"| {model} | {phase} | {source} | " + " | ".join(cells) + " | "
              + " / ".join(policies) + " | " + " / ".join(latencies) + " |")


# The reference policies: one colour and line style each, the same in both figures.
POLICY_LOOK = {"timeout": {"color": style.OKABE_ITO[0], "linestyle": "-"},
               "never": {"color": "black", "linestyle": ":"},
               "immediate": {"color": style.OKABE_ITO[1], "linestyle": "--"},
               "oracle": {"color": style.OKABE_ITO[2], "linestyle": "-.", "linewidth": 2.2,
                          "alpha": 0.6, "zorder": 1}}


def with_legend_row(plt, nrows, ncols, width, height):
    """A figure of nrows x ncols panels under a row that holds only the shared legend (outside
    every data area; constrained layout sizes it)."""
    fig = plt.figure(figsize=(width, height), layout="constrained")
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[0.12 * nrows + 0.1] + [1] * nrows)
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.axis("off")
    axes = [[fig.add_subplot(grid[r + 1, c]) for c in range(ncols)] for r in range(nrows)]
    for r in range(nrows):
        for c in range(ncols):
            if r:
                axes[r][c].sharex(axes[0][c])
            if c:
                axes[r][c].sharey(axes[r][0])
    return fig, legend_ax, axes


def timeout_panels(store, table, args):
    """Energy and latency per token relative to never gating (%) against the idle timeout: one
    column per (model, routing), so each panel holds one timeout curve and three reference
    lines."""
    plt = style.pyplot()
    batch = int(args.batch)
    leakage = float(args.leakage) if args.leakage else max(k[4] for k in table)
    columns = sorted((k[0], k[3]) for k in table
                     if k[1:3] == (args.phase, batch) and k[4] == leakage)
    if not columns:
        raise style.FigureError(
            f"no points for {args.phase} batch {batch} at leakage ×{leakage:g}")
    fig, legend_ax, axes = with_legend_row(plt, 2, len(columns),
                                           max(style.COLUMN_WIDTH_IN, 1.7 * len(columns)), 3.9)
    for col, (model, source) in enumerate(columns):
        e = table[(model, args.phase, batch, source, leakage)]
        for row, name in enumerate(("Energy", "Latency")):
            ax = axes[row][col]
            base = e["never"][row]
            rel = lambda v: 100 * (v / base - 1)
            # The timeouts at even spacing (0 has no place on a log axis), labelled by value.
            ts = sorted(e["timeout"])
            ax.plot(range(len(ts)), [rel(e["timeout"][t][row]) for t in ts], marker="o",
                    label="gate after the timeout", zorder=3, **POLICY_LOOK["timeout"])
            ax.set_xticks(range(len(ts)), [f"{t:g}" for t in ts])
            for policy in ("never", "immediate", "oracle"):
                look = dict({"linewidth": 1.0}, **POLICY_LOOK[policy])
                ax.axhline(rel(e[policy][row]), label=labels.value(policy), **look)
            if row == 0:
                ax.set_title(f"{model}, {labels.value(source)}")
            if row == 1:
                ax.set_xlabel("Idle timeout (cycles)")
            if col == 0:
                ax.set_ylabel(f"{name} per token\nvs never gating (%)")
            else:
                ax.tick_params(labelleft=False)
            if row == 0:
                ax.tick_params(labelbottom=False)
    handles, texts = axes[0][0].get_legend_handles_labels()
    legend_ax.legend(handles, texts, loc="center", ncol=4, handlelength=2.2,
                     title=f"{args.phase}, batch {batch}, leakage ×{leakage:g}")
    return fig


def batch_panel(table):
    """Saving of the best realisable policy over never gating vs batch: one panel per model
    (rows) and leakage scale (columns), phase by colour, routing by line style."""
    plt = style.pyplot()
    leakages = sorted({k[4] for k in table})
    models = sorted({k[0] for k in table})
    phases = sorted({k[1] for k in table}, key=lambda p: (p != "prefill", p))
    fig, legend_ax, axes = with_legend_row(plt, len(models), len(leakages),
                                           max(style.COLUMN_WIDTH_IN, 1.9 * len(leakages)),
                                           1.0 + 1.45 * len(models))
    for r, model in enumerate(models):
        for c, leakage in enumerate(leakages):
            ax = axes[r][c]
            for i, phase in enumerate(phases):
                for source, ls in (("uniform", "-"), ("zipf", "--")):
                    batches = sorted(k[2] for k in table if k[:2] == (model, phase)
                                     and k[3:] == (source, leakage))
                    if not batches:
                        continue
                    savings = [100 * (1 - best(table[(model, phase, b, source, leakage)])[1]
                                      / table[(model, phase, b, source, leakage)]["never"][0])
                               for b in batches]
                    ax.plot(batches, savings, marker=style.marker(i), color=style.color(i),
                            linestyle=ls, label=f"{phase}, {labels.value(source)} routing")
            ax.set_xscale("log", base=2)
            ax.set_xticks(batches, [str(b) for b in batches])
            ax.minorticks_off()
            ax.axhline(0, color="black", linewidth=0.5)
            ax.set_title(f"{model}, leakage ×{leakage:g}")
            if r == len(models) - 1:
                ax.set_xlabel("Batch size")
            else:
                ax.tick_params(labelbottom=False)
            if c == 0:
                ax.set_ylabel("Best policy saving\nvs never gating (%)")
            else:
                ax.tick_params(labelleft=False)
    handles, texts = axes[0][0].get_legend_handles_labels()
    legend_ax.legend(handles, texts, loc="center", ncol=2, handlelength=2.2)
    return fig


def plot(store, args):
    table = collect(store)
    print_summary(table)
    print()
    print_table(table)
    fig = timeout_panels(store, table, args)
    for path in style.save(batch_panel(table), args.out, args.name + "_batch"):
        print(f"wrote {os.path.relpath(path)}")
    return fig


if __name__ == "__main__":
    sys.exit(figure_cli.main(__doc__, "configs/studies/moe_gating.yaml", "moe_gating", add_options, plot))
