"""Grouping rows by metadata columns, written once.

Every measure that compares groups (keyness, salience, topic prevalence,
places) asks for the same thing: a group number for every row, in order of
first appearance, and the group labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing.base.errors import ArgumentError

__all__ = ["group_columns", "group_index", "group_labels", "group_label", "resolve_by", "MISSING"]

#: The label of units whose grouping value is missing (never the text "nan").
MISSING = "(missing)"


def resolve_by(by: str | Sequence[str] | None, default: str | None) -> str | list[str] | None:
    """The one grouping rule: ``by=None`` is the corpus' own grouping (``default``);
    an empty sequence (``by=()``) is no grouping (one group ``'all'``), as is
    ``None`` for a corpus without a grouping column.

    >>> resolve_by(None, "source_type"), resolve_by((), "source_type"), resolve_by("year", "source_type")
    ('source_type', None, 'year')
    """
    if by is None:
        return default
    if isinstance(by, str):
        return by
    return list(by) or None


def group_columns(table: pd.DataFrame, by: str | Sequence[str], what: str = "the units' metadata") -> list[str]:
    """``by`` as a list of columns of ``table``, or an error naming the columns there are."""
    cols = [by] if isinstance(by, str) else list(by)
    missing = [c for c in cols if c not in table.columns]
    if not cols or missing:
        raise ArgumentError(
            f"by={by!r}: no column {', '.join(map(repr, missing)) or '(none given)'} in {what}; "
            f"columns are {', '.join(map(str, table.columns))}"
        )
    return cols


def group_index(table: pd.DataFrame, by: str | Sequence[str], what: str = "the units' metadata") -> tuple[np.ndarray, list[tuple[Any, ...]]]:
    """Group number of every row and the group keys, in order of first appearance.

    Keys are tuples of the column values (missing values become None), so
    groups keep their types (a year stays an integer).

    >>> codes, keys = group_index(pd.DataFrame({"g": ["b", "a", "b"]}), "g")
    >>> codes.tolist(), keys
    ([0, 1, 0], [('b',), ('a',)])
    """
    cols = group_columns(table, by, what)
    values = table[cols].astype(object).where(table[cols].notna(), None)
    order: dict[tuple[Any, ...], int] = {}
    codes = np.array([order.setdefault(k, len(order)) for k in map(tuple, values.to_numpy())], dtype=np.int64)
    return codes, list(order)


def group_labels(table: pd.DataFrame, by: str | Sequence[str] | None, what: str = "the units' metadata") -> tuple[np.ndarray, list[str]]:
    """Like :func:`group_index` with text labels (``'a | b'`` for two columns; a missing value is
    ``'(missing)'``); ``by=None``: one group ``'all'``.

    >>> group_labels(pd.DataFrame({"g": ["b", None, "b"]}), "g")[1]
    ['b', '(missing)']
    """
    if by is None:
        return np.zeros(len(table), dtype=np.int64), ["all"]
    cols = group_columns(table, by, what)
    values = table[cols].astype(object).where(table[cols].notna(), MISSING).astype(str)
    keys = values.agg(" | ".join, axis=1) if len(cols) > 1 else values[cols[0]]
    order = list(dict.fromkeys(keys))
    return keys.map({k: i for i, k in enumerate(order)}).to_numpy(dtype=np.int64), order


def group_label(value: Any, labels: Sequence[str], name: str, by: Any) -> str:
    """The label of group ``value`` among ``labels``: a year given as ``2019`` finds the group ``'2019'``.

    >>> group_label(2019, ["2018", "2019"], "target", "year")
    '2019'
    """
    if isinstance(value, str) and value in labels:
        return value
    text = MISSING if value is None else str(value)
    if not isinstance(value, (str, bool)) and text in labels:
        return text
    raise ArgumentError(f"{name}={value!r} is not a group of {by!r}; groups are {', '.join(map(str, labels))}")
