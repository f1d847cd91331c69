"""Rebuild src/ipops/fonts/NotoSansSC-ipops.otf: a subset of Noto Sans CJK SC Regular.

Maintainer script, run by hand when a string with a rare character is added (the test
tests/test_fonts.py::test_every_character_the_app_writes_is_in_the_font tells when):

    apt-get install fonts-noto-cjk
    .venv/bin/python scripts/subset_cjk_font.py

Characters kept: ASCII, Latin-1, general punctuation, CJK symbols and punctuation,
full-width forms, every character of GB 2312 (its 6,763 hanzi cover everyday Chinese: the
3,500 common characters of the 2013 通用规范汉字表 are among them), and every non-ASCII
character of any text file under src/ipops (catalogues, templates, WIPO titles, city names,
demo names). The family is renamed "Noto Sans SC ipops" (a Modified Version under the SIL
OFL 1.1 may keep "Noto", which is no Reserved Font Name of this font; the name makes clear
this is not the full font).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SC_INDEX = 2  # Noto Sans CJK SC inside the collection (JP, KR, SC, TC, HK, ...)
ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "ipops" / "fonts" / "NotoSansSC-ipops.otf"
FAMILY = "Noto Sans SC ipops"
TEXT_SUFFIXES = {".py", ".po", ".html", ".css", ".csv", ".tsv", ".json", ".txt", ".md", ".toml"}


def gb2312() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def app_characters() -> set[str]:
    chars: set[str] = set()
    for path in (ROOT / "src" / "ipops").rglob("*"):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            chars.update(c for c in path.read_text(encoding="utf-8", errors="ignore") if ord(c) > 127)
    return chars


def ranges() -> set[str]:
    spans = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2190, 0x21FF), (0x2200, 0x22FF),
             (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x3000, 0x303F),
             (0xFF00, 0xFFEF)]
    return {chr(c) for start, end in spans for c in range(start, end + 1)}


def main() -> int:
    font = TTCollection(str(SOURCE)).fonts[SC_INDEX]
    cmap = font.getBestCmap()
    wanted = {ord(c) for c in gb2312() | app_characters() | ranges()}
    kept = sorted(c for c in wanted if c in cmap)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            names.setName(FAMILY, record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID in (4,):
            names.setName(FAMILY, 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName("NotoSansSC-ipops", 6, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 3:
            names.setName("NotoSansSC-ipops-subset", 3, record.platformID, record.platEncID, record.langID)
    font["CFF "].cff.fontNames = ["NotoSansSC-ipops"] if "CFF " in font else None
    font.save(str(TARGET))
    missing = sorted(c for c in wanted if c not in cmap and chr(c).isprintable())
    print(f"{TARGET}: {len(kept)} characters, {TARGET.stat().st_size / 1e6:.1f} MB")
    if missing:
        print(f"not in Noto Sans CJK SC ({len(missing)}): {''.join(chr(c) for c in missing[:80])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
