"""Plots: each takes a tidy table, draws on ``ax`` and returns it.

No function here calls ``plt.show()``, saves a file or sets global style; the
figure code (:mod:`framing.figures`) does that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import ArgumentError
from .style import group_colors, order_groups

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["plot_corpus_overview"]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def plot_corpus_overview(
    summary: pd.DataFrame,
    *,
    by: str = "source_type",
    measure: str = "tokens",
    label: str = "doc_id",
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of one size measure per document, coloured by group.

    Parameters
    ----------
    summary : pandas.DataFrame
        :meth:`Corpus.summary` with one row per document.
    by : str, default='source_type'
        The column that sets each bar's colour; documents are ordered by it.
    measure : str, default='tokens'
        The column to plot (``tokens``, ``types``, ``paragraphs``, ``sentences``).
    label : str, default='doc_id'
        The column naming each bar.
    legend : bool, default=True
        Draw a legend of the groups' colours.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    for col in (by, measure, label):
        if col not in summary.columns:
            raise ArgumentError(f"plot_corpus_overview: column {col!r} not in the table ({', '.join(summary.columns)})")
    ax = _axes(ax)
    groups = order_groups(summary[by])
    colors = group_colors(groups)
    rank = {g: i for i, g in enumerate(groups)}
    table = summary.assign(_r=summary[by].map(rank)).sort_values(["_r", measure], ascending=[True, False], kind="stable")
    y = np.arange(len(table))[::-1]
    ax.barh(y, table[measure], color=[colors[g] for g in table[by]], height=0.7)
    ax.set_yticks(y, table[label])
    vmax = float(table[measure].max()) if len(table) else 1.0
    for yi, v in zip(y, table[measure]):
        ax.text(v + vmax * 0.01, yi, f"{int(v):,}", va="center", fontsize=6.5)
    ax.set_xlim(0, vmax * 1.15)
    ax.set_xlabel(measure)
    if not legend:
        return ax
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=colors[g], label=str(g)) for g in groups], title=by, loc="lower right", frameon=False)
    return ax
