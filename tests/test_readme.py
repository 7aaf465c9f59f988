"""The README's example runs as written."""

from __future__ import annotations

import re

from conftest import ROOT


def test_readme_first_look_example_runs():
    text = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no python example"
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)  # noqa: S102
    assert namespace["m"].shape[0] == len(namespace["paragraphs"])


def test_readme_shows_the_two_commands_at_the_top():
    head = (ROOT / "README.md").read_text("utf-8")[:600]
    assert "make figures" in head and "make test" in head
