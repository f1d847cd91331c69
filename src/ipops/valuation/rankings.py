"""Rankings and one patent's value card: the best-scored patents of a run (of a field, an
IPC prefix or a party), and one patent's indicators, percentiles and PVD explained."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy.orm import Session

from ipops.corpus.queries import fetch_dicts, fetch_value, resolve_patent_id
from ipops.corpus.store import CorpusStore
from ipops.errors import NotFound, ValidationError
from ipops.records import Record
from ipops.valuation import term
from ipops.valuation.availability import reason_of, universe_of
from ipops.valuation.fields import fields
from ipops.valuation.indicator_sql import (
    IndicatorOptions,
)
from ipops.valuation.indicators import (
    EngineSettings,
    StepCallback,
    compute_indicators,
)
from ipops.valuation.runs import ScoreRun, ensure_scores
from ipops.valuation.schemes import Scheme
from ipops.valuation.scoring import Explanation, explain


class LegalTermFacts(Record):
    """The expiry of a patent's legal term and how it was reached (both languages)."""

    expiry: date | None
    term_years: int | None
    rule: str | None  # the term rule applied, e.g. cn_invention
    basis: str | None  # filing | priority | pct | grant ...
    basis_date: date | None
    adjustment_days: int | None  # US patent term adjustment
    disclaimer: str | None
    upper_bound: bool  # the expiry is at most this (facts were missing)
    remaining_years: float | None
    how: str
    how_zh: str


class FamilyFacts(Record):
    """The offices of a patent's family and where they were read from."""

    size: int | None
    basis: str | None
    offices: str | None  # office codes, space-separated


class ForwardCitations(Record):
    """Forward citations with the universe they were counted over and the window's cap."""

    count: int | None
    within_window: int | None
    window_end: date | None
    window_capped: bool | None
    universe: str  # loaded | corpus | none
    universe_start: date | None
    universe_end: date | None
    universe_documents: int | None
    universe_text: str
    universe_text_zh: str
    reason: str | None  # why the count is unknown


@dataclass(frozen=True)
class PatentValue:
    patent_id: str
    title: str | None
    snapshot_id: str
    as_of: date
    scheme: str
    scheme_digest: str
    indicators: dict[str, Any]  # the patent's row of indicators.parquet
    explanation: Explanation

    @property
    def term(self) -> LegalTermFacts:
        return term_of_row(self.indicators)

    @property
    def family(self) -> FamilyFacts:
        return FamilyFacts(
            size=self.indicators.get("family_size"),
            basis=self.indicators.get("family_basis"),
            offices=self.indicators.get("family_offices"),
        )

    @property
    def forward_citations(self) -> ForwardCitations:
        return forward_of_row(self.indicators)

    def as_dict(self) -> dict[str, Any]:
        field = fields().get(self.indicators.get("field") or 0)
        return {
            "patent_id": self.patent_id,
            "title": self.title,
            "snapshot_id": self.snapshot_id,
            "as_of": self.as_of,
            "scheme": self.scheme,
            "scheme_digest": self.scheme_digest,
            "field": None if field is None else asdict(field),
            "cohort": self.indicators.get("cohort"),
            "cohort_size": self.indicators.get("cohort_size"),
            "cohort_level": self.indicators.get("cohort_level"),
            "kind": self.indicators.get("kind"),
            "status": self.indicators.get("status"),
            "status_basis": self.indicators.get("status_basis"),
            "term": self.term,
            "family": self.family,
            "forward_citations": self.forward_citations,
            "pvd": self.explanation.pvd,
            "degrees": [asdict(d) for d in self.explanation.degrees],
            "indicators": [asdict(line) for line in self.explanation.lines],
            "unavailable": list(self.explanation.unavailable),
            "notes": list(self.explanation.notes()),
            "notes_zh": list(self.explanation.notes(zh=True)),
        }


def term_of_row(row: dict[str, Any]) -> LegalTermFacts:
    """The expiry of an indicators row and how it was reached (both languages)."""
    parts: dict[str, Any] = {
        "rule": row.get("term_rule"),
        "basis": row.get("term_basis"),
        "basis_date": row.get("term_basis_date"),
        "adjustment_days": row.get("term_adjustment_days"),
        "disclaimer": row.get("term_disclaimer"),
    }
    return LegalTermFacts(
        expiry=row.get("term_end"),
        term_years=row.get("term_years"),
        **parts,
        upper_bound=bool(row.get("term_upper_bound")),
        remaining_years=row.get("remaining_term"),
        how=term.how_text(**parts),
        how_zh=term.how_text(**parts, zh=True),
    )


def forward_of_row(row: dict[str, Any]) -> ForwardCitations:
    """Forward citations with the universe they were counted over and the window's cap."""
    universe = universe_of(row)
    return ForwardCitations(
        count=row.get("fwd_citations"),
        within_window=row.get("fwd_citations_5y"),
        window_end=row.get("fwd_window_end"),
        window_capped=row.get("fwd_window_capped"),
        universe=universe.kind,
        universe_start=universe.start,
        universe_end=universe.end,
        universe_documents=universe.documents,
        universe_text=universe.describe(),
        universe_text_zh=universe.describe(zh=True),
        reason=reason_of(row, "fwd_citations"),
    )


def patent_value(
    store: CorpusStore,
    root: Path,
    number: str,
    scheme: Scheme,
    options: IndicatorOptions,
    *,
    engine: EngineSettings | None = None,
    progress: StepCallback | None = None,
) -> PatentValue:
    """One patent's indicators, percentiles, weights, contributions, degrees and PVD."""
    with store.connect() as con:
        patent_id = resolve_patent_id(con, number)
        title = fetch_value(con, "SELECT title FROM patents WHERE patent_id = ?", [patent_id])
    indicators = compute_indicators(store, root, options, engine=engine, progress=progress)
    with duckdb.connect() as con:
        rows = fetch_dicts(
            con,
            "SELECT * FROM read_parquet(?) WHERE patent_id = ?",
            [str(indicators.path), patent_id],
        )
    if not rows:
        raise NotFound(f"no indicators for {patent_id}; run `ipops value score`", field="number")
    return PatentValue(
        patent_id=patent_id,
        title=None if title is None else str(title),
        snapshot_id=indicators.snapshot_id,
        as_of=indicators.as_of,
        scheme=scheme.label(),
        scheme_digest=scheme.digest,
        indicators=rows[0],
        explanation=explain(rows[0], scheme),
    )


@dataclass(frozen=True)
class RankFilter:
    field: int | None = None
    ipc: str | None = None  # symbol prefix, e.g. "F24F" or "F24F 11"
    party: str | None = None  # part of an applicant/assignee name, or an entity id

    def check(self) -> None:
        if self.field is not None and self.field not in fields():
            raise ValidationError(f"no WIPO field {self.field}; fields are 1-35", field="field")


class RankedPatent(Record):
    """One patent of a ranking: its rank, PVD and degree scores (two decimals), field,
    main IPC symbol, filing year, status and parties."""

    rank: int
    patent_id: str
    title: str | None
    field: int | None  # WIPO technology field, 1-35
    main_symbol: str | None
    filing_year: int | None
    status: str | None
    pvd: float | None
    legal: float | None
    technical: float | None
    economic: float | None
    parties: str | None  # distinct applicant/assignee names, "; "-joined


def top_patents(
    store: CorpusStore,
    run: ScoreRun,
    *,
    where: RankFilter | None = None,
    limit: int = 20,
) -> list[RankedPatent]:
    """The best-scored patents of a run, optionally of one field, IPC prefix or party."""
    where = where or RankFilter()
    where.check()
    if limit < 1:
        raise ValidationError("must be 1 or more", field="n")
    conditions, params = _rank_conditions(where)
    sql = f"""
WITH best AS (
    SELECT s.patent_id, s.pvd, s.legal, s.technical, s.economic,
           i.field, i.main_symbol, i.filing_year, i.status
    FROM read_parquet(?) s
    JOIN read_parquet(?) i ON i.patent_id = s.patent_id
    WHERE s.pvd IS NOT NULL {conditions}
    ORDER BY s.pvd DESC, s.patent_id
    LIMIT ?
)
SELECT CAST(row_number() OVER (ORDER BY b.pvd DESC, b.patent_id) AS INTEGER) AS rank,
       b.patent_id, p.title, b.field, b.main_symbol, b.filing_year, b.status,
       round(b.pvd, 2) AS pvd, round(b.legal, 2) AS legal,
       round(b.technical, 2) AS technical, round(b.economic, 2) AS economic,
       (SELECT string_agg(DISTINCT a.name, '; ' ORDER BY a.name) FROM parties a
        WHERE a.patent_id = b.patent_id) AS parties
FROM best b
LEFT JOIN patents p ON p.patent_id = b.patent_id
ORDER BY rank"""
    with store.connect() as con:
        rows = fetch_dicts(
            con, sql, [str(run.scores_path), str(run.indicators_path), *params, limit]
        )
    return [RankedPatent(**row) for row in rows]


def _rank_conditions(where: RankFilter) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if where.field is not None:
        parts.append("AND i.field = ?")
        params.append(where.field)
    if where.ipc:
        parts.append(
            "AND s.patent_id IN (SELECT patent_id FROM classifications "
            "WHERE scheme IN ('IPC', 'CPC') AND starts_with(replace(symbol, ' ', ''), ?))"
        )
        params.append(where.ipc.upper().replace(" ", ""))
    if where.party:
        parts.append(
            "AND s.patent_id IN (SELECT patent_id FROM parties WHERE "
            "contains(lower(name), lower(?)) OR contains(lower(name_normalized), lower(?)) "
            "OR entity_id = ?)"
        )
        params.extend([where.party, where.party, where.party])
    return " ".join(parts), params


@dataclass(frozen=True)
class Ranking:
    """The run the ranking was read from and its best patents, best first."""

    run: ScoreRun
    patents: tuple[RankedPatent, ...]


def rank_patents(
    *,
    store: CorpusStore,
    root: Path,
    scheme: Scheme,
    options: IndicatorOptions,
    where: RankFilter | None = None,
    n: int = 20,
    db_session: Session | None = None,
    progress: StepCallback | None = None,
) -> Ranking:
    """The ``n`` best-scored patents under ``scheme`` (scored first when the current snapshot
    has no reusable run; the run is recorded in ``db_session`` when given)."""
    where = where or RankFilter()
    where.check()
    run = ensure_scores(store, root, scheme, options, db_session=db_session, progress=progress)
    return Ranking(run=run, patents=tuple(top_patents(store, run, where=where, limit=n)))
