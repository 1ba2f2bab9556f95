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


def timeout_panels(store, table, args):
    plt = style.pyplot()
    models = sorted({k[0] for k in table})
    fig, axes = plt.subplots(2, len(models), figsize=(style.COLUMN_WIDTH_IN * 2, 3.6),
                             layout="constrained", squeeze=False)
    batch = int(args.batch)
    leakage = float(args.leakage) if args.leakage else max(k[4] for k in table)
    for col, model in enumerate(models):
        sources = sorted(k[3] for k in table if k[:3] == (model, args.phase, batch) and k[4] == leakage)
        if not sources:
            raise style.FigureError(f"no points for {model} {args.phase} batch {batch}")
        for row, (metric, name, unit) in enumerate(((0, "Energy", "µJ/token"), (1, "Latency", "µs/token"))):
            ax = axes[row][col]
            for i, source in enumerate(sources):
                e = table[(model, args.phase, batch, source, leakage)]
                ts = sorted(e["timeout"])
                ax.plot(ts, [e["timeout"][t][metric] for t in ts], marker=style.marker(i),
                        color=style.color(i), label=f"timeout, {source}")
                for j, (policy, ls) in enumerate((("never", ":"), ("immediate", "--"), ("oracle", "-."))):
                    ax.axhline(e[policy][metric], color=style.color(i), linestyle=ls, linewidth=0.8,
                               label=f"{policy}, {source}")
            ax.set_xscale("log", base=2)
            if row == 0:
                ax.set_title(f"{model} {args.phase}, batch {batch}, leakage x{leakage:g}", fontsize="small")
            if row == 1:
                ax.set_xlabel("Idle timeout (cycles)")
            if col == 0:
                ax.set_ylabel(style.label(name, unit))
    axes[0][0].legend(fontsize="xx-small", ncol=2)
    return fig


def batch_panel(table):
    """Saving of the best realisable policy over never gating vs batch, one panel per leakage."""
    plt = style.pyplot()
    leakages = sorted({k[4] for k in table})
    fig, axes = plt.subplots(1, len(leakages), figsize=(style.COLUMN_WIDTH_IN * len(leakages), 2.6),
                             layout="constrained", squeeze=False, sharey=True)
    for ax, leakage in zip(axes[0], leakages):
        series = sorted({(k[0], k[1], k[3]) for k in table if k[4] == leakage})
        for i, (model, phase, source) in enumerate(series):
            batches = sorted(k[2] for k in table if (k[0], k[1], k[3], k[4]) == (model, phase, source, leakage))
            savings = []
            for b in batches:
                e = table[(model, phase, b, source, leakage)]
                savings.append(100 * (1 - best(e)[1] / e["never"][0]))
            ax.plot(batches, savings, marker=style.marker(i // 2), color=style.color(i // 2),
                    linestyle="-" if source == "uniform" else "--", label=f"{model} {phase}, {source}")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("Batch size")
        ax.set_title(f"leakage x{leakage:g}", fontsize="small")
        ax.axhline(0, color="black", linewidth=0.5)
    axes[0][0].set_ylabel("Best policy saving vs never (%)")
    axes[0][-1].legend(fontsize="xx-small", ncol=1)
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
