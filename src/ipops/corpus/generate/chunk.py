"""One chunk of generated patents: parties, inventors, classifications, citations, events."""

from __future__ import annotations

import bisect
import itertools

import numpy as np

from ipops.corpus.generate.applicants import _Applicants, _Entity
from ipops.corpus.generate.history import _legal_history, _Life
from ipops.corpus.generate.params import (
    INTERNATIONAL_TEAM_SHARE,
    MIN_FIELD_POOL,
    PRIOR_ART_GAP_DAYS,
    SOURCE,
    TEAM_SIZE_SHARES,
    WITHIN_FIELD_CITATIONS,
    BoolArray,
    FloatArray,
    IntArray,
)
from ipops.corpus.generate.people import _person, _pick
from ipops.corpus.generate.rows import (
    _classification_rows,
    _first_distinct,
    _inventor_place,
    _inventor_row,
    _partner,
    _party_row,
    _person_named,
    _symbol,
    _weighted_below,
)
from ipops.corpus.generate.skeleton import (
    _application_id,
    _cn_check_characters,
    _dates,
    _kinds,
    _offices,
    _Skeleton,
    _year_of,
)
from ipops.corpus.generate.texts import _abstract, _npl_text, _title
from ipops.corpus.generate.vocabulary import (
    _CATEGORIES,
    _FIELDS,
    _KIND_CUMULATIVE,
    CN_INVENTION,
    CN_UTILITY,
    INDIVIDUAL,
    ORIGINS,
    SMALL_FIRM,
    UNIVERSITY,
    US,
)
from ipops.corpus.records import Chunk
from ipops.corpus.schema import Row

# =========================================================================== one chunk


class _ChunkBuilder:
    """Builds the rows of the patents ``index`` (consecutive) into one Chunk."""

    def __init__(
        self,
        skeleton: _Skeleton,
        applicants: _Applicants,
        rng: np.random.Generator,
        index: IntArray,
    ) -> None:
        self.skeleton = skeleton
        self.applicants = applicants
        self.rng = rng
        self.index = index
        self.facts = skeleton.facts(index)
        offices = _offices(self.facts)
        numbers = skeleton.publication_numbers(self.facts).tolist()
        self.offices = offices
        self.patent_ids = [f"{o}{n}" for o, n in zip(offices, numbers, strict=True)]
        self.chinese = [office == "CN" for office in offices]
        self.fields = skeleton.field[index].astype(np.int64).tolist()
        self.categories = self.facts.category.tolist()
        self.origins = [ORIGINS[o] for o in self.facts.origin.tolist()]
        self.application_ids = self._application_ids()

    def build(self) -> Chunk:
        applicants = self._applicants()
        events, statuses, new_owners = self._events(applicants)
        rows = {
            "patents": self._patents(statuses),
            "applications": self._applications(),
            "parties": self._parties(applicants, new_owners),
            "inventors": self._inventors(applicants),
            "classifications": self._classifications(),
            "citations": self._citations(),
            "events": events,
        }
        return Chunk(rows=rows, records_read=len(self.index))

    # ------------------------------------------------------------------ applicants

    def _applicant_kinds(self) -> list[int]:
        groups = []
        for category, origin in zip(self.categories, self.origins, strict=True):
            if origin != "CN":
                groups.append("other")
            elif category == CN_INVENTION:
                groups.append("cn_invention")
            elif category == CN_UTILITY:
                groups.append("cn_utility")
            else:
                groups.append("cn_abroad")
        u = self.rng.random(len(groups)).tolist()
        return [
            min(bisect.bisect_right(_KIND_CUMULATIVE[group], draw), INDIVIDUAL)
            for group, draw in zip(groups, u, strict=True)
        ]

    def _applicants(self) -> list[list[_Entity]]:
        """One or two applicants per patent (co-applicants are often a university)."""
        kinds = self._applicant_kinds()
        draws = self.rng.random((len(kinds), 9)).tolist()
        chosen: list[list[_Entity]] = []
        for kind, origin, field, u in zip(kinds, self.origins, self.fields, draws, strict=True):
            first = self.applicants.choose(origin, field, kind, u)
            team = [first]
            if kind != INDIVIDUAL and u[7] < 0.08:
                partner_kind = SMALL_FIRM if kind == UNIVERSITY else UNIVERSITY
                second = self.applicants.choose(origin, field, partner_kind, [u[8], *u[1:]])
                if second.name_en != first.name_en:
                    team.append(second)
            chosen.append(team)
        return chosen

    def _parties(
        self, applicants: list[list[_Entity]], new_owners: list[_Entity | None]
    ) -> list[Row]:
        rows: list[Row] = []
        for patent_id, chinese, team, owner in zip(
            self.patent_ids, self.chinese, applicants, new_owners, strict=True
        ):
            for sequence, entity in enumerate(team):
                rows.append(_party_row(patent_id, sequence, "applicant", entity, chinese))
            if owner is not None:
                rows.append(_party_row(patent_id, 0, "assignee", owner, chinese))
        return rows

    # ------------------------------------------------------------------ inventors

    def _team_sizes(self) -> list[int]:
        shares = np.array(TEAM_SIZE_SHARES) / sum(TEAM_SIZE_SHARES)
        sizes = self.rng.choice(np.arange(1, len(shares) + 1), size=len(self.index), p=shares)
        return list(sizes.tolist())

    def _inventors(self, applicants: list[list[_Entity]]) -> list[Row]:
        """Teams living mostly where their applicant is; some with members abroad."""
        sizes = self._team_sizes()
        team_share = 1.0 - TEAM_SIZE_SHARES[0] / sum(TEAM_SIZE_SHARES)
        international = self.rng.random(len(sizes)) < INTERNATIONAL_TEAM_SHARE / team_share
        partner_u = self.rng.random((len(sizes), 2)).tolist()
        person_u = iter(self.rng.random((sum(sizes), 6)).tolist())
        rows: list[Row] = []
        for k, (size, abroad) in enumerate(zip(sizes, international.tolist(), strict=True)):
            applicant = applicants[k][0]
            home = applicant.place.country
            partner, away = _partner(home, size, partner_u[k]) if abroad and size > 1 else (home, 0)
            for sequence, u in enumerate(itertools.islice(person_u, size)):
                country = partner if sequence >= size - away else home
                if sequence == 0 and applicant.kind == INDIVIDUAL:
                    person, place = (
                        _person_named(applicant, chinese=self.chinese[k]),
                        applicant.place,
                    )
                else:
                    person = _person(country, self.offices[k], u)
                    place = _inventor_place(applicant, country, u[4:6])
                rows.append(_inventor_row(self.patent_ids[k], sequence, person, place))
        return rows

    # ------------------------------------------------------------------ classifications

    def _classifications(self) -> list[Row]:
        n = len(self.index)
        extra_counts = np.minimum(self.rng.poisson(1.3, n), 6).tolist()
        u = self.rng.random((n, 16)).tolist()
        rows: list[Row] = []
        for k in range(n):
            field = self.fields[k]
            symbols = [_symbol(field, u[k][0])]
            for e in range(extra_counts[k]):
                which = u[k][1 + 2 * e]
                other = field if which < 0.7 else _pick(range(len(_FIELDS)), (which - 0.7) / 0.3)
                symbols.append(_symbol(other, u[k][2 + 2 * e]))
            symbols = list(dict.fromkeys(symbols))
            rows.extend(_classification_rows(self.patent_ids[k], "IPC", symbols))
            if self.categories[k] == US:
                extra = _FIELDS[field].cpc_extra
                cpc = symbols + ([_pick(extra, u[k][15])] if extra and u[k][14] < 0.5 else [])
                rows.extend(_classification_rows(self.patent_ids[k], "CPC", cpc))
        return rows

    # ------------------------------------------------------------------ citations

    def _citations(self) -> list[Row]:
        """Patent citations, then non-patent literature, patent by patent."""
        per_patent: list[list[Row]] = [[] for _ in range(len(self.index))]
        citing, cited = self._cited_patents()
        for k, row in zip(citing.tolist(), self._patent_citation_rows(citing, cited), strict=True):
            per_patent[k].append(row)
        for k, row in self._npl_rows():
            per_patent[k].append(row)
        rows: list[Row] = []
        for patent_rows in per_patent:
            for sequence, row in enumerate(patent_rows):
                row["sequence"] = sequence
            rows.extend(patent_rows)
        return rows

    def _citation_targets(self) -> IntArray:
        medians = np.array([c.citations_median for c in _CATEGORIES])[self.facts.category]
        drawn = medians * np.exp(0.6 * self.rng.standard_normal(len(self.index)))
        targets: IntArray = np.clip(np.rint(drawn), 5, 50).astype(np.int64)
        return targets

    def _cited_patents(self) -> tuple[IntArray, IntArray]:
        """(citing position in chunk, cited index) pairs, earlier patents only, no repeats."""
        skeleton = self.skeleton
        filing = self.facts.filing
        prefix = np.searchsorted(skeleton.filing_day, filing - PRIOR_ART_GAP_DAYS, side="left")
        prefix = np.minimum(prefix, self.index)
        if prefix.max(initial=0) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        targets = np.where(prefix > 0, self._citation_targets(), 0)
        draws = np.ceil(targets * 1.5).astype(np.int64)
        citing = np.repeat(np.arange(len(self.index)), draws)
        if len(citing) == 0:
            return citing, citing.copy()
        weights = skeleton.citation_weights(int(prefix.max()), float(np.median(filing)))
        cited = self._draw_cited(citing, prefix[citing], weights)
        valid = self._published_before(cited, filing[citing])
        citing, cited = citing[valid], cited[valid]
        keep = _first_distinct(citing, cited, targets, self.rng)
        citing, cited = citing[keep], cited[keep]
        np.add.at(skeleton.cites_received, cited, 1)
        return citing, cited

    def _draw_cited(self, citing: IntArray, prefix: IntArray, weights: FloatArray) -> IntArray:
        """Cited indices below each ``prefix``, with chance proportional to ``weights``."""
        r = self.rng.random(len(citing))
        cited = _weighted_below(np.cumsum(weights), prefix, r)
        within = self.rng.random(len(citing)) < WITHIN_FIELD_CITATIONS
        citing_field = self.skeleton.field[self.index[citing]]
        for field, members in enumerate(self.skeleton.field_members):
            chosen = within & (citing_field == field)
            if not chosen.any():
                continue
            below = np.searchsorted(members, prefix[chosen], side="left")
            usable = below >= MIN_FIELD_POOL
            top = int(below.max(initial=0))
            if top == 0:
                continue
            field_cumulative = np.cumsum(weights[members[:top]])
            picks = _weighted_below(field_cumulative, np.maximum(below, 1), r[chosen])
            positions = np.flatnonzero(chosen)[usable]
            cited[positions] = members[picks[usable]]
        return cited

    def _published_before(self, cited: IntArray, citing_filing: IntArray) -> BoolArray:
        facts = self.skeleton.facts(cited)
        published: BoolArray = facts.record_day() < citing_filing
        return published

    def _patent_citation_rows(self, citing: IntArray, cited: IntArray) -> list[Row]:
        if len(cited) == 0:
            return []
        unique, inverse = np.unique(cited, return_inverse=True)
        facts = self.skeleton.facts(unique)
        offices = _offices(facts)
        numbers = self.skeleton.publication_numbers(facts).tolist()
        ids = [f"{o}{n}" for o, n in zip(offices, numbers, strict=True)]
        grant_kind = [_CATEGORIES[c].grant_kind for c in facts.category.tolist()]
        app_kind = [_CATEGORIES[c].application_kind for c in facts.category.tolist()]
        citing_filing = self.facts.filing[citing]
        as_granted = facts.granted[inverse] & (facts.grant[inverse] < citing_filing)
        own = np.array([_CATEGORIES[c].own_grant_number for c in facts.category.tolist()])
        as_granted |= own[inverse] & facts.granted[inverse]
        cited_day = np.where(as_granted, facts.grant[inverse], facts.publication[inverse])
        examiner_shares = np.array([c.examiner_share for c in _CATEGORIES])
        examiner_share = examiner_shares[self.facts.category[citing]]
        by_examiner = (self.rng.random(len(citing)) < examiner_share).tolist()
        relevance_u = self.rng.random(len(citing)).tolist()
        rows: list[Row] = []
        for k, j, granted_doc, day, examiner, ru in zip(
            citing.tolist(), inverse.tolist(), as_granted.tolist(), _dates(cited_day),
            by_examiner, relevance_u, strict=True,
        ):  # fmt: skip
            searched = examiner and self.offices[k] != "US"
            rows.append({
                "patent_id": self.patent_ids[k],
                "category": "patent",
                "cited_office": offices[j],
                "cited_number": ids[j][2:],
                "cited_kind": grant_kind[j] if granted_doc else app_kind[j],
                "cited_patent_id": ids[j],
                "cited_date": day,
                "cited_by": "examiner" if examiner else "applicant",
                "relevance": ("X" if ru < 0.15 else "Y" if ru < 0.3 else "A") if searched else None,
            })  # fmt: skip
        return rows

    def _npl_rows(self) -> list[tuple[int, Row]]:
        means = np.array([c.npl_mean for c in _CATEGORIES])[self.facts.category]
        counts = self.rng.poisson(means).tolist()
        years = _year_of(self.facts.filing).tolist()
        draws = iter(self.rng.random((sum(counts), 11)).tolist())
        rows: list[tuple[int, Row]] = []
        for k, count in enumerate(counts):
            for u in itertools.islice(draws, count):
                text = _npl_text(_FIELDS[self.fields[k]], self.chinese[k], years[k], u)
                rows.append((k, {"patent_id": self.patent_ids[k], "category": "npl",
                                 "cited_by": "examiner" if u[10] < 0.6 else "applicant",
                                 "npl_text": text}))  # fmt: skip
        return rows

    # ------------------------------------------------------------------ events

    def _events(
        self, applicants: list[list[_Entity]]
    ) -> tuple[list[Row], list[str], list[_Entity | None]]:
        n = len(self.index)
        draws = self.rng.random((n, 24)).tolist()
        exponential = self.rng.exponential(size=n).tolist()
        snapshot = self.skeleton.settings.snapshot_day
        granted = self.facts.granted.tolist()
        filing = self.facts.filing.tolist()
        grant = self.facts.grant.tolist()
        events: list[Row] = []
        statuses: list[str] = []
        owners: list[_Entity | None] = []
        for k in range(n):
            if not granted[k]:
                recent = snapshot - filing[k] < 5 * 365
                statuses.append("pending" if recent else "unknown")
                owners.append(None)
                continue
            life = _Life(
                patent_id=self.patent_ids[k],
                category=_CATEGORIES[self.categories[k]],
                field=self.fields[k],
                origin=self.origins[k],
                chinese=self.chinese[k],
                owner=applicants[k][0],
                filing=filing[k],
                grant=grant[k],
                snapshot=snapshot,
            )
            history = _legal_history(life, draws[k], exponential[k], self.applicants)
            events.extend(history.rows)
            statuses.append(history.status)
            owners.append(history.new_owner)
        return events, statuses, owners

    # ------------------------------------------------------------------ patents

    def _patents(self, statuses: list[str]) -> list[Row]:
        facts = self.facts
        n = len(self.index)
        claims, independent = self._claims()
        kinds = _kinds(facts)
        granted = facts.granted.tolist()
        record_days = _dates(facts.record_day())
        filing, priority = _dates(facts.filing), _dates(facts.priority)
        grant = _dates(facts.grant)
        family = facts.family_size.tolist()
        text_u = self.rng.random((n, 10)).tolist()
        rows: list[Row] = []
        for k in range(n):
            field = _FIELDS[self.fields[k]]
            utility = self.categories[k] == CN_UTILITY
            title = _title(field, self.chinese[k], utility, text_u[k])
            rows.append({
                "patent_id": self.patent_ids[k],
                "office": self.offices[k],
                "number": self.patent_ids[k][2:],
                "kind": kinds[k],
                "doc_type": "grant" if granted[k] else "application",
                "patent_type": _CATEGORIES[self.categories[k]].patent_type,
                "application_id": self.application_ids[k][0],
                "title": title,
                "abstract": _abstract(field, self.chinese[k], utility, title, text_u[k][5:]),
                "filing_date": filing[k],
                "priority_date": priority[k],
                "publication_date": record_days[k],
                "grant_date": grant[k] if granted[k] else None,
                "claims_count": claims[k],
                "independent_claims_count": independent[k],
                "family_id": f"GF{int(self.index[k]) + 1:09d}",
                "family_size": family[k],
                "legal_status": statuses[k],
                "generated": True,
                "source": SOURCE,
            })  # fmt: skip
        return rows

    def _claims(self) -> tuple[list[int], list[int]]:
        medians = np.array([c.claims_median for c in _CATEGORIES])[self.facts.category]
        drawn = medians * np.exp(0.45 * self.rng.standard_normal(len(self.index)))
        claims = np.clip(np.rint(drawn), 1, 30).astype(np.int64)
        independent = self.rng.choice([1, 2, 3, 4], size=len(claims), p=[0.55, 0.28, 0.12, 0.05])
        return claims.tolist(), np.minimum(independent, claims).tolist()

    def _application_ids(self) -> list[tuple[str, str, str | None]]:
        numbers = self.skeleton.application_numbers(self.facts)
        years = _year_of(self.facts.filing).tolist()
        checks = _cn_check_characters(numbers)
        return [
            _application_id(*parts)
            for parts in zip(self.categories, numbers.tolist(), years, checks, strict=True)
        ]

    def _applications(self) -> list[Row]:
        filing = _dates(self.facts.filing)
        rows: list[Row] = []
        for k, (application_id, number, series) in enumerate(self.application_ids):
            rows.append({
                "application_id": application_id,
                "office": self.offices[k],
                "number": number,
                "filing_date": filing[k],
                "application_type": _CATEGORIES[self.categories[k]].application_type,
                "series_code": series,
                "patent_id": self.patent_ids[k],
                "generated": True,
            })  # fmt: skip
        return rows
