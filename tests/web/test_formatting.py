"""Figures as a Chinese professional reads them: money, rates, short names, places, words."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from ipops.web.charts import short_label
from ipops.web.rendering import format_percent, format_place, format_wan, format_yuan
from ipops.web.words import city_name, district_name, evidence_text, rating_alerts


@pytest.mark.parametrize(
    ("value", "shown"),
    [("256050000.00", "256,050,000.00"), (Decimal("1234.5"), "1,234.50"), (None, "—")],
)
def test_money_has_thousands_separators(value: object, shown: str) -> None:
    assert format_yuan(value, "zh_CN") == shown


def test_large_sums_in_wan_and_yi_on_chinese_pages() -> None:
    assert format_wan("256050000.00", "zh_CN") == "2.56 亿元"
    assert format_wan("3000000", "zh_CN") == "300.00 万元"
    assert format_wan("800", "zh_CN") == "800.00 元"
    assert format_wan("3000000", "en") == "CNY 3,000,000.00"


def test_rates_are_percentages() -> None:
    assert format_percent("0.050025", "zh_CN") == "5.0025%"
    assert format_percent("0.1", "zh_CN") == "10%"


def test_chart_labels_are_short_names_not_cut_words() -> None:
    assert short_label("南京银行（演示）") == "南京银行"
    assert short_label("交通银行江苏省分行（演示）") == "交通银行"
    assert short_label("珠海格力电器股份有限公司", 5) == "格力电器"
    assert short_label("一二三四五六七八", 5) == "一二三四…"


def test_places_read_in_chinese_largest_first() -> None:
    row = SimpleNamespace(city="Beijing", state="Beijing", country="CN")
    assert format_place(row, "zh_CN") == "中国 北京市"
    assert format_place(row, "en") == "Beijing, Beijing, China"
    assert city_name("Tokyo", "JP", "zh_CN") == "东京"
    assert city_name("南京市", "CN", "zh_CN") == "南京市"
    assert district_name("320115") == "南京市江宁区" and district_name("310104") == ""


def test_domain_sentences_follow_the_page_language() -> None:
    def zh(msgid: str, **variables: object) -> str:
        return "ZH:" + msgid % variables

    assert evidence_text("pledge financing 1,000.00 CNY", zh) == "ZH:pledge financing CNY 1,000.00"
    assert evidence_text("something new", zh) == "something new"
    alerts = rating_alerts({"in_force": 1, "pledged": 1}, zh)
    assert alerts == ["ZH:concentration: only one patent in force", "ZH:1 patents already pledged"]
