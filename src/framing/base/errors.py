"""The exceptions raised by :mod:`framing`.

Every error the toolkit raises on purpose is a subclass of :class:`FramingError`,
so research code can catch all of them with one ``except`` clause. Messages name
the file (and line, where there is one), the value involved and what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "FramingError",
    "ProblemsError",
    "CorpusError",
    "CodedDataError",
    "PreprocessorError",
    "CodebookError",
    "check_option",
    "ArgumentError",
]


class FramingError(Exception):
    """Base class of every error raised by :mod:`framing`."""


class ProblemsError(FramingError, ValueError):
    """An error that lists every problem found, one message each.

    Parameters
    ----------
    problems : str or iterable of str
        One message per problem found. All problems of one load are reported
        together, so a researcher can fix a whole file in one pass.
    """

    def __init__(self, problems: str | Iterable[str]) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems: list[str] = list(problems)
        if len(self.problems) == 1:
            message = self.problems[0]
        else:
            message = f"{len(self.problems)} problems:\n" + "\n".join(
                f"  - {p}" for p in self.problems
            )
        super().__init__(message)


class CorpusError(ProblemsError):
    """A corpus, a document, its metadata or its cleaning rules are invalid."""


class CodebookError(ProblemsError):
    """A codebook that cannot be read or fails its checks; lists every problem."""


class CodedDataError(ProblemsError):
    """A coded table (human or model codes of units) that cannot be used; names the column and rows."""


class PreprocessorError(FramingError, ValueError):
    """A preprocessing setting or one of its data files is invalid."""


class ArgumentError(FramingError, ValueError):
    """A function received an argument value it cannot use."""


def check_option(name: str, value: object, allowed: Iterable[object]) -> None:
    """Raise :class:`ArgumentError` unless ``value`` is one of ``allowed``.

    The message names the argument, the value received and the valid options.
    """
    allowed = tuple(allowed)
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ArgumentError(f"{name}={value!r} is not valid; choose one of {options}")
