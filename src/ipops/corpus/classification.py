"""IPC and CPC symbols in one written form, whatever form a source uses.

Every reader stores classification symbols as ``"F24F 11/30"``: the subclass (section, class,
subclass letter), one space, the main group without leading zeros, a slash, the subgroup.
Sources write the same symbol in several ways; all of these give ``"F24F 11/30"``:

- ``"F24F 11/30"``, ``"F24F11/30"``, ``"F24F  11/30"``, ``"f24f 11/30"``
- ``"F24F0011300000"`` (the 14-character WIPO / CPC master-file form: subclass, main group
  right-aligned in 4 digits, subgroup left-aligned in 6 digits padded with zeros)
- ``"F24F 11/30 (2018.01)"`` or ``"F24F 11/30 A I"`` (a version or qualifiers after the symbol)
- full-width characters from Chinese sources, ``"Ｆ２４Ｆ　１１／３０"``

Subgroup digits read like decimals (``/3`` and ``/30`` are the same place in the scheme, the
14-character form pads them on the right), so a subgroup is written with trailing zeros
removed but at least two digits: ``/30``, ``/02``, ``/00``, ``/122``.

A bare subclass (``"F24F"``) stays ``"F24F"``; a main group without a subgroup (``"F24F 11"``)
becomes ``"F24F 11/00"``.
"""

from __future__ import annotations

import re
import unicodedata

_SUBCLASS = r"[A-HY]\d\d[A-Z]"
_FOURTEEN_CHARACTER = re.compile(rf"({_SUBCLASS})(\d{{4}})(\d{{6}})")
_WRITTEN = re.compile(rf"({_SUBCLASS})(?:-?(\d{{1,4}})(?:/(\d{{1,6}}))?)?")
_VERSION_IN_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")


def normalize_symbol(text: str | None) -> str | None:
    """The symbol in ``"F24F 11/30"`` form, or None when ``text`` is not an IPC/CPC symbol."""
    if text is None:
        return None
    cleaned = _VERSION_IN_BRACKETS.sub(" ", unicodedata.normalize("NFKC", str(text)).upper())
    tokens = cleaned.split()
    # Qualifiers may follow the symbol ("F24F 11/30 A I"): try the longest leading run first,
    # but never drop a token that holds a group ("F24F 0/00" is no symbol, not "F24F").
    for count in range(len(tokens), 0, -1):
        symbol = _parse_compact("".join(tokens[:count]))
        if symbol is not None:
            return symbol
        if "/" in tokens[count - 1]:
            return None
    return None


def symbol_from_parts(
    section: str | None,
    class_: str | None,
    subclass: str | None,
    main_group: str | None,
    subgroup: str | None,
) -> str | None:
    """The symbol from separately stored parts (XML elements, PatentsView IPC columns).

    ``class_`` may be the two class digits (``"24"``) or section and class (``"F24"``).
    """
    parts = [(part or "").strip() for part in (section, class_, subclass, main_group, subgroup)]
    section_text, class_text, subclass_text, main_text, sub_text = parts
    if class_text and section_text and not class_text.upper().startswith(section_text.upper()):
        class_text = section_text + class_text
    head = class_text + subclass_text if class_text else section_text + subclass_text
    if not main_text:
        return normalize_symbol(head)
    return normalize_symbol(f"{head} {main_text}/{sub_text or '00'}")


def subclass_of(symbol: str | None) -> str | None:
    """The subclass of a symbol, e.g. ``"F24F"`` for ``"F24F 11/30"``."""
    normalized = normalize_symbol(symbol)
    return normalized[:4] if normalized else None


def main_group_of(symbol: str | None) -> str | None:
    """The main group of a symbol, e.g. ``"F24F 11/00"`` for ``"F24F 11/30"``.

    None for a bare subclass, which has no main group.
    """
    normalized = normalize_symbol(symbol)
    if normalized is None or " " not in normalized:
        return None
    return normalized.split("/", 1)[0] + "/00"


def _parse_compact(compact: str) -> str | None:
    """Parse a symbol written without spaces."""
    match = _FOURTEEN_CHARACTER.fullmatch(compact)
    if match:
        return _format(match[1], match[2], match[3])
    match = _WRITTEN.fullmatch(compact)
    if match is None:
        return None
    subclass, main_group, subgroup = match.groups()
    if main_group is None:
        return subclass
    return _format(subclass, main_group, subgroup or "00")


def _format(subclass: str, main_group: str, subgroup: str) -> str | None:
    main = main_group.lstrip("0")
    if not main:
        return None  # there is no main group 0
    sub = subgroup.rstrip("0").ljust(2, "0")
    return f"{subclass} {main}/{sub}"
