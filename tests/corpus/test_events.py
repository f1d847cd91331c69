"""Legal-status events: reading the documented layout, and deriving the status from events."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipops.corpus.event_files import read_events
from ipops.corpus.events import (
    STATUS_VIEW_SQL,
    Event,
    EventType,
    LegalStatus,
    PatentStatus,
    derive_status,
    normalize_patent_id,
    status_sql,
)
from ipops.corpus.records import Reject
from ipops.corpus.schema import Row, to_table
from ipops.errors import InputFormatError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "corpus-events.md"


def read_all(path: Path, chunk_size: int = 10_000) -> tuple[list[Row], list[Reject]]:
    rows: list[Row] = []
    rejects: list[Reject] = []
    for chunk in read_events(path, chunk_size=chunk_size):
        rows.extend(chunk.rows["events"])
        rejects.extend(chunk.rejects)
    return rows, rejects


def write(tmp_path: Path, text: str, name: str = "events.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def ev(day: int, event_type: str) -> Event:
    return Event("CN1", date(2010, 1, 1) + timedelta(days=day), event_type)


# --------------------------------------------------------------------------- reading


def test_english_layout_with_codes_and_optional_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "patent,date,event,detail,counterparty\n"
        "CN910000401A,2019-03-20,pledged,Y2019320000123,示例银行股份有限公司\n"
        "US900000403B2,2010/2/2,GRANTED,,\n",
    )
    rows, rejects = read_all(path)
    assert rejects == []
    assert rows == [
        {
            "patent_id": "CN910000401",
            "event_date": date(2019, 3, 20),
            "event_type": "pledged",
            "detail": "Y2019320000123",
            "counterparty": "示例银行股份有限公司",
            "generated": False,
        },
        {
            "patent_id": "US900000403",
            "event_date": date(2010, 2, 2),
            "event_type": "granted",
            "detail": None,
            "counterparty": None,
            "generated": False,
        },
    ]
    assert to_table("events", rows).num_rows == 2


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("授权", "granted"),
        ("未缴年费专利权终止", "lapsed_unpaid_fees"),
        ("专利权终止", "lapsed_unpaid_fees"),
        ("期限届满", "expired"),
        ("无效宣告 全部无效", "invalidated"),
        ("无效宣告全部无效", "invalidated"),
        ("部分无效", "partially_invalidated"),
        ("权利恢复", "restored"),
        ("转让", "transferred"),
        ("专利权的转移", "transferred"),
        ("实施许可合同备案", "licence_recorded"),
        ("质押", "pledged"),
        ("专利权质押合同登记生效", "pledged"),
        ("质押解除", "pledge_released"),
        ("质押合同注销", "pledge_released"),
    ],
)
def test_chinese_labels(tmp_path: Path, label: str, code: str) -> None:
    path = write(tmp_path, f"公开号,日期,事件\nCN910000401B,2019-01-05,{label}\n")
    rows, rejects = read_all(path)
    assert rejects == []
    assert rows[0]["event_type"] == code


@pytest.mark.parametrize(
    ("text", "patent_id"),
    [
        ("CN102345678A", "CN102345678"),
        ("CN102345678", "CN102345678"),
        ("cn 102345678 b", "CN102345678"),
        ("CN203456789U", "CN203456789"),
        ("US7654321B2", "US7654321"),
        ("US7654321", "US7654321"),
        ("US07654321", "US7654321"),
        ("US 7,654,321 B2", "US7654321"),
        ("US2013/0012345 A1", "US20130012345"),
        ("USD0512345S", "USD512345"),
        ("JP2015123456A", "JP2015123456"),
        ("KR101234567B1", "KR101234567"),
        ("DE102015123456A1", "DE102015123456"),
    ],
)
def test_publication_numbers_become_patent_ids(text: str, patent_id: str) -> None:
    assert normalize_patent_id(text) == patent_id


@pytest.mark.parametrize(
    "text",
    ["2019-03-05", "2019/3/5", "2019.03.05", "20190305", "2019年3月5日", "2019-03-05 00:00:00"],
)
def test_date_formats(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, f"专利号,事件日期,法律状态,说明,相对方\nCN910000401B,{text},授权,,\n")
    rows, rejects = read_all(path)
    assert rejects == []
    assert rows[0]["event_date"] == date(2019, 3, 5)


def test_gbk_tab_separated_export(tmp_path: Path) -> None:
    text = (
        "公开号\t事件日期\t法律状态\t相对方\nCN910000401B\t2019-03-20\t质押\t样例银行股份有限公司\n"
    )
    rows, rejects = read_all(write(tmp_path, text, "export.txt", encoding="gbk"))
    assert rejects == []
    assert rows[0]["counterparty"] == "样例银行股份有限公司"
    assert rows[0]["event_type"] == "pledged"


def test_xlsx_with_date_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["事件", "公开号", "日期"])
    sheet.append(["授权", "CN910000401B", datetime(2014, 6, 18)])
    sheet.append(["转让", "CN910000401B", "2016-02-01"])
    sheet.append([None, None, None])
    sheet.append(["质押", "CN910000401B", 20190320])
    path = tmp_path / "events.xlsx"
    workbook.save(path)
    rows, rejects = read_all(path)
    assert rejects == []
    assert [(r["event_type"], r["event_date"]) for r in rows] == [
        ("granted", date(2014, 6, 18)),
        ("transferred", date(2016, 2, 1)),
        ("pledged", date(2019, 3, 20)),
    ]


def test_bad_rows_are_rejected_with_row_field_and_reason(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "公开号,事件日期,事件\n"
        "CN910000401B,2019-03-20,授权\n"
        "CN910000405B,2019-03-20,公开\n"
        "CN910000406B,2019-02-30,授权\n"
        ",2019-03-20,授权\n"
        "ZL201910123456.7,2019-03-20,授权\n"
        "CN910000407B,2019-03-21,转让\n",
    )
    rows, rejects = read_all(path)
    assert [r["patent_id"] for r in rows] == ["CN910000401", "CN910000407"]
    assert [(r.location, r.field) for r in rejects] == [
        ("row 3", "事件"),
        ("row 4", "事件日期"),
        ("row 5", "公开号"),
        ("row 6", "公开号"),
    ]
    unknown, impossible, missing, application = (r.reason for r in rejects)
    assert "unknown event type '公开'" in unknown
    assert all(code.value in unknown for code in EventType)
    assert impossible == "impossible date '2019-02-30'"
    assert missing == "missing patent number"
    assert "application number" in application
    assert rejects[0].record == "CN910000405B"
    assert rejects[0].file == str(path)


def test_missing_required_columns_is_one_line_error(tmp_path: Path) -> None:
    path = write(tmp_path, "公开号,说明\nCN910000401B,x\n")
    with pytest.raises(InputFormatError) as raised:
        read_all(path)
    message = str(raised.value)
    assert "\n" not in message
    assert "date" in message and "event" in message and "公开号" in message


def test_unsupported_file_type(tmp_path: Path) -> None:
    path = write(tmp_path, "x", name="events.xls")
    with pytest.raises(InputFormatError, match=r"\.xlsx"):
        read_all(path)


def test_rows_are_chunked(tmp_path: Path) -> None:
    lines = "".join(f"CN1023456{i:02d}A,2019-01-{i + 1:02d},授权\n" for i in range(5))
    path = write(tmp_path, "公开号,日期,事件\n" + lines)
    chunks = list(read_events(path, chunk_size=2))
    assert [c.records_read for c in chunks] == [2, 2, 1]


# --------------------------------------------------------------------------- derivation


def test_no_events_is_unknown() -> None:
    assert derive_status([]) == PatentStatus(LegalStatus.UNKNOWN, False, False, False, None)


def test_restored_after_lapse_is_in_force() -> None:
    events = [ev(0, "granted"), ev(400, "lapsed_unpaid_fees"), ev(500, "restored")]
    assert derive_status(events).status is LegalStatus.IN_FORCE
    assert derive_status(events, as_of=ev(450, "x").event_date).status is LegalStatus.LAPSED


def test_partial_invalidation_keeps_in_force() -> None:
    events = [ev(0, "granted"), ev(10, "partially_invalidated")]
    assert derive_status(events).status is LegalStatus.IN_FORCE


def test_terminal_events_cannot_be_undone() -> None:
    expired = [ev(0, "granted"), ev(10, "expired"), ev(20, "restored"), ev(30, "granted")]
    invalid = [ev(0, "granted"), ev(10, "invalidated"), ev(20, "restored")]
    assert derive_status(expired).status is LegalStatus.EXPIRED
    assert derive_status(invalid).status is LegalStatus.INVALIDATED


def test_events_are_applied_in_date_order_whatever_the_input_order() -> None:
    events = [ev(500, "restored"), ev(400, "lapsed_unpaid_fees"), ev(0, "granted")]
    status = derive_status(events)
    assert status.status is LegalStatus.IN_FORCE
    assert status.last_event_date == ev(500, "x").event_date


def test_same_day_release_and_new_pledge_stays_pledged() -> None:
    events = [ev(0, "granted"), ev(5, "pledged"), ev(9, "pledged"), ev(9, "pledge_released")]
    assert derive_status(events).pledged
    assert not derive_status([*events, ev(12, "pledge_released")]).pledged


def test_flags_and_pending() -> None:
    transferred = derive_status([ev(3, "transferred"), ev(4, "licence_recorded")])
    assert transferred.status is LegalStatus.PENDING
    assert transferred.owner_changed and transferred.licensed
    assert derive_status([ev(3, "pledged")]).status is LegalStatus.IN_FORCE


def test_events_after_as_of_and_unknown_types_are_ignored() -> None:
    events = [ev(0, "granted"), ev(5, "published"), ev(100, "invalidated")]
    status = derive_status(events, as_of=ev(50, "x").event_date)
    assert status == PatentStatus(LegalStatus.IN_FORCE, False, False, False, ev(0, "x").event_date)


# --------------------------------------------------------------------------- SQL == Python

EVENT_CODES = [e.value for e in EventType]
events_of_one_patent = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from([*EVENT_CODES, "published"])), max_size=12
)


def sql_statuses(rows: list[Row], sql: str) -> dict[str, PatentStatus]:
    con = duckdb.connect()
    try:
        con.register("events", to_table("events", rows))
        result = con.execute(sql).fetchall()
    finally:
        con.close()
    return {
        pid: PatentStatus(LegalStatus(status), pledged, licensed, changed, last)
        for pid, status, pledged, licensed, changed, last in result
    }


def python_statuses(rows: list[Row], as_of: date | None) -> dict[str, PatentStatus]:
    by_patent: dict[str, list[Event]] = {}
    for row in rows:
        by_patent.setdefault(row["patent_id"], []).append(Event.from_row(row))
    return {pid: derive_status(events, as_of=as_of) for pid, events in by_patent.items()}


def as_rows(patents: Sequence[list[tuple[int, str]]]) -> list[Row]:
    start = date(2020, 1, 1)
    return [
        {
            "patent_id": f"CN{number}",
            "event_date": start + timedelta(days=day),
            "event_type": event_type,
            "detail": str(position),
        }
        for number, events in enumerate(patents)
        for position, (day, event_type) in enumerate(events)
    ]


@settings(max_examples=150, deadline=None)
@given(
    patents=st.lists(events_of_one_patent, min_size=1, max_size=20),
    as_of_day=st.none() | st.integers(0, 40),
)
def test_sql_and_python_derive_the_same_status(
    patents: list[list[tuple[int, str]]], as_of_day: int | None
) -> None:
    rows = as_rows(patents)
    as_of = None if as_of_day is None else date(2020, 1, 1) + timedelta(days=as_of_day)
    sql = STATUS_VIEW_SQL if as_of is None else status_sql(as_of=as_of)
    assert sql_statuses(rows, sql) == python_statuses(rows, as_of)


# --------------------------------------------------------------------------- documentation


def documented_csv() -> str:
    match = re.search(r"```csv\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert match, "docs/corpus-events.md has no csv example"
    return match.group(1)


def test_worked_example_in_docs(tmp_path: Path) -> None:
    rows, rejects = read_all(write(tmp_path, documented_csv()))
    assert rejects == []
    statuses = python_statuses(rows, None)
    assert statuses == sql_statuses(rows, STATUS_VIEW_SQL)
    assert statuses == {
        "CN910000401": PatentStatus(LegalStatus.IN_FORCE, True, False, False, date(2021, 3, 19)),
        "CN950000402": PatentStatus(LegalStatus.LAPSED, False, False, True, date(2018, 2, 1)),
        "US900000403": PatentStatus(LegalStatus.INVALIDATED, False, True, False, date(2017, 1, 5)),
    }
    at_end_of_2019 = python_statuses(rows, date(2019, 12, 31))["CN910000401"]
    assert at_end_of_2019 == PatentStatus(
        LegalStatus.IN_FORCE, True, False, False, date(2019, 3, 20)
    )
