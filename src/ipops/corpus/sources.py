"""The sources of a load: which files, in which format (detected or named), their digests
and load key, and their records read and prepared (USPTO XML parsed on all cores)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipops.corpus.format_names import FORMATS
from ipops.corpus.formats import cn_table, patentsview, uspto_xml
from ipops.corpus.lifetime import die_with_parent
from ipops.corpus.prepare import Prepared, prepare_chunk
from ipops.corpus.records import Chunk, chunked
from ipops.errors import InputFormatError, ValidationError
from ipops.places.gazetteer import default_gazetteer

XML_DOCS_PER_TASK = 400


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "bytes": self.size}


# -- format detection --------------------------------------------------------------------


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files named, and the files inside folders named (PatentsView folders stay whole)."""
    expanded: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputFormatError(f"{path}: no such file or folder", field="path")
        if path.is_dir() and not patentsview.looks_like(path):
            files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            if not files:
                raise InputFormatError(f"{path}: the folder holds no files", field="path")
            expanded.extend(files)
        else:
            expanded.append(path)
    return expanded


def detect_format(path: Path) -> str:
    try:
        if uspto_xml.looks_like(path):
            return "uspto-xml"
        if patentsview.looks_like(path):
            return "patentsview"
        if cn_table.looks_like(path):
            return "cn-table"
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise InputFormatError(f"{path}: cannot be read ({exc})", field="path") from exc
    raise InputFormatError(
        f"{path}: not a format ipops reads (USPTO XML, PatentsView tables, Chinese patent "
        "table export); name it with --format if the detection is wrong",
        field="path",
    )


def resolve_format(paths: Sequence[Path], requested: str) -> str:
    if requested not in FORMATS:
        raise ValidationError(f"unknown format {requested!r}; use one of {FORMATS}", field="format")
    if requested != "auto":
        return requested
    found = {detect_format(path) for path in paths}
    if len(found) > 1:
        raise InputFormatError(
            f"the files are of different formats ({', '.join(sorted(found))}); load them "
            "separately",
            field="path",
        )
    return found.pop()


def describe_sources(paths: Sequence[Path]) -> list[SourceFile]:
    return [SourceFile(p.resolve(), sha256_of(p), _size(p)) for p in paths]


def load_key_for(fmt: str, sources: Sequence[SourceFile], options: dict[str, Any]) -> str:
    material = json.dumps(
        {"format": fmt, "files": sorted(s.sha256 for s in sources), "options": options},
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with file.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


# -- reading -----------------------------------------------------------------------------


def check_format_options(fmt: str, *, texts: bool, citing_dates: Path | None) -> None:
    """Refuse an option the source format does not have, naming the option."""
    if texts and fmt != "uspto-xml":
        raise ValidationError(
            f"claim texts and government interest are read from USPTO XML only, not {fmt}",
            field="texts",
        )
    if citing_dates is not None and fmt != "patentsview":
        raise ValidationError(
            f"--citing-dates applies to PatentsView tables, not to {fmt}", field="citing-dates"
        )


def read_prepared(
    fmt: str,
    paths: Sequence[Path],
    *,
    mapping: Path | None = None,
    workers: int | None = None,
    texts: bool = False,
    citing_dates: Path | None = None,
) -> Iterator[Prepared]:
    """Prepared chunks of the sources; USPTO XML is parsed on all cores.

    ``texts`` (USPTO XML only) also reads claim texts and government-interest statements;
    ``citing_dates`` (PatentsView only) dates the citing patents missing from g_patent.
    """
    check_format_options(fmt, texts=texts, citing_dates=citing_dates)
    if fmt == "uspto-xml":
        yield from _parallel_xml(paths, workers or os.cpu_count() or 1, texts)
    elif fmt == "patentsview":
        chunks = patentsview.read_patentsview(list(paths), citing_dates=citing_dates)
        yield from map(prepare_chunk, chunks)
    elif fmt == "cn-table":
        for path in paths:
            yield from map(prepare_chunk, cn_table.read_cn_table(path, mapping_file=mapping))
    else:
        raise ValidationError(f"unknown format {fmt!r}", field="format")


def parse_xml_task(
    documents: list[bytes], file: str, first_index: int, texts: bool = False
) -> Prepared:
    """Worker task: parse a run of XML documents and prepare them for loading."""
    parsed = (
        uspto_xml.parse_document(data, file=file, index=first_index + offset, texts=texts)
        for offset, data in enumerate(documents)
    )
    chunk = next(chunked(parsed, len(documents)), Chunk())
    return prepare_chunk(chunk)


def _xml_tasks(paths: Sequence[Path]) -> Iterator[tuple[list[bytes], str, int]]:
    for path in paths:
        batch: list[bytes] = []
        first = 1
        for index, document in enumerate(uspto_xml.iter_raw_documents(path), start=1):
            batch.append(document)
            if len(batch) == XML_DOCS_PER_TASK:
                yield batch, path.name, first
                batch, first = [], index + 1
        if batch:
            yield batch, path.name, first


def _parallel_xml(paths: Sequence[Path], workers: int, texts: bool) -> Iterator[Prepared]:
    tasks = _xml_tasks(paths)
    if workers <= 1:
        for documents, file, first in tasks:
            yield parse_xml_task(documents, file, first, texts)
        return
    in_flight: list[Future[Prepared]] = []
    _ = default_gazetteer().index  # built once here; forked workers share its pages
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=die_with_parent,  # a killed loader takes its workers with it
        initargs=(os.getpid(),),
    ) as pool:
        for documents, file, first in tasks:
            in_flight.append(pool.submit(parse_xml_task, documents, file, first, texts))
            if len(in_flight) >= workers * 2:  # bounded: memory stays flat
                yield in_flight.pop(0).result()
        for future in in_flight:
            yield future.result()
