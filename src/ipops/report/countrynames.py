"""Country names in the report's language (CLDR data through Babel)."""

from __future__ import annotations

from functools import cache

from babel import Locale


@cache
def _territories(lang: str) -> dict[str, str]:
    locale = Locale.parse("zh_Hans_CN" if lang == "zh" else "en")
    return {str(code): str(name) for code, name in locale.territories.items()}


def country_name(code: str | None, lang: str) -> str:
    """``CN`` → 中国 / China; no code → 未知 / unknown; an unknown code stays as it is."""
    if not code:
        return "未知" if lang == "zh" else "unknown"
    return _territories(lang).get(code.upper(), code)
