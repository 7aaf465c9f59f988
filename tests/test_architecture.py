"""The architecture contract: layers import only downward, no cycles, no
private names across modules, and no imports inside functions except of the
optional heavy dependencies listed below (see ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "framing"

#: Bottom to top. A module may import from its own layer and the layers below.
LAYERS = ["base", "corpus", "text", "measures", "scale", "viz", "output", "api"]

#: Old entry points kept for one release, each warning once; the only upward imports (ARCHITECTURE.md).
DEPRECATED_SHIMS = {("framing.corpus.model", "framing.text.summary")}

#: Imported where used, because they are slow to import or optional.
HEAVY = {"gensim", "dask", "distributed", "matplotlib", "nltk", "sklearn", "pyarrow", "vaderSentiment",
         "wordfreq", "pycountry", "simplemma", "multiprocessing", "concurrent", "textstat", "jieba", "pypdf",
         "docx", "bs4", "lxml", "selenium", "pyphen", "trafilatura", "fontTools"}
#: Parts of a package imported where used: scipy.stats (with the optimize and spatial modules it
#: pulls in) would make ``import framing`` some 0.5 s slower, and every command and worker pays it.
HEAVY_MODULES = {"scipy.stats", "scipy.optimize", "scipy.spatial"}


def is_heavy(target: str) -> bool:
    return target.split(".")[0] in HEAVY or any(target == m or target.startswith(m + ".") for m in HEAVY_MODULES)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return "api"  # framing/__init__.py, cli.py, __main__.py


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def collect() -> dict[str, list[tuple[str, list[str], int, bool]]]:
    """module -> [(imported module, names, line, at function level)]."""
    out: dict[str, list[tuple[str, list[str], int, bool]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        mod = module_name(path)
        tree = ast.parse(path.read_text("utf-8"))
        found: list[tuple[str, list[str], int, bool]] = []

        def visit(node: ast.AST, in_function: bool, in_type_checking: bool) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    continue  # typing only: not executed
                fn = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                if isinstance(child, ast.Import):
                    for a in child.names:
                        found.append((a.name, [], child.lineno, in_function))
                elif isinstance(child, ast.ImportFrom):
                    target = resolve(mod, child, path.name == "__init__.py")
                    found.append((target, [a.name for a in child.names], child.lineno, in_function))
                visit(child, fn, in_type_checking)

        visit(tree, False, False)
        out[mod] = found
    return out


IMPORTS = collect()


def test_architecture_layers_import_only_downward():
    bad = []
    for mod, imports in IMPORTS.items():
        for target, _, line, _ in imports:
            if (mod, target) in DEPRECATED_SHIMS:
                continue
            if target == "framing" or target.startswith("framing."):
                if target == "framing" and mod.startswith("framing."):
                    bad.append(f"{mod}:{line} imports the package root")
                    continue
                if LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(mod)):
                    bad.append(f"{mod}:{line} ({layer_of(mod)}) imports {target} ({layer_of(target)})")
    assert not bad, "\n".join(bad)


def test_architecture_no_import_cycles():
    graph: dict[str, set[str]] = {m: set() for m in IMPORTS}
    for mod, imports in IMPORTS.items():
        for target, names, _, _ in imports:
            if (mod, target) in DEPRECATED_SHIMS:
                continue
            for cand in [target] + [f"{target}.{n}" for n in names]:
                if cand in graph and cand != mod:
                    graph[mod].add(cand)
    # modules import their package's __init__ implicitly; packages re-export from their modules
    state: dict[str, int] = {}
    cycles: list[str] = []

    def dfs(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]) if nxt in stack else f"{node} -> {nxt}")
            elif nxt not in state:
                dfs(nxt, stack + [nxt])
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            dfs(m, [m])
    assert not cycles, "\n".join(cycles)


def test_architecture_no_private_names_across_modules():
    bad = []
    for mod, imports in IMPORTS.items():
        for target, names, line, _ in imports:
            if not target.startswith("framing"):
                continue
            if any(part.startswith("_") and part != "__init__" for part in target.split(".")):
                bad.append(f"{mod}:{line} imports from private module {target}")
            bad += [f"{mod}:{line} imports {target}.{n}" for n in names if n.startswith("_") and n != "__version__"]
    assert not bad, "\n".join(bad)


def _wraps_heavy(module: str) -> bool:
    """A module of framing's own that imports a heavy dependency at its top (e.g. a gensim subclass)."""
    return any(not in_function and is_heavy(target) for target, _, _, in_function in IMPORTS.get(module, ()))


def test_architecture_function_level_imports_only_for_heavy_dependencies():
    bad = []
    for mod, imports in IMPORTS.items():
        for target, names, line, in_function in imports:
            heavy = is_heavy(target) or _wraps_heavy(target) or bool(names) and all(is_heavy(f"{target}.{n}") for n in names)
            if in_function and not heavy and (mod, target) not in DEPRECATED_SHIMS:
                bad.append(f"{mod}:{line} imports {target} inside a function")
    assert not bad, "\n".join(bad)
    assert _wraps_heavy("framing.measures.batch_lda") and not _wraps_heavy("framing.measures.topics")


@pytest.mark.parametrize("layer", ["base", "corpus", "text", "measures"])
def test_architecture_core_layers_do_not_reach_plotting_cli_or_scale(layer):
    bad = [f"{m} imports {t}" for m, imps in IMPORTS.items() if layer_of(m) == layer
           for t, _, _, _ in imps if t.startswith(("framing.viz", "framing.cli", "framing.scale", "framing.output", "matplotlib"))]
    assert not bad, "\n".join(bad)


STUDY_CONSTANTS = ("hong_kong", "hong kong", "hkg", "hksar", "20251122")
#: Names kept for compatibility or naming bundled example data, not settings.
ALLOWED = ("sentence_with_hong_kong", "hong_kong_roles.yaml")


def test_architecture_the_library_holds_no_study_constant():
    """The subject, seeds and figure settings of the Hong Kong study live in study/, not in code under src/framing
    (docstrings and comments may use it as an example; data files are data)."""
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                value = str(node.value).lower()
                if any(c in value for c in STUDY_CONSTANTS) and not any(a in value for a in ALLOWED):
                    bad.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert not bad, "\n".join(bad)


def test_architecture_study_settings_live_in_one_file():
    root = PACKAGE.parents[1] / "study"
    assert (root / "settings.yaml").is_file()
    code = "\n".join(p.read_text("utf-8") for p in root.glob("*.py"))
    assert "20251122" not in code and "hong_kong" not in code.replace("fig04_hong_kong_collocates", "")
