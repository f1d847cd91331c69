"""The shape docs/architecture.md promises: modules that fit on a screen's worth of scrolling,
and edges (API views, web routes, CLI commands, facades) that hold no ORM or SQL."""

from __future__ import annotations

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
