"""The holdings file of ``ipops pool allocate``: member, patent, family, country, expires.

A patent listed twice, or under two members, is refused with the lines named
(``allocation.refuse_duplicates``)."""

from __future__ import annotations

import csv
import io
from datetime import date

from ipops.errors import ValidationError
from ipops.pool.allocation import Holding, refuse_duplicates
from ipops.pool.royalties import check_country

COLUMNS = ("member", "patent", "family", "country", "expires")


def read_holdings(text: str, *, origin: str = "holdings") -> list[Holding]:
    """Every row checked; a bad one rejects the file, naming the row and the column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("member", "patent", "country") if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            f"{origin} lacks the column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}",
            field="holdings",
        )
    numbered = [(number, _holding(number, row)) for number, row in enumerate(reader, start=2)]
    if not numbered:
        raise ValidationError(f"{origin} lists no patent", field="holdings")
    found = [holding for _number, holding in numbered]
    refuse_duplicates(found, [f"{origin} line {number}" for number, _h in numbered])
    return found


def _holding(line: int, row: dict[str, str | None]) -> Holding:
    where = f"line {line}"
    member = (row.get("member") or "").strip()
    patent = (row.get("patent") or "").strip().upper()
    if not member or not patent:
        raise ValidationError("member and patent are required", field=where)
    country = check_country(row.get("country") or "", f"{where}.country")
    expires_text = (row.get("expires") or "").strip()
    try:
        expires = date.fromisoformat(expires_text) if expires_text else None
    except ValueError:
        raise ValidationError(f"not a date: {expires_text!r}", field=f"{where}.expires") from None
    family = (row.get("family") or "").strip() or None
    return Holding(member=member, patent=patent, country=country, family=family, expires=expires)
