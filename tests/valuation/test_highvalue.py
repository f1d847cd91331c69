"""High-value invention patents: one constructed case per CNIPA condition, and the exclusions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from builders import AS_OF, Workspace, event, ipc, patent

from ipops.errors import ValidationError
from ipops.valuation.highvalue import (
    FixedPledgeAmounts,
    HighValueRules,
    Reason,
    parse_strategic_entry,
    read_awards,
    read_pledge_amounts,
    read_strategic_list,
)
from ipops.valuation.indicator_sql import IndicatorOptions
from ipops.valuation.indicators import compute_indicators
from ipops.valuation.screening import HighValueReport, screen_high_value

FILED = date(2016, 3, 1)  # under 10 years before the as-of date 2025-01-01
GRANTED = date(2019, 6, 4)


def cn(number: str, *symbols: str, **extra: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    patent_id = f"CN{number}"
    return patent(patent_id, filed=extra.pop("filed", FILED), granted=GRANTED, **extra), ipc(
        patent_id, *(symbols or ("F24F 11/30",))
    )


def build(ws: Workspace) -> None:
    cases = [
        cn("101", "H04W 72/04", "F24F 11/30"),  # strategic: H04W (1 新一代信息技术产业)
        cn("102", family_size=3),  # overseas: family size reported by the source
        cn("103", family_id="FAM1"),  # overseas: US member of the same family in the corpus
        cn("104", filed=date(2012, 3, 1)),  # maintained more than 10 years
        cn("105"),  # pledged, 12,000,000 CNY
        cn("106"),  # pledged, 5,000,000 CNY: not high
        cn("107"),  # pledged, no amount on record
        cn("108"),  # national award
        cn("109", "H04W 72/04", patent_type="utility_model"),  # not an invention
        cn("110", "H04W 72/04"),  # lapsed: not valid
        cn("112", "H01M 10/0525"),  # under the entry H01M 10/05
        cn("113", "H01M 10/06"),  # not under H01M 10/05
        cn("114", filed=date(2014, 12, 31)),  # 10 years and a day
        cn("115", filed=date(2015, 1, 1)),  # exactly 10 years: not more
    ]
    patents = [p for p, _ in cases]
    classes = [row for _, rows in cases for row in rows]
    patents.append(patent("CN111", granted=None))  # an application
    classes += ipc("CN111", "H04W 72/04")
    patents.append(patent("US9000001", patent_type="utility", family_id="FAM1"))
    patents.append(patent("US9000002", patent_type="utility", filed=date(2012, 5, 1)))
    events = [event(p["patent_id"], GRANTED, "granted") for p in patents if p["office"] == "CN"]
    events += [event(f"CN{n}", date(2020, 5, 1), "pledged", "Y2020") for n in ("105", "106", "107")]
    events.append(event("CN110", date(2021, 9, 1), "lapsed_unpaid_fees"))
    ws.add("high-value", {"patents": patents, "classifications": classes, "events": events})


AWARDS = "公开号,奖项,年度\nCN108B,第二十二届中国专利金奖,2021\n"
PLEDGES = 'patent,amount\nCN105B,12000000\nCN106B,"5,000,000"\n'


def screen(ws: Workspace, **rules: Any) -> HighValueReport:
    indicators = compute_indicators(ws.store, ws.valuation, IndicatorOptions(as_of=AS_OF))
    return screen_high_value(
        ws.store,
        indicators,
        HighValueRules(as_of=AS_OF, **rules),
        awards=read_awards(AWARDS),
        pledges=read_pledge_amounts(PLEDGES),
    )


def reasons(report: HighValueReport) -> dict[str, set[str]]:
    return {p.patent_id: {str(r) for r in p.reasons} for p in report.patents}


def test_each_condition_on_a_constructed_case(workspace: Workspace) -> None:
    build(workspace)
    report = screen(workspace)
    found = reasons(report)
    assert found == {
        "CN101": {"strategic_emerging"},
        "CN102": {"overseas_family"},
        "CN103": {"overseas_family"},
        "US9000001": {"overseas_family", "maintained_10_years"},  # filed 2012
        "CN104": {"maintained_10_years"},
        "CN105": {"pledge_financing"},
        "CN108": {"national_award"},
        "CN112": {"strategic_emerging"},
        "CN114": {"maintained_10_years"},
        "US9000002": {"maintained_10_years"},  # no status data: presumed in force
    }
    # valid: 12 CN invention grants in force (not CN109, a utility model, nor CN110, lapsed)
    # and the two US grants
    assert report.valid_inventions == 14
    assert report.high_value == 10
    assert report.by_reason[Reason.STRATEGIC_EMERGING] == 2
    assert report.pledged_without_amount == 1  # CN107
    evidence = {p.patent_id: p.evidence for p in report.patents}
    assert "1 新一代信息技术产业" in evidence["CN101"]["strategic_emerging"]
    assert "H01M 10/05" in evidence["CN112"]["strategic_emerging"]
    assert evidence["CN105"]["pledge_financing"] == "pledge financing 12,000,000.00 CNY"
    assert "第二十二届中国专利金奖 (2021)" in evidence["CN108"]["national_award"]
    assert "another office" in evidence["CN103"]["overseas_family"]
    assert "reported by the source" in evidence["CN102"]["overseas_family"]
    assert "presumed" in evidence["US9000002"]["maintained_10_years"]


def test_thresholds_and_presumption_are_configurable(workspace: Workspace) -> None:
    build(workspace)
    lower = reasons(screen(workspace, pledge_threshold=Decimal("5000000")))
    assert lower["CN106"] == {"pledge_financing"}
    strict = screen(workspace, presume_in_force=False, family_size_counts_as_overseas=False)
    found = reasons(strict)
    assert "US9000002" not in found and "US9000001" not in found and "CN102" not in found
    assert strict.valid_inventions == 12  # the US grants have no status data


def test_the_strategic_list_entries() -> None:
    assert parse_strategic_entry("G06N 3/00", "1", "x").subgroup is None
    assert parse_strategic_entry("G06N 3", "1", "x").group == 3
    entry = parse_strategic_entry("h01m  10/050", "5", "新能源汽车产业")
    assert (entry.subclass, entry.group, entry.subgroup) == ("H01M", 10, "05")
    with pytest.raises(ValidationError) as caught:
        read_strategic_list(
            "ipc,industry_code,industry_name\nH04W,1,a\nnot ipc,2,b\n", origin="l.csv"
        )
    assert caught.value.field == "l.csv:3"


def test_award_and_pledge_files() -> None:
    awards = read_awards('# comment\npatent,award\n"US 7,654,321 B2",China Patent Award\n')
    assert awards[0].patent_id == "US7654321" and awards[0].year is None
    with pytest.raises(ValidationError, match="'patent' column"):
        read_awards("奖项,年度\n金奖,2020\n", origin="a.csv")
    with pytest.raises(ValidationError) as caught:
        read_pledge_amounts("patent,amount\nCN1B,-3\n", origin="p.csv")
    assert caught.value.field == "p.csv:2"
    assert FixedPledgeAmounts().amounts() == {}
