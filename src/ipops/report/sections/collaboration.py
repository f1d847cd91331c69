"""Section 6: collaboration — team share and international co-invention share by filing
year, and the co-applicant network of the top parties.

Team: a family whose representative patent names two or more inventors. International:
its inventors give two or more countries. Shares are of the families with inventors;
the counts per filing year of the representative patent come from ``ipops.geo``, as does
the share of international co-inventions with an inventor in one of the field's top
hotspots.
"""

from __future__ import annotations

from typing import Any

from ipops.geo import service as geo
from ipops.report import charts
from ipops.report.model import Chart, Column, DataTable, Section
from ipops.report.scope import FAMILIES
from ipops.report.sections.applicants import top_applicants
from ipops.report.sections.base import ReportContext
from ipops.report.words import num, share

NETWORK_PARTIES = 15

PAIRS_SQL = """
WITH top AS (SELECT unnest(?::VARCHAR[]) AS entity),
owned AS (
    SELECT DISTINCT f.family_key, o.entity
    FROM report_owners o JOIN report_families f ON f.patent_id = o.patent_id
    SEMI JOIN top t ON t.entity = o.entity
)
SELECT a.entity AS a, b.entity AS b, count(*) AS families
FROM owned a JOIN owned b ON a.family_key = b.family_key AND a.entity < b.entity
GROUP BY ALL ORDER BY families DESC, a, b"""


def build(ctx: ReportContext) -> Section:
    say = ctx.say
    years = [
        _year_row(y)
        for y in geo.collaboration_by_year(ctx.con, scope=FAMILIES, clusters=ctx.clusters())
    ]
    parties = top_applicants(ctx, NETWORK_PARTIES)
    pairs = ctx.rows(PAIRS_SQL, [[p.entity for p in parties]]) if parties else []
    names = {p.entity: p.name for p in parties}
    co_owned = int(
        ctx.rows(
            "SELECT count(*) AS n FROM (SELECT o.patent_id FROM report_owners o "
            "JOIN report_families f ON f.patent_id = o.patent_id "
            "GROUP BY o.patent_id HAVING count(*) >= 2)"
        )[0]["n"]
    )
    year_table = DataTable(
        "collaboration_by_year",
        say(
            en="Team and international co-invention by filing year",
            zh="各申请年的合作发明与国际合作发明",
        ),
        (
            Column("year", say(en="Year", zh="年份"), "year"),
            Column("families", say(en="Families", zh="专利族（项）"), "int"),
            Column("with_inventors", say(en="With inventors", zh="有发明人数据"), "int"),
            Column("team", say(en="Team (2+ inventors)", zh="团队发明（2人及以上）"), "int"),
            Column("team_share", say(en="Team share", zh="团队发明占比"), "pct"),
            Column("international", say(en="International", zh="国际合作发明"), "int"),
            Column("international_share", say(en="International share", zh="国际合作占比"), "pct"),
            Column(
                "hotspot_share",
                say(
                    en="International with a hotspot inventor",
                    zh="国际合作中有热点地区发明人的占比",
                ),
                "pct",
            ),
        ),
        tuple(
            (
                r["year"],
                r["families"],
                r["with_inventors"],
                r["team"],
                _share(r["team"], r["with_inventors"]),
                r["international"],
                _share(r["international"], r["with_inventors"]),
                _share(r["international_hotspot"], r["international"]),
            )
            for r in years
        ),
    )
    pair_table = DataTable(
        "co_applicants",
        say(en="Co-applicant pairs among the top parties", zh="主要申请人之间的共同申请"),
        (
            Column("a", say(en="Applicant", zh="申请人")),
            Column("b", say(en="Co-applicant", zh="共同申请人")),
            Column("families", say(en="Joint families", zh="共同申请专利族（项）"), "int"),
        ),
        tuple((names[r["a"]], names[r["b"]], r["families"]) for r in pairs),
    )
    figures: list[Chart] = []
    if years:
        figures.append(
            Chart(
                charts.share_lines(
                    [r["year"] for r in years],
                    [
                        (
                            say(en="team share", zh="团队发明占比"),
                            [_share(r["team"], r["with_inventors"]) for r in years],
                        ),
                        (
                            say(en="international share", zh="国际合作发明占比"),
                            [_share(r["international"], r["with_inventors"]) for r in years],
                        ),
                        (
                            say(en="of which with a hotspot inventor", zh="其中有热点地区发明人"),
                            [_share(r["international_hotspot"], r["international"]) for r in years],
                        ),
                    ],
                    ylabel="%",
                ),
                say(
                    en="Team and international co-invention shares by filing year",
                    zh="团队发明与国际合作发明占比的变化",
                ),
            )
        )
    if pairs:
        index = {p.entity: k for k, p in enumerate(parties)}
        figures.append(
            Chart(
                charts.network(
                    [(p.name, float(p.families)) for p in parties],
                    [(index[r["a"]], index[r["b"]], float(r["families"])) for r in pairs],
                ),
                say(en="Co-applicant network of the top parties", zh="主要申请人合作网络"),
            )
        )
    return Section(
        "collaboration",
        say(en="6. Collaboration", zh="六、合作分析"),
        (paragraph(ctx.lang, years, pairs, names, co_owned, ctx.families),),
        charts=tuple(figures),
        tables=(year_table, pair_table),
    )


def paragraph(
    lang: str,
    years: list[dict[str, Any]],
    pairs: list[dict[str, Any]],
    names: dict[str, str],
    co_owned: int,
    families: int,
) -> str:
    with_inventors = sum(r["with_inventors"] for r in years)
    team = sum(r["team"] for r in years)
    international = sum(r["international"] for r in years)
    first = next((r for r in years if r["with_inventors"]), None)
    last = next((r for r in reversed(years) if r["with_inventors"]), None)
    if not with_inventors or first is None or last is None:
        return (
            "检索结果中没有发明人数据。"
            if lang == "zh"
            else "The matched patents name no inventors."
        )
    team_first = share(_share(first["team"], first["with_inventors"]))
    team_last = share(_share(last["team"], last["with_inventors"]))
    if lang == "zh":
        text = (
            f"{share(team / with_inventors)}的专利族由两名及以上发明人共同完成"
            f"（{first['year']}年{team_first}，{last['year']}年{team_last}），"
            f"{share(international / with_inventors)}为跨国合作发明。"
            f"共同申请的专利族有{num(co_owned)}项（{share(co_owned / families)}）。"
        )
        if pairs:
            top = pairs[0]
            text += (
                f"主要申请人中合作最多的是{names[top['a']]}与{names[top['b']]}"
                f"（{num(top['families'])}项）。"
            )
        else:
            text += "主要申请人之间没有共同申请。"
        return text
    text = (
        f"{share(team / with_inventors)} of the families are the work of teams of two or more "
        f"inventors ({team_first} in {first['year']}, {team_last} in {last['year']}), and "
        f"{share(international / with_inventors)} are international co-inventions. "
        f"{num(co_owned)} families ({share(co_owned / families)}) have more than one owner. "
    )
    if pairs:
        top = pairs[0]
        text += (
            f"Among the top parties, {names[top['a']]} and {names[top['b']]} file together "
            f"most often ({num(top['families'])} families)."
        )
    else:
        text += "The top parties file no patents together."
    return text


def _year_row(year: geo.CollaborationYear) -> dict[str, Any]:
    return {
        "year": year.year,
        "families": year.patents,
        "with_inventors": year.with_inventors,
        "team": year.teams,
        "international": year.international,
        "international_hotspot": year.international_hotspot,
    }


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
