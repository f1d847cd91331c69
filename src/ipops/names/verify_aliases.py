"""Checking the alias table against the patent data at hand.

For every row of ``data/cn_applicants.csv`` this looks for its English names (normalised,
as ``resolve_names`` compares them) among the assignee names of USPTO grant XML files and
of the PatentsView assignee benchmark, and for its Chinese names in the applicant column
of CN patent tables, and reports what was found where:

    python -m ipops.names.verify_aliases [--shared-data DIR] [--cn-table CSV ...]

The ``source`` column of the alias table records the outcome row by row (docs/names.md).
"""

from __future__ import annotations

import argparse
import csv
import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ipops.names.aliases import ALIAS_FILE
from ipops.names.normalize import normalize_name

_GRANT = re.compile(r"<us-patent-grant.*?</us-patent-grant>", re.S)
_DOC = re.compile(r"<publication-reference>.*?<doc-number>(\w+)</doc-number>", re.S)
_ASSIGNEE = re.compile(r"<assignee>.*?<orgname>([^<]+)</orgname>", re.S)
_APPLICANT_COLUMNS = ("申请（专利权）人", "申请人", "当前专利权人", "专利权人")


@dataclass(frozen=True, slots=True)
class Evidence:
    """One alias-table row and where its names were seen."""

    name_zh: str
    found: tuple[str, ...]


def grant_assignees(folder: Path) -> dict[str, set[str]]:
    """Normalised assignee name → 'USPTO grant US<number> (<file>)' from grant XML."""
    seen: dict[str, set[str]] = defaultdict(set)
    for path in sorted(folder.rglob("*.xml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for grant in _GRANT.findall(text):
            doc = _DOC.search(grant)
            for name in _ASSIGNEE.findall(grant):
                number = doc.group(1) if doc else "?"
                seen[normalize_name(html.unescape(name))].add(f"USPTO grant {number} ({path.name})")
    return seen


def benchmark_assignees(path: Path) -> dict[str, set[str]]:
    """Normalised organisation → 'PatentsView NBER benchmark <mention_id>' (first 3)."""
    seen: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8-sig", newline="") as source:
        for row in csv.DictReader(source):
            mentions = seen[normalize_name(row["organization"] or "")]
            if len(mentions) < 3:
                mentions.add(f"PatentsView NBER assignee benchmark {row['mention_id']}")
    return seen


def table_applicants(paths: Iterable[Path]) -> dict[str, set[str]]:
    """Normalised applicant → 'CN table <file>' from CN patent tables (UTF-8 CSV)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as source:
            for row in csv.DictReader(source):
                for column in _APPLICANT_COLUMNS:
                    for name in re.split(r"[;；]", row.get(column) or ""):
                        if name.strip():
                            seen[normalize_name(name)].add(f"CN table {path.name}")
    return seen


def verify(sources: Iterable[dict[str, set[str]]], alias_file: Path = ALIAS_FILE) -> list[Evidence]:
    """Each alias-table row with the places its full or English names were found."""
    merged: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        for name, places in source.items():
            merged[name] |= places
    evidence = []
    with alias_file.open(encoding="utf-8-sig", newline="") as rows:
        for row in csv.DictReader(rows):
            names = [row["name_zh"], *row["names_en"].split("|")]
            found = sorted(
                f"{name}: {place}"
                for name in names
                if name.strip()
                for place in merged.get(normalize_name(name), ())
            )
            evidence.append(Evidence(row["name_zh"], tuple(found)))
    return evidence


def main() -> None:
    parser = argparse.ArgumentParser(description="Check the alias table against patent data.")
    parser.add_argument("--shared-data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--cn-table", type=Path, action="append", default=[])
    args = parser.parse_args()
    data = args.shared_data
    sources = [
        grant_assignees(data / "uspto-grant-xml-pvdb"),
        grant_assignees(data / "uspto-patentpublicdata-samples"),
        benchmark_assignees(
            data / "pv-evaluation-benchmarks/assignee/nber-subset-assignees-benchmark.csv"
        ),
        table_applicants(args.cn_table),
    ]
    for row in verify(sources):
        print(f"{row.name_zh}: {'; '.join(row.found) if row.found else 'not found'}")


if __name__ == "__main__":
    main()
