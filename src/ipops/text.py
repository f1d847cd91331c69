"""Text from users that every store can hold: no NUL characters (PostgreSQL refuses them)
and no lone surrogates (not encodable as UTF-8)."""

from __future__ import annotations

from ipops.errors import ValidationError


def storable_problem(text: str) -> str | None:
    if "\x00" in text:
        return "must not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text"
    return None


def check_storable(text: str, *, field: str) -> str:
    problem = storable_problem(text)
    if problem:
        raise ValidationError(problem, field=field)
    return text
