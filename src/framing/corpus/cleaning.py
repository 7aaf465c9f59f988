"""Declared cleaning rules: from a raw file's lines to a document's paragraphs.

A document's analysis text is never edited by hand. It is derived from the
lines of its raw file by rules kept as data (in a corpus manifest or in the
document's own front matter), and every line's fate is recorded in an audit
table so a reviewer can see what was cut and why.

Rules (all optional; line numbers are 1-based, as ``cat -n`` prints them):

``title``
    The line holding the title. It becomes the first paragraph, role ``title``.
``body``
    ``[first, last]``: the lines the document's text is taken from. Lines
    outside it (other than the title) are dropped.
``headings`` / ``dek``
    Lines inside the body kept as section headings or as a standfirst.
``drop``
    A list of ``{lines: [...], reason: ..., expect: ...}``. ``lines`` holds
    numbers or ranges ``"180-189"``; ``reason`` is required; ``expect`` is an
    optional regular expression that each named line must contain.
``strip_prefix``
    A literal prefix removed from the start of kept lines (a list bullet, say),
    with ``strip_prefix_reason``.
``paragraphs``
    ``"line"`` (each non-blank line is a paragraph), ``"blank_line"``
    (paragraphs are separated by blank lines, Markdown style; single line
    breaks inside a paragraph are wrapping), ``"auto"``: blank lines where
    the text has any between two lines of text, else each line; or a regular
    expression: a line in which it is found starts a paragraph, other lines
    continue the one before (a blank line also ends one), for turns that run
    over several lines (``"^(Q|A):"``, ``"^[A-Z][A-Za-z .'-]+:"``). Tables and
    scanned files default to ``"auto"``, so a text whose paragraphs are
    separated by single line breaks (a transcript, an export) is not read as
    one paragraph.
``speakers``
    Speaker turns: ``true`` for the default label pattern
    (:data:`SPEAKER_PATTERN`: ``Q:``, ``A:``, ``Mr Lee:``, ``CHAIR:``), or
    a regular expression matched at the start of a line whose first group
    (or whole match) is the label. A line with a label starts a paragraph;
    the label is recorded as the paragraph's ``speaker`` and kept out of
    the clean text, so it never becomes a token ("Q:" is no key term);
    paragraphs without a label continue the last speaker of the document.
    Off by default: a line such as "Note: ..." would otherwise read as a
    turn.
``markdown_headings``
    When true, lines starting with ``#`` are headings (the ``#`` marks are
    removed). The default for ``.md`` files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from framing.base.errors import ArgumentError
from framing.base.patterns import UserRegex

__all__ = ["split_lines", "Paragraph", "CleanResult", "apply_rules", "RULE_KEYS", "format_lines", "SPEAKER_PATTERN",
           "check_speakers"]

RULE_KEYS = frozenset(
    {
        "title",
        "body",
        "headings",
        "dek",
        "drop",
        "strip_prefix",
        "strip_prefix_reason",
        "paragraphs",
        "markdown_headings",
        "speakers",
    }
)
ROLES = ("title", "heading", "dek", "body")
_MD_HEADING = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document's clean text.

    Attributes
    ----------
    start, end : int
        Character offsets into the document's clean text.
    role : {'title', 'heading', 'dek', 'body'}
        What the paragraph is. Titles and headings are kept and marked.
    line : int
        The raw file's line the paragraph starts on (1-based).
    speaker : str or None
        The speaker of the turn, when the corpus was read with ``speakers``.
    """

    start: int
    end: int
    role: str
    line: int
    speaker: str | None = None

    @property
    def is_heading(self) -> bool:
        """True for the text's apparatus: titles, section headings and a standfirst (dek).

        They announce or repeat the body (The Diplomat's dek restates a body
        sentence), so measures that count units of running text leave them
        out by default."""
        return self.role in ("title", "heading", "dek")


@dataclass(frozen=True)
class CleanResult:
    """What :func:`apply_rules` derives from one raw text."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    audit: tuple[dict[str, Any], ...]
    problems: tuple[str, ...]


#: Speaker labels at the start of a line: "Q:", "A:", "Mr Lee:", "CHIEF EXECUTIVE:" (up to four
#: capitalised words before a colon and a space); the first group is the label.
SPEAKER_PATTERN = r"^((?:Q|A|[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})):\s+"


def check_speakers(value: object) -> str | None:
    """The speaker pattern ``value`` asks for: None (off), :data:`SPEAKER_PATTERN` for True, or a regular expression."""
    if value is None or value is False:
        return None
    if value is True:
        return SPEAKER_PATTERN
    if isinstance(value, str) and value.strip():
        try:
            re.compile(value)
            return value
        except re.error as exc:
            raise ArgumentError(f"speakers={value!r} is not a regular expression ({exc})") from None
    raise ArgumentError(f"speakers={value!r} must be True, False/None or a regular expression whose first group is the label")


#: The named ways of marking paragraphs; any other value of ``paragraphs`` is a regular expression.
PARAGRAPH_MODES = ("line", "blank_line", "auto")


def check_paragraphs(value: object) -> str:
    """``value`` if it is a way of marking paragraphs (a name of :data:`PARAGRAPH_MODES` or a regular expression)."""
    if value in PARAGRAPH_MODES:
        return str(value)
    if isinstance(value, str) and value.strip():
        try:
            re.compile(value)
            return value
        except re.error as exc:
            raise ArgumentError(f"paragraphs={value!r} is neither 'auto', 'blank_line', 'line' nor a regular "
                                f"expression ({exc})") from None
    raise ArgumentError(f"paragraphs={value!r} must be 'auto', 'blank_line', 'line' or a regular expression")


def paragraph_mode(lines: list[str]) -> str:
    """``'blank_line'`` when a blank line stands between two lines of text, else ``'line'``.

    >>> paragraph_mode(["First paragraph,", "wrapped.", "", "Second."]), paragraph_mode(["Q: one", "A: two"])
    ('blank_line', 'line')
    """
    seen_text = blank_after_text = False
    for line in lines:
        if line.strip():
            if blank_after_text:
                return "blank_line"
            seen_text = True
        elif seen_text:
            blank_after_text = True
    return "line"


def _line_numbers(value: Any, where: str, key: str, n: int, problems: list[str]) -> list[int]:
    """Parse ``[3, "180-189", ...]`` into line numbers, reporting bad entries."""
    if value is None:
        return []
    if isinstance(value, (int, str)):
        value = [value]
    if not isinstance(value, list):
        problems.append(f"{where}: cleaning.{key} must be a list of line numbers, got {value!r}")
        return []
    out: list[int] = []
    for item in value:
        if isinstance(item, bool):
            item = repr(item)
        if isinstance(item, int):
            first = last = item
        elif isinstance(item, str) and re.fullmatch(r"\s*\d+\s*-\s*\d+\s*", item):
            first, last = (int(x) for x in item.split("-"))
        elif isinstance(item, str) and item.strip().isdigit():
            first = last = int(item)
        else:
            problems.append(f"{where}: cleaning.{key}: {item!r} is not a line number or range 'A-B'")
            continue
        if first > last:
            problems.append(f"{where}: cleaning.{key}: range {item!r} runs backwards")
            continue
        if first < 1 or last > n:
            problems.append(
                f"{where}: cleaning.{key}: line {item!r} is outside the file (lines 1-{n})"
            )
            continue
        out.extend(range(first, last + 1))
    return out


def apply_rules(
    lines: list[str],
    rules: dict[str, Any] | None,
    *,
    where: str,
    first_line: int = 1,
    default_paragraphs: str = "line",
    default_markdown: bool = False,
    default_speakers: str | bool | None = None,
) -> CleanResult:
    """Derive a document's clean text, paragraphs and audit from raw lines.

    Parameters
    ----------
    lines : list of str
        The raw file split on ``"\\n"`` (``lines[0]`` is line 1).
    rules : dict or None
        The cleaning rules (see the module docstring).
    where : str
        How to name the source in messages, e.g. ``"corpus/manifest.yaml:58"``.
    first_line : int, default=1
        The first line that may hold text (after front matter).
    default_paragraphs : {'line', 'blank_line', 'auto'}, default='line'
    default_markdown : bool, default=False
    default_speakers : bool, str or None, default=None
        The ``speakers`` rule when the rules give none.

    Returns
    -------
    CleanResult
        ``problems`` lists every rule that could not be applied; when it is not
        empty the other fields are not to be trusted.
    """
    rules = dict(rules or {})
    problems: list[str] = []
    n = len(lines)
    unknown = sorted(set(rules) - RULE_KEYS)
    if unknown:
        problems.append(
            f"{where}: unknown cleaning rule(s) {', '.join(map(repr, unknown))}; "
            f"known rules are {', '.join(sorted(RULE_KEYS))}"
        )

    mode = rules.get("paragraphs", default_paragraphs)
    starts: UserRegex | None = None
    if mode not in PARAGRAPH_MODES:
        try:
            if not isinstance(mode, str) or not mode.strip():
                raise re.error("not a non-empty string")
            starts = UserRegex(mode, what="cleaning.paragraphs")
            mode = "regex"
        except re.error as exc:
            problems.append(f"{where}: cleaning.paragraphs must be 'line', 'blank_line', 'auto' or a regular expression "
                            f"that marks the line starting a paragraph; {mode!r} is not one ({exc})")
            mode = "line"
    if mode == "auto":
        mode = paragraph_mode(lines[first_line - 1:])
    markdown = bool(rules.get("markdown_headings", default_markdown))

    title_lines = _line_numbers(rules.get("title"), where, "title", n, problems)
    if len(title_lines) > 1:
        problems.append(f"{where}: cleaning.title names {len(title_lines)} lines; give one")
    title = title_lines[0] if title_lines else None

    body = rules.get("body")
    if body is None:
        first, last = first_line, n
    elif (
        isinstance(body, list)
        and len(body) == 2
        and all(isinstance(b, int) and not isinstance(b, bool) for b in body)
    ):
        first, last = body
        if not (1 <= first <= last <= n):
            problems.append(f"{where}: cleaning.body {body!r} is not a range within lines 1-{n}")
            first, last = first_line, n
        elif first < first_line:
            problems.append(f"{where}: cleaning.body starts at line {first}, inside the front matter")
    else:
        problems.append(f"{where}: cleaning.body must be [first_line, last_line], got {body!r}")
        first, last = first_line, n

    role_of: dict[int, str] = {}
    for key, role in (("headings", "heading"), ("dek", "dek")):
        for ln in _line_numbers(rules.get(key), where, key, n, problems):
            if not first <= ln <= last:
                problems.append(f"{where}: cleaning.{key}: line {ln} is outside the body {first}-{last}")
            role_of[ln] = role

    dropped: dict[int, str] = {}
    drops = rules.get("drop") or []
    if not isinstance(drops, list):
        problems.append(f"{where}: cleaning.drop must be a list of {{lines, reason}} entries")
        drops = []
    for i, entry in enumerate(drops, 1):
        if not isinstance(entry, dict) or "lines" not in entry:
            problems.append(f"{where}: cleaning.drop entry {i} must have 'lines' and 'reason'")
            continue
        extra = sorted(set(entry) - {"lines", "reason", "expect"})
        if extra:
            problems.append(f"{where}: cleaning.drop entry {i}: unknown key(s) {', '.join(extra)}")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{where}: cleaning.drop entry {i} gives no reason")
            reason = "(no reason given)"
        expect = entry.get("expect")
        pattern = None
        if expect is not None:
            try:
                pattern = UserRegex(str(expect), what=f"{where}: cleaning.drop entry {i}: expect")
            except re.error as exc:
                problems.append(f"{where}: cleaning.drop entry {i}: expect {expect!r} is not a valid regular expression ({exc})")
        for ln in _line_numbers(entry["lines"], where, f"drop[{i}].lines", n, problems):
            try:
                missing = pattern is not None and not pattern.search(lines[ln - 1].strip())  # time-limited
            except ArgumentError as exc:  # a pattern that backtracks without end: one problem, then skip it
                problems.append(str(exc))
                pattern, missing = None, False
            if missing:
                problems.append(
                    f"{where}: cleaning.drop entry {i}: line {ln} does not contain {expect!r} "
                    f"(it reads {lines[ln - 1].strip()[:60]!r})"
                )
            if ln == title or ln in role_of:
                problems.append(f"{where}: cleaning.drop entry {i}: line {ln} is also kept as a title or heading")
            dropped[ln] = reason

    speaker_rx: UserRegex | None = None
    speakers = rules.get("speakers", default_speakers)
    try:
        pattern_text = check_speakers(speakers)
        speaker_rx = None if pattern_text is None else UserRegex(pattern_text, what=f"{where}: cleaning.speakers")
    except (ArgumentError, re.error) as exc:
        problems.append(f"{where}: cleaning.speakers: {exc}")
    speaker: str | None = None

    prefix = rules.get("strip_prefix")
    if prefix is not None and (not isinstance(prefix, str) or not prefix):
        problems.append(f"{where}: cleaning.strip_prefix must be a non-empty string")
        prefix = None
    prefix_reason = rules.get("strip_prefix_reason") or "prefix declared in strip_prefix"

    # Walk the lines once, in order, deciding each line's fate.
    audit: list[dict[str, Any]] = []
    blocks: list[tuple[str, int, list[str], str | None]] = []  # (role, first line, texts, speaker)
    open_block = False

    def close() -> None:
        nonlocal open_block
        open_block = False

    for ln in range(1, n + 1):
        raw = lines[ln - 1].rstrip("\r")
        content = raw.strip()
        if ln < first_line:
            continue
        if not content:
            if mode == "blank_line":
                close()
            continue
        if ln in dropped:
            audit.append(dict(line=ln, action="dropped", reason=dropped[ln], text=content))
            close()
            continue
        if ln == title:
            role = "title"
        elif first <= ln <= last:
            role = role_of.get(ln, "body")
        else:
            audit.append(dict(line=ln, action="outside", reason=f"outside this document's lines {first}-{last}", text=content))
            close()
            continue
        note = ""
        if markdown and _MD_HEADING.match(content):
            content = _MD_HEADING.sub("", content, count=1)
            role = "heading" if role == "body" else role
            note = "Markdown heading marks removed"
        if prefix is not None and content.startswith(prefix):
            content = content[len(prefix):].strip()
            note = f"kept; {prefix_reason} removed"
        if not content:
            audit.append(dict(line=ln, action="dropped", reason="empty after the declared prefix was removed", text=raw.strip()))
            continue
        turn = speaker_rx.match(content) if speaker_rx is not None and role == "body" else None
        if turn is not None:
            label = (turn.group(1) if turn.re.groups else turn.group(0)).strip().rstrip(":").strip()
            speaker = label or speaker
            content = content[turn.end():].strip()
            note = f"speaker {label!r} recorded as metadata, its label kept out of the text"
            if not content:  # a label on a line of its own: the turn's text follows
                audit.append(dict(line=ln, action="dropped", reason=note, text=raw.strip()))
                close()
                continue
        audit.append(dict(line=ln, action=role, reason=note or "kept", text=content))
        single = mode == "line" or role != "body"
        starts_paragraph = turn is not None or (starts is not None and starts.search(content))
        if open_block and not single and not starts_paragraph and blocks[-1][0] == "body":
            blocks[-1][2].append(content)
        else:
            blocks.append((role, ln, [content], speaker if role == "body" else None))
        open_block = not single

    paragraphs: list[Paragraph] = []
    pieces: list[str] = []
    pos = 0
    for role, ln, texts, who in blocks:
        para = "\n".join(texts)
        if pieces:
            pos += 2  # the "\n\n" between paragraphs
        paragraphs.append(Paragraph(pos, pos + len(para), role, ln, who))
        pieces.append(para)
        pos += len(para)
    if title is not None and not any(p.role == "title" for p in paragraphs):
        problems.append(f"{where}: cleaning.title: line {title} is empty")
    return CleanResult("\n\n".join(pieces), tuple(paragraphs), tuple(audit), tuple(problems))


def format_lines(lines: list[int]) -> str:
    """Compact line list: ``[20, 58, 180, 181, 182]`` -> ``"L20, L58, L180-L182"``."""
    runs: list[list[int]] = []
    for ln in sorted(set(lines)):
        if runs and ln == runs[-1][1] + 1:
            runs[-1][1] = ln
        else:
            runs.append([ln, ln])
    return ", ".join(f"L{a}" if a == b else f"L{a}-L{b}" for a, b in runs)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split on Unix, Windows and old Mac line ends (``\\n``, ``\\r\\n``, a lone ``\\r``).

    Other Unicode line separators are left in the text, so for files with
    Unix or Windows line ends the numbers agree with ``cat -n``.

    >>> split_lines("a\\r\\nb\\rc\\nd")
    ['a', 'b', 'c', 'd']
    """
    return _LINE_BREAK.split(text)
