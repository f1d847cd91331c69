"""Small helpers to write the report's sentences in Chinese or English (pure)."""

from __future__ import annotations

from collections.abc import Sequence


def pick(lang: str, *, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def num(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    if digits == 0:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


def pct(part: float | int | None, whole: float | int | None, digits: int = 1) -> str:
    if part is None or not whole:
        return "–"
    return f"{100 * part / whole:.{digits}f}%"


def share(value: float | None, digits: int = 1) -> str:
    """A fraction (0.123) as a percentage (12.3%)."""
    return "–" if value is None else f"{100 * value:.{digits}f}%"


def listing(lang: str, items: Sequence[str]) -> str:
    """``a, b and c`` / ``a、b和c``."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if lang == "zh":
        return "、".join(items[:-1]) + "和" + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def ratio(part: float | int, whole: float | int) -> float | None:
    return None if not whole else part / whole


def growth(first: float | int, last: float | int, years: int) -> float | None:
    """Compound annual growth rate from ``first`` to ``last`` over ``years`` years."""
    if years <= 0 or first <= 0 or last <= 0:
        return None
    return float((last / first) ** (1 / years) - 1)
