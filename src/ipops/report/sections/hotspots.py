"""The field's innovation hotspots: density clusters of inventor places (``ipops.geo``),
over the report's families, with the map.

Each family's weight 1 is shared equally among its inventors; a cluster's share is its
weight over the weight of every inventor (located or not), as in WIPO's World IP Report
2019. The clustering parameters are ``ipops.geo``'s defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

from ipops.geo import service as geo
from ipops.report.countrynames import country_name
from ipops.report.model import Chart, Column, DataTable
from ipops.report.sections.base import ReportContext
from ipops.report.words import listing, num, share

TOP_CLUSTERS = 15
MAP_CLUSTERS = 60


@dataclass(frozen=True)
class Hotspots:
    paragraphs: tuple[str, ...]
    tables: tuple[DataTable, ...]
    chart: Chart | None
    notes: tuple[str, ...]


def find(ctx: ReportContext) -> Hotspots:
    say = ctx.say
    clusters = ctx.clusters().clusters
    top = clusters[:TOP_CLUSTERS]
    table = DataTable(
        "hotspots",
        say(en="Innovation hotspots (clusters of inventor places)", zh="创新热点（发明人聚集区）"),
        (
            Column("rank", say(en="Rank", zh="排名"), "int"),
            Column("name", say(en="Hotspot", zh="热点")),
            Column("country", say(en="Country", zh="国家/地区")),
            Column("weight", say(en="Families (fractional)", zh="专利族（分数计数）"), "float"),
            Column("share", say(en="Share of the field", zh="占本领域比例"), "pct"),
            Column("parties", say(en="Leading applicants there", zh="当地主要申请人")),
            Column("latitude", say(en="Latitude", zh="纬度"), "float"),
            Column("longitude", say(en="Longitude", zh="经度"), "float"),
        ),
        tuple(
            (
                c.rank,
                c.name,
                country_name(c.countries[0][0], ctx.lang) if c.countries else "",
                round(c.weight, 2),
                c.share,
                "; ".join(name for name, _ in c.top_parties[:3]),
                round(c.lat, 4),
                round(c.lon, 4),
            )
            for c in top
        ),
    )
    chart = None
    if clusters:
        chart = Chart(
            geo.cluster_map_svg(clusters[:MAP_CLUSTERS]),
            say(
                en="Map of the field's hotspots, sized by fractional families",
                zh="本领域创新热点分布图（圆圈大小表示分数计数的专利族）",
            ),
        )
    return Hotspots(
        paragraphs=(paragraph(ctx.lang, top),) if top else (),
        tables=(table,) if top else (),
        chart=chart,
        notes=(
            say(
                en="Hotspots: density clusters (DBSCAN on located inventor places) of "
                "ipops.geo; a family's weight is shared among its inventors.",
                zh="创新热点：ipops.geo 对已定位发明人地点做密度聚类（DBSCAN）得到；"
                "每个专利族的权重由其发明人平均分摊。",
            ),
        )
        if top
        else (),
    )


def paragraph(lang: str, top: list[geo.Cluster]) -> str:
    first = top[0]
    names = [c.name for c in top[:5]]
    together = sum(c.share for c in top[:5])
    if lang == "zh":
        return (
            f"本领域最大的创新热点是{first.name}"
            f"（{num(first.weight, 1)}项，占{share(first.share)}）；"
            f"前五个热点（{listing(lang, names)}）合计占{share(together)}。"
        )
    return (
        f"The field's largest hotspot is {first.name} ({num(first.weight, 1)} families, "
        f"{share(first.share)}); the first five ({listing(lang, names)}) hold "
        f"{share(together)} of it."
    )
