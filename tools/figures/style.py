"""The one look of pjsim's paper figures.

Every figure script imports this module first. It loads matplotlib headless (Agg), sizes figures
for one column of a two-column paper (3.3 in wide, 8 pt text), uses the Okabe-Ito palette (safe
for the common colour-vision deficiencies, and distinct in greyscale together with the marker
set), and saves each figure as PDF (vector, for the paper) and PNG (for docs and review).
"""

import math
import os
import re
import sys

COLUMN_WIDTH_IN = 3.3
DEFAULT_HEIGHT_IN = 2.3
FONT_PT = 8
PNG_DPI = 200
# The smallest text any figure may carry (tick labels, legends): the checklist (checklist.py)
# rejects anything smaller.
MIN_FONT_PT = 6
# Fixed creation date and software fields: a figure re-made from the same store is
# byte-identical (PDF and PNG). SOURCE_DATE_EPOCH is what matplotlib reads for the PDF date.
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
PDF_METADATA = {"Creator": "pjsim tools/figures", "Producer": "pjsim tools/figures",
                "CreationDate": None, "ModDate": None}
PNG_METADATA = {"Software": "pjsim tools/figures"}

# Okabe & Ito, "Color Universal Design" (2008); black last so it is used only when needed.
OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
]
# One colour (and hatch) per energy category, the same in every figure: the ledger's first name
# component (compute.int8_mac -> compute). Area components reuse them: the PE array is the
# compute hardware, routers and links the NoC.
CATEGORY_NAMES = {"compute": "Compute", "sram": "SRAM", "dram": "DRAM", "noc": "NoC",
                  "leakage": "Leakage", "vector": "Vector units", "other": "Other"}
CATEGORY_ORDER = ["compute", "sram", "noc", "dram", "leakage", "vector", "other"]
CATEGORY_COLORS = {"compute": OKABE_ITO[0], "sram": OKABE_ITO[1], "noc": OKABE_ITO[4],
                   "dram": OKABE_ITO[2], "leakage": OKABE_ITO[5], "vector": OKABE_ITO[3],
                   "other": "#999999"}
CATEGORY_HATCHES = {"compute": "", "sram": "//", "noc": "..", "dram": "xx", "leakage": "\\\\",
                    "vector": "++", "other": ""}


def category(name):
    """The family of a ledger or area category: 'compute.int8_mac' -> 'compute',
    'pe_array.fp16_mac' -> 'compute', 'noc.routers' -> 'noc'; unknown ones are 'other'."""
    head = name.split(".")[0]
    head = {"pe_array": "compute", "vector_units": "vector"}.get(head, head)
    return head if head in CATEGORY_COLORS else "other"


def category_style(family):
    """Keyword arguments for a bar segment of an energy or area family."""
    return {"color": CATEGORY_COLORS[family], "hatch": CATEGORY_HATCHES[family],
            "label": CATEGORY_NAMES[family]}


MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]


class FigureError(Exception):
    """A problem the user must fix (bad store, bad option); printed as one line."""


def ensure_matplotlib():
    """Makes sure matplotlib can be imported, without importing it (that takes a second).

    python3 on PATH may be a separate install (pyenv, a venv) without Debian's
    python3-matplotlib; in that case re-run the script under /usr/bin/python3, which
    tools/bootstrap.sh provisions.
    """
    import importlib.util
    if importlib.util.find_spec("matplotlib") is not None:
        return
    system_python = "/usr/bin/python3"
    if (os.path.exists(system_python) and os.path.realpath(sys.executable)
            != os.path.realpath(system_python) and not os.environ.get("PJSIM_FIGURES_REEXEC")):
        os.environ["PJSIM_FIGURES_REEXEC"] = "1"
        os.execv(system_python, [system_python] + sys.argv)
    raise FigureError("matplotlib is not installed: apt-get install python3-matplotlib "
                      "(tools/bootstrap.sh does)")


def _import_pyplot():
    ensure_matplotlib()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def pyplot():
    """matplotlib.pyplot, configured with the paper style."""
    plt = _import_pyplot()
    plt.rcParams.update({
        "font.size": FONT_PT,
        "axes.titlesize": FONT_PT,
        "axes.labelsize": FONT_PT,
        "xtick.labelsize": FONT_PT - 1,
        "ytick.labelsize": FONT_PT - 1,
        "legend.fontsize": FONT_PT - 1,
        "hatch.linewidth": 0.5,
        "legend.title_fontsize": FONT_PT - 1,
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "axes.prop_cycle": plt.cycler(color=OKABE_ITO),
        "axes.linewidth": 0.6,
        "axes.grid": True,
        "grid.linewidth": 0.4,
        "grid.alpha": 0.35,
        "lines.linewidth": 1.2,
        "lines.markersize": 4,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "legend.frameon": False,
        "figure.dpi": 100,
        "savefig.dpi": PNG_DPI,
        "pdf.fonttype": 42,  # TrueType in PDFs: editable text, accepted by paper checkers
        "ps.fonttype": 42,
        "svg.hashsalt": "pjsim",
    })
    return plt


def figure(height_in=DEFAULT_HEIGHT_IN, width_in=COLUMN_WIDTH_IN):
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(width_in, height_in), layout="constrained")
    return fig, ax


def save(fig, out_dir, name):
    """Writes OUT_DIR/NAME.pdf and OUT_DIR/NAME.png; returns both paths. With
    PJSIM_FIGURES_CHECK=1 in the environment (make_all.py --check, the checklist test) the figure
    must first pass the print checklist (checklist.py), else nothing is written."""
    import checklist
    # Always checked (the check draws the figure, which settles the constrained layout, so the
    # files do not depend on whether the check is enforced); enforced with PJSIM_FIGURES_CHECK=1.
    problems = checklist.check(fig)
    if problems and os.environ.get("PJSIM_FIGURES_CHECK") == "1":
        raise FigureError(f"{name}: fails the figure checklist: " + "; ".join(problems))
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for ext, metadata in (("pdf", PDF_METADATA), ("png", PNG_METADATA)):
        path = os.path.join(out_dir, f"{name}.{ext}")
        fig.savefig(path, metadata=metadata)
        paths.append(path)
    pyplot().close(fig)
    return paths


def color(i):
    return OKABE_ITO[i % len(OKABE_ITO)]


def marker(i):
    return MARKERS[i % len(MARKERS)]


# SI prefixes for rescaling values into readable units ("pJ" -> "mJ").
_PREFIX_POWERS = [(-12, "p"), (-9, "n"), (-6, "µ"), (-3, "m"), (0, ""), (3, "k"), (6, "M"),
                  (9, "G"), (12, "T")]
_BASE_UNITS = {"pJ": ("J", -12), "J": ("J", 0), "s": ("s", 0), "B": ("B", 0), "B/s": ("B/s", 0),
               "Hz": ("Hz", 0), "MAC": ("MAC", 0), "op/s": ("op/s", 0)}


def si_scale(values, unit):
    """The factor and unit that bring `values` (in `unit`) to an SI prefix keeping the largest
    magnitude in [1, 1000): si_scale([3.2e10], "pJ") == (1e-9, "mJ"). Unknown units: (1, unit)."""
    values = [abs(v) for v in values if v == v]
    if unit not in _BASE_UNITS or not values:
        return 1.0, unit
    base, power = _BASE_UNITS[unit]
    largest = max(values) or 1.0
    exponent = power + math.floor(math.log10(largest))
    chosen = _PREFIX_POWERS[0]
    for p in _PREFIX_POWERS:
        if p[0] <= exponent:
            chosen = p
    return 10.0 ** (power - chosen[0]), chosen[1] + base


def label(quantity, unit):
    """Axis label with its unit: 'Energy (mJ)'. Config files spell micro as 'u' (ASCII); figures
    print 'µ'. Dimensionless quantities say so."""
    unit = re.sub(r"(?<![A-Za-z])u(?=[JsWm])", "µ", unit or "")
    return f"{quantity} ({unit})" if unit else f"{quantity} (dimensionless)"
