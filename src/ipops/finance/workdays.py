"""Working days on China's official calendar (statutory holidays and make-up working days).

``chinese_calendar`` carries the State Council's announcements for the years it covers
(2004 to the last year published when the package was released; ``covered_years()``). For a
day outside them it raises; we keep that behaviour: ``working_days`` refuses such a range with
a ``CalendarNotCovered`` error naming the year, instead of silently assuming Monday to Friday.
The operator can add a year in a small TOML override file (``<workspace>/finance/
calendar.toml``), as soon as the State Council publishes the year's arrangement::

    [2027]
    holidays = ["2027-01-01", "2027-02-06", ...]   # days off, weekdays included
    workdays = ["2027-02-14"]                      # make-up working days (调休上班) on weekends

A year in the override file replaces the package's data for that year. Weekends of an
override year are days off unless listed under ``workdays``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import chinese_calendar
from chinese_calendar import constants

from ipops.errors import ValidationError
from ipops.records import Record


class CalendarNotCovered(ValidationError):
    """A day in a year that neither chinese_calendar nor the override file covers."""


@dataclass(frozen=True)
class YearOverride:
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


def covered_years() -> tuple[int, int]:
    """First and last year of the installed chinese_calendar's official data."""
    years = [d.year for d in constants.holidays]
    return min(years), max(years)


@dataclass(frozen=True)
class WorkCalendar:
    overrides: Mapping[int, YearOverride] = field(default_factory=dict)
    origin: str = "chinese_calendar"

    def is_workday(self, day: date) -> bool:
        found = self.overrides.get(day.year)
        if found is not None:
            if day in found.workdays:
                return True
            return day.weekday() < 5 and day not in found.holidays
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            first, last = covered_years()
            raise CalendarNotCovered(
                f"{day.year} is not covered by the official calendar data "
                f"(chinese_calendar {_version()} covers {first}-{last}); add the year's holidays "
                "and make-up working days to the calendar override file "
                "(<workspace>/finance/calendar.toml, see docs/finance.md) or upgrade "
                "chinesecalendar",
                field="date",
            ) from None

    def working_days(self, start: date, end: date) -> int:
        """The working days d with start < d <= end: the elapsed working days from an
        application on ``start`` to a loan on ``end`` (0 when both are the same day)."""
        if end < start:
            raise ValidationError(f"END {end} is before START {start}", field="end")
        return sum(
            self.is_workday(date.fromordinal(ordinal))
            for ordinal in range(start.toordinal() + 1, end.toordinal() + 1)
        )


def _version() -> str:
    return str(getattr(chinese_calendar, "__version__", "?"))


def load_overrides(path: Path) -> dict[int, YearOverride]:
    """The years of an override file (none when the file does not exist)."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{path}: {exc}", field="calendar") from None
    years: dict[int, YearOverride] = {}
    for key, table in data.items():
        if not key.isdigit() or not isinstance(table, dict):
            raise ValidationError(f"{path}: [{key}] must be a year table", field="calendar")
        year = int(key)
        years[year] = YearOverride(
            holidays=_days(table.get("holidays", []), year, f"{path}: [{key}] holidays"),
            workdays=_days(table.get("workdays", []), year, f"{path}: [{key}] workdays"),
        )
    return years


def _days(values: object, year: int, where: str) -> frozenset[date]:
    if not isinstance(values, list):
        raise ValidationError(f"{where} must be a list of dates", field="calendar")
    days = set()
    for value in values:
        try:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(f"{where}: not a date {value!r}", field="calendar") from None
        if day.year != year:
            raise ValidationError(f"{where}: {day} is not in {year}", field="calendar")
        days.add(day)
    return frozenset(days)


def calendar_for(workspace_root: Path | None) -> WorkCalendar:
    if workspace_root is None:
        return WorkCalendar()
    path = workspace_root / "finance" / "calendar.toml"
    overrides = load_overrides(path)
    origin = f"chinese_calendar + {path}" if overrides else "chinese_calendar"
    return WorkCalendar(overrides=overrides, origin=origin)


class WorkdayCount(Record):
    """Working days d with start < d <= end, and the calendar counted on (its origin)."""

    start: date
    end: date
    working_days: int
    calendar: str


def count_workdays(*, workspace_root: Path | None, start: date, end: date) -> WorkdayCount:
    """Working days from ``start`` (excluded) to ``end`` on the workspace's calendar."""
    calendar = calendar_for(workspace_root)
    return WorkdayCount(
        start=start,
        end=end,
        working_days=calendar.working_days(start, end),
        calendar=calendar.origin,
    )
