"""Document metadata: reserved names, ids, dates and their checks."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["RESERVED", "FIRST_COLUMNS", "check_meta", "with_dates", "iso_value", "date_bounds"]

#: Column names the toolkit adds to unit tables; metadata may not use them.
RESERVED = frozenset(
    {"text", "unit_id", "unit", "index", "paragraph", "sentence", "start", "end", "role", "is_heading", "cleaning"}
)
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PRECISIONS = ("day", "month", "year")
FIRST_COLUMNS = (
    "doc_id", "source_type", "outlet", "publisher", "title", "author", "date", "date_precision",
    "date_start", "date_end", "year", "url", "republished_by", "raw_file", "language",
)




# --------------------------------------------------------------------------- metadata checks


def iso_value(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return value


def date_bounds(date: str) -> tuple[str, str]:
    """First and last day covered by an ISO 8601 date, month, year or interval."""

    def first_last(part: str) -> tuple[_dt.date, _dt.date]:
        if not _DATE.match(part):
            raise ValueError(part)
        bits = [int(b) for b in part.split("-")]
        if len(bits) == 3:
            d = _dt.date(*bits)
            return d, d
        if len(bits) == 2:
            start = _dt.date(bits[0], bits[1], 1)
            nxt = _dt.date(bits[0] + (bits[1] == 12), bits[1] % 12 + 1, 1)
            return start, nxt - _dt.timedelta(days=1)
        return _dt.date(bits[0], 1, 1), _dt.date(bits[0], 12, 31)

    parts = date.split("/")
    if len(parts) > 2:
        raise ValueError(date)
    start = first_last(parts[0])[0]
    end = first_last(parts[-1])[1]
    if end < start:
        raise ValueError(date)
    return start.isoformat(), end.isoformat()


def check_meta(
    doc_id: Any,
    meta: dict[str, Any],
    where: str,
    required: Sequence[str],
    group_by: str | None,
    groups: Sequence[str] | None,
) -> list[str]:
    problems: list[str] = []
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):  # fullmatch: "a\n" is not an id
        problems.append(
            f"{where}: doc_id {doc_id!r} must be a non-empty string of letters, digits, '_', '-' or '.'"
        )
    name = f"document {doc_id!r}"
    for key in required:
        if key == "doc_id":
            continue
        if meta.get(key) in (None, ""):
            problems.append(f"{where}: {name}: missing required field {key!r}")
    bad = sorted(RESERVED & set(meta))
    if bad:
        problems.append(f"{where}: {name}: field name(s) {', '.join(bad)} are reserved by the toolkit")
    if group_by and groups is not None and meta.get(group_by) not in (None, ""):
        if meta[group_by] not in groups:
            problems.append(
                f"{where}: {name}: {group_by} {meta[group_by]!r} is not one of {', '.join(groups)}"
            )
    if meta.get("date") not in (None, ""):
        try:
            date_bounds(str(meta["date"]))
        except ValueError:
            problems.append(
                f"{where}: {name}: date {meta['date']!r} is not a valid ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or an interval A/B; the day must exist)"
            )
    if meta.get("date_precision") not in (None, "") and meta["date_precision"] not in _PRECISIONS:
        problems.append(f"{where}: {name}: date_precision {meta['date_precision']!r} is not one of {', '.join(_PRECISIONS)}")
    return problems



def with_dates(meta: dict[str, Any]) -> dict[str, Any]:
    """Add ``date_start``, ``date_end`` and ``year`` derived from ``date``."""
    meta = {k: iso_value(v) for k, v in meta.items()}
    if meta.get("date") not in (None, ""):
        meta["date"] = str(meta["date"])
        start, end = date_bounds(meta["date"])
        meta.setdefault("date_start", start)
        meta.setdefault("date_end", end)
        meta.setdefault("year", int(start[:4]) if start[:4] == end[:4] else None)
    return meta


