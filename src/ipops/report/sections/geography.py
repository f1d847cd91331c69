"""Section 5: geography — inventor countries (fractional counts) and the places where the
field's inventors concentrate, with a map.

Fractional counting (``ipops.geo``): each family adds 1, shared equally among the inventors
of its representative patent, so a country's count is the number of families its inventors
account for; inventors without a country count as "unknown". The hotspots are the density
clusters of ``ipops.geo`` over the same families.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipops.geo import service as geo
from ipops.places.countries import to_iso2
from ipops.report import charts
from ipops.report.countrynames import country_name
from ipops.report.model import Chart, Column, DataTable, Section
from ipops.report.scope import FAMILIES
from ipops.report.sections import hotspots
from ipops.report.sections.base import ReportContext
from ipops.report.words import num, pct

TOP_COUNTRIES = 15


def build(ctx: ReportContext) -> Section:
    say = ctx.say
    countries = _countries(ctx)
    with_inventors = round(sum(r.fractional for r in countries))
    places = hotspots.find(ctx)
    country_table = DataTable(
        "inventor_countries",
        say(en="Inventor countries (fractional counts)", zh="发明人所在国家/地区（分数计数）"),
        (
            Column("country", say(en="Country", zh="国家/地区代码")),
            Column("name", say(en="Name", zh="名称")),
            Column("fractional", say(en="Families (fractional)", zh="专利族（分数计数）"), "float"),
            Column("share", say(en="Share", zh="占比"), "pct"),
        ),
        tuple(
            (
                r.country or "",
                country_name(r.country, ctx.lang),
                round(r.fractional, 2),
                r.fractional / with_inventors if with_inventors else None,
            )
            for r in countries
        ),
    )
    figures: list[Chart] = []
    top = countries[:TOP_COUNTRIES]
    if top:
        figures.append(
            Chart(
                charts.horizontal_bars(
                    [country_name(r.country, ctx.lang) for r in top],
                    [round(r.fractional, 1) for r in top],
                    xlabel=say(en="families (fractional)", zh="专利族（分数计数）"),
                    colour=3,
                ),
                say(en="Inventor countries", zh="发明人国家/地区分布"),
            )
        )
    if places.chart is not None:
        figures.append(places.chart)
    return Section(
        "geography",
        say(en="5. Geography", zh="五、地域分布"),
        (paragraph(ctx.lang, countries, with_inventors), *places.paragraphs),
        charts=tuple(figures),
        tables=(country_table, *places.tables),
        notes=places.notes,
    )


def paragraph(lang: str, countries: list[CountryShare], with_inventors: int) -> str:
    known = [r for r in countries if r.country]
    if not known:
        return (
            "检索结果中没有发明人国别数据。"
            if lang == "zh"
            else "The matched patents give no inventor countries."
        )
    first = known[0]
    names = [country_name(r.country, lang) for r in known[:3]]
    together = sum(r.fractional for r in known[:3])
    if lang == "zh":
        return (
            f"按发明人分数计数，{names[0]}的发明人贡献了{num(first.fractional, 1)}项专利族"
            f"（{pct(first.fractional, with_inventors)}）；前三位（{'、'.join(names)}）合计占"
            f"{pct(together, with_inventors)}。共有{len(known)}个国家/地区的发明人参与。"
        )
    return (
        f"Counted fractionally by inventor, {names[0]} accounts for "
        f"{num(first.fractional, 1)} families ({pct(first.fractional, with_inventors)}); "
        f"the first three ({', '.join(names)}) for {pct(together, with_inventors)}. Inventors "
        f"from {len(known)} countries or regions took part."
    )


@dataclass(frozen=True, slots=True)
class CountryShare:
    """An inventor country (ISO code; None: unknown) and its fractional count of families."""

    country: str | None
    fractional: float


def _countries(ctx: ReportContext) -> list[CountryShare]:
    """Fractional counts by inventor country (``ipops.geo``), ISO codes merged."""
    merged: dict[str | None, float] = {}
    for raw, weight in geo.inventor_country_counts(ctx.con, scope=FAMILIES):
        code = (to_iso2(raw) or raw.upper()) if raw else None
        merged[code] = merged.get(code, 0.0) + weight
    return [
        CountryShare(code, weight)
        for code, weight in sorted(merged.items(), key=lambda i: (-i[1], i[0] is None, i[0] or ""))
    ]
