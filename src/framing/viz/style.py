"""Paper style in one place: sizes, fonts, and the colours of groups.

Every plot that colours by group takes its colours from one
:class:`GroupColors` mapping (:func:`group_colors`): the colours a caller
gives, and for every other group a colour of one colour-blind-safe palette,
assigned by sorted group label, so the same groups get the same colours
whatever order a table lists them in. A study makes one mapping for a run
and passes it to every plot (``colors=``), so a group keeps its colour across
figures even where a figure shows only some of the groups.

The palette (:data:`PALETTE`) is Okabe & Ito's (2008) eight colours, then
Paul Tol's (2021) muted qualitative scheme, then the colours of his light
scheme that stay apart from those before them (CIELAB ΔE ≥ 10; pale grey,
Tol's colour for missing data, is left out of both). Within each of Tol's
schemes the colours are in the order that keeps each one farthest from the
colours already used. Past its 22 colours the palette repeats, and a warning
says so: more groups than that cannot be told apart by colour alone.

References: Okabe, M. & Ito, K. (2008). *Color Universal Design (CUD): how
to make figures and presentations that are friendly to colorblind people*.
Tol, P. (2021). *Colour schemes*. SRON technical note SRON/EPS/TN/09-002,
issue 3.2.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Literal

from framing.base.deprecation import warn_once
from framing.base.errors import ArgumentError, check_option

__all__ = [
    "OKABE_ITO", "TOL_MUTED", "TOL_LIGHT", "PALETTE", "GroupColors", "group_colors", "order_groups",
    "STANCE_COLORS", "BLOC_COLORS", "paper_style", "SINGLE_COLUMN", "DOUBLE_COLUMN",
]

log = logging.getLogger(__name__)

#: Okabe & Ito (2008): eight colours told apart under the common colour-vision deficiencies
#: (the first four are the bundled study's source types; yellow, faint on white, comes last).
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
    "#F0E442",  # yellow: faint on white, so last
)

#: Tol (2021), muted qualitative scheme without its pale grey, each farthest (CIELAB) from the colours before it.
TOL_MUTED = (
    "#332288",  # indigo
    "#999933",  # olive
    "#882255",  # wine
    "#AA4499",  # purple
    "#DDCC77",  # sand
    "#117733",  # green
    "#CC6677",  # rose
    "#44AA99",  # teal
    "#88CCEE",  # cyan
)

#: Tol (2021), light qualitative scheme: the colours at least ΔE 10 from every colour above, farthest first.
TOL_LIGHT = (
    "#EE8866",  # orange
    "#FFAABB",  # pink
    "#AAAA00",  # olive
    "#BBCC33",  # pear
    "#44BB99",  # mint
)

#: The colours groups are given, in order.
PALETTE = OKABE_ITO + TOL_MUTED + TOL_LIGHT

#: Fixed colours of the stances of frame hits: affirmed dark, the ways of not affirming lighter or warm.
STANCE_COLORS = {
    "affirmed": "#0072B2",
    "attributed": "#56B4E9",
    "hypothetical": "#F0E442",
    "past": "#E69F00",
    "negated": "#D55E00",
}

#: Colours of the blocs of the places data (:func:`framing.plot_partners`): greys and two Okabe–Ito
#: colours past the first four, so a bar's colour does not read as one of a few groups.
BLOC_COLORS = {
    "mainland_china": "#D55E00", "global_south": "#56B4E9", "west": "#444444", "multilateral": "#999999", "other": "#DDDDDD",
}

#: Figure widths in inches for a typical two-column journal page.
SINGLE_COLUMN = 3.5
DOUBLE_COLUMN = 7.2

#: The order the bundled corpus' source types are shown in (any other groups follow, as given).
SOURCE_ORDER = ("official", "academic", "press", "commentary")

#: The colours the bundled corpus' source types had before colours became a setting (``study/settings.yaml``).
_OLD_SOURCE_COLORS = {"official": "#0072B2", "academic": "#009E73", "press": "#E69F00", "commentary": "#CC79A7"}


def __getattr__(name: str) -> Any:
    if name == "SOURCE_COLORS":
        warn_once("viz.style.SOURCE_COLORS", "framing.viz.style.SOURCE_COLORS is deprecated: group colours are the "
                  "caller's (group_colors(labels, mapping=...), colors= of every plot); a study keeps them in its settings")
        return dict(_OLD_SOURCE_COLORS)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _hex(group: str, value: Any) -> str:
    """``value`` as lower-case ``#rrggbb``, or an error naming the group."""
    from matplotlib.colors import is_color_like, to_hex

    if not isinstance(value, str) or not is_color_like(value):
        raise ArgumentError(f"colors: {value!r} for group {group!r} is not a colour (a name such as 'teal' or '#rrggbb')")
    return to_hex(value)


class GroupColors(Mapping[str, str]):
    """A fixed colour for each group label; build one with :func:`group_colors`.

    A read-only mapping from group label to ``#rrggbb``. Labels are text, as
    in the tables of every measure; a lookup by another value uses its text
    (``colors[2019]`` is ``colors['2019']``).

    Examples
    --------
    >>> colors = group_colors(["press", "official"], mapping={"official": "#0072B2"})
    >>> colors["official"], colors["press"]
    ('#0072b2', '#e69f00')
    """

    __slots__ = ("_colors",)

    def __init__(self, colors: Mapping[Any, str]) -> None:
        object.__setattr__(self, "_colors", {str(g): _hex(str(g), c) for g, c in colors.items()})

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"GroupColors is immutable; cannot set {name!r} (group_colors() makes a new one)")

    def __getitem__(self, label: Any) -> str:
        key = label if isinstance(label, str) else str(label)
        try:
            return self._colors[key]
        except KeyError:
            raise KeyError(f"group {key!r} has no colour; groups with colours: {', '.join(self._colors)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._colors)

    def __len__(self) -> int:
        return len(self._colors)

    def __repr__(self) -> str:
        return f"GroupColors({self._colors!r})"

    def handles(self, groups: Iterable[Any] | None = None, *, kind: Literal["patch", "line"] = "patch",
                labels: Mapping[Any, str] | None = None) -> list[Any]:
        """Legend entries for ``groups`` (None: every group, in the mapping's order).

        ``kind='patch'`` gives coloured squares (bars), ``'line'`` a line with
        a dot (trends, dots and whiskers); ``labels`` replaces a group's label
        in the legend. For ``fig.legend(handles=...)`` or ``ax.legend(handles=...)``.
        """
        check_option("kind", kind, ("patch", "line"))
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        names = list(self) if groups is None else list(dict.fromkeys(groups))
        labels = {} if labels is None else labels
        out: list[Any] = []
        for g in names:
            text = str(labels.get(g, g))
            if kind == "patch":
                out.append(Patch(color=self[g], label=text))
            else:
                out.append(Line2D([], [], color=self[g], marker="o", ms=3.5, linewidth=1.2, label=text))
        return out


def group_colors(labels: Iterable[Any], mapping: Mapping[Any, str] | None = None) -> GroupColors:
    """One colour for every group: the caller's, else by sorted label from :data:`PALETTE`.

    Parameters
    ----------
    labels : iterable
        The groups to colour (the ``group`` column of a table, or every group
        of a corpus); repeated labels are fine. Labels are compared as text.
    mapping : mapping or None
        Colours to use (label → colour name or ``#rrggbb``), such as a
        study's settings or a :class:`GroupColors` made earlier in a run;
        every entry is kept, also for groups not in ``labels``.

    Returns
    -------
    GroupColors
        The entries of ``mapping``, then each label without one, in sorted
        order, given the next colour of :data:`PALETTE` that ``mapping`` does
        not use. The same labels give the same colours whatever their order;
        a label's colour can change only when the set of uncoloured labels
        does, so pass one mapping to every plot of a run.

    Examples
    --------
    >>> a = group_colors(["press", "academic", "official"])
    >>> b = group_colors(["official", "press", "academic"])
    >>> dict(a) == dict(b), a["academic"]
    (True, '#0072b2')
    >>> len(set(group_colors(f"g{i}" for i in range(9)).values()))
    9
    """
    if isinstance(labels, (str, bytes)):
        raise ArgumentError(f"labels={labels!r}: give a list of group labels, not one string")
    given = GroupColors(mapping or {})
    used = set(given.values())
    free = [c for c in PALETTE if c.lower() not in used]
    rest = sorted({str(g) for g in labels} - set(given))
    if len(rest) > len(free):
        log.warning("%d groups without a colour and %d palette colours left: colours repeat; "
                    "pass colors= for the groups that matter", len(rest), len(free))
        free = free or list(PALETTE)
    colors = dict(given)
    for i, g in enumerate(rest):
        colors[g] = free[i % len(free)]
    return GroupColors(colors)


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
