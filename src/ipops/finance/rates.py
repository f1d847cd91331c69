"""Reference lending rates as data, and the rule that maps a loan to its rate (pure).

宁创贷 caps a policy loan's rate at "the benchmark rate for the same term x 1.3". Which rate
that is depends on the loan's date and term:

* before the LPR reform (loans dated before 2019-08-20): the PBOC benchmark lending rate
  (贷款基准利率) of the loan's term band: up to 1 year, over 1 up to 5 years, over 5 years;
* from 2019-08-20 (PBOC announcement [2019] No. 15, LPR reform): the Loan Prime Rate
  published by the National Interbank Funding Center on the 20th; by common practice
  loans of up to 5 years reference the 1-year LPR, longer ones the 5-year-plus LPR.

The date of the switch and the longest term on the 1-year LPR are policy settings
(``[reference_rate]`` in the policy file: ``lpr_from``, ``one_year_lpr_up_to_months``), so a
programme that keeps the old benchmark (or counts terms differently) is one file away.

The table (``data/reference_rates.csv``; a workspace's ``finance/reference_rates.csv``
replaces it) lists each rate from its effective date; a row applies until the next row of
the same series and band. Its ``# checked_through: YYYY-MM-DD`` line says up to which day
the table was checked against the publications (unchanged months add no row); without it,
the table is checked through its last row. A loan dated after that day still gets the last
rate in effect, with a warning (``ReferenceRate.warning``), or is refused when the policy
says ``beyond_checked = "refuse"`` (``[reference_rate]``). ``add_month`` appends a
published LPR month (or, when both rates are unchanged, only moves the checked-through
day) and moves the checked-through day to it. Sources: PBOC
announcements of benchmark-rate changes (2014-11-22 to 2015-10-24) and the NIFC LPR
announcements (``shared/REFERENCES.md``, "IP pledge finance").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from ipops.errors import NotFound, ValidationError
from ipops.exports import csv_row

TABLE_FILE = "reference_rates.csv"
CHECKED_PREFIX = "# checked_through:"
HEADER = ("series", "effective_from", "band", "rate", "source")
LPR_REFORM = date(2019, 8, 20)


class Series(StrEnum):
    BENCHMARK = "pboc_benchmark"
    LPR = "lpr"


class Band(StrEnum):
    UP_TO_1Y = "1y"
    ONE_TO_5Y = "1-5y"
    OVER_5Y = "5y+"


BANDS = {Series.BENCHMARK: frozenset(Band), Series.LPR: frozenset({Band.UP_TO_1Y, Band.OVER_5Y})}


@dataclass(frozen=True)
class RateRow:
    series: Series
    effective_from: date
    band: Band
    rate: Decimal  # a fraction: 0.0435 for 4.35 %
    source: str


@dataclass(frozen=True)
class ReferenceRule:
    """Policy settings of the mapping (defaults: LPR from the reform, 1-year LPR up to 5
    years)."""

    lpr_from: date = LPR_REFORM
    one_year_lpr_up_to_months: int = 60
    beyond_checked: str = "warn"  # or "refuse": a loan dated after the checked-through day


BEYOND_CHECKED = ("warn", "refuse")


def check_beyond(value: object, origin: str) -> str:
    """The ``beyond_checked`` setting of a policy: ``warn`` or ``refuse``."""
    if value not in BEYOND_CHECKED:
        raise ValidationError(
            f"{origin}: [reference_rate] beyond_checked must be {' or '.join(BEYOND_CHECKED)}",
            field="policy",
        )
    return str(value)


@dataclass(frozen=True)
class ReferenceRate:
    rate: Decimal
    series: Series
    band: Band
    effective_from: date
    loan_date: date
    term_months: int
    source: str
    checked_through: date | None = None
    warning: str | None = None  # the loan is dated after the table's checked-through day

    def text(self) -> str:
        name = "PBOC benchmark" if self.series is Series.BENCHMARK else "LPR"
        found = (
            f"{name} {self.band} {percent(self.rate)} % in effect from {self.effective_from} "
            f"(loan of {self.term_months} months dated {self.loan_date})"
        )
        return found if self.warning is None else f"{found}; warning: {self.warning}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rate": str(self.rate),
            "series": str(self.series),
            "band": str(self.band),
            "effective_from": self.effective_from.isoformat(),
            "loan_date": self.loan_date.isoformat(),
            "term_months": self.term_months,
            "source": self.source,
            "checked_through": None
            if self.checked_through is None
            else self.checked_through.isoformat(),
            "warning": self.warning,
            "text": self.text(),
        }


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}"


@dataclass(frozen=True)
class RateTable:
    rows: tuple[RateRow, ...]
    origin: str
    checked: date | None = None  # the ``# checked_through:`` line, when the file has one

    @property
    def checked_through(self) -> date | None:
        """The day up to which the table was checked (default: its last row)."""
        return self.checked or max((r.effective_from for r in self.rows), default=None)

    def latest(self, series: Series) -> date | None:
        days = [r.effective_from for r in self.rows if r.series is series]
        return max(days) if days else None

    def lookup(self, series: Series, band: Band, on: date) -> RateRow:
        """The row of ``series`` and ``band`` in effect on ``on`` (the last one from before)."""
        found = [
            r for r in self.rows if r.series is series and r.band is band and r.effective_from <= on
        ]
        if not found:
            first = min((r.effective_from for r in self.rows if r.series is series), default=None)
            raise NotFound(
                f"no {series} {band} rate in effect on {on} in {self.origin} "
                f"(the table starts {first})",
                field="loan-date",
            )
        return max(found, key=lambda r: r.effective_from)


def band_of(term_months: int) -> Band:
    """PBOC term bands: up to 12 months, 13 to 60 months, over 60 months."""
    if term_months <= 0:
        raise ValidationError("must be at least 1 month", field="term-months")
    if term_months <= 12:
        return Band.UP_TO_1Y
    if term_months <= 60:
        return Band.ONE_TO_5Y
    return Band.OVER_5Y


def reference_rate(
    table: RateTable, rule: ReferenceRule, *, loan_date: date, term_months: int
) -> ReferenceRate:
    """The same-term reference rate of a loan dated ``loan_date`` for ``term_months``."""
    band = band_of(term_months)
    if loan_date < rule.lpr_from:
        series = Series.BENCHMARK
    else:
        series = Series.LPR
        band = Band.UP_TO_1Y if term_months <= rule.one_year_lpr_up_to_months else Band.OVER_5Y
    row = table.lookup(series, band, loan_date)
    through = table.checked_through
    warning = None
    if through is not None and loan_date > through:
        warning = (
            f"the loan is dated after {through}, the day the rate table ({table.origin}) is "
            f"checked through: the last rate listed is used; add the months since with "
            f"`ipops finance rates add`"
        )
        if rule.beyond_checked == "refuse":
            raise ValidationError(
                f"the loan is dated {loan_date}, after {through}, the day the rate table "
                f"({table.origin}) is checked through, and the policy refuses such loans "
                "(beyond_checked = refuse); add the months since with `ipops finance rates add`",
                field="loan-date",
            )
    return ReferenceRate(
        row.rate,
        series,
        band,
        row.effective_from,
        loan_date,
        term_months,
        row.source,
        through,
        warning,
    )


# --------------------------------------------------------------------------- the file


def parse_table(text: str, *, origin: str) -> RateTable:
    """Every row checked (series, date, band of the series, rate as text in %); a bad one
    refuses the file, naming its line. Lines starting with ``#`` are comments."""
    all_lines = text.lstrip("\ufeff").splitlines()
    checked = _checked_line(all_lines, origin)
    lines = [line for line in all_lines if not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    if tuple(reader.fieldnames or ()) != HEADER:
        raise ValidationError(
            f"{origin}: the header must be {','.join(HEADER)}", field="reference_rates"
        )
    rows = []
    seen: set[tuple[Series, date, Band]] = set()
    for number, raw in enumerate(reader, start=2):
        row = _row(raw, f"{origin} row {number}")
        key = (row.series, row.effective_from, row.band)
        if key in seen:
            raise ValidationError(
                f"{origin} row {number}: {row.series} {row.band} from {row.effective_from} "
                "is listed twice",
                field="reference_rates",
            )
        seen.add(key)
        rows.append(row)
    table = RateTable(
        tuple(sorted(rows, key=lambda r: (r.series, r.band, r.effective_from))), origin, checked
    )
    last = max((r.effective_from for r in rows), default=None)
    if checked is not None and last is not None and checked < last:
        raise ValidationError(
            f"{origin}: checked_through {checked} is before the last row ({last})",
            field="reference_rates",
        )
    return table


def _checked_line(lines: list[str], origin: str) -> date | None:
    found = [line for line in lines if line.startswith(CHECKED_PREFIX)]
    if not found:
        return None
    if len(found) > 1:
        raise ValidationError(
            f"{origin}: more than one {CHECKED_PREFIX.lstrip('# ')} line", field="reference_rates"
        )
    text = found[0].removeprefix(CHECKED_PREFIX).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"{origin}: checked_through {text!r} is not a date (YYYY-MM-DD)",
            field="reference_rates",
        ) from None


def _row(raw: dict[str, str | None], where: str) -> RateRow:
    try:
        series = Series((raw.get("series") or "").strip())
    except ValueError:
        raise ValidationError(
            f"{where}: series must be {' or '.join(Series)}", field="reference_rates"
        ) from None
    try:
        day = date.fromisoformat((raw.get("effective_from") or "").strip())
    except ValueError:
        raise ValidationError(
            f"{where}: effective_from is not a date", field="reference_rates"
        ) from None
    band_text = (raw.get("band") or "").strip()
    allowed = sorted(str(b) for b in BANDS[series])
    if band_text not in allowed:
        raise ValidationError(
            f"{where}: band of {series} must be one of {', '.join(allowed)}",
            field="reference_rates",
        )
    rate = parse_percent(raw.get("rate") or "", f"{where}: rate")
    return RateRow(series, day, Band(band_text), rate, (raw.get("source") or "").strip())


def parse_percent(text: str, field: str) -> Decimal:
    """A rate in percent as text ("3.45") to a fraction (0.0345); 0 < rate < 100."""
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        raise ValidationError(f"not a number: {text!r}", field=field) from None
    if not value.is_finite() or not 0 < value < 100:
        raise ValidationError(f"must be a percentage between 0 and 100: {text!r}", field=field)
    return value / 100


def builtin_text() -> str:
    return (resources.files("ipops.finance") / "data" / TABLE_FILE).read_text("utf-8")


def workspace_file(workspace_root: Path) -> Path:
    return workspace_root / "finance" / TABLE_FILE


def load_table(workspace_root: Path | None = None) -> RateTable:
    """The workspace's table when it has one, else the built-in one."""
    if workspace_root is not None:
        path = workspace_file(workspace_root)
        if path.exists():
            return parse_table(path.read_text("utf-8"), origin=str(path))
    return parse_table(builtin_text(), origin=f"builtin:{TABLE_FILE}")


@dataclass(frozen=True)
class AddedMonth:
    text: str  # the table with the month
    row_added: bool  # False: both rates unchanged, only the checked-through day moved
    checked_through: date


def add_month(
    text: str, *, origin: str, on: date, one_year: Decimal, five_year: Decimal, source: str
) -> AddedMonth:
    """``text`` (a table) with one LPR month appended, and checked through ``on``. The month
    must be after the last one and after the checked-through day; when both rates equal
    the ones in effect, no row is added (unchanged months are not listed): only the
    checked-through day moves. The result must parse."""
    table = parse_table(text, origin=origin)
    if on < LPR_REFORM:
        raise ValidationError(f"the LPR series starts {LPR_REFORM}", field="date")
    through = table.checked_through
    if through is not None and on <= through:
        raise ValidationError(
            f"{on} is not after the day the table is checked through ({through})", field="date"
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    pairs = ((Band.UP_TO_1Y, one_year), (Band.OVER_5Y, five_year))
    changed = table.latest(Series.LPR) is None or any(
        table.lookup(Series.LPR, band, on).rate != rate for band, rate in pairs
    )
    if changed:
        for band, rate in pairs:
            writer.writerow(csv_row(("lpr", on.isoformat(), str(band), percent(rate), source)))
    result = with_checked_through(text, on).rstrip("\n") + "\n" + out.getvalue()
    parse_table(result, origin=origin)
    return AddedMonth(result, changed, on)


def with_checked_through(text: str, day: date) -> str:
    """``text`` with its ``# checked_through:`` line set to ``day`` (added before the
    header when it has none)."""
    line = f"{CHECKED_PREFIX} {day.isoformat()}"
    lines = text.splitlines()
    for i, old in enumerate(lines):
        if old.startswith(CHECKED_PREFIX):
            lines[i] = line
            break
    else:
        header = next(i for i, old in enumerate(lines) if not old.startswith("#"))
        lines.insert(header, line)
    return "\n".join(lines) + "\n"


def benchmark_of(
    *,
    given: Decimal | None,
    loan_date: date | None,
    term_months: int | None,
    table: RateTable,
    rule: ReferenceRule,
    names: tuple[str, str, str] = ("--benchmark-rate", "--loan-date", "--term-months"),
) -> tuple[Decimal, ReferenceRate | None]:
    """The benchmark given, else the reference rate looked up from the loan's date and term
    (``ValidationError`` naming the three inputs, as ``names`` spells them, otherwise)."""
    if given is not None:
        return given, None
    if loan_date is None or term_months is None:
        raise ValidationError(
            f"give {names[0]}, or {names[1]} and {names[2]} to look it up",
            field=names[0].lstrip("-"),
        )
    found = reference_rate(table, rule, loan_date=loan_date, term_months=term_months)
    return found.rate, found
