"""Domain words shown on pages in the UI language: WIPO fields, cities, rating inputs.

The domain services keep their own English wording (the CLI and API speak English); the
web UI builds its sentences here from the same figures, through the gettext catalogue, so
that a Chinese page carries no English tail.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

from ipops.finance.rating import CONCENTRATION_SHARE, GROWTH_YEARS
from ipops.places.chinese import city_name_zh
from ipops.web.i18n import N_

Gettext = Callable[..., str]
FIELDS_ZH_FILE = "ipc_technology_zh.csv"


@functools.cache
def _fields_zh() -> dict[int, tuple[str, str]]:
    """Field number → (Chinese field title, Chinese sector title), from ``data/``."""
    data = resources.files("ipops.valuation") / "data" / FIELDS_ZH_FILE
    rows = csv.DictReader(data.read_text(encoding="utf-8").splitlines())
    return {int(r["Field_number"]): (r["Field_zh"], r["Sector_zh"]) for r in rows}


def field_name(number: int | None, english: str | None, locale: str) -> str:
    """The WIPO field ``number`` in the UI language (the English title when not Chinese)."""
    if number is None:
        return english or ""
    if locale.startswith("zh") and number in _fields_zh():
        return _fields_zh()[number][0]
    return english or str(number)


def sector_name(number: int | None, english: str | None, locale: str) -> str:
    if number is not None and locale.startswith("zh") and number in _fields_zh():
        return _fields_zh()[number][1]
    return english or ""


def field_label(number: int | None, english: str | None, locale: str) -> str:
    """``30 热工过程和器具``: number and name."""
    if number is None:
        return english or ""
    return f"{number} {field_name(number, english, locale)}"


# --------------------------------------------------------------------------- places


def city_name(name: str | None, country: str | None, locale: str) -> str:
    """A city in the UI language: Chinese on Chinese pages where a Chinese name is known."""
    if not name:
        return ""
    if not locale.startswith("zh"):
        return name
    return city_name_zh(name, country or "")


# Nanjing's eleven districts (GB/T 2260 codes, as in force since the 2013 reorganisation).
NANJING_DISTRICTS: dict[str, str] = {
    "320102": "玄武区",
    "320104": "秦淮区",
    "320105": "建邺区",
    "320106": "鼓楼区",
    "320111": "浦口区",
    "320113": "栖霞区",
    "320114": "雨花台区",
    "320115": "江宁区",
    "320116": "六合区",
    "320117": "溧水区",
    "320118": "高淳区",
}


def district_name(code: str | None) -> str:
    """南京市江宁区 for 320115; empty when the code is not a Nanjing district."""
    name = NANJING_DISTRICTS.get(code or "")
    return f"南京市{name}" if name else ""


# --------------------------------------------------------------------------- rating


def _n(features: Mapping[str, Any], name: str) -> float:
    value = features.get(name)
    return 0.0 if value is None else float(value)


def rating_inputs(features: Mapping[str, Any], gettext: Gettext) -> dict[str, str]:
    """The figures behind each rating component, as a sentence in the UI language."""
    pvd = features.get("pvd_mean")
    remaining = features.get("remaining_mean")
    return {
        "size": gettext(
            "%(live)s patents in force of %(all)s",
            live=int(_n(features, "in_force")),
            all=int(_n(features, "patents")),
        ),
        "value": gettext("no value scores")
        if pvd is None
        else gettext("mean PVD %(pvd)s", pvd=format(float(pvd), ".1f")),
        "growth": gettext(
            "%(recent)s filings in the last %(years)s years, %(prior)s in the %(years)s before",
            recent=int(_n(features, "recent")),
            prior=int(_n(features, "prior")),
            years=GROWTH_YEARS,
        ),
        "breadth": gettext("%(n)s IPC subclasses", n=int(_n(features, "subclasses"))),
        "life": gettext("no term data")
        if remaining is None
        else gettext("mean remaining term %(years)s years", years=format(float(remaining), ".1f")),
        "legal": gettext(
            "%(dead)s lapsed or invalidated, %(events)s invalidation events",
            dead=int(_n(features, "dead")),
            events=int(_n(features, "invalidations")),
        ),
        "pledges": gettext("%(n)s already pledged", n=int(_n(features, "pledged"))),
    }


def rating_alerts(features: Mapping[str, Any], gettext: Gettext) -> list[str]:
    """The risk alerts of a rating (``ipops.finance.rating.alerts_of``) in the UI language."""
    alerts = []
    if _n(features, "expiring"):
        alerts.append(
            gettext("%(n)s patents' term ends within a year", n=int(_n(features, "expiring")))
        )
    if _n(features, "dead"):
        alerts.append(gettext("%(n)s patents lapsed or invalidated", n=int(_n(features, "dead"))))
    if _n(features, "invalidations"):
        alerts.append(gettext("%(n)s invalidation events", n=int(_n(features, "invalidations"))))
    share = features.get("pvd_top_share")
    if _n(features, "in_force") == 1:
        alerts.append(gettext("concentration: only one patent in force"))
    elif share is not None and float(share) > CONCENTRATION_SHARE:
        alerts.append(
            gettext(
                "concentration: one patent holds %(share)s of the portfolio value",
                share=format(float(share), ".0%"),
            )
        )
    if _n(features, "pledged"):
        alerts.append(gettext("%(n)s patents already pledged", n=int(_n(features, "pledged"))))
    return alerts


# --------------------------------------------------------------------------- high value

_EVIDENCE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"^a family member of another office is in the corpus$"),
        N_("a family member of another office is in the corpus"),
    ),
    (
        re.compile(r"^family size (?P<size>\S+) reported by the source$"),
        N_("family size %(size)s reported by the source"),
    ),
    (
        re.compile(
            r"^filed (?P<day>\S+), (?P<years>[\d.]+) years in force"
            r" \(presumed in force: no legal-status data\)$"
        ),
        N_("filed %(day)s, %(years)s years in force (presumed: no legal-status data)"),
    ),
    (
        re.compile(r"^filed (?P<day>\S+), (?P<years>[\d.]+) years in force$"),
        N_("filed %(day)s, %(years)s years in force"),
    ),
    (
        re.compile(r"^pledge financing (?P<amount>\S+) CNY$"),
        N_("pledge financing CNY %(amount)s"),
    ),
)


_FAMILY_OFFICES = re.compile(
    r"^the family holds another office: (?P<offices>.*) \(from (?P<basis>\w+)\)$"
)
_FAMILY_BASES = {
    "families": N_("loaded family table"),
    "priority_claims": N_("own office and priority offices"),
    "source": N_("reported by the source (documents)"),
    "corpus": N_("corpus patents sharing the family id"),
}


def evidence_text(evidence: str, gettext: Gettext) -> str:
    """The evidence of a high-value reason (``valuation.highvalue.evidence_of``) translated."""
    family = _FAMILY_OFFICES.match(evidence)
    if family and family["basis"] in _FAMILY_BASES:
        return gettext(
            N_("the family holds another office: %(offices)s (from %(basis)s)"),
            offices=family["offices"],
            basis=gettext(_FAMILY_BASES[family["basis"]]),
        )
    for pattern, msgid in _EVIDENCE:
        match = pattern.match(evidence)
        if match:
            return gettext(msgid, **match.groupdict())
    return evidence
