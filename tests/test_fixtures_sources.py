"""Every fixture folder says where its data comes from (issue 13, "Generated data kept apart").

A folder under tests/fixtures holds either real records copied from a named source or
hand-made records; either way a SOURCE note (SOURCE.md, SOURCE or SOURCE.txt) says which, so
hand-made data never passes for real records. The hand-made PatentsView grant tables use
numbers only from the ranges docs/corpus.md reserves ("Generated data").
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ipops.corpus.formats.patentsview import us_number

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCE_NAMES = ("SOURCE.md", "SOURCE", "SOURCE.txt")
FOLDERS = sorted(path for path in FIXTURES.iterdir() if path.is_dir())


def source_note(folder: Path) -> Path | None:
    """The folder's SOURCE note, or None."""
    return next((folder / n for n in SOURCE_NAMES if (folder / n).is_file()), None)


def test_there_are_fixture_folders() -> None:
    assert {"patentsview", "patentsview_pregrant", "uspto"} <= {f.name for f in FOLDERS}


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: path.name)
def test_every_fixture_folder_has_a_source_note(folder: Path) -> None:
    note = source_note(folder)
    assert note is not None, f"tests/fixtures/{folder.name} has no {' / '.join(SOURCE_NAMES)}"
    assert len(note.read_text(encoding="utf-8").split()) >= 20, f"{note} says too little"


def test_a_folder_without_a_note_is_caught(tmp_path: Path) -> None:
    (tmp_path / "data.tsv").write_text("a\tb\n")
    assert source_note(tmp_path) is None
    (tmp_path / "SOURCE.txt").write_text("hand-made")
    assert source_note(tmp_path) == tmp_path / "SOURCE.txt"


# US grants from 900,000,000 and US designs D9xxxxxx (docs/corpus.md, "Generated data").
RESERVED_US = re.compile(r"9\d{8}|D9\d{6}")


def test_the_hand_made_patentsview_numbers_are_reserved() -> None:
    numbers: set[str] = set()
    folder = FIXTURES / "patentsview"
    for path in folder.glob("g_*.tsv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                for column in ("patent_id", "citation_patent_id"):
                    if column in row:
                        number = us_number(row[column])
                        assert number is not None, (path.name, row[column])
                        numbers.add(number)
                if "application_id" in row:
                    assert row["application_id"].startswith("99/"), row["application_id"]
    assert len(numbers) == 7
    assert sorted(n for n in numbers if not RESERVED_US.fullmatch(n)) == []
    assert "hand-made" in (folder / "SOURCE.md").read_text(encoding="utf-8").lower()
