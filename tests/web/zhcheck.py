"""What a Chinese page shows that is not Chinese: visible text, English words, raw codes.

:func:`visible_text` collects what a reader sees (text nodes, SVG ``<text>``, the human
attributes ``title``/``alt``/``placeholder``/``aria-label``), skipping ``<script>``,
``<style>`` and elements marked ``translate="no"`` (stored data: titles, names, abstracts,
which stay in the language they were filed in). :func:`english_words` finds the words
left in Latin letters that are neither allowed technical tokens nor data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

HUMAN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}
# Elements whose content is literal text to type or data as filed, never UI words.
LITERAL = {"script", "style", "title", "code", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
# Tokens a Chinese professional reads as they are: the product's name, scheme and office
# abbreviations, units, currency and file-format codes, languages named in themselves.
ALLOWED = {
    "ipops", "IPC", "CPC", "WIPO", "PCT", "USPTO", "CNIPA", "EPO", "CN", "US", "JP", "KR",
    "DE", "EP", "WO", "CNY", "USD", "LPR", "PBOC", "AUC", "CSV", "PDF", "SVG", "JSON",
    "HTML", "English", "km", "kg", "ID", "KPI", "DuckDB", "SQL", "API", "URL", "OK", "GDP",
    "PD", "LTV", "VRF", "TCL", "USCC", "HHI", "CAGR", "DBSCAN", "PVD",
    "PatentsView", "XML", "TOML", "XLSX",
}  # fmt: skip
# Proper names with no Chinese form (a data set, a package), shown as they are.
PROPER_NAMES = ("Natural Earth",)
_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        hidden = tag in LITERAL or values.get("translate") == "no"
        if not hidden and not self._hidden():
            self.texts.extend(v for k, v in attrs if k in HUMAN_ATTRIBUTES and v)
            if (
                tag == "input"
                and values.get("type") in ("submit", "button")
                and values.get("value")
            ):
                self.texts.append(str(values["value"]))
        if tag not in VOID:
            self._stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._hidden():
            self.texts.extend(v for k, v in attrs if k in HUMAN_ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden() and data.strip():
            self.texts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return parser.texts


def english_words(texts: Iterable[str], data: Iterable[str] = ()) -> list[str]:
    """Latin-letter words of ``texts`` that a Chinese reader should not meet.

    Allowed: tokens with a digit (patent numbers, IPC symbols F24F, dates, codes), upper-case
    abbreviations of up to four letters, :data:`ALLOWED`, and any part of ``data`` (stored
    names and titles shown as filed).
    """
    found = []
    known = [d for d in data if d] + list(PROPER_NAMES)
    for text in texts:
        rest = text
        for value in known:
            if value in rest:
                rest = rest.replace(value, " ")
        for token in _WORD.findall(rest):
            word = token.strip(".-/")
            if not re.search(r"[A-Za-z]{2,}", word) or _allowed(word):
                continue
            found.append(word)
    return found


def _allowed(word: str) -> bool:
    if word in ALLOWED or any(ch.isdigit() for ch in word):
        return True
    letters = word.replace("-", "").replace("/", "").replace(".", "")
    return letters.isupper() and len(letters) <= 4
