"""The house rules of the code, checked: the import graph has no cycle, the core imports no I/O module, an
import placed inside a function says why (`# lazy: ...`), and one game's process imports only what it needs."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

GAME = Path(__file__).resolve().parent.parent / "game"

# What the pure core may import from the project: itself and the content wing's pure modules.
CORE_MAY_IMPORT = ("game.sim", "game.content.schema", "game.content.terms", "game.content.expr", "game.content.vocabulary",
                   "game.content.pack", "game.content.suggest")
IO_MODULES = {"os", "io", "pathlib", "shutil", "subprocess", "socket", "tempfile", "pickle", "json", "tomllib",
              "sqlite3", "logging"}


def module_name(path: Path) -> str:
    parts = path.relative_to(GAME.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(GAME.rglob("*.py"))}


def top_level_imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """Project modules imported when `name` is imported (module level, not under TYPE_CHECKING)."""
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ([node] if not isinstance(node, ast.If | ast.Try) else list(ast.walk(node))):
            if isinstance(sub, ast.Import):
                out |= {a.name for a in sub.names}
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                out.add(sub.module)
                out |= {f"{sub.module}.{a.name}" for a in sub.names if f"{sub.module}.{a.name}" in known}
    # (importing a.b.c also runs a/__init__, but a package part-way through its own __init__ is no cycle)
    return {m for m in out if m in known and m != name}


def test_the_import_graph_has_no_cycle():
    trees = modules()
    known = set(trees)
    graph = {name: top_level_imports(name, tree, known) for name, tree in trees.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_core_imports_no_io_and_nothing_above_it():
    offenders = []
    for name, tree in modules().items():
        if not name.startswith("game.sim"):
            continue
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for imported in names:
                if imported.split(".")[0] in IO_MODULES:
                    offenders.append(f"{name} imports {imported}")
                if imported.startswith("game") and not imported.startswith(CORE_MAY_IMPORT):
                    offenders.append(f"{name} imports {imported}")
    assert offenders == []


def test_every_import_inside_a_function_says_why():
    unexplained = []
    for path in sorted(GAME.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import | ast.ImportFrom):
                    above = lines[node.lineno - 1:sub.lineno]  # from the function's start to the import
                    if not any("# lazy:" in line for line in above):
                        unexplained.append(f"{path.relative_to(GAME.parent)}:{sub.lineno}: {lines[sub.lineno - 1].strip()}")
    assert unexplained == [], "\n".join(unexplained)


# What `homegrown run` (one game, headless) must not pay for at start-up: the TUI, the report and the
# analysis wings, the saves, the other commands, optional extras, and pydantic's plugin discovery
# (importlib.metadata: it is loaded when a schema is built, which a cached pack never needs) and the TOML
# parser (a cached pack is not parsed); on a warm cache, not pydantic, the loader or the compiler either
# (the compiled world is read back as plain records), nor numpy's masked arrays (np.unique loads them)
# or difflib (only an error message suggests a name).
RUN_MUST_NOT_IMPORT = ("textual", "rich", "game.tui", "game.analysis", "game.render.debrief", "game.storage",
                       "game.play.session", "game.cli.play", "game.cli.sweep", "game.cli.search",
                       "game.cli.report", "distributed", "dask", "pandas", "gymnasium", "importlib.metadata",
                       "tomllib", "pydantic", "pydantic_core", "game.content.schema", "game.content.loader",
                       "game.sim.compile", "numpy.ma", "difflib")

MODULES_AFTER = """
import contextlib, io, json, sys
from game.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def modules_after(*argv: str) -> set[str]:
    """The modules loaded by a whole `homegrown ARGV` process (run twice: the second finds the pack cached,
    as a player's every run after the first does)."""
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", MODULES_AFTER, *argv], capture_output=True, text=True,
                              cwd=GAME.parent, timeout=120)
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["code"] == 0, proc.stderr
    return set(doc["modules"])


def loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith((p + ".", p + "_"))
                                            for p in prefixes))


def test_one_game_imports_only_what_it_needs():
    modules = modules_after("run", "--scenario", "default", "--seed", "1", "--strategy", "balanced",
                            "--json", "-")
    assert "game.sim.step" in modules  # it did play
    assert loaded(modules, RUN_MUST_NOT_IMPORT) == []


def test_the_import_check_sees_eager_imports():
    # the check above can fail: a sweep does load the analysis wing, a check the other commands do not
    modules = modules_after("sweep", "--games", "2", "--strategy", "balanced", "--workers", "1")
    assert "game.analysis.sweep" in loaded(modules, RUN_MUST_NOT_IMPORT)
