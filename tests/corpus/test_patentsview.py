"""PatentsView bulk tables: the fixture folder, zipped tables, chunks, bad input.

The fixture folder and the inline tables are hand-made, NOT real records
(tests/fixtures/patentsview/SOURCE.md): numbers from the reserved ranges (US grants
900,000,000+, designs D9xxxxxx, application series 99) and invented names.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ipops.corpus.formats.patentsview import looks_like, read_patentsview
from ipops.corpus.records import Chunk, Reject
from ipops.corpus.schema import TABLE_NAMES, to_table
from ipops.errors import InputFormatError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "patentsview"


def read_all(paths: list[Path], chunk_size: int = 50_000) -> tuple[dict[str, list[Any]], Chunk]:
    """Rows of every chunk by table, and one chunk holding all rejects and the record count."""
    rows: dict[str, list[Any]] = {table: [] for table in TABLE_NAMES}
    summary = Chunk()
    for chunk in read_patentsview(paths, chunk_size=chunk_size):
        for table, table_rows in chunk.rows.items():
            to_table(table, table_rows)  # every row fits the canonical schema
            rows[table].extend(table_rows)
        summary.rejects.extend(chunk.rejects)
        summary.records_read += chunk.records_read
    return rows, summary


def by_patent(rows: list[dict[str, Any]], patent_id: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["patent_id"] == patent_id]


def copy_fixtures(target: Path, *, skip: tuple[str, ...] = ()) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in FIXTURES.glob("*.tsv"):
        if path.stem not in skip:
            shutil.copy(path, target / path.name)
    return target


def write_tsv(path: Path, text: str) -> Path:
    path.write_text(text.replace("|", "\t"), encoding="utf-8")
    return path


def test_reads_every_table_of_the_fixture_folder() -> None:
    rows, summary = read_all([FIXTURES])
    assert summary.rejects == []
    assert summary.records_read == 3
    patents = {row["patent_id"]: row for row in rows["patents"]}
    assert set(patents) == {"US900000101", "USD9000102", "US900000103"}

    utility = patents["US900000101"]
    assert utility["office"] == "US"
    assert utility["number"] == "900000101"
    assert utility["kind"] == "B2"
    assert utility["doc_type"] == "grant"
    assert utility["patent_type"] == "utility"
    assert utility["grant_date"] == utility["publication_date"] == date(2019, 11, 12)
    assert utility["filing_date"] == date(2018, 6, 19)
    assert utility["application_id"] == "US99000101"
    assert utility["claims_count"] == 18
    assert utility["abstract"].endswith('the "comfort" setting.')
    assert "\n" in utility["abstract"]
    assert utility["source"] == "patentsview"


def test_design_patent() -> None:
    rows, _ = read_all([FIXTURES])
    design = by_patent(rows["patents"], "USD9000102")[0]
    assert design["number"] == "D9000102"
    assert design["kind"] == "S1"
    assert design["patent_type"] == "design"
    assert design["abstract"] is None
    application = by_patent(rows["applications"], "USD9000102")[0]
    assert application["application_id"] == "US99000102"
    assert application["application_type"] == "design"
    assert application["series_code"] == "99"
    assert [p["name"] for p in by_patent(rows["parties"], "USD9000102")] == [
        "THRENNICK AIR SYSTEMS CO., LTD.",
        "THRENNICK GROUP CO., LTD.",
    ]
    assert by_patent(rows["classifications"], "USD9000102") == []


def test_inventors_get_places_from_the_location_table() -> None:
    rows, _ = read_all([FIXTURES])
    inventors = by_patent(rows["inventors"], "US900000103")
    assert [i["sequence"] for i in inventors] == [0, 1, 2]
    fictive, beispiel, yangli = inventors
    assert fictive["name"] == "Dana Fictive"
    assert (fictive["city"], fictive["state"], fictive["country"]) == ("Syracuse", "NY", "US")
    assert beispiel["name"] == "Jürgen Beispiel"
    assert (beispiel["first_name"], beispiel["last_name"]) == ("Jürgen", "Beispiel")
    assert (beispiel["city"], beispiel["state"], beispiel["country"]) == ("Stuttgart", None, "DE")
    assert (beispiel["latitude"], beispiel["longitude"]) == (48.7758, 9.1829)
    assert beispiel["geo_source"] == "source"
    # A location without coordinates: the place is kept, geocoding is left to the loader.
    assert (yangli["city"], yangli["country"]) == ("Ningbo", "CN")
    assert yangli["latitude"] is None and yangli["geo_source"] is None


def test_assignees_are_parties() -> None:
    rows, _ = read_all([FIXTURES])
    (utility,) = by_patent(rows["parties"], "US900000101")
    assert utility["role"] == "assignee"
    assert utility["name"] == "VEXMORROW CLIMATE APPLIANCES CO., LTD."
    assert utility["party_type"] == "organization"
    assert (utility["city"], utility["country"], utility["geo_source"]) == (
        "Hangzhou",
        "CN",
        "source",
    )
    assert utility.get("name_normalized") is None and utility.get("entity_id") is None


def test_classifications_are_normalised() -> None:
    rows, _ = read_all([FIXTURES])
    found = [
        (c["scheme"], c["sequence"], c["symbol"], c["subclass"], c["main_group"], c["is_main"])
        for c in by_patent(rows["classifications"], "US900000101")
    ]
    assert found == [
        ("CPC", 0, "F24F 11/30", "F24F", "F24F 11/00", True),
        ("CPC", 1, "F24F 11/64", "F24F", "F24F 11/00", False),
        ("CPC", 2, "F24F 2110/10", "F24F", "F24F 2110/00", False),
        ("IPC", 0, "F24F 11/30", "F24F", "F24F 11/00", True),
        ("IPC", 1, "F24F 11/64", "F24F", "F24F 11/00", False),
    ]
    cpc, _, additional, ipc, _ = by_patent(rows["classifications"], "US900000101")
    assert (cpc["value"], additional["value"]) == ("inventive", "additional")
    assert (ipc["value"], ipc["version"]) == ("inventive", "2018.01")
    heat_pump = by_patent(rows["classifications"], "US900000103")
    assert [c["symbol"] for c in heat_pump] == ["F25B 49/005", "F25B 2500/222", "F25B 49/00"]


def test_citations() -> None:
    rows, _ = read_all([FIXTURES])
    citations = by_patent(rows["citations"], "US900000103")
    assert [(c["cited_patent_id"], c["cited_by"], c["cited_kind"]) for c in citations] == [
        ("US900000013", "applicant", "B2"),
        ("USD9000014", "other", "S"),
    ]
    assert citations[0]["cited_date"] == date(2010, 5, 11)
    assert citations[0]["category"] == "patent"
    assert citations[0]["cited_office"] == "US"
    examiner = by_patent(rows["citations"], "US900000101")[0]
    assert examiner["cited_by"] == "examiner"


def test_zipped_tables_read_the_same(tmp_path: Path) -> None:
    for path in FIXTURES.glob("*.tsv"):
        with zipfile.ZipFile(tmp_path / f"{path.name}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(path, path.name)
    assert looks_like(tmp_path)
    assert read_all([tmp_path])[0] == read_all([FIXTURES])[0]


def test_files_named_one_by_one_and_a_mix_of_zipped_and_plain(tmp_path: Path) -> None:
    patent = FIXTURES / "g_patent.tsv"
    with zipfile.ZipFile(tmp_path / "g_cpc_current.tsv.zip", "w") as archive:
        archive.write(FIXTURES / "g_cpc_current.tsv", "g_cpc_current.tsv")
    rows, summary = read_all([patent, tmp_path / "g_cpc_current.tsv.zip"])
    assert summary.rejects == []
    assert len(rows["patents"]) == 3
    assert len(rows["classifications"]) == 5
    assert rows["inventors"] == []
    assert all(p["filing_date"] is None for p in rows["patents"])


def test_chunks_hold_chunk_size_patents_with_their_rows() -> None:
    chunks = list(read_patentsview([FIXTURES], chunk_size=2))
    assert [c.records_read for c in chunks] == [2, 1]
    first, second = chunks
    assert {p["patent_id"] for p in first.rows["patents"]} == {"US900000101", "USD9000102"}
    assert {i["patent_id"] for i in first.rows["inventors"]} == {"US900000101", "USD9000102"}
    assert {i["patent_id"] for i in second.rows["inventors"]} == {"US900000103"}
    assert {c["patent_id"] for c in second.rows["citations"]} == {"US900000103"}


def test_abstracts_from_the_separate_abstract_table(tmp_path: Path) -> None:
    write_tsv(
        tmp_path / "g_patent.tsv",
        "patent_id|patent_type|patent_date|patent_title|wipo_kind|num_claims|withdrawn|filename\n"
        "900000101|utility|2019-11-12|Air conditioner|B2|18|0|ipg191112.xml\n"
        "900000104|utility|2019-12-10|Fan coil unit|B1|5|1|ipg191210.xml\n",
    )
    write_tsv(
        tmp_path / "g_patent_abstract.tsv",
        "patent_id|patent_abstract\n900000101|An air conditioner with a controller.\n",
    )
    rows, _ = read_all([tmp_path])
    patents = {p["patent_id"]: p for p in rows["patents"]}
    assert patents["US900000101"]["abstract"] == "An air conditioner with a controller."
    assert patents["US900000104"]["abstract"] is None
    assert patents["US900000104"]["legal_status"] == "withdrawn"


def test_bad_rows_are_rejected_and_the_rest_loads(tmp_path: Path) -> None:
    copy_fixtures(tmp_path, skip=("g_patent", "g_inventor_disambiguated"))
    header = "patent_id|patent_type|patent_date|patent_title|patent_abstract|wipo_kind|num_claims"
    write_tsv(
        tmp_path / "g_patent.tsv",
        f"{header}|withdrawn|filename\n"
        "900000101|utility|2019-11-12|Air conditioner||B2|18|0|f\n"
        "|utility|2019-11-12|No number||B2|3|0|f\n"
        "D9000102|design|2019-02-30|Impossible date||S1|1|0|f\n"
        "900000101|utility|2019-11-12|Repeated||B2|18|0|f\n"
        "900000103|utility|2019-12-10|Too few fields\n"
        "ABC|utility|2019-12-10|Not a number||B2|1|0|f\n",
    )
    write_tsv(
        tmp_path / "g_inventor_disambiguated.tsv",
        "patent_id|inventor_sequence|inventor_id|disambig_inventor_name_first"
        "|disambig_inventor_name_last|gender_code|location_id\n"
        "900000101|0|i1|Ada|Example|M|\n"
        "|1|i2|Nobody|Known|F|\n"
        "D9000102|0|i3|Cy|Placeholder|M|\n",
    )
    rows, summary = read_all([tmp_path])
    assert [p["patent_id"] for p in rows["patents"]] == ["US900000101"]
    # The rejected design patent's rows are not loaded either.
    assert {r["patent_id"] for t in ("inventors", "parties") for r in rows[t]} == {"US900000101"}
    assert summary.records_read == 6
    found = {(r.file, r.location, r.field) for r in summary.rejects}
    assert ("g_patent.tsv", "row 2", "patent_id") in found
    assert ("g_patent.tsv", "row 3", "patent_date") in found
    assert ("g_patent.tsv", "row 4", "patent_id") in found
    assert ("g_patent.tsv", "row 5", "patent_id") in found  # ABC (the short row is skipped)
    assert ("g_inventor_disambiguated.tsv", "row 2", "patent_id") in found
    short = [r for r in summary.rejects if r.field is None]
    assert len(short) == 1 and "expected 9 fields, found 4" in short[0].reason
    reasons = " ".join(r.reason for r in summary.rejects)
    assert "impossible date '2019-02-30'" in reasons
    assert "repeats the patent_id of row 1" in reasons


def test_impossible_filing_date_rejects_the_patent(tmp_path: Path) -> None:
    copy_fixtures(tmp_path, skip=("g_application",))
    write_tsv(
        tmp_path / "g_application.tsv",
        "application_id|patent_id|patent_application_type|filing_date|series_code|rule_47_flag\n"
        "99/000101|900000101|16|2018-13-19|99|0\n",
    )
    rows, summary = read_all([tmp_path])
    assert "US900000101" not in {p["patent_id"] for p in rows["patents"]}
    assert len(rows["patents"]) == 2
    (reject,) = summary.rejects
    assert (reject.file, reject.location, reject.field) == (
        "g_application.tsv",
        "row 1",
        "filing_date",
    )
    assert reject.record == "900000101"


def test_citation_dates(tmp_path: Path) -> None:
    copy_fixtures(tmp_path, skip=("g_us_patent_citation",))
    write_tsv(
        tmp_path / "g_us_patent_citation.tsv",
        "patent_id|citation_sequence|citation_patent_id|citation_date|record_name|wipo_kind"
        "|citation_category\n"
        "900000101|0|900000015|1992-00-00|Example|A|cited by examiner\n"
        "900000101|1|900000016|1993-06-00|Sample|A|cited by applicant\n"
        "900000101|2|900000017|1994-02-31|Fictive|A|cited by applicant\n",
    )
    rows, summary = read_all([tmp_path])
    dates = [c["cited_date"] for c in by_patent(rows["citations"], "US900000101")]
    assert dates == [date(1992, 1, 1), date(1993, 6, 1), None]
    (reject,) = summary.rejects
    assert isinstance(reject, Reject)
    assert (reject.location, reject.field) == ("row 3", "citation_date")
    assert "loaded without its date" in reject.reason


def test_a_header_without_a_required_column_is_one_clear_error(tmp_path: Path) -> None:
    copy_fixtures(tmp_path, skip=("g_cpc_current",))
    write_tsv(
        tmp_path / "g_cpc_current.tsv",
        "patent_id|cpc_section|cpc_class|cpc_subclass|cpc_type\n900000101|F|F24|F24F|inventive\n",
    )
    with pytest.raises(InputFormatError) as error:
        list(read_patentsview([tmp_path]))
    message = str(error.value)
    assert "g_cpc_current.tsv" in message
    assert "cpc_sequence, cpc_group" in message


def test_g_patent_is_required(tmp_path: Path) -> None:
    copy_fixtures(tmp_path, skip=("g_patent",))
    with pytest.raises(InputFormatError, match="g_patent"):
        list(read_patentsview([tmp_path]))


def test_an_unknown_table_file_is_an_error(tmp_path: Path) -> None:
    other = write_tsv(tmp_path / "g_claims_2019.tsv", "patent_id|claim_text\n1|x\n")
    with pytest.raises(InputFormatError, match="not a PatentsView table"):
        list(read_patentsview([FIXTURES / "g_patent.tsv", other]))


def test_a_broken_zip_is_an_input_format_error(tmp_path: Path) -> None:
    (tmp_path / "g_patent.tsv.zip").write_bytes(b"not a zip")
    with pytest.raises(InputFormatError, match="zip"):
        list(read_patentsview([tmp_path]))


def test_looks_like(tmp_path: Path) -> None:
    assert looks_like(FIXTURES)
    assert looks_like(FIXTURES / "g_patent.tsv")
    assert looks_like(Path("g_us_patent_citation.tsv.zip"))
    assert not looks_like(Path("g_claims_2019.tsv.zip"))
    assert not looks_like(Path("patents.csv"))
    assert not looks_like(tmp_path)
