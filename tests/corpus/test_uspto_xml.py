"""The USPTO full-text XML reader, on real weekly-file excerpts and small broken documents.

Real data: ``shared/data/uspto-grant-xml-pvdb/xml`` (PatentsView fixtures cut from the USPTO
``ipg`` weekly files, DTD v4.0-v4.3) and ``shared/data/uspto-patentpublicdata-samples``
(one USPTO sample per format). Tests that need them skip when the folder is absent.

Expected values of named patents were read from the XML with the standard library's
``xml.etree.ElementTree`` (a different parser) and checked by eye against the files.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from ipops.corpus.formats import uspto_xml
from ipops.corpus.formats.uspto_xml import (
    iter_raw_documents,
    looks_like,
    parse_document,
    parse_file,
)
from ipops.corpus.records import Reject
from ipops.corpus.schema import SCHEMAS, to_table

Document = dict[str, list[dict[str, Any]]]

PVDB = Path("uspto-grant-xml-pvdb", "xml")
SAMPLES = Path("uspto-patentpublicdata-samples")


@cache
def _parsed(path: Path) -> list[Document | Reject]:
    return list(parse_file(path))


def _documents(path: Path) -> list[Document]:
    items = _parsed(path)
    rejects = [item for item in items if isinstance(item, Reject)]
    assert rejects == []
    return [item for item in items if not isinstance(item, Reject)]


def _document(path: Path, patent_id: str) -> Document:
    found = [doc for doc in _documents(path) if doc["patents"][0]["patent_id"] == patent_id]
    assert len(found) == 1, f"{patent_id} in {path.name}"
    return found[0]


def _grant_files(shared_data: Path) -> list[Path]:
    files = sorted((shared_data / PVDB).glob("ipg*.xml"))
    assert len(files) == 10
    return files


# --------------------------------------------------------------------------- totals


def test_weekly_grant_excerpts_match_the_published_totals(shared_data: Path) -> None:
    """SOURCE.txt: 421 grants, 894 inventors, 368 assignees, 316 IPCR entries, 10,395 citations.

    Each total was recounted on the raw files with grep (``cat ipg*.xml | ...``):
    grants ``grep -c '<us-patent-grant '`` = 421; inventors = ``<applicant ... app-type=
    "applicant-inventor"`` (823, v4.0-v4.2) + ``<inventor `` elements (71, v4.3) = 894;
    assignees ``grep -o '<assignee>'`` = 368; IPCR ``grep -o '<classification-ipcr>'`` = 316;
    citations ``grep -oE '<(us-)?citation>'`` = 10,395, of which ``<nplcit`` = 1,225;
    ``<classification-locarno>`` = 220; IPC 7 symbols (main + further inside the
    bibliographic ``classification-ipc`` of the v4.0 file, not the citations') = 42.
    """
    documents = [doc for path in _grant_files(shared_data) for doc in _documents(path)]
    patents = [doc["patents"][0] for doc in documents]
    inventors = [row for doc in documents for row in doc["inventors"]]
    parties = [row for doc in documents for row in doc["parties"]]
    classifications = [row for doc in documents for row in doc["classifications"]]
    citations = [row for doc in documents for row in doc["citations"]]

    assert len(patents) == 421
    assert {patent["doc_type"] for patent in patents} == {"grant"}
    assert len({patent["patent_id"] for patent in patents}) == 421
    assert len(inventors) == 894
    assert all(row["city"] and row["country"] for row in inventors)
    assert sum(row["role"] == "assignee" for row in parties) == 368
    ipc = [row for row in classifications if row["scheme"] == "IPC"]
    assert sum(row["version"] != "7" for row in ipc) == 316
    assert sum(row["version"] == "7" for row in ipc) == 42
    assert sum(row["scheme"] == "LOCARNO" for row in classifications) == 220
    assert not any(row["scheme"] == "CPC" for row in classifications)
    assert len(citations) == 10_395
    assert sum(row["category"] == "npl" for row in citations) == 1_225


def test_sequence_listings_are_skipped_and_grants_kept(shared_data: Path) -> None:
    # ipg060103 holds 27 <?xml documents: 25 grants and 2 sequence listings (sequence-cwu).
    path = shared_data / PVDB / "ipg060103.small.xml"
    raw = list(iter_raw_documents(path))
    assert len(raw) == 25
    assert all(b"<us-patent-grant " in document for document in raw)
    assert all(document.startswith(b"<?xml") for document in raw)


def test_every_row_has_exactly_the_canonical_columns(shared_data: Path) -> None:
    paths = [*sorted((shared_data / PVDB).glob("*.xml")), *sorted(_sample_files(shared_data))]
    rows: dict[str, list[dict[str, Any]]] = {}
    for path in paths:
        for document in _documents(path):
            for table, table_rows in document.items():
                rows.setdefault(table, []).extend(table_rows)
    for table, table_rows in rows.items():
        names = set(SCHEMAS[table].names)
        assert all(set(row) == names for row in table_rows), table
        assert to_table(table, table_rows).num_rows == len(table_rows)
    assert all(
        row["source"] == "uspto-xml" and row["generated"] is False for row in rows["patents"]
    )


def _sample_files(shared_data: Path) -> Iterator[Path]:
    for folder in ("xml2004", "xml2006", "xml2014", "xmlApp2004"):
        yield from (shared_data / SAMPLES / folder).glob("*.xml")


# --------------------------------------------------------------------------- named patents


class Expected(NamedTuple):
    file: Path
    patent_id: str
    kind: str
    title: str
    filing_date: date
    publication_date: date
    claims: int
    independent_claims: int
    inventors: int
    first_inventor_city: str
    assignee: str | None
    first_ipc: str
    citations: int
    first_citation: tuple[str | None, date | None, str | None]  # cited id, date, cited by


NAMED = [
    pytest.param(
        Expected(
            PVDB / "ipg050104.small.xml",
            "US6837063",
            "B1",
            "Power management of a computer with vapor-cooled processor",
            date(2003, 7, 31),
            date(2005, 1, 4),
            20,
            3,
            2,
            "Cedar Park",
            "Dell Products L.P.",
            "F25D 23/12",  # IPC 7 string "F25D 2312"
            20,
            ("US4674004", date(1987, 6, 1), "other"),  # printed 19870600
        ),
        id="grant-v4.0",
    ),
    pytest.param(
        Expected(
            PVDB / "ipg060103.small.xml",
            "US6981431",
            "B2",
            "Cork extractor for corks of bottles of champagne, sparkling wine, prosecco, "
            "cider or the like",
            date(2003, 10, 7),
            date(2006, 1, 3),
            8,
            1,
            1,
            "Saarbrucken",
            "Fackelmann GmbH +  Co.",
            "B67B 7/16",
            18,
            ("US2761338", date(1956, 9, 1), "other"),
        ),
        id="grant-v4.1",
    ),
    pytest.param(
        Expected(
            PVDB / "ipg090106.small.xml",
            "US7472944",
            "B2",
            "Vehicle sliding door opening and closing apparatus",
            date(2006, 2, 3),
            date(2009, 1, 6),
            17,
            2,
            2,
            "Yamanashi",
            "Mitsui Mining & Smelting Co., Ltd.",
            "B60J 5/06",
            21,
            ("US5525875", date(1996, 6, 1), "examiner"),
        ),
        id="grant-v4.2",
    ),
    pytest.param(
        Expected(
            PVDB / "ipg130416.small.xml",
            "US8420016",
            "B2",
            "Microbial deactivation apparatus having integrated ultrasonic drying system",
            date(2007, 5, 16),
            date(2013, 4, 16),
            20,
            3,
            4,
            "Vernon Hills",
            "American Sterilizer Company",
            "B06B 1/00",
            24,
            ("US2468550", date(1949, 4, 1), "examiner"),
        ),
        id="grant-v4.3",
    ),
    pytest.param(
        Expected(
            SAMPLES / "xml2014" / "US08926509.xml",
            "US8926509",
            "B2",
            "Wireless physiological sensor patches and systems",
            date(2008, 6, 5),
            date(2015, 1, 6),
            31,
            6,
            5,
            "Dublin",
            "Hmicro, Inc.",
            "A61B 5/00",
            160,
            ("US4313443", date(1982, 2, 1), "applicant"),
        ),
        id="grant-v4.5",
    ),
    pytest.param(
        Expected(
            SAMPLES / "xmlApp2004" / "US20050004437A1.xml",
            "US20050004437",
            "A1",
            "Simulation device for playful evaluation and display of blood sugar levels",
            date(2004, 4, 23),
            date(2005, 1, 6),
            10,
            1,
            2,
            "Bern",
            None,
            "A61B 5/00",  # IPC 7 string "A61B005/00"
            0,
            (None, None, None),
        ),
        id="application-v4.0",
    ),
    pytest.param(
        Expected(
            PVDB / "ipa130117.one.xml",
            "US20130014308",
            "A1",
            "TYPING-MATE",
            date(2011, 7, 13),
            date(2013, 1, 17),
            12,
            1,
            1,
            "Kissimmee",
            "Yennifer Feliciano",
            "A41D 13/08",
            0,
            (None, None, None),
        ),
        id="application-v4.3",
    ),
    pytest.param(
        Expected(
            PVDB / "pa040101.two.xml",
            "US20040000002",
            "A1",
            "Garment for preventing muscle strain",
            date(2002, 6, 27),
            date(2004, 1, 1),
            1,
            1,
            1,
            "Tarzana",
            "Hill-Rom Services, Inc.",
            "A41B 1/00",  # "A41B001/00"
            0,
            (None, None, None),
        ),
        id="application-pap-v1.6",
    ),
]


@pytest.mark.parametrize("expected", NAMED)
def test_named_patent_fields(shared_data: Path, expected: Expected) -> None:
    document = _document(shared_data / expected.file, expected.patent_id)
    patent = document["patents"][0]
    assert patent["kind"] == expected.kind
    assert patent["title"] == expected.title
    assert patent["filing_date"] == expected.filing_date
    assert patent["publication_date"] == expected.publication_date
    is_grant = expected.kind.startswith("B")
    assert patent["doc_type"] == ("grant" if is_grant else "application")
    assert patent["grant_date"] == (expected.publication_date if is_grant else None)
    assert patent["claims_count"] == expected.claims
    assert patent["independent_claims_count"] == expected.independent_claims
    assert patent["patent_type"] == "utility"
    assert len(document["inventors"]) == expected.inventors
    assert document["inventors"][0]["city"] == expected.first_inventor_city
    assignees = [row["name"] for row in document["parties"] if row["role"] == "assignee"]
    assert assignees == ([expected.assignee] if expected.assignee else [])
    ipc = [row for row in document["classifications"] if row["scheme"] == "IPC"]
    assert ipc[0]["symbol"] == expected.first_ipc
    assert ipc[0]["is_main"] is True
    assert ipc[0]["subclass"] == expected.first_ipc[:4]
    assert len(document["citations"]) == expected.citations
    if expected.citations:
        first = document["citations"][0]
        cited = (first["cited_patent_id"], first["cited_date"], first["cited_by"])
        assert cited == expected.first_citation


def test_grant_v40_details(shared_data: Path) -> None:
    document = _document(shared_data / PVDB / "ipg050104.small.xml", "US6837063")
    patent = document["patents"][0]
    assert patent["application_id"] == "US10631157"
    assert patent["priority_date"] == patent["filing_date"]  # no priority claim printed
    assert document["applications"] == [
        {
            "application_id": "US10631157",
            "office": "US",
            "number": "10631157",
            "filing_date": date(2003, 7, 31),
            "application_type": "utility",
            "series_code": "10",
            "patent_id": "US6837063",
            "generated": False,
        }
    ]
    first_inventor = document["inventors"][0]
    assert (first_inventor["name"], first_inventor["first_name"], first_inventor["last_name"]) == (
        "Charles D. Hood, III",
        "Charles D.",
        "Hood, III",
    )
    assert (first_inventor["sequence"], first_inventor["state"], first_inventor["country"]) == (
        0,
        "TX",
        "US",
    )
    symbols = [(row["scheme"], row["symbol"]) for row in document["classifications"]]
    assert symbols[:5] == [
        ("IPC", "F25D 23/12"),
        ("IPC", "F25D 27/00"),
        ("IPC", "F28D 15/00"),
        ("IPC", "H05K 7/20"),  # "H05K  720"
        ("USPC", "62/259.2"),  # " 622592"
    ]
    npl = [row for row in document["citations"] if row["category"] == "npl"]
    assert len(npl) == 1
    assert npl[0]["cited_patent_id"] is None
    assert npl[0]["npl_text"]


def test_grant_v41_ipcr_and_foreign_citation(shared_data: Path) -> None:
    document = _document(shared_data / PVDB / "ipg060103.small.xml", "US6981431")
    patent = document["patents"][0]
    assert patent["priority_date"] == date(2002, 10, 7)  # the foreign priority claim
    ipc = document["classifications"][0]
    assert (ipc["symbol"], ipc["main_group"], ipc["value"], ipc["version"]) == (
        "B67B 7/16",
        "B67B 7/00",
        "inventive",
        "2006.01",
    )
    foreign = next(row for row in document["citations"] if row["cited_office"] == "EP")
    assert (foreign["cited_number"], foreign["cited_patent_id"]) == ("0 229 560", "EP229560")
    assert foreign["cited_date"] == date(1987, 7, 1)


def test_design_grant_with_locarno_and_design_citations(shared_data: Path) -> None:
    document = _document(shared_data / PVDB / "ipg120327.196.xml", "USD656296")
    patent = document["patents"][0]
    assert (patent["number"], patent["kind"], patent["patent_type"]) == ("D656296", "S1", "design")
    assert patent["application_id"] == "US29381217"
    assert document["applications"][0]["series_code"] == "29"
    assert patent["claims_count"] == 1
    symbols = [
        (row["scheme"], row["symbol"], row["subclass"], row["is_main"], row["version"])
        for row in document["classifications"]
    ]
    assert symbols == [
        ("LOCARNO", "01-01", "01", True, "9"),
        ("USPC", "D1/128", "D1", True, None),  # "D 1128"
        ("USPC", "D1/106", "D1", False, None),  # " D1106"
    ]
    first = document["citations"][0]
    assert (first["cited_number"], first["cited_patent_id"], first["cited_kind"]) == (
        "D38206",
        "USD38206",
        "S",
    )


def test_grant_v45_cpc_and_applicant_organisation(shared_data: Path) -> None:
    document = _document(shared_data / SAMPLES / "xml2014" / "US08926509.xml", "US8926509")
    cpc = [row for row in document["classifications"] if row["scheme"] == "CPC"]
    assert len(cpc) == 15
    assert (cpc[0]["symbol"], cpc[0]["is_main"], cpc[0]["version"]) == (
        "A61B 5/0205",
        True,
        "2013.01",
    )
    assert not any(row["is_main"] for row in cpc[1:])
    assert document["patents"][0]["priority_date"] == date(2007, 8, 24)  # provisional

    ibm = _document(shared_data / SAMPLES / "xml2014" / "US08930553.xml", "US8930553")
    roles = [(row["role"], row["name"], row["party_type"]) for row in ibm["parties"]]
    assert roles == [
        ("assignee", "International Business Machines Corporation", "organization"),
        ("applicant", "International Business Machines Corporation", "organization"),
    ]
    assert len(ibm["inventors"]) == 3


def test_applicant_inventors_are_inventors_not_parties(shared_data: Path) -> None:
    # v4.3 grants repeat each inventor as an individual <us-applicant app-type="applicant">.
    document = _document(shared_data / PVDB / "ipg130416.small.xml", "US8420016")
    assert [row["role"] for row in document["parties"]] == ["assignee"]
    assert [row["sequence"] for row in document["inventors"]] == [0, 1, 2, 3]


def test_old_application_format_is_mapped(shared_data: Path) -> None:
    document = _document(shared_data / PVDB / "pa040101.two.xml", "US20040000002")
    assert document["applications"][0]["series_code"] == "10"
    uspc = [row["symbol"] for row in document["classifications"] if row["scheme"] == "USPC"]
    assert uspc == ["2/69"]  # class "002", subclass "069000"
    inventor = document["inventors"][0]
    assert (inventor["name"], inventor["state"], inventor["country"]) == (
        "Scott Hollander",
        "CA",
        "US",
    )


# --------------------------------------------------------------------------- files


def test_zip_reads_like_the_plain_file(shared_data: Path, tmp_path: Path) -> None:
    plain = shared_data / PVDB / "ipg130416.small.xml"
    archive = tmp_path / "ipg130416.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(plain, arcname="ipg130416.xml")
    assert looks_like(archive)
    assert list(iter_raw_documents(archive)) == list(iter_raw_documents(plain))
    parsed = list(parse_file(archive))
    assert len(parsed) == 25
    assert not any(isinstance(item, Reject) for item in parsed)


def test_documents_are_cut_the_same_with_tiny_read_blocks(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [shared_data / PVDB / name for name in ("ipg060103.small.xml", "ipg130416.small.xml")]
    expected = [list(iter_raw_documents(path)) for path in paths]
    monkeypatch.setattr(uspto_xml, "_BLOCK_SIZE", 97)
    assert [list(iter_raw_documents(path)) for path in paths] == expected


@pytest.mark.parametrize(
    "relative",
    [
        PVDB / "ipg050104.small.xml",
        PVDB / "ipa130117.one.xml",
        PVDB / "pa040101.two.xml",
        SAMPLES / "xml2014" / "US08926509.xml",
    ],
)
def test_looks_like_uspto_files(shared_data: Path, relative: Path) -> None:
    assert looks_like(shared_data / relative)


@pytest.mark.parametrize(
    "relative",
    [
        SAMPLES / "sgml" / "US06336130.xml",  # 2001 grant format (PATDOC)
        SAMPLES / "greenbook" / "US03932709.greenbook",
        SAMPLES / "cpcMaster" / "cpcMaster.xml",
        Path("no-such-file.xml"),
    ],
)
def test_looks_like_rejects_other_files(shared_data: Path, relative: Path) -> None:
    assert not looks_like(shared_data / relative)


def test_unsupported_uspto_format_is_a_clear_reject(shared_data: Path) -> None:
    path = shared_data / SAMPLES / "sgml" / "US06336130.xml"
    (reject,) = list(parse_file(path))
    assert isinstance(reject, Reject)
    assert reject.reason == "unsupported USPTO format PATDOC"
    assert reject.location == "document 1"


# --------------------------------------------------------------------------- bad input


def _grant_xml(
    *,
    doc_number: str = "08420016",
    published: str = "20130416",
    filed: str = "20070516",
    cited_number: str = "5123456",
    cited_date: str = "19970000",
    root: str = "us-patent-grant",
    ipcr: str = "",
    national: str = "  2 21",
) -> str:
    publication_number = f"<doc-number>{doc_number}</doc-number>" if doc_number else ""
    biblio = "us-bibliographic-data-" + ("grant" if root == "us-patent-grant" else "application")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE {root} SYSTEM "{root}-v42-2006-08-23.dtd" [ ]>
<{root} lang="EN" dtd-version="v4.2 2006-08-23" country="US">
<{biblio}>
<publication-reference><document-id><country>US</country>{publication_number}<kind>B2</kind>
<date>{published}</date></document-id></publication-reference>
<application-reference appl-type="utility"><document-id><country>US</country>
<doc-number>11749326</doc-number><date>{filed}</date></document-id></application-reference>
{ipcr}
<classification-national><country>US</country><main-classification>{national}</main-classification>
</classification-national>
<invention-title id="t1">A <i>small</i> widget</invention-title>
<references-cited><citation><patcit num="00001"><document-id><country>US</country>
<doc-number>{cited_number}</doc-number><kind>A</kind><date>{cited_date}</date></document-id>
</patcit><category>cited by applicant</category></citation></references-cited>
</{biblio}>
<description id="description">
<p id="p-1">Not read.</p>
<p id="p-2">Nor this.</p>
</description>
<claims id="claims"><claim id="CLM-00001" num="00001"><claim-text>1. A widget.</claim-text></claim>
<claim id="CLM-00002" num="00002"><claim-text>2. The widget of <claim-ref idref="CLM-00001">claim 1
</claim-ref>, red.</claim-text></claim></claims>
</{root}>
"""


def _parse(text: str) -> Document | Reject:
    return parse_document(text.encode(), file="test.xml", index=7)


def test_minimal_grant_parses() -> None:
    document = _parse(_grant_xml())
    assert not isinstance(document, Reject)
    patent = document["patents"][0]
    assert patent["patent_id"] == "US8420016"
    assert patent["title"] == "A small widget"
    assert (patent["claims_count"], patent["independent_claims_count"]) == (2, 1)
    citation = document["citations"][0]
    assert (citation["cited_by"], citation["cited_date"]) == ("applicant", date(1997, 1, 1))


@pytest.mark.parametrize(
    ("cited_date", "read_as"),
    [
        ("19970000", date(1997, 1, 1)),
        ("19970500", date(1997, 5, 1)),
        ("19970512", date(1997, 5, 12)),
        ("19970231", None),
        ("", None),
    ],
)
def test_citation_dates_with_unknown_month_or_day(cited_date: str, read_as: date | None) -> None:
    document = _parse(_grant_xml(cited_date=cited_date))
    assert not isinstance(document, Reject)
    assert document["citations"][0]["cited_date"] == read_as


@pytest.mark.parametrize(
    ("doc_number", "root", "patent_id"),
    [
        ("D0512345", "us-patent-grant", "USD512345"),
        ("RE041234", "us-patent-grant", "USRE41234"),
        ("PP015432", "us-patent-grant", "USPP15432"),
        ("H0002140", "us-patent-grant", "USH2140"),
        ("07654321", "us-patent-grant", "US7654321"),
        ("20130012345", "us-patent-application", "US20130012345"),
    ],
)
def test_publication_numbers_become_patent_ids(doc_number: str, root: str, patent_id: str) -> None:
    document = _parse(_grant_xml(doc_number=doc_number, root=root))
    assert not isinstance(document, Reject)
    assert document["patents"][0]["patent_id"] == patent_id
    assert document["patents"][0]["number"] == patent_id[2:]
    expected_type = "grant" if root == "us-patent-grant" else "application"
    assert document["patents"][0]["doc_type"] == expected_type


@pytest.mark.parametrize(
    ("cited_number", "cited_patent_id"),
    [("2003/0123456", "US20030123456"), ("D0345678", "USD345678"), ("RE37921", "USRE37921")],
)
def test_cited_us_numbers_are_comparable_with_patent_ids(
    cited_number: str, cited_patent_id: str
) -> None:
    document = _parse(_grant_xml(cited_number=cited_number))
    assert not isinstance(document, Reject)
    assert document["citations"][0]["cited_patent_id"] == cited_patent_id


def test_ipcr_groups_lose_padding_zeros() -> None:
    ipcr = """<classifications-ipcr><classification-ipcr>
<ipc-version-indicator><date>20060101</date></ipc-version-indicator>
<section>F</section><class>24</class><subclass>F</subclass><main-group>011</main-group>
<subgroup>300000</subgroup><symbol-position>L</symbol-position>
<classification-value>N</classification-value></classification-ipcr></classifications-ipcr>"""
    document = _parse(_grant_xml(ipcr=ipcr))
    assert not isinstance(document, Reject)
    (row,) = [row for row in document["classifications"] if row["scheme"] == "IPC"]
    assert (row["symbol"], row["subclass"], row["main_group"]) == (
        "F24F 11/30",
        "F24F",
        "F24F 11/00",
    )
    assert (row["is_main"], row["value"], row["version"]) == (False, "additional", "2006.01")


@pytest.mark.parametrize(
    ("national", "symbol"),
    [
        ("  2 21", "2/21"),
        ("D14138 G", "D14/138G"),
        ("D 1128", "D1/128"),
        (" D1106", "D1/106"),
        ("4555751", "455/575.1"),
        ("119 1402", "119/14.02"),
        ("600300000", "600/300"),  # v4.0 applications pad the decimals
        ("156DIG 14", "156/DIG.14"),
        ("257E21211", "257/E21.211"),
        ("PLT226", "PLT/226"),
        ("None", None),
    ],
)
def test_uspc_symbols(national: str, symbol: str | None) -> None:
    document = _parse(_grant_xml(national=national))
    assert not isinstance(document, Reject)
    uspc = [row["symbol"] for row in document["classifications"] if row["scheme"] == "USPC"]
    assert uspc == ([symbol] if symbol else [])


def test_documents_are_cut_at_every_block_alignment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grants = [_grant_xml(doc_number=f"0842001{digit}").encode() for digit in range(3)]
    listing = b'<?xml version="1.0"?>\n<!DOCTYPE sequence-cwu SYSTEM "x.dtd" [ ]>\n<sequence-cwu>'
    listing += b"<s400>acgt</s400>\n" * 120 + b"</sequence-cwu>\n"
    tiny = b'<?xml version="1.0"?>\n<us-patent-grant/>\n'  # shorter than the sniffed head
    path = tmp_path / "ipg.xml"
    path.write_bytes(grants[0] + listing + grants[1] + tiny + listing + grants[2])
    expected = [grants[0], grants[1], tiny, grants[2]]
    for block_size in range(1, 160):
        monkeypatch.setattr(uspto_xml, "_BLOCK_SIZE", block_size)
        assert list(iter_raw_documents(path)) == expected, block_size


def test_truncated_document_in_a_weekly_file(tmp_path: Path) -> None:
    good = _grant_xml()
    whole = _grant_xml(doc_number="08420017")
    truncated = whole[: whole.index("</claim-ref>")]
    path = tmp_path / "ipg.xml"
    path.write_text(good + truncated + "\n" + good, encoding="utf-8")
    items = list(parse_file(path))
    assert [isinstance(item, Reject) for item in items] == [False, True, False]
    reject = items[1]
    assert isinstance(reject, Reject)
    assert (reject.file, reject.location, reject.field) == (str(path), "document 2", None)
    assert reject.record == "US8420017"
    end_of_document = (truncated + "\n").count("\n") + 1
    assert f"line {end_of_document}," in reject.reason


def test_missing_publication_number() -> None:
    reject = _parse(_grant_xml(doc_number=""))
    assert isinstance(reject, Reject)
    assert (reject.location, reject.field) == ("document 7", "publication-reference/doc-number")
    assert reject.record is None


@pytest.mark.parametrize(
    ("published", "filed", "field"),
    [
        ("20130231", "20070516", "publication-reference/date"),
        ("20130416", "20071301", "application-reference/date"),
        ("2013041", "20070516", "publication-reference/date"),
    ],
)
def test_impossible_dates_name_the_field(published: str, filed: str, field: str) -> None:
    reject = _parse(_grant_xml(published=published, filed=filed))
    assert isinstance(reject, Reject)
    assert reject.field == field
    assert reject.record == "US8420016"
    assert "impossible date" in reject.reason


def test_wrong_root_element() -> None:
    reject = _parse('<?xml version="1.0"?>\n<invoice><number>1</number></invoice>\n')
    assert isinstance(reject, Reject)
    assert reject.field is None
    assert reject.reason == "not a USPTO patent document: root element <invoice>"


def test_sequence_listing_given_directly_is_rejected() -> None:
    reject = _parse('<?xml version="1.0"?>\n<sequence-cwu><number>1</number></sequence-cwu>\n')
    assert isinstance(reject, Reject)
    assert reject.reason == "unsupported USPTO format sequence-cwu"


def test_not_xml_at_all() -> None:
    reject = parse_document(b"PATN\nWKU  039327098\n", file="aps.txt", index=1)
    assert isinstance(reject, Reject)
    assert reject.field is None
    assert reject.reason
