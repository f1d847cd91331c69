"""How `ipops value show` and `ipops value money` print their records as text (``--json``
prints the records' JSON form instead)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from ipops.cli.context import console
from ipops.valuation.appraisal import MoneyFigures
from ipops.valuation.availability import FAMILY_BASIS_LABELS
from ipops.valuation.fields import fields
from ipops.valuation.rankings import PatentValue
from ipops.valuation.schemes import DEGREE_LABELS


def fmt(value: Any) -> str:
    """A raw indicator value or score for a table cell."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.2f}"
    return str(value)


def print_value(value: PatentValue) -> None:
    """A patent's value card: facts, then the indicator and degree tables, then the PVD."""
    row, explained = value.indicators, value.explanation
    field = fields().get(row.get("field") or 0)
    console.print(f"[bold]{value.patent_id}[/] {value.title or ''}")
    console.print(
        f"  field: {field.number} {field.name} ({field.sector})"
        if field
        else "  field: unclassified"
    )
    console.print(
        f"  cohort {row.get('cohort')} ({row.get('cohort_size')} patents), status "
        f"{row.get('status')} ({row.get('status_basis')}), as of {value.as_of}"
    )
    console.print(f"  scheme {value.scheme}, corpus {value.snapshot_id}")
    term, family, forward = value.term, value.family, value.forward_citations
    bound = " (upper bound)" if term.upper_bound else ""
    console.print(f"  term ends {term.expiry or 'unknown'}{bound}: {term.how}")
    basis = FAMILY_BASIS_LABELS.get(family.basis or "", (family.basis, ""))[0]
    console.print(
        f"  family offices {fmt(family.size)}"
        + (f" ({family.offices})" if family.offices else "")
        + (f", basis: {basis}" if family.basis else ", no family data")
    )
    capped = (
        f"; forward window capped at the data end {forward.window_end}"
        if forward.window_capped
        else ""
    )
    console.print(f"  forward citations counted over: {forward.universe_text}{capped}")
    table = Table("degree", "indicator", "raw", "percentile", "weight", "used weight", "points")
    for line in explained.lines:
        table.add_row(
            DEGREE_LABELS[line.degree][0],
            line.indicator,
            fmt(line.raw),
            fmt(line.percentile),
            f"{line.weight:.4g}",
            f"{line.effective_weight:.3f}",
            f"{line.contribution:.2f}" if line.normalised is not None else f"n/a: {line.reason_en}",
        )
    console.print(table)
    degrees = Table("degree", "weight", "used weight", "score", "points of PVD")
    for d in explained.degrees:
        code, _english, chinese = DEGREE_LABELS[d.degree]
        degrees.add_row(
            f"{code} {chinese}",
            f"{d.weight:.4g}",
            f"{d.effective_weight:.3f}",
            "n/a" if d.score is None else f"{d.score:.2f}",
            f"{d.contribution:.2f}",
        )
    console.print(degrees)
    pvd = "n/a" if explained.pvd is None else f"{explained.pvd:.2f}"
    console.print(f"[bold]PVD {pvd}[/] (0-100)")
    for note in explained.notes():
        console.print(f"[yellow]unavailable[/] {note}")


def print_money(shown: MoneyFigures) -> None:
    """The patents' terms, the year lines, the income value and the cost cross-check."""
    income = shown.income
    for patent in shown.patents:
        console.print(
            f"{patent.patent_id}: {patent.status} ({patent.status_basis}), term ends "
            f"{patent.term_end}, {patent.remaining_years} years left"
        )
    table = Table("year", "share", "revenue", "royalty", "after tax", "discount", "present value")
    for line in income.years:
        table.add_row(
            str(line.year),
            str(line.fraction),
            str(line.revenue),
            str(line.royalty),
            str(line.after_tax),
            str(line.discount_factor),
            str(line.present_value),
        )
    console.print(table)
    console.print(
        f"life {income.life_years} years ({income.life_basis}); present value "
        f"{income.present_value} CNY"
    )
    if income.tab_factor is not None:
        console.print(f"tax amortisation benefit x{income.tab_factor} ({income.tab_years} years)")
    console.print(f"[bold]value {income.value} CNY[/] (relief from royalty; {income.rounding})")
    cost = shown.cost
    if cost is not None:
        console.print(
            f"cost approach: {cost.reproduction_cost} x (1 - {cost.obsolescence}) = "
            f"{cost.value} CNY ({cost.obsolescence_basis})"
        )
