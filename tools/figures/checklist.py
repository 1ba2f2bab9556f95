"""The print checklist every paper figure must pass (tests/figures/checklist_test.py runs it on
every figure script, make_all.py --check on the real stores):

  - no raw config key or column name in any text (axis labels, tick labels, titles, legends,
    annotations): nothing like 'arch.tile.rows', 'total.energy_pj' or a snake_case word;
  - every text at least style.MIN_FONT_PT (6 pt);
  - every legend outside every axes' data area (their boxes do not overlap);
  - every x and y axis labelled (on the axes itself, on another axes of the same column or row,
    or by the figure's supxlabel/supylabel).

check(fig) returns the list of problems (empty: the figure passes).
"""

import re

import style

# 'arch.', 'workload.', ... at a word start, a dotted lower-case path, or a snake_case word.
RAW_KEY = re.compile(r"(?<![\w.])(arch|workload|tech|total|energy_by_category|carbon|area|"
                     r"run|simulation)\.[a-z]|\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
# One pixel of slack: a legend anchored at the axes' edge touches it.
SLACK_PX = 1.0


def _texts(fig):
    """(where, Text) for every visible text artist of the figure."""
    from matplotlib.text import Text
    for artist in fig.findobj(Text):
        if not artist.get_visible() or not artist.get_text().strip():
            continue
        yield artist


def _describe(artist):
    return repr(artist.get_text()[:60])


def _overlap(a, b):
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > SLACK_PX
            and min(a.y1, b.y1) - max(a.y0, b.y0) > SLACK_PX)


def _data_axes(fig):
    """Axes that draw data (not the empty panels some figures use to hold a legend)."""
    return [ax for ax in fig.axes if ax.axison and ax.get_visible()]


def check(fig):
    fig.canvas.draw()  # layout (constrained) runs at draw time; extents are final after it
    renderer = fig.canvas.get_renderer()
    problems = []
    for t in _texts(fig):
        text = t.get_text()
        if RAW_KEY.search(text):
            problems.append(f"raw key in text {_describe(t)}")
        if t.get_fontsize() < style.MIN_FONT_PT - 1e-9:
            problems.append(f"text {_describe(t)} is {t.get_fontsize():.1f} pt "
                            f"(< {style.MIN_FONT_PT} pt)")
    axes = _data_axes(fig)
    boxes = [(ax, ax.get_window_extent(renderer)) for ax in axes]
    legends = [lg for ax in fig.axes for lg in ax.findobj(
        lambda a: a.__class__.__name__ == "Legend")] + list(fig.legends)
    for lg in {id(l): l for l in legends}.values():
        if not lg.get_visible():
            continue
        box = lg.get_window_extent(renderer)
        for ax, ax_box in boxes:
            if _overlap(box, ax_box):
                title = lg.get_title().get_text() or (lg.get_texts()[0].get_text()
                                                      if lg.get_texts() else "")
                problems.append(f"legend {title[:40]!r} overlaps the data area of axes "
                                f"{ax.get_title()[:40]!r}")
    sup_x = getattr(fig, "_supxlabel", None)
    sup_y = getattr(fig, "_supylabel", None)
    for ax, ax_box in boxes:
        column = [o for o, b in boxes if min(b.x1, ax_box.x1) - max(b.x0, ax_box.x0) > SLACK_PX]
        row = [o for o, b in boxes if min(b.y1, ax_box.y1) - max(b.y0, ax_box.y0) > SLACK_PX]
        if not (any(o.get_xlabel().strip() for o in column) or (sup_x and sup_x.get_text())):
            problems.append(f"axes {ax.get_title()[:40]!r} has no x label")
        if not (any(o.get_ylabel().strip() for o in row) or (sup_y and sup_y.get_text())):
            problems.append(f"axes {ax.get_title()[:40]!r} has no y label")
    return problems
