from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import framing as fr

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def corpus() -> fr.Corpus:
    return fr.load_corpus()


@pytest.fixture(scope="session")
def pre() -> fr.Preprocessor:
    return fr.Preprocessor()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus folder."""
    dest = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", dest)
    return dest


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


#: The files that take longest, longest first: started first, so that the two workers of
#: ``make test`` (pytest-xdist, one file at a time each) finish together instead of one
#: waiting while the other runs a long file it was handed last. pytest-xdist hands out files
#: in this order only with ``--no-loadscope-reorder`` (pyproject.toml): by default it reorders
#: them by their number of tests, which put the five notebooks last.
LONGEST_FIRST = ("test_notebooks.py", "test_figures.py", "test_study_settings.py", "test_cli.py",
                 "test_document_inference.py", "test_keyness.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files keep their own order


def text_past_the_edges(fig: Any) -> list[str]:
    """The texts of a figure, drawn as it is written (at ``framing.output.figures.DPI``), that run past its edges;
    tick labels of ticks outside their axis' view are not drawn and not counted."""
    from matplotlib.text import Text

    from framing.output.figures import written_resolution

    with written_resolution(fig) as renderer:
        fig.draw_without_rendering()
        box = fig.bbox
        hidden = set()  # the ticks as this draw left them
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                lo, hi = sorted(axis.get_view_interval())
                for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                    if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                        hidden |= {id(tick.label1), id(tick.label2)}
        out = []
        for t in fig.findobj(Text):
            if t.get_visible() and t.get_text().strip() and id(t) not in hidden:
                e = t.get_window_extent(renderer)
                if e.x0 < box.x0 - 0.5 or e.x1 > box.x1 + 0.5 or e.y0 < box.y0 - 0.5 or e.y1 > box.y1 + 0.5:
                    out.append(t.get_text())
        return out
