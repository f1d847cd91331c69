"""One parser for a value that must be one of a fixed set (an enum), naming the field and
the accepted values when it is not."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TypeVar

from ipops.errors import ValidationError

E = TypeVar("E", bound=Enum)


def parse_choice(value: object, choices: type[E], field: str) -> E:
    """``value`` as a member of the enum ``choices`` (by value, or by name), or a
    ValidationError naming ``field`` and every accepted value."""
    if isinstance(value, choices):
        return value
    text = str(value).strip() if value is not None else ""
    for member in choices:
        if text == str(member.value) or text == member.name:
            return member
    accepted = ", ".join(str(member.value) for member in choices)
    raise ValidationError(f"{text!r} is not one of: {accepted}", field=field)


def parse_word(value: object, accepted: Iterable[str], field: str) -> str:
    """``value`` as one of the words ``accepted`` (for sets kept as plain strings)."""
    words = tuple(accepted)
    text = str(value).strip() if value is not None else ""
    if text not in words:
        raise ValidationError(f"{text!r} is not one of: {', '.join(words)}", field=field)
    return text
