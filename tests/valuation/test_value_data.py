"""Valuation over the new corpus tables, built row by row: term data, the citing universe,
family offices, cohorts by document kind and the default valuation date.

The three US grants carry the facts read from their XML by hand (see test_term.py): the
continuation chain of US8420883 back to 1994-11-28 with a terminal disclaimer, the 2008
division parent and Korean priority of US8418361, the 373 days of adjustment of US8421425.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
from builders import AS_OF, Workspace, cites, ipc, patent

from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import compute_indicators, data_cutoff, default_as_of
from ipops.valuation.legal_terms import legal_term
from ipops.valuation.rankings import patent_value
from ipops.valuation.schemes import load_scheme

OPTIONS = IndicatorOptions(as_of=AS_OF, min_cohort=3)
GRANTED = date(2013, 4, 16)


def rows(ws: Workspace) -> dict[str, dict[str, Any]]:
    found = compute_indicators(ws.store, ws.valuation, OPTIONS)
    with duckdb.connect() as con:
        result = con.execute("SELECT * FROM read_parquet(?)", [str(found.path)])
        names = [d[0] for d in result.description or []]
        return {r[0]: dict(zip(names, r, strict=True)) for r in result.fetchall()}


def related(pid: str, seq: int, relation: str, day: date) -> dict[str, Any]:
    return {"patent_id": pid, "sequence": seq, "relation": relation, "related_office": "US",
            "related_date": day, "generated": False}  # fmt: skip


def named_grants(ws: Workspace) -> None:
    ids = ("US8420883", "US8418361", "US8421425")
    filed = (date(2011, 11, 22), date(2011, 11, 18), date(2010, 9, 23))
    chain = [date(2010, 11, 16), date(2006, 6, 21), date(2001, 12, 20), date(1997, 9, 10),
             date(1997, 6, 27), date(1994, 11, 28)]  # fmt: skip
    kinds = ["continuation"] * 3 + ["division", "continuation_in_part", "continuation"]
    ws.add(
        "named",
        {
            "patents": [
                patent(pid, filed=day, granted=GRANTED, patent_type="utility", source="xml")
                for pid, day in zip(ids, filed, strict=True)
            ],
            "classifications": ipc("US8420883", "A61F 13/15", "A61L 9/00")
            + ipc("US8418361", "H05K 3/02")
            + ipc("US8421425", "G05F 1/618"),
            "related_documents": [
                related("US8420883", i, kind, day)
                for i, (kind, day) in enumerate(zip(kinds, chain, strict=True))
            ]
            + [related("US8418361", 0, "division", date(2008, 6, 26))],
            "terms": [
                {"patent_id": "US8420883", "disclaimer": True, "generated": False},
                {"patent_id": "US8421425", "adjustment_days": 373, "generated": False},
            ],
            "priority_claims": [
                {
                    "patent_id": "US8418361",
                    "sequence": 0,
                    "country": "KR",
                    "number": "10-2008-0034874",
                    "date": date(2008, 4, 15),
                    "kind": "national",
                    "generated": False,
                },
            ],
            "citations": cites("US8420883", "US5643588", npl=2) + cites("US8421425", "US7000001"),
        },
    )


def test_named_grants_expire_from_their_earliest_parent_with_adjustment(
    workspace: Workspace,
) -> None:
    named_grants(workspace)
    got = rows(workspace)
    chain = got["US8420883"]
    assert (chain["term_end"], chain["term_basis"], chain["term_upper_bound"]) == (
        date(2014, 11, 28), "earliest_parent", True)  # fmt: skip
    assert chain["remaining_term"] == 0.0 and not chain["in_force"]
    division = got["US8418361"]
    assert division["term_end"] == date(2028, 6, 26)
    assert round(division["remaining_term"], 2) == 3.48
    adjusted = got["US8421425"]
    assert (adjusted["term_end"], adjusted["term_adjustment_days"]) == (date(2031, 10, 1), 373)
    assert round(adjusted["remaining_term"], 2) == 6.75
    # the one-patent path reads the same tables and gives the same dates
    one = legal_term(workspace.store, "US8421425", AS_OF)
    assert one.term_end == date(2031, 10, 1) and one.expiry is not None
    assert "373 days" in one.expiry.how()


def test_family_offices_from_priority_claims(workspace: Workspace) -> None:
    named_grants(workspace)
    got = rows(workspace)
    assert (got["US8418361"]["family_size"], got["US8418361"]["family_offices"]) == (2, "KR US")
    assert got["US8418361"]["family_basis"] == "priority_claims"
    assert got["US8418361"]["family_other_office"]
    assert (got["US8421425"]["family_size"], got["US8421425"]["family_other_office"]) == (1, False)


def test_family_offices_from_a_loaded_family_table(workspace: Workspace) -> None:
    named_grants(workspace)
    members = [("US8421425", "US"), ("EP2000001", "EP"), ("JP2012001", "JP"),
               ("WO2011001", "WO"), ("EP2000002", "EP")]  # fmt: skip
    workspace.add(
        "families",
        {"families": [{"family_id": "F1", "family_type": "docdb", "patent_id": pid,
                       "office": office, "source": "test"} for pid, office in members]},
    )  # fmt: skip
    got = rows(workspace)["US8421425"]
    assert (got["family_size"], got["family_basis"], got["family_offices"]) == (
        3, "families", "EP JP US")  # fmt: skip


def test_no_family_data_is_unknown_with_the_reason(workspace: Workspace) -> None:
    workspace.add("bare", {"patents": [patent(f"CN{i}", source="cn") for i in range(3)]})
    value = patent_value(workspace.store, workspace.valuation, "CN1", load_scheme("default"),
                         OPTIONS)  # fmt: skip
    assert value.indicators["family_size"] is None
    line = next(x for x in value.explanation.lines if x.indicator == "family_size")
    assert (line.available, line.reason_en, line.reason_zh) == (
        False, "no family data", "无同族数据")  # fmt: skip
    assert any("family_size: no family data; left out" in n for n in value.explanation.notes())


def test_forward_citations_are_unknown_without_a_citing_universe(workspace: Workspace) -> None:
    named_grants(workspace)  # the grants cite only patents outside the corpus
    got = rows(workspace)
    assert all(r["fwd_citations"] is None and r["fwd_universe"] == "none" for r in got.values())
    value = patent_value(workspace.store, workspace.valuation, "US8418361",
                         load_scheme("default"), OPTIONS)  # fmt: skip
    payload = value.as_dict()
    assert value.forward_citations.reason == "no_citing_universe"
    assert "fwd_citations" in payload["unavailable"]
    assert any("no citing universe loaded" in n for n in payload["notes"])
    assert any("未载入施引文献范围" in n for n in payload["notes_zh"])


def test_a_loaded_citation_table_makes_forward_citations_exact(workspace: Workspace) -> None:
    named_grants(workspace)
    citing = {  # citing document -> (publication date, patents it cites)
        "US9000001": (date(2014, 5, 6), ("US8418361", "US8421425")),
        "US9000002": (date(2016, 1, 5), ("US8418361",)),
        "US9000003": (date(2019, 3, 5), ("US8418361",)),  # after the 5-year window
        "US9000004": (date(2017, 8, 1), ("US8418361", "US8418361")),  # listed twice
    }
    workspace.add(
        "citing",
        {
            "citing_documents": [{"patent_id": pid, "office": "US", "publication_date": day,
                                  "source": "g_us_patent_citation", "generated": False}
                                 for pid, (day, _) in citing.items()],
            "citations": [row for pid, (_, cited) in citing.items() for row in cites(pid, *cited)],
        },
    )  # fmt: skip
    got = rows(workspace)
    assert got["US8418361"]["fwd_citations"] == 5
    assert got["US8418361"]["fwd_citations_5y"] == 4
    assert got["US8421425"]["fwd_citations"] == 1
    assert got["US8420883"]["fwd_citations"] == 0  # known: cited by none of the universe
    assert got["US8418361"]["fwd_universe"] == "loaded"
    # the universe is exactly the citing documents loaded (docs/corpus.md)
    universe = (got["US8418361"]["fwd_universe_start"], got["US8418361"]["fwd_universe_end"])
    assert universe == (date(2014, 5, 6), date(2019, 3, 5))
    assert got["US8418361"]["fwd_universe_documents"] == 4
    assert got["US8418361"]["fwd_window_end"] == date(2018, 4, 15)  # 5 years, not capped
    assert got["US8418361"]["fwd_window_capped"] is False


def test_the_window_is_capped_at_the_universe_end_and_later_filings_are_unknown(
    workspace: Workspace,
) -> None:
    workspace.add(
        "corpus",
        {
            "patents": [
                patent("US1", filed=date(2010, 1, 5), granted=date(2012, 3, 6)),
                patent("US2", filed=date(2011, 2, 1), granted=date(2013, 9, 3)),
                patent("US3", filed=date(2014, 6, 3), granted=date(2016, 5, 3)),
            ],
            "citations": cites("US2", "US1"),
            "citing_documents": [{"patent_id": pid, "office": "US", "publication_date": day,
                                  "generated": False}
                                 for pid, day in (("US1", date(2012, 3, 6)),
                                                  ("US2", date(2013, 9, 3)),
                                                  ("US3", date(2016, 5, 3)))],
        },
    )  # fmt: skip
    got = rows(workspace)
    assert got["US1"]["fwd_citations"] == 1
    assert got["US1"]["fwd_window_capped"] is True
    # the universe ends with US3's grant 2016-05-03: the window stops there
    assert got["US1"]["fwd_window_end"] == date(2016, 5, 3)
    assert got["US3"]["fwd_citations"] == 0  # filed before the end: known
    # a later application that is no citing document is outside the universe
    late_patent = patent("US4", filed=date(2017, 1, 3), granted=None, source="other")
    workspace.add("late", {"patents": [late_patent]})
    late = rows(workspace)["US4"]
    assert late["fwd_citations"] is None and late["filed_after_universe"]


def test_designs_and_applications_never_share_a_cohort_with_inventions(
    workspace: Workspace,
) -> None:
    inventions = [patent(f"US{100 + i}", filed=date(2012, 3, 1), patent_type="utility",
                         claims_count=2 + i) for i in range(6)]  # fmt: skip
    designs = [patent(f"USD{200 + i}", filed=date(2012, 3, 1), patent_type="design",
                      claims_count=1) for i in range(2)]  # fmt: skip
    applications = [patent(f"US2013{i}", filed=date(2012, 3, 1), granted=None, claims_count=30)
                    for i in range(2)]  # fmt: skip
    everyone = inventions + designs + applications
    workspace.add(
        "mixed",
        {
            "patents": everyone,
            "classifications": [r for p in everyone for r in ipc(p["patent_id"], "F24F 11/30")],
        },
    )
    got = rows(workspace)
    assert {got[p["patent_id"]]["kind"] for p in designs} == {"design"}
    assert {got[p["patent_id"]]["cohort_size"] for p in designs} == {2}
    assert {got[p["patent_id"]]["cohort_size"] for p in applications} == {2}
    assert {got[p["patent_id"]]["cohort_size"] for p in inventions} == {6}
    # the 2-claim invention is the lowest of the inventions, whatever the designs have
    assert got["US100"]["claims_pct"] == 0.0
    assert got["US105"]["claims_pct"] == 1.0
    assert got["USD200"]["cohort"].startswith("design")
    assert got["US100"]["cohort"] == "invention F" + f"{got['US100']['field']:02d}-2012"


def test_the_default_valuation_date_is_the_data_cut_off(workspace: Workspace) -> None:
    named_grants(workspace)
    workspace.add(
        "events",
        {"events": [{"patent_id": "US8418361", "event_date": date(2014, 2, 4),
                     "event_type": "licensed", "generated": False}]},
    )  # fmt: skip
    assert default_as_of(workspace.store) == date(2014, 2, 4)
    assert default_as_of(workspace.store, date(2020, 1, 1)) == date(2020, 1, 1)
    with workspace.store.connect() as con:
        assert data_cutoff(con) == date(2014, 2, 4)
