"""Chinese patent database exports: CSV in three encodings, XLSX, the mapping, bad input.

The fixtures and the inline tables are hand-made, NOT real records
(tests/fixtures/cn_table/SOURCE.md): publication numbers CN9xxxxxxxx and US2019 9xxxxxx,
application serials 9xxxxxx (ranges no office reaches), invented applicants.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from ipops.corpus.formats.cn_table import (
    UNKNOWN_COLUMN,
    load_mapping,
    looks_like,
    parse_application_number,
    parse_date,
    parse_publication_number,
    place_from_address,
    read_cn_table,
    split_names,
    split_values,
    text_encoding,
)
from ipops.corpus.records import Chunk
from ipops.corpus.schema import TABLE_NAMES, to_table
from ipops.errors import InputFormatError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cn_table"
PATSNAP = FIXTURES / "patsnap_aircon_utf8bom.csv"
CNIPA = FIXTURES / "cnipa_aircon_gb18030.csv"


def read_all(path: Path, **options: Any) -> tuple[dict[str, list[Any]], Chunk]:
    rows: dict[str, list[Any]] = {table: [] for table in TABLE_NAMES}
    summary = Chunk()
    for chunk in read_cn_table(path, **options):
        for table, table_rows in chunk.rows.items():
            to_table(table, table_rows)  # every row fits the canonical schema
            rows[table].extend(table_rows)
        summary.rejects.extend(chunk.rejects)
        summary.records_read += chunk.records_read
    return rows, summary


def of(rows: list[dict[str, Any]], patent_id: str, **match: Any) -> list[dict[str, Any]]:
    return [
        row
        for row in rows
        if row["patent_id"] == patent_id and all(row.get(k) == v for k, v in match.items())
    ]


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


# --------------------------------------------------------------------------- the fixtures


def test_utf8_bom_export() -> None:
    assert text_encoding(PATSNAP) == "utf-8-sig"
    rows, summary = read_all(PATSNAP)
    assert summary.records_read == 7
    patents = {p["patent_id"]: p for p in rows["patents"]}
    assert list(patents) == [
        "CN910000101",
        "CN910000102",
        "CN950000103",
        "CN980000104",
        "US20199000107",
    ]
    shili = patents["CN910000101"]
    assert (shili["office"], shili["number"], shili["kind"]) == ("CN", "910000101", "B")
    assert (shili["doc_type"], shili["patent_type"]) == ("grant", "invention")
    assert shili["application_id"] == "CN201719000101"
    assert shili["filing_date"] == shili["priority_date"] == date(2017, 12, 1)
    assert shili["publication_date"] == shili["grant_date"] == date(2020, 3, 17)
    assert shili["title"] == "空调器及其控制方法"
    assert (shili["claims_count"], shili["independent_claims_count"]) == (10, 2)
    assert (shili["reported_citations"], shili["family_size"]) == (5, 2)
    assert shili["legal_status"] == "有效"
    assert shili["source"] == "cn-table"


def test_kinds_types_and_date_formats() -> None:
    rows, _ = read_all(PATSNAP)
    patents = {p["patent_id"]: p for p in rows["patents"]}
    yangli = patents["CN910000102"]
    assert (yangli["doc_type"], yangli["patent_type"], yangli["legal_status"]) == (
        "application",
        "invention",
        "审中",
    )
    assert yangli["filing_date"] == date(2019, 7, 5)  # 2019/7/5
    assert yangli["publication_date"] == date(2019, 11, 8)  # 2019.11.08
    assert yangli["grant_date"] is None
    xugou = patents["CN950000103"]
    assert (xugou["kind"], xugou["doc_type"], xugou["patent_type"]) == (
        "U",
        "grant",
        "utility_model",
    )
    assert xugou["filing_date"] == date(2019, 4, 17)  # 20190417
    assert xugou["grant_date"] == xugou["publication_date"] == date(2020, 1, 17)
    design = patents["CN980000104"]
    assert (design["kind"], design["doc_type"], design["patent_type"]) == ("S", "grant", "design")
    assert design["application_id"] == "CN201939000119"  # check digit X dropped
    kakuu = patents["US20199000107"]
    assert (kakuu["office"], kakuu["kind"], kakuu["doc_type"]) == ("US", "A1", "application")
    assert kakuu["application_id"] == "US99000107"


def test_applicants_owners_and_inventors() -> None:
    rows, _ = read_all(PATSNAP)
    applicants = of(rows["parties"], "CN910000102", role="applicant")
    assert [a["name"] for a in applicants] == ["样例集团股份有限公司", "广东样例制冷设备有限公司"]
    first = applicants[0]
    assert (first["state"], first["city"], first["country"]) == ("广东省", "佛山市", "CN")
    assert first["address"] == "528311 广东省佛山市顺德区北滘镇样例大道6号"
    assert first["party_type"] == "organization"
    assert first.get("latitude") is None and first.get("name_normalized") is None
    assert applicants[1].get("state") is None  # the address columns describe the first
    owners = of(rows["parties"], "CN950000103", role="assignee")
    assert [o["name"] for o in owners] == ["虚构智家股份有限公司"]
    xugou = of(rows["parties"], "CN950000103", role="applicant")
    assert [h["name"] for h in xugou] == ["青岛虚构空调器有限总公司", "虚构智家股份有限公司"]
    assert (xugou[0]["state"], xugou[0]["city"]) == ("山东省", "青岛市")
    inventors = of(rows["inventors"], "CN910000102")
    assert [(i["sequence"], i["name"]) for i in inventors] == [
        (0, "刘洋"),
        (1, "周杰"),
        (2, "吴敏"),
    ]
    kakuu = of(rows["parties"], "US20199000107", role="applicant")
    assert [d["name"] for d in kakuu] == ["KAKUU INDUSTRIES, LTD."]


def test_classifications() -> None:
    rows, _ = read_all(PATSNAP)
    shili = [
        (c["scheme"], c["symbol"], c["is_main"]) for c in of(rows["classifications"], "CN910000101")
    ]
    assert shili == [
        ("IPC", "F24F 11/30", True),
        ("IPC", "F24F 11/64", False),
        ("IPC", "F24F 11/86", False),
        ("CPC", "F24F 11/30", True),
        ("CPC", "F24F 2110/10", False),
    ]
    yangli = of(rows["classifications"], "CN910000102")
    assert [c["symbol"] for c in yangli] == ["F24F 11/79", "F24F 11/64", "F24F 120/10"]
    assert {c["subclass"] for c in yangli} == {"F24F"}
    assert yangli[2]["main_group"] == "F24F 120/00"
    assert of(rows["classifications"], "CN980000104") == []


def test_rejects_name_the_row_and_the_field() -> None:
    _, summary = read_all(PATSNAP)
    found = {(r.location, r.field, r.reason) for r in summary.rejects}
    assert ("header", "代理机构", UNKNOWN_COLUMN) in found
    assert ("row 6", "公开（公告）号", "missing publication number") in found
    assert ("row 7", "公开（公告）日", "impossible date '2019-02-30'") in found
    assert len(summary.rejects) == 3
    assert all(r.file == PATSNAP.name for r in summary.rejects)


def test_gb18030_export_with_province_codes() -> None:
    assert text_encoding(CNIPA) == "gb18030"
    rows, summary = read_all(CNIPA)
    assert summary.rejects == []
    assert [p["patent_id"] for p in rows["patents"]] == [
        "CN910000201",
        "CN950000202",
        "CN910000203",
    ]
    sheli = of(rows["parties"], "CN910000201")[0]
    assert (sheli["state"], sheli["city"], sheli["country"]) == ("江苏省", "南京市", "CN")
    kakuu = of(rows["parties"], "CN910000203")[0]
    assert (kakuu["name"], kakuu["country"], kakuu["state"]) == ("架空工业株式会社", "JP", None)
    assert [i["name"] for i in of(rows["inventors"], "CN910000201")] == ["赵伟", "钱进"]
    main = [c["symbol"] for c in of(rows["classifications"], "CN910000201") if c["is_main"]]
    assert main == ["F24F 11/42"]  # 主分类号
    shili = of(rows["patents"], "CN950000202")[0]
    assert (shili["patent_type"], shili["doc_type"], shili["reported_citations"]) == (
        "utility_model",
        "grant",
        0,
    )


def test_chunks() -> None:
    chunks = list(read_cn_table(PATSNAP, chunk_size=3))
    assert [c.records_read for c in chunks] == [3, 3, 1]
    assert sum(len(c.rows["patents"]) for c in chunks) == 5


# --------------------------------------------------------------------------- XLSX


def xlsx_export(path: Path, *, extra_header: str = "权项总数") -> Path:
    return write_xlsx(
        path,
        [
            ["检索式：TAC=(空调) AND PA=(示例 OR 样例)", None],
            [],
            [
                "公开（公告）号",
                "申请号",
                "申请日",
                "公开（公告）日",
                "名称",
                "申请人",
                "发明人",
                "IPC",
                "申请人国家",
                "申请人省市",
                "申请人类型",
                "引证专利",
                "同族数量",
                extra_header,
            ],
            [
                "CN910000301A",
                "202019000301.7",
                datetime(2020, 11, 2),
                datetime(2021, 2, 26),
                "一种新风空调",
                "珠海示例电器股份有限公司, 示例电器（武汉）有限公司",
                "张明，李华",
                "F24F 7/08 F24F 11/30",
                "中国",
                "广东省 珠海市",
                "企业;企业",
                "CN910000101B; US900000108B2; 无效号码",
                3,
                12,
            ],
            [
                "CN910000302B",
                "202119000302.6",
                44221,  # an Excel day number: 2021-01-25
                datetime(2022, 3, 8),
                "空调器",
                "王磊",
                "王磊",
                "F24F11/64",
                None,
                "北京;北京",
                "个人",
                None,
                None,
                None,
            ],
            [None] * 14,
        ],
    )


def test_xlsx_export_with_notes_above_the_header(tmp_path: Path) -> None:
    path = xlsx_export(tmp_path / "export.xlsx")
    assert looks_like(path)
    rows, summary = read_all(path)
    assert summary.records_read == 2
    first, second = rows["patents"]
    assert (first["filing_date"], first["publication_date"]) == (
        date(2020, 11, 2),
        date(2021, 2, 26),
    )
    assert first["family_size"] == 3
    assert second["filing_date"] == date(2021, 1, 25)
    assert (second["doc_type"], second["grant_date"]) == ("grant", date(2022, 3, 8))
    shili = of(rows["parties"], "CN910000301")
    assert [g["name"] for g in shili] == ["珠海示例电器股份有限公司", "示例电器（武汉）有限公司"]
    assert (shili[0]["state"], shili[0]["city"], shili[0]["country"]) == ("广东省", "珠海市", "CN")
    person = of(rows["parties"], "CN910000302")[0]
    assert (person["party_type"], person["state"], person["city"]) == (
        "individual",
        "北京市",
        "北京市",
    )
    citations = of(rows["citations"], "CN910000301")
    assert [(c["cited_patent_id"], c["cited_kind"]) for c in citations] == [
        ("CN910000101", "B"),
        ("US900000108", "B2"),
    ]
    symbols = [c["symbol"] for c in of(rows["classifications"], "CN910000301")]
    assert symbols == []  # "F24F 7/08 F24F 11/30" has no separator: not one symbol
    found = {(r.location, r.field) for r in summary.rejects}
    assert ("header", "权项总数") in found
    assert ("row 4", "IPC") in found
    assert ("row 4", "引证专利") in found


def test_user_mapping_adds_custom_headers(tmp_path: Path) -> None:
    path = xlsx_export(tmp_path / "export.xlsx")
    mapping_file = tmp_path / "my_mapping.toml"
    mapping_file.write_text(
        '[fields]\nclaims_count = ["权项总数"]\n\n[countries]\n"中华民国" = "TW"\n',
        encoding="utf-8",
    )
    rows, summary = read_all(path, mapping_file=mapping_file)
    assert rows["patents"][0]["claims_count"] == 12
    assert ("header", "权项总数") not in {(r.location, r.field) for r in summary.rejects}
    mapping = load_mapping(mapping_file)
    assert mapping["权项总数"] == "claims_count"
    assert mapping["公开(公告)号"] == "publication_number"  # the defaults stay
    assert mapping.countries["中华民国"] == "TW"


def test_user_mapping_can_name_the_publication_number_column(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "odd.xlsx",
        [["文献公开号", "申请日", "标题"], ["CN910000301A", "2020-11-02", "空调"]],
    )
    with pytest.raises(InputFormatError, match="no publication-number column"):
        list(read_cn_table(path))
    mapping_file = tmp_path / "m.toml"
    mapping_file.write_text('[fields]\npublication_number = "文献公开号"\n', encoding="utf-8")
    rows, _ = read_all(path, mapping_file=mapping_file)
    assert [p["patent_id"] for p in rows["patents"]] == ["CN910000301"]


def test_a_mapping_file_naming_an_unknown_field_is_an_error(tmp_path: Path) -> None:
    mapping_file = tmp_path / "m.toml"
    mapping_file.write_text('[fields]\nclaims = ["权项"]\n', encoding="utf-8")
    with pytest.raises(InputFormatError, match="'claims' is not a field"):
        load_mapping(mapping_file)
    mapping_file.write_text("[fields\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="not a readable TOML"):
        load_mapping(mapping_file)


# --------------------------------------------------------------------------- bad files


def test_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("这不是专利表\n只是一些文字\n", encoding="utf-8")
    assert not looks_like(path)
    with pytest.raises(InputFormatError, match="not a patent table"):
        list(read_cn_table(path))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert not looks_like(broken)
    with pytest.raises(InputFormatError, match="not a readable Excel workbook"):
        list(read_cn_table(broken))


def test_a_broken_legacy_xls_is_an_input_format_error(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert not looks_like(path)
    with pytest.raises(InputFormatError, match=r"\.xls"):
        list(read_cn_table(path))


def test_a_table_without_a_publication_number_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("申请号,申请日,标题\n201719000101.X,2017-12-01,空调器\n", encoding="utf-8")
    assert looks_like(path)
    with pytest.raises(InputFormatError) as error:
        list(read_cn_table(path))
    assert "no publication-number column" in str(error.value)
    assert "\n" not in str(error.value)


def test_utf16_tab_separated_export_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text(
        "公开（公告）号\t申请日\t标题\nCN910000101B\t2017-12-01\t空调器\n", encoding="utf-16"
    )
    assert text_encoding(path) == "utf-16"
    assert looks_like(path)
    rows, _ = read_all(path)
    assert [p["title"] for p in rows["patents"]] == ["空调器"]


def test_looks_like_other_files(tmp_path: Path) -> None:
    assert looks_like(PATSNAP) and looks_like(CNIPA)
    other = tmp_path / "prices.csv"
    other.write_text("name,price\nfan,10\n", encoding="utf-8")
    assert not looks_like(other)
    assert not looks_like(tmp_path / "missing.csv")
    assert not looks_like(FIXTURES.parent / "patentsview" / "g_patent.tsv")


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-03-05", date(2019, 3, 5)),
        ("2019/3/5", date(2019, 3, 5)),
        ("20190305", date(2019, 3, 5)),
        ("2019.03.05", date(2019, 3, 5)),
        ("2019年3月5日", date(2019, 3, 5)),
        ("2019-03-05 00:00:00", date(2019, 3, 5)),
        ("43529", date(2019, 3, 5)),
        (43529.0, date(2019, 3, 5)),
        (datetime(2019, 3, 5, 8, 30), date(2019, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_dates(text: Any, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2019-02-30", "20191305", "2019/0/1", "下周", "2019"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CN102345678A", ("CN", "102345678", "A")),
        ("CN 102345678 B", ("CN", "102345678", "B")),
        ("ＣＮ１０２３４５６７８Ａ", ("CN", "102345678", "A")),
        ("CN209944623U", ("CN", "209944623", "U")),
        ("CN1234567A", ("CN", "1234567", "A")),
        ("US2019234567A1", ("US", "2019234567", "A1")),
        ("USD0812345S", ("US", "D812345", "S")),
        ("US9876543B2", ("US", "9876543", "B2")),
        ("WO2019/123456A1", ("WO", "2019123456", "A1")),
        ("EP1234567B1", ("EP", "1234567", "B1")),
        ("JP2019123456A", ("JP", "2019123456", "A")),
        ("KR101234567B1", ("KR", "101234567", "B1")),
        ("CN102345678", ("CN", "102345678", None)),
    ],
)
def test_publication_numbers(text: str, expected: tuple[str, str, str | None]) -> None:
    assert parse_publication_number(text) == expected


@pytest.mark.parametrize("text", ["", "102345678", "无", "CN", "C102345678A"])
def test_not_publication_numbers(text: str) -> None:
    assert parse_publication_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("201910123456.7", ("CN", "201910123456")),
        ("CN201910123456.7", ("CN", "201910123456")),
        ("ZL201910123456.7", ("CN", "201910123456")),
        ("2019101234567", ("CN", "201910123456")),
        ("99123456.7", ("CN", "99123456")),
        ("201930123456.X", ("CN", "201930123456")),
    ],
)
def test_chinese_application_numbers(text: str, expected: tuple[str, str]) -> None:
    assert parse_application_number(text, "CN") == expected


def test_splitting_cells() -> None:
    assert split_values("F24F11/30;F24F1/00，F24F13/20、F24F11/64|F24F7/08") == [
        "F24F11/30",
        "F24F1/00",
        "F24F13/20",
        "F24F11/64",
        "F24F7/08",
    ]
    assert split_names("样例集团股份有限公司；广东样例制冷设备有限公司") == [
        "样例集团股份有限公司",
        "广东样例制冷设备有限公司",
    ]
    assert split_names("GREE ELECTRIC APPLIANCES, INC. OF ZHUHAI; Midea Group Co., Ltd.") == [
        "GREE ELECTRIC APPLIANCES, INC. OF ZHUHAI",
        "Midea Group Co., Ltd.",
    ]
    assert split_names("Carrier Corporation, Otis Elevator Company") == [
        "Carrier Corporation",
        "Otis Elevator Company",
    ]


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("519070 广东省珠海市前山示例路1号", ("广东省", "珠海市")),
        ("江苏省南京市玄武区", ("江苏省", "南京市")),
        ("浙江宁波市鄞州区姜山镇", ("浙江省", "宁波市")),
        ("中国广东省广州市天河区", ("广东省", "广州市")),
        ("北京市海淀区中关村", ("北京市", "北京市")),
        ("新疆维吾尔自治区乌鲁木齐市", ("新疆维吾尔自治区", "乌鲁木齐市")),
        ("湖北省恩施土家族苗族自治州恩施市", ("湖北省", "恩施土家族苗族自治州")),
        ("珠海市前山示例路", (None, "珠海市")),
        ("Osaka, Japan", (None, None)),
        (None, (None, None)),
    ],
)
def test_province_and_city_from_address(
    address: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert place_from_address(address) == expected


def test_a_and_b_publications_of_one_application_load_once_as_the_grant(tmp_path: Path) -> None:
    source = tmp_path / "ab.csv"
    source.write_text(
        "公开（公告）号,申请号,申请日,公开（公告）日,标题\n"
        "CN910000101A,201719000101.X,2017-12-01,2018-06-08,空调器及其控制方法\n"
        "CN910000101B,201719000101.X,2017-12-01,2020-03-17,空调器及其控制方法\n"
        "CN910000102A,201919000102.3,2019-07-05,2019-11-08,一种空调器的控制方法\n",
        encoding="utf-8",
    )
    rows, _ = read_all(source)
    patents = {p["patent_id"]: p for p in rows["patents"]}
    assert sorted(patents) == ["CN910000101", "CN910000102"]
    assert patents["CN910000101"]["kind"] == "B"
    assert patents["CN910000101"]["doc_type"] == "grant"
