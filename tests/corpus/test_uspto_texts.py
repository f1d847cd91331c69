"""Claim texts and government interest from USPTO XML (``ingest --texts``, issue 13).

Real data: the grants vendored under ``tests/fixtures/uspto`` (47 grants and two kinds of
pre-grant publications, see its SOURCE.txt) plus ``tests/fixtures/uspto/texts`` (one grant
with a government-interest statement) always run; the whole 421-grant sample in
``shared/data/uspto-grant-xml-pvdb`` runs when present. The expected rows are worked out
here with lxml over each *whole* document, description included (the reader cuts the
description out and finds the statement in the bytes), document by document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from loadhelpers import make_target
from lxml import etree
from typer.testing import CliRunner

from ipops.cli.app import app
from ipops.corpus.formats.uspto_xml import iter_raw_documents, parse_document, parse_file
from ipops.corpus.ingest import ingest_files
from ipops.corpus.records import Reject
from ipops.corpus.schema import to_table
from ipops.corpus.store import CorpusStore
from ipops.errors import ValidationError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "uspto"
GOVINT_GRANT = FIXTURES / "texts" / "ipg090106.govint.xml"
PVDB = Path("uspto-grant-xml-pvdb", "xml")

Expected = dict[str, Any]


def _fixture_files() -> list[Path]:
    return [*sorted(FIXTURES.glob("*.xml")), GOVINT_GRANT]


def _words(element: Any) -> str:
    return " ".join(element.xpath("string()").split())


def _expected_claims(root: Any) -> list[tuple[int, list[int], bool]]:
    """(number, referenced numbers, independent) of each claim element, by XPath."""
    if root.tag == "patent-application-publication":
        claims = root.xpath("subdoc-claims/claim")
        refs_path = ".//dependent-claim-reference/@depends_on"
    else:
        claims = root.xpath("claims/claim")
        refs_path = ".//claim-ref/@idref"
    number_of = {}
    for claim in claims:
        num = claim.get("num") or re.sub(r"\D", "", claim.get("id"))
        number_of[claim.get("id")] = int(num)
    expected = []
    for claim in claims:
        refs = [number_of[ref] for listed in claim.xpath(refs_path) for ref in listed.split()]
        unique = list(dict.fromkeys(refs))
        expected.append((number_of[claim.get("id")], unique, not refs))
    return expected


def _expected_government(root: Any) -> str | None:
    """The paragraphs between each lead and tail government-interest instruction."""
    if root.tag == "patent-application-publication":
        found = root.xpath(
            "subdoc-description/federal-research-statement/paragraph-federal-research-statement"
        )
        return "\n".join(_words(p) for p in found) or None
    paragraphs = []
    pis = "processing-instruction('GOVINT') | processing-instruction('federal-research-statement')"
    for lead in root.xpath(f"description/{pis}"):
        if 'end="lead"' not in lead.text:
            continue
        for sibling in lead.itersiblings():
            if isinstance(sibling, etree._ProcessingInstruction) and sibling.target == lead.target:
                break
            if sibling.tag == "p":
                paragraphs.append(_words(sibling))
    return "\n".join(paragraphs) or None


def _compare(paths: list[Path]) -> dict[str, int]:
    """Reader rows against the XPath expectations, document by document; the totals."""
    totals = {"documents": 0, "claims": 0, "dependent": 0, "government": 0}
    for path in paths:
        raw = list(iter_raw_documents(path))
        parsed = list(parse_file(path, texts=True))
        assert len(raw) == len(parsed)
        for data, document in zip(raw, parsed, strict=True):
            assert not isinstance(document, Reject), document
            root = etree.fromstring(data)
            claims = document["claim_texts"]
            expected = _expected_claims(root)
            assert len(claims) == len(expected), document["patents"][0]["patent_id"]
            assert [
                (row["claim_number"], row["depends_on"], row["independent"]) for row in claims
            ] == expected
            assert all(row["text"] and "  " not in row["text"] for row in claims)
            assert sum(row["independent"] for row in claims) == (
                document["patents"][0]["independent_claims_count"] or 0
            )
            government = _expected_government(root)
            rows = document["government_interest"]
            assert [row["text"] for row in rows] == ([government] if government else [])
            for table in ("claim_texts", "government_interest"):
                to_table(table, document[table])  # exactly the canonical columns
            totals["documents"] += 1
            totals["claims"] += len(claims)
            totals["dependent"] += sum(not row["independent"] for row in claims)
            totals["government"] += len(rows)
    return totals


def test_vendored_documents_match_an_xpath_reading() -> None:
    totals = _compare(_fixture_files())
    assert totals["documents"] == 47 + 1 + 2 + 1
    assert totals["claims"] > totals["dependent"] > 0
    assert totals["government"] == 1


def test_the_421_real_grants_match_an_xpath_reading(shared_data: Path) -> None:
    files = sorted((shared_data / PVDB).glob("*.xml"))
    grants = [path for path in files if path.name.startswith("ipg")]
    assert sum(1 for path in grants for _ in iter_raw_documents(path)) == 421
    totals = _compare(files)
    assert totals["government"] == 5  # grep -c 'GOVINT.*lead' over the files
    assert totals["claims"] > 3000


def test_the_statement_and_the_claims_of_a_named_grant() -> None:
    (document,) = parse_file(GOVINT_GRANT, texts=True)
    assert not isinstance(document, Reject)
    assert document["government_interest"] == [
        {
            "patent_id": "US7472652",
            "text": "The invention described herein may be manufactured and used by or for the "
            "Government of the United States of America for governmental purposes without "
            "the payment of any royalties thereon or therefor.",
            "heading": "STATEMENT OF GOVERNMENT INTEREST",
            "generated": False,
        }
    ]
    claims = document["claim_texts"]
    assert [row["claim_number"] for row in claims] == list(range(1, 21))
    assert claims[0]["text"].startswith("1. ")
    assert claims[1]["text"].startswith("2. ") and claims[1]["depends_on"] == [1]


def test_a_reference_may_name_several_claims() -> None:
    """``claim-ref idref`` is IDREFS in the DTD: "claim 1 or 2" may be one reference."""
    data = GOVINT_GRANT.read_bytes()
    assert data.count(b'<claim-ref idref="CLM-00002">') == 1
    both = data.replace(
        b'<claim-ref idref="CLM-00002">', b'<claim-ref idref="CLM-00002 CLM-00001">'
    )
    document = parse_document(both, file="x.xml", index=1, texts=True)
    assert not isinstance(document, Reject)
    (claim,) = [row for row in document["claim_texts"] if row["claim_number"] == 3]
    assert claim["depends_on"] == [2, 1] and not claim["independent"]


def test_without_the_option_nothing_changes() -> None:
    for path in _fixture_files():
        plain = list(parse_file(path))
        with_texts = list(parse_file(path, texts=True))
        for before, after in zip(plain, with_texts, strict=True):
            assert not isinstance(before, Reject) and not isinstance(after, Reject)
            assert "claim_texts" not in before and "government_interest" not in before
            assert {k: v for k, v in after.items() if k in before} == before


def test_the_later_instruction_name_and_2001_2004_applications() -> None:
    data = GOVINT_GRANT.read_bytes().replace(b"<?GOVINT", b"<?federal-research-statement")
    document = parse_document(data, file="x.xml", index=1, texts=True)
    assert not isinstance(document, Reject)
    assert document["government_interest"][0]["heading"] == "STATEMENT OF GOVERNMENT INTEREST"
    pap = next(iter_raw_documents(FIXTURES / "pa040101.two.xml"))
    statement = (
        b"<subdoc-description><federal-research-statement><paragraph-federal-research-statement>"
        b"This invention was made with  Government\nsupport.</paragraph-federal-research-statement>"
        b"</federal-research-statement>"
    )
    assert pap.count(b"<subdoc-description>") == 1
    document = parse_document(
        pap.replace(b"<subdoc-description>", statement), file="pa.xml", index=1, texts=True
    )
    assert not isinstance(document, Reject)
    assert [row["text"] for row in document["government_interest"]] == [
        "This invention was made with Government support."
    ]
    assert document["claim_texts"][0]["claim_number"] == 1


def _broken(old: bytes, new: bytes) -> Reject:
    data = GOVINT_GRANT.read_bytes()
    assert data.count(old) == 1
    found = parse_document(data.replace(old, new), file="ipg090106.xml", index=7, texts=True)
    assert isinstance(found, Reject)
    assert (found.file, found.location, found.record) == (
        "ipg090106.xml",
        "document 7",
        "US7472652",
    )
    return found


def test_a_malformed_claim_is_rejected_naming_the_claim() -> None:
    bad_number = _broken(b'<claim id="CLM-00002" num="00002">', b'<claim id="CLM-00002" num="2a">')
    assert bad_number.field == "claims/claim[2]/@num"
    assert "'2a' is not a whole number" in bad_number.reason
    twice = _broken(b'<claim id="CLM-00003" num="00003">', b'<claim id="CLM-00003" num="00002">')
    assert (twice.field, twice.reason) == ("claims/claim[3]/@num", "claim number 2 printed twice")
    data = GOVINT_GRANT.read_bytes()
    first_ref = data.index(b'<claim-ref idref="')
    ref_claim = data[:first_ref].count(b"<claim id=")
    dangling = (
        data[:first_ref] + b'<claim-ref idref="claim-one"' + data[data.index(b">", first_ref) :]
    )
    found = parse_document(dangling, file="f.xml", index=1, texts=True)
    assert isinstance(found, Reject)
    assert found.field == f"claims/claim[{ref_claim}]/claim-ref/@idref"
    assert found.reason == "reference 'claim-one' names no claim"
    # the same documents load without the option: the claims are not read then
    assert not isinstance(parse_document(dangling, file="f.xml", index=1), Reject)


def test_a_statement_without_its_end_is_rejected() -> None:
    found = _broken(
        b'<?GOVINT description="Government Interest" end="tail"?>', b"<!-- end lost -->"
    )
    assert found.field == "description/GOVINT"
    assert "closing (tail)" in found.reason


def test_ingest_with_and_without_the_option(tmp_path: Path) -> None:
    files = [*sorted(FIXTURES.glob("ipg*.xml")), GOVINT_GRANT]
    expected = _compare(files)
    target = make_target(tmp_path)
    plain = ingest_files(target, files, workers=1)
    assert plain.records_rejected == 0
    assert "claim_texts" not in plain.row_counts or plain.row_counts["claim_texts"] == 0
    store = CorpusStore(tmp_path / "corpus")
    with store.connect() as con:
        for table in ("claim_texts", "government_interest"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    # the option makes a different load (its own load key), which wins for every patent
    loaded = ingest_files(target, files, workers=2, texts=True)
    assert loaded.status == "committed" and loaded.records_rejected == 0
    with store.connect() as con:
        claims = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT independent) FROM claim_texts"
        ).fetchone()
        assert claims == (expected["claims"], expected["dependent"])
        depends = con.execute(
            "SELECT depends_on FROM claim_texts WHERE patent_id = 'US7472652' AND claim_number = 2"
        ).fetchone()
        assert depends == ([1],)
        government = con.execute("SELECT patent_id FROM government_interest").fetchall()
        assert government == [("US7472652",)]
        patents = con.execute("SELECT count(*) FROM patents").fetchone()
        assert patents == (48,)


def test_the_option_is_for_uspto_xml_only(tmp_path: Path) -> None:
    patentsview = FIXTURES.parent / "patentsview"
    with pytest.raises(ValidationError, match="USPTO XML only, not patentsview"):
        ingest_files(make_target(tmp_path), [patentsview], texts=True)


def test_the_command_line_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPOPS_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("IPOPS_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["init"], catch_exceptions=False).exit_code == 0
    loaded = runner.invoke(
        app, ["corpus", "ingest", str(GOVINT_GRANT), "--texts", "--json"], catch_exceptions=False
    )
    assert loaded.exit_code == 0, loaded.output
    report = json.loads(loaded.stdout)
    assert report["rows"]["claim_texts"] == 20 and report["rows"]["government_interest"] == 1
    refused = runner.invoke(
        app, ["corpus", "ingest", str(FIXTURES.parent / "patentsview"), "--texts"]
    )
    assert refused.exit_code != 0 and "USPTO XML only" in str(refused.exception)


def test_two_marked_parts_make_one_statement() -> None:
    data = GOVINT_GRANT.read_bytes()
    lead = data.index(b"<?GOVINT")
    tail_end = data.index(b"?>", data.index(b"<?GOVINT", lead + 1)) + 2
    second = data[lead:tail_end].replace(b"The invention", b"The second part")
    twice = data[:tail_end] + second + data[tail_end:]
    document = parse_document(twice, file="x.xml", index=1, texts=True)
    assert not isinstance(document, Reject)
    (row,) = document["government_interest"]
    assert row["text"] == _expected_government(etree.fromstring(twice))
    first, other = row["text"].split("\n")
    assert first.startswith("The invention") and other.startswith("The second part")
