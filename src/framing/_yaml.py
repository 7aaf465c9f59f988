"""Safe YAML reading with line numbers for messages.

Only :class:`yaml.SafeLoader` is ever used: a file that tries to construct
Python objects is refused, never executed.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["load_yaml", "YamlProblem"]


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
    # libyaml's safe loader when PyYAML was built with it (about ten times faster)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
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
    finally:
        loader.dispose()
    return data, node


def item_lines(node: yaml.Node | None, key: str) -> list[int]:
    """1-based line numbers of the items of the sequence under ``key``."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []
