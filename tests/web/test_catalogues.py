"""The message catalogues are complete, and the templates show no text they do not translate."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ipops.web.i18n import (
    DEFAULT_LOCALE,
    LOCALES,
    extract_messages,
    read_catalog,
    translations,
    untranslated,
)
from ipops.web.rendering import TEMPLATES_DIR

TEMPLATES = sorted(TEMPLATES_DIR.glob("*.html"))
HUMAN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label", "value"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_TRANS_BLOCK = re.compile(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", re.S)
_JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)


def _msgid(message_id: object) -> str:
    return message_id[0] if isinstance(message_id, tuple | list) else str(message_id)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_holds_exactly_the_messages_the_code_uses(locale: str) -> None:
    used = {_msgid(m.id) for m in extract_messages() if m.id}
    catalogued = {_msgid(m.id) for m in read_catalog(locale) if m.id}
    assert sorted(used - catalogued) == [], "run: python -m ipops.web.catalogues update"
    assert sorted(catalogued - used) == [], "run: python -m ipops.web.catalogues update"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale: str) -> None:
    assert untranslated(read_catalog(locale)) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    for message in read_catalog(locale):
        if not message.id:
            continue
        wanted = set(_PLACEHOLDER.findall(_msgid(message.id)))
        assert set(_PLACEHOLDER.findall(str(message.string))) == wanted, message.id


def test_chinese_is_the_default_and_translations_load_from_the_po_files() -> None:
    assert DEFAULT_LOCALE == "zh_CN"
    assert translations("zh_CN").gettext("Patent search") == "专利检索"
    assert translations("en").gettext("Patent search") == "Patent search"


class _TextCollector(HTMLParser):
    """Text nodes and human-readable attribute values of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.texts.extend(v for k, v in attrs if k in HUMAN_ATTRIBUTES and v)


def untranslated_text(source: str) -> list[str]:
    """Literal words a template would show without passing them through gettext."""
    stripped = _JINJA.sub("\x00", _TRANS_BLOCK.sub("\x00", source))
    collector = _TextCollector()
    collector.feed(stripped)
    return [t.strip() for t in collector.texts if any(ch.isalpha() for ch in t)]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_show_no_untranslated_text(template: Path) -> None:
    assert untranslated_text(template.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_translate_only_literals_with_underscore(template: Path) -> None:
    """``_()`` marks its result safe: a variable msgid would bypass escaping (use ``tr()``)."""
    calls = re.findall(r"\b_\(\s*([^\s)])", template.read_text(encoding="utf-8"))
    assert all(first in "\"'" for first in calls)


def test_the_lint_catches_literal_text() -> None:
    assert untranslated_text("<p>Hello {{ name }}</p>") == ["Hello \x00"]
    assert untranslated_text('<input aria-label="Search">') == ["Search"]
    assert untranslated_text('<p>{{ _("Hello") }} — {{ n }}</p>') == []
    assert untranslated_text("{% trans %}Hello{% endtrans %}") == []
