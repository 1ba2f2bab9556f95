#!/usr/bin/env python3
"""The SNN-versus-quantized-ANN study: break-even firing rates from two sweeps.

  python3 tools/snn_vs_qann.py [--build DIR] [-j N] [--memory simple|jedec-packet] [--snn SPEC]
                               [--qann SPEC] [--out DIR] [--pjsim PATH] [--figures DIR]
                               [--breakdown-rate R] [--no-figures] [--plot-only]

Options in any order, as every study script takes them (tools/study_options.sh): --build DIR
holds pjsim (default $PJSIM_BUILD_DIR, else the repository's build/; --pjsim PATH or $PJSIM name
the executable itself); an unknown argument is an error.

Runs (or completes, with --resume) the two sweeps of the study, the spiking side (a spiking block
at timesteps T x input firing rate r, on the spiking_lif accelerator) and the quantized-ANN side
(the same block with b-bit activations on the int8 MAC accelerator of the same platform), into
DIR/snn and DIR/qann (default DIR: out/studies/snn_vs_qann). The two sides are matched by workload
name (one name per model shape). For every model, T and QANN width b it reports the break-even
firing rate r* where the SNN's energy per token equals the QANN's, under three metrics:

  full      the whole ledger (compute, SRAM, DRAM, NoC, leakage) per token
  compute   only the ledger's compute.* categories (arithmetic at the tech table's prices)
  ops_only  the literature's convention (report.json ops_only_estimate: MACs x 4.6 pJ for the
            QANN, MACs x rate x T x 0.9 pJ for the SNN; 45 nm fp32)

b is the bit-budget pairing ceil(log2(T+1)) and every other width the QANN sweep has. Where the
sweeps vary them, the SNN's weight-row reuse B (`arch.tile.spike_batch`, with the trains' lag-1
correlation `workload.spiking.correlation`) and the QANN's zero
skipping gamma (`arch.tile.zero_gating` with `workload.activation_sparsity`) make further curves
and QANN baselines: the main table is at the first B and gamma (1 and 0), a second table gives
the paired break-even for every (T, gamma, B). r* is found
on the piecewise-linear SNN curve; outside the swept rates the nearest segment is extended (the
result is marked extrapolated), and a metric under which the SNN never becomes cheaper (or never
dearer, below r = 1) says so. Writes DIR/breakeven.csv, DIR/energy.csv, DIR/summary.md and, unless
--no-figures, FIGURES/snn_vs_qann.{png,pdf} (energy vs rate) and snn_vs_qann_breakdown.{png,pdf}
(default FIGURES: docs/figures). `--memory jedec-packet` runs the same points on the `jedec` DRAM
and `packet` NoC models (the specs' *_jedec_packet.yaml twins; default DIR
out/studies/snn_vs_qann_jedec_packet, FIGURES DIR/figures; docs/STUDIES_MEMORY.md). Needs only Debian's python3 (and python3-matplotlib for the
figures). Errors are one line on stderr and exit status 2.
"""

import argparse
import csv
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.realpath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "figures"))

import style  # noqa: E402  (tools/figures: the figure look and FigureError)

PUBLISHED = {"timesteps": 5, "rate": 0.057,
             "source": "Yan et al., arXiv 2409.08290 (docs/SOURCES.md#yan2024)"}
METRICS = ("full", "compute", "ops_only")
GROUPS = ("compute", "sram", "dram", "noc", "leakage")


class StudyError(Exception):
    """A problem the user must fix; printed as one line."""


def find_pjsim(explicit, build):
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise StudyError(f"--pjsim {explicit}: not an executable")
        return explicit
    if not build and os.environ.get("PJSIM"):
        return os.environ["PJSIM"]
    build = build or os.environ.get("PJSIM_BUILD_DIR") or os.path.join(REPO, "build")
    pjsim = os.path.join(build, "pjsim")
    if not os.access(pjsim, os.X_OK):
        raise StudyError(f"no pjsim executable in {build}: build it or pass --build DIR")
    return pjsim


class OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line and exit status 2, as every study script's."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def positive_int(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"needs a positive integer, got '{text}'")
    return int(text)


def run_sweep(pjsim, spec, store, jobs):
    if not os.path.isfile(spec):
        raise StudyError(f"{spec}: no such sweep spec")
    command = [pjsim, "sweep", spec, "--out", store, "-j", str(jobs)]
    if os.path.isdir(os.path.join(store, "points")):
        command.append("--resume")
    print("running: " + " ".join(command), file=sys.stderr, flush=True)
    result = subprocess.run(command, stdout=sys.stderr, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        lines = [l for l in result.stderr.splitlines() if l.strip()]
        raise StudyError(f"pjsim sweep {os.path.basename(spec)} exited with status "
                         f"{result.returncode}" + (f": {lines[-1]}" if lines else ""))


def load_points(store):
    """One dict per ok point: model name, spiking T and rate or activation bits, metrics."""
    path = os.path.join(store, "results.jsonl")
    if not os.path.isfile(path):
        raise StudyError(f"{store}: not a results store (no results.jsonl)")
    points = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise StudyError(f"{path}:{number}: malformed JSON ({e.msg})") from None
            if record.get("status") != "ok":
                raise StudyError(f"{path}:{number}: point {record.get('point')} is "
                                 f"{record.get('status')}: {record.get('error', '')}")
            try:
                points.append(point_metrics(record))
            except (KeyError, TypeError, ZeroDivisionError) as e:
                raise StudyError(f"{path}:{number}: point record lacks {e}") from None
    if not points:
        raise StudyError(f"{store}: no points")
    return points


def point_metrics(record):
    report, config = record["report"], record["config"]
    tokens = report["run"]["tokens"]
    gemm = [l for l in report["layers"] if "spiking" in l or l["macs"] > 0]
    spiking = [l["spiking"] for l in gemm if "spiking" in l]
    by_category = report["energy_by_category"]
    groups = {g: 0.0 for g in GROUPS}
    for category, pj in by_category.items():
        head = category.split(".")[0]
        groups[head if head in groups else "compute"] += pj / tokens
    point = {
        "model": config["workload"]["name"],
        "full": report["total"]["energy_pj"] / tokens,
        "compute": sum(pj for c, pj in by_category.items() if c.startswith("compute.")) / tokens,
        "ops_only": report["ops_only_estimate"]["total_pj"] / tokens,
        "groups": groups,
        "point": record["point"],
    }
    if spiking:
        point["timesteps"] = int(spiking[0]["timesteps"])
        # Weight-row reuse: the tile's spike batch B and the trains' lag-1 correlation rho.
        spiking_config = config["workload"].get("spiking") or {}
        point["reuse"] = (int(config["arch"]["tile"].get("spike_batch", 1)),
                          float(spiking_config.get("correlation", 0)))
        point["rate"] = float(record["axes"].get("workload.spiking.input_rate", spiking[0]["input_rate"]))
    else:
        bits = {int(l.get("activation_bits", 8)) for l in gemm}
        if len(bits) != 1:
            raise StudyError(f"point {record['point']}: GEMM layers have different activation widths {sorted(bits)}")
        point["bits"] = bits.pop()
        # Zero skipping: the fraction of zero activations whose products a gating array skips.
        tile, workload = config["arch"]["tile"], config["workload"]
        gating = tile.get("zero_gating") in (True, "true")
        point["gamma"] = float(workload.get("activation_sparsity", 0)) if gating else 0.0
    return point


def crossing(rates, energies, target):
    """(r*, note) where the piecewise-linear curve through (rates, energies) reaches `target`,
    rising. note: '' (inside the swept rates), 'extrapolated', 'never' (the SNN is dearer at every
    rate >= 0 on the extended curve: r* = 0) or 'always' (cheaper up to r = 1: r* = inf)."""
    if len(rates) < 2:
        raise StudyError("a break-even rate needs at least two firing rates per T")
    for i in range(len(rates) - 1):
        e0, e1 = energies[i], energies[i + 1]
        if e0 <= target <= e1 and e1 > e0:
            r = rates[i] + (target - e0) * (rates[i + 1] - rates[i]) / (e1 - e0)
            return r, ""
    if energies[0] > target:
        slope = (energies[1] - energies[0]) / (rates[1] - rates[0])
        r = rates[0] - (energies[0] - target) / slope if slope > 0 else -1
        return (r, "extrapolated") if r > 0 else (0.0, "never")
    slope = (energies[-1] - energies[-2]) / (rates[-1] - rates[-2])
    r = rates[-1] + (target - energies[-1]) / slope if slope > 0 else math.inf
    return (r, "extrapolated") if r <= 1 else (math.inf, "always")


def pairing(timesteps):
    return max(1, math.ceil(math.log2(timesteps + 1)))


def analyse(snn, qann):
    qann_by = {(p["model"], p["bits"], p["gamma"]): p for p in qann}
    curves = {}
    for p in snn:
        curves.setdefault((p["model"], p["timesteps"], p["reuse"]), []).append(p)
    rows = []
    for (model, t, reuse), pts in sorted(curves.items()):
        pts.sort(key=lambda p: p["rate"])
        sides = sorted({(b, g) for (m, b, g) in qann_by if m == model})
        if not sides:
            raise StudyError(f"no QANN points for model '{model}' (workload names must match)")
        for b, gamma in sides:
            q = qann_by[(model, b, gamma)]
            row = {"model": model, "timesteps": t, "reuse": reuse, "bits": b, "gamma": gamma,
                   "paired": b == pairing(t)}
            for metric in METRICS:
                r, note = crossing([p["rate"] for p in pts], [p[metric] for p in pts], q[metric])
                row[f"breakeven_{metric}"] = r
                row[f"note_{metric}"] = note
                row[f"qann_{metric}_pj"] = q[metric]
            rows.append(row)
    return curves, qann_by, rows


def reuse_label(reuse):
    """'B = 16' or 'B = 16, rho = 0.8' for a (spike batch, correlation) pair."""
    batch, rho = reuse
    return f"B = {batch}" + (f", rho = {rho:g}" if rho else "")


def fmt_rate(r, note):
    if note == "never":
        return "never (SNN dearer)"
    if note == "always":
        return "> 100% (SNN cheaper)"
    return f"{100 * r:.2f}%" + ("*" if note == "extrapolated" else "")


def published_check(rows):
    """Our break-even at T = 5 (measured if swept, else interpolated in log T between the
    neighbours) against the published 5.7%, per model, under the full model, paired b."""
    lines = []
    t5 = PUBLISHED["timesteps"]
    for model in sorted({r["model"] for r in rows}):
        paired = {r["timesteps"]: r for r in rows
                  if r["model"] == model and r["paired"] and r["reuse"] == (1, 0.0) and r["gamma"] == 0}
        if not paired:
            continue
        if t5 in paired:
            r = paired[t5]
            value, how = r["breakeven_full"], f"measured at T = 5 (b = {r['bits']})"
        else:
            lower = max((t for t in paired if t < t5), default=None)
            upper = min((t for t in paired if t > t5), default=None)
            if lower is None or upper is None:
                continue
            a, b = paired[lower]["breakeven_full"], paired[upper]["breakeven_full"]
            if not (0 < a < math.inf and 0 < b < math.inf):
                continue
            w = (math.log(t5) - math.log(lower)) / (math.log(upper) - math.log(lower))
            value = math.exp((1 - w) * math.log(a) + w * math.log(b))
            how = f"interpolated in log T between T = {lower} and {upper}"
        lines.append((model, value, how))
    return lines


def write_outputs(out, curves, qann_by, rows):
    with open(os.path.join(out, "breakeven.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        header = ["model", "timesteps", "spike_batch", "correlation", "bits", "gamma", "paired"]
        for m in METRICS:
            header += [f"breakeven_{m}", f"note_{m}", f"qann_pj_per_token_{m}"]
        writer.writerow(header)
        for r in rows:
            cells = [r["model"], r["timesteps"], *r["reuse"], r["bits"], r["gamma"], int(r["paired"])]
            for m in METRICS:
                cells += [repr(r[f"breakeven_{m}"]), r[f"note_{m}"], repr(r[f"qann_{m}_pj"])]
            writer.writerow(cells)
    with open(os.path.join(out, "energy.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["model", "side", "timesteps", "spike_batch", "correlation", "rate", "bits", "gamma"]
                        + [f"{m}_pj_per_token" for m in METRICS] + [f"{g}_pj_per_token" for g in GROUPS])
        for (model, t, reuse), pts in sorted(curves.items()):
            for p in pts:
                writer.writerow([model, "snn", t, *reuse, p["rate"], "", ""] + [repr(p[m]) for m in METRICS]
                                + [repr(p["groups"][g]) for g in GROUPS])
        for (model, b, gamma), p in sorted(qann_by.items()):
            writer.writerow([model, "qann", "", "", "", "", b, gamma] + [repr(p[m]) for m in METRICS]
                            + [repr(p["groups"][g]) for g in GROUPS])
    lines = ["| model | T | QANN b | break-even, full model | compute only | ops-only (fp32 convention) |",
             "|---|---|---|---|---|---|"]
    # The main table: the sweeps' first reuse and gamma (1 and 0 in the shipped specs).
    reuse0, gamma0 = min(r["reuse"] for r in rows), min(r["gamma"] for r in rows)
    for r in (r for r in rows if r["reuse"] == reuse0 and r["gamma"] == gamma0):
        lines.append(f"| {r['model']} | {r['timesteps']} | {r['bits']}{' (paired)' if r['paired'] else ''} | "
                     + " | ".join(fmt_rate(r[f"breakeven_{m}"], r[f"note_{m}"]) for m in METRICS) + " |")
    reuses = sorted({r["reuse"] for r in rows})
    gammas = sorted({r["gamma"] for r in rows})
    if reuses != [(1, 0.0)] or gammas != [0]:
        lines.append("")
        lines.append("Symmetric comparison, full model, paired QANN b: the spiking tile buffers B "
                     "(token, timestep) slots and reads each active input's weight row once per "
                     "batch (`tile.spike_batch`); the QANN's MAC array gates the products of a "
                     "fraction gamma of zero activations (`tile.zero_gating`, "
                     "`activation_sparsity`).")
        lines.append("")
        lines.append("| model | T | QANN b | QANN gamma | " + " | ".join(f"r*, {reuse_label(b)}" for b in reuses)
                     + " |")
        lines.append("|---|---|---|---|" + "---|" * len(reuses))
        by = {(r["model"], r["timesteps"], r["gamma"], r["reuse"]): r for r in rows if r["paired"]}
        for model, t, gamma in sorted({(m, t, g) for (m, t, g, _) in by}):
            cells = []
            for b in reuses:
                r = by.get((model, t, gamma, b))
                cells.append(fmt_rate(r["breakeven_full"], r["note_full"]) if r else "")
            lines.append(f"| {model} | {t} | {pairing(t)} | {gamma:g} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("\\* outside the swept rates: the nearest segment of the SNN curve extended.")
    lines.append("")
    for model, value, how in published_check(rows):
        lines.append(f"- {model}: full-model break-even at T = 5 is {100 * value:.2f}% ({how}); "
                     f"published {100 * PUBLISHED['rate']:.1f}% ({PUBLISHED['source']}).")
    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "summary.md"), "w", encoding="utf-8") as f:
        f.write(text)
    return text


# QANN baselines: black, one dash pattern per width b (legend: b and the T it pairs with).
QANN_DASHES = [(None, None), (5, 2), (1, 1.5), (6, 2, 1, 2), (2, 3), (8, 2, 2, 2, 2, 2)]


def _legend_panel(ax, handles):
    ax.axis("off")
    ax.legend(handles=handles, loc="center left", borderaxespad=0, handlelength=2.4)


def _breakeven_marker(ax, rate, energy_uj, note, color, xmax):
    """An X on the SNN curve where it meets its QANN line (hollow when extrapolated); none when
    the curves never cross inside the plotted rates."""
    if note in ("never", "always") or not (0 < rate and 100 * rate <= xmax):
        return
    ax.scatter([100 * rate], [energy_uj], marker="X", s=42, zorder=5, linewidths=0.8,
               facecolors="white" if note == "extrapolated" else color, edgecolors="black")


def energy_figure(curves, qann_by, rows):
    """Energy per token against the input firing rate: (top) full model, SNN per T against the
    QANN per width b; (middle) the ops-only convention; (bottom) weight-row reuse B at T = 5
    against the paired QANN with zero gating gamma. Break-even rates are X marks (hollow:
    extrapolated), the published one a vertical line."""
    from matplotlib.lines import Line2D

    plt = style.pyplot()
    models = sorted({m for (m, _, _) in curves})
    reuses = sorted({b for (_, _, b) in curves})
    fig = plt.figure(figsize=(2 * style.COLUMN_WIDTH_IN + 0.4, 7.2), layout="constrained")
    grid = fig.add_gridspec(3, len(models) + 1, width_ratios=[1] * len(models) + [0.62])
    rates_all = sorted({100 * p["rate"] for pts in curves.values() for p in pts})
    xmax = rates_all[-1]
    published = 100 * PUBLISHED["rate"]
    by_row = {(r["model"], r["timesteps"], r["reuse"], r["bits"], r["gamma"]): r for r in rows}
    legends = [[], [], []]
    axes = [[fig.add_subplot(grid[i, j]) for j in range(len(models))] for i in range(3)]
    for j, model in enumerate(models):
        b0 = min(b for (m, _, b) in curves if m == model)
        ts = sorted(t for (m, t, b) in curves if m == model and b == b0)
        g0 = min(g for (m, _, g) in qann_by if m == model)
        widths = sorted(b for (m, b, g) in qann_by if m == model and g == g0)
        for row, metric in ((0, "full"), (1, "ops_only")):
            ax = axes[row][j]
            for i, t in enumerate(ts):
                pts = curves[(model, t, b0)]
                ax.plot([100 * p["rate"] for p in pts], [p[metric] * 1e-6 for p in pts],
                        color=style.color(i), marker=style.marker(i), label=f"SNN, T = {t}")
                r = by_row.get((model, t, b0, pairing(t), g0))
                if r:
                    _breakeven_marker(ax, r[f"breakeven_{metric}"], r[f"qann_{metric}_pj"] * 1e-6,
                                      r[f"note_{metric}"], style.color(i), xmax)
            if metric == "full":
                for k, b in enumerate(widths):
                    paired = [t for t in ts if pairing(t) == b]
                    ax.axhline(qann_by[(model, b, g0)]["full"] * 1e-6, color="black",
                               linewidth=0.9, dashes=QANN_DASHES[k % len(QANN_DASHES)],
                               label=f"QANN, b = {b}"
                               + (f" (pairs T = {', '.join(map(str, paired))})" if paired else ""))
            else:
                # The convention prices every QANN MAC as an fp32 MAC: one line for every b.
                ax.axhline(qann_by[(model, widths[0], g0)]["ops_only"] * 1e-6, color="black",
                           linewidth=0.9, label="QANN, any b")
            ax.axvline(published, color="0.4", linewidth=0.8, linestyle=(0, (1, 1)),
                       label=f"published r* at T = {PUBLISHED['timesteps']}: {published:.1f}%")
            ax.set_title(f"{model}: " + ("full model" if metric == "full"
                                         else "ops-only (fp32 prices)"))
        # Bottom row: reuse at T = 5 (or the T nearest it) against the paired QANN per gamma.
        t5 = min(ts, key=lambda t: abs(t - PUBLISHED["timesteps"]))
        ax = axes[2][j]
        model_reuses = [b for b in reuses if (model, t5, b) in curves]
        for i, b in enumerate(model_reuses):
            pts = curves[(model, t5, b)]
            ax.plot([100 * p["rate"] for p in pts], [p["full"] * 1e-6 for p in pts],
                    color=style.color(i), marker=style.marker(i),
                    linestyle="-" if not b[1] else "--",
                    label=f"SNN, T = {t5}, " + reuse_label(b).replace("rho", "ρ"))
            r = by_row.get((model, t5, b, pairing(t5), g0))
            if r:
                _breakeven_marker(ax, r["breakeven_full"], r["qann_full_pj"] * 1e-6, r["note_full"],
                                  style.color(i), xmax)
        gammas = sorted(g for (m, b, g) in qann_by if m == model and b == pairing(t5))
        for k, g in enumerate(gammas):
            ax.axhline(qann_by[(model, pairing(t5), g)]["full"] * 1e-6, color="black",
                       linewidth=0.9, dashes=QANN_DASHES[k % len(QANN_DASHES)],
                       label=f"QANN, b = {pairing(t5)}, γ = {g:g}")
        ax.set_title(f"{model}: weight-row reuse, full model")
        # Rows 1 and 3 on a linear energy axis up to 3x the dearest QANN, where the curves cross
        # and the QANN widths stand apart (the SNN curves leave the top at high rates; the
        # breakdown figure has their totals); the ops-only row spans decades: log.
        top = 3 * max(q["full"] for (m, _, _), q in qann_by.items() if m == model) * 1e-6
        for row in range(3):
            ax = axes[row][j]
            ax.set_xscale("log")
            if row == 1:
                ax.set_yscale("log")
            else:
                ax.set_ylim(0, top)
            ticks = [x for x in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
                     if rates_all[0] <= x <= xmax]
            ax.set_xticks(ticks, [f"{x:g}" for x in ticks])
            ax.minorticks_off()
            ax.set_xlabel("Input firing rate (%)")
            if j == 0:
                ax.set_ylabel(style.label("Energy per token", "uJ"))
            if j == 0:
                legends[row] = ax.get_legend_handles_labels()[0]
    marker_note = [Line2D([], [], linestyle="", marker="X", markerfacecolor="0.5",
                          markeredgecolor="black", label="break-even (paired b)"),
                   Line2D([], [], linestyle="", marker="X", markerfacecolor="white",
                          markeredgecolor="black", label="break-even, extrapolated")]
    for row in range(3):
        _legend_panel(fig.add_subplot(grid[row, -1]), legends[row] + marker_note)
    return fig


def breakdown_figure(curves, qann_by, breakdown_rate):
    """Energy per token by category (the colours of every pjsim figure): the SNN per T at the
    swept rate nearest `breakdown_rate`, then the QANN per width b."""
    plt = style.pyplot()
    models = sorted({m for (m, _, _) in curves})
    fig, axes = plt.subplots(1, len(models) + 1, figsize=(2 * style.COLUMN_WIDTH_IN + 0.7, 2.4),
                             layout="constrained", squeeze=False,
                             gridspec_kw={"width_ratios": [1] * len(models) + [0.25]})
    for ax, model in zip(axes[0], models):
        bars = []
        b0 = min(b for (m, _, b) in curves if m == model)
        snn_ts = sorted(t for (m, t, b) in curves if m == model and b == b0)
        for t in snn_ts:
            pts = curves[(model, t, b0)]
            p = min(pts, key=lambda p: abs(p["rate"] - breakdown_rate))
            bars.append((f"T={t}", p["groups"]))
        g0 = min(g for (m, _, g) in qann_by if m == model)
        for b in sorted(b for (m, b, g) in qann_by if m == model and g == g0):
            bars.append((f"b={b}", qann_by[(model, b, g0)]["groups"]))
        bottom = [0.0] * len(bars)
        for g in GROUPS:
            values = [groups[g] * 1e-6 for _, groups in bars]
            ax.bar(range(len(bars)), values, bottom=bottom, edgecolor="white", linewidth=0.3,
                   **style.category_style(g))
            bottom = [x + y for x, y in zip(bottom, values)]
        ax.axvline(len(snn_ts) - 0.5, color="black", linewidth=0.6)
        ax.set_xticks(range(len(bars)), [name for name, _ in bars], rotation=90)
        ax.set_xlabel("SNN timesteps T | QANN activation bits b")
        ax.set_ylabel(style.label("Energy per token", "uJ"))
        ax.set_title(f"{model}: SNN at {100 * breakdown_rate:g}% | QANN", fontsize=style.FONT_PT - 1)
    handles, labels = axes[0][0].get_legend_handles_labels()
    axes[0][-1].axis("off")
    axes[0][-1].legend(handles[::-1], labels[::-1], loc="center")
    return fig


def plot(figures, curves, qann_by, rows, breakdown_rate):
    paths = style.save(energy_figure(curves, qann_by, rows), figures, "snn_vs_qann")
    paths += style.save(breakdown_figure(curves, qann_by, breakdown_rate), figures,
                        "snn_vs_qann_breakdown")
    return paths


def main():
    parser = OneLineParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                           allow_abbrev=False)
    parser.add_argument("--build", metavar="DIR",
                        help="build directory holding pjsim (default: $PJSIM_BUILD_DIR, else build/)")
    parser.add_argument("--memory", choices=("simple", "jedec-packet"), default="simple",
                        help="the DRAM and NoC models the studies' specs select (default simple)")
    parser.add_argument("--snn", help="SNN sweep spec (default: configs/studies/snn_vs_qann_snn*.yaml)")
    parser.add_argument("--qann", help="QANN sweep spec (default: configs/studies/snn_vs_qann_qann*.yaml)")
    parser.add_argument("--out", help="output directory (default: out/studies/snn_vs_qann*)")
    parser.add_argument("--pjsim", help="pjsim executable (default: $PJSIM, or pjsim in --build)")
    parser.add_argument("-j", "--jobs", type=positive_int, default=os.cpu_count() or 1,
                        help="points at once (default: the number of cores)")
    parser.add_argument("--figures", help="figure directory (default: docs/figures; with "
                        "--memory jedec-packet, OUT/figures)")
    parser.add_argument("--breakdown-rate", type=float, default=0.05,
                        help="SNN firing rate of the stacked breakdown (nearest swept rate)")
    parser.add_argument("--no-figures", action="store_true")
    parser.add_argument("--plot-only", action="store_true",
                        help="run no sweep: read the stores in OUT as they are (make_all.py)")
    args = parser.parse_args()
    suffix = "" if args.memory == "simple" else "_jedec_packet"
    args.snn = args.snn or os.path.join(REPO, f"configs/studies/snn_vs_qann_snn{suffix}.yaml")
    args.qann = args.qann or os.path.join(REPO, f"configs/studies/snn_vs_qann_qann{suffix}.yaml")
    args.out = args.out or os.path.join(REPO, f"out/studies/snn_vs_qann{suffix}")
    if not args.figures:
        args.figures = os.path.join(REPO, "docs/figures") if not suffix else os.path.join(args.out, "figures")
    prog = os.path.basename(sys.argv[0])
    try:
        if not args.no_figures:
            style.ensure_matplotlib()
        os.makedirs(args.out, exist_ok=True)
        stores = {side: os.path.join(args.out, side) for side in ("snn", "qann")}
        if not args.plot_only:
            pjsim = find_pjsim(args.pjsim, args.build)
            run_sweep(pjsim, args.snn, stores["snn"], args.jobs)
            run_sweep(pjsim, args.qann, stores["qann"], args.jobs)
        snn, qann = load_points(stores["snn"]), load_points(stores["qann"])
        if any("timesteps" not in p for p in snn):
            raise StudyError(f"{args.snn}: has points without spiking layers")
        if any("bits" not in p for p in qann):
            raise StudyError(f"{args.qann}: has points with spiking layers")
        curves, qann_by, rows = analyse(snn, qann)
        print(write_outputs(args.out, curves, qann_by, rows), end="")
        if not args.no_figures:
            for path in plot(args.figures, curves, qann_by, rows, args.breakdown_rate):
                print(f"wrote {os.path.relpath(path)}")
    except (StudyError, style.FigureError, OSError) as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
