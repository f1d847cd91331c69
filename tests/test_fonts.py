"""The CJK font ipops ships: it covers every character the app writes, and charts and PDFs
render Chinese with it on a machine whose only other font is DejaVu (system CJK fonts
hidden)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from ipops import fonts

SRC = Path(__file__).resolve().parents[1] / "src" / "ipops"
CATALOGUE = SRC / "web" / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
TEXT_SUFFIXES = {".py", ".po", ".html", ".csv", ".json"}


def _cmap() -> set[int]:
    return set(TTFont(fonts.font_path())["cmap"].getBestCmap())


def _missing(text: str, cmap: set[int]) -> str:
    return "".join(
        sorted({c for c in text if ord(c) > 127 and c.isprintable()} - {chr(code) for code in cmap})
    )


def test_every_character_of_the_chinese_catalogue_is_in_the_font() -> None:
    missing = _missing(CATALOGUE.read_text(encoding="utf-8"), _cmap())
    assert missing == "", f"rerun scripts/subset_cjk_font.py: {missing!r} not in the font"


def test_every_han_character_the_app_writes_is_in_the_font() -> None:
    """Templates, city names, WIPO titles, demo names: every Han character under src/ipops."""
    cmap = _cmap()
    text = "".join(
        path.read_text(encoding="utf-8", errors="ignore")
        for path in SRC.rglob("*")
        if path.suffix in TEXT_SUFFIXES and path.is_file()
    )
    han = "".join(c for c in text if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")
    missing = _missing(han, cmap)
    assert missing == "", f"rerun scripts/subset_cjk_font.py: {missing!r} not in the font"


def test_the_font_ships_with_its_licence() -> None:
    folder = fonts.font_path().parent
    assert "SIL OPEN FONT LICENSE Version 1.1" in (folder / "OFL.txt").read_text()
    assert fonts.font_path().stat().st_size < 5_000_000
    names = TTFont(fonts.font_path())["name"]
    assert names.getDebugName(1) == fonts.FAMILY


def _run(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_a_chart_draws_chinese_with_only_dejavu_installed(tmp_path: Path) -> None:
    """matplotlib loses every font but DejaVu; the chart still draws its Chinese text."""
    script = """
    import warnings
    from matplotlib import font_manager
    font_manager.fontManager.ttflist = [
        f for f in font_manager.fontManager.ttflist if f.name.startswith("DejaVu")
    ]
    warnings.filterwarnings("error", message=".*[Gg]lyph.*")  # a missing glyph fails
    from ipops.report import charts
    svg = charts.horizontal_bars(["南京市江北新区", "苏州工业园区"], [3, 5])
    assert "<svg" in svg
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots()
    axes.set_title("知识产权运营：专利池与质押融资")
    axes.bar(["南京市", "苏州市"], [1, 2])
    figure.savefig("chart.png")
    used = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    print(used)
    """
    result = _run(script, {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")})
    assert result.returncode == 0, result.stderr
    assert "Glyph" not in result.stderr
    assert result.stdout.strip().endswith(fonts.FONT_FILE)


def test_a_pdf_carries_chinese_text_with_system_fonts_hidden(tmp_path: Path) -> None:
    """fontconfig sees an empty font folder; the PDF report stylesheet still sets Chinese."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext absent: apt-get install poppler-utils")
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{empty}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>"
    )
    pdf = tmp_path / "report.pdf"
    script = f"""
    from pathlib import Path
    from ipops.report.render import CSS_FILE, write_pdf_atomic
    css = CSS_FILE.read_text(encoding="utf-8")
    html = (
        "<html><head><style>" + css + "</style></head><body class='landscape-report'>"
        "<h1>产业专利全景分析报告</h1><p>南京市 空调 F24F 有效专利 1,234 件</p></body></html>"
    )
    write_pdf_atomic(Path({str(pdf)!r}), html)
    """
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "FONTCONFIG_PATH": str(tmp_path)}
    result = _run(script, env)
    assert result.returncode == 0, result.stderr
    listing = subprocess.run(
        ["fc-list"], capture_output=True, text=True, env=env, check=False
    ).stdout
    assert "CJK" not in listing  # the system CJK fonts really are hidden
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "产业专利全景分析报告" in text
    assert "南京市 空调 F24F 有效专利 1,234 件" in text
