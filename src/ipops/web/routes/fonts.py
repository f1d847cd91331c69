"""The CJK font ipops ships, for the pages' ``@font-face`` (``static/fonts.css``).

A browser on a machine without any system CJK font renders the Chinese pages with it; the
file is the same subset charts and PDFs use (``ipops.fonts``, SIL OFL 1.1).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from ipops.fonts import FONT_FILE, font_path

router = APIRouter(include_in_schema=False)
FONT_HEADERS = {"Cache-Control": "public, max-age=604800", "X-Content-Type-Options": "nosniff"}


@router.get(f"/fonts/{FONT_FILE}")
def shipped_font() -> FileResponse:
    """No sign-in needed: the login page is Chinese too."""
    return FileResponse(font_path(), media_type="font/otf", headers=FONT_HEADERS)
