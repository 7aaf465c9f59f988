"""Reading data files (YAML and text) with file and line in every message.

One reader for every data file of the toolkit (preprocessing vocabularies,
stopwords, lemmas, codebooks, gazetteers, topic labels, corpus manifests):
bytes that are not UTF-8 are reported with their line, a leading byte-order
mark is dropped, and YAML is parsed with the safe loader only, so a file that
tries to construct Python objects is refused, never executed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when PyYAML has it (~10x faster)


class _DataLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader without implicit timestamps: dates stay text, checked by whoever reads them
    (an impossible date such as 2025-02-30 is then one problem in a list, not a crash)."""


_DataLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
}

__all__ = ["load_yaml", "YamlProblem", "read_text", "read_yaml", "item_lines", "sha256_text"]


class YamlProblem(Exception):
    """A YAML text could not be read; ``line`` is 1-based or None."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document safely; return the data and its node tree.

    The node tree carries ``start_mark`` positions so callers can name the line
    of an offending entry.

    Raises
    ------
    YamlProblem
        With the first line of the problem, when the text is not valid YAML or
        asks for a Python object.
    """
    loader = _DataLoader(text)
    try:
        _refuse_aliases(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or str(exc)
        if "could not determine a constructor" in str(exc):
            what = f"refused to construct a Python object ({what}); only plain YAML data is read"
        raise YamlProblem(what, line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc), None) from None
    except RecursionError:
        raise YamlProblem("nested too deeply to be data", None) from None
    finally:
        loader.dispose()
    return data, node


def _refuse_aliases(text: str) -> None:
    """Refuse YAML aliases (``*name``): a data file needs none, and nested aliases
    can expand to billions of items (a "billion laughs" bomb) once read."""
    if "*" not in text:
        return
    for event in yaml.parse(text, Loader=_BASE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(f"an alias (*{event.anchor}) repeats an anchored value; aliases are not allowed "
                              "in these files, write the value out", event.start_mark.line + 1)


def item_lines(node: yaml.Node | None, key: str) -> list[int]:
    """1-based line numbers of the items of the sequence under ``key``."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def sha256_text(text: str) -> str:
    """sha256 of a text's UTF-8 bytes (how data files are fingerprinted)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text(path: str | Path, *, error: type[Exception], label: str | None = None,
              missing: str | None = None) -> str:
    """A file's text as UTF-8, or ``error`` naming the file (and line) of the problem.

    Parameters
    ----------
    path : str or Path
    error : exception class
        Raised with one message; the toolkit passes its own error types.
    label : str or None
        How the file is named in messages (default: the path).
    missing : str or None
        The message for a file that does not exist (None: the system's).
    """
    p = Path(path)
    label = str(p) if label is None else label
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise error(f"{label}: {missing}" if missing else f"{label}: cannot be read ({exc.strerror or exc})") from None
    except OSError as exc:
        raise error(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error(f"{label}: is UTF-16 text; save it as UTF-8 (for example: iconv -f UTF-16 -t UTF-8 in > out)")
    if b"\x00" in data[:8192]:
        raise error(f"{label}: looks like a binary file (it holds NUL bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{label}:{line}: bytes are not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); "
                    "save the file as UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text


def read_yaml(text: str, *, error: type[Exception], label: str, what: str = "not valid YAML") -> tuple[Any, yaml.Node | None]:
    """Parse YAML text, or ``error(f"{label}:{line}: {what}: {problem}")``."""
    try:
        return load_yaml(text)
    except YamlProblem as exc:
        raise error(f"{label}:{exc.line or 1}: {what}: {exc.message}") from None
