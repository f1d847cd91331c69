"""High-value screening: valid invention patents meeting any of CNIPA's five conditions,
with the reasons and their evidence (the rules are in ``highvalue``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ipops.corpus.queries import fetch_dicts
from ipops.corpus.store import CorpusStore
from ipops.money import to_decimal
from ipops.valuation.highvalue import (
    DEFAULT_PLEDGE_THRESHOLD,
    Award,
    FixedPledgeAmounts,
    HighValueRules,
    PledgeAmounts,
    Reason,
    awards_table,
    default_strategic_list,
    evidence_of,
    high_value_sql,
    pledges_table,
    read_awards,
    read_pledge_amounts,
    read_strategic_list,
    reasons_of,
    strategic_table,
)
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import (
    IndicatorsFile,
    StepCallback,
    compute_indicators,
    sql_text,
)
from ipops.valuation.money import Number


@dataclass(frozen=True)
class HighValuePatent:
    patent_id: str
    title: str | None
    office: str
    filing_date: date | None
    status: str
    status_basis: str
    reasons: tuple[Reason, ...]
    evidence: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        payload = asdict(self)
        payload["reasons"] = [str(r) for r in self.reasons]
        return payload


@dataclass(frozen=True)
class HighValueReport:
    snapshot_id: str
    as_of: date
    valid_inventions: int
    high_value: int
    by_reason: dict[str, int]
    pledged_without_amount: int
    patents: tuple[HighValuePatent, ...]
    strategic_list: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "as_of": self.as_of,
            "valid_inventions": self.valid_inventions,
            "high_value": self.high_value,
            "by_reason": self.by_reason,
            "pledged_without_amount": self.pledged_without_amount,
            "strategic_list": self.strategic_list,
            "patents": [p.as_dict() for p in self.patents],
        }


def screen_high_value(
    store: CorpusStore,
    indicators: IndicatorsFile,
    rules: HighValueRules,
    *,
    awards: tuple[Award, ...] = (),
    pledges: PledgeAmounts | None = None,
    limit: int | None = None,
    strategic_list: str = "builtin starter list",
) -> HighValueReport:
    """Valid invention patents meeting any of CNIPA's five conditions, with the reasons."""
    amounts = (pledges or FixedPledgeAmounts()).amounts()
    with store.connect() as con:
        con.register("hv_strategic", strategic_table(rules.strategic))
        con.register("hv_awards", awards_table(awards))
        con.register("hv_pledges", pledges_table(amounts))
        source = sql_text(str(indicators.path))
        con.execute(f"CREATE TEMP VIEW ind AS SELECT * FROM read_parquet('{source}')").fetchall()
        con.execute(f"CREATE TEMP TABLE hv AS {high_value_sql(rules)}").fetchall()
        summary = fetch_dicts(con, _HV_SUMMARY)[0]
        rows = fetch_dicts(
            con,
            "SELECT hv.*, p.title FROM hv LEFT JOIN patents p USING (patent_id) "
            f"WHERE {_HV_ANY} ORDER BY hv.filing_date, hv.patent_id"
            + ("" if limit is None else f" LIMIT {int(limit)}"),
        )
    patents = tuple(_high_value_patent(row) for row in rows)
    return HighValueReport(
        snapshot_id=indicators.snapshot_id,
        as_of=rules.as_of,
        valid_inventions=int(summary["valid"]),
        high_value=int(summary["high_value"]),
        by_reason={str(r): int(summary[str(r)]) for r in Reason},
        pledged_without_amount=int(summary["pledged_without_amount"]),
        patents=patents,
        strategic_list=strategic_list,
    )


_HV_ANY = (
    "(strategic_industries IS NOT NULL OR overseas_family OR maintained OR pledge_high "
    "OR awards IS NOT NULL)"
)
_HV_SUMMARY = f"""
SELECT count(*) AS valid, count(*) FILTER (WHERE {_HV_ANY}) AS high_value,
       count(strategic_industries) AS {Reason.STRATEGIC_EMERGING},
       count(*) FILTER (WHERE overseas_family) AS {Reason.OVERSEAS_FAMILY},
       count(*) FILTER (WHERE maintained) AS {Reason.MAINTAINED_10_YEARS},
       count(*) FILTER (WHERE pledge_high) AS {Reason.PLEDGE_FINANCING},
       count(awards) AS {Reason.NATIONAL_AWARD},
       count(*) FILTER (WHERE pledged AND pledge_amount_fen IS NULL) AS pledged_without_amount
FROM hv"""


def _high_value_patent(row: dict[str, Any]) -> HighValuePatent:
    reasons = reasons_of(row)
    return HighValuePatent(
        patent_id=str(row["patent_id"]),
        title=row.get("title"),
        office=str(row["office"]),
        filing_date=row.get("filing_date"),
        status=str(row["status"]),
        status_basis=str(row["status_basis"]),
        reasons=reasons,
        evidence={str(r): evidence_of(row, r) for r in reasons},
    )


def workspace_awards(root: Path) -> tuple[Award, ...]:
    """The user-maintained national award list (``<workspace>/valuation/national_awards.csv``)."""
    return awards_file(root / "national_awards.csv")


def awards_file(path: Path) -> tuple[Award, ...]:
    """An award list CSV (patent,award,year); none when the file is not there."""
    if not path.exists():
        return ()
    return read_awards(path.read_text("utf-8"), origin=str(path))


def high_value_patents(
    *,
    store: CorpusStore,
    root: Path,
    options: IndicatorOptions,
    pledge_threshold: Number = DEFAULT_PLEDGE_THRESHOLD,
    presume_in_force: bool = True,
    strategic_file: Path | None = None,
    awards_path: Path | None = None,
    pledges_path: Path | None = None,
    limit: int | None = None,
    progress: StepCallback | None = None,
) -> HighValueReport:
    """The high-value screening as of ``options.as_of``: by default the built-in strategic
    list, the workspace's award list and no pledge amounts but those on record."""
    rules = HighValueRules(
        as_of=options.as_of,
        pledge_threshold=to_decimal(pledge_threshold, "pledge-threshold"),
        presume_in_force=presume_in_force,
        strategic=(
            read_strategic_list(strategic_file.read_text("utf-8"), origin=str(strategic_file))
            if strategic_file
            else default_strategic_list()
        ),
    )
    awards = workspace_awards(root) if awards_path is None else awards_file(awards_path)
    pledges = (
        read_pledge_amounts(pledges_path.read_text("utf-8"), origin=str(pledges_path))
        if pledges_path
        else None
    )
    indicators = compute_indicators(store, root, options, progress=progress)
    return screen_high_value(
        store,
        indicators,
        rules,
        awards=awards,
        pledges=pledges,
        limit=limit,
        strategic_list=str(strategic_file) if strategic_file else "builtin starter list",
    )
