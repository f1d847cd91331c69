"""Jinja2 environments, one per UI language, with autoescaping and the i18n extension."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ipops import __version__
from ipops.web.i18n import country_name, translations
from ipops.web.labels import code_label

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
    env.filters["moment"] = format_moment
    env.globals.update(product=PRODUCT, version=__version__, static=static_url)
    # For msgids held in variables: plain text, so that autoescaping still applies (the
    # i18n extension's ``_`` marks its result safe, which is right only for literals).
    env.globals["tr"] = functools.partial(translate, locale=locale)
    env.globals["label"] = functools.partial(translate_code, locale=locale)
    env.globals["country"] = functools.partial(country_name, locale=locale)
    env.globals["place"] = functools.partial(format_place, locale=locale)
    env.globals["coord"] = format_coordinate
    return env


def translate(msgid: str, locale: str) -> str:
    """``msgid`` in ``locale`` as plain (unescaped) text; unknown text comes back as it is."""
    if not msgid:
        return ""
    return str(translations(locale).gettext(msgid))


def translate_code(kind: str, code: object, locale: str) -> str:
    """The name of a stored code (``legal_status`` ``in_force``) in ``locale``."""
    return translate(code_label(kind, code), locale)


def render(locale: str, template: str, context: dict[str, Any]) -> str:
    return environment(locale).get_template(template).render(context)


def format_number(value: object, locale: str) -> str:
    """Grouped digits in the UI language; anything that is not a number as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return format_decimal(value, locale=locale)


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


def format_place(row: Mapping[str, Any], locale: str) -> str:
    """City, state and country of a party or inventor row, as far as known."""
    parts = [row.get("city"), row.get("state"), country_name(row.get("country"), locale)]
    return ", ".join(str(part) for part in parts if part)


def format_coordinate(value: object) -> str:
    """A latitude or longitude to 5 decimals (about a metre); empty when not located."""
    return f"{value:.5f}" if isinstance(value, float) else ""


def static_url(name: str) -> str:
    """The URL of a static file, versioned so that browsers refetch after an upgrade."""
    return f"/static/{name}?v={__version__}"
