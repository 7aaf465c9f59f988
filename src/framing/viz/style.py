"""Paper style in one place: sizes, fonts, and the source-type palette.

The palette is Okabe & Ito's (2008) colour-blind-safe set. Each source type of
the bundled corpus has one colour in every figure; other groups get the
remaining colours in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["SOURCE_COLORS", "OKABE_ITO", "group_colors", "paper_style", "SINGLE_COLUMN", "DOUBLE_COLUMN"]

#: Okabe & Ito (2008), without black.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)

#: Fixed colours of the four source types, used by every figure.
SOURCE_COLORS = {
    "official": "#0072B2",
    "academic": "#009E73",
    "press": "#E69F00",
    "commentary": "#CC79A7",
}

#: Fixed colours of the stances of frame hits: affirmed dark, the ways of not affirming lighter or warm.
STANCE_COLORS = {
    "affirmed": "#0072B2",
    "attributed": "#56B4E9",
    "hypothetical": "#F0E442",
    "past": "#E69F00",
    "negated": "#D55E00",
}

#: Figure widths in inches for a typical two-column journal page.
SINGLE_COLUMN = 3.5
DOUBLE_COLUMN = 7.2

#: The order source types are shown in.
SOURCE_ORDER = ("official", "academic", "press", "commentary")


def group_colors(groups: Iterable[Any]) -> dict[Any, str]:
    """A colour for each group: the fixed source-type colour where there is one."""
    spare = iter(c for c in OKABE_ITO if c not in SOURCE_COLORS.values())
    out: dict[Any, str] = {}
    for g in groups:
        if g in out:
            continue
        out[g] = SOURCE_COLORS.get(str(g)) or next(spare, "#777777")
    return out


def order_groups(groups: Iterable[Any]) -> list[Any]:
    """Source types in their fixed order, any other groups after them as given."""
    seen = list(dict.fromkeys(groups))
    known = [g for g in SOURCE_ORDER if g in seen]
    return known + [g for g in seen if g not in known]


_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "figure.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "savefig.dpi": 300,
    "figure.dpi": 100,
    "svg.hashsalt": "framing",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
}


@contextmanager
def paper_style() -> Iterator[None]:
    """Matplotlib settings for paper figures, inside a ``with`` block only."""
    import matplotlib as mpl

    with mpl.rc_context(_RC):
        yield
