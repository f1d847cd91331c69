"""Languages of the web UI: gettext catalogues compiled in memory from the ``.po`` files.

The catalogues live in ``locale/<locale>/LC_MESSAGES/messages.po`` beside this file and are
the only source: on first use each is read with Babel and compiled to ``.mo`` bytes in
memory (no build step, works from a fresh clone). msgids are the English text.

After adding or changing UI text, refresh the catalogues and translate the new entries::

    python -m ipops.web.catalogues update   # adds new msgids to both catalogues, drops unused ones

``tests/web/test_catalogues.py`` fails while any msgid lacks a translation.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from ipops import __version__

WEB_DIR = Path(__file__).parent
LOCALE_DIR = WEB_DIR / "locale"
DOMAIN = "messages"
DEFAULT_LOCALE = "zh_CN"
LOCALES: tuple[str, ...] = ("zh_CN", "en")
LANG_COOKIE = "ipops_lang"
# Each language is named in itself on the switch (endonyms are never translated).
LOCALE_NAMES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
_EXTRACT_METHODS = [
    ("templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
_EXTRACT_OPTIONS = {
    "templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"},
}


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def normalize_locale(value: str | None) -> str:
    """``value`` when it is a UI language, else the default (Chinese)."""
    return value if value in LOCALES else DEFAULT_LOCALE


def html_lang(locale: str) -> str:
    """The BCP 47 tag for the ``lang`` attribute: ``zh-CN``, ``en``."""
    return locale.replace("_", "-")


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(locale: str) -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


@functools.cache
def translations(locale: str) -> Translations:
    """The compiled catalogue of ``locale`` (compiled once per process, in memory)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(locale))
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@functools.cache
def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def country_name(code: str | None, locale: str) -> str:
    """The country of an ISO 3166 alpha-2 code in the UI language (the code if unknown)."""
    if not code:
        return ""
    name = babel_locale(locale).territories.get(code.upper())
    return str(name) if name else code


# -- keeping the catalogues in step with the code -----------------------------------------


def extract_messages() -> Catalog:
    """Every message the web UI uses: ``{% trans %}``/``_()`` in templates, ``_``/``N_`` in code."""
    template = Catalog(domain=DOMAIN, project="ipops")
    found = extract_from_dir(WEB_DIR, _EXTRACT_METHODS, _EXTRACT_OPTIONS)
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def update_catalogues() -> dict[str, list[str]]:
    """Bring both catalogues in step with the code; returns the msgids still untranslated."""
    template = extract_messages()
    missing: dict[str, list[str]] = {}
    for locale in LOCALES:
        catalog = _existing_or_new(locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if locale == "en":
            _fill_english(catalog)
        _write_catalog(locale, catalog)
        missing[locale] = untranslated(catalog)
    return missing


def untranslated(catalog: Catalog) -> list[str]:
    """msgids of ``catalog`` with an empty or fuzzy translation."""
    return [_msgid_text(m) for m in _messages(catalog) if m.fuzzy or not _is_translated(m)]


def _messages(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def _is_translated(message: Message) -> bool:
    strings: Iterable[Any] = (
        message.string if isinstance(message.string, tuple | list) else [message.string]
    )
    return all(bool(s) for s in strings)


def _msgid_text(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else str(message.id)


def _fill_english(catalog: Catalog) -> None:
    """English msgids are the English text: copy them where the msgstr is empty."""
    for message in _messages(catalog):
        if not _is_translated(message):
            message.string = message.id
            message.flags.discard("fuzzy")


def _existing_or_new(locale: str) -> Catalog:
    if po_path(locale).exists():
        return read_catalog(locale)
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project="ipops",
        copyright_holder="the ipops authors",
        header_comment=f"# Messages of the ipops web UI: {LOCALE_NAMES[locale]} ({locale}).",
    )


def _write_catalog(locale: str, catalog: Catalog) -> None:
    catalog.version = __version__
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "ipops developers"
    catalog.language_team = f"ipops {LOCALE_NAMES[locale]}"
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    catalog.fuzzy = False
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False)
    path.write_bytes(buffer.getvalue())
