"""The CJK font ipops ships (a Noto Sans CJK SC subset under the SIL OFL 1.1, see SOURCE.md)
and its registration with matplotlib and WeasyPrint, so charts, maps and PDFs render Chinese
on a machine without any system CJK font."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

FAMILY = "Noto Sans SC ipops"
FONT_FILE = "NotoSansSC-ipops.otf"
# Ours first (the same glyphs on every machine), then system fonts for anything else.
SANS_SERIF = [FAMILY, "Noto Sans CJK SC", "DejaVu Sans"]


def font_path() -> Path:
    """The shipped font file (inside the installed package)."""
    return Path(str(resources.files("ipops.fonts").joinpath(FONT_FILE)))


@functools.cache
def register_matplotlib() -> None:
    """Add the shipped font to matplotlib's font manager and make it the sans-serif default."""
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = SANS_SERIF


def font_face_css() -> str:
    """An ``@font-face`` rule naming the shipped font by its file URL (for WeasyPrint)."""
    return (
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: normal; '
        f'src: url("{font_path().as_uri()}"); }}\n'
    )
