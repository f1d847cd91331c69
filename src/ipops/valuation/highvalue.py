"""High-value invention patents (高价值发明专利) by CNIPA's statistical definition.

A **valid invention patent** (有效发明专利: a granted CN invention patent, a US utility patent,
or another office's granted invention patent, in force on the as-of date) is high-value
when at least one of five conditions holds; every condition that holds is a reason:

1. ``strategic_emerging`` — one of its IPC (or CPC) symbols falls under an entry of the
   strategic-emerging-industry list (default: the starter list ``data/strategic_emerging_
   ipc.csv``, incomplete, see ``data/SOURCE.md``; replace it with the official 2021 table).
   An entry is a subclass (``H04W``), a main group (``G06N 3`` or ``G06N 3/00``: all its
   subgroups) or a subgroup (``H01M 10/05``: it and the subgroups below it, whose digits
   extend it).
2. ``overseas_family`` — its family holds another office (``family_offices``: from a
   loaded family table, priority claims from another office, or corpus patents of the same
   ``family_id`` in another office; see ``indicator_sql.family_sql``); or, with
   ``family_size_counts_as_overseas`` (default on), a family size above 1 *reported by the
   source* (CN database exports give the simple-family size without listing members; the
   members of a CN applicant's simple family other than the CN document are almost always
   abroad).
3. ``maintained_10_years`` — in force and filed more than ``maintained_years`` (10) years
   before the as-of date.
4. ``pledge_financing`` — a pledge financing amount of at least ``pledge_threshold``
   (default 10,000,000.00 CNY: an assumption, CNIPA says only "relatively high") comes from
   a ``PledgeAmounts`` source (a CSV now; the finance registry later). A pledge event
   without an amount is shown but is not a reason.
5. ``national_award`` — on the user-maintained award list (中国专利奖, 国家科学技术奖).

In force: status ``in_force`` from events or the source; a grant without any status data
within its term is *presumed* in force when ``presume_in_force`` (default on), and its
reasons say so. ``high_value_sql`` evaluates the conditions set-wise; ``reasons_of`` turns a
result row into reasons with their evidence.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from typing import Any, Protocol

import pyarrow as pa

from ipops.corpus.events import normalize_patent_id
from ipops.errors import ValidationError
from ipops.valuation.money import to_fen

STRATEGIC_FILE = "strategic_emerging_ipc.csv"
DEFAULT_PLEDGE_THRESHOLD = Decimal("10000000.00")
INVENTION_TYPES: tuple[str, ...] = ("invention", "utility")
_ENTRY = re.compile(r"^(?P<subclass>[A-HY]\d\d[A-Z])(?:\s*(?P<group>\d+)(?:/(?P<sub>\d+))?)?$")


class Reason(StrEnum):
    STRATEGIC_EMERGING = "strategic_emerging"
    OVERSEAS_FAMILY = "overseas_family"
    MAINTAINED_10_YEARS = "maintained_10_years"
    PLEDGE_FINANCING = "pledge_financing"
    NATIONAL_AWARD = "national_award"


REASON_LABELS: dict[Reason, tuple[str, str]] = {
    Reason.STRATEGIC_EMERGING: ("strategic emerging industry", "战略性新兴产业"),
    Reason.OVERSEAS_FAMILY: ("overseas family member", "有海外同族专利"),
    Reason.MAINTAINED_10_YEARS: ("maintained more than 10 years", "维持年限超过10年"),
    Reason.PLEDGE_FINANCING: ("high pledge financing", "实现较高质押融资金额"),
    Reason.NATIONAL_AWARD: ("national award", "获得国家科学技术奖或中国专利奖"),
}


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class StrategicEntry:
    ipc: str  # as written in the list
    subclass: str
    group: int | None  # None: the whole subclass
    subgroup: str | None  # digits after the slash; None: the whole main group
    industry_code: str
    industry_name: str


def parse_strategic_entry(ipc: str, industry_code: str, industry_name: str) -> StrategicEntry:
    compact = re.sub(r"\s+", " ", ipc.strip().upper())
    match = _ENTRY.match(compact)
    if not match:
        raise ValidationError(f"not an IPC subclass, group or subgroup: {ipc!r}", field="ipc")
    group = int(match["group"]) if match["group"] else None
    sub = match["sub"].rstrip("0") if match["sub"] else None
    return StrategicEntry(
        ipc=ipc.strip(),
        subclass=match["subclass"],
        group=group,
        subgroup=sub or None,  # "/00" is the whole main group
        industry_code=industry_code.strip(),
        industry_name=industry_name.strip(),
    )


def read_strategic_list(text: str, *, origin: str = "strategic list") -> tuple[StrategicEntry, ...]:
    """Entries of a CSV with columns ``ipc,industry_code,industry_name``."""
    entries = []
    rows = csv.DictReader(line for line in text.lstrip("\ufeff").splitlines() if line.strip())
    for number, row in enumerate(rows, start=2):
        try:
            entries.append(
                parse_strategic_entry(
                    row.get("ipc") or "",
                    row.get("industry_code") or "",
                    row.get("industry_name") or "",
                )
            )
        except ValidationError as exc:
            raise ValidationError(exc.message, field=f"{origin}:{number}") from None
    return tuple(entries)


def default_strategic_list() -> tuple[StrategicEntry, ...]:
    text = (resources.files("ipops.valuation") / "data" / STRATEGIC_FILE).read_text("utf-8")
    return read_strategic_list(text, origin=STRATEGIC_FILE)


@dataclass(frozen=True)
class Award:
    patent_id: str
    award: str
    year: int | None


_AWARD_COLUMNS = {
    "patent": ("patent", "patent_id", "publication_number", "专利号", "公开号", "公告号"),
    "award": ("award", "奖项", "奖励"),
    "year": ("year", "年度", "年份"),
}


def read_awards(text: str, *, origin: str = "awards") -> tuple[Award, ...]:
    """The award list: CSV ``patent,award,year`` (Chinese headers too); ``#`` lines skipped."""
    lines = [
        line
        for line in text.lstrip("\ufeff").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    rows = list(csv.reader(lines))
    if not rows:
        return ()
    positions = _positions(rows[0], origin)
    awards = []
    for number, row in enumerate(rows[1:], start=2):
        cell = _cells(row, positions)
        try:
            patent_id = normalize_patent_id(cell["patent"])
            year = int(cell["year"]) if cell.get("year") else None
        except ValueError as exc:
            raise ValidationError(str(exc), field=f"{origin}:{number}") from None
        awards.append(Award(patent_id, cell.get("award") or "award", year))
    return tuple(awards)


def _positions(header: Sequence[str], origin: str) -> dict[str, int]:
    keys = [h.strip().lower() for h in header]
    positions = {
        column: keys.index(alias)
        for column, aliases in _AWARD_COLUMNS.items()
        for alias in aliases
        if alias in keys
    }
    if "patent" not in positions:
        raise ValidationError("needs a 'patent' column (专利号/公开号)", field=f"{origin}:1")
    return positions


def _cells(row: Sequence[str], positions: Mapping[str, int]) -> dict[str, str]:
    return {c: row[i].strip() for c, i in positions.items() if i < len(row) and row[i].strip()}


class PledgeAmounts(Protocol):
    """Where pledge financing amounts come from (the finance registry will implement this)."""

    def amounts(self) -> Mapping[str, Decimal]:
        """Financing amount in CNY attributed to each patent id (the largest one)."""
        ...


@dataclass(frozen=True)
class FixedPledgeAmounts:
    """Amounts given directly (tests, or a CSV read by ``read_pledge_amounts``)."""

    values: Mapping[str, Decimal] = field(default_factory=dict)

    def amounts(self) -> Mapping[str, Decimal]:
        return self.values


def read_pledge_amounts(text: str, *, origin: str = "pledge amounts") -> FixedPledgeAmounts:
    """CSV ``patent,amount`` (CNY, e.g. 12000000 or 1200万 not accepted: plain numbers)."""
    rows = list(csv.reader(line for line in text.lstrip("\ufeff").splitlines() if line.strip()))
    values: dict[str, Decimal] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < 2:
            raise ValidationError("expected patent,amount", field=f"{origin}:{number}")
        try:
            patent_id = normalize_patent_id(row[0])
            amount = Decimal(row[1].strip().replace(",", ""))
        except (ValueError, InvalidOperation) as exc:
            raise ValidationError(f"bad row: {exc}", field=f"{origin}:{number}") from None
        if amount < 0:
            raise ValidationError("amount must not be negative", field=f"{origin}:{number}")
        values[patent_id] = max(amount, values.get(patent_id, Decimal(0)))
    return FixedPledgeAmounts(values)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class HighValueRules:
    as_of: date
    maintained_years: int = 10
    pledge_threshold: Decimal = DEFAULT_PLEDGE_THRESHOLD
    family_size_counts_as_overseas: bool = True
    presume_in_force: bool = True
    strategic: tuple[StrategicEntry, ...] = field(default_factory=default_strategic_list)


def strategic_table(entries: Sequence[StrategicEntry]) -> pa.Table:
    return pa.table(
        {
            "ipc": pa.array([e.ipc for e in entries], pa.string()),
            "subclass": pa.array([e.subclass for e in entries], pa.string()),
            "grp": pa.array([e.group for e in entries], pa.int32()),
            "subgroup": pa.array([e.subgroup for e in entries], pa.string()),
            "industry": pa.array([f"{e.industry_code} {e.industry_name}" for e in entries]),
        }
    )


def awards_table(awards: Sequence[Award]) -> pa.Table:
    return pa.table(
        {
            "patent_id": pa.array([a.patent_id for a in awards], pa.string()),
            "award": pa.array(
                [f"{a.award} ({a.year})" if a.year else a.award for a in awards], pa.string()
            ),
        }
    )


def pledges_table(amounts: Mapping[str, Decimal]) -> pa.Table:
    """Amounts as integer fen (money is never a float)."""
    return pa.table(
        {
            "patent_id": pa.array(list(amounts), pa.string()),
            "amount_fen": pa.array([to_fen(v) for v in amounts.values()], pa.int64()),
        }
    )


def high_value_sql(rules: HighValueRules, indicators: str = "ind") -> str:
    """The five conditions for every valid invention patent, over an indicators relation and
    the tables ``hv_strategic``, ``hv_awards``, ``hv_pledges`` and the ``classifications`` view.
    """
    as_of = f"DATE '{rules.as_of.isoformat()}'"
    presumed = "" if rules.presume_in_force else " AND status_basis <> 'presumed'"
    family_reported = (
        "OR coalesce(family_size_reported, 0) > 1" if rules.family_size_counts_as_overseas else ""
    )
    types = ", ".join(f"'{t}'" for t in INVENTION_TYPES)
    return f"""
WITH valid AS (
    SELECT patent_id, office, filing_date, status, status_basis, family_other_office,
           family_size, family_size_reported, family_offices, family_basis, pledged
    FROM {indicators}
    WHERE doc_type = 'grant' AND patent_type IN ({types}) AND in_force{presumed}
), symbols AS (
    SELECT c.patent_id, upper(c.symbol) AS symbol, c.subclass,
           TRY_CAST(regexp_extract(c.symbol, '^.{{4}} ?([0-9]+)', 1) AS INTEGER) AS grp,
           regexp_extract(c.symbol, '/([0-9]+)', 1) AS subgroup
    FROM classifications c SEMI JOIN valid v ON v.patent_id = c.patent_id
    WHERE c.scheme IN ('IPC', 'CPC')
), strategic AS (
    SELECT s.patent_id, string_agg(DISTINCT e.industry, '; ' ORDER BY e.industry) AS industries,
           string_agg(DISTINCT s.symbol || ' (' || e.ipc || ')', '; '
                      ORDER BY s.symbol || ' (' || e.ipc || ')') AS matched
    FROM symbols s JOIN hv_strategic e ON e.subclass = s.subclass
    WHERE e.grp IS NULL OR (e.grp = s.grp AND (e.subgroup IS NULL
          OR starts_with(s.subgroup, e.subgroup)))
    GROUP BY s.patent_id
), awards AS (
    SELECT patent_id, string_agg(award, '; ' ORDER BY award) AS awards
    FROM hv_awards GROUP BY patent_id
), pledges AS (
    SELECT patent_id, max(amount_fen) AS amount_fen FROM hv_pledges GROUP BY patent_id
)
SELECT v.patent_id, v.office, v.filing_date, v.status, v.status_basis,
       st.industries AS strategic_industries, st.matched AS strategic_symbols,
       v.family_other_office OR (false {family_reported}) AS overseas_family,
       v.family_size, v.family_other_office, v.family_offices, v.family_basis,
       v.filing_date + INTERVAL {rules.maintained_years} YEAR < {as_of} AS maintained,
       date_diff('day', v.filing_date, {as_of}) / 365.25 AS years_since_filing,
       pl.amount_fen AS pledge_amount_fen, coalesce(v.pledged, false) AS pledged,
       coalesce(pl.amount_fen >= {to_fen(rules.pledge_threshold)}, false) AS pledge_high,
       aw.awards
FROM valid v
LEFT JOIN strategic st ON st.patent_id = v.patent_id
LEFT JOIN awards aw ON aw.patent_id = v.patent_id
LEFT JOIN pledges pl ON pl.patent_id = v.patent_id"""


def reasons_of(row: Mapping[str, Any]) -> tuple[Reason, ...]:
    """The conditions that hold for a row of ``high_value_sql``."""
    found = []
    if row.get("strategic_industries"):
        found.append(Reason.STRATEGIC_EMERGING)
    if row.get("overseas_family"):
        found.append(Reason.OVERSEAS_FAMILY)
    if row.get("maintained"):
        found.append(Reason.MAINTAINED_10_YEARS)
    if row.get("pledge_high"):
        found.append(Reason.PLEDGE_FINANCING)
    if row.get("awards"):
        found.append(Reason.NATIONAL_AWARD)
    return tuple(found)


def evidence_of(row: Mapping[str, Any], reason: Reason) -> str:
    """What supports a reason, in words (for the listing)."""
    if reason is Reason.STRATEGIC_EMERGING:
        return f"{row['strategic_industries']}: {row['strategic_symbols']}"
    if reason is Reason.OVERSEAS_FAMILY:
        if row.get("family_other_office"):
            return (
                f"the family holds another office: {row.get('family_offices')} "
                f"(from {row.get('family_basis')})"
            )
        return f"family size {row.get('family_size')} reported by the source"
    if reason is Reason.MAINTAINED_10_YEARS:
        years = float(row.get("years_since_filing") or 0)
        presumed = (
            " (presumed in force: no legal-status data)"
            if row.get("status_basis") == "presumed"
            else ""
        )
        return f"filed {row['filing_date']}, {years:.1f} years in force{presumed}"
    if reason is Reason.PLEDGE_FINANCING:
        return f"pledge financing {Decimal(int(row['pledge_amount_fen'])) / 100:,.2f} CNY"
    return str(row.get("awards"))
