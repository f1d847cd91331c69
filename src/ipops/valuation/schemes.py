"""Weighting schemes: versioned TOML files that say how indicators make the value degrees.

A scheme file (see ``data/schemes/default.toml``, and docs/valuation.md)::

    name = "default"
    version = "1.0"
    title = "..."

    [degrees]            # PVD = a*LVD + b*TVD + c*EVD
    legal = 0.3623
    technical = 0.4664
    economic = 0.1713

    [legal]              # LVD = weighted sum of normalised indicators
    remaining_term = 0.30
    ...

    [sources]            # free text: where the weights come from
    degrees = "..."

Rules, each reported as a ``ValidationError`` whose ``field`` is ``FILE:LINE``: the TOML
must parse; ``name`` and ``version`` are required; ``[degrees]`` names exactly the three
degrees; each degree table names only known indicators (``catalogue.NAMES``); every weight
is a number >= 0; the degree weights sum to 1, and so do the weights inside each degree
whose own weight is not 0 (tolerance ``SUM_TOLERANCE``).

The scheme's ``digest`` is a hash of its weights alone: two files with the same weights
give the same scores, whatever their names, comments or layout.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ipops.errors import ValidationError
from ipops.valuation.catalogue import BY_NAME

DEGREES: tuple[str, ...] = ("legal", "technical", "economic")
DEGREE_LABELS: dict[str, tuple[str, str, str]] = {
    "legal": ("LVD", "legal value degree", "法律价值度"),
    "technical": ("TVD", "technical value degree", "技术价值度"),
    "economic": ("EVD", "economic value degree", "经济价值度"),
}
SUM_TOLERANCE = 1e-6
TOP_LEVEL_TEXT = ("name", "version", "title", "title_zh", "description")
BUILTIN_DIR = "schemes"


@dataclass(frozen=True)
class Scheme:
    name: str
    version: str
    degrees: Mapping[str, float]
    weights: Mapping[str, Mapping[str, float]]  # degree -> indicator -> weight
    title: str = ""
    description: str = ""
    sources: Mapping[str, str] = field(default_factory=dict)
    origin: str = ""  # the file it came from, or "builtin:NAME"

    @property
    def digest(self) -> str:
        """Hash of the weights (12 hex digits): same weights, same digest."""
        material = json.dumps(
            {
                "degrees": dict(self.degrees),
                "weights": {d: dict(w) for d, w in self.weights.items()},
            },
            sort_keys=True,
        )
        return hashlib.sha256(material.encode()).hexdigest()[:12]

    @property
    def indicators(self) -> tuple[str, ...]:
        """Indicators with a weight above 0 in some degree, in catalogue order."""
        used = {name for w in self.weights.values() for name, v in w.items() if v > 0}
        return tuple(name for name in BY_NAME if name in used)

    def label(self) -> str:
        return f"{self.name} {self.version} ({self.digest})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "digest": self.digest,
            "title": self.title,
            "degrees": dict(self.degrees),
            "weights": {d: dict(w) for d, w in self.weights.items()},
            "sources": dict(self.sources),
            "origin": self.origin,
        }


# --------------------------------------------------------------------------- loading


def builtin_names() -> list[str]:
    folder = resources.files("ipops.valuation") / "data" / BUILTIN_DIR
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def builtin_text(name: str) -> str:
    return (resources.files("ipops.valuation") / "data" / BUILTIN_DIR / f"{name}.toml").read_text(
        encoding="utf-8"
    )


def load_scheme(spec: str | Path) -> Scheme:
    """A scheme by built-in name (``default``, ``finance``, ``licensing``) or by file path."""
    text_spec = str(spec)
    if text_spec in builtin_names():
        return parse_scheme(builtin_text(text_spec), origin=f"builtin:{text_spec}")
    path = Path(spec)
    if path.is_file():
        return parse_scheme(path.read_text(encoding="utf-8"), origin=str(path))
    raise ValidationError(
        f"no scheme {text_spec!r}: give a file or one of {', '.join(builtin_names())}",
        field="scheme",
    )


# --------------------------------------------------------------------------- parsing


def parse_scheme(text: str, *, origin: str = "scheme.toml") -> Scheme:
    """A validated scheme from TOML text; ValidationError naming ``origin:line`` otherwise."""
    where = _Locator(text, origin)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"not valid TOML: {exc}", field=origin) from None
    _check_top_level(data, where)
    degrees = _weights(data, "degrees", where, allowed=DEGREES, kind="degree")
    for degree in DEGREES:
        if degree not in degrees:
            raise where.error("degrees", None, f"[degrees] has no weight for {degree!r}")
    _check_sum(degrees, "degrees", where)
    weights: dict[str, dict[str, float]] = {}
    for degree in DEGREES:
        weights[degree] = _weights(data, degree, where, allowed=tuple(BY_NAME), kind="indicator")
        if degrees[degree] > 0:
            _check_sum(weights[degree], degree, where)
    return Scheme(
        name=_text(data, "name", where, required=True),
        version=_text(data, "version", where, required=True),
        degrees=degrees,
        weights=weights,
        title=_text(data, "title", where),
        description=_text(data, "description", where),
        sources={str(k): str(v) for k, v in data.get("sources", {}).items()},
        origin=origin,
    )


def _check_top_level(data: Mapping[str, Any], where: _Locator) -> None:
    allowed = {*TOP_LEVEL_TEXT, "degrees", *DEGREES, "sources"}
    for key in data:
        if key not in allowed:
            raise where.error(
                None, key, f"unknown key or table {key!r}; allowed: {', '.join(sorted(allowed))}"
            )


def _text(data: Mapping[str, Any], key: str, where: _Locator, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise ValidationError(
                f'the scheme needs a {key!r} (e.g. {key} = "...")', field=where.origin
            )
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise where.error(None, key, f"{key!r} must be text")
    return str(value)


def _weights(
    data: Mapping[str, Any], table: str, where: _Locator, *, allowed: tuple[str, ...], kind: str
) -> dict[str, float]:
    raw = data.get(table, {})
    if not isinstance(raw, dict):
        raise where.error(None, table, f"{table!r} must be a table: [{table}]")
    weights: dict[str, float] = {}
    for key, value in raw.items():
        if key not in allowed:
            raise where.error(
                table, key, f"unknown {kind} {key!r} in [{table}]; known: {', '.join(allowed)}"
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise where.error(table, key, f"weight of {key!r} in [{table}] must be a number")
        if value < 0:
            raise where.error(
                table, key, f"weight of {key!r} in [{table}] must not be negative ({value})"
            )
        weights[key] = float(value)
    return weights


def _check_sum(weights: Mapping[str, float], table: str, where: _Locator) -> None:
    total = math.fsum(weights.values())
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise where.error(table, None, f"the weights in [{table}] sum to {total:.6g}, not 1")


class _Locator:
    """Finds the line of a table header or of a key inside a table, in the TOML text."""

    _HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_\-\"' .]+?)\s*\]\s*(#.*)?$")
    _KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*=")

    def __init__(self, text: str, origin: str) -> None:
        self.origin = origin
        self.lines: dict[tuple[str | None, str | None], int] = {}
        table: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                table = header[1].strip("\"'")
                self.lines.setdefault((table, None), number)
                continue
            key = self._KEY.match(line)
            if key:
                self.lines.setdefault((table, key[1].strip("\"'")), number)

    def line(self, table: str | None, key: str | None) -> int | None:
        found = self.lines.get((table, key))
        if found is None and key is not None and table is None:
            found = self.lines.get((key, None))  # a table named at the top level
        return found

    def error(self, table: str | None, key: str | None, message: str) -> ValidationError:
        line = self.line(table, key)
        location = f"{self.origin}:{line}" if line is not None else self.origin
        return ValidationError(message, field=location)
