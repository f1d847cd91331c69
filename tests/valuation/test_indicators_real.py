"""Indicators on the 421 real USPTO grants, checked against the XML they were loaded from.

How the expected values are worked out: the test reads the same weekly XML files itself with
lxml (not with ipops' parser) and, for each grant, counts the ``us-citation``/``citation``
elements holding a ``patcit`` (backward patent citations) or an ``nplcit`` (non-patent),
collects the distinct IPC subclasses (IPCR section + class + subclass, or the first four
characters of an IPC 7 string in the 2005 file: the scope) and reads the application filing
date, the grant date and the term facts (``term_facts``: continuity parents, PCT dates, term
extension, disclaimer, design length). The expiry is then ``term.expiry`` of those facts
(the rules are checked by hand in test_term.py), the remaining term counted in days from the
as-of date 2025-01-01 and divided by 365.25: ingest's related-documents and term tables must
give the same date for every grant. A few named grants are also spelled out as literals
below (checked by hand against the XML with grep).

Every grant is a citing document (its references are printed on it), and none of the 421
cites another one, so forward citations are 0 over that universe of 421 grants published
2005-01-04 to 2013-04-16, reported with it; originality (which needs the classes of cited
corpus patents) is null for every grant; the second test adds records for cited and citing
patents to check those by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from builders import AS_OF, Workspace, ipc, patent, real_grants_xml
from lxml import etree

from ipops.corpus.formats import uspto_xml
from ipops.valuation.catalogue import PERCENTILE_NAMES, pct_column
from ipops.valuation.fields import field_of
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import compute_indicators
from ipops.valuation.legal_terms import legal_term
from ipops.valuation.term import Related, TermFacts, expiry

pytestmark = pytest.mark.realdata
OPTIONS = IndicatorOptions(as_of=AS_OF)


@dataclass(frozen=True)
class FromXml:
    filed: date
    granted: date
    patent_citations: int
    npl_citations: int
    subclasses: frozenset[str]
    claims: int
    term: TermFacts


_RELATIONS = {"continuation": "continuation", "division": "division",
              "continuation-in-part": "continuation_in_part", "reissue": "reissue"}  # fmt: skip


def term_facts(biblio: Any, filed: date, granted: date, design: bool) -> TermFacts:
    """What the term rules need, read straight from the XML: each related application's
    filing date (``us-related-documents/<relation>/relation/parent-doc/document-id/date``)
    and, when that parent was a national stage, its PCT filing date
    (``parent-doc/parent-pct-document/document-id/date``, e.g. US8420021: a division of
    the national stage of PCT/JP2008/062636 filed 2008-07-12, so it ends 2028-07-12),
    the PCT filing date, ``us-term-extension`` days, a ``disclaimer`` and ``length-of-grant``.
    """
    related = []
    for tag, relation in _RELATIONS.items():
        for parent in biblio.findall(f"us-related-documents/{tag}/relation/parent-doc"):
            day = parent.findtext("document-id/date")
            country = parent.findtext("document-id/country")
            pct = parent.findtext("parent-pct-document/document-id/date")  # a national stage
            related.append(
                Related(relation, country, _day(day) if day else None, _day(pct) if pct else None)
            )
    pct = biblio.findtext("pct-or-regional-filing-data/document-id/date")
    extension = biblio.findtext("us-term-of-grant/us-term-extension")
    length = biblio.findtext("us-term-of-grant/length-of-grant")
    return TermFacts(
        office="US",
        patent_type="design" if design else "utility",
        filing_date=filed,
        grant_date=granted,
        related=tuple(related),
        pct_filing_date=_day(pct) if pct else None,
        adjustment_days=int(extension) if extension else None,
        disclaimer=biblio.find("us-term-of-grant/disclaimer") is not None,
        length_of_grant_years=int(length) if length else None,
    )


def read_xml(folder: Path) -> dict[str, FromXml]:
    """Each grant of the folder, keyed by ``US`` + number without leading zeros."""
    found = {}
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    for path in sorted(folder.glob("ipg*.xml")):
        for document in uspto_xml.iter_raw_documents(path):
            if b"<us-patent-grant" not in document:
                continue
            root = etree.fromstring(document, parser=parser)
            biblio = root.find("us-bibliographic-data-grant")
            publication = biblio.find("publication-reference/document-id")
            number = publication.findtext("doc-number")
            prefix = "".join(ch for ch in number if ch.isalpha())
            key = f"US{prefix}{int(number[len(prefix) :])}"
            citations = biblio.findall("us-references-cited/us-citation") + biblio.findall(
                "references-cited/citation"
            )
            subclasses = (
                {
                    e.findtext("section") + e.findtext("class") + e.findtext("subclass")
                    for e in biblio.findall("classifications-ipcr/classification-ipcr")
                }
                | {  # IPC 7 strings of the older files, e.g. "A45F  504"
                    (e.text or "").strip()[:4]
                    for e in biblio.findall("classification-ipc/*")
                    if e.tag in ("main-classification", "further-classification")
                }
            )
            filed = _day(biblio.findtext("application-reference/document-id/date"))
            granted = _day(publication.findtext("date"))
            found[key] = FromXml(
                filed=filed,
                granted=granted,
                term=term_facts(biblio, filed, granted, prefix == "D"),
                patent_citations=sum(c.find("patcit") is not None for c in citations),
                npl_citations=sum(c.find("nplcit") is not None for c in citations),
                subclasses=frozenset(subclasses),
                claims=int(biblio.findtext("number-of-claims")),
            )
    return found


def _day(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _expected_remaining(xml: FromXml) -> float:
    end = expiry(xml.term).expiry
    assert end is not None
    return max((end - AS_OF).days, 0) / 365.25


@pytest.fixture(scope="module")
def indicators(real_workspace: Workspace) -> dict[str, dict[str, Any]]:
    result = compute_indicators(real_workspace.store, real_workspace.valuation, OPTIONS)
    con = duckdb.connect()
    rows = con.execute("SELECT * FROM read_parquet(?)", [str(result.path)])
    names = [d[0] for d in rows.description or []]
    return {r[0]: dict(zip(names, r, strict=True)) for r in rows.fetchall()}


def test_every_grant_matches_its_xml(indicators: dict[str, dict[str, Any]]) -> None:
    xml = read_xml(real_grants_xml())
    assert len(xml) == 421
    for patent_id, expected in xml.items():
        got = indicators[patent_id]
        assert got["backward_citations"] == expected.patent_citations, patent_id
        assert got["npl_citations"] == expected.npl_citations, patent_id
        assert got["scope"] == (len(expected.subclasses) or None), patent_id
        assert got["claims"] == expected.claims, patent_id
        assert got["remaining_term"] == pytest.approx(_expected_remaining(expected)), patent_id
        assert got["term_end"] == expiry(expected.term).expiry, patent_id
        # every grant is a citing document (its references are printed on it): the universe
        # is the 421 grants, and none cites another: 0 over that universe, reported with it
        assert got["fwd_citations"] == 0 and got["originality"] is None, patent_id
        assert got["fwd_universe"] == "loaded" and got["fwd_universe_documents"] == 421
        assert (got["fwd_universe_start"], got["fwd_universe_end"]) == (
            date(2005, 1, 4), date(2013, 4, 16))  # fmt: skip
    # SOURCE.txt: 10,395 backward citations in all
    assert sum(x.patent_citations + x.npl_citations for x in xml.values()) == 10_395


@pytest.mark.parametrize(
    ("patent_id", "patent_citations", "npl", "scope", "claims", "term_end", "remaining"),
    [
        # 240 us-citation/patcit, IPCR A61F 13/15 + A61L 15/..: 2 subclasses; a continuation
        # chain back to 08/345,159 filed 1994-11-28 (see test_term.py): expired 2014-11-28
        ("US8420883", 240, 0, 2, 20, date(2014, 11, 28), 0.0),
        # 7 patent + 3 non-patent citations, IPCR H05K only; division of 2008-06-26
        ("US8418361", 7, 3, 1, 5, date(2028, 6, 26), 1272 / 365.25),
        # 373 days of adjustment on 20 years from 2010-09-23
        ("US8421425", None, None, None, None, date(2031, 10, 1), 2464 / 365.25),
        # division of the national stage of a PCT application filed 2008-07-12
        ("US8420021", None, None, None, None, date(2028, 7, 12), 1288 / 365.25),
        # filed 2003-01-09, us-term-extension 167 days: ended 2023-06-25, nothing remains
        ("US6836899", 39, 0, 1, 23, date(2023, 6, 25), 0.0),
        # design: Locarno only (no IPC scope), 14 years from the grant of 2012-03-27
        ("USD656298", 154, 50, None, 1, date(2026, 3, 27), 450 / 365.25),
    ],
)
def test_named_grants(
    indicators: dict[str, dict[str, Any]],
    real_workspace: Workspace,
    patent_id: str,
    patent_citations: int | None,
    npl: int | None,
    scope: int | None,
    claims: int | None,
    term_end: date,
    remaining: float,
) -> None:
    got = indicators[patent_id]
    if claims is not None:
        counts = (got["backward_citations"], got["npl_citations"], got["scope"], got["claims"])
        assert counts == (patent_citations, npl, scope, claims)
    assert got["term_end"] == term_end
    assert got["remaining_term"] == pytest.approx(remaining)
    assert got["status"] == "unknown" and got["status_basis"] == (
        "presumed" if remaining else "none"
    )
    python = legal_term(real_workspace.store, patent_id, AS_OF)  # the same rules in Python
    assert python.term_end == term_end
    assert float(python.remaining_years or 0) == pytest.approx(remaining)


def test_fields_percentiles_and_flags(indicators: dict[str, dict[str, Any]]) -> None:
    for patent_id, got in indicators.items():
        found = field_of(got["main_symbol"])
        assert got["field"] == (found.number if found else None), patent_id
        for name in PERCENTILE_NAMES:
            value = got[pct_column(name)]
            assert value is None or 0.0 <= value <= 1.0
            assert (value is None) == (got[name] is None)
        assert got["licensed"] is None and got["pledged"] is None  # no events loaded
        assert got["in_pool"] is None and got["litigated"] is None
    assert indicators["US8420883"]["field"] == 13  # A61F: medical technology


def test_originality_radicalness_generality_with_added_records(tmp_path: Path) -> None:
    """US6836899 (main class A45F only) cites US675108, US1483338, US1551829 and US2557399
    (XML). Give those four records with main subclasses A45F, A45F, B65D, A44B:

        originality = 1 - ((2/4)^2 + (1/4)^2 + (1/4)^2) = 1 - 0.375 = 0.625
        radicalness = share not among US6836899's subclasses {A45F} = 2/4 = 0.5

    and let three new patents cite it (published 2005-01-04; window to 2010-01-04):
    CN1 (A45F, filed 2006), CN2 (B65D, filed 2008), CN3 (A45F, filed 2012):

        forward = 3, within 5 years = 2, generality = 1 - ((2/3)^2 + (1/3)^2) = 4/9
    """
    ws = Workspace(tmp_path / "ws")
    ws.ingest_real_grants()
    cited = {"US675108": "A45F 5/02", "US1483338": "A45F 3/00", "US1551829": "B65D 33/00",
             "US2557399": "A44B 11/00"}  # fmt: skip
    citing = {"CN1": ("A45F 5/00", date(2006, 5, 1)), "CN2": ("B65D 5/00", date(2008, 5, 1)),
              "CN3": ("A45F 4/00", date(2012, 5, 1))}  # fmt: skip
    ws.add(
        "added",
        {
            "patents": [patent(p, filed=date(1900, 1, 1), granted=date(1901, 5, 1)) for p in cited]
            + [patent(p, filed=day, granted=None) for p, (_, day) in citing.items()],
            "classifications": [r for p, s in cited.items() for r in ipc(p, s)]
            + [r for p, (s, _) in citing.items() for r in ipc(p, s)],
            "citations": [
                {
                    "patent_id": p,
                    "sequence": 0,
                    "category": "patent",
                    "cited_patent_id": "US6836899",
                }
                for p in citing
            ],
            "citing_documents": [
                {"patent_id": p, "office": "CN", "publication_date": day, "generated": False}
                for p, (_, day) in citing.items()
            ],
        },
    )
    result = compute_indicators(ws.store, ws.valuation, OPTIONS)
    con = duckdb.connect()
    got = con.execute(
        "SELECT originality, radicalness, fwd_citations, fwd_citations_5y, generality, "
        "backward_citations FROM read_parquet(?) WHERE patent_id = 'US6836899'",
        [str(result.path)],
    ).fetchall()[0]
    assert got == pytest.approx((0.625, 0.5, 3, 2, 4 / 9, 39))
