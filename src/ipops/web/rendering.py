"""Jinja2 environments, one per UI language, with autoescaping and the i18n extension."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ipops import __version__
from ipops.web.i18n import country_name, translations
from ipops.web.labels import NONE_SHOWN, code_label
from ipops.web.roles import role_label
from ipops.web.words import (
    city_name,
    district_name,
    field_label,
    rating_alerts,
    rating_inputs,
)

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
PRODUCT = "ipops"


@functools.cache
def environment(locale: str) -> Environment:
    """The template environment of ``locale``: gettext installed, every value escaped."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters["num"] = functools.partial(format_number, locale=locale)
    env.filters["day"] = format_day
    env.filters["yuan"] = functools.partial(format_yuan, locale=locale)
    env.filters["wan"] = functools.partial(format_wan, locale=locale)
    env.filters["pct"] = functools.partial(format_percent, locale=locale)
    env.filters["moment"] = format_moment
    env.globals.update(product=PRODUCT, version=__version__, static=static_url)
    # For msgids held in variables: plain text, so that autoescaping still applies (the
    # i18n extension's ``_`` marks its result safe, which is right only for literals).
    env.globals["tr"] = functools.partial(translate, locale=locale)
    env.globals["role_title"] = lambda role: translate(role_label(role), locale=locale)
    env.globals["label"] = functools.partial(translate_code, locale=locale)
    env.globals["country"] = functools.partial(country_name, locale=locale)
    env.globals["place"] = functools.partial(format_place, locale=locale)
    env.globals["coord"] = format_coordinate
    gettext = functools.partial(_gettext, locale=locale)
    env.globals["rating_inputs"] = functools.partial(rating_inputs, gettext=gettext)
    env.globals["rating_alerts"] = functools.partial(rating_alerts, gettext=gettext)
    env.globals["field_label"] = functools.partial(field_label, locale=locale)
    env.globals["city"] = functools.partial(city_name, locale=locale)
    env.globals["district"] = district_name
    env.globals["scheme_label"] = functools.partial(scheme_label, locale=locale)
    return env


def translate(msgid: str, locale: str) -> str:
    """``msgid`` in ``locale`` as plain (unescaped) text; unknown text comes back as it is."""
    if not msgid:
        return ""
    return str(translations(locale).gettext(msgid))


def _gettext(msgid: str, locale: str, **variables: Any) -> str:
    text = str(translations(locale).gettext(msgid))
    return text % variables if variables else text


def translate_code(kind: str, code: object, locale: str) -> str:
    """The name of a stored code (``legal_status`` ``in_force``) in ``locale``."""
    return translate(code_label(kind, code), locale)


def scheme_label(text: object, locale: str) -> str:
    """``default 1.0 (d217cb5cc407)`` → ``通用（默认） 1.0 (d217cb5cc407)``: the built-in
    scheme's name translated, its version and digest kept."""
    name, _sep, rest = str(text or "").partition(" ")
    shown = translate_code("scheme", name, locale)
    return f"{shown} {rest}".strip()


def render(locale: str, template: str, context: dict[str, Any]) -> str:
    return environment(locale).get_template(template).render(context)


def format_number(value: object, locale: str) -> str:
    """Grouped digits in the UI language; anything that is not a number as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return format_decimal(value, locale=locale)


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_yuan(value: object, locale: str) -> str:
    """An amount of money with grouped digits and two decimals (``256,050,000.00``); a dash
    when there is none; text that is not a number as it is."""
    amount = _decimal(value)
    if amount is None:
        return NONE_SHOWN if value is None or value == "" else str(value)
    return format_decimal(amount, format="#,##0.00", locale=locale)


def format_wan(value: object, locale: str) -> str:
    """A large amount as Chinese practice writes it: 2.56 亿元, 25,605.00 万元 (English: CNY)."""
    amount = _decimal(value)
    if amount is None:
        return NONE_SHOWN if value is None or value == "" else str(value)
    if not locale.startswith("zh"):
        return "CNY " + format_decimal(amount, format="#,##0.00", locale=locale)
    if abs(amount) >= 100_000_000:
        return format_decimal(amount / 100_000_000, format="#,##0.00", locale=locale) + " 亿元"
    if abs(amount) >= 10_000:
        return format_decimal(amount / 10_000, format="#,##0.00", locale=locale) + " 万元"
    return format_decimal(amount, format="#,##0.00", locale=locale) + " 元"


def format_percent(value: object, locale: str) -> str:
    """A rate stored as a fraction (0.050025) as a percentage (5.0025%)."""
    rate = _decimal(value)
    if rate is None:
        return NONE_SHOWN if value is None or value == "" else str(value)
    text = format(rate * 100, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def format_day(value: object) -> str:
    """Dates as ISO text (2019-09-30): unambiguous in both languages."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def format_moment(value: object) -> str:
    """A timestamp to the second, in UTC as stored."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return format_day(value)


class Located(Protocol):
    """A party or inventor row (``corpus.lookup_records.PartyRow``, ``InventorRow``)."""

    @property
    def city(self) -> str | None: ...
    @property
    def state(self) -> str | None: ...
    @property
    def country(self) -> str | None: ...


def format_place(row: Located, locale: str) -> str:
    """City, state and country of a party or inventor row, as far as known."""
    country = row.country
    city = city_name(row.city, country, locale)
    if locale.startswith("zh"):
        # Chinese order, largest first, without a province already implied by the city:
        # 中国 北京市 (not "Beijing, Beijing, 中国")
        state = row.state
        parts = [country_name(country, locale)]
        if state and country != "CN" and state != row.city:
            parts.append(str(state))
        parts.append(city)
        return " ".join(str(part) for part in parts if part)
    latin = [city, row.state, country_name(country, locale)]
    return ", ".join(str(part) for part in latin if part)


def format_coordinate(value: object) -> str:
    """A latitude or longitude to 5 decimals (about a metre); empty when not located."""
    return f"{value:.5f}" if isinstance(value, float) else ""


def static_url(name: str) -> str:
    """The URL of a static file, versioned so that browsers refetch after an upgrade."""
    return f"/static/{name}?v={__version__}"
