"""The shape docs/architecture.md promises: modules that fit on a screen's worth of scrolling,
edges (API views, web routes, CLI commands, facades) that hold no ORM or SQL, and layers that
only point down."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ipops"
MAX_LINES = 500
# Format readers and migrations are exempt (issue 14); so are modules holding only data tables.
EXEMPT = ("corpus/formats/", "registry/migrations/", "corpus/generate/vocabulary.py")
EDGE = re.compile(r"(^cli/|^web/routes/|/api/|/views\.py$|/facade\.py$)")
QUERY = re.compile(
    r"session\.(query|execute|scalars?|get|add|add_all|delete|flush)\("
    r"|\bselect\(|\.execute\(|\bcon\.sql\(|(?<![\w.])text\("
)


def _modules() -> list[tuple[str, Path]]:
    return sorted((p.relative_to(PACKAGE).as_posix(), p) for p in PACKAGE.rglob("*.py"))


def test_the_package_is_where_the_test_expects_it() -> None:
    assert len(_modules()) > 200


def test_no_module_is_longer_than_500_lines() -> None:
    too_long = [
        f"{name}: {lines} lines"
        for name, path in _modules()
        if not (name.startswith(EXEMPT[:2]) or name in EXEMPT)
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not too_long, "split these by sub-domain:\n" + "\n".join(too_long)


def test_edges_hold_no_orm_or_sql() -> None:
    found = [
        f"{name}:{number}: {line.strip()}"
        for name, path in _modules()
        if EDGE.search(name) and not name.startswith("api/")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if QUERY.search(line)
    ]
    assert not found, "queries belong in a use case:\n" + "\n".join(found)


# Imports inside functions are allowed only where they keep start-up short (each CLI command
# imports what it needs; ``import ipops`` and ``ipops.open`` load a domain when it is used),
# never to dodge an import cycle.
LAZY_IMPORTS_ALLOWED = re.compile(r"(^cli/|^__init__\.py$|^platform\.py$)")
EDGE_PACKAGES = ("ipops.web", "ipops.cli", "ipops.api.app")


def _ipops_imports(node: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.ImportFrom) and (sub.module or "").startswith("ipops"):
            found.append((sub.lineno, sub.module or ""))
        elif isinstance(sub, ast.Import):
            found.extend((sub.lineno, a.name) for a in sub.names if a.name.startswith("ipops"))
    return found


def test_no_import_inside_a_function_outside_the_start_up_paths() -> None:
    found = [
        f"{name}:{line}: {module}"
        for name, path in _modules()
        if not LAZY_IMPORTS_ALLOWED.search(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for line, module in _ipops_imports(node)
    ]
    assert not found, "import at the top of the module (a cycle means a layer is wrong):\n" + (
        "\n".join(sorted(set(found)))
    )


def test_domains_do_not_import_the_edges_above_them() -> None:
    found = [
        f"{name}:{line}: {module}"
        for name, path in _modules()
        if name.split("/")[0] not in ("web", "cli", "api")
        and not re.search(r"/api/|/views\.py$", name)
        for line, module in _ipops_imports(ast.parse(path.read_text(encoding="utf-8")))
        if module.startswith(EDGE_PACKAGES)
    ]
    assert not found, "a domain must not import the web, the CLI or the app factory:\n" + (
        "\n".join(found)
    )


def _module_names() -> dict[str, Path]:
    names: dict[str, Path] = {}
    for name, path in _modules():
        parts = ["ipops", *Path(name).with_suffix("").parts]
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _top_level_imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The ipops modules a module imports when it is loaded (not under TYPE_CHECKING)."""
    imported: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ipops"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                imported.add(full if full in known else str(node.module))
        elif isinstance(node, ast.Import):
            imported.update(a.name for a in node.names if a.name.startswith("ipops"))
    return imported & set(known)


def test_no_import_cycle() -> None:
    known = _module_names()
    graph = {name: _top_level_imports(path, known) - {name} for name, path in known.items()}
    cycles: list[str] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "modules that import each other (move the shared part down):\n" + (
        "\n".join(cycles)
    )
